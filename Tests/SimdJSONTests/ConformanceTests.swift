import Foundation
import SimdJSON
import XCTest

/// JSONTestSuite (nst/JSONTestSuite, `test_parsing`) against `JSONParser`, each file parsed as one
/// whole document. Observed results are documented in docs/json-conformance.md.
final class ConformanceTests: XCTestCase {
    /// `y_` files that simdjson rejects / `n_` files it accepts. simdjson 3.0.1 DOM has none.
    static let yRejected: Set<String> = []
    static let nAccepted: Set<String> = []

    /// Every `i_` file (implementation-defined) and the reason it fails with, or nil when accepted.
    static let iOutcomes: [String: String?] = [
        "i_number_double_huge_neg_exp.json": nil,
        "i_number_huge_exp.json": "invalid_json",
        "i_number_neg_int_huge_exp.json": "invalid_json",
        "i_number_pos_double_huge_exp.json": "invalid_json",
        "i_number_real_neg_overflow.json": "invalid_json",
        "i_number_real_pos_overflow.json": "invalid_json",
        "i_number_real_underflow.json": nil,
        "i_number_too_big_neg_int.json": "invalid_json",
        "i_number_too_big_pos_int.json": "invalid_json",
        "i_number_very_big_negative_int.json": "invalid_json",
        "i_object_key_lone_2nd_surrogate.json": "invalid_json",
        "i_string_1st_surrogate_but_2nd_missing.json": "invalid_json",
        "i_string_1st_valid_surrogate_2nd_invalid.json": "invalid_json",
        "i_string_UTF-16LE_with_BOM.json": "invalid_json",
        "i_string_UTF-8_invalid_sequence.json": "invalid_utf8",
        "i_string_UTF8_surrogate_U+D800.json": "invalid_utf8",
        "i_string_incomplete_surrogate_and_escape_valid.json": "invalid_json",
        "i_string_incomplete_surrogate_pair.json": "invalid_json",
        "i_string_incomplete_surrogates_escape_valid.json": "invalid_json",
        "i_string_invalid_lonely_surrogate.json": "invalid_json",
        "i_string_invalid_surrogate.json": "invalid_json",
        "i_string_invalid_utf-8.json": "invalid_utf8",
        "i_string_inverted_surrogates_U+1D11E.json": "invalid_json",
        "i_string_iso_latin_1.json": "invalid_utf8",
        "i_string_lone_second_surrogate.json": "invalid_json",
        "i_string_lone_utf8_continuation_byte.json": "invalid_utf8",
        "i_string_not_in_unicode_range.json": "invalid_utf8",
        "i_string_overlong_sequence_2_bytes.json": "invalid_utf8",
        "i_string_overlong_sequence_6_bytes.json": "invalid_utf8",
        "i_string_overlong_sequence_6_bytes_null.json": "invalid_utf8",
        "i_string_truncated-utf-8.json": "invalid_utf8",
        "i_string_utf16BE_no_BOM.json": "invalid_json",
        "i_string_utf16LE_no_BOM.json": "invalid_json",
        "i_structure_500_nested_arrays.json": nil,
        "i_structure_UTF-8_BOM_empty_object.json": "invalid_json",
    ]

    func testJSONTestSuiteParsing() throws {
        let dir = try TestData.url("json-test-suite/test_parsing")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(names.count, 318)
        let parser = JSONParser()
        var counts = (y: 0, n: 0, i: 0)
        var seenI: Set<String> = []
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
            var failure: JSONParseError?
            do { _ = try parser.parse(bytes) } catch { failure = error }
            switch name.first {
            case "y":
                counts.y += 1
                XCTAssertEqual(failure != nil, Self.yRejected.contains(name), "\(name): \(failure?.message ?? "accepted")")
            case "n":
                counts.n += 1
                XCTAssertEqual(failure == nil, Self.nAccepted.contains(name), "\(name) was accepted")
            case "i":
                counts.i += 1
                seenI.insert(name)
                guard let expected = Self.iOutcomes[name] else {
                    XCTFail("\(name) is not listed in iOutcomes (docs/json-conformance.md)")
                    continue
                }
                XCTAssertEqual(failure?.reason, expected, name)
            default:
                XCTFail("unexpected file \(name)")
            }
        }
        XCTAssertEqual(counts.y, 95)
        XCTAssertEqual(counts.n, 188)
        XCTAssertEqual(counts.i, 35)
        XCTAssertEqual(seenI, Set(Self.iOutcomes.keys))
    }
}
