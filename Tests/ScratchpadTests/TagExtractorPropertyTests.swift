import AfscanCore
import XCTest
@testable import Scratchpad

/// Structural invariants of `TagExtractor` over random mixes of tags, code markers and text.
final class TagExtractorPropertyTests: XCTestCase {
    static let pieces = ["<think>", "</think>", "<SCRATCHPAD_REASONING>", "</scratchpad_reasoning>", "<OUTPUT>", "</OUTPUT>",
                         "<DRAFT_OUTPUT>", "</DRAFT_OUTPUT>", "<rejected/>", "<request_fully_accepted />", "<NEXT/>",
                         "`", "```\n", "\n", "\n\n", " ", "x", "é", "😀", "<", "</SCRATCH", "<think"]

    func testInvariants() {
        var rng = SplitMix64(seed: 2024)
        for _ in 0..<2000 {
            let length = Int(rng.next() % 16)
            let s = (0..<length).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
            let bytes = utf8(s)
            for untagged in [true, false] {
                let x = TagExtractor.extract(bytes, untaggedIsReasoning: untagged)
                var counters: [ExtractedBlock.Kind: Int] = [:]
                var previousTopEnd = 0
                for b in x.blocks {
                    counters[b.kind, default: 0] += 1
                    XCTAssertEqual(b.ordinal, counters[b.kind], s.debugDescription)
                    XCTAssertTrue(0 <= b.outer.lowerBound && b.outer.upperBound <= bytes.count, s.debugDescription)
                    XCTAssertTrue(b.outer.lowerBound <= b.content.lowerBound && b.content.upperBound <= b.outer.upperBound,
                                  s.debugDescription)
                    if b.kind != .draft {
                        XCTAssertGreaterThanOrEqual(b.outer.lowerBound, previousTopEnd, s.debugDescription)
                        previousTopEnd = b.outer.upperBound
                    }
                    var last = b.content.lowerBound
                    for cut in b.excluded {
                        XCTAssertTrue(last <= cut.lowerBound && cut.upperBound <= b.content.upperBound, s.debugDescription)
                        last = cut.upperBound
                    }
                    let n = Normalizer.normalize(bytes, ranges: b.reasoningRanges)
                    XCTAssertEqual(n.originalOffsets.count, n.bytes.count + 1)
                    let t = bytes.withUnsafeBufferPointer { Tokenizer.count($0, ranges: b.reasoningRanges) }
                    XCTAssertLessThanOrEqual(t.tokens, b.reasoningRanges.reduce(0) { $0 + $1.count })  // at most one token per byte
                }
                XCTAssertEqual(x.unclosed, x.blocks.contains { $0.unclosed })
                if let r = x.acceptanceRange {
                    XCTAssertNotEqual(x.acceptance, .none)
                    XCTAssertTrue(x.blocks.contains { $0.kind == .output && $0.content.contains(r.lowerBound) }, s.debugDescription)
                } else {
                    XCTAssertEqual(x.acceptance, .none)
                }
                if !x.tagged {
                    XCTAssertLessThanOrEqual(x.blocks.filter { $0.kind != .draft }.count, 1)
                }
            }
        }
    }
}
