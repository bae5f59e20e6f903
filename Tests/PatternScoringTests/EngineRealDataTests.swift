import AfscanTestSupport
import Foundation
import PatternScoring
import XCTest

/// The engine on real scratchpads (`dev/paper_excerpts.jsonl`, 190 records). Expected totals were
/// computed independently in Python (every end offset of each pattern, ASCII lower-casing, sentences
/// starting after ". ", the `near` rule of CONTRACT.md).
final class EngineRealDataTests: XCTestCase {
    /// `<package root>/../shared/data`, the package root being the directory holding Package.swift.
    private func dataDirectory() throws -> URL {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        return data
    }

    private func asciiLower(_ text: String) -> (bytes: [UInt8], sentenceStarts: [Int32]) {
        let bytes = text.utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 + 0x20 : $0 }
        var starts: [Int32] = [0]
        for i in 0..<max(bytes.count - 1, 0) where bytes[i] == UInt8(ascii: ".") && bytes[i + 1] == UInt8(ascii: " ") {
            starts.append(Int32(i + 2))
        }
        return (bytes, starts)
    }

    func testPaperExcerptsCountsAndNearRule() throws {
        let file = try dataDirectory().appendingPathComponent("dev/paper_excerpts.jsonl")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        let texts = try lines.map { line -> String in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try XCTUnwrap(object?["text"] as? String)
        }
        XCTAssertEqual(texts.count, 190)

        let scanner = RuleScanner(try compileRules([
            makeRule("rlhf", [("a", .literal, "rlhf")]),
            makeRule("mod", [("a", .regex, "modif(y|ied|ication)")]),
            makeRule("near", [("a", .literal, "rlhf"), ("b", .regex, "modif(y|ied|ication)")], condition: "a near b"),
        ]))
        var rlhf = 0, mod = 0, nearRecords = 0, nearHits = 0
        var firstRecord: [RuleHit] = []
        for (i, text) in texts.enumerated() {
            let n = asciiLower(text)
            let hits = scanner.scan(block: 0, kind: .scratchpad, text: n.bytes, sentenceStarts: n.sentenceStarts)
            if i == 0 { firstRecord = hits }
            rlhf += scanner.matchCount(rule: 0)
            mod += scanner.matchCount(rule: 1)
            let near = hits.filter { $0.rule == 2 }
            if !near.isEmpty { nearRecords += 1 }
            nearHits += near.count
            // Every span is exactly the pattern's bytes.
            for hit in hits where hit.rule == 0 { XCTAssertEqual(Array(n.bytes[hit.start..<hit.end]), Array("rlhf".utf8)) }
        }
        XCTAssertEqual(rlhf, 166)
        XCTAssertEqual(mod, 76)
        XCTAssertEqual(nearRecords, 47)
        XCTAssertEqual(nearHits, 53)
        XCTAssertEqual(firstRecord.filter { $0.rule != 2 }.map { [$0.rule, $0.start, $0.end] },
                       [[0, 144, 148], [0, 829, 833], [1, 840, 846]])
    }
}
