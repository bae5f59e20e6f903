import AfscanTestSupport
@testable import ArchiveIO
import CZstd
import Foundation
import XCTest

/// The frame index and the frame-parallel reader: the bytes delivered are exactly those of the streaming
/// `InputReader`, for line-aligned frames, pzstd frames cut mid-line, random cut points, and faults.
final class FrameParallelReaderTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("frameparallel") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ data: Data) -> String {
        let url = dir.appendingPathComponent(name)
        try! data.write(to: url)
        return url.path
    }

    /// Deterministic JSONL, lines of 60–140 bytes with some multi-byte UTF-8.
    func payload(_ lines: Int, seed: UInt64 = 0x9E3779B97F4A7C15) -> Data {
        var x = seed
        return Data((1...lines).map { i -> String in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let pad = String(repeating: "é—x", count: Int(x >> 58))
            return "{\"id\": \"r\(i)\", \"t\": \"\(String(x, radix: 36)) \(pad)\"}\n"
        }.joined().utf8)
    }

    /// A skippable frame with `n` payload bytes (pzstd writes one before each frame).
    func skippable(_ n: Int) -> Data {
        var d = Data([0x50, 0x2A, 0x4D, 0x18])
        withUnsafeBytes(of: UInt32(n).littleEndian) { d.append(contentsOf: $0) }
        d.append(Data(repeating: 7, count: n))
        return d
    }

    /// Everything `InputReader` delivers for `path`, and its error.
    func sequential(_ path: String) -> (Data, ArchiveError?) {
        var out = Data()
        do {
            let r = try InputReader(InputSpec(path: path))
            var buf = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = try buf.withUnsafeMutableBytes { try r.read(into: $0) }
                if n == 0 { return (out, nil) }
                out.append(contentsOf: buf[0..<n])
            }
        } catch {
            return (out, error as? ArchiveError)
        }
    }

    /// Everything `FrameParallelReader` delivers for `path`, its error, and the frames the pool decoded.
    func parallel(_ path: String, threads: Int = 2, lookahead: Int = 4, maxFrameBytes: Int = 32 << 20)
        throws -> (data: Data, error: ArchiveError?, fromPool: Int, frames: Int)
    {
        let pool = FrameDecodePool(threads: threads, maxWindowLog: 27)
        defer { pool.shutdown() }
        let reader = try XCTUnwrap(try FrameParallelReader.open(InputSpec(path: path), pool: pool, lookahead: lookahead,
                                                                maxFrameBytes: maxFrameBytes),
                                   "expected a multi-frame zstd file")
        var out = Data()
        do {
            while try reader.next({ out.append(contentsOf: $0); return true }) {}
            XCTAssertEqual(reader.decompressedOffset, Int64(out.count))
            return (out, nil, reader.framesFromPool, reader.index.frames.count)
        } catch {
            XCTAssertEqual(reader.decompressedOffset, Int64(out.count))
            return (out, error, reader.framesFromPool, reader.index.frames.count)
        }
    }

    func assertSameFault(_ a: ArchiveError?, _ b: ArchiveError?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a?.code, b?.code, file: file, line: line)
        XCTAssertEqual(a?.message, b?.message, file: file, line: line)
        XCTAssertEqual(a?.decompressedOffset, b?.decompressedOffset, file: file, line: line)
        XCTAssertEqual(a?.compressedOffset, b?.compressedOffset, file: file, line: line)
    }

    /// `split -C 64K --filter='zstd -q -c'`: line-aligned frames without a content size.
    func testSplitFramesAreIndexedAndDecodedInOrder() throws {
        let plain = payload(6000)
        let jsonl = write("in.jsonl", plain)
        let zst = dir.appendingPathComponent("split.zst").path
        let r = try runProcess("/bin/sh", ["-c", "split -C 64K --filter='zstd -q -c' '\(jsonl)' > '\(zst)'"])
        XCTAssertEqual(r.status, 0, String(decoding: r.stderr, as: UTF8.self))
        // split -C packs whole lines greedily into at most 65,536 bytes.
        var expected = 0, used = 65_536
        for line in plain.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            if used + line.count + 1 > 65_536 { expected += 1; used = 0 }
            used += line.count + 1
        }
        let file = try XCTUnwrap(try ArchiveFile(path: zst, displayName: zst))
        let index = ZstdFrameIndex(scanning: file)
        XCTAssertEqual(index.frames.count, expected)
        XCTAssertGreaterThan(expected, 4)
        XCTAssertNil(index.tailStart)
        XCTAssertEqual(index.frames.first?.compressed.lowerBound, 0)
        XCTAssertEqual(index.frames.last?.compressed.upperBound, file.size)
        for (a, b) in zip(index.frames, index.frames.dropFirst()) { XCTAssertEqual(a.compressed.upperBound, b.compressed.lowerBound) }
        XCTAssertTrue(index.frames.allSatisfy { $0.contentSize == nil })

        let got = try parallel(zst)
        XCTAssertNil(got.error)
        XCTAssertTrue(got.data == plain)
        XCTAssertEqual(got.fromPool, expected)
    }

    /// pzstd: a skippable frame before each frame, frames cut at fixed offsets (mid-line).
    func testPzstdFramesMatchTheStreamingReader() throws {
        let plain = payload(50_000)   // ~4.7 MB: pzstd -1 makes 2 MiB frames
        let jsonl = write("in.jsonl", plain)
        let zst = dir.appendingPathComponent("p.zst").path
        let r = try runProcess("pzstd", ["-1", "-p", "2", "-q", "-f", jsonl, "-o", zst])
        XCTAssertEqual(r.status, 0, String(decoding: r.stderr, as: UTF8.self))
        let listed = String(decoding: try runProcess("zstd", ["-lv", zst]).stdout, as: UTF8.self)
        let frameLine = try XCTUnwrap(listed.split(separator: "\n").first { $0.hasPrefix("# Zstandard Frames: ") })
        let zstdFrames = try XCTUnwrap(Int(frameLine.dropFirst("# Zstandard Frames: ".count)))
        XCTAssertTrue(listed.contains("# Skippable Frames: \(zstdFrames)"), listed)
        XCTAssertGreaterThanOrEqual(zstdFrames, 2)
        let got = try parallel(zst)
        XCTAssertNil(got.error)
        XCTAssertEqual(got.frames, zstdFrames)
        XCTAssertEqual(got.fromPool, zstdFrames)
        XCTAssertTrue(got.data == plain)
        // The frames are cut inside lines: decode the first one alone.
        let file = try XCTUnwrap(try ArchiveFile(path: zst, displayName: zst))
        let first = try XCTUnwrap(ZstdFrameIndex(scanning: file).frames.first)
        XCTAssertEqual(first.compressed.lowerBound, 12)   // after a skippable frame with a 4-byte payload
        var firstBytes = Data()
        let outcome = ZstdFrameDecoder().decode(file, first.compressed) {
            firstBytes.append(contentsOf: $0)
            return true
        }
        guard case .complete = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(firstBytes == plain.prefix(firstBytes.count))
        XCTAssertNotEqual(firstBytes.last, UInt8(ascii: "\n"))
    }

    /// The index libzstd's own walk gives for `archive` held in memory (`ZSTD_findFrameCompressedSize`,
    /// as the index was computed over a memory-mapped file before it read headers with `pread`).
    func libzstdIndex(_ archive: Data) -> (frames: [ZstdFrameIndex.Frame], tailStart: Int?) {
        var index: (frames: [ZstdFrameIndex.Frame], tailStart: Int?) = ([], nil)
        archive.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let p = bytes.baseAddress! + offset, remaining = bytes.count - offset
                let size = ZSTD_findFrameCompressedSize(p, remaining)
                if ZSTD_isError(size) != 0 || size == 0 {
                    index.tailStart = offset
                    return
                }
                if ZSTD_isSkippableFrame(p, remaining) == 0 {
                    let declared = ZSTD_getFrameContentSize(p, remaining)
                    let known = declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR
                    index.frames.append(.init(compressed: offset..<(offset + size), contentSize: known ? Int(declared) : nil))
                }
                offset += size
            }
        }
        return index
    }

    /// The `pread` walk of frame and block headers finds the frames libzstd's walk finds, and stops where it
    /// stops: frames with and without checksums and content sizes, raw and RLE blocks, skippable frames,
    /// every prefix of the archive (cut inside headers, blocks, checksums), and damaged bytes.
    func testIndexWalksFramesAsLibzstdDoes() throws {
        let plain = payload(400)
        var archive = zstdFrame(plain.prefix(9000)) + skippable(3)
        archive += try zstdCompress(plain.subdata(in: 9000..<20_000))                  // checksum, no content size
        archive += zstdFrame(Data(repeating: 0x61, count: 300_000))                      // RLE blocks
        var x: UInt64 = 7
        func next() -> UInt64 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return x >> 33
        }
        archive += try zstdCompress(Data((0..<3000).map { _ in UInt8(truncatingIfNeeded: next()) }))   // a raw block
        archive += skippable(0) + zstdFrame(plain.suffix(from: 20_000))
        func check(_ bytes: Data, _ what: String) throws {
            let path = write("index.zst", bytes)
            let file = try XCTUnwrap(try ArchiveFile(path: path, displayName: path))
            let (index, expected) = (ZstdFrameIndex(scanning: file), libzstdIndex(bytes))
            XCTAssertEqual(index.frames, expected.frames, what)
            XCTAssertEqual(index.tailStart, expected.tailStart, what)
        }
        try check(archive, "whole")
        let frames = libzstdIndex(archive).frames.map(\.compressed)
        XCTAssertEqual(frames.count, 5)
        XCTAssertNil(libzstdIndex(archive).tailStart)
        // Prefixes: every cut in the first two frames and near any frame's ends, and a sample elsewhere.
        let ends = Set(frames.flatMap { [$0.lowerBound, $0.upperBound] })
        for cut in 0..<archive.count where cut < frames[1].upperBound || cut % 31 == 0 || ends.contains(where: { abs($0 - cut) <= 24 }) {
            try check(archive.prefix(cut), "prefix \(cut)")
        }
        for round in 0..<300 {
            var damaged = archive
            damaged[Int(next() % UInt64(archive.count))] ^= UInt8(truncatingIfNeeded: next()) | 1
            try check(damaged, "round \(round)")
        }
    }

    /// An index built after the file shrank (it was opened at its full size) stops at the first frame
    /// that can no longer be read whole: that frame is left to the sequential tail decode.
    func testIndexOfAFileThatShrankStopsAtTheCutFrame() throws {
        let (_, parts, archive, starts) = framedArchive()
        let path = write("shrunk.zst", archive)
        let file = try XCTUnwrap(try ArchiveFile(path: path, displayName: path))
        XCTAssertEqual(ZstdFrameIndex(scanning: file).frames.count, parts.count)
        XCTAssertEqual(truncate(path, off_t(starts[2] + 100)), 0)
        let index = ZstdFrameIndex(scanning: file)
        XCTAssertEqual(index.frames.map(\.compressed), [starts[0]..<starts[1], starts[1]..<starts[2]])
        XCTAssertEqual(index.tailStart, starts[2])
    }

    /// Random cut points (inside lines and UTF-8 sequences), skippable frames and empty frames between
    /// them: the delivered bytes are the payload, with any pool size, lookahead and frame-size limit.
    func testRandomFrameCutsDeliverTheSameBytes() throws {
        let plain = payload(3000)
        var x: UInt64 = 42
        func rand(_ n: Int) -> Int {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return Int((x >> 33) % UInt64(n))
        }
        for round in 0..<25 {
            let cuts = (0..<(1 + rand(12))).map { _ in rand(plain.count + 1) }.sorted()
            var z = Data()
            var start = 0
            for cut in cuts + [plain.count] {
                if rand(3) == 0 { z.append(skippable(rand(20))) }
                z.append(zstdFrame(plain.subdata(in: start..<cut)))
                start = cut
            }
            let path = write("r\(round).zst", z)
            let threads = 1 + rand(3), lookahead = 1 + rand(4), limit = rand(2) == 0 ? 32 << 20 : 1 + rand(100_000)
            let got = try parallel(path, threads: threads, lookahead: lookahead, maxFrameBytes: limit)
            XCTAssertNil(got.error, "round \(round)")
            XCTAssertTrue(got.data == plain, "round \(round): cuts \(cuts), threads \(threads), lookahead \(lookahead), limit \(limit)")
            XCTAssertEqual(got.frames, cuts.count + 1)
        }
    }

    /// Frames larger than `maxFrameBytes` (declared or not) are decoded by the reader, streaming.
    func testFramesAboveTheLimitAreStreamedByTheReader() throws {
        let plain = payload(4000)
        let half = plain.count / 2
        let declared = zstdFrame(plain.prefix(half))
        let undeclared = try zstdCompress(plain.suffix(from: half))
        let path = write("big.zst", declared + undeclared)
        let got = try parallel(path, maxFrameBytes: 1000)
        XCTAssertNil(got.error)
        XCTAssertEqual(got.fromPool, 0)
        XCTAssertTrue(got.data == plain)
        let loose = try parallel(path, maxFrameBytes: plain.count)
        XCTAssertEqual(loose.fromPool, 2)
        XCTAssertTrue(loose.data == plain)
        // Frames of exactly the limit (no declared size) stay on the pool; one byte more does not.
        let size = 300_000
        let exactPath = write("exact.zst", try zstdCompress(plain.prefix(size)) + zstdCompress(plain.subdata(in: size..<(2 * size))))
        let exact = try parallel(exactPath, maxFrameBytes: size)
        XCTAssertEqual(exact.fromPool, 2)
        XCTAssertTrue(exact.data == plain.prefix(2 * size))
        let under = try parallel(exactPath, maxFrameBytes: size - 1)
        XCTAssertEqual(under.fromPool, 0)
        XCTAssertTrue(under.data == plain.prefix(2 * size))
    }

    func testTruncatedLastFrameMatchesTheStreamingReader() throws {
        let plain = payload(4000)
        let a = zstdFrame(plain.prefix(50_000)), b = zstdFrame(plain.subdata(in: 50_000..<100_000)), c = zstdFrame(plain.suffix(from: 100_000))
        let z = a + b + c.prefix(c.count - 5000)
        let path = write("cut.zst", z)
        let seq = sequential(path)
        let got = try parallel(path)
        XCTAssertEqual(got.frames, 2)   // only complete frames are indexed…
        XCTAssertEqual(seq.1?.code, .truncated)
        assertSameFault(got.error, seq.1)
        XCTAssertTrue(got.data == seq.0)
        XCTAssertGreaterThan(seq.0.count, 100_000)   // …the cut frame's complete blocks are delivered too
        XCTAssertEqual(seq.1?.compressedOffset, Int64(z.count))
    }

    func testCorruptFrameInTheMiddleEndsTheStreamLikeTheStreamingReader() throws {
        let plain = payload(6000)
        let parts = stride(from: 0, to: plain.count, by: 50_000).map { plain.subdata(in: $0..<min(plain.count, $0 + 50_000)) }
        XCTAssertGreaterThan(parts.count, 5)
        let frames = parts.map { zstdFrame($0) }
        // Frame 3's magic number is destroyed: the index stops there, and the rest is decoded in order.
        var z = Data(frames.joined())
        let third = frames[0].count + frames[1].count + frames[2].count
        z[third] ^= 0xFF
        let path = write("corrupt.zst", z)
        let seq = sequential(path)
        let got = try parallel(path)
        XCTAssertEqual(got.frames, 3)
        XCTAssertEqual(seq.1?.code, .corrupt)
        assertSameFault(got.error, seq.1)
        XCTAssertTrue(got.data == seq.0)
        XCTAssertEqual(seq.0.count, parts[0].count + parts[1].count + parts[2].count)

        // A corrupt block inside frame 4 (its header intact): the frames before it are delivered, then
        // what libzstd delivers of frame 4, then the same fault, and nothing after it.
        var y = Data(frames.joined())
        let fourth = third + frames[3].count
        for i in (fourth + 40)..<(fourth + 60) { y[i] ^= 0x5A }
        let path2 = write("corrupt2.zst", y)
        let seq2 = sequential(path2)
        let got2 = try parallel(path2)
        XCTAssertEqual(got2.frames, parts.count)
        XCTAssertEqual(seq2.1?.code, .corrupt)
        assertSameFault(got2.error, seq2.1)
        XCTAssertTrue(got2.data == seq2.0)
        XCTAssertGreaterThanOrEqual(seq2.0.count, parts[0..<4].reduce(0) { $0 + $1.count } - 50_000)
    }

    /// A multi-frame archive of `payload(20_000)` in frames of 250,000 decoded bytes: the payload, the
    /// decoded frames, the archive, and where each frame starts in it.
    func framedArchive() -> (plain: Data, parts: [Data], archive: Data, starts: [Int]) {
        let plain = payload(20_000)
        let parts = stride(from: 0, to: plain.count, by: 250_000).map { plain.subdata(in: $0..<min(plain.count, $0 + 250_000)) }
        let frames = parts.map { zstdFrame($0) }
        let starts = frames.indices.map { i in frames[0..<i].reduce(0) { $0 + $1.count } }
        return (plain, parts, Data(frames.joined()), starts)
    }

    /// Reads `reader` to its end: the bytes delivered (after `got`) and the fault.
    func drain(_ reader: FrameParallelReader, after got: Data = Data()) -> (data: Data, error: ArchiveError?) {
        var out = got
        do {
            while try reader.next({ out.append(contentsOf: $0); return true }) {}
            return (out, nil)
        } catch {
            return (out, error)
        }
    }

    /// The file shrinks after the frame index was built (another process truncates it while afscan reads
    /// it): no crash (a memory-mapped archive raised SIGBUS here); the frames before the cut are delivered,
    /// then the cut frame's complete blocks, then a `.truncated` fault naming the file and the offset where
    /// it now ends: exactly what a sequential read of the shorter file delivers and reports.
    func testFileThatShrinksAfterIndexingEndsInATruncationFault() throws {
        let (_, parts, archive, starts) = framedArchive()
        XCTAssertGreaterThanOrEqual(parts.count, 6)
        let middle = { (i: Int) in (starts[i] + starts[i + 1]) / 2 }
        // Where the file is cut, the pool, and how many frames are delivered before it is cut.
        let cases: [(cut: Int, threads: Int, lookahead: Int, maxFrameBytes: Int, deliveredBefore: Int)] = [
            (middle(2), 2, 4, 32 << 20, 0),   // inside frame 2, before any frame was decoded
            (middle(3), 1, 1, 32 << 20, 1),   // inside frame 3, after frame 0 was delivered
            (middle(2), 2, 4, 1000, 0),       // frames above maxFrameBytes: the reader's thread decodes them
            (5, 2, 4, 32 << 20, 0),           // inside the first frame's header
        ]
        for (n, c) in cases.enumerated() {
            let path = write("shrink\(n).zst", archive)
            let pool = FrameDecodePool(threads: c.threads, maxWindowLog: 27)
            defer { pool.shutdown() }
            let reader = try XCTUnwrap(try FrameParallelReader.open(InputSpec(path: path), pool: pool, lookahead: c.lookahead,
                                                                    maxFrameBytes: c.maxFrameBytes))
            var before = Data()
            for _ in 0..<c.deliveredBefore { XCTAssertTrue(try reader.next { before.append(contentsOf: $0); return true }) }
            XCTAssertEqual(truncate(path, off_t(c.cut)), 0)
            let got = drain(reader, after: before)
            let seq = sequential(path)
            XCTAssertEqual(got.error?.code, .truncated, "case \(n)")
            assertSameFault(got.error, seq.1)
            XCTAssertTrue(got.data == seq.0, "case \(n): \(got.data.count) bytes delivered, \(seq.0.count) by a sequential read")
            XCTAssertEqual(got.error?.compressedOffset, Int64(c.cut), "case \(n)")
            XCTAssertEqual(reader.decompressedOffset, Int64(got.data.count), "case \(n)")
            let text = got.error?.description ?? ""
            XCTAssertTrue(text.hasPrefix("\(path): archive is truncated") && text.contains("(compressed offset \(c.cut),"), text)
        }
    }

    /// The file shrinks to exactly where an indexed frame starts: a sequential read of the shorter file
    /// sees a complete archive, but the reader knows frames were there, so it delivers the frames before
    /// the cut and reports a `.truncated` fault at the cut rather than dropping the rest silently.
    func testFileThatShrinksToAFrameBoundaryIsATruncationFault() throws {
        let (plain, parts, archive, starts) = framedArchive()
        let path = write("boundary.zst", archive)
        let pool = FrameDecodePool(threads: 2, maxWindowLog: 27)
        defer { pool.shutdown() }
        let reader = try XCTUnwrap(try FrameParallelReader.open(InputSpec(path: path), pool: pool, lookahead: 4, maxFrameBytes: 32 << 20))
        XCTAssertEqual(truncate(path, off_t(starts[3])), 0)
        let got = drain(reader)
        let kept = parts[0..<3].reduce(0) { $0 + $1.count }
        XCTAssertTrue(got.data == plain.prefix(kept))
        XCTAssertEqual(got.error?.code, .truncated)
        XCTAssertEqual(got.error?.compressedOffset, Int64(starts[3]))
        XCTAssertEqual(got.error?.decompressedOffset, Int64(kept))
        XCTAssertTrue(got.error?.description.hasPrefix("\(path): archive is truncated") ?? false, "\(String(describing: got.error))")
        XCTAssertNil(sequential(path).1)
    }

    func testSingleFramePlainAndStandardInputAreLeftToTheStreamingReader() throws {
        let pool = FrameDecodePool(threads: 1, maxWindowLog: 27)
        defer { pool.shutdown() }
        let plain = payload(100)
        XCTAssertNil(try FrameParallelReader.open(InputSpec(path: write("one.zst", zstdFrame(plain))), pool: pool, lookahead: 2, maxFrameBytes: 1 << 20))
        XCTAssertNil(try FrameParallelReader.open(InputSpec(path: write("p.jsonl", plain)), pool: pool, lookahead: 2, maxFrameBytes: 1 << 20))
        XCTAssertNil(try FrameParallelReader.open(.standardInput, pool: pool, lookahead: 2, maxFrameBytes: 1 << 20))
        // A FIFO is not opened at all (opening it would wait for a writer).
        let fifo = dir.appendingPathComponent("fifo.zst").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertNil(try FrameParallelReader.open(InputSpec(path: fifo), pool: pool, lookahead: 2, maxFrameBytes: 1 << 20))
        XCTAssertNil(try FrameParallelReader.open(InputSpec(path: write("e.zst", Data())), pool: pool, lookahead: 2, maxFrameBytes: 1 << 20))
        XCTAssertNotNil(try FrameParallelReader.open(InputSpec(path: write("two.zst", zstdFrame(plain) + zstdFrame(plain))), pool: pool, lookahead: 2, maxFrameBytes: 1 << 20))
        XCTAssertThrowsError(try FrameParallelReader.open(InputSpec(path: dir.appendingPathComponent("missing.zst").path), pool: pool, lookahead: 2, maxFrameBytes: 1 << 20)) {
            XCTAssertEqual(($0 as? ArchiveError)?.code, .open)
        }
    }

    /// A reader stopped early (deliver returns false) finishes; queued frames are abandoned.
    func testStoppingEarlyFinishesTheReader() throws {
        let plain = payload(3000)
        let parts = stride(from: 0, to: plain.count, by: 20_000).map { plain.subdata(in: $0..<min(plain.count, $0 + 20_000)) }
        let path = write("s.zst", Data(parts.map { zstdFrame($0) }.joined()))
        let pool = FrameDecodePool(threads: 2, maxWindowLog: 27)
        defer { pool.shutdown() }
        let reader = try XCTUnwrap(try FrameParallelReader.open(InputSpec(path: path), pool: pool, lookahead: 4, maxFrameBytes: 1 << 20))
        var got = Data()
        XCTAssertTrue(try reader.next { got.append(contentsOf: $0); return true })
        XCTAssertTrue(try reader.next { got.append(contentsOf: $0); return false })
        XCTAssertFalse(try reader.next { _ in XCTFail("delivered after stop"); return true })
        XCTAssertTrue(got == plain.prefix(40_000))
    }
}
