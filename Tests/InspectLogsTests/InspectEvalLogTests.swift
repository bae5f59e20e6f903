import AfscanTestSupport
import ArchiveIO
import Foundation
import RecordFraming
import XCTest
@testable import InspectLogs

/// Inspect `.eval` logs: zstd members (written by inspect-ai), stored/deflate members (re-packed), a
/// hand-built multi-frame member and a member with a wrong CRC (scripts/fixtures/make_inspect_fixtures.py).
final class InspectEvalLogTests: XCTestCase {
    func fixture(_ name: String) -> InputSpec {
        InputSpec(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path)
    }

    /// (record number, byte offset, fault reason or nil, the record's JSON object or nil).
    func samples(_ log: InspectEvalLog, maxRecordBytes: Int = 1 << 20) -> [(Int, Int64, String?, [String: Any]?)] {
        var out: [(Int, Int64, String?, [String: Any]?)] = []
        log.forEachSample(maxRecordBytes: maxRecordBytes) { batch in
            for r in batch.records {
                let json = r.fault == nil
                    ? try? JSONSerialization.jsonObject(with: Data(batch.storage[r.range])) as? [String: Any] : nil
                out.append((r.recordNumber, r.byteOffset, r.fault?.reason, json))
            }
            XCTAssertTrue(batch.storage.suffix(RecordBatch.padding).allSatisfy { $0 == 0 }, "simdjson padding")
            return true
        }
        return out
    }

    func testZstdMembersWrittenByInspect() throws {
        let log = try XCTUnwrap(try InspectEvalLog.open(fixture("af-zstd.eval")))
        XCTAssertEqual(log.task, "af_probe")
        XCTAssertEqual(log.model, "mockllm/model")
        XCTAssertEqual(log.sampleNames, ["samples/s1_epoch_1.json", "samples/s2_epoch_1.json", "samples/s3_epoch_1.json"])
        let got = samples(log)
        // Offsets are the members' local headers in the file (Python's ZipInfo.header_offset).
        XCTAssertEqual(got.map(\.0), [1, 2, 3])
        XCTAssertEqual(got.map(\.1), [1057, 3466, 5722])
        XCTAssertEqual(got.map(\.2), [nil, nil, nil])
        XCTAssertEqual(got.map { $0.3?["id"] as? String }, ["s1", "s2", "s3"])
        let eval = got[1].3?["inspect_eval"] as? [String: String]
        XCTAssertEqual(eval, ["task": "af_probe", "model": "mockllm/model", "sample_file": "samples/s2_epoch_1.json"])
    }

    func testStoredAndDeflateMembersReadThroughZIPFoundation() throws {
        let log = try XCTUnwrap(try InspectEvalLog.open(fixture("af-deflate.eval")))
        XCTAssertEqual(log.task, "af_probe")
        let got = samples(log)
        XCTAssertEqual(got.map(\.1), [1003, 3310, 5484])
        XCTAssertEqual(got.map { $0.3?["id"] as? String }, ["s1", "s2", "s3"])
        // The same sample as in the zstd log, byte for byte, once the added member is set aside.
        let zstd = samples(try XCTUnwrap(try InspectEvalLog.open(fixture("af-zstd.eval"))))
        XCTAssertEqual(got.map { NSDictionary(dictionary: $0.3 ?? [:]) }, zstd.map { NSDictionary(dictionary: $0.3 ?? [:]) })
    }

    func testMultiFrameMemberAndABadCRCCostOnlyTheirOwnRecord() throws {
        let log = try XCTUnwrap(try InspectEvalLog.open(fixture("multiframe.eval")))
        XCTAssertEqual(log.model, "openai/gpt-oss-120b")
        let got = samples(log)
        XCTAssertEqual(got.map(\.0), [1, 2])
        XCTAssertEqual(got.map(\.1), [140, 530])
        XCTAssertEqual(got[0].2, nil)
        XCTAssertEqual(got[0].3?["id"] as? String, "m1")
        XCTAssertEqual(got[1].2, "unreadable_member")
        var detail: String?
        log.forEachSample(maxRecordBytes: 1 << 20) { batch in
            if batch.records[0].recordNumber == 2 { detail = batch.records[0].fault?.detail }
            return true
        }
        XCTAssertEqual(detail, "samples/bad_epoch_1.json: CRC-32 mismatch (stored a4828951, computed a4828950)")
    }

