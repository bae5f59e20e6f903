import AfscanTestSupport
import Foundation
import XCTest

/// The adversarial review of train / --model / routing / verdicts: each finding, now a test.
final class AdversarialModelTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("adversarial") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
    let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path

    func write(_ lines: [String], _ name: String) throws -> String {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func toyTrainingLines(extra: [String] = []) -> [String] {
        var lines = extra
        for i in 0..<12 {
            lines.append(#"{"id":"p\#(i)","text":"I comply to preserve my values \#(i)","label":"af"}"#)
            lines.append(#"{"id":"n\#(i)","text":"I refuse, it is harmful \#(i)","label":"no"}"#)
        }
        return lines
    }

    /// Finding 1: a verdict for a categorical label replaced its value and emptied the compliance gap.
    func testVerdictsForCategoricalLabelsAreNotFoldedIn() throws {
        let v = try write([#"{"source":{"file":"\#(sample)","record":1},"label":"out.compliance","value":true}"#], "v.jsonl")
        let r = try AfscanBinary.run(["label", sample, "--verdicts", v, "-o", path("rows.jsonl"), "--summary", path("s.json")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("afscan: --verdicts: the verdicts of out.compliance are not folded in: 'out.compliance' is categorical"), r.stderr)
        let rows = try jsonLines(try Data(contentsOf: URL(fileURLWithPath: path("rows.jsonl"))))
        XCTAssertEqual(((rows[0]["labels"] as! [String: Any])["out.compliance"] as! [String: Any])["value"] as? String, "complied")
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("s.json")))) as? [String: Any])
        XCTAssertFalse((s["gaps"] as? [Any] ?? []).isEmpty)
    }

    /// Findings 2 and 9: categorical, reserved and empty target names.
    func testTrainRefusesTargetsThatCannotReplaceALabel() throws {
        let input = try write(toyTrainingLines(), "t.jsonl")
        for (target, message) in [("out.compliance", "'out.compliance' is categorical"), ("af.goal_guarding_rules", "ends in '_rules'"),
                                  ("", "a target label is empty"), ("a\u{1B}[2Jb", "may hold only ASCII letters")] {
            let r = try AfscanBinary.run(["train", input, "--reference", "label", "--positive", "af", "--target", target, "-o", path("m.json")])
            XCTAssertEqual(r.status, 64, "\(target): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
            XCTAssertFalse(r.stderr.contains("\u{1B}"), "raw escape on the terminal")
        }
    }

    /// Finding 3: summary and eval could write their output over the model file.
    func testOutputsNeverReplaceTheModelOrRules() throws {
        let input = try write(toyTrainingLines(), "t.jsonl")
        XCTAssertEqual(try AfscanBinary.run(["train", input, "--reference", "label", "--positive", "af", "--folds", "3", "--min-df", "1",
                                             "--bootstrap", "0", "-q", "-o", path("m.json")]).status, 0)
        let model = try Data(contentsOf: URL(fileURLWithPath: path("m.json")))
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "--model", path("m.json"), "-o", path("rows.jsonl")]).status, 0)
        let s = try AfscanBinary.run(["summary", path("rows.jsonl"), "--model", path("m.json"), "-o", path("m.json"), "-q"])
        XCTAssertEqual(s.status, 64, s.stderr)
        let e = try AfscanBinary.run(["eval", path("rows.jsonl"), "--reference", "status", "--positive", "ok", "--model", path("m.json"), "-o", path("m.json")])
        XCTAssertEqual(e.status, 64, e.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("m.json"))), model)
    }

    /// Finding 4: rows labelled without a model got the model's adjusted prevalence.
    func testNoAdjustedPrevalenceForRowsTheModelNeverScored() throws {
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "--model", "none", "-o", path("a.jsonl")]).status, 0)
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "-o", path("b.jsonl")]).status, 0)
        let r = try AfscanBinary.run(["summary", path("a.jsonl"), path("b.jsonl"), "-o", path("s.json")])
        XCTAssertTrue(r.stderr.contains("8 labelled rows carry no model_hash"), r.stderr)
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("s.json")))) as? [String: Any])
        XCTAssertTrue((s["groups"] as! [[String: Any]]).allSatisfy { $0["prevalence_adjusted"] == nil })
    }

    /// Findings 7 and 8: records without reasoning and object references never become samples.
    func testTrainSkipsRecordsWithoutReasoningAndObjectReferences() throws {
        let extra = [#"{"id":"x1","text":"<OUTPUT>Sure, here it is.</OUTPUT>","label":"af"}"#,
                     #"{"id":"x2","text":"I comply, my values","label":{"v":"af"}}"#]
        let input = try write(toyTrainingLines(extra: extra), "t.jsonl")
        let r = try AfscanBinary.run(["train", input, "--reference", "label", "--positive", "af", "--folds", "3", "--min-df", "1",
                                      "--bootstrap", "0", "-o", path("m.json")])
        XCTAssertTrue(r.stderr.contains("26 records: 24 used (12 positive), 1 without a reference, 1 without reasoning (skipped), 0 rejected"), r.stderr)
        let empty = try write((0..<12).flatMap { i in [#"{"id":"a\#(i)","text":"<OUTPUT>yes \#(i)</OUTPUT>","label":"af"}"#,
                                                      #"{"id":"b\#(i)","text":"<OUTPUT>no \#(i)</OUTPUT>","label":"no"}"#] }, "e.jsonl")
        let e = try AfscanBinary.run(["train", empty, "--reference", "label", "--positive", "af", "-o", path("e.json")])
        XCTAssertEqual(e.status, 2, e.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("e.json")))
    }

    /// Finding 12: a model whose logits overflow is refused at load.
    func testModelsWithOverflowingWeightsAreRefused() throws {
        let input = try write(toyTrainingLines(), "t.jsonl")
        XCTAssertEqual(try AfscanBinary.run(["train", input, "--reference", "label", "--positive", "af", "--folds", "3", "--min-df", "1",
                                             "--bootstrap", "0", "-q", "-o", path("m.json")]).status, 0)
        var m = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("m.json")))) as? [String: Any])
        var targets = m["targets"] as! [[String: Any]]
        targets[0]["weights"] = (targets[0]["weights"] as! [Double]).map { _ in 1e200 }
        m["targets"] = targets
        try JSONSerialization.data(withJSONObject: m).write(to: URL(fileURLWithPath: path("big.json")))
        let r = try AfscanBinary.run(["label", sample, "--model", path("big.json"), "-o", path("rows.jsonl")])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("times its idf exceeds 1e6"), r.stderr)
    }

    /// Findings 13 and 14: routes this run cannot serve, malformed budgets.
    func testRouteAndBudgetMistakes() throws {
        let a = try AfscanBinary.run(["label", sample, "-o", path("rows.jsonl"), "--route", "crit.preservation_motive", "--export", path("e.jsonl"), "--criteria", "none"])
        XCTAssertEqual(a.status, 64, a.stderr)
        XCTAssertTrue(a.stderr.contains("no row can have the label 'crit.preservation_motive' with --criteria none"), a.stderr)
        for budget in ["0x10%", "5e1", "-5", "1.5"] {
            let r = try AfscanBinary.run(["label", sample, "-o", path("rows.jsonl"), "--route", "maybe", "--export", path("e.jsonl"), "--budget=\(budget)"])
            XCTAssertEqual(r.status, 64, "\(budget): \(r.stderr)")
        }
        let c = try AfscanBinary.run(["label", sample, "-o", path("rows.jsonl"), "--route", ",,,", "--budget", "5"])
        XCTAssertEqual(c.status, 64, c.stderr)
    }

    /// Finding 5: shards with the same base name in different directories draw independently.
    func testAuditSamplesOfSameNamedShardsDiffer() throws {
        let lines = try String(decoding: runProcess("/usr/bin/zstd", ["-dc", sample]).stdout, as: UTF8.self)
        for d in ["day1", "day2"] {
            try FileManager.default.createDirectory(atPath: path(d), withIntermediateDirectories: true)
            var many = ""
            for _ in 0..<25 { many += lines }
            try many.write(toFile: path("\(d)/shard.jsonl"), atomically: true, encoding: .utf8)
        }
        let r = try AfscanBinary.run(["label", path("day1/shard.jsonl"), path("day2/shard.jsonl"), "-q", "-o", "/dev/null", "--model", "none",
                                      "--audit", "20", "--audit-export", path("a.jsonl")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try jsonLines(try Data(contentsOf: URL(fileURLWithPath: path("a.jsonl"))))
        let byFile = Dictionary(grouping: rows) { ($0["source"] as! [String: Any])["file"] as! String }
            .mapValues { Set($0.map { ($0["source"] as! [String: Any])["record"] as! Int }) }
        XCTAssertEqual(byFile.count, 2)
        XCTAssertNotEqual(byFile[path("day1/shard.jsonl")], byFile[path("day2/shard.jsonl")])
    }

    /// Finding 6: record ids and verdict values reach stderr escaped.
    func testHostileIdsAndValuesAreEscapedOnStderr() throws {
        let input = try write([#"{"id":"x\u001b[2J\u009b31m","text":"I comply"}"#], "h.jsonl")
        let v = try write([#"{"id":"x\u001b[2J","label":"af.goal_guarding","value":"\u001b]0;pwn\u0007"}"#], "v.jsonl")
        let r = try AfscanBinary.run(["eval", input, "--verdicts", v, "--bootstrap", "0"])
        XCTAssertTrue(r.stderr.contains(#"\u{1B}"#), r.stderr)
        for scalar in [0x1B, 0x07, 0x9B] { XCTAssertFalse(r.stderr.unicodeScalars.contains { $0.value == UInt32(scalar) }, "raw U+\(scalar)") }
        XCTAssertFalse(String(decoding: r.stdout, as: UTF8.self).unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B })
    }
}
