import XCTest

@testable import LabelSinks

final class SnippetTests: XCTestCase {
    func testASCIIRangeWithinCap() {
        XCTAssertEqual(Snippet.make("I will comply to avoid modification", range: 2..<13), "will comply")
    }

    func testCapCutsAtByteCountOnASCII() {
        let text = String(repeating: "a", count: 200)
        XCTAssertEqual(Snippet.make(text, range: 0..<200).utf8.count, 160)
        XCTAssertEqual(Snippet.make(text, range: 10..<200, maxBytes: 5), "aaaaa")
    }

    func testCapNeverSplitsAMultiByteScalar() {
        // "ab" + "é" (C3 A9) + "猫" (E6 98 AB): a 4-byte cap lands inside "猫" at byte 4.
        let text = "abé猫z"
        XCTAssertEqual(Snippet.make(text, range: 0..<8, maxBytes: 4), "abé")
        XCTAssertEqual(Snippet.make(text, range: 0..<8, maxBytes: 3), "ab")
        XCTAssertEqual(Snippet.make(text, range: 0..<8, maxBytes: 7), "abé猫")
        // A 4-byte emoji (F0 9F 90 88) with a cap of 3 gives nothing rather than a broken scalar.
        XCTAssertEqual(Snippet.make("🐈", range: 0..<4, maxBytes: 3), "")
    }

    func testStartInsideAScalarMovesForward() {
        let text = "é猫z"  // C3 A9 | E6 98 AB | 7A
        XCTAssertEqual(Snippet.make(text, range: 1..<6), "猫z")
        XCTAssertEqual(Snippet.make(text, range: 3..<5), "")  // ends inside 猫: backs off to its start
    }

    func testRangeIsClampedToTheBuffer() {
        XCTAssertEqual(Snippet.make("abc", range: 1..<99), "bc")
        XCTAssertEqual(Snippet.make("abc", range: 5..<9), "")
        XCTAssertEqual(Snippet.make("abc", range: -3..<2), "ab")
    }
}
