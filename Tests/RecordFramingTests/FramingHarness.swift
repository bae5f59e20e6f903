import AfscanTestSupport
import Foundation
import RecordFraming
import XCTest

/// One framed record, flattened out of its batch for comparison.
struct Framed: Hashable, CustomStringConvertible {
    var number: Int
    var offset: Int64
    var text: String
    var fault: String?

    init(_ number: Int, _ offset: Int64, _ text: String, fault: String? = nil) {
        self.number = number
        self.offset = offset
        self.text = text
        self.fault = fault
    }

    var description: String { "#\(number)@\(offset) \(fault ?? text.debugDescription)" }
}

/// Drives a `RecordFramer` and checks the batch invariants on everything it returns.
struct FramingHarness {
    var mode: FramingMode?
    var maxRecordBytes = 1 << 20
    var batchBytes = 1 << 20

    /// Frames `input` pushed in pieces cut at `cuts` (sorted positions); returns the batches and the mode.
    func batches(_ input: [UInt8], cuts: [Int] = [], file: StaticString = #filePath, line: UInt = #line)
        -> (batches: [RecordBatch], mode: FramingMode?)
    {
        let framer = RecordFramer(mode: mode, maxRecordBytes: maxRecordBytes, batchBytes: batchBytes)
        var out: [RecordBatch] = []
        var start = 0
        for cut in cuts + [input.count] {
            input[start..<cut].withUnsafeBytes { out += framer.push($0) }
            start = cut
        }
        out += framer.finish()
        for batch in out { Self.checkInvariants(batch, file: file, line: line) }
        return (out, framer.mode)
    }

    func records(_ input: [UInt8], cuts: [Int] = [], file: StaticString = #filePath, line: UInt = #line) -> [Framed] {
        Self.flatten(batches(input, cuts: cuts, file: file, line: line).batches)
    }

    func records(_ input: String, file: StaticString = #filePath, line: UInt = #line) -> [Framed] {
        records(Array(input.utf8), file: file, line: line)
    }

    static func flatten(_ batches: [RecordBatch]) -> [Framed] {
        batches.flatMap { batch in
            batch.records.map { record in
                Framed(
                    record.recordNumber, record.byteOffset,
                    String(decoding: batch.storage[record.range], as: UTF8.self), fault: record.fault?.reason)
            }
        }
    }

    /// Non-empty batches; fault records have empty ranges; ranges are in order and inside storage; at least
    /// `RecordBatch.padding` zero bytes follow the last record.
    static func checkInvariants(_ batch: RecordBatch, file: StaticString, line: UInt) {
        XCTAssertFalse(batch.records.isEmpty, "empty batch", file: file, line: line)
        var previousEnd = 0
        for record in batch.records {
            if record.fault != nil { XCTAssertTrue(record.range.isEmpty, file: file, line: line) }
            XCTAssertGreaterThanOrEqual(record.range.lowerBound, previousEnd, file: file, line: line)
            previousEnd = record.range.upperBound
        }
        XCTAssertGreaterThanOrEqual(batch.storage.count - previousEnd, RecordBatch.padding, file: file, line: line)
        XCTAssertTrue(batch.storage.suffix(RecordBatch.padding).allSatisfy { $0 == 0 }, file: file, line: line)
    }

    /// The ByteToMessageDecoderVerifier idea: the same input pushed whole, split in two at every
    /// position, split in three at every pair of positions (short inputs), and one byte at a time must give
    /// identical records.
    func verifySplits(_ input: [UInt8], expected: [Framed], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(records(input, file: file, line: line), expected, "whole", file: file, line: line)
        for cut in 0...input.count {
            let got = records(input, cuts: [cut], file: file, line: line)
            if got != expected {
                XCTFail("split at \(cut): \(got) != \(expected)", file: file, line: line)
                return
            }
        }
        if input.count <= 80 {
            for a in 0...input.count {
                for b in a...input.count where records(input, cuts: [a, b], file: file, line: line) != expected {
                    XCTFail("split at \(a), \(b) differs", file: file, line: line)
                    return
                }
            }
        }
        let drip = records(input, cuts: Array(0...input.count), file: file, line: line)
        XCTAssertEqual(drip, expected, "one byte at a time", file: file, line: line)
    }

    static var dataDirectory: URL {
        get throws {
            guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
            return data
        }
    }
}
