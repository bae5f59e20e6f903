import AfscanTestSupport
import Foundation
import XCTest

/// The progress line (issue 10 point 3): frames only on a terminal, plain lines at the injected interval
/// with `--progress always` when stderr is not one, `-q` silences all but errors, colour follows
/// `--color` and `NO_COLOR` and never reaches JSONL. Nothing here asserts speed: the archive is large
/// enough for a few 0.1 s ticks in a debug build, and every assertion holds however many ticks there are
/// (at least one).
final class ProgressTests: XCTestCase {
    /// Made once (in `setUp()` of the class) and read by every test.
    private static let dir = TestPaths.temporaryDirectory("progress")
    private static var archive: String { dir.appendingPathComponent("run.jsonl.zst").path }

    override class func setUp() {
        let r = try! AfscanBinary.run(["generate", "-o", archive, "--size", "8MB", "--seed", "5", "--frame-bytes", "1MB", "-q"])
        precondition(r.status == 0, r.stderr)
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { Self.dir.appendingPathComponent(name).path }

    /// `afscan …` with `extra` added to this process's environment.
    private func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, stdout: Data, stderr: String) {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        for (k, v) in extra { environment[k] = v }
        let r = try runProcess(AfscanBinary.url.path, arguments, environment: environment)
        return (r.status, r.stdout, String(decoding: r.stderr, as: UTF8.self))
    }

    /// `afscan VERB: 1.2 MB of 3.4 MB (35%), 1,234 records, 5.6 MB/s[, ETA 0:12]`.
    private static let plainLine = try! NSRegularExpression(
        pattern: #"^afscan (label|eval|generate|train \(reading samples\)|bench \(label end to end\)): [0-9]+\.[0-9] MB of [0-9]+\.[0-9] MB \([0-9]{1,3}%\), [0-9][0-9,]* records, [0-9]+\.[0-9] MB/s(, ETA [0-9]+:[0-9]{2})?$"#)

    private func progressLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter {
            Self.plainLine.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil
        }
    }