    func testASampleOverTheRecordLimitIsRejectedUnread() throws {
        let log = try XCTUnwrap(try InspectEvalLog.open(fixture("af-zstd.eval")))
        var faults: [FramingFault?] = []
        log.forEachSample(maxRecordBytes: 1000) { batch in
            faults.append(batch.records[0].fault)
            return true
        }
        XCTAssertEqual(faults.map { $0?.reason }, ["record_too_large", "record_too_large", "record_too_large"])
        XCTAssertEqual(faults[0]?.detail.hasPrefix("samples/s1_epoch_1.json: sample of "), true)
        XCTAssertEqual(faults[0]?.detail.hasSuffix(" bytes (99 more with inspect_eval) exceeds --max-record-bytes (1000)"), true, faults[0]?.detail ?? "")
    }

    func testASampleAndItsAddedMemberFitTheRecordLimitTogether() throws {
        let log = try XCTUnwrap(try InspectEvalLog.open(fixture("af-zstd.eval")))
        func first(_ limit: Int) -> FramedRecord? {
            var record: FramedRecord?
            log.forEachSample(maxRecordBytes: limit) { batch in
                record = batch.records[0]
                return false
            }
            return record
        }
        // samples/s1_epoch_1.json holds 7737 bytes; the record adds 99 (inspect_eval and a comma).
        XCTAssertEqual(first(7836)?.range.count, 7836)
        XCTAssertNil(first(7836)?.fault)
        XCTAssertEqual(first(7835)?.fault?.reason, "record_too_large")
    }

    func testOtherInputsAreNotOpenedAndOtherZipsAreOneFault() throws {
        let dir = TestPaths.temporaryDirectory("inspect")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("x.jsonl")
        try Data("{\"id\": 1}\n".utf8).write(to: text)
        XCTAssertNil(try InspectEvalLog.open(InputSpec(path: text.path)))
        XCTAssertNil(try InspectEvalLog.open(.standardInput))
        // A ZIP of other files: not an Inspect log.
        let zip = try runProcess("/usr/bin/env", ["zip", "-q", "-j", "-", text.path])
        guard zip.status == 0 else { throw XCTSkip("zip is not installed") }
        let path = dir.appendingPathComponent("other.zip").path
        try zip.stdout.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try InspectEvalLog.open(InputSpec(path: path))) { error in
            XCTAssertEqual((error as? ArchiveError)?.code, .unsupportedFormat)
            XCTAssertEqual((error as? ArchiveError)?.description,
                           "\(path): cannot read this input: it is a ZIP archive but not an Inspect log (no header.json, no samples/*.json); unzip it and name the JSON/JSONL files inside")
        }
    }

    func testALogCutShortIsOneFaultNamingIt() throws {
        let dir = TestPaths.temporaryDirectory("inspect-cut")
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = try Data(contentsOf: URL(fileURLWithPath: fixture("af-zstd.eval").path!))
        let path = dir.appendingPathComponent("cut.eval").path
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try InspectEvalLog.open(InputSpec(path: path))) { error in
            let e = error as? ArchiveError
            XCTAssertEqual(e?.code, .corrupt)
            XCTAssertEqual(e?.message.hasPrefix("cannot read this ZIP archive's directory ("), true, e?.message ?? "")
            XCTAssertEqual(e?.message.hasSuffix("); is the .eval log complete?"), true, e?.message ?? "")
        }
    }

    func testEvalFieldsAreAddedInFrontOfTheSample() throws {
        let log = try XCTUnwrap(try InspectEvalLog.open(fixture("multiframe.eval")))
        func added(_ s: String) -> String { String(decoding: log.withEvalFields(Array(s.utf8), sampleFile: "samples/a\"b.json"), as: UTF8.self) }
        let head = #"{"inspect_eval":{"task":"hand_built","model":"openai/gpt-oss-120b","sample_file":"samples/a\"b.json"}"#
        XCTAssertEqual(added(#" { "id": 1}"#), head + #","id": 1}"#)
        XCTAssertEqual(added("{ }"), head + "}")
        XCTAssertEqual(added("[1]"), "[1]", "not an object: left for the parser to reject")
    }
}
