import RecordFraming
import XCTest

final class LinesFramingTests: XCTestCase {
    let lines = FramingHarness(mode: .lines)

    func testBlankLinesCRLFAndFinalLineWithoutNewline() {
        // Offsets: line 1 at 0 (7 bytes + LF), line 2 at 8 (blank), line 3 at 9 ("  \t" + LF),
        // line 4 at 13 (7 bytes + CRLF), line 5 at 22 (no LF at the end).
        let input = "{\"a\":1}\n\n  \t\n{\"b\":2}\r\n{\"c\":3}"
        lines.verifySplits(
            Array(input.utf8),
            expected: [Framed(1, 0, #"{"a":1}"#), Framed(4, 13, #"{"b":2}"#), Framed(5, 22, #"{"c":3}"#)])
    }

    func testTrailingNewlineAndCROnlyLines() {
        lines.verifySplits(Array("\r\n{}\r\n\r\n".utf8), expected: [Framed(2, 2, "{}")])
        XCTAssertEqual(lines.records(""), [])
        XCTAssertEqual(lines.records("\n\n"), [])
    }

    func testInvalidJSONLineIsStillARecord() {
        let input = "{\"id\":1}\n{\"id\": oops\n{\"id\":3}\n"
        let framing = FramingHarness()  // sniffed
        let result = framing.batches(Array(input.utf8))
        XCTAssertEqual(result.mode, .lines)
        XCTAssertEqual(
            FramingHarness.flatten(result.batches),
            [Framed(1, 0, #"{"id":1}"#), Framed(2, 9, #"{"id": oops"#), Framed(3, 21, #"{"id":3}"#)])
    }

    func testOversizedLinesAreFaultsAndNotBuffered() {
        // Limit 8: "123456789" (9) is too large; "12345678" + CR (8 of content) fits; 9 + CR does not.
        let tiny = FramingHarness(mode: .lines, maxRecordBytes: 8)
        let input = "123456789\n{}\n12345678\r\n123456789\r\n" + String(repeating: "x", count: 100)
        tiny.verifySplits(
            Array(input.utf8),
            expected: [
                Framed(1, 0, "", fault: "record_too_large"), Framed(2, 10, "{}"), Framed(3, 13, "12345678"),
                Framed(4, 23, "", fault: "record_too_large"), Framed(5, 34, "", fault: "record_too_large"),
            ])
        let batches = tiny.batches(Array(input.utf8)).batches
        XCTAssertEqual(batches.count, 1)
        // Only "{}" and "12345678" were stored (plus padding); the oversized bytes never were.
        XCTAssertEqual(batches[0].storage.count, 10 + RecordBatch.padding)
        XCTAssertEqual(batches[0].records[0].fault?.detail, "record of 9 bytes exceeds --max-record-bytes (8)")
        XCTAssertEqual(batches[0].records[4].fault?.detail, "record of 100 bytes exceeds --max-record-bytes (8)")
    }

    func testBOMIsSkippedAndCountsInOffsets() {
        let input: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}\n{}\n".utf8)
        FramingHarness().verifySplits(input, expected: [Framed(1, 3, #"{"a":1}"#), Framed(2, 11, "{}")])
        lines.verifySplits(input, expected: [Framed(1, 3, #"{"a":1}"#), Framed(2, 11, "{}")])
        // A partial BOM is data.
        FramingHarness().verifySplits([0xEF, 0xBB, 0x0A, 0x7B, 0x7D], expected: [Framed(1, 0, "\u{FFFD}"), Framed(2, 3, "{}")])
    }

    func testBatchesAreCutAtRecordBoundaries() {
        // Each record is 10 bytes; batches close once they hold >= 25 bytes, i.e. after 3 records.
        let input = (1...7).map { String(format: "{\"n\":%04d}\n", $0) }.joined()
        let small = FramingHarness(mode: .lines, batchBytes: 25)
        let batches = small.batches(Array(input.utf8)).batches
        XCTAssertEqual(batches.map { $0.records.map(\.recordNumber) }, [[1, 2, 3], [4, 5, 6], [7]])
        XCTAssertEqual(batches.map { $0.records.map(\.range) }, [[0..<10, 10..<20, 20..<30], [0..<10, 10..<20, 20..<30], [0..<10]])
        XCTAssertEqual(batches[1].records[0].byteOffset, 33)
        XCTAssertEqual(batches.map(\.storage.count), [30 + 64, 30 + 64, 10 + 64])
        // A record larger than batchBytes is a batch of its own.
        let big = "{\"k\":\"" + String(repeating: "z", count: 40) + "\"}\n{}\n"
        let bigBatches = small.batches(Array(big.utf8)).batches
        XCTAssertEqual(bigBatches.map { $0.records.map(\.recordNumber) }, [[1], [2]])
        // With one record per batch, every chunking still gives the same records.
        FramingHarness(mode: .lines, batchBytes: 1).verifySplits(
            Array("{}\n\n[1]\r\nx".utf8), expected: [Framed(1, 0, "{}"), Framed(3, 4, "[1]"), Framed(4, 9, "x")])
    }
}