    func testNoProgressWhenStderrIsNotATerminal() throws {
        let r = try run(["label", Self.archive, "-o", path("auto.jsonl")], environment: ["AFSCAN_PROGRESS_INTERVAL": "0.01"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("\r"))
        XCTAssertFalse(r.stderr.contains("\u{1B}"))
        XCTAssertEqual(progressLines(r.stderr), [])
        XCTAssertTrue(r.stderr.contains("compliance gap"), "the summary table is still printed: \(r.stderr)")
    }

    /// `--progress always` with stderr a pipe: plain lines (no `\r`, no escape), one per interval
    /// (`AFSCAN_PROGRESS_INTERVAL`, 60 s by default), for label, generate, eval, train and bench; rows unchanged.
    func testAlwaysPrintsPlainLinesAtTheInterval() throws {
        let r = try run(["label", Self.archive, "-o", path("always.jsonl"), "--progress", "always"], environment: ["AFSCAN_PROGRESS_INTERVAL": "0.05"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("\r"))
        XCTAssertFalse(r.stderr.contains("\u{1B}"))
        let lines = progressLines(r.stderr)
        XCTAssertGreaterThanOrEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("afscan label: ") && $0.contains(" MB of ") }, "\(lines)")
        let quietRows = try run(["label", Self.archive, "-o", path("never.jsonl"), "--progress", "never"])
        XCTAssertEqual(quietRows.status, 0, quietRows.stderr)
        XCTAssertEqual(progressLines(quietRows.stderr), [])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("always.jsonl"))), try Data(contentsOf: URL(fileURLWithPath: path("never.jsonl"))))

        let g = try run(["generate", "-o", path("gen.jsonl"), "--size", "6MB", "--seed", "2", "--progress", "always"], environment: ["AFSCAN_PROGRESS_INTERVAL": "0.05"])
        XCTAssertEqual(g.status, 0, g.stderr)
        let generated = progressLines(g.stderr)
        XCTAssertGreaterThanOrEqual(generated.count, 1, g.stderr)
        XCTAssertTrue(generated.allSatisfy { $0.hasPrefix("afscan generate: ") && $0.contains(" of 6.0 MB (") }, "\(generated)")
        XCTAssertTrue(g.stderr.contains("afscan generate: \(path("gen.jsonl")): generated "), g.stderr)

        let e = try run(["eval", Self.archive, "--reference", "success", "--positive", "true", "--bootstrap", "0", "--progress", "always"],
                        environment: ["AFSCAN_PROGRESS_INTERVAL": "0.05"])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertTrue(progressLines(e.stderr).contains { $0.hasPrefix("afscan eval: ") }, e.stderr)
        XCTAssertFalse(e.stderr.contains("\r"))

        let t = try run(["train", Self.archive, "--reference", "tags", "--positive", "free_tier", "--folds", "2", "--bootstrap", "0",
                         "-o", path("model.json"), "--progress", "always"], environment: ["AFSCAN_PROGRESS_INTERVAL": "0.05"])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(progressLines(t.stderr).contains { $0.hasPrefix("afscan train (reading samples): ") }, t.stderr)
        XCTAssertFalse(t.stderr.contains("\r"))

        let b = try run(["bench", Self.archive, "--zstd", "", "--progress", "always", "--color", "always"], environment: ["AFSCAN_PROGRESS_INTERVAL": "0.05"])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertTrue(b.stderr.contains("\u{1B}[36mafscan bench (label end to end):\u{1B}[0m "), "--color always colours the plain lines: \(b.stderr)")
        XCTAssertFalse(b.stderr.contains("\r"))
    }

    /// `-q` silences progress, table and notes; errors (a rejected record) remain.
    func testQuietSilencesAllButErrors() throws {
        let bad = path("bad.jsonl")
        try Data("{\"text\": \"ok\"}\nnot json\n".utf8).write(to: URL(fileURLWithPath: bad))
        let r = try run(["label", Self.archive, bad, "-o", path("q.jsonl"), "-q", "--progress", "always"], environment: ["AFSCAN_PROGRESS_INTERVAL": "0.01"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "afscan: \(bad): record 2 (byte offset 15): rejected: invalid_json: Problem while parsing an atom starting with the letter 'n'\n")
        let g = try run(["generate", "-o", path("gq.jsonl"), "--size", "1MB", "-q", "--progress", "always"], environment: ["AFSCAN_PROGRESS_INTERVAL": "0.01"])
        XCTAssertEqual(g.status, 0, g.stderr)
        XCTAssertEqual(g.stderr, "")
    }

    /// Through a pseudo-terminal (`script`): `\r` frames ending in erase-to-end-of-line, coloured by
    /// default, plain with NO_COLOR or --color never; none with --progress never or -q; the rows file
    /// holds no escape either way; none with auto while rows go to the terminal.
    func testTerminalFramesThroughAPseudoTerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("/usr/bin/script (util-linux) is absent; skipping the pseudo-terminal test")
        }
        func onTerminal(_ arguments: [String], _ extra: [String: String] = [:]) throws -> String {
            let command = ([AfscanBinary.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "NO_COLOR")
            environment["TERM"] = "xterm"
            for (k, v) in extra { environment[k] = v }
            let r = try runProcess("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment)
            XCTAssertEqual(r.status, 0, String(decoding: r.stdout, as: UTF8.self))
            return String(decoding: r.stdout, as: UTF8.self)
        }
        let coloured = try onTerminal(["label", Self.archive, "-o", path("tty.jsonl")])
        XCTAssertTrue(coloured.contains("\r\u{1B}[36mafscan label:\u{1B}[0m "), coloured)
        XCTAssertTrue(coloured.contains("\u{1B}[K"), coloured)
        XCTAssertTrue(coloured.contains("compliance gap"), coloured)
        XCTAssertFalse(try String(contentsOfFile: path("tty.jsonl"), encoding: .utf8).contains("\u{1B}"))

        for (arguments, extra) in [([String](), ["NO_COLOR": "1"]), (["--color", "never"], [:])] {
            let plain = try onTerminal(["label", Self.archive, "-o", path("tty2.jsonl")] + arguments, extra)
            XCTAssertTrue(plain.contains("\rafscan label: "), plain)
            XCTAssertFalse(plain.contains("\u{1B}[36m"), plain)
            XCTAssertFalse(plain.contains("\u{1B}[1m"), plain)
        }
        // NO_COLOR set but empty does not turn colour off (no-color.org).
        XCTAssertTrue(try onTerminal(["label", Self.archive, "-o", path("tty3.jsonl")], ["NO_COLOR": ""]).contains("\u{1B}[36m"))
        // Rows to the terminal itself (no -o): no frame between them with auto.
        let rowsOnTerminal = try onTerminal(["label", Self.archive])
        XCTAssertFalse(rowsOnTerminal.contains("\rafscan label:") || rowsOnTerminal.contains("\r\u{1B}[36m"))
        XCTAssertTrue(rowsOnTerminal.contains("\"source\":"), "rows reach the terminal")
        for arguments in [["--progress", "never"], ["-q"]] {
            let none = try onTerminal(["label", Self.archive, "-o", path("tty4.jsonl")] + arguments)
            XCTAssertFalse(none.contains("\r\u{1B}"), none)
            XCTAssertFalse(none.contains("\rafscan label:"), none)
        }
    }
}
