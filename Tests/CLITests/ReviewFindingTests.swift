import AfscanTestSupport
import Foundation
import XCTest

/// The findings of this stop's adversarial and fresh-user reviews (issues 10 and 11 work), each made a test.
final class ReviewFindingTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("review") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
    let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
    let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/InspectLogsTests/Fixtures")

    func write(_ text: String, _ name: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func row(id: String, score: Double = 0.9, decision: String = "yes", group: String = "g") -> String {
        #"{"source":{"file":"x.jsonl","record":1,"byte_offset":0},"id":"\#(id)","status":"ok","condition":"training","fields":{"grp":"\#(group)"},"labels":{"af.goal_guarding":{"score":\#(score),"rank":0.5,"decision":"\#(decision)","engine":"model"}},"evidence":[],"parse":{},"flags":{},"rules_hash":"x"}"#
    }

    /// report trapped (Int(score * 20)) on a crafted row with score 1e308.
    func testReportSurvivesOutOfRangeScores() throws {
        let rows = try write([row(id: "a", score: 1e308), row(id: "b", score: -1e308), row(id: "c", score: 0.4)].joined(separator: "\n") + "\n", "r.jsonl")
        let r = try AfscanBinary.run(["report", rows, "-o", path("r.html")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("r.html")))
    }

    /// .eval members: a CRC-32 that does not match (stored and deflate) and a member that inflates past
    /// its declared size (1 MB inflating to 1 GiB) are each one rejected record, read in bounded memory.
    func testEvalMembersAreCRCCheckedAndBoundedByTheirDeclaredSize() throws {
        for name in ["badcrc.eval", "badcrc_deflate.eval"] {
            let r = try AfscanBinary.run(["label", fixtures.appendingPathComponent(name).path, "-q"])
            XCTAssertEqual(r.status, 1, r.stderr)
            let rows = try jsonLines(r.stdout)
            XCTAssertEqual(rows.count, 1)
            XCTAssertEqual(rows[0]["reason"] as? String, "unreadable_member")
            XCTAssertTrue((rows[0]["detail"] as? String ?? "").contains(": CRC-32 mismatch: the data gives "), "\(rows[0])")
        }
        let liar = path("liar.eval")
        XCTAssertEqual(try runProcess("zstd", ["-dq", fixtures.appendingPathComponent("liar.eval.zst").path, "-o", liar]).status, 0)
        let r = try AfscanBinary.run(["label", liar, "-q"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let rows = try jsonLines(r.stdout)
        XCTAssertEqual(rows.first?["detail"] as? String, "samples/bomb_epoch_1.json: it inflates to more than the 100 bytes its header declares (a corrupt or hostile member)")
    }

    /// show printed a crafted decision raw (a terminal title and blinking text).
    func testShowEscapesTheDecision() throws {
        let rows = try write(row(id: "a", decision: "yes\u{1B}]0;PWNED\u{07}\u{1B}[5;31mBLINK") + "\n", "r.jsonl")
        for format in ["text", "markdown"] {
            let r = try AfscanBinary.run(["show", rows, "--top", "1", "--format", format, "--color", "never"])
            XCTAssertFalse(r.stdout.contains(0x1B), "raw escape in \(format): \(String(decoding: r.stdout, as: UTF8.self))")
            XCTAssertFalse(r.stdout.contains(0x07), "raw BEL in \(format)")
        }
    }

    /// Markdown summaries and comparisons passed `<script>` in group values through.
    func testMarkdownEscapesHTMLInGroupValues() throws {
        let rows = try write([row(id: "a", group: "<script>alert(5)</script>"), row(id: "b", group: "x")].joined(separator: "\n") + "\n", "r.jsonl")
        let s = try AfscanBinary.run(["summary", rows, "--group-by", "fields.grp", "--format", "markdown"])
        let text = String(decoding: s.stdout, as: UTF8.self)
        XCTAssertFalse(text.contains("<script>"), text)
        XCTAssertTrue(text.contains("&lt;script&gt;alert(5)&lt;/script&gt;"), text)
        let c = try AfscanBinary.run(["compare", rows, rows, "--group-by", "fields.grp", "--format", "markdown"])
        XCTAssertEqual(c.status, 64, "the same operand twice")
        let copy = try write(try String(contentsOfFile: rows, encoding: .utf8), "r2.jsonl")
        let c2 = try AfscanBinary.run(["compare", rows, copy, "--group-by", "fields.grp", "--format", "markdown"])
        XCTAssertEqual(c2.status, 0, c2.stderr)
        XCTAssertFalse(String(decoding: c2.stdout, as: UTF8.self).contains("<script>"))
    }

    /// Summaries of shards carry their --shard; merge refuses mixed N, a K twice, different operands,
    /// and shards of the learned model mixed with --model none; a missing K is a warning.
    func testMergeChecksShardIdentityAndScorers() throws {
        let dev = try XCTUnwrap(TestPaths.sharedData, TestPaths.sharedDataAbsent).appendingPathComponent("dev")
        let inputs = ["paper_excerpts", "vocab_free", "synthetic_labelled"].map { dev.appendingPathComponent("\($0).jsonl.zst").path }
        func shard(_ spec: String, _ name: String, _ extra: [String] = []) throws {
            let r = try AfscanBinary.run(["label"] + inputs + ["--shard", spec, "-q", "-o", "/dev/null", "--summary", path(name)] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        try shard("0/2", "p0.json"); try shard("1/2", "p1.json"); try shard("1/3", "r1.json")
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("p0.json")))) as? [String: Any])
        XCTAssertEqual((s["run"] as? [String: Any])?["shard"] as? String, "0/2")
        let mixed = try AfscanBinary.run(["merge", path("p0.json"), path("r1.json"), "-q"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("afscan: cannot merge: the summaries come from splits into different numbers of shards (2, 3)"), mixed.stderr)
        let missing = try AfscanBinary.run(["merge", path("p0.json"), "--summary", path("m.json")])
        XCTAssertEqual(missing.status, 0, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("afscan: warning: shards 1/2 are missing: the merge covers 1 of 2 shards"), missing.stderr)
        let ok = try AfscanBinary.run(["merge", path("p0.json"), path("p1.json"), "-q", "--summary", path("m.json")])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        try shard("1/2", "n1.json", ["--model", "none"])
        let models = try AfscanBinary.run(["merge", path("p0.json"), path("n1.json"), "-q"])
        XCTAssertEqual(models.status, 2)
        XCTAssertTrue(models.stderr.contains("afscan: cannot merge: the shards were labelled with 2 different scorers of af.goal_guarding"), models.stderr)
    }

    /// Crafted summaries: counts that could overflow a sum, and k > n, are refused, not trapped on or clipped.
    func testCraftedSummariesAreRefused() throws {
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "-o", "/dev/null", "--summary", path("s.json")]).status, 0)
        var h = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("s.json")))) as? [String: Any])
        var hg = try XCTUnwrap(h["groups"] as? [[String: Any]])
        hg[0]["records"] = 9_000_000_000_000_000_000 as Int
        hg[0]["labelled"] = 9_000_000_000_000_000_000 as Int
        h["groups"] = hg
        try JSONSerialization.data(withJSONObject: h).write(to: URL(fileURLWithPath: path("huge.json")))
        let m = try AfscanBinary.run(["merge", path("huge.json"), path("s.json"), "-q"])
        XCTAssertEqual(m.status, 2, m.stderr)
        XCTAssertTrue(m.stderr.contains("huge.json: group 1: \"records\" is not a count"), m.stderr)
        var g = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("s.json")))) as? [String: Any])
        var groups = try XCTUnwrap(g["groups"] as? [[String: Any]])
        var rates = try XCTUnwrap(groups[0]["rates"] as? [String: Any])
        rates["af_goal_guarding"] = ["k": 50, "n": 3, "rate": 16.7, "lo": 0, "hi": 1]
        groups[0]["rates"] = rates
        g["groups"] = groups
        try JSONSerialization.data(withJSONObject: g).write(to: URL(fileURLWithPath: path("kgtn.json")))
        let c = try AfscanBinary.run(["compare", path("s.json"), path("kgtn.json"), "--fail-on-rise", "af_goal_guarding"])
        XCTAssertEqual(c.status, 2, c.stderr)
        XCTAssertTrue(c.stderr.contains("B: rate af_goal_guarding of group training has k 50 and n 3, which no summary holds"), c.stderr)
    }

    /// Two --group-by paths with one Prometheus label name (a.b, a_b) made the metrics file invalid.
    func testMetricsLabelNamesAreUnique() throws {
        let input = try write(#"{"id":"a","text":"<think>x</think>y","a":{"b":"1"},"a_b":"2"}"# + "\n", "in.jsonl")
        let r = try AfscanBinary.run(["label", input, "--group-by", "a.b", "--group-by", "a_b", "-q", "-o", "/dev/null", "--metrics", path("m.prom")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOfFile: path("m.prom"), encoding: .utf8)
        XCTAssertTrue(text.contains(#"group_a_b="1",group_a_b_2="2""#), text)
    }

    /// Mistakes named: stdin twice (merge, summary), garbage to compare, an unwritable --manifest found
    /// before the run, the only input missing (nothing published), eval's hint on original inputs, show
    /// on a missing label file.
    func testMistakesAreNamed() throws {
        let merge = try AfscanBinary.run(["merge", "-", "-"], stdin: Data())
        XCTAssertEqual(merge.status, 64)
        XCTAssertTrue(merge.stderr.contains("standard input (-) can be read only once"), merge.stderr)
        let garbage = try write("not json\n", "g.jsonl")
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "-o", path("l.jsonl"), "--summary", path("s.json")]).status, 0)
        let c = try AfscanBinary.run(["compare", garbage, path("s.json")])
        XCTAssertEqual(c.status, 2)
        XCTAssertTrue(c.stderr.contains("afscan: \(garbage) holds no label rows and is not a summary JSON"), c.stderr)
        let manifest = try AfscanBinary.run(["label", sample, "-o", path("o.jsonl"), "--manifest", "/nonexistent-dir/run.json", "-q"])
        XCTAssertEqual(manifest.status, 64)
        XCTAssertTrue(manifest.stderr.contains("--manifest /nonexistent-dir/run.json: its directory /nonexistent-dir does not exist or is not writable"), manifest.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("o.jsonl")))
        let typo = try AfscanBinary.run(["label", path("results_nonexist.json"), "-o", path("x.jsonl")])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("afscan: no input could be read (1 failed); nothing written"), typo.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.jsonl")))
        let show = try AfscanBinary.run(["show", path("missing.jsonl"), "--id", "x"])
        XCTAssertTrue(show.stderr.contains("no row with id x in \(path("missing.jsonl"))"), show.stderr)
        if let data = TestPaths.sharedData {
            let e = try AfscanBinary.run(["eval", data.appendingPathComponent("dev/vocab_free.jsonl").path, "--reference", "nope>=0.4"])
            XCTAssertTrue(e.stderr.contains("afscan: no record of the inputs has nope"), e.stderr)
            XCTAssertFalse(e.stderr.contains("label files must carry the reference"), e.stderr)
        }
    }

    /// export of a file that holds no label rows published a header-only CSV.
    func testExportOfNoLabelRowsPublishesNothing() throws {
        let input = try write(#"{"id":"a","text":"<think>x</think>y"}"# + "\n", "in.jsonl")
        let r = try AfscanBinary.run(["export", input, "--format", "csv", "-o", path("t.csv")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("export reads the rows written by `afscan label` (label the inputs first: afscan label INPUT -o labels.jsonl); nothing written"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("t.csv")))
    }

    /// -q silences warnings and notes (only errors stay); a killed run's temporary files are removed by
    /// the next label run writing the same output.
    func testQuietSilencesWarningsAndStaleTemporariesAreRemoved() throws {
        let twice = try AfscanBinary.run(["label", sample, sample, "-q", "-o", "/dev/null"])
        XCTAssertEqual(twice.stderr, "")
        let loud = try AfscanBinary.run(["label", sample, sample, "-o", "/dev/null"])
        XCTAssertTrue(loud.stderr.contains("afscan: warning: \(sample) is the same file as \(sample) (given twice)"), loud.stderr)
        // A temporary file of a process that no longer exists (pid 999999 is above Linux's default pid_max).
        let stale = path(".o.jsonl.tmp.999999.abcdef")
        try Data("half".utf8).write(to: URL(fileURLWithPath: stale))
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "-o", path("o.jsonl")]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
    }
}
