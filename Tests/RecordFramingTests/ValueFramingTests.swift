import Foundation
import RecordFraming
import XCTest

final class ValueFramingTests: XCTestCase {
    let array = FramingHarness(mode: .array)

    func testArrayElementsWithTrickyStrings() {
        let input = #" [ {"a":"]}"} , [1,[2,"\"]"]] ,"x,y", 12 ,{"q":"\\"},true ] "#
        // Offsets: `{` at 3, `[1` at 16, `"x,y"` at 31, 12 at 38, `{"q"` at 42, true at 53.
        array.verifySplits(
            Array(input.utf8),
            expected: [
                Framed(1, 3, #"{"a":"]}"}"#), Framed(2, 16, #"[1,[2,"\"]"]]"#), Framed(3, 31, #""x,y""#),
                Framed(4, 38, "12"), Framed(5, 42, #"{"q":"\\"}"#), Framed(6, 53, "true"),
            ])
    }

    func testSniffedArrayAndEmptyArrays() {
        let result = FramingHarness().batches(Array("\n[{\"a\":1},\n {\"b\":2}]\n".utf8))
        XCTAssertEqual(result.mode, .array)
        XCTAssertEqual(FramingHarness.flatten(result.batches), [Framed(1, 2, #"{"a":1}"#), Framed(2, 12, #"{"b":2}"#)])
        array.verifySplits(Array("[]".utf8), expected: [])
        FramingHarness(mode: .array, batchBytes: 1).verifySplits(
            [0xEF, 0xBB, 0xBF] + Array("[1, {}]".utf8), expected: [Framed(1, 4, "1"), Framed(2, 7, "{}")])
        array.verifySplits(Array(" [ \n ] \n".utf8), expected: [])
    }

    func testTruncatedArray() {
        array.verifySplits(
            Array(#"[{"a":1}, {"b":"x"#.utf8),
            expected: [Framed(1, 1, #"{"a":1}"#), Framed(2, 10, "", fault: "truncated_record")])
        // Ended after a complete element but before ',' or ']': the element is still reported truncated.
        array.verifySplits(Array("[{}".utf8), expected: [Framed(1, 1, "", fault: "truncated_record")])
        // Ended between elements: one fault at the end offset.
        array.verifySplits(Array("[1, ".utf8), expected: [Framed(1, 1, "1"), Framed(2, 4, "", fault: "truncated_record")])
    }

    func testGarbageAfterClosingBracket() {
        array.verifySplits(
            Array("[1] \n x [2]".utf8), expected: [Framed(1, 1, "1"), Framed(2, 6, "", fault: "invalid_array")])
        let batch = array.batches(Array("[1] x".utf8)).batches[0]
        XCTAssertEqual(batch.records[1].fault?.detail, "unexpected 'x' after the closing ']'")
    }

    func testGarbageBetweenElements() {
        // `{} x` is one broken element; the scanner resumes at the next ',' at depth 0.
        array.verifySplits(
            Array(#"[{} x,{"s":","},1 2,{}{}]"#.utf8),
            expected: [
                Framed(1, 1, "", fault: "invalid_array"), Framed(2, 6, #"{"s":","}"#),
                Framed(3, 16, "", fault: "invalid_array"), Framed(4, 20, "", fault: "invalid_array"),
            ])
        let batch = array.batches(Array("[{} x]".utf8)).batches[0]
        XCTAssertEqual(batch.records[0].fault?.detail, "unexpected 'x' at byte 4 in array element 1; expected ',' or ']'")
    }

    func testEmptyElementsAndMissingOpenBracket() {
        array.verifySplits(
            Array("[1,,2,]".utf8),
            expected: [
                Framed(1, 1, "1"), Framed(2, 3, "", fault: "invalid_array"), Framed(3, 4, "2"),
                Framed(4, 6, "", fault: "invalid_array"),
            ])
        array.verifySplits(Array(#"  {"a":1}"#.utf8), expected: [Framed(1, 2, "", fault: "invalid_array")])
    }

    func testOversizedElementIsSkipped() {
        let tiny = FramingHarness(mode: .array, maxRecordBytes: 8)
        // Whitespace around an element does not count: `  12345678  ` fits exactly.
        tiny.verifySplits(
            Array(#"[  12345678  ,{"k":"long"},{}]"#.utf8),
            expected: [Framed(1, 3, "12345678"), Framed(2, 14, "", fault: "record_too_large"), Framed(3, 27, "{}")])
        let batch = tiny.batches(Array(#"[{"k":"long"}]"#.utf8)).batches[0]
        XCTAssertEqual(batch.records[0].fault?.detail, "record of 12 bytes exceeds --max-record-bytes (8)")
        XCTAssertEqual(batch.storage.count, RecordBatch.padding)
    }

    func testPrettyPrintedSingleObjectIsADocument() {
        let input = "{\n  \"id\": \"x\",\n  \"nested\": {\"a\": [1, 2]}\n}\n"
        let result = FramingHarness().batches(Array(input.utf8))
        XCTAssertEqual(result.mode, .document)
        FramingHarness().verifySplits(
            Array(input.utf8), expected: [Framed(1, 0, String(input.dropLast()))])
    }

    func testDocumentModeConsecutiveValues() {
        let document = FramingHarness(mode: .document)
        document.verifySplits(
            Array(" {\"a\":\n1}\n[2]\"s\" 3\n{}4".utf8),
            expected: [
                Framed(1, 1, "{\"a\":\n1}"), Framed(2, 10, "[2]"), Framed(3, 13, #""s""#), Framed(4, 17, "3"),
                Framed(5, 19, "{}"), Framed(6, 21, "4"),
            ])
        document.verifySplits(
            Array("{} {\"a\":\"b".utf8), expected: [Framed(1, 0, "{}"), Framed(2, 3, "", fault: "truncated_record")])
    }

    func testSniffing() {
        func mode(_ text: String) -> FramingMode? { FramingHarness().batches(Array(text.utf8)).mode }
        XCTAssertEqual(mode("  [1]"), .array)
        XCTAssertEqual(mode("{\"a\":\"}\\n{\"}\n{}\n"), .lines)
        XCTAssertEqual(mode("{\"a\":1"), .lines, "stream ends inside the first line")
        XCTAssertEqual(mode("{ \"a\":\n1}"), .document)
        XCTAssertEqual(mode("not json\n"), .lines)
        XCTAssertEqual(mode(""), .lines)
        XCTAssertEqual(mode(" \n "), .lines)
        // No decision before the first line is complete.
        let framer = RecordFramer(maxRecordBytes: 100)
        _ = Array("{\"a\":".utf8).withUnsafeBytes { framer.push($0) }
        XCTAssertNil(framer.mode)
        _ = Array("1}".utf8).withUnsafeBytes { framer.push($0) }
        XCTAssertEqual(framer.mode, .lines)
        // A first line longer than maxRecordBytes decides lines mode without waiting for its end.
        let long = RecordFramer(maxRecordBytes: 4)
        _ = Array("{\"abcdef\":".utf8).withUnsafeBytes { long.push($0) }
        XCTAssertEqual(long.mode, .lines)
    }

    func testResultsLayoutArrayFile() throws {
        let url = try FramingHarness.dataDirectory.appendingPathComponent("layout/results_layout_array.json")
        let bytes = [UInt8](try Data(contentsOf: url))
        let framing = FramingHarness(mode: nil, maxRecordBytes: 64 << 20, batchBytes: 100_000)
        // Pushed in 4 KiB chunks, as a reader would.
        let result = framing.batches(bytes, cuts: Array(stride(from: 4096, to: bytes.count, by: 4096)))
        XCTAssertEqual(result.mode, .array)
        let records = result.batches.flatMap(\.records)
        XCTAssertEqual(records.count, 40)
        XCTAssertEqual(records.map(\.recordNumber), Array(1...40))
        XCTAssertTrue(records.allSatisfy { $0.fault == nil })
        XCTAssertEqual(records[0].byteOffset, 6)
        XCTAssertEqual(records[0].range.count, 24_770)
        XCTAssertEqual(records[1].byteOffset, 24_782)
        XCTAssertEqual(records[39].byteOffset, 917_990)
        XCTAssertEqual(records[39].range.count, 20_365)
        // Each element's bytes are exactly the input's bytes at its offset.
        for batch in result.batches {
            for record in batch.records {
                let start = Int(record.byteOffset)
                XCTAssertEqual(batch.storage[record.range], bytes[start..<start + record.range.count])
            }
        }
        // Batches of >= 100,000 bytes: 4 to 5 elements each, never split.
        XCTAssertTrue(result.batches.dropLast().allSatisfy { $0.storage.count - RecordBatch.padding >= 100_000 })
    }
}

/// Sniffing cases found by adversarial testing: a broken first line must never fold later lines.
final class SniffingRegressionTests: XCTestCase {
    func mode(_ text: String) -> FramingMode? { FramingHarness().batches(Array(text.utf8)).mode }

    func testBrokenFirstLineKeepsLinesMode() {
        XCTAssertEqual(mode("{\"id\":\"a\",\n{\"id\":\"b\",\"text\":\"y\"}\n{\"id\":\"c\",\"text\":\"z\"}\n"), .lines)
        XCTAssertEqual(mode("{\"id\":\"a\",\"text\":\"cut mid-str\n{\"id\":\"b\"}\n"), .lines, "raw newline inside a string")
        XCTAssertEqual(mode("{\"a\":1} garbage\n{\"b\":2}\n"), .lines)
    }

    func testArraysPerLineAreJSONL() {
        XCTAssertEqual(mode("[{\"id\":\"a\"}]\n[{\"id\":\"b\"}]\n{\"id\":\"c\"}\n"), .lines)
        XCTAssertEqual(mode("[1,2]\n{\"id\":\"a\"}\n"), .lines)
    }

    func testWholeArraysAndDocumentsStillSniff() {
        XCTAssertEqual(mode("[{\"id\":\"a\"},{\"id\":\"b\"}]"), .array)
        XCTAssertEqual(mode("[{\"id\":\"a\"},{\"id\":\"b\"}]\n\n"), .array)
        XCTAssertEqual(mode("[\n  {\"id\": \"a\"},\n  {\"id\": \"b\"}\n]\n"), .array)
        XCTAssertEqual(mode("[\n  {\"id\": \"a\"}\n] trailing\n"), .array, "garbage after a pretty array: the array framer reports it")
        XCTAssertEqual(mode("{\n  \"id\": \"a\"\n}\n{\n  \"id\": \"b\"\n}\n"), .document)
        XCTAssertEqual(mode("{\n  \"id\": \"a\"\n}"), .document)
        XCTAssertEqual(mode("{\n  \"id\": \"a\"\n} x\n"), .lines)
    }

    func testTheWholeFileIsFramedAsLinesAfterABrokenFirstLine() {
        let text = "{\"id\":\"a\",\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n"
        let result = FramingHarness().batches(Array(text.utf8))
        XCTAssertEqual(result.batches.flatMap(\.records).map(\.recordNumber), [1, 2, 3])
    }

    func testHugeRecordLimitDoesNotOverflow() {
        let framer = RecordFramer(maxRecordBytes: Int.max)
        let batches = Array("{\"a\":1}\n{\"b\":2}\n".utf8).withUnsafeBytes { framer.push($0) } + framer.finish()
        XCTAssertEqual(batches.flatMap(\.records).count, 2)
        XCTAssertEqual(framer.maxRecordBytes, RecordFramer.largestRecordBytes)
    }

    func testTinyRecordsAreCutIntoBoundedBatches() {
        let framer = RecordFramer(maxRecordBytes: 100, batchBytes: 1 << 20)
        let text = String(repeating: "1\n", count: 5000)
        let batches = Array(text.utf8).withUnsafeBytes { framer.push($0) } + framer.finish()
        XCTAssertEqual(batches.map(\.records.count), [1024, 1024, 1024, 1024, 904])
    }
}
