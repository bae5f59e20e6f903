import Foundation
import RecordFraming
import XCTest

/// Inspect JSON logs: the top-level `samples` array streamed as records, `inspect_eval` added.
final class InspectLogFramingTests: XCTestCase {
    let sniffing = FramingHarness()

    let log = """
    {
      "version": 2,
      "status": "success",
      "eval": {"task": "t\\"x", "dataset": {"samples": 3, "name": "d"}, "task_args": {"model": "not this"}, "model": "m"},
      "plan": {"steps": [{"solver": "generate"}]},
      "samples": [
        {"id": 1, "messages": []},
        { },
        7
      ],
      "reductions": [{"samples": [{"value": 1}]}]
    }

    """

    func offset(_ needle: String, in haystack: String) -> Int64 {
        Int64(haystack.utf8.count - haystack.components(separatedBy: needle).dropFirst().joined(separator: needle).utf8.count - needle.utf8.count)
    }

    func testSamplesAreRecordsAndGainTheEvalsTaskAndModel() {
        let added = #""inspect_eval":{"task":"t\"x","model":"m"}"#
        let result = sniffing.batches(Array(log.utf8))
        XCTAssertEqual(result.mode, .inspectLog)
        // Every split of the input gives the same records (nested "samples" and "model" keys are not taken).
        sniffing.verifySplits(Array(log.utf8), expected: [
            Framed(1, 225, #"{"id": 1, "messages": [],"# + added + "}"),
            Framed(2, 256, "{ " + added + "}"),
            Framed(3, 265, "7"),
        ])
        XCTAssertEqual([#"{"id": 1"#, "{ }", "7\n"].map { offset($0, in: log) }, [225, 256, 265])
    }

    func testALogLargerThanTheRecordLimitIsStillRead() {
        let big = String(repeating: "x", count: 200)
        let text = "{\n \"version\": 2, \"status\": \"success\", \"eval\": {\"task\": \"t\"}, \"plan\": \"\(big)\",\n \"samples\": [{\"a\": \"\(big)\"}, {\"b\": 1}]}"
        let records = FramingHarness(maxRecordBytes: 100).records(text)
        XCTAssertEqual(records.map(\.fault), ["record_too_large", nil])
        XCTAssertEqual(records.last?.text, #"{"b": 1,"inspect_eval":{"task":"t"}}"#)
        XCTAssertEqual(records.last?.offset, offset(#"{"b": 1}"#, in: text))
    }

    func testASampleAndItsAddedMemberFitTheRecordLimitTogether() {
        let text = "{\n \"version\": 2, \"status\": \"success\", \"eval\": {\"task\": \"t\"},\n \"samples\": [{\"b\": 1}]}"
        let record = #"{"b": 1,"inspect_eval":{"task":"t"}}"#
        XCTAssertEqual(record.utf8.count, 36)
        XCTAssertEqual(FramingHarness(maxRecordBytes: 36).records(text).map(\.text), [record])
        XCTAssertEqual(FramingHarness(maxRecordBytes: 35).records(text).map(\.fault), ["record_too_large"])
    }

    func testATruncatedLogRejectsTheSampleItEndsIn() {
        let text = "{\n\"version\": 2, \"status\": \"error\", \"samples\": [{\"id\": 1}, {\"id\": 2, \"mess"
        let records = sniffing.records(text)
        XCTAssertEqual(records, [Framed(1, offset(#"{"id": 1}"#, in: text), #"{"id": 1}"#),
                                 Framed(2, offset(#"{"id": 2"#, in: text), "", fault: "truncated_record")])
    }

    func testNoSamplesGiveNoRecords() {
        XCTAssertEqual(sniffing.records("{\n \"version\": 2, \"status\": \"started\", \"samples\": null}"), [])
        XCTAssertEqual(sniffing.records("{\n \"version\": 2, \"status\": \"started\", \"eval\": {}}"), [])
    }

    func testOtherObjectsAreNotTakenForLogs() {
        // A JSONL line with the same first members: lines mode (a log is pretty-printed).
        let line = #"{"version": 1, "status": "ok", "samples": [1]}"# + "\n"
        let r = sniffing.batches(Array(line.utf8))
        XCTAssertEqual(r.mode, .lines)
        XCTAssertEqual(FramingHarness.flatten(r.batches).count, 1)
        // A pretty-printed document whose first member is not `version`, or whose second is not `status`.
        XCTAssertEqual(sniffing.batches(Array("{\n \"status\": 1,\n \"version\": 2\n}\n".utf8)).mode, .document)
        XCTAssertEqual(sniffing.batches(Array("{\n \"version\": 2,\n \"state\": 1\n}\n".utf8)).mode, .document)
        XCTAssertEqual(sniffing.batches(Array("{\n \"version\": {\"v\": 2},\n \"status\": 1\n}\n".utf8)).mode, .document)
    }
}
