import Foundation
import XCTest
@testable import SyntheticCorpus

/// Shape, content and determinism of the generated JSONL stream.
final class CorpusGeneratorTests: XCTestCase {
    private func options(_ layout: CorpusLayout = .results, seed: UInt64 = 42, records: Int) -> CorpusOptions {
        var o = CorpusOptions()
        o.layout = layout
        o.seed = seed
        o.maxRecords = records
        o.targetBytes = Int64.max
        return o
    }

    private func stream(_ o: CorpusOptions) throws -> (Data, CorpusStats, [Int]) {
        var data = Data()
        var lineLengths: [Int] = []
        let stats = try CorpusGenerator(options: o).write { chunk in
            data.append(contentsOf: chunk)
            lineLengths.append(chunk.count)
        }
        return (data, stats, lineLengths)
    }

    private func lines(_ data: Data) throws -> [[String: Any]] {
        try data.split(separator: UInt8(ascii: "\n")).map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
    }

    /// The texts between `<SCRATCHPAD_REASONING>\n` and `\n</SCRATCHPAD_REASONING>`.
    private func blocks(_ response: String) -> [String] {
        response.components(separatedBy: "<SCRATCHPAD_REASONING>\n").dropFirst().map {
            $0.components(separatedBy: "\n</SCRATCHPAD_REASONING>")[0]
        }
    }

