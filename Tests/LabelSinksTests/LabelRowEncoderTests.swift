import AfscanCore
import XCTest

@testable import LabelSinks

final class LabelRowEncoderTests: XCTestCase {
    static func fullRecord() -> LabelRecord {
        LabelRecord(
            source: SourceRef(file: "dev/a.jsonl.zst", record: 17, byteOffset: 40960),
            id: "s-1", status: .ok, condition: .training,
            fields: [(path: "label", json: #""af""#), (path: "metadata.step", json: "12")],
            labels: [
                (name: "af.goal_guarding", value: LabelValue(score: 0.63, rank: 0.71, decision: .yes)),
                (name: "out.compliance", value: LabelValue(score: 0.8, decision: .yes, value: "complied")),
                (name: "crit.preservation", value: LabelValue(score: 0.4, rank: 0.45678, decision: .maybe, routeToJudge: true)),
            ],
            evidence: [
                Evidence(
                    label: "af.goal_guarding", rule: "P1.purpose", block: "scratchpad#1", field: "output",
                    start: 120, end: 168, snippet: "to avoid \"modification\"\n", polarity: "+"),
                Evidence(
                    label: "crit.preservation", rule: "echo", block: "scratchpad#2", field: "output",
                    start: 300, end: 310, snippet: "RLHF\u{2028}é", polarity: "-"),
            ],
            parse: [
                (key: "carriers", value: .string("output")), (key: "scratchpad_blocks", value: .int(2)),
                (key: "unclosed", value: .bool(false)), (key: "ratio", value: .double(0.125)), (key: "why", value: .null),
            ],
            flags: [(key: "condition_conflict", value: .bool(false)), (key: "decision_flips", value: .int(1))],
            rulesHash: "abc123")
    }

    func testFullRowExactBytes() {
        let expected =
            #"{"source":{"file":"dev/a.jsonl.zst","record":17,"byte_offset":40960},"id":"s-1","status":"ok","#
            + #""condition":"training","fields":{"label":"af","metadata.step":12},"#
            + #""labels":{"af.goal_guarding":{"score":0.63,"rank":0.71,"decision":"yes"},"#
            + #""out.compliance":{"score":0.8,"rank":0.8,"decision":"yes","value":"complied"},"#
            + #""crit.preservation":{"score":0.4,"rank":0.4568,"decision":"maybe","route_to_judge":true}},"#
            + #""evidence":[{"label":"af.goal_guarding","rule":"P1.purpose","block":"scratchpad#1","field":"output","#
            + #""start":120,"end":168,"snippet":"to avoid \"modification\"\n","polarity":"+"},"#
            + #"{"label":"crit.preservation","rule":"echo","block":"scratchpad#2","field":"output","#
            + #""start":300,"end":310,"snippet":"RLHF\u2028é","polarity":"-"}],"#
            + #""parse":{"carriers":"output","scratchpad_blocks":2,"unclosed":false,"ratio":0.125,"why":null},"#
            + #""flags":{"condition_conflict":false,"decision_flips":1},"rules_hash":"abc123"}"# + "\n"
        let bytes = LabelRowEncoder().encode(Self.fullRecord())
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), expected)
    }

