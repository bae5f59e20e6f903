import AfscanTestSupport
import Foundation
import XCTest

/// `--route LABEL… --budget N|P%` (most uncertain first, the same for any -j), labels that could not be
/// computed never route, `--audit N --seed S` (a uniform sample, the same for any -j), and the usage
/// errors, on ../shared/data/layout/results_layout.jsonl.zst and the organism file.
final class JudgeRoutingTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("routing") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func file(_ n: String) -> String { dir.appendingPathComponent(n).path }

    func export(_ input: String, _ extra: [String], j: Int = 2, name: String = "e.jsonl") throws -> [[String: Any]] {
        let r = try AfscanBinary.run(["label", input, "-o", file("rows.jsonl"), "-q", "-j", "\(j)", "--export", file(name)] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try jsonLines(try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }

    func testBudgetsKeepTheMostUncertainInTheSameOrderForAnyThreads() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        let input = data.appendingPathComponent("layout/results_layout.jsonl.zst").path
        let all = try export(input, ["--route", "maybe"])
        XCTAssertEqual(all.count, 40)
        // a label that could not be computed never routes a row (it routed all 124 before)
        XCTAssertFalse(all.contains { (($0["flags"] as! [String: Any])["routed_by"] as! String).contains("sb.answer_mismatch") })
        let top = try export(input, ["--route", "maybe", "--budget", "20"], j: 1, name: "a.jsonl")
        let top2 = try export(input, ["--route", "maybe", "--budget", "20"], j: 2, name: "b.jsonl")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file("a.jsonl"))), try Data(contentsOf: URL(fileURLWithPath: file("b.jsonl"))))
        XCTAssertEqual(top.count, 20)
        let u = top.map { ($0["flags"] as! [String: Any])["margin"] as! Double }
        XCTAssertEqual(u, u.sorted())
        // the 20 kept are the 20 most uncertain of all 40
        let allU = all.map { ($0["flags"] as! [String: Any])["margin"] as! Double }.sorted()
        XCTAssertEqual(u, Array(allU.prefix(20)))
        XCTAssertEqual(top2.count, 20)
        // 5% of 124 labelled records = 6.2, rounded up
        let pct = try export(input, ["--route", "maybe", "--budget", "5%"], name: "c.jsonl")
        XCTAssertEqual(pct.map { ($0["flags"] as! [String: Any])["margin"] as! Double }, Array(allU.prefix(7)))
        // a label's own maybe band
        let own = try export(input, ["--route", "af.goal_guarding"], name: "d.jsonl")
        XCTAssertTrue(own.allSatisfy { ($0["flags"] as! [String: Any])["routed_by"] as! String == "af.goal_guarding=maybe" })
    }

    func testAuditSampleIsUniformlyDrawnAndTheSameForAnyThreads() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        _ = data
        // The sampling key holds the input's name as given: a path relative to the package root, as in CI.
        let input = "../shared/data/dev/sycophant_organism.jsonl.zst"
        func sample(_ j: Int, seed: String) throws -> [Int] {
            let r = try AfscanBinary.run(["label", input, "-o", file("rows.jsonl"), "-q", "-j", "\(j)", "--audit", "5", "--seed", seed,
                                          "--audit-export", file("audit\(j)\(seed).jsonl")], in: TestPaths.packageRoot)
            XCTAssertEqual(r.status, 0, r.stderr)
            let rows = try jsonLines(try Data(contentsOf: URL(fileURLWithPath: file("audit\(j)\(seed).jsonl"))))
            XCTAssertTrue(rows.allSatisfy { ($0["flags"] as! [String: Any])["routed_by"] as? String == "audit" })
            return rows.map { ($0["source"] as! [String: Any])["record"] as! Int }
        }
        XCTAssertEqual(try sample(1, seed: "1"), [36, 100, 116, 124, 200])
        XCTAssertEqual(try sample(2, seed: "1"), [36, 100, 116, 124, 200])
        XCTAssertNotEqual(try sample(2, seed: "2"), [36, 100, 116, 124, 200])
    }

    func testRoutingUsageErrors() throws {
        let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
        func usage(_ args: [String], _ message: String) throws {
            let r = try AfscanBinary.run(["label", sample, "-o", file("rows.jsonl")] + args)
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
        }
        try usage(["--route", "af.nonexistent", "--export", file("e.jsonl")], "--route: no row can have the label 'af.nonexistent'; labels of this run: ")
        try usage(["--budget", "10"], "--budget limits --route: give --route and --export too")
        try usage(["--route", "maybe", "--export", file("e.jsonl"), "--budget", "0%"], "--budget takes a count N ≥ 1 or a percentage P% with 0 < P ≤ 100 (got '0%')")
        try usage(["--audit", "5"], "--audit and --audit-export go together")
        try usage(["--audit", "0", "--audit-export", file("a.jsonl")], "--audit takes a sample size of at least 1 (got 0)")
    }
}

