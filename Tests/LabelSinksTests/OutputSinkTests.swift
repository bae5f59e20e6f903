import Foundation
import XCTest

@testable import LabelSinks

#if canImport(Glibc)
import Glibc
#endif

final class OutputSinkTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("afscan-sinks-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testTargetIsAbsentUntilCommit() throws {
        let target = directory.appendingPathComponent("labels.jsonl").path
        let file = try AtomicOutputFile(path: target, compressed: false, bufferCapacity: 4096)
        let temporaryName = (file.temporaryPath as NSString).lastPathComponent
        XCTAssertTrue(temporaryName.hasPrefix(".labels.jsonl.tmp.\(getpid())."), temporaryName)
        XCTAssertEqual(file.temporaryPath, directory.path + "/" + temporaryName)
        // More than the buffer, so some bytes already reached the temporary file.
        let row = Array(repeating: UInt8(ascii: "x"), count: 5000) + [0x0A]
        try file.write(row)
        try file.write("second\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        XCTAssertEqual(try entries(), [temporaryName])
        try file.commit()
        XCTAssertEqual(try entries(), ["labels.jsonl"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), Data(row + Array("second\n".utf8)))
        XCTAssertEqual(file.byteCounts.accepted, 5008)
        XCTAssertEqual(file.byteCounts.written, 5008)
    }

    func testCommitReplacesAnExistingTargetOnlyAtCommit() throws {
        let target = directory.appendingPathComponent("summary.json").path
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
        let file = try AtomicOutputFile(path: target, compressed: false)
        try file.write("new\n")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "old\n")
        try file.commit()
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "new\n")
    }

    func testAbortLeavesNothing() throws {
        let target = directory.appendingPathComponent("labels.jsonl").path
        let file = try AtomicOutputFile(path: target, compressed: true)
        try file.write("row\n")
        file.abort()
        XCTAssertEqual(try entries(), [])
        file.abort()  // idempotent
        XCTAssertThrowsError(try file.write("late\n")) { error in
            XCTAssertEqual((error as? SinkError)?.code, .finished)
        }
        XCTAssertThrowsError(try file.commit()) { error in
            XCTAssertEqual((error as? SinkError)?.code, .finished)
        }
    }

    func testDroppingAnUncommittedFileRemovesTheTemporary() throws {
        let target = directory.appendingPathComponent("labels.jsonl").path
        do {
            let file = try AtomicOutputFile(path: target, compressed: false)
            try file.write("row\n")
            XCTAssertEqual(try entries().count, 1)
        }
        XCTAssertEqual(try entries(), [])
    }

    func testOpenFailureNamesThePathAndErrno() throws {
        let target = directory.appendingPathComponent("missing/labels.jsonl").path
        XCTAssertThrowsError(try AtomicOutputFile(path: target, compressed: false)) { error in
            guard let error = error as? SinkError else { return XCTFail("not a SinkError: \(error)") }
            XCTAssertEqual(error.code, .open)
            XCTAssertEqual(error.errno, ENOENT)
            XCTAssertTrue(error.path.hasPrefix(self.directory.path + "/missing/.labels.jsonl.tmp."), error.path)
            XCTAssertTrue(error.message.hasSuffix(": No such file or directory"), error.message)
        }
    }

    func testZstdRoundTripThroughTheZstdCLI() throws {
        let zstd = "/usr/bin/zstd"
        guard FileManager.default.isExecutableFile(atPath: zstd) else {
            throw XCTSkip("zstd CLI absent at \(zstd)")
        }
        let target = directory.appendingPathComponent("labels.jsonl.zst").path
        let file = try AtomicOutputFile(path: target, compressed: true, bufferCapacity: 4096)
        var expected: [UInt8] = []
        var buffer: [UInt8] = []
        let encoder = LabelRowEncoder()
        for index in 0..<2000 {
            var record = LabelRowEncoderTests.fullRecord()
            record.source.record = index + 1
            buffer.removeAll(keepingCapacity: true)
            encoder.append(record, to: &buffer)
            expected += buffer
            try file.write(buffer)
        }
        try file.commit()
        let compressed = try Data(contentsOf: URL(fileURLWithPath: target))
        XCTAssertEqual(Array(compressed.prefix(4)), [0x28, 0xB5, 0x2F, 0xFD])  // zstd frame magic
        XCTAssertLessThan(compressed.count, expected.count / 5)
        XCTAssertEqual(file.byteCounts.accepted, Int64(expected.count))
        XCTAssertEqual(file.byteCounts.written, Int64(compressed.count))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: zstd)
        process.arguments = ["-dc", target]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let decoded = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(Array(decoded), expected)

        // The content checksum is on: `zstd -lv` reports it.
        let list = Process()
        list.executableURL = URL(fileURLWithPath: zstd)
        list.arguments = ["-lv", target]
        let listPipe = Pipe()
        list.standardOutput = listPipe
        list.standardError = Pipe()
        try list.run()
        let listing = String(decoding: listPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        list.waitUntilExit()
        XCTAssertTrue(listing.contains("Check: XXH64"), listing)
    }

    func testEmptyCompressedOutputIsAValidFrame() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd") else { throw XCTSkip("zstd CLI absent") }
        let target = directory.appendingPathComponent("empty.zst").path
        let file = try AtomicOutputFile(path: target, compressed: true)
        try file.commit()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zstd")
        process.arguments = ["-t", "-q", target]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testStandardOutputSinkWritesEverythingOnCommit() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]) }
        let sink = try StandardOutputSink(fileDescriptor: fds[1], bufferCapacity: 4096)
        try sink.write("a\n")
        try sink.write("b\n")
        try sink.commit()
        close(fds[1])
        let read = FileHandle(fileDescriptor: fds[0], closeOnDealloc: false).readDataToEndOfFile()
        XCTAssertEqual(String(decoding: read, as: UTF8.self), "a\nb\n")
        XCTAssertThrowsError(try sink.write("c\n")) { error in
            XCTAssertEqual((error as? SinkError)?.code, .finished)
        }
    }

    func testBrokenPipeIsADistinctError() throws {
        signal(SIGPIPE, SIG_IGN)  // as the CLI does at start-up
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        close(fds[0])  // the reader goes away
        defer { close(fds[1]) }
        let sink = try StandardOutputSink(fileDescriptor: fds[1])
        try sink.write("row\n")  // buffered: no write(2) yet
        XCTAssertThrowsError(try sink.commit()) { error in
            guard let error = error as? SinkError else { return XCTFail("not a SinkError: \(error)") }
            XCTAssertEqual(error.code, .brokenPipe)
            XCTAssertEqual(error.errno, EPIPE)
            XCTAssertEqual(error.path, "<stdout>")
        }
    }

    func testSplitPath() {
        XCTAssertEqual(AtomicOutputFile.split("a/b/c.jsonl").directory, "a/b")
        XCTAssertEqual(AtomicOutputFile.split("a/b/c.jsonl").name, "c.jsonl")
        XCTAssertNil(AtomicOutputFile.split("c.jsonl").directory)
        XCTAssertEqual(AtomicOutputFile.split("/c.jsonl").directory, "/")
    }
}
