import XCTest

@testable import LabelSinks

final class JSONTextTests: XCTestCase {
    private func string(_ s: String) -> String {
        var out: [UInt8] = []
        JSONText.appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func fixed(_ x: Double, _ digits: Int = 4) -> String {
        var out: [UInt8] = []
        JSONText.appendFixed(x, fractionDigits: digits, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func score(_ x: Double) -> String {
        var out: [UInt8] = []
        JSONText.appendUnitScore(x, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func integer(_ x: Int64) -> String {
        var out: [UInt8] = []
        JSONText.appendInteger(x, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testQuotesBackslashAndShortControlEscapes() {
        XCTAssertEqual(string(#"say "hi" \ bye"#), #""say \"hi\" \\ bye""#)
        XCTAssertEqual(string("a\nb\tc\rd\u{08}e\u{0C}f"), #""a\nb\tc\rd\be\ff""#)
    }

    func testOtherControlCharactersUseLowercaseUnicodeEscapes() {
        XCTAssertEqual(string("\u{00}\u{01}\u{1F}\u{1B}"), #""\u0000\u0001\u001f\u001b""#)
        // DEL is not a JSON control character: copied raw.
        XCTAssertEqual(Array(string("\u{7F}").utf8), [0x22, 0x7F, 0x22])
    }

    func testLineAndParagraphSeparatorsAreEscapedForJavaScript() {
        XCTAssertEqual(string("a\u{2028}b\u{2029}c"), #""a\u2028b\u2029c""#)
        // Neighbouring scalars sharing the E2 80 prefix stay raw: U+2027 and U+202A.
        XCTAssertEqual(string("\u{2027}\u{202A}"), "\"\u{2027}\u{202A}\"")
    }

    func testValidUTF8IsCopiedAsIs() {
        let text = "café – 猫 🐈 Ωmega"
        XCTAssertEqual(Array(string(text).utf8), [0x22] + Array(text.utf8) + [0x22])
        XCTAssertEqual(string(""), #""""#)
    }

    /// Every escape at every position of strings long enough for the eight-bytes-at-a-time scan (and
    /// bytes that only look like an escape to it: E2 lead bytes of other scalars), against the escape
    /// written out by hand.
    func testEscapesAtEveryPositionOfLongStrings() {
        let cases: [(String, String)] = [
            ("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{01}", #"\u0001"#), ("\u{1F}", #"\u001f"#),
            ("\u{2028}", #"\u2028"#), ("\u{2029}", #"\u2029"#), ("’", "’"), ("\u{2027}", "\u{2027}"), ("é", "é"), ("!", "!"),
        ]
        for (raw, escaped) in cases {
            for length in [7, 8, 9, 16, 23] {
                for position in 0...length {
                    let head = String(repeating: "a", count: position), tail = String(repeating: "b", count: length - position)
                    XCTAssertEqual(string(head + raw + tail), "\"" + head + escaped + tail + "\"", "\(escaped) at \(position) of \(length)")
                }
            }
        }
        // Two escapes in one eight-byte word, and a separator split across two words.
        XCTAssertEqual(string("abc\"de\\fgh\u{2028}ij"), #""abc\"de\\fgh\u2028ij""#)
        XCTAssertEqual(string("abcdefg\u{2029}hijklmn"), #""abcdefg\u2029hijklmn""#)
    }

    func testEscapedStringsRoundTripThroughJSONSerialization() throws {
        let text = "q\"b\\c\u{0}\u{1F}\n\u{2028}é🐈\u{7F}/"
        let data = Data(string(text).utf8)
        let decoded = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? String
        XCTAssertEqual(decoded, text)
    }

    func testFixedPrintsShortestPlainDecimals() {
        XCTAssertEqual(fixed(0.63), "0.63")
        XCTAssertEqual(fixed(0), "0")
        XCTAssertEqual(fixed(1), "1")
        XCTAssertEqual(fixed(0.0001), "0.0001")
        XCTAssertEqual(fixed(0.00012), "0.0001")
        XCTAssertEqual(fixed(0.00005), "0.0001")  // half away from zero
        XCTAssertEqual(fixed(0.00001), "0")  // never 1e-05
        XCTAssertEqual(fixed(0.56789), "0.5679")
        XCTAssertEqual(fixed(12.5), "12.5")
        XCTAssertEqual(fixed(-0.25), "-0.25")
        XCTAssertEqual(fixed(-0.00001), "0")  // never -0
        XCTAssertEqual(fixed(1234567.000049), "1234567")
        XCTAssertEqual(fixed(2.0 / 3.0, 6), "0.666667")
        XCTAssertEqual(fixed(0.5, 0), "1")
        XCTAssertEqual(fixed(0.105, 2), "0.11")
    }

    func testFixedClampsNonFiniteValues() {
        XCTAssertEqual(fixed(.nan), "0")
        XCTAssertEqual(fixed(.infinity), "900000000000000")
        XCTAssertEqual(fixed(-.infinity), "-900000000000000")
        XCTAssertEqual(fixed(1e300, 6), "9000000000000")
    }

    func testUnitScoresAreClampedToZeroOne() {
        XCTAssertEqual(score(0.63), "0.63")
        XCTAssertEqual(score(1.2), "1")
        XCTAssertEqual(score(-0.3), "0")
        XCTAssertEqual(score(.nan), "0")
        XCTAssertEqual(score(.infinity), "1")
        XCTAssertEqual(score(0.99996), "1")
        XCTAssertEqual(score(0.71), "0.71")
    }

    func testIntegers() {
        XCTAssertEqual(integer(0), "0")
        XCTAssertEqual(integer(40960), "40960")
        // Both sides of the short-number path (below 100000) and of each power of ten.
        XCTAssertEqual(integer(7), "7")
        XCTAssertEqual(integer(10), "10")
        XCTAssertEqual(integer(100), "100")
        XCTAssertEqual(integer(99_999), "99999")
        XCTAssertEqual(integer(100_000), "100000")
        XCTAssertEqual(integer(1_000_001), "1000001")
        XCTAssertEqual(integer(-100_000), "-100000")
        XCTAssertEqual(integer(-12), "-12")
        XCTAssertEqual(integer(.max), "9223372036854775807")
        XCTAssertEqual(integer(.min), "-9223372036854775808")
    }
}
