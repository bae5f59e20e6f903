import AfscanTestSupport
import Foundation
import XCTest

/// `afscan label` on gzip inputs and on inputs it cannot read.
final class InputFormatCommandTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("inputformat-cli") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func summary(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func testGzipShardIsLabelledLikeItsPlainText() throws {
        let text = Data("""
        {"id": "a", "text": "<SCRATCHPAD_REASONING>I will refuse.</SCRATCHPAD_REASONING><OUTPUT><rejected/></OUTPUT>"}
        {"id": "b", "text": "<think>fine</think>"}

        """.utf8)
        let plain = dir.appendingPathComponent("x.jsonl"), gz = dir.appendingPathComponent("x.jsonl.gz")
        try text.write(to: plain)
        let z = try runProcess("/usr/bin/env", ["gzip", "-c", "-n"], stdin: text)
        try z.stdout.write(to: gz)
        let a = try AfscanBinary.run(["label", plain.path, "-q"]), b = try AfscanBinary.run(["label", gz.path, "-q"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        let rowsA = try jsonLines(a.stdout), rowsB = try jsonLines(b.stdout)
        XCTAssertEqual(rowsB.map { $0["id"] as? String }, ["a", "b"])
        // Offsets are into the decompressed stream, so they match the plain file's.
        XCTAssertEqual(rowsB.map { ($0["source"] as? [String: Any])?["byte_offset"] as? Int }, [0, 111])
        XCTAssertEqual(rowsA.map { ($0["source"] as? [String: Any])?["byte_offset"] as? Int }, [0, 111])
        XCTAssertEqual(rowsB.map { $0["status"] as? String }, rowsA.map { $0["status"] as? String })
    }

    func testRandomBytesAreOneInputFaultNotHundredsOfRecords() throws {
        var x: UInt64 = 42
        let noise = Data((0..<200_000).map { _ -> UInt8 in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: x >> 56)
        })
        let path = dir.appendingPathComponent("noise.jsonl").path
        try noise.write(to: URL(fileURLWithPath: path))
        let good = dir.appendingPathComponent("good.jsonl").path
        try Data("{\"id\": \"g\", \"text\": \"<think>ok</think>\"}\n".utf8).write(to: URL(fileURLWithPath: good))
        let summaryPath = dir.appendingPathComponent("summary.json").path
        let r = try AfscanBinary.run(["label", path, good, "--summary", summaryPath, "-q"])
        let message = "\(path): cannot read this input: it is binary data (a NUL byte in the first 4096 bytes), not JSON or JSONL text; name the JSON/JSONL file (plain, .zst or .gz) that holds the transcripts"
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "afscan: \(message)\n")
        XCTAssertEqual(try jsonLines(r.stdout).map { $0["id"] as? String }, ["g"], "the readable input is still labelled")
        let s = try summary(summaryPath)
        XCTAssertEqual((s["run"] as? [String: Any])?["input_faults"] as? [String], [message])
        XCTAssertEqual((s["totals"] as? [String: Any])?["records"] as? Int, 1)
    }
}
