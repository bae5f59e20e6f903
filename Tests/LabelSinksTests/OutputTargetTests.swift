import AfscanTestSupport
import Foundation
import Glibc
@testable import LabelSinks
import XCTest

/// Output targets that are not plain files (found by adversarial testing): devices, FIFOs and symlinks
/// must be written through, never replaced.
final class OutputTargetTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("targets") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func kind(_ path: String) -> mode_t {
        var st = stat()
        precondition(lstat(path, &st) == 0)
        return st.st_mode & S_IFMT
    }

    func testDevNullStaysADevice() throws {
        let f = try AtomicOutputFile(path: "/dev/null", compressed: false)
        XCTAssertTrue(f.isDirect)
        try f.write(Array("rows\n".utf8))
        try f.commit()
        XCTAssertEqual(kind("/dev/null"), S_IFCHR)
        let g = try AtomicOutputFile(path: "/dev/null", compressed: true)
        try g.write(Array("rows\n".utf8))
        g.abort()
        XCTAssertEqual(kind("/dev/null"), S_IFCHR)
    }

    func testSymlinkIsFollowedAndKept() throws {
        let target = dir.appendingPathComponent("target.jsonl").path
        let link = dir.appendingPathComponent("link.jsonl").path
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
        XCTAssertEqual(symlink(target, link), 0)
        let f = try AtomicOutputFile(path: link, compressed: false)
        try f.write(Array("new\n".utf8))
        try f.commit()
        XCTAssertEqual(kind(link), S_IFLNK)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "new\n")
    }

    func testFifoIsWrittenThrough() throws {
        let fifo = dir.appendingPathComponent("out.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // nonisolated(unsafe): written by the reader thread before it signals `done`, read here only after
        // waiting on `done` (a semaphore orders the two; polling Thread.isFinished did not, and
        // ThreadSanitizer reported the race).
        nonisolated(unsafe) var received = Data()
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
            done.signal()
        }
        reader.start()
        let f = try AtomicOutputFile(path: fifo, compressed: false)
        try f.write(Array("through the pipe\n".utf8))
        try f.commit()
        done.wait()
        XCTAssertEqual(String(decoding: received, as: UTF8.self), "through the pipe\n")
        XCTAssertEqual(kind(fifo), S_IFIFO)
    }

    func testDirectoryAndEmptyPathsAreErrors() {
        XCTAssertThrowsError(try AtomicOutputFile(path: dir.path, compressed: false)) { e in
            XCTAssertEqual((e as? SinkError)?.code, .open)
            XCTAssertTrue("\(e)".contains("is a directory"), "\(e)")
        }
        XCTAssertThrowsError(try AtomicOutputFile(path: "", compressed: false)) { e in
            XCTAssertEqual((e as? SinkError)?.code, .open)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }
}

