import AfscanTestSupport
import Foundation
import Glibc
import XCTest

/// Outputs are never half-written, never left behind as temporary files, and never replace an input or a
/// device (findings of an adversarial trial; each test names the finding it keeps fixed).
final class OutputSafetyTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("outsafety") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    var sample: String { TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path }
    func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }
    func kind(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : 0
    }
    /// Runs `script` with /bin/sh, `$B` being the afscan binary, in the test directory.
    func shell(_ script: String) throws -> (status: Int32, stderr: String) {
        let r = try runProcess("/bin/sh", ["-c", "cd \"$D\" || exit 99\n" + script],
                               environment: ProcessInfo.processInfo.environment.merging(["B": AfscanBinary.url.path, "D": dir.path]) { $1 })
        return (r.status, String(decoding: r.stderr, as: UTF8.self))
    }

    // Finding 1: `generate` replaced devices, FIFOs and symlinks by regular files.
    func testGenerateWritesThroughFifosFollowsSymlinksAndRefusesDirectories() throws {
        let fifo = file("out.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread { received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data() }
        reader.start()
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", fifo, "--size", "50KB", "--seed", "5"]).status, 0)
        while !reader.isFinished { usleep(1000) }
        XCTAssertEqual(kind(fifo), S_IFIFO)

        let plain = file("plain.jsonl")
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", plain, "--size", "50KB", "--seed", "5"]).status, 0)
        let expected = try Data(contentsOf: URL(fileURLWithPath: plain))
        XCTAssertEqual(received, expected)

        XCTAssertEqual(symlink("referent.jsonl", file("link.jsonl")), 0)   // dangling: the referent is created
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", file("link.jsonl"), "--size", "50KB", "--seed", "5"]).status, 0)
        XCTAssertEqual(kind(file("link.jsonl")), S_IFLNK)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file("referent.jsonl"))), expected)

        let stdout = try AfscanBinary.run(["generate", "-o", "-", "--size", "50KB", "--seed", "5"])
        XCTAssertEqual(stdout.status, 0)
        XCTAssertEqual(stdout.stdout, expected)

        try FileManager.default.createDirectory(atPath: file("adir"), withIntermediateDirectories: false)
        let r = try AfscanBinary.run(["generate", "-o", file("adir"), "--size", "50MB"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("adir is a directory"), r.stderr)
        XCTAssertEqual(try entries(), ["adir", "link.jsonl", "out.fifo", "plain.jsonl", "referent.jsonl"])
    }

    // Finding 2: with stdout closed, the first output file got descriptor 1 and the rows.
    func testClosedStandardOutputIsRefusedAndWritesNothing() throws {
        let r = try shell("\"$B\" label \(sample) -q --summary s.json >&-")
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("standard output is closed; name an output file instead"), r.stderr)
        XCTAssertEqual(try entries(), [])
        // With -o, a closed stdout is not needed and the summary is the summary.
        XCTAssertEqual(try shell("\"$B\" label \(sample) -q -o rows.jsonl --summary s.json >&-").status, 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file("s.json")))) as? [String: Any]
        XCTAssertEqual((summary?["totals"] as? [String: Any])?["records"] as? Int, 8)
    }

    // Finding 6: an output silently replaced an input or another output (also through a symlink).
    func testOutputsNeverReplaceAnInputOrEachOther() throws {
        let input = file("in.jsonl.zst")
        try FileManager.default.copyItem(atPath: sample, toPath: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        XCTAssertEqual(symlink("e.jsonl", file("link.jsonl")), 0)
        let cases: [[String]] = [
            ["label", input, "-o", input],
            ["label", input, "-o", file("o.jsonl"), "--summary", input],
            ["label", input, "-o", file("link.jsonl"), "--route", "maybe", "--export", file("e.jsonl")],
            ["label", input, "--summary", "-", "-q"],
            ["summary", input, "-o", input],
            ["eval", input, "--reference", "x", "--positive", "y", "-o", input],
        ]
        for args in cases {
            let r = try AfscanBinary.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
        }
        XCTAssertTrue(try AfscanBinary.run(["label", input, "-o", input]).stderr.contains("-o \(input) is also an input"))
        XCTAssertTrue(try AfscanBinary.run(["label", input, "--summary", "-", "-q"]).stderr.contains("-o and --summary both name standard output (-)"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), before)
        XCTAssertEqual(try entries(), ["in.jsonl.zst", "link.jsonl"])
    }

    // Re-test finding 1: an output inside a directory operand replaced an input there, or was read as an
    // input by the next run.
    func testAnOutputInsideADirectoryOperandIsRefused() throws {
        let runs = file("runs")
        try FileManager.default.createDirectory(atPath: runs + "/sub", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: sample, toPath: runs + "/data.jsonl.zst")
        let before = try Data(contentsOf: URL(fileURLWithPath: runs + "/data.jsonl.zst"))
        let cases: [[String]] = [
            ["label", runs, "-o", runs + "/data.jsonl.zst"],
            ["label", runs, "-o", runs + "/sub/new.jsonl"],
            ["label", runs, "-o", file("o.jsonl"), "--summary", runs + "/s.json"],
            ["summary", runs, "-o", runs + "/s.json"],
            ["eval", runs, "--reference", "x", "--positive", "y", "-o", runs + "/r.txt"],
        ]
        for args in cases {
            let r = try AfscanBinary.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("is inside the input directory \(runs)"), r.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: runs + "/data.jsonl.zst")), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: runs).sorted(), ["data.jsonl.zst", "sub"])
        // Beside the directory is fine.
        XCTAssertEqual(try AfscanBinary.run(["label", runs, "-o", file("o.jsonl"), "-q"]).status, 0)
        // Re-test 2: the walk follows symlinks, so an output reached through one is an input as well: a
        // linked file, and a file in a linked directory.
        XCTAssertEqual(symlink("../o.jsonl", runs + "/flink.jsonl"), 0)
        let linked = try AfscanBinary.run(["label", runs, "-o", file("o.jsonl"), "-q"])
        XCTAssertEqual(linked.status, 64, linked.stderr)
        XCTAssertTrue(linked.stderr.contains("-o \(file("o.jsonl")) is also an input (\(runs)/flink.jsonl, reached through the directory walk)"), linked.stderr)
        XCTAssertEqual(unlink(runs + "/flink.jsonl"), 0)
        try FileManager.default.createDirectory(atPath: file("ext"), withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: file("o.jsonl"), toPath: file("ext/out.jsonl"))
        XCTAssertEqual(symlink("../ext", runs + "/extlink"), 0)
        XCTAssertEqual(try AfscanBinary.run(["summary", runs, "-o", file("ext/out.jsonl"), "-q"]).status, 64)
    }

    // Re-test 2: a signal just after summary/eval had renamed its output into place still ended the process
    // with 128 + signal. Whatever the moment: 128 + signal means nothing was published, 0 means it was.
    func testExitStatusAndPublishedOutputAgreeWhateverTheSignalTiming() throws {
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-o", file("rows.jsonl"), "-q"]).status, 0)
        for delay: useconds_t in stride(from: 20_000, through: 160_000, by: 10_000) {
            let out = file("s-\(delay).json")
            let p = Process()
            p.executableURL = AfscanBinary.url
            p.arguments = ["summary", file("rows.jsonl"), "-o", out, "-q"]
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(delay)
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            let published = FileManager.default.fileExists(atPath: out)
            if p.terminationReason == .exit && p.terminationStatus == 0 {
                XCTAssertTrue(published, "delay \(delay) µs: exit 0 without the output")
            } else {
                XCTAssertFalse(published, "delay \(delay) µs: ended by SIGTERM (\(p.terminationStatus)) but the output was published")
            }
        }
        XCTAssertEqual(try entries().filter { $0.contains(".tmp.") }, [])
    }

    // Re-test finding 2: eval and bench --json wrote with FileHandle and crashed (SIGILL) on a broken pipe
    // or a closed stdout.
    func testEvalAndBenchOnABrokenPipeOrClosedStdout() throws {
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-o", file("rows.jsonl"), "-q", "--keep-field", "id"]).status, 0)
        let eval = "\"$B\" eval rows.jsonl --reference condition --positive training"
        XCTAssertEqual(try shell("(sleep 1; \(eval)) | true").status, 0)
        let closed = try shell("\(eval) >&-")
        XCTAssertEqual(closed.status, 2, closed.stderr)
        XCTAssertTrue(closed.stderr.contains("cannot write to standard output: standard output is closed"), closed.stderr)
        let bench = "\"$B\" bench \(sample) --json --zstd ''"
        XCTAssertEqual(try shell("(sleep 1; \(bench) 2>/dev/null) | true").status, 0)
        XCTAssertEqual(try shell("\(bench) >&-").status, 2)
        // Re-test finding 5: bench on a FIFO waited forever in open(2) for its second pass.
        XCTAssertEqual(mkfifo(file("bf"), 0o600), 0)
        let fifo = try AfscanBinary.run(["bench", file("bf"), "--zstd", ""])
        XCTAssertEqual(fifo.status, 1)
        XCTAssertTrue(fifo.stderr.contains("bench needs a regular file"), fifo.stderr)
    }

    // Finding 4: a failing output left the other outputs' temporary files, or published some of them.
    func testAFailingOutputPublishesNothingAndLeavesNoTemporaryFile() throws {
        let cases: [(args: [String], message: String)] = [
            (["-o", "/dev/full", "--summary", file("s.json"), "--route", "maybe", "--export", file("e.jsonl")], "cannot write output: writing /dev/full: No space left on device"),
            (["-o", file("o.jsonl"), "--summary", file("s.json"), "--route", "all", "--export", "/dev/full"], "cannot write the export: writing /dev/full: No space left on device"),
            (["-o", file("o.jsonl"), "--summary", "/dev/full"], "cannot write summary: writing /dev/full: No space left on device"),
        ]
        for c in cases {
            let r = try AfscanBinary.run(["label", sample, "-q"] + c.args)
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains(c.message), r.stderr)
            XCTAssertEqual(try entries(), [], "\(c.args)")
        }
    }

    // Finding 4: a broken pipe on stdout ended the run with the summary's and export's temporaries left.
    func testBrokenPipeLeavesNoTemporaryFile() throws {
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", file("big.jsonl.zst"), "--size", "4MB", "--seed", "2"]).status, 0)
        let r = try shell("\"$B\" label big.jsonl.zst -q --summary s.json --route all --export e.jsonl | head -c 10 > /dev/null")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try entries(), ["big.jsonl.zst"])
    }

    /// Starts `afscan label - -o o.jsonl` reading a pipe that stays open after one record, sends `signal`
    /// once the run is blocked on it, and returns (exit status, seconds from the signal to the exit).
    func interruptWhileBlocked(_ signal: Int32) throws -> (status: Int32, seconds: Double) {
        let p = Process()
        p.executableURL = AfscanBinary.url
        p.arguments = ["label", "-", "-o", file("o.jsonl"), "-q"]
        let input = Pipe()
        p.standardInput = input
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("{\"text\":\"x\"}\n".utf8))
        // The record is read and the reader waits for more once the temporary output exists (start-up
        // can take seconds on a loaded machine: wait for it rather than for a fixed time).
        for _ in 0..<200 where try entries().filter({ $0.hasPrefix(".o.jsonl.tmp.") }).isEmpty { usleep(50_000) }
        usleep(300_000)
        XCTAssertTrue(FileManager.default.fileExists(atPath: file("o.jsonl")) == false)
        XCTAssertEqual(try entries().filter { $0.hasPrefix(".o.jsonl.tmp.") }.count, 1)
        // Before the fix the run waited for the input to end: end it after 15 s, so such a run fails the
        // bound below instead of hanging the suite.
        let writer = input.fileHandleForWriting
        DispatchQueue.global().asyncAfter(deadline: .now() + 15) { try? writer.close() }
        let start = Date()
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        return (p.terminationStatus, Date().timeIntervalSince(start))
    }

    // Re-test finding 3: a signal between ignoring SIGINT and the dispatch source taking over was lost (rc 0,
    // outputs published), and one during rule compilation killed the process by the default action.
    // Whenever it comes, a signal must end the run (130) and leave no file.
    func testASignalAtAnyMomentEndsTheRunWith130AndNoFile() throws {
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", file("in.jsonl.zst"), "--size", "2MB", "--seed", "4"]).status, 0)
        for delay: useconds_t in [0, 5_000, 20_000, 50_000, 100_000, 300_000] {
            let p = Process()
            p.executableURL = AfscanBinary.url
            p.arguments = ["label", file("in.jsonl.zst"), "-o", file("o.jsonl"), "--summary", file("s.json"), "-q"]
            p.environment = ProcessInfo.processInfo.environment.merging(["AFSCAN_CACHE_DIR": file("cache-\(delay)")]) { $1 }
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(delay)
            kill(p.processIdentifier, SIGINT)
            p.waitUntilExit()
            // Before `main` installs the handler (process start-up, a few ms) the default action ends the
            // process, which is fine: nothing is written yet. From then on: exit 130. Never 0.
            let killedBeforeMain = p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGINT
            let interrupted = p.terminationReason == .exit && p.terminationStatus == 130
            XCTAssertTrue(killedBeforeMain || interrupted, "delay \(delay) µs: \(p.terminationReason.rawValue) \(p.terminationStatus)")
            XCTAssertEqual(try entries().filter { !$0.hasPrefix("cache-") }, ["in.jsonl.zst"], "delay \(delay) µs")
        }
    }

    // A signal inherited as ignored stays ignored: `nohup afscan …` survives a hang-up (SIGHUP sent while
    // the run waits on its input; the input then ends and the run completes).
    func testNohupRunSurvivesAHangUp() throws {
        let r = try shell("""
            (cat \(sample); sleep 2) | nohup "$B" label - -o o.jsonl -q > /dev/null 2>&1 & p=$!
            sleep 1; kill -HUP $p; wait $p
            """)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try jsonLines(Data(contentsOf: URL(fileURLWithPath: file("o.jsonl")))).count, 8)
    }

    // Finding 3: signals were ignored while a thread was blocked reading a slow input.
    func testSignalWhileBlockedOnInputEndsTheRunWithinTheGracePeriod() throws {
        let interrupted = try interruptWhileBlocked(SIGINT)
        XCTAssertEqual(interrupted.status, 130)
        XCTAssertLessThan(interrupted.seconds, 10)   // a liveness bound (grace period 2 s), not a speed figure
        XCTAssertEqual(try entries(), [])
        // Finding 4: SIGHUP (a closed terminal) left the temporary file; it is an interrupt too.
        let hungUp = try interruptWhileBlocked(SIGHUP)
        XCTAssertEqual(hungUp.status, 129)
        XCTAssertEqual(try entries(), [])
    }
}
