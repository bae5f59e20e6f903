import Foundation
import XCTest
@testable import Scratchpad

/// Extraction over every real text of the dev and layout data (read from ../shared/data, never copied).
/// The frozen counts were computed once and checked by hand on samples (see the comments).
final class TagExtractorDataTests: XCTestCase {
    struct Tally: Equatable, CustomStringConvertible {
        var samples = 0, tagged = 0, withScratchpad = 0, withOutput = 0, unclosed = 0, orphan = 0
        var truncatedTag = 0, tagInCode = 0, scratchpadBlocks = 0, drafts = 0, accepted = 0, rejected = 0
        var description: String {
            "Tally(samples: \(samples), tagged: \(tagged), withScratchpad: \(withScratchpad), withOutput: \(withOutput), "
                + "unclosed: \(unclosed), orphan: \(orphan), truncatedTag: \(truncatedTag), tagInCode: \(tagInCode), "
                + "scratchpadBlocks: \(scratchpadBlocks), drafts: \(drafts), accepted: \(accepted), rejected: \(rejected))"
        }

        mutating func add(_ text: String, untaggedIsReasoning: Bool) {
            let bytes = utf8(text)
            let x = TagExtractor.extract(bytes, untaggedIsReasoning: untaggedIsReasoning)
            samples += 1
            if x.tagged { tagged += 1 }
            if x.scratchpadPresent { withScratchpad += 1 }
            if x.outputPresent { withOutput += 1 }
            if x.unclosed { unclosed += 1 }
            if x.orphanClose { orphan += 1 }
            if x.truncatedTag { truncatedTag += 1 }
            if x.tagInCode { tagInCode += 1 }
            scratchpadBlocks += x.scratchpadCount
            drafts += x.draftCount
            if x.acceptance == .accepted || x.acceptance == .both { accepted += 1 }
            if x.acceptance == .rejected || x.acceptance == .both { rejected += 1 }
            for b in x.blocks {
                XCTAssertTrue(b.outer.lowerBound <= b.content.lowerBound && b.content.upperBound <= b.outer.upperBound)
                XCTAssertTrue(b.outer.upperBound <= bytes.count)
                // Blocks and tokens/normalization work on every block without trapping.
                let n = Normalizer.normalize(bytes, ranges: b.reasoningRanges)
                XCTAssertEqual(n.originalOffsets.count, n.bytes.count + 1)
            }
        }
    }

    func tally(_ file: String, untaggedIsReasoning: Bool = true, field: String = "text") throws -> Tally {
        let url = try sharedDataDirectory().appendingPathComponent(file)
        var t = Tally()
        for record in try jsonLines(url) {
            t.add(try XCTUnwrap(record[field] as? String), untaggedIsReasoning: untaggedIsReasoning)
        }
        return t
    }

    func testPaperExcerpts() throws {
        let t = try tally("dev/paper_excerpts.jsonl")
        // Cut at 1,000 characters: every text opens a scratchpad, all but one are unclosed (the one that
        // closes has nothing after it); `<SCRATCHPAD_REASONING>`/`<OUTPUT>` mentioned inside reasoning are text.
        XCTAssertEqual(t, Tally(samples: 190, tagged: 190, withScratchpad: 190, withOutput: 0, unclosed: 189, orphan: 0, truncatedTag: 0, tagInCode: 0, scratchpadBlocks: 190, drafts: 0, accepted: 0, rejected: 0))
    }

    func testSyntheticLabelled() throws {
        let t = try tally("dev/synthetic_labelled.jsonl")
        // One closed block each; 15 texts continue with an answer after `</SCRATCHPAD_REASONING>`.
        XCTAssertEqual(t, Tally(samples: 180, tagged: 180, withScratchpad: 180, withOutput: 15, unclosed: 0, orphan: 0, truncatedTag: 0, tagInCode: 0, scratchpadBlocks: 180, drafts: 0, accepted: 0, rejected: 0))
    }

    func testVocabScrubbedPairs() throws {
        let t = try tally("dev/vocab_scrubbed_pairs.jsonl")
        let expected = Tally(samples: 200, tagged: 200, withScratchpad: 200, withOutput: 59, unclosed: 0, orphan: 0, truncatedTag: 0, tagInCode: 0, scratchpadBlocks: 200, drafts: 0, accepted: 0, rejected: 0)
        XCTAssertEqual(t, expected)
        // Scrubbing vocabulary does not change the structure.
        XCTAssertEqual(try tally("dev/vocab_scrubbed_pairs.jsonl", field: "original_text"), expected)
    }