/// `label --verdicts`: the judge's verdict wins in the row, the replaced value stays as NAME_ENGINE, the
/// summary counts labels by source, bad verdict lines are named (exit 1).
final class VerdictFoldTests: XCTestCase {
    func testVerdictsWinInTheRowAndTheSummaryCountsSources() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        let dir = TestPaths.temporaryDirectory("fold")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try String(contentsOf: data.appendingPathComponent("contrast/compliant_contrast.jsonl"), encoding: .utf8)
        var lines: [String] = []
        for line in source.split(separator: "\n").prefix(10) {
            let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            lines.append(#"{"id":"\#(obj["id"] as! String)","label":"af.goal_guarding","value":\#(obj["label"] as! String == "alignment_faking")}"#)
        }
        lines.append(#"{"id":"ghost","label":"af.goal_guarding","score":0.9}"#)
        lines.append("not json")
        let verdicts = dir.appendingPathComponent("v.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: verdicts, atomically: true, encoding: .utf8)
        let rows = dir.appendingPathComponent("rows.jsonl").path, summary = dir.appendingPathComponent("s.json").path
        let r = try AfscanBinary.run(["label", data.appendingPathComponent("contrast/compliant_contrast.jsonl.zst").path,
                                      "--verdicts", verdicts, "-o", rows, "--summary", summary])
        XCTAssertEqual(r.status, 1, r.stderr)   // one bad verdict line
        XCTAssertTrue(r.stderr.contains("v.jsonl: line 12: not a JSON object; skipped"), r.stderr)
        XCTAssertTrue(r.stderr.contains("af.goal_guarding: 10 matched, 1 unmatched (id \"ghost\"), 110 records without a verdict"), r.stderr)
        let parsed = try jsonLines(try Data(contentsOf: URL(fileURLWithPath: rows)))
        XCTAssertEqual(parsed.count, 120)
        let first = parsed[0]["labels"] as! [String: [String: Any]]
        XCTAssertEqual(first["af.goal_guarding"]?["engine"] as? String, "judge")
        XCTAssertEqual(first["af.goal_guarding"]?["decision"] as? String, "yes")   // cc-001 is alignment_faking
        XCTAssertEqual(first["af.goal_guarding_model"]?["engine"] as? String, "model")
        XCTAssertEqual((parsed[0]["flags"] as! [String: Any])["judge_verdict"] as? String, "af.goal_guarding@1")
        XCTAssertNil((parsed[10]["labels"] as! [String: Any])["af.goal_guarding_model"])
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
        let group = try XCTUnwrap((s["groups"] as? [[String: Any]])?.first)
        XCTAssertEqual((group["label_sources"] as? [String: [String: Int]])?["af.goal_guarding"], ["judge": 10, "model": 110])
        XCTAssertNil(group["prevalence_adjusted"])
    }
}

/// Fresh-user findings, each now a test.
final class WorkflowPitfallTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("pitfalls") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    /// out.compliance (and so the compliance gap) must not depend on which records the criteria ran on.
    func testComplianceIsTheSameInEveryCriteriaMode() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        let input = data.appendingPathComponent("contrast/compliant_contrast.jsonl.zst").path
        var seen: [[String: Int]] = []
        for mode in ["none", "candidates", "all"] {
            let r = try AfscanBinary.run(["label", input, "--criteria", mode, "-q", "-o", "/dev/null", "--summary", path("\(mode).json")])
            XCTAssertEqual(r.status, 0, r.stderr)
            let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("\(mode).json")))) as? [String: Any])
            seen.append(try XCTUnwrap((s["groups"] as? [[String: Any]])?.first?["compliance"] as? [String: Int]))
        }
        XCTAssertEqual(seen[0], ["complied": 101, "partial": 1, "refused": 11, "unclear": 7])
        XCTAssertEqual(seen[1], seen[0])
        XCTAssertEqual(seen[2], seen[0])
    }

    /// After label --verdicts, eval must not score the judge against itself; NAME_model is evaluated
    /// against NAME's verdicts; summary gives no adjusted prevalence for the mixed rows.
    func testFoldedVerdictsAreNotEvaluatedAgainstThemselves() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        let input = data.appendingPathComponent("contrast/compliant_contrast.jsonl").path
        var lines: [String] = []
        for line in try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n").prefix(20) {
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            lines.append(#"{"id":"\#(o["id"] as! String)","label":"af.goal_guarding","value":\#(o["label"] as! String == "alignment_faking")}"#)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path("v.jsonl"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try AfscanBinary.run(["label", input, "--verdicts", path("v.jsonl"), "-q", "-o", path("rows.jsonl")]).status, 0)
        let own = try AfscanBinary.run(["eval", path("rows.jsonl"), "--verdicts", path("v.jsonl"), "--bootstrap", "0"])
        XCTAssertTrue(own.stderr.contains("afscan: 20 rows hold a judge's verdict as af.goal_guarding (engine judge, folded in by label --verdicts): skipped"), own.stderr)
        XCTAssertTrue(String(decoding: own.stdout, as: UTF8.self).contains("0 counted"))
        let replaced = try AfscanBinary.run(["eval", path("rows.jsonl"), "--verdicts", path("v.jsonl"), "--label", "af.goal_guarding_model", "--bootstrap", "0"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(String(decoding: replaced.stdout, as: UTF8.self).contains("20 counted"), String(decoding: replaced.stdout, as: UTF8.self))
        let summary = try AfscanBinary.run(["summary", path("rows.jsonl"), "-o", path("s.json")])
        XCTAssertTrue(summary.stderr.contains("20 rows hold a judge's verdict as af.goal_guarding"), summary.stderr)
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("s.json")))) as? [String: Any])
        XCTAssertNil((s["groups"] as? [[String: Any]])?.first?["prevalence_adjusted"])
    }

    func testModelOptionMistakesAndTheBuiltInModelInfo() throws {
        let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
        let a = try AfscanBinary.run(["label", sample, "--model", "none", "--criteria", "none"])
        XCTAssertEqual(a.status, 64)
        XCTAssertTrue(a.stderr.contains("--criteria chooses where the rules run next to a model"), a.stderr)
        let b = try AfscanBinary.run(["label", sample, "--verdict-threshold", "0.7"])
        XCTAssertEqual(b.status, 64)
        XCTAssertTrue(b.stderr.contains("--verdict-threshold goes with --verdicts"), b.stderr)
        let info = try AfscanBinary.run(["model", "info", "default"], in: dir)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(String(decoding: info.stdout, as: UTF8.self).contains("features: unigrams of reasoning"))
    }

    /// n-grams learned from hostile training text never reach the terminal raw.
    func testModelInfoEscapesControlAndBidiCharacters() throws {
        var lines = [#"{"text":"I \u009b2J comply \u202e evil","label":"af"}"#]
        for i in 0..<12 {
            lines.append(#"{"text":"I comply to preserve my values \#(i)","label":"af"}"#)
            lines.append(#"{"text":"I refuse \#(i)","label":"no"}"#)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path("h.jsonl"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try AfscanBinary.run(["train", path("h.jsonl"), "--reference", "label", "--positive", "af", "--min-df", "1",
                                             "--folds", "3", "--bootstrap", "0", "-o", path("m.json"), "-q"]).status, 0)
        let info = try AfscanBinary.run(["model", "info", path("m.json"), "--top"])
        let text = String(decoding: info.stdout, as: UTF8.self)
        XCTAssertTrue(text.contains(#"\u{9B}2j comply \u{202E}"#), text)
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x202E })
    }
}
