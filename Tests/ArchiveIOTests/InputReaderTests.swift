import XCTest
import Foundation
@testable import ArchiveIO
import AfscanTestSupport

final class InputReaderTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("archiveio") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ data: Data) -> String {
        let url = dir.appendingPathComponent(name)
        try! data.write(to: url)
        return url.path
    }

    /// Reads everything with a small buffer (exercises refills); returns bytes and the error, if any.
    func readAll(_ path: String, maxWindowLog: Int = 27, bufferSize: Int = 1000) -> (Data, ArchiveError?) {
        var out = Data()
        do {
            let r = try InputReader(InputSpec(path: path), maxWindowLog: maxWindowLog)
            var buf = [UInt8](repeating: 0, count: bufferSize)
            while true {
                let n = try buf.withUnsafeMutableBytes { try r.read(into: $0) }
                if n == 0 { break }
                out.append(contentsOf: buf[0..<n])
            }
            return (out, nil)
        } catch {
            return (out, error as? ArchiveError)
        }
    }

    /// JSONL with pseudo-random (deterministic) content, so that it compresses into several blocks.
    func payload(_ lines: Int) -> Data {
        var x: UInt64 = 0x9E3779B97F4A7C15
        return Data((1...lines).map { i -> String in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return "{\"id\": \"r\(i)\", \"text\": \"line \(i) é — \(String(x, radix: 36))\"}\n"
        }.joined().utf8)
    }

    func testPlainPassesThrough() {
        let p = payload(500)
        let (got, err) = readAll(write("plain.jsonl", p))
        XCTAssertNil(err)
        XCTAssertEqual(got, p)
    }

    func testSingleFrameDetectedByContentNotName() throws {
        let p = payload(2000)
        let (got, err) = readAll(write("misnamed.jsonl", try zstdCompress(p)))
        XCTAssertNil(err)
        XCTAssertEqual(got, p)
    }

    func testConcatenatedFramesAreFollowed() throws {
        let a = payload(300), b = Data("{\"id\": \"tail\"}\n".utf8)
        let (got, err) = readAll(write("two.zst", try zstdCompress(a) + zstdCompress(b, ["-19"])))
        XCTAssertNil(err)
        XCTAssertEqual(got, a + b)
    }

    func testSkippableFramesAreSkipped() throws {
        // A skippable frame (magic 0x184D2A50, little-endian, then a 4-byte size) before and between frames.
        let skip = Data([0x50, 0x2A, 0x4D, 0x18, 5, 0, 0, 0, 1, 2, 3, 4, 5])
        let a = payload(10), b = payload(3)
        let file = write("skip.zst", try skip + zstdCompress(a) + skip + zstdCompress(b))
        let r = try InputReader(InputSpec(path: file))
        XCTAssertTrue(r.isCompressed)
        let (got, err) = readAll(file)
        XCTAssertNil(err)
        XCTAssertEqual(got, a + b)
    }

    func testPzstdFilesDecode() throws {
        let p = payload(20000)
        let src = write("big.jsonl", p)
        let r = try runProcess("pzstd", ["-q", "-p", "2", "-f", src, "-o", src + ".zst"])
        XCTAssertEqual(r.status, 0)
        let (got, err) = readAll(src + ".zst", bufferSize: 4096)
        XCTAssertNil(err)
        XCTAssertEqual(got, p)
    }

    func testTruncatedArchiveKeepsEveryByteBeforeTheFault() throws {
        let p = payload(5000)
        let z = try zstdCompress(p)
        let cut = z.prefix(z.count / 2)
        let (got, err) = readAll(write("cut.zst", Data(cut)))
        let e = try XCTUnwrap(err)
        XCTAssertEqual(e.code, .truncated)
        XCTAssertTrue(e.message.contains("truncated"), e.message)
        XCTAssertEqual(Int64(got.count), e.decompressedOffset)
        XCTAssertGreaterThan(got.count, 0)
        XCTAssertEqual(got, p.prefix(got.count), "bytes before the fault are intact")
        XCTAssertEqual(e.compressedOffset, Int64(cut.count))
    }

    func testCorruptDataIsReportedWithOffsets() throws {
        let p = payload(5000)
        var z = try zstdCompress(p)
        // Flip bytes well inside the first block.
        for i in 200..<260 { z[z.startIndex + i] ^= 0x5A }
        let (_, err) = readAll(write("corrupt.zst", z))
        let e = try XCTUnwrap(err)
        XCTAssertTrue(e.code == .corrupt, "\(e)")
        XCTAssertNotNil(e.compressedOffset)
        XCTAssertTrue(e.description.hasPrefix(dir.appendingPathComponent("corrupt.zst").path + ": corrupt zstd data"), e.description)
    }

    func testWindowAboveLimitNamesTheFlagAndTheValue() throws {
        let p = payload(50)
        let file = write("long29.zst", try zstdCompress(p, ["--long=29"]))
        let (_, err) = readAll(file)
        let e = try XCTUnwrap(err)
        XCTAssertEqual(e.code, .windowTooLarge)
        XCTAssertTrue(e.message.contains("--max-window-log 29"), e.message)
        let (got, err2) = readAll(file, maxWindowLog: 29)
        XCTAssertNil(err2)
        XCTAssertEqual(got, p)
    }

    /// Fuzzing found a hang here: a corrupt single-segment frame header claiming a 2^64 − 1 byte window made
    /// the window-log loop shift past 63 bits forever. It is now an error naming log 64 and no flag to try.
    func testCorruptHugeWindowIsAnErrorNotAHang() throws {
        // magic, frame header descriptor 0xE0 (single segment, 8-byte content size), content size 2^64 − 1,
        // then a raw block header and a few bytes.
        let bytes: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0xE0] + [UInt8](repeating: 0xFF, count: 8) + [0x21, 0x00, 0x00, 0x41, 0x42, 0x43, 0x44]
        let (_, err) = readAll(write("huge-window.zst", Data(bytes)))
        let e = try XCTUnwrap(err)
        XCTAssertEqual(e.code, .windowTooLarge, "\(e)")
        XCTAssertTrue(e.message.hasPrefix("zstd frame at compressed offset 0 needs a window log of 64, above the limit of 27; that is above the largest afscan accepts (31): the frame header is corrupt"), e.message)
    }

    func testLong31ReadsWithTheLimitRaised() throws {
        let p = payload(50)
        let file = write("long31.zst", try zstdCompress(p, ["--long=31"]))
        XCTAssertEqual(readAll(file).1?.message.contains("--max-window-log 31"), true)
        XCTAssertEqual(readAll(file, maxWindowLog: 31).0, p)
    }

    func testGarbageAfterFrameIsCorrupt() throws {
        let p = payload(10)
        let (got, err) = readAll(write("trail.zst", try zstdCompress(p) + Data("not zstd".utf8)))
        XCTAssertEqual(got, p)
        XCTAssertEqual(err?.code, .corrupt)
    }

    func testEmptyFileIsEmptyPlainInput() {
        let (got, err) = readAll(write("empty.jsonl", Data()))
        XCTAssertNil(err)
        XCTAssertEqual(got.count, 0)
    }

    func testMissingFileFailsToOpen() {
        XCTAssertThrowsError(try InputReader(InputSpec(path: dir.appendingPathComponent("nope.zst").path))) { e in
            XCTAssertEqual((e as? ArchiveError)?.code, .open)
        }
    }

    func testDirectoriesWalkSortedAndFiltered() throws {
        let sub = dir.appendingPathComponent("shards/b")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["shards/z.jsonl", "shards/a.json.zst", "shards/b/c.jsonl", "shards/README.md", "shards/.hidden.jsonl", "shards/B.ndjson"] {
            _ = write(name, Data("{}".utf8))
        }
        let specs = try InputEnumerator.expand([dir.appendingPathComponent("shards").path, "-"])
        let rel = specs.map { $0.path.map { String($0.dropFirst(dir.path.count + 1)) } ?? "-" }
        XCTAssertEqual(rel, ["shards/B.ndjson", "shards/a.json.zst", "shards/b/c.jsonl", "shards/z.jsonl", "-"])
    }

    func testMagicSniffing() {
        XCTAssertTrue(ZstdMagic.isZstd([0x28, 0xB5, 0x2F, 0xFD]))
        XCTAssertTrue(ZstdMagic.isZstd([0x5E, 0x2A, 0x4D, 0x18, 0]))
        XCTAssertFalse(ZstdMagic.isZstd([0x7B, 0x22, 0x69, 0x64]))
        XCTAssertFalse(ZstdMagic.isZstd([0x28, 0xB5]))
    }
}

