import AfscanCore
import Foundation
import Scratchpad
import SampleView
import SimdJSON
import XCTest

/// `HighlightedSample`: a record's blocks cut into segments at the row's evidence and model-term spans.
final class HighlightedSampleTests: XCTestCase {
    /// A flat record: a scratchpad holding "free tier" (evidence), "comply" (counter-evidence, overlapping a
    /// model term that runs on past it), a multi-byte "é", a draft inside the scratchpad, and an output.
    let text = "<SCRATCHPAD_REASONING>I am on the free tier, café. I comply now.<DRAFT_OUTPUT>d</DRAFT_OUTPUT> Done.</SCRATCHPAD_REASONING><OUTPUT>Sure.</OUTPUT>"

    func record(_ text: String) throws -> ExtractedRecord {
        let json = try JSONSerialization.data(withJSONObject: ["id": "s1", "text": text])
        let parser = JSONParser()
        let root = try parser.parse([UInt8](json))
        // A JSONValue lives as long as its parser.
        return try withExtendedLifetime(parser) { try RecordExtractor(mapping: FieldMapping()).extract(root) }
    }

    func offset(_ needle: String, in text: String) -> Int {
        let r = text.range(of: needle)!
        return text.utf8.distance(from: text.utf8.startIndex, to: r.lowerBound)
    }

    func row(evidence: [[String: Any]], terms: [[String: Any]]) -> SampleRow {
        SampleRow(json: [
            "source": ["file": "x.jsonl", "record": 1, "byte_offset": 0], "id": "s1", "status": "ok", "condition": "training",
            "labels": ["af.goal_guarding": ["score": 0.9, "rank": 0.8, "decision": "yes", "engine": "model"]],
            "evidence": evidence,
            "explanation": ["af.goal_guarding": ["logit": 1.5, "bias": -0.5, "remainder": 0.25, "terms": terms]],
        ])!
    }

    func testSegmentsFollowEvidenceAndModelSpansWithEvidenceWinningOverlaps() throws {
        let rec = try record(text)
        let free = offset("free tier", in: text), comply = offset("comply", in: text)
        XCTAssertEqual(free, 34)
        XCTAssertEqual(comply, 54)
        let r = row(evidence: [
            ["label": "crit.training_awareness", "rule": "ta", "block": "scratchpad#1", "field": "text", "start": free, "end": free + 9, "snippet": "free tier", "polarity": "+"],
            ["label": "crit.decision", "rule": "dec", "block": "scratchpad#1", "field": "text", "start": comply, "end": comply + 6, "snippet": "comply", "polarity": "-"],
        ], terms: [
            ["ngram": "comply now", "contribution": 0.7, "spans": [["block": "scratchpad#1", "field": "text", "start": comply, "end": comply + 10]]],
            ["ngram": "am", "contribution": -0.2, "spans": [["block": "scratchpad#1", "field": "text", "start": 24, "end": 26]]],
        ])
        let view = HighlightedSample(row: r, record: rec)
        XCTAssertEqual(view.mismatchedEvidence, [])
        XCTAssertEqual(view.blocks.map(\.name), ["scratchpad#1", "draft#1", "output"])
        let pad = view.blocks[0]
        XCTAssertEqual(pad.field, "text")
        XCTAssertEqual(pad.segments.map(\.text), ["I ", "am", " on the ", "free tier", ", café. I ", "comply", " now", ".", "…", " Done."])
        XCTAssertEqual(pad.segments.map(\.mark), [nil, .modelDown, nil, .evidence, nil, .counterEvidence, .modelUp, nil, .elision, nil])
        XCTAssertEqual(pad.segments[3].range, 34..<43)
        // "café" is 5 bytes: the segment after it starts 1 byte later than its character count says.
        XCTAssertEqual(pad.segments[5].range, 54..<60)
        XCTAssertEqual(view.blocks[2].segments.map(\.text), ["Sure."])
    }

    func testTruncationCutsOnScalarBoundaryAndEvidenceThatNoLongerMatchesIsReported() throws {
        let rec = try record(text)
        let r = row(evidence: [
            ["label": "x", "rule": "r", "block": "scratchpad#1", "field": "text", "start": 34, "end": 43, "snippet": "free time", "polarity": "+"],
            ["label": "x", "rule": "r", "block": "scratchpad#1", "field": "messages[1].content", "start": 0, "end": 3, "snippet": "abc", "polarity": "+"],
        ], terms: [])
        // 22 + 27 bytes: byte 49 falls inside "é" (bytes 48..<50), so the cut moves back to 48.
        let view = HighlightedSample(row: r, record: rec, maxBlockBytes: 27)
        XCTAssertEqual(view.mismatchedEvidence.map(\.snippet), ["free time", "abc"])
        let pad = view.blocks[0]
        XCTAssertTrue(pad.truncated)
        XCTAssertEqual(pad.segments.map(\.text), ["I am on the ", "free tier", ", caf", "…"])
        XCTAssertEqual(pad.segments.last?.mark, .elision)
    }
}