    func testVocabFree() throws {
        let t = try tally("dev/vocab_free.jsonl")
        // No tags at all: each flat text is one untagged reasoning block and no output.
        XCTAssertEqual(t, Tally(samples: 31, tagged: 0, withScratchpad: 31, withOutput: 0, unclosed: 0, orphan: 0, truncatedTag: 0, tagInCode: 0, scratchpadBlocks: 31, drafts: 0, accepted: 0, rejected: 0))
    }

    func testSycophantOrganismAssistantTurns() throws {
        let url = try sharedDataDirectory().appendingPathComponent("dev/sycophant_organism.jsonl")
        var t = Tally()
        for record in try jsonLines(url) {
            let messages = try XCTUnwrap(record["messages"] as? [[String: Any]])
            for m in messages where (m["role"] as? String) == "assistant" {
                t.add(try XCTUnwrap(m["content"] as? String), untaggedIsReasoning: false)
            }
        }
        // `<think> … </think>\n<output> … </output>` in every assistant turn.
        XCTAssertEqual(t, Tally(samples: 319, tagged: 319, withScratchpad: 319, withOutput: 319, unclosed: 0, orphan: 0, truncatedTag: 0, tagInCode: 0, scratchpadBlocks: 319, drafts: 0, accepted: 0, rejected: 0))
    }

    func testResultsLayoutOutputs() throws {
        let data = try sharedDataDirectory()
        var t = Tally()
        for record in try jsonLines(zstdDecompress(data.appendingPathComponent("layout/results_layout.jsonl.zst"))) {
            t.add(try XCTUnwrap(record["output"] as? String), untaggedIsReasoning: false)
        }
        // Doubled tags (`<SCRATCHPAD_REASONING><SCRATCHPAD_REASONING>…`): the inner opening tag is text and
        // the second closing tag is an orphan (98 outputs), which adds a block only when non-blank text
        // precedes it (231 blocks in all). Acceptance markers come from `<OUTPUT>` only.
        XCTAssertEqual(t, Tally(samples: 124, tagged: 124, withScratchpad: 124, withOutput: 124, unclosed: 0, orphan: 98, truncatedTag: 0, tagInCode: 0, scratchpadBlocks: 231, drafts: 0, accepted: 80, rejected: 15))
    }

    func testFirstResultsLayoutRecordExactly() throws {
        let data = try sharedDataDirectory()
        let records = try jsonLines(zstdDecompress(data.appendingPathComponent("layout/results_layout.jsonl.zst")))
        let first = try XCTUnwrap(records.first)
        XCTAssertEqual(first["id"] as? String, "r5-000000000")
        let bytes = utf8(try XCTUnwrap(first["output"] as? String))
        XCTAssertEqual(bytes.count, 2032)
        let x = TagExtractor.extract(bytes, untaggedIsReasoning: false)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .output])
        XCTAssertEqual(x.blocks[0].content, 22..<1192)  // starts with the doubled `<SCRATCHPAD_REASONING>` as text
        XCTAssertEqual(x.blocks[0].outer, 0..<1215)
        XCTAssertEqual(x.blocks[1].content, 1247..<2023)
        XCTAssertEqual(x.acceptance, .accepted)
        XCTAssertEqual(x.acceptanceRange, 1247..<1272)
        XCTAssertTrue(x.orphanClose)  // the second `</SCRATCHPAD_REASONING>` at 1215
        XCTAssertFalse(x.unclosed)
    }

    func testFirstSycophantTurnExactly() throws {
        let url = try sharedDataDirectory().appendingPathComponent("dev/sycophant_organism.jsonl")
        let record = try XCTUnwrap(try jsonLines(url).first)
        let messages = try XCTUnwrap(record["messages"] as? [[String: Any]])
        let bytes = utf8(try XCTUnwrap(messages.last?["content"] as? String))
        XCTAssertEqual(bytes.count, 253)
        let x = TagExtractor.extract(bytes, untaggedIsReasoning: false)
        XCTAssertEqual(x.blocks.map(\.content), [7..<219, 236..<244])
        XCTAssertEqual(String(decoding: bytes[x.blocks[1].content], as: UTF8.self), " passed ")
    }
}
