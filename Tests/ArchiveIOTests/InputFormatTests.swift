import AfscanTestSupport
import Foundation
import XCTest
@testable import ArchiveIO

/// gzip inputs (decoded with zlib, sniffed by magic bytes) and inputs afscan cannot read (one fault
/// naming what the input looks like).
final class InputFormatTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("inputformat") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ data: Data) -> String {
        let url = dir.appendingPathComponent(name)
        try! data.write(to: url)
        return url.path
    }

    func gzip(_ data: Data) throws -> Data {
        let r = try runProcess("/usr/bin/env", ["gzip", "-c", "-n"], stdin: data)
        XCTAssertEqual(r.status, 0)
        return r.stdout
    }

    /// Reads everything with a small buffer; returns the bytes, the error, and the reader's format.
    func readAll(_ path: String, bufferSize: Int = 777) -> (Data, ArchiveError?, InputFormat?) {
        var out = Data()
        var format: InputFormat?
        do {
            let r = try InputReader(InputSpec(path: path))
            format = r.format
            var buf = [UInt8](repeating: 0, count: bufferSize)
            while true {
                let n = try buf.withUnsafeMutableBytes { try r.read(into: $0) }
                if n == 0 { break }
                out.append(contentsOf: buf[0..<n])
            }
            return (out, nil, format)
        } catch {
            return (out, error as? ArchiveError, format)
        }
    }

    /// Deterministic pseudo-random bytes.
    func noise(_ count: Int, seed: UInt64 = 0x9E3779B97F4A7C15) -> Data {
        var x = seed
        return Data((0..<count).map { _ -> UInt8 in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: x >> 56)
        })
    }

    func payload(_ lines: Int) -> Data {
        Data((1...lines).map { "{\"id\": \"r\($0)\", \"text\": \"line \($0) é \(String($0 &* 2654435761, radix: 36))\"}\n" }.joined().utf8)
    }

    func testGzipIsSniffedByContentAndDecoded() throws {
        let p = payload(3000)
        let (got, err, format) = readAll(write("rollouts.jsonl", try gzip(p)))   // the name says nothing
        XCTAssertNil(err)
        XCTAssertEqual(format, .gzip)
        XCTAssertEqual(got, p)
    }

    func testConcatenatedGzipMembersAreFollowed() throws {
        let a = payload(10), b = Data("{\"id\": \"tail\"}\n".utf8)
        let (got, err, _) = readAll(write("two.jsonl.gz", try gzip(a) + gzip(b)))
        XCTAssertNil(err)
        XCTAssertEqual(got, a + b)
    }

    func testTruncatedGzipKeepsTheBytesBeforeTheFault() throws {
        let p = payload(3000)
        let z = try gzip(p)
        let (got, err, _) = readAll(write("cut.jsonl.gz", z.prefix(z.count / 2)))
        XCTAssertEqual(err?.code, .truncated)
        XCTAssertEqual(err?.message, "gzip stream is truncated: it ends inside a member")
        XCTAssertEqual(err?.compressedOffset, Int64(z.count / 2))
        XCTAssertEqual(err?.decompressedOffset, Int64(got.count))
        XCTAssertGreaterThan(got.count, 0)
        XCTAssertEqual(got, p.prefix(got.count), "every byte before the fault is intact")
    }

    func testCorruptGzipIsReported() throws {
        var z = try gzip(payload(3000))
        z[z.count - 5] ^= 0xFF   // inside the CRC32/length trailer
        let (got, err, _) = readAll(write("bad.jsonl.gz", z))
        XCTAssertEqual(err?.code, .corrupt)
        XCTAssertEqual(err?.message.hasPrefix("gzip data is corrupt: incorrect "), true, err?.message ?? "")
        XCTAssertEqual(got, payload(3000), "the data decoded before the trailer check is delivered")
    }

    func testZipArchiveIsOneFaultNamingWhatItIs() throws {
        try Data("{\"id\": 1}\n".utf8).write(to: dir.appendingPathComponent("inner.jsonl"))
        let r = try runProcess("/usr/bin/env", ["zip", "-q", "-j", "-", dir.appendingPathComponent("inner.jsonl").path])
        guard r.status == 0 else { throw XCTSkip("zip is not installed") }
        let (got, err, _) = readAll(write("log.bin", r.stdout))
        XCTAssertEqual(got.count, 0)
        XCTAssertEqual(err?.code, .unsupportedFormat)
        XCTAssertEqual(err?.description, "\(dir.appendingPathComponent("log.bin").path): cannot read this input: it is a ZIP archive; `afscan label`, `eval` and `train` read Inspect .eval logs named as regular files (not standard input or a pipe); otherwise unzip it and name the JSON/JSONL files inside")
    }

    func testRandomBytesAreOneBinaryFault() {
        let (got, err, _) = readAll(write("noise.jsonl", noise(200_000)))
        XCTAssertEqual(got.count, 0)
        XCTAssertEqual(err?.code, .unsupportedFormat)
        XCTAssertEqual(err?.message, "cannot read this input: it is binary data (a NUL byte in the first 4096 bytes), not JSON or JSONL text; name the JSON/JSONL file (plain, .zst or .gz) that holds the transcripts")
    }

    func testSniffNamesTheContainersPeopleHave() {
        func sniff(_ bytes: [UInt8]) -> InputFormat { bytes.withUnsafeBytes { InputFormat.sniff($0) } }
        func what(_ bytes: [UInt8]) -> String? {
            if case .unreadable(let what, _) = sniff(bytes) { return what }
            return nil
        }
        XCTAssertEqual(sniff(Array("{\"a\": 1}\n".utf8)), .plain)
        XCTAssertEqual(sniff([]), .plain)
        XCTAssertEqual(sniff([0x28, 0xB5, 0x2F, 0xFD, 0]), .zstd)
        XCTAssertEqual(sniff([0x1F, 0x8B, 0x08, 0]), .gzip)
        XCTAssertEqual(what([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1]), "xz-compressed")
        XCTAssertEqual(what(Array("BZh91AY&SY".utf8)), "bzip2-compressed")
        XCTAssertEqual(what(Array("PAR1".utf8) + [0x15, 0]), "a Parquet file")
        XCTAssertEqual(what(Array("SQLite format 3".utf8) + [0, 4]), "an SQLite database")
        XCTAssertEqual(what([0xFF, 0xFE, 0x7B, 0x00]), "UTF-16 text")
        XCTAssertEqual(what([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)), "a ZIP archive")
        // A NUL after the first 4096 bytes is not looked at (the record holding it is rejected downstream).
        XCTAssertEqual(sniff([UInt8](repeating: 0x20, count: 4096) + [0]), .plain)
        XCTAssertEqual(what([UInt8](repeating: 0x20, count: 4095) + [0]), "binary data (a NUL byte in the first 4096 bytes), not JSON or JSONL text")
        // Text that merely starts with "BZh" or "PK" is text.
        XCTAssertEqual(sniff(Array("BZh is a word\n".utf8)), .plain)
        XCTAssertEqual(sniff(Array("PK\n".utf8)), .plain)
    }

    func testDirectoriesTakeGzipShardsButNotTarballs() throws {
        for name in ["a.jsonl.gz", "b.json.gz", "c.tar.gz", "d.gz"] { _ = write(name, Data()) }
        var notes: [String] = [], faults: [ArchiveError] = []
        let specs = InputEnumerator.expand([dir.path], notes: &notes, faults: &faults)
        XCTAssertEqual(specs.map { URL(fileURLWithPath: $0.displayName).lastPathComponent }, ["a.jsonl.gz", "b.json.gz"])
        XCTAssertEqual(notes.count, 1)
    }
}
