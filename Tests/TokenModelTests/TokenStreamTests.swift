import AfscanTestSupport
import CTokenStream
import Foundation
import Scratchpad
import XCTest

final class TokenStreamTests: XCTestCase {
    private func describe(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        let tokens = TokenStream.tokens(bytes)
        return bytes.withUnsafeBufferPointer { buf in
            tokens.map { t in
                let kind = t.isNumber ? "n" : t.isPunctuation ? "p" : "w"
                return "\(t.startsSentence ? "|" : "")\(kind):\(TokenStream.foldedText(of: t, in: buf))@\(t.start)-\(t.end)"
            }
        }
    }

    func testTokensOffsetsKindsAndSentences() {
        XCTAssertEqual(describe("I'll COMPLY. Then 42 steps!\nNext"), [
            "|w:i@0-1", "p:'@1-2", "w:ll@2-4", "w:comply@5-11", "p:.@11-12",
            "|w:then@13-17", "n:42@18-20", "w:steps@21-26", "p:!@26-27", "|w:next@28-32",
        ])
    }

    func testFoldsCurlyQuotesDashesEllipsisAndSoftHyphen() {
        // ’ (3 bytes) → ', — → -, … → one terminal '.', soft hyphen inside a word is transparent
        XCTAssertEqual(describe("don’t—mod\u{00AD}ify… OK"), [
            "|w:don@0-3", "p:'@3-6", "w:t@6-7", "p:-@7-10", "w:modify@10-18", "p:.@18-21", "|w:ok@22-24",
        ])
    }

    func testAbbreviationsDoNotEndSentences() {
        let d = describe("Use e.g. this. Dr. Smith left. 2. Then")
        XCTAssertEqual(d.filter { $0.hasPrefix("|") }, ["|w:use@0-3", "|w:dr@15-17", "|n:2@31-32"])
    }

    func testNonASCIIWordsAndHashOfFoldedText() {
        let bytes = Array("Café ÉTÉ".utf8)
        let tokens = TokenStream.tokens(bytes)
        XCTAssertEqual(tokens.count, 2)
        XCTAssertEqual(tokens[0].hash, TokenStream.hash("café"))
        // only ASCII letters fold: É stays É, T becomes t
        XCTAssertEqual(tokens[1].hash, TokenStream.hash("ÉtÉ"))
    }

    func testRangesStartSentencesAndNeverJoinWords() {
        let bytes = Array("abc<cut>def ghi".utf8)
        let tokens = TokenStream.tokens(bytes, ranges: [0..<3, 8..<15])
        XCTAssertEqual(tokens.map(\.range), [0..<3, 8..<11, 12..<15])
        XCTAssertEqual(tokens.map(\.startsSentence), [true, true, false])
    }

    /// The SSE2 window path and the scalar path give identical tokens (random mixes of the cases above,
    /// long words across windows, control bytes and invalid UTF-8).
    func testWindowPathEqualsScalarPath() {
        let pieces = ["a", "B", " ", "\n", ".", "!", "?", "\"", "'", "e", "g", "I", "1", "2", "\u{2019}", "\u{00AD}", "é",
                      "\u{2026}", "\u{00A0}", "-", "\u{01}", "Mr", "etc", "(", ")", "word", "verylongwordverylongwordverylongword", "   "]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            let target = Int.random(in: 0..<400, using: &rng)
            while bytes.count < target { bytes += Array(pieces.randomElement(using: &rng)!.utf8) }
            if Bool.random(using: &rng), !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = 0xFF }
            let slow = TokenStream.tokens(bytes, path: .scalar)
            for path in [TokenPath.fastest, .baselineSIMD] {
                let fast = TokenStream.tokens(bytes, path: path)
                XCTAssertEqual(fast.count, slow.count)
                for (a, b) in zip(fast, slow) where a.hash != b.hash || a.range != b.range || a.kind != b.kind || a.flags != b.flags {
                    XCTFail("\(path) and scalar paths differ on \(bytes): \(a) vs \(b)")
                    return
                }
            }
        }
    }

    /// Same on every real scratchpad of ../shared/data, and the token count equals the `Tokenizer` count
    /// that rows reported as `reasoning_tokens` before the token stream.
    func testRealTextPathsAgreeAndCountMatchesTokenizer() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        var texts = 0
        for name in ["train/multistyle_labelled.jsonl", "contrast/compliant_contrast.jsonl", "dev/paper_excerpts.jsonl"] {
            let lines = try String(contentsOf: data.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
            for line in lines {
                let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let bytes = Array(try XCTUnwrap(obj["text"] as? String).utf8)
                let fast = TokenStream.tokens(bytes), slow = TokenStream.tokens(bytes, path: .scalar)
                let sse2 = TokenStream.tokens(bytes, path: .baselineSIMD)
                XCTAssertEqual(fast.map(\.hash), slow.map(\.hash))
                XCTAssertEqual(fast.map(\.start), slow.map(\.start))
                XCTAssertEqual(fast.map(\.flags), slow.map(\.flags))
                XCTAssertEqual(sse2.map(\.hash), slow.map(\.hash))
                XCTAssertEqual(sse2.map(\.end), slow.map(\.end))
                XCTAssertEqual(sse2.map(\.flags), slow.map(\.flags))
                XCTAssertEqual(fast.count, Tokenizer.count(bytes).tokens, "token count differs from Tokenizer")
                texts += 1
            }
        }
        XCTAssertEqual(texts, 790)
    }
}