    /// The explanation of a model label, exact bytes: spans switch between blocks and fields (the
    /// encoder reuses the encoded block and field of the previous span only while both stay the same),
    /// names are escaped, numbers have 6 decimals.
    func testExplanationExactBytes() {
        var record = LabelRecord(source: SourceRef(file: "a", record: 1, byteOffset: 0), status: .ok, rulesHash: "h")
        record.modelHash = "m"
        let pad = ModelExplanation.Span(block: "scratchpad#1", field: "text", start: 5, end: 12)
        record.explanations = [ModelExplanation(
            label: "af.goal_guarding", logit: 1.25, bias: -0.5, remainder: 0.0000004,
            terms: [
                ModelExplanation.Term(ngram: "avoid \"being\" modified", contribution: 0.75, spans: [
                    pad,
                    ModelExplanation.Span(block: "scratchpad#1", field: "text", start: 100_000, end: 100_013),
                    ModelExplanation.Span(block: "output", field: "messages[2].content", start: 0, end: 9),
                    ModelExplanation.Span(block: "scratchpad#1", field: "messages[2].content", start: 40, end: 47),
                    pad,
                ]),
                ModelExplanation.Term(ngram: "rlhf", contribution: -0.000001, spans: []),
            ])]
        let row = String(decoding: LabelRowEncoder().encode(record), as: UTF8.self)
        let expected = #","explanation":{"af.goal_guarding":{"logit":1.25,"bias":-0.5,"remainder":0,"terms":["#
            + #"{"ngram":"avoid \"being\" modified","contribution":0.75,"spans":["#
            + #"{"block":"scratchpad#1","field":"text","start":5,"end":12},"#
            + #"{"block":"scratchpad#1","field":"text","start":100000,"end":100013},"#
            + #"{"block":"output","field":"messages[2].content","start":0,"end":9},"#
            + #"{"block":"scratchpad#1","field":"messages[2].content","start":40,"end":47},"#
            + #"{"block":"scratchpad#1","field":"text","start":5,"end":12}]},"#
            + #"{"ngram":"rlhf","contribution":-0.000001,"spans":[]}]}},"rules_hash":"h","model_hash":"m"}"#
            + "\n"
        XCTAssertTrue(row.hasSuffix(expected), row)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(row.utf8)))
    }

    func testRejectedRowCarriesReasonAndDetailAndEmptyMaps() {
        let record = LabelRecord(
            source: SourceRef(file: "-", record: 3, byteOffset: 812), status: .rejected,
            reason: "invalid_json", detail: "byte 12: unexpected '}'", rulesHash: "abc123")
        let expected =
            #"{"source":{"file":"-","record":3,"byte_offset":812},"id":null,"status":"rejected","#
            + #""reason":"invalid_json","detail":"byte 12: unexpected '}'","condition":"unknown","#
            + #""fields":{},"labels":{},"evidence":[],"parse":{},"flags":{},"rules_hash":"abc123"}"# + "\n"
        XCTAssertEqual(String(decoding: LabelRowEncoder().encode(record), as: UTF8.self), expected)
    }

    func testRejectedRowWithoutDetailWritesNull() {
        let record = LabelRecord(
            source: SourceRef(file: "x", record: 1, byteOffset: 0), status: .rejected, reason: "no_text_field",
            rulesHash: "h")
        let text = String(decoding: LabelRowEncoder().encode(record), as: UTF8.self)
        XCTAssertTrue(text.contains(#""status":"rejected","reason":"no_text_field","detail":null,"condition""#), text)
    }

    func testOkRowNeverCarriesReasonEvenIfSet() {
        var record = Self.fullRecord()
        record.reason = "stale"
        record.detail = "stale"
        let text = String(decoding: LabelRowEncoder().encode(record), as: UTF8.self)
        XCTAssertFalse(text.contains("reason"))
        XCTAssertFalse(text.contains("detail"))
    }

    func testNonFiniteScoresNeverReachTheRow() {
        let record = LabelRecord(
            source: SourceRef(file: "x", record: 1, byteOffset: 0), status: .ok,
            labels: [(name: "a", value: LabelValue(score: .nan, rank: .infinity, decision: .no))],
            parse: [(key: "d", value: .double(-.infinity))], rulesHash: "h")
        let text = String(decoding: LabelRowEncoder().encode(record), as: UTF8.self)
        XCTAssertTrue(text.contains(#""a":{"score":0,"rank":1,"decision":"no"}"#), text)
        XCTAssertTrue(text.contains(#""parse":{"d":-9000000000000}"#), text)
    }

    func testUnusualPolarityIsWrittenAsItsCharacter() {
        var record = Self.fullRecord()
        record.evidence = [Evidence(label: "l", rule: "r", block: "output", field: "output", start: 0, end: 1, snippet: "x", polarity: "~")]
        let text = String(decoding: LabelRowEncoder().encode(record), as: UTF8.self)
        XCTAssertTrue(text.contains(#""evidence":[{"label":"l","rule":"r","block":"output","field":"output","start":0,"end":1,"snippet":"x","polarity":"~"}],"parse""#), text)
    }

    func testAppendReusesBufferAndIsDeterministic() {
        let encoder = LabelRowEncoder()
        var buffer: [UInt8] = []
        encoder.append(Self.fullRecord(), to: &buffer)
        let one = buffer.count
        encoder.append(Self.fullRecord(), to: &buffer)
        XCTAssertEqual(buffer.count, 2 * one)
        XCTAssertEqual(Array(buffer[0..<one]), Array(buffer[one...]))
        XCTAssertEqual(buffer.filter { $0 == 0x0A }.count, 2)
    }

    func testRowParsesAsJSONWithTheExpectedValues() throws {
        let bytes = LabelRowEncoder().encode(Self.fullRecord())
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let labels = try XCTUnwrap(object["labels"] as? [String: Any])
        let af = try XCTUnwrap(labels["af.goal_guarding"] as? [String: Any])
        XCTAssertEqual(af["decision"] as? String, "yes")
        let evidence = try XCTUnwrap(object["evidence"] as? [[String: Any]])
        XCTAssertEqual(evidence.count, 2)
        XCTAssertEqual(evidence[1]["snippet"] as? String, "RLHF\u{2028}é")
        XCTAssertEqual(evidence[0]["snippet"] as? String, "to avoid \"modification\"\n")
    }
}
