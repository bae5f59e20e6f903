import AfscanTestSupport
import CZstd
import Foundation
import XCTest
@testable import SyntheticCorpus

/// `writeArchive`: plain and zstd files, line-aligned frames, atomic replacement.
final class ArchiveWriterTests: XCTestCase {
    private var directory: URL!

    override func setUp() {
        directory = TestPaths.temporaryDirectory("afscan-gen")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func options(records: Int) -> CorpusOptions {
        var o = CorpusOptions()
        o.maxRecords = records
        o.targetBytes = Int64.max
        return o
    }

    /// Compressed sizes of the frames of `data`, walking frame headers with `ZSTD_findFrameCompressedSize`.
    private func frameSizes(_ data: Data) throws -> [Int] {
        try data.withUnsafeBytes { raw -> [Int] in
            var sizes: [Int] = []
            var offset = 0
            while offset < raw.count {
                let n = ZSTD_findFrameCompressedSize(raw.baseAddress! + offset, raw.count - offset)
                if ZSTD_isError(n) != 0 { throw CorpusError.zstd(String(cString: ZSTD_getErrorName(n))) }
                sizes.append(n)
                offset += n
            }
            return sizes
        }
    }

    private func zstdDecompress(_ url: URL) throws -> Data {
        let r = try runProcess("zstd", ["-q", "-d", "-c", url.path])
        XCTAssertEqual(r.status, 0, String(decoding: r.stderr, as: UTF8.self))
        return r.stdout
    }

    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
    }

    func testPlainFileEqualsTheStream() throws {
        let generator = try CorpusGenerator(options: options(records: 8))
        var stream = Data()
        _ = try generator.write { stream.append(contentsOf: $0) }
        let url = directory.appendingPathComponent("corpus.jsonl")
        let stats = try generator.writeArchive(path: url.path)
        XCTAssertEqual(try Data(contentsOf: url), stream)
        XCTAssertEqual(stats.records, 8)
        XCTAssertEqual(stats.fileBytes, Int64(stream.count))
        XCTAssertEqual(stats.uncompressedBytes, Int64(stream.count))
        XCTAssertEqual(stats.frames, 0)
        XCTAssertEqual(try leftovers(), [])
    }

    func testSingleFrameByDefault() throws {
        let generator = try CorpusGenerator(options: options(records: 10))
        let plain = directory.appendingPathComponent("c.jsonl")
        let packed = directory.appendingPathComponent("c.jsonl.zst")
        try generator.writeArchive(path: plain.path)
        let stats = try generator.writeArchive(path: packed.path)
        let bytes = try Data(contentsOf: packed)
        XCTAssertEqual(try frameSizes(bytes).count, 1)
        XCTAssertEqual(stats.frames, 1)
        XCTAssertEqual(stats.fileBytes, Int64(bytes.count))
        XCTAssertEqual(try zstdDecompress(packed), try Data(contentsOf: plain))
    }

    func testLineAlignedFramesMatchTheSplitRule() throws {
        let generator = try CorpusGenerator(options: options(records: 24))
        var lineLengths: [Int] = []
        var stream = Data()
        _ = try generator.write { lineLengths.append($0.count); stream.append(contentsOf: $0) }
        let limit = 150_000
        // Expected frames under `split -C limit`: a frame takes whole lines while they fit.
        var expected: [Int] = []
        var current = 0
        for n in lineLengths {
            if current > 0 && current + n > limit { expected.append(current); current = 0 }
            current += n
        }
        expected.append(current)
        XCTAssertGreaterThan(expected.count, 2)

        let url = directory.appendingPathComponent("multi.jsonl.zst")
        let stats = try generator.writeArchive(path: url.path, level: 1, frameBytes: Int64(limit))
        let bytes = try Data(contentsOf: url)
        let sizes = try frameSizes(bytes)
        XCTAssertEqual(sizes.count, expected.count)
        XCTAssertEqual(stats.frames, expected.count)
        XCTAssertEqual(sizes.reduce(0, +), bytes.count)
        XCTAssertEqual(try zstdDecompress(url), stream)
        let plain = directory.appendingPathComponent("multi.jsonl")
        try generator.writeArchive(path: plain.path)
        XCTAssertEqual(try zstdDecompress(url), try Data(contentsOf: plain))

        // Each frame decodes alone to exactly its run of whole lines.
        var offset = 0, lineStart = 0
        for (size, expectedBytes) in zip(sizes, expected) {
            let frame = bytes.subdata(in: offset..<(offset + size))
            let decoded = try zstdDecompressFrame(frame)
            XCTAssertEqual(decoded, stream.subdata(in: lineStart..<(lineStart + expectedBytes)))
            XCTAssertEqual(decoded.last, UInt8(ascii: "\n"))
            offset += size
            lineStart += expectedBytes
        }
    }

    private func zstdDecompressFrame(_ frame: Data) throws -> Data {
        let r = try runProcess("zstd", ["-q", "-d", "-c"], stdin: frame)
        XCTAssertEqual(r.status, 0)
        return r.stdout
    }

    func testCancellationRemovesTheTemporaryFileAndKeepsTheOldOne() throws {
        let url = directory.appendingPathComponent("keep.jsonl.zst")
        try Data("old".utf8).write(to: url)
        let generator = try CorpusGenerator(options: options(records: 5))
        var polls = 0
        XCTAssertThrowsError(try generator.writeArchive(path: url.path, isCancelled: { polls += 1; return polls > 2 })) {
            XCTAssertEqual($0 as? CorpusError, .cancelled)
        }
        XCTAssertEqual(polls, 3)
        XCTAssertEqual(try Data(contentsOf: url), Data("old".utf8))
        XCTAssertEqual(try leftovers(), [])
    }

    func testRejectsBadLevelAndFrameSize() throws {
        let generator = try CorpusGenerator(options: options(records: 1))
        let url = directory.appendingPathComponent("x.zst")
        XCTAssertThrowsError(try generator.writeArchive(path: url.path, level: 99))
        XCTAssertThrowsError(try generator.writeArchive(path: url.path, frameBytes: 0))
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        XCTAssertThrowsError(try generator.writeArchive(path: directory.appendingPathComponent("no/such/dir.jsonl").path))
        XCTAssertEqual(try leftovers(), [])
    }
}