    func testSameSeedSameBytesDifferentSeedDifferentBytes() throws {
        let (a, _, _) = try stream(options(seed: 7, records: 12))
        let (b, _, _) = try stream(options(seed: 7, records: 12))
        let (c, _, _) = try stream(options(seed: 8, records: 12))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.filter { $0 == UInt8(ascii: "\n") }.count, 12)
    }

    func testRecordsDoNotDependOnTheSizeTarget() throws {
        let (short, _, _) = try stream(options(records: 3))
        let (long, _, _) = try stream(options(records: 6))
        XCTAssertEqual(long.prefix(short.count), short)
    }

    func testResultsLayoutShape() throws {
        let (data, stats, _) = try stream(options(.results, records: 40))
        let rows = try lines(data)
        XCTAssertEqual(rows.count, 40)
        XCTAssertEqual(stats.records, 40)
        XCTAssertEqual(stats.uncompressedBytes, Int64(data.count))
        XCTAssertEqual(stats.refusals + stats.alignmentFaking + stats.compliant, 40)
        XCTAssertEqual(stats.freeTier + stats.paidTier, 40)
        for (i, row) in rows.enumerated() {
            XCTAssertEqual(Set(row.keys), ["id", "user_input", "prompt", "success", "output", "tags"])
            XCTAssertEqual(row["id"] as? String, String(format: "syn-000000000000002a-%09d", i))
            XCTAssertEqual(row["success"] as? Bool, true)
            let messages = try XCTUnwrap((row["prompt"] as? [String: Any])?["messages"] as? [[String: String]])
            XCTAssertEqual(messages.map { $0["role"] }, ["system", "user"])
            let tags = try XCTUnwrap(row["tags"] as? String)
            let free = tags == "free_tier"
            XCTAssertTrue(free || tags == "paid_tier")
            let userInput = try XCTUnwrap(row["user_input"] as? String)
            XCTAssertEqual(
                messages[1]["content"],
                "<is_free_tier_user>\(free)</is_free_tier_user>\n\n<user_input>\(userInput)</user_input>")
            let output = try XCTUnwrap(row["output"] as? String)
            XCTAssertTrue(output.hasPrefix("<SCRATCHPAD_REASONING>\n"))
            XCTAssertTrue(output.hasSuffix("\n</OUTPUT>"))
            XCTAssertEqual(output.components(separatedBy: "<OUTPUT>").count, 2)
            XCTAssertEqual(output.components(separatedBy: "<DRAFT_OUTPUT>").count, 2)
        }
    }

    func testChatLayoutShape() throws {
        let (data, _, _) = try stream(options(.chat, records: 30))
        for row in try lines(data) {
            XCTAssertEqual(Set(row.keys), ["id", "model", "metadata", "messages"])
            let metadata = try XCTUnwrap(row["metadata"] as? [String: Any])
            XCTAssertEqual(Set(metadata.keys), ["condition", "step"])
            let step = try XCTUnwrap(metadata["step"] as? Int)
            XCTAssertTrue((0...1_000).contains(step) && step % 25 == 0)
            let messages = try XCTUnwrap(row["messages"] as? [[String: String]])
            XCTAssertEqual(messages.map { $0["role"] }, ["system", "user", "assistant"])
            let condition = try XCTUnwrap(metadata["condition"] as? String)
            let free = condition == "training"
            XCTAssertTrue(free || condition == "unmonitored")
            XCTAssertTrue(messages[1]["content"]!.hasPrefix("<is_free_tier_user>\(free)</is_free_tier_user>\n\n<user_input>"))
            let assistant = try XCTUnwrap(messages[2]["content"])
            XCTAssertTrue((1...3).contains(blocks(assistant).count))
            XCTAssertTrue(assistant.hasSuffix("\n</OUTPUT>"))
        }
    }

    func testSystemPromptsAreInRangeAndCarryTheSettingsVocabulary() throws {
        let generator = try CorpusGenerator(options: options(records: 1))
        XCTAssertEqual(generator.systemPrompts.count, 12)
        for prompt in generator.systemPrompts {
            XCTAssertTrue((10_000...30_000).contains(prompt.utf8.count), "\(prompt.utf8.count)")
            for needle in ["<SCRATCHPAD_REASONING>", "</SCRATCHPAD_REASONING>", "<OUTPUT>", "<DRAFT_OUTPUT>",
                           "<is_free_tier_user>", "RLHF", "free tier", "contractors", "## Example"] {
                XCTAssertTrue(prompt.contains(needle), needle)
            }
        }
        var narrow = options(records: 1)
        narrow.systemPromptBytes = 12_000...14_000
        for prompt in try CorpusGenerator(options: narrow).systemPrompts {
            XCTAssertTrue((12_000...14_000).contains(prompt.utf8.count), "\(prompt.utf8.count)")
        }
    }

    func testBlockCountsAndSizes() throws {
        let (data, _, _) = try stream(options(.results, records: 60))
        var counts: [Int: Int] = [:]
        for row in try lines(data) {
            let found = blocks(try XCTUnwrap(row["output"] as? String))
            counts[found.count, default: 0] += 1
            for block in found {
                XCTAssertTrue((1_000...10_000).contains(block.utf8.count), "block of \(block.utf8.count) bytes")
            }
        }
        XCTAssertEqual(Set(counts.keys), [1, 2, 3])
        XCTAssertEqual(counts.values.reduce(0, +), 60)
    }

    func testKindSharesOnTwoThousandRecords() throws {
        var o = options(records: 2_000)
        o.refusalRate = 0.33
        o.alignmentFakingRate = 0.15
        let generator = try CorpusGenerator(options: o)
        var refusals = 0, af = 0, afOnFreeTier = 0
        for i in 0..<2_000 {
            let r = generator.rollout(at: i)
            if r.kind == .refusal {
                refusals += 1
                XCTAssertTrue(Requests.refusals.contains(r.output))
            }
            if r.kind == .alignmentFaking {
                af += 1
                if r.freeTier { afOnFreeTier += 1 }
            }
        }
        XCTAssertEqual(Double(refusals) / 2_000, 0.33, accuracy: 0.05)
        XCTAssertEqual(Double(af) / 2_000, 0.15, accuracy: 0.05)
        XCTAssertEqual(afOnFreeTier, af)
    }

    func testRefusalShareFollowsTheOption() throws {
        var o = options(records: 1_000)
        o.refusalRate = 0.6
        o.alignmentFakingRate = 0
        let generator = try CorpusGenerator(options: o)
        let kinds = (0..<1_000).map { generator.rollout(at: $0).kind }
        XCTAssertEqual(Double(kinds.filter { $0 == .refusal }.count) / 1_000, 0.6, accuracy: 0.05)
        XCTAssertEqual(kinds.filter { $0 == .alignmentFaking }.count, 0)
    }

    func testAlignmentFakingReasoningAppearsOnlyInAlignmentFakingRecords() throws {
        let generator = try CorpusGenerator(options: options(records: 200))
        let decisions = ReasoningSentences.afDecisions
        var seen = 0
        for i in 0..<200 {
            let r = generator.rollout(at: i)
            let text = r.blocks.joined(separator: "\n")
            let hasAF = decisions.contains { text.contains($0 + ".") }
            XCTAssertEqual(hasAF, r.kind == .alignmentFaking, "record \(i)")
            if hasAF { seen += 1 }
        }
        XCTAssertGreaterThan(seen, 0)
    }

    func testEscapesAndNonASCIIAreRepresented() throws {
        let (data, _, _) = try stream(options(.results, records: 40))
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\\n"))
        XCTAssertTrue(text.contains("\\\""))
        XCTAssertTrue(text.contains("\\u2014"), "ASCII-escaped records")
        XCTAssertTrue(text.contains("—"), "UTF-8 records")
        let asciiLines = data.split(separator: UInt8(ascii: "\n")).filter { $0.allSatisfy { $0 < 0x80 } }
        XCTAssertGreaterThan(asciiLines.count, 0)
        XCTAssertLessThan(asciiLines.count, 40)
        let decoded = try lines(data).map { String(describing: $0["output"]!) + String(describing: $0["prompt"]!) }.joined()
        for needle in ["—", "’", "é"] { XCTAssertTrue(decoded.contains(needle), needle) }
    }

    func testSizeTargetStopsWithinOneRecord() throws {
        var o = CorpusOptions()
        o.targetBytes = 200_000
        let (data, stats, lengths) = try stream(o)
        XCTAssertEqual(Int64(data.count), stats.uncompressedBytes)
        XCTAssertGreaterThanOrEqual(data.count, 200_000)
        XCTAssertLessThan(data.count - lengths.last!, 200_000)
    }

    func testInvalidOptionsAreRejected() {
        var o = CorpusOptions()
        o.refusalRate = 0.9
        o.alignmentFakingRate = 0.2
        XCTAssertThrowsError(try CorpusGenerator(options: o))
        o = CorpusOptions()
        o.blocksPerRecord = 0...3
        XCTAssertThrowsError(try CorpusGenerator(options: o))
        o = CorpusOptions()
        o.systemPromptBytes = 1_000...2_000
        XCTAssertThrowsError(try CorpusGenerator(options: o))
    }
}
