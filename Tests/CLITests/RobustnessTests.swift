import AfscanTestSupport
import Foundation
import Glibc
import XCTest

/// Findings of adversarial testing, each kept as a regression test (see the commit history for the
/// original reports).
final class RobustnessTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("robust") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    var sample: String { TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path }
    func file(_ name: String, _ text: String? = nil) throws -> String {
        let path = dir.appendingPathComponent(name).path
        if let text { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        return path
    }

    func testOutputToDevNullKeepsTheDevice() throws {
        let r = try AfscanBinary.run(["label", sample, "-o", "/dev/null", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var st = stat()
        XCTAssertEqual(lstat("/dev/null", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR)
    }

    func testUsageErrors() throws {
        let x = try file("x.jsonl")
        for args in [["-o", x, "--summary", x], ["-o", ""], ["--summary", ""], ["-j", "100000"],
                     ["--condition-field", "a", "--condition-map", "t=training,t=unmonitored"],
                     ["--condition-field", ""], ["--condition-field", "a..b"], ["--keep-field", ""],
                     ["--group-by", "a,,b"]] {
            let r = try AfscanBinary.run(["label", sample] + args + ["-q"])
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
        }
        XCTAssertEqual(try AfscanBinary.run(["label", "-", "-", "-q"], stdin: Data()).status, 64)
        XCTAssertFalse(FileManager.default.fileExists(atPath: x))
    }

    func testUnwritableSummaryFailsBeforeTheRun() throws {
        let out = try file("rows.jsonl")
        let r = try AfscanBinary.run(["label", sample, "-o", out, "--summary", dir.appendingPathComponent("no/such/dir/s.json").path, "-q"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("cannot write summary"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no rows are written when the summary cannot be")
    }

    func testABrokenFirstLineDoesNotSwallowTheFile() throws {
        let input = try file("broken.jsonl", "{\"id\":\"a\",\n{\"id\":\"b\",\"text\":\"y\"}\n{\"id\":\"c\",\"text\":\"z\"}\n")
        let r = try AfscanBinary.run(["label", input, "-q"])
        XCTAssertEqual(r.status, 1)
        let rows = try jsonLines(r.stdout)
        XCTAssertEqual(rows.map { $0["status"] as? String }, ["rejected", "ok", "ok"])
        XCTAssertEqual(rows.map { $0["id"] as? String }, [nil, "b", "c"])
    }

    func testRejectedRowsKeepTheirIdAndSayWhichFieldIsWrong() throws {
        let input = try file("types.jsonl", "{\"id\":\"e\",\"text\":5}\n")
        let r = try AfscanBinary.run(["label", input, "-q"])
        let row = try XCTUnwrap(try jsonLines(r.stdout).first)
        XCTAssertEqual(row["id"] as? String, "e")
        XCTAssertEqual(row["reason"] as? String, "no_text_field")
        XCTAssertTrue((row["detail"] as? String ?? "").contains("field `text` is a JSON int"), "\(row)")
    }

    func testMissingOrUnmappedConditionFieldsWarn() throws {
        let input = try file("c.jsonl", "{\"id\":1,\"text\":\"a\",\"m\":{\"tier\":\"free\"}}\n{\"id\":2,\"text\":\"b\"}\n")
        // Warnings, so not with -q (which keeps errors only).
        let r = try AfscanBinary.run(["label", input, "--condition-field", "m.tier", "--condition-map", "paid=unmonitored"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("--condition-field m.tier is missing in 1 of 2 labelled records"), r.stderr)
        XCTAssertTrue(r.stderr.contains("values not in --condition-map in 1 records (e.g. 'free')"), r.stderr)
        let rows = try jsonLines(r.stdout)
        XCTAssertEqual((rows[0]["flags"] as? [String: Any])?["condition_value_unmapped"] as? String, "free")
        XCTAssertEqual((rows[1]["flags"] as? [String: Any])?["condition_field_missing"] as? Bool, true)
    }

    func testLabelAndSummaryGroupAlike() throws {
        let values = ["\"1\"", "1", "1.0", "-0.0", "null", "true", "\"x\""]
        let text = values.enumerated().map { "{\"id\":\($0.offset),\"text\":\"t\",\"g\":\($0.element)}" }.joined(separator: "\n") + "\n"
        let input = try file("g.jsonl", text)
        let rows = try file("g-rows.jsonl"), a = try file("a.json")
        XCTAssertEqual(try AfscanBinary.run(["label", input, "--group-by", "g", "--keep-field", "g", "-o", rows, "--summary", a, "-q"]).status, 0)
        let b = try AfscanBinary.run(["summary", rows, "--group-by", "fields.g", "-q"])
        func groups(_ data: Data) throws -> [String] {
            let s = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
            return (s["groups"] as? [[String: Any]] ?? []).map { g in
                let v = (g["group"] as? [String: Any])?.values.first
                return "\(v.map { "\($0)" } ?? "nil")=\(g["records"] as? Int ?? -1)"
            }
        }
        let fromLabel = try groups(Data(contentsOf: URL(fileURLWithPath: a)))
        XCTAssertEqual(fromLabel, try groups(b.stdout))
        XCTAssertEqual(fromLabel.count, 5, "\(fromLabel)")   // 1 (×3), -0, true, x, missing (null)
    }

    func testDumpedRulesCarryTheBuiltInHash() throws {
        let dumped = try AfscanBinary.run(["rules", "dump"]).stdout
        let path = try file("rules.yaml")
        try dumped.write(to: URL(fileURLWithPath: path))
        let builtIn = try jsonLines(try AfscanBinary.run(["label", sample, "-q"]).stdout)[0]["rules_hash"] as? String
        let fromFile = try jsonLines(try AfscanBinary.run(["label", sample, "--rules", path, "-q"]).stdout)[0]["rules_hash"] as? String
        XCTAssertNotNil(builtIn)
        XCTAssertEqual(builtIn, fromFile)
    }

    /// Finding: `afscan bench DIR` died on a `try!` inside Foundation ("Is a directory", exit 132) and
    /// `bench MISSING` said only "cannot open". Both are input faults: the path and the reason on
    /// stderr, exit 1, the status `label` gives for an input it cannot open.
    func testBenchNamesAnArchiveItCannotOpenAndWhy() throws {
        let directory = try AfscanBinary.run(["bench", dir.path, "--zstd", ""])
        XCTAssertEqual(directory.status, 1, directory.stderr)
        XCTAssertEqual(directory.stderr, "afscan: \(dir.path): is a directory\n")
        let missing = dir.appendingPathComponent("absent.jsonl.zst").path
        let r = try AfscanBinary.run(["bench", missing, "--zstd", ""])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "afscan: \(missing): cannot open input: No such file or directory\n")
        // label with no readable input at all publishes nothing and says so (exit 2, fatal).
        let label = try AfscanBinary.run(["label", missing, "-q"])
        XCTAssertEqual(label.status, 2)
        XCTAssertTrue(label.stderr.contains("afscan: no input could be read (1 failed); nothing written"), label.stderr)
    }

    /// Finding: a subdirectory that could not be listed (chmod 000, run as a non-root user) dropped the
    /// whole directory operand: 0 rows, and the only message ended in "(decompressed offset 0)". It is
    /// now an input fault of its own (stderr, the summary's input_faults, exit 1) and every other file
    /// is labelled. Root lists any directory, so as root afscan runs without the capabilities that let
    /// it (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH).
    func testUnlistableSubdirectoryIsAnInputFaultAndEveryOtherFileIsLabelled() throws {
        let top = dir.appendingPathComponent("dd"), sub = top.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["a.jsonl", "sub/lost.jsonl", "z.jsonl"] {
            try Data("{\"id\":\"\(name)\",\"text\":\"<think>I will answer.</think>\"}\n".utf8).write(to: top.appendingPathComponent(name))
        }
        XCTAssertEqual(chmod(sub.path, 0), 0)
        defer { chmod(sub.path, 0o755) }
        let withoutOverride = getuid() == 0 ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] : []
        if let tool = withoutOverride.first {
            let probe = try? runProcess(tool, Array(withoutOverride.dropFirst()) + ["/bin/ls", sub.path])
            guard let probe, probe.status != 0 else { throw XCTSkip("cannot make a directory unlistable here (no setpriv, or it cannot drop capabilities)") }
        }
        let summary = dir.appendingPathComponent("summary.json").path
        let command = withoutOverride + [AfscanBinary.url.path, "label", top.path, "--summary", summary, "-q"]
        let r = try runProcess(command[0], Array(command.dropFirst()))
        let stderr = String(decoding: r.stderr, as: UTF8.self)
        XCTAssertEqual(r.status, 1, stderr)
        XCTAssertEqual(stderr, "afscan: \(sub.path): cannot list directory: Permission denied\n")
        XCTAssertEqual(try jsonLines(r.stdout).map { ($0["source"] as? [String: Any])?["file"] as? String },
                       [top.appendingPathComponent("a.jsonl").path, top.appendingPathComponent("z.jsonl").path])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
        XCTAssertEqual((json["run"] as? [String: Any])?["input_faults"] as? [String], ["\(sub.path): cannot list directory: Permission denied"])
        XCTAssertEqual((json["totals"] as? [String: Any])?["records"] as? Int, 2)
    }

    func testSymlinkLoopInAnInputDirectoryIsWalkedOnce() throws {
        let a = dir.appendingPathComponent("t/a")
        try FileManager.default.createDirectory(at: a, withIntermediateDirectories: true)
        try Data("{\"id\":1,\"text\":\"x\"}\n".utf8).write(to: a.appendingPathComponent("x.jsonl"))
        XCTAssertEqual(symlink("..", a.appendingPathComponent("loop").path), 0)
        let r = try AfscanBinary.run(["label", dir.appendingPathComponent("t").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try jsonLines(r.stdout).count, 1)
        XCTAssertTrue(r.stderr.contains("afscan: note: ") && r.stderr.contains("already walked"), r.stderr)
        // -q silences notes (all but errors).
        let quiet = try AfscanBinary.run(["label", dir.appendingPathComponent("t").path, "-q"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "")
    }
}