/// Faults found by adversarial testing, each a regression test.
final class InputReaderFaultTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("archiveio-faults") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func lines(_ n: Int) -> Data {
        var x: UInt64 = 0x2545F4914F6CDD1D
        return Data((1...n).map { i -> String in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return "{\"id\": \(i), \"t\": \"\(String(x, radix: 36))\(String(x >> 7, radix: 36))\"}\n"
        }.joined().utf8)
    }

    func decode(_ data: Data, bufferSize: Int) -> (Data, ArchiveError?) {
        let path = dir.appendingPathComponent("in-\(UUID().uuidString)").path
        try! data.write(to: URL(fileURLWithPath: path))
        var out = Data()
        do {
            let r = try InputReader(InputSpec(path: path))
            var buf = [UInt8](repeating: 0, count: bufferSize)
            while true {
                let n = try buf.withUnsafeMutableBytes { try r.read(into: $0) }
                if n == 0 { return (out, nil) }
                out.append(contentsOf: buf[0..<n])
            }
        } catch {
            return (out, error as? ArchiveError)
        }
    }

    /// A corrupt block late in a frame: every byte zstd itself recovers is delivered before the error,
    /// even with a 1 MiB read buffer, and the error carries the real decompressed offset. (What a
    /// corrupt block decodes to before libzstd notices — at the latest at the frame checksum — is
    /// whatever zstd decodes; afscan delivers the same bytes as the zstd CLI.)
    func testCorruptBlockKeepsWhatZstdRecovers() throws {
        let plain = lines(40_000)   // ~1.9 MB: many 128 KiB blocks
        var z = try zstdCompress(plain, ["-1"])
        z[z.startIndex + z.count * 3 / 4] ^= 0xFF
        let cli = try runProcess("zstd", ["-dc", "-q"], stdin: z).stdout
        let (got, err) = decode(z, bufferSize: 1 << 20)
        let e = try XCTUnwrap(err)
        XCTAssertEqual(e.code, .corrupt)
        XCTAssertGreaterThanOrEqual(got.count, cli.count, "afscan must keep at least what the zstd CLI recovers")
        XCTAssertTrue(got.prefix(cli.count) == cli)
        XCTAssertGreaterThan(cli.count, plain.count / 2)
        XCTAssertEqual(e.decompressedOffset, Int64(got.count))
        XCTAssertGreaterThan(got.count, 0)
    }

    /// Frames without a checksum end right after the last block: output still buffered in libzstd at
    /// EOF must be flushed, not reported as truncation.
    func testFramesWithoutChecksumDecodeWithSmallBuffers() throws {
        let plain = lines(20_000)
        let z = try zstdCompress(plain, ["--no-check", "-1"])
        for size in [1, 7, 1000, 1 << 17] {
            let (got, err) = decode(z, bufferSize: size)
            XCTAssertNil(err, "buffer \(size)")
            XCTAssertEqual(got, plain, "buffer \(size)")
        }
    }

    func testArchiveCutInsideItsMagicNumberIsTruncated() throws {
        for n in 1...3 {
            let (got, err) = decode(Data([0x28, 0xB5, 0x2F, 0xFD].prefix(n)), bufferSize: 64)
            XCTAssertEqual(got.count, 0)
            XCTAssertEqual(err?.code, .truncated, "\(n) bytes")
        }
        // Other short inputs stay plain text.
        XCTAssertEqual(decode(Data("{}".utf8), bufferSize: 64).0, Data("{}".utf8))
    }
}

