import AfscanCore
import Scratchpad
import SimdJSON
import XCTest

/// Inspect `EvalSample`s: `attachment://` references resolved, redacted reasoning reported, and the
/// `inspect_eval` object (added by InspectEvalLog) kept in the row.
final class InspectSampleTests: XCTestCase {
    let parser = JSONParser()

    func extract(_ json: String, _ mapping: FieldMapping = FieldMapping()) throws -> ExtractedRecord {
        try RecordExtractor(mapping: mapping).extract(try parser.parse(json))
    }

    func text(_ r: ExtractedRecord, _ i: Int) -> String {
        let b = r.blocks[i]
        return b.ranges.map { String(decoding: r.fields[b.field].bytes[$0], as: UTF8.self) }.joined()
    }

    func parse(_ r: ExtractedRecord, _ key: String) -> JSONScalar? { r.parse.first { $0.key == key }?.value }

    func testAttachmentReferencesAreResolved() throws {
        let r = try extract("""
        {"id": "s1", "attachments": {"h1": "long hidden reasoning", "h2": "<think>t</think>final"},
         "messages": [{"role": "user", "content": "attachment://h1"},
                      {"role": "assistant", "content": [{"type": "reasoning", "reasoning": "attachment://h1"},
                                                        {"type": "text", "text": "attachment://h2"}]}]}
        """)
        XCTAssertEqual(r.blocks.map(\.name), ["reasoning#1", "scratchpad#1", "output"])
        XCTAssertEqual(r.fields.map(\.name), ["messages[1].content[0].reasoning", "messages[1].content[1].text"])
        XCTAssertEqual(text(r, 0), "long hidden reasoning")
        XCTAssertEqual(text(r, 1), "t")
        XCTAssertEqual(text(r, 2), "final")
        XCTAssertEqual(r.blocks[2].ranges, [16..<21], "offsets are into the resolved text")
        XCTAssertNil(parse(r, "unresolved_attachments"))
    }

    func testAMissingAttachmentIsCountedAndLeftAsItIs() throws {
        let r = try extract("""
        {"attachments": {}, "messages": [{"role": "assistant", "content": [{"type": "reasoning", "reasoning": "attachment://gone"}]}]}
        """)
        XCTAssertEqual(text(r, 0), "attachment://gone")
        XCTAssertEqual(parse(r, "unresolved_attachments"), .int(1))
    }

    func testWithoutAnAttachmentsObjectTheTextIsLiteral() throws {
        let r = try extract("""
        {"messages": [{"role": "assistant", "content": "attachment://x"}]}
        """)
        XCTAssertEqual(text(r, 0), "attachment://x")
        XCTAssertNil(parse(r, "unresolved_attachments"))
    }

    func testRedactedReasoningIsReportedAndTheEvalIsKept() throws {
        let r = try extract("""
        {"inspect_eval": {"task": "t", "model": "m", "sample_file": "samples/s3_epoch_1.json"}, "id": "s3",
         "messages": [{"role": "assistant", "content": [{"type": "reasoning", "reasoning": "gAAAA", "redacted": true},
                                                        {"type": "text", "text": "Done."}]}]}
        """, FieldMapping(keepFields: ["id"]))
        XCTAssertEqual(r.blocks.map(\.name), ["output"])
        XCTAssertEqual(parse(r, "reasoning_redacted"), .bool(true))
        XCTAssertEqual(parse(r, "unknown_because"), .string("reasoning_redacted"))
        XCTAssertEqual(r.kept.map(\.path), ["id", "inspect_eval"])
        XCTAssertEqual(r.kept.last?.json, #"{"task":"t","model":"m","sample_file":"samples/s3_epoch_1.json"}"#)
    }
}