/// Two-phase commit and the registry of temporary files (adversarial-trial findings 4 and 6).
final class OutputPublishingTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("publish") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }

    func testPreparedFileReplacesNothingUntilPublished() throws {
        let f = try AtomicOutputFile(path: path("rows.jsonl"), compressed: false)
        XCTAssertTrue(TemporaryOutputs.current.contains(f.temporaryPath))
        try f.write(Array("row\n".utf8))
        try f.prepare()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("rows.jsonl")))
        XCTAssertTrue(TemporaryOutputs.current.contains(f.temporaryPath))
        try f.publish()
        XCTAssertEqual(try String(contentsOfFile: path("rows.jsonl"), encoding: .utf8), "row\n")
        XCTAssertFalse(TemporaryOutputs.current.contains(f.temporaryPath))
        XCTAssertEqual(try entries(), ["rows.jsonl"])
    }

    func testAbortAfterPrepareRemovesTheTemporaryFile() throws {
        let f = try AtomicOutputFile(path: path("rows.jsonl"), compressed: true)
        try f.write(Array("row\n".utf8))
        try f.prepare()
        f.abort()
        XCTAssertEqual(try entries(), [])
        XCTAssertFalse(TemporaryOutputs.current.contains(f.temporaryPath))
        XCTAssertThrowsError(try f.publish()) { XCTAssertEqual(($0 as? SinkError)?.code, .finished) }
    }

    func testRemoveAllUnlinksEveryOpenOrPreparedTemporary() throws {
        let a = try AtomicOutputFile(path: path("a.jsonl"), compressed: false)
        let b = try AtomicOutputFile(path: path("b.json"), compressed: false)
        try b.prepare()
        XCTAssertEqual(try entries().count, 2)
        TemporaryOutputs.removeAll()
        XCTAssertEqual(try entries(), [])
        XCTAssertFalse(TemporaryOutputs.current.contains(a.temporaryPath))
        a.abort()
        b.abort()
    }

    // The ThreadSanitizer run found `.s-*.json.tmp.*` files after SIGTERM: the watchdog removed the
    // temporaries, then `summary` created its own before `_exit` ended the process (docs/FUZZING.md,
    // "Sanitizers"). After `removeAllBeforeExit()` nothing is created; a plain `removeAll()` still lets
    // later outputs be made (label's run reports of an interrupted run).
    func testNoTemporaryFileIsCreatedOnceTheProcessIsEnding() throws {
        let registry = TemporaryOutputs.Registry()
        let create: (String) -> TemporaryOutputs.Creation = { p in
            registry.create(p) { open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        }
        guard case .created(let a) = create(path(".a.tmp")) else { return XCTFail("a was not created") }
        close(a)
        XCTAssertEqual(registry.current, [path(".a.tmp")])
        XCTAssertEqual(create(path("missing/.x.tmp")), .failed(ENOENT))
        XCTAssertEqual(create(path(".a.tmp")), .failed(EEXIST))
        XCTAssertEqual(registry.current, [path(".a.tmp")])
        registry.removeAll()
        XCTAssertEqual(try entries(), [])
        guard case .created(let b) = create(path(".b.tmp")) else { return XCTFail("b was not created after removeAll") }
        close(b)
        XCTAssertEqual(try entries(), [".b.tmp"])
        registry.removeAllBeforeExit()
        XCTAssertEqual(try entries(), [])
        XCTAssertEqual(registry.current, [])
        var called = false
        XCTAssertEqual(registry.create(path(".c.tmp")) { called = true; return open(path(".c.tmp"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }, .processEnding)
        XCTAssertFalse(called)
        XCTAssertEqual(try entries(), [])
        XCTAssertEqual(registry.current, [])
        // The process-wide registry is a different one: this test did not end it.
        XCTAssertNotIdentical(registry, TemporaryOutputs.registry)
    }

    func testDanglingSymlinkIsFollowedToTheFileItNames() throws {
        XCTAssertEqual(symlink("sub/../referent.jsonl", path("link.jsonl")), 0)
        XCTAssertEqual(AtomicOutputFile.followingSymlinks(path("link.jsonl")), path("sub/../referent.jsonl"))
        XCTAssertEqual(symlink("loop2", path("loop1")), 0)
        XCTAssertEqual(symlink("loop1", path("loop2")), 0)
        XCTAssertTrue([path("loop1"), path("loop2")].contains(AtomicOutputFile.followingSymlinks(path("loop1"))))
        try FileManager.default.createDirectory(atPath: path("sub"), withIntermediateDirectories: false)
        let f = try AtomicOutputFile(path: path("link.jsonl"), compressed: false)
        try f.write(Array("x\n".utf8))
        try f.commit()
        var st = stat()
        XCTAssertEqual(lstat(path("link.jsonl"), &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFLNK)
        XCTAssertEqual(try String(contentsOfFile: path("referent.jsonl"), encoding: .utf8), "x\n")
    }
}

/// Replacing a file keeps what the user set on it; long names still get a temporary file (adversarial
/// findings: a 0600 output became 0644; names over ~225 bytes failed with ENAMETOOLONG).
final class OutputReplacementTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("replace") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testReplacingAFileKeepsItsPermissionBits() throws {
        let path = dir.appendingPathComponent("private.jsonl").path
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(chmod(path, 0o600), 0)
        let f = try AtomicOutputFile(path: path, compressed: false)
        try f.write(Array("new\n".utf8))
        try f.commit()
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o600)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new\n")
    }

    func testSetuidBitsAreNotCarriedOver() throws {
        let path = dir.appendingPathComponent("tool.jsonl").path
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(chmod(path, 0o4755), 0)
        let f = try AtomicOutputFile(path: path, compressed: false)
        try f.commit()
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o755)
    }

    func testANameOverTheLimitIsRefusedBeforeAnythingIsWritten() {
        let path = dir.appendingPathComponent(String(repeating: "n", count: 256)).path
        XCTAssertThrowsError(try AtomicOutputFile(path: path, compressed: false)) { e in
            XCTAssertEqual((e as? SinkError)?.code, .open)
            XCTAssertTrue("\(e)".contains("file name too long (256 bytes; at most 255)"), "\(e)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testANameNearTheLimitGetsATemporaryFile() throws {
        let name = String(repeating: "n", count: 249) + ".jsonl"   // 255 bytes: NAME_MAX
        let path = dir.appendingPathComponent(name).path
        let f = try AtomicOutputFile(path: path, compressed: false)
        XCTAssertLessThan(AtomicOutputFile.split(f.temporaryPath).name.utf8.count, 160)
        try f.write(Array("x\n".utf8))
        try f.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [name])
    }
}
