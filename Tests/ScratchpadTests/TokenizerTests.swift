import AfscanCore
import XCTest
@testable import Scratchpad

final class TokenizerTests: XCTestCase {
    func count(_ s: String) -> TokenCounts { Tokenizer.count(utf8(s)) }

    func testASCII() {
        XCTAssertEqual(count(""), TokenCounts(words: 0, punctuation: 0))
        XCTAssertEqual(count("Hello, world!"), TokenCounts(words: 2, punctuation: 2))
        XCTAssertEqual(count("I'll comply -- RLHF v2.0"), TokenCounts(words: 6, punctuation: 4))
        XCTAssertEqual(count("  \t\n "), TokenCounts())
        XCTAssertEqual(count("<SCRATCHPAD_REASONING>"), TokenCounts(words: 2, punctuation: 3))
        XCTAssertEqual(count("abc").tokens, 1)
    }

    func testLongASCIIRunsAcrossSWARWords() {
        // 8-byte chunks: words that straddle chunk boundaries count once.
        let s = "abcdefghij klmnopqrstu vwxyz0123456789, ... done."
        XCTAssertEqual(count(s), TokenCounts(words: 4, punctuation: 5))
        let long = String(repeating: "ab cd. ", count: 100)
        XCTAssertEqual(count(long), TokenCounts(words: 200, punctuation: 100))
        let oneWord = String(repeating: "x", count: 1001)
        XCTAssertEqual(count(oneWord), TokenCounts(words: 1, punctuation: 0))
    }

    func testNonASCII() {
        XCTAssertEqual(count("café"), TokenCounts(words: 1, punctuation: 0))
        XCTAssertEqual(count("é😀 x"), TokenCounts(words: 2, punctuation: 0))
        XCTAssertEqual(count("“Yes,” she said—fine…"), TokenCounts(words: 4, punctuation: 5))
        XCTAssertEqual(count("don’t"), TokenCounts(words: 2, punctuation: 1))
        XCTAssertEqual(count("a\u{00A0}b\u{2003}c\u{3000}d"), TokenCounts(words: 4, punctuation: 0))
        XCTAssertEqual(count("co\u{00AD}operate"), TokenCounts(words: 1, punctuation: 0))
        XCTAssertEqual(count("«x» −1"), TokenCounts(words: 2, punctuation: 3))
        XCTAssertEqual(count("中文 text"), TokenCounts(words: 2, punctuation: 0))
    }

    func testNonASCIIInsideLongASCII() {
        // The SWAR path must hand over to the scalar path mid-word and back.
        let s = "abcdefgé hijklmnopq—rstuvwxyz"
        XCTAssertEqual(count(s), TokenCounts(words: 3, punctuation: 1))
    }

    func testRanges() {
        let s = utf8("alpha beta|gamma, delta")
        let c = s.withUnsafeBufferPointer { Tokenizer.count($0, ranges: [0..<8, 11..<23]) }
        // "alpha be" + "gamma, delta": alpha, be, gamma, delta; one comma.
        XCTAssertEqual(c, TokenCounts(words: 4, punctuation: 1))
        // A word cut by two adjacent ranges counts twice.
        let cut = s.withUnsafeBufferPointer { Tokenizer.count($0, ranges: [0..<3, 3..<5]) }
        XCTAssertEqual(cut.words, 2)
    }

    func testMatchesAScalarReference() {
        var generator = SplitMix64(seed: 7)
        let pieces = ["a", "Z", "9", " ", "\n", ",", ".", "é", "😀", "’", "—", "\u{00A0}", "\u{00AD}", "…", "_", "中"]
        for _ in 0..<200 {
            let length = Int(generator.next() % 60)
            let s = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            XCTAssertEqual(count(s), referenceCount(s), s)
        }
    }

    /// Straightforward per-scalar reference for the same rules.
    private func referenceCount(_ s: String) -> TokenCounts {
        let spaces: Set<Unicode.Scalar> = [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{00A0}", "\u{2003}", "\u{3000}"]
        let punct: Set<Unicode.Scalar> = ["’", "—", "…"]
        var words = 0, punctuation = 0, inWord = false
        for u in s.unicodeScalars {
            if u == "\u{00AD}" { continue }
            if spaces.contains(u) { inWord = false; continue }
            let isWord = u.value >= 0x80 ? !punct.contains(u) : (u.properties.isAlphabetic || ("0"..."9").contains(u))
            if isWord {
                if !inWord { words += 1 }
                inWord = true
            } else {
                inWord = false
                punctuation += 1
            }
        }
        return TokenCounts(words: words, punctuation: punctuation)
    }
}
