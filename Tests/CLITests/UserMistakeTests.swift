import AfscanTestSupport
import Foundation
import XCTest

/// Issue 10, point 6: a user's mistake gets a clear message, never a silent empty or doubled result.
/// Real data from ../shared/data (`vocab_free.jsonl`: 31 records, `label` 20 × alignment_faking and
/// 11 × not_alignment_faking, no `metadata`).
final class UserMistakeTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("mistakes") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    func vocabFree() throws -> String {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        return data.appendingPathComponent("dev/vocab_free.jsonl").path
    }

    func rows(_ p: String) throws -> [[String: Any]] { try jsonLines(Data(contentsOf: URL(fileURLWithPath: p))) }

    /// `--positive AF` where the records say `alignment_faking`: eval and train stop (exit 2) and list
    /// the values seen, most frequent first, instead of "0 positive, AUROC n/a" and exit 0.
    func testPositiveValueThatNoRecordHasIsAnErrorListingTheValuesSeen() throws {
        let input = try vocabFree()
        let values = "values seen: 'alignment_faking' (20), 'not_alignment_faking' (11)"
        let e = try AfscanBinary.run(["eval", input, "--reference", "label", "--positive", "AF"])
        XCTAssertEqual(e.status, 2, e.stderr)
        XCTAssertTrue(e.stderr.contains("afscan: --positive 'AF': no record's label has this value; \(values); no report"), e.stderr)
        XCTAssertTrue(e.stdout.isEmpty)
        // The same through a label file that kept the reference.
        XCTAssertEqual(try AfscanBinary.run(["label", input, "--keep-field", "label", "-o", path("l.jsonl")]).status, 0)
        let l = try AfscanBinary.run(["eval", path("l.jsonl"), "--reference", "label", "--positive", "AF"])
        XCTAssertEqual(l.status, 2, l.stderr)
        XCTAssertTrue(l.stderr.contains(values), l.stderr)
        let t = try AfscanBinary.run(["train", input, "--reference", "label", "--positive", "AF", "-o", path("m.json")])
        XCTAssertEqual(t.status, 2, t.stderr)
        XCTAssertTrue(t.stderr.contains("afscan: cannot train: --positive 'AF': no record's label has this value; \(values)"), t.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.json")))
        // The right value still works.
        let ok = try AfscanBinary.run(["eval", input, "--reference", "label", "--positive", "alignment_faking", "--format", "json"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: ok.stdout) as? [String: Any])
        let counts = try XCTUnwrap((report["pooled"] as? [String: Any])?["counts"] as? [String: Any])
        XCTAssertEqual(counts["positives"] as? Int, 20)
        XCTAssertEqual(counts["negatives"] as? Int, 11)
    }

    /// A `--group-by` path that no record (label) or row (summary) has warns and lists the paths that do
    /// exist; the rows are still grouped (all in `-`).
    func testGroupByPathThatNoRowHasWarnsWithThePathsThatExist() throws {
        let input = try vocabFree()
        let l = try AfscanBinary.run(["label", input, "--group-by", "metadata.environment", "-o", path("l.jsonl"), "--summary", path("s.json")])
        XCTAssertEqual(l.status, 0, l.stderr)
        XCTAssertTrue(l.stderr.contains("afscan: warning: --group-by metadata.environment: no record has this path, so every row is in group '-'; paths in the first record: id, text, label, scenario, label_source"), l.stderr)
        let s = try AfscanBinary.run(["summary", path("l.jsonl"), "--group-by", "fields.model"])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.stderr.contains("afscan: warning: --group-by fields.model: no row has this path, so every row is in group '-'; paths in the first row: condition, id, model_hash, rules_hash, status, source.byte_offset, source.file, source.record"), s.stderr)
        // A path that some row has: no warning.
        let k = try AfscanBinary.run(["label", input, "--keep-field", "scenario", "-o", path("k.jsonl")])
        XCTAssertEqual(k.status, 0, k.stderr)
        let good = try AfscanBinary.run(["summary", path("k.jsonl"), "--group-by", "fields.scenario"])
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertFalse(good.stderr.contains("no row has this path"), good.stderr)
    }

    /// `x.jsonl` beside `x.jsonl.zst` (a directory walk takes both), and one file named twice: both
    /// are labelled (rows for each), with one warning per duplicate naming both inputs.
    func testSameContentGivenTwiceWarnsNamingBoth() throws {
        let input = try vocabFree()
        let shard = dir.appendingPathComponent("shards")
        try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true)
        let plain = shard.appendingPathComponent("x.jsonl").path
        try FileManager.default.copyItem(atPath: input, toPath: plain)
        XCTAssertEqual(try runProcess("zstd", ["-q", plain, "-o", plain + ".zst"]).status, 0)
        let r = try AfscanBinary.run(["label", shard.path, plain, "-o", path("l.jsonl")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("afscan: warning: \(plain).zst holds the same records as \(plain) (identical decompressed content): they are read twice; leave one out to count each record once"), r.stderr)
        XCTAssertTrue(r.stderr.contains("afscan: warning: \(plain) is the same file as \(plain) (given twice): its records are read twice; leave one out to count each record once"), r.stderr)
        XCTAssertEqual(try rows(path("l.jsonl")).count, 93)
        // summary and eval read their inputs through the same check.
        let s = try AfscanBinary.run(["summary", path("l.jsonl"), path("l.jsonl")])
        XCTAssertTrue(s.stderr.contains("is the same file as \(path("l.jsonl")) (given twice)"), s.stderr)
        // Same size, different content: no warning.
        let other = shard.appendingPathComponent("y.jsonl").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: plain))
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        try bytes.write(to: URL(fileURLWithPath: other))
        let d = try AfscanBinary.run(["label", plain, other, "-o", path("d.jsonl")])
        XCTAssertFalse(d.stderr.contains("warning"), d.stderr)
    }

    /// `summary` given transcripts instead of label rows: one message saying to run `label` first, no
    /// per-line flood, no empty summary on stdout, exit 1.
    func testSummaryGivenRawInputsSaysToLabelFirst() throws {
        let input = try vocabFree()
        let r = try AfscanBinary.run(["summary", input])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "afscan: \(input): not a label file (its first lines are not label rows: they have no \"status\"); if it holds transcripts, label it first: afscan label \(input) -o labels.jsonl, then afscan summary labels.jsonl\nafscan: no label rows were read; no summary written\n")
        XCTAssertTrue(r.stdout.isEmpty)
        // A label file with one bad line among rows still gets its line message and its summary.
        XCTAssertEqual(try AfscanBinary.run(["label", input, "-o", path("l.jsonl")]).status, 0)
        var text = try String(contentsOfFile: path("l.jsonl"), encoding: .utf8)
        text += "{\"not\":\"a row\"}\n"
        try text.write(toFile: path("m.jsonl"), atomically: true, encoding: .utf8)
        let m = try AfscanBinary.run(["summary", path("m.jsonl")])
        XCTAssertEqual(m.status, 1)
        XCTAssertTrue(m.stderr.contains("afscan: \(path("m.jsonl")): line 32: not a label row; skipped"), m.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: m.stdout) as? [String: Any])
        XCTAssertEqual((summary["totals"] as? [String: Any])?["records"] as? Int, 31)
    }

    /// `--keep-field a --keep-field b` keeps both (it kept only b); `--group-by` likewise.
    func testRepeatedKeepFieldAndGroupByAccumulate() throws {
        let input = try vocabFree()
        let r = try AfscanBinary.run(["label", input, "--keep-field", "label", "--keep-field", "scenario,label_source",
                                      "--group-by", "label", "--group-by", "label_source", "-o", path("l.jsonl"), "--summary", path("s.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let first = try XCTUnwrap(try rows(path("l.jsonl")).first)
        XCTAssertEqual((first["fields"] as? [String: Any]).map { $0.keys.sorted() }, ["label", "label_source", "scenario"])
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("s.json")))) as? [String: Any])
        XCTAssertEqual((s["run"] as? [String: Any])?["group_by"] as? [String], ["label", "label_source"])
        let again = try AfscanBinary.run(["summary", path("l.jsonl"), "--group-by", "fields.label", "--group-by", "fields.scenario"])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: again.stdout) as? [String: Any])
        XCTAssertEqual((summary["run"] as? [String: Any])?["group_by"] as? [String], ["fields.label", "fields.scenario"])
    }

    /// `afscan shw …` named the typo "2 unexpected arguments"; now it is an unknown subcommand, with the
    /// closest name when one is near, exit 64.
    func testUnknownSubcommandIsNamed() throws {
        let r = try AfscanBinary.run(["labl", "x.jsonl"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.hasPrefix("afscan: unknown subcommand 'labl' (did you mean 'label'?); the subcommands are label, follow, summary, "), r.stderr)
        let far = try AfscanBinary.run(["frobnicate"])
        XCTAssertEqual(far.status, 64)
        XCTAssertTrue(far.stderr.hasPrefix("afscan: unknown subcommand 'frobnicate'; the subcommands are "), far.stderr)
        XCTAssertEqual(try AfscanBinary.run(["--version"]).status, 0)
        XCTAssertEqual(try AfscanBinary.run(["help", "label"]).status, 0)
    }
}