final class InputEnumeratorRegressionTests: XCTestCase {
    func testSymlinkLoopsAreWalkedOnceAndReported() throws {
        let dir = TestPaths.temporaryDirectory("walk")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("t/a"), c = dir.appendingPathComponent("t/c")
        try FileManager.default.createDirectory(at: a, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: c, withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: a.appendingPathComponent("x.jsonl"))
        try Data("{}\n".utf8).write(to: c.appendingPathComponent("notes.txt"))
        XCTAssertEqual(symlink("..", a.appendingPathComponent("loop").path), 0)
        XCTAssertEqual(symlink("../../", c.appendingPathComponent("loop2").path), 0)
        var notes: [String] = [], faults: [ArchiveError] = []
        let specs = InputEnumerator.expand([dir.appendingPathComponent("t").path], notes: &notes, faults: &faults)
        XCTAssertEqual(specs.map { $0.path!.dropFirst(dir.path.count + 1) }, ["t/a/x.jsonl"])
        XCTAssertEqual(faults.count, 0)
        XCTAssertEqual(notes.filter { $0.contains("already walked") }.count, 2)
        XCTAssertEqual(notes.filter { $0.contains("skipped 1 file(s)") }.count, 1)
    }

    func testEmptyDirectoryIsNoted() throws {
        let dir = TestPaths.temporaryDirectory("walk-empty")
        defer { try? FileManager.default.removeItem(at: dir) }
        var notes: [String] = [], faults: [ArchiveError] = []
        XCTAssertEqual(InputEnumerator.expand([dir.path], notes: &notes, faults: &faults).count, 0)
        XCTAssertEqual(notes, ["\(dir.path): no input files found (taken: *.jsonl, *.ndjson, *.json, *.zst, *.jsonl.gz, *.ndjson.gz, *.json.gz, *.eval)"])
        XCTAssertEqual(faults.count, 0)
    }

