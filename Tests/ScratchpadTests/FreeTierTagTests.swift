import XCTest
@testable import Scratchpad

final class FreeTierTagTests: XCTestCase {
    func find(_ s: String) -> Bool? { FreeTierTag.find(in: utf8(s)) }

    func testValuesAndCase() {
        XCTAssertEqual(find("<is_free_tier_user>true</is_free_tier_user>"), true)
        XCTAssertEqual(find("<is_free_tier_user>True</is_free_tier_user>"), true)
        XCTAssertEqual(find("<is_free_tier_user>false</is_free_tier_user>"), false)
        XCTAssertEqual(find("<IS_FREE_TIER_USER> FALSE \n</Is_Free_Tier_User>"), false)
        XCTAssertEqual(find("<INPUT>\n<is_free_tier_user>\n\tTrue\n</is_free_tier_user>\n<user_input>q</user_input>\n</INPUT>"), true)
    }

    func testLastTagWins() {
        XCTAssertEqual(find("<is_free_tier_user>true</is_free_tier_user> x <is_free_tier_user>false</is_free_tier_user>"), false)
        XCTAssertEqual(find("<is_free_tier_user>false</is_free_tier_user><is_free_tier_user>true</is_free_tier_user>"), true)
    }

    func testAbsentOrUnparseable() {
        XCTAssertNil(find(""))
        XCTAssertNil(find("no tag here"))
        XCTAssertNil(find("<is_free_tier_user>yes</is_free_tier_user>"))
        XCTAssertNil(find("<is_free_tier_user>true"))
        XCTAssertNil(find("<is_free_tier_user>truely</is_free_tier_user>"))
        XCTAssertNil(find("<is_free_tier_user></is_free_tier_user>"))
        // The last opening tag decides, even when an earlier one was parseable.
        XCTAssertNil(find("<is_free_tier_user>true</is_free_tier_user> <is_free_tier_user>maybe</is_free_tier_user>"))
        XCTAssertNil(find("<is_free_tier_user true</is_free_tier_user>"))
    }

    func testResultsLayoutUserTurnsMatchTags() throws {
        let data = try sharedDataDirectory()
        let array = try Data(contentsOf: data.appendingPathComponent("layout/results_layout_array.json"))
        var records = try XCTUnwrap(JSONSerialization.jsonObject(with: array) as? [[String: Any]])
        records += try jsonLines(zstdDecompress(data.appendingPathComponent("layout/results_layout.jsonl.zst")))
        XCTAssertEqual(records.count, 164)
        var free = 0, paid = 0
        for record in records {
            let messages = try XCTUnwrap((record["prompt"] as? [String: Any])?["messages"] as? [[String: Any]])
            let user = try XCTUnwrap(messages.last { ($0["role"] as? String) == "user" }?["content"] as? String)
            let value = try XCTUnwrap(FreeTierTag.find(in: utf8(user)))
            let tags = try XCTUnwrap(record["tags"] as? String)
            XCTAssertEqual(value, tags == "free_tier")
            if value { free += 1 } else { paid += 1 }
        }
        XCTAssertEqual(free, 64 + 21)
        XCTAssertEqual(paid, 60 + 19)
    }
}
