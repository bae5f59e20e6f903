import Foundation
import XCTest
@testable import SyntheticCorpus

final class JSONStringEscaperTests: XCTestCase {
    private let sample = "a\"b\\c\nd\te\u{01}é—“q”🤔这"

    private func escaped(_ s: String, _ style: JSONStringEscaper.Style) -> String {
        var out: [UInt8] = []
        JSONStringEscaper.appendQuoted(s, style: style, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testUTF8StyleEscapesOnlyQuotesBackslashesAndControls() {
        XCTAssertEqual(escaped(sample, .utf8), "\"a\\\"b\\\\c\\nd\\te\\u0001é—“q”🤔这\"")
    }

    func testASCIIStyleEscapesEveryNonASCIIScalarWithSurrogatePairs() {
        XCTAssertEqual(
            escaped(sample, .asciiOnly),
            "\"a\\\"b\\\\c\\nd\\te\\u0001\\u00e9\\u2014\\u201cq\\u201d\\ud83e\\udd14\\u8fd9\"")
    }

    func testBothStylesDecodeBackToTheOriginal() throws {
        for style in JSONStringEscaper.Style.allCases {
            let json = "[" + escaped(sample, style) + "]"
            let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            XCTAssertEqual(decoded, [sample], "style \(style)")
        }
    }

    func testControlCharactersUseShortFormsWhereJSONHasThem() {
        XCTAssertEqual(escaped("\r\u{08}\u{0C}\u{1F}", .utf8), "\"\\r\\b\\f\\u001f\"")
    }
}