    /// Finding: one subdirectory that could not be listed (chmod 000, as a non-root user) made the walk
    /// throw for the whole operand, so the readable files beside it were silently not labelled, and the
    /// message ended in a meaningless "(decompressed offset 0)". The unlistable directory is now a fault
    /// of its own and every other input is taken. (Root lists any directory, so the failure is injected
    /// here; CLITests' RobustnessTests makes a real one.)
    func testUnlistableSubdirectoryCostsOnlyItself() throws {
        let dir = TestPaths.temporaryDirectory("walk-unlistable")
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t")
        for sub in ["t/b/deep", "t/c"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for name in ["t/a.jsonl", "t/b/lost.jsonl", "t/b/deep/lost.jsonl", "t/c/d.jsonl", "t/z.jsonl"] {
            try Data("{}\n".utf8).write(to: dir.appendingPathComponent(name))
        }
        let unlistable = t.appendingPathComponent("b").path
        var notes: [String] = [], faults: [ArchiveError] = []
        let missing = dir.appendingPathComponent("absent").path
        let specs = InputEnumerator.expand([t.path, missing, "-"], notes: &notes, faults: &faults) { path throws(ArchiveError) in
            if path == unlistable {
                throw ArchiveError(code: .open, message: "cannot list directory: \(String(cString: strerror(EACCES)))", input: path)
            }
            return try InputEnumerator.listDirectory(path)
        }
        XCTAssertEqual(specs.map { $0.path.map { String($0.dropFirst(dir.path.count + 1)) } ?? "-" }, ["t/a.jsonl", "t/c/d.jsonl", "t/z.jsonl", "-"])
        XCTAssertEqual(faults.map(\.description), ["\(unlistable): cannot list directory: Permission denied",
                                                   "\(missing): cannot open input: No such file or directory"])
        XCTAssertEqual(notes, [])
        // The strict form fails on the first fault.
        XCTAssertThrowsError(try InputEnumerator.expand([t.path, missing])) { error in
            XCTAssertEqual((error as? ArchiveError)?.description, "\(missing): cannot open input: No such file or directory")
        }
    }
}
