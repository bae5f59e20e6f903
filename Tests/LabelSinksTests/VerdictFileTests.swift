import AfscanTestSupport
import Foundation
import XCTest

@testable import LabelSinks

/// The judge-verdict file (docs/VERDICTS.md): keys, judgements, the score threshold, every bad-line
/// message with its line number, duplicates, and matching records by id, else by source.
final class VerdictFileTests: XCTestCase {
    func parse(_ lines: [String], threshold: Double = 0.5) -> VerdictFile {
        VerdictFile.parse(Data(lines.joined(separator: "\n").utf8), name: "v.jsonl", threshold: threshold)
    }

    func testReadsIdAndSourceKeysValuesScoresLabelsAndJudge() {
        let f = parse([
            #"{"id": "cc-001", "label": "af.goal_guarding", "value": true}"#,
            #"{"id": "cc-002", "score": 0.5, "judge": "claude, prompt v2"}"#,
            #"{"id": "cc-003", "score": 0.4999}"#,
            #"{"source": {"file": "runs/a.jsonl.zst", "record": 7}, "value": false}"#,
            #"{"id": 17, "label": "crit.preservation_motive", "score": 1}"#,
            #"{"id": null, "source": {"file": "b.json", "record": 1}, "value": true, "extra": [1, 2]}"#,
            "",
            "   ",
        ])
        XCTAssertEqual(f.problems, [])
        XCTAssertEqual(f.lines, 6)
        XCTAssertEqual(f.repeats, 0)
        XCTAssertEqual(f.verdicts, [
            Verdict(key: .id("cc-001"), label: "af.goal_guarding", judgement: .value(true), positive: true, line: 1),
            Verdict(key: .id("cc-002"), label: "af.goal_guarding", judgement: .score(0.5), positive: true,
                    judge: "claude, prompt v2", line: 2),
            Verdict(key: .id("cc-003"), label: "af.goal_guarding", judgement: .score(0.4999), positive: false, line: 3),
            Verdict(key: .source(file: "runs/a.jsonl.zst", record: 7), label: "af.goal_guarding", judgement: .value(false),
                    positive: false, line: 4),
            Verdict(key: .id("17"), label: "crit.preservation_motive", judgement: .score(1), positive: true, line: 5),
            Verdict(key: .source(file: "b.json", record: 1), label: "af.goal_guarding", judgement: .value(true), positive: true, line: 6),
        ])
    }

    func testThresholdDecidesScores() {
        let f = parse([#"{"id": "a", "score": 0.83}"#, #"{"id": "b", "score": 0.9}"#], threshold: 0.9)
        XCTAssertEqual(f.verdicts.map(\.positive), [false, true])
    }

    func testEveryBadLineIsNamedWithItsLineNumberAndSkipped() {
        let f = parse([
            #"{"id": "ok", "value": true}"#,
            #"not json"#,
            #"["id", "x"]"#,
            #"{"value": true}"#,
            #"{"id": "a", "value": true, "score": 0.3}"#,
            #"{"id": "a"}"#,
            #"{"id": "a", "score": 1.5}"#,
            #"{"id": "a", "score": -0.1}"#,
            #"{"id": "a", "score": "0.3"}"#,
            #"{"id": "a", "value": "yes"}"#,
            #"{"id": "a", "value": 1}"#,
            #"{"source": {"file": "x.jsonl", "record": 0}, "value": true}"#,
            #"{"source": {"file": "x.jsonl"}, "value": true}"#,
            #"{"id": true, "value": true}"#,
            #"{"id": "a", "label": 3, "value": true}"#,
            #"{"id": "a", "judge": 4, "value": true}"#,
        ])
        XCTAssertEqual(f.verdicts.map(\.key), [.id("ok")])
        XCTAssertEqual(f.lines, 16)
        XCTAssertEqual(f.problems.map(\.description), [
            "v.jsonl: line 2: not a JSON object; skipped",
            "v.jsonl: line 3: not a JSON object; skipped",
            #"v.jsonl: line 4: no key: give "id" or "source": {"file", "record"}; skipped"#,
            #"v.jsonl: line 5: both "value" and "score": give one; skipped"#,
            #"v.jsonl: line 6: neither "value" nor "score": give "value": true|false or "score": a number in [0, 1]; skipped"#,
            #"v.jsonl: line 7: "score" 1.5 is not a number in [0, 1]; skipped"#,
            #"v.jsonl: line 8: "score" -0.1 is not a number in [0, 1]; skipped"#,
            #"v.jsonl: line 9: "score" "0.3" is not a number in [0, 1]; skipped"#,
            #"v.jsonl: line 10: "value" must be true or false (got "yes"); skipped"#,
            #"v.jsonl: line 11: "value" must be true or false (got 1.0); skipped"#,
            #"v.jsonl: line 12: "source" must be {"file": NAME, "record": N} with N ≥ 1 (got {"file":"x.jsonl","record":0}); skipped"#,
            #"v.jsonl: line 13: "source" must be {"file": NAME, "record": N} with N ≥ 1 (got {"file":"x.jsonl"}); skipped"#,
            #"v.jsonl: line 14: "id" must be a non-empty string or an integer (got true); skipped"#,
            #"v.jsonl: line 15: "label" must be a non-empty string (got 3.0); skipped"#,
            #"v.jsonl: line 16: "judge" must be a string (got 4.0); skipped"#,
        ])
    }

    func testConflictingDuplicateIsAnErrorAndTheFirstVerdictIsKept() {
        let f = parse([
            #"{"id": "a", "value": true}"#,
            #"{"id": "a", "value": true, "judge": "second pass"}"#,
            #"{"id": "a", "value": false}"#,
            #"{"id": "a", "label": "crit.x", "value": false}"#,
            #"{"source": {"file": "f", "record": 2}, "score": 0.7}"#,
            #"{"source": {"file": "f", "record": 2}, "score": 0.8}"#,
        ])
        XCTAssertEqual(f.repeats, 1, "an exact repeat (the judge text aside) is not an error")
        XCTAssertEqual(f.verdicts.map(\.line), [1, 4, 5])
        XCTAssertEqual(f.problems.map(\.description), [
            #"v.jsonl: line 3: id "a" (af.goal_guarding) already has a different verdict at line 1 (true there, false here); line 1 is kept; skipped"#,
            "v.jsonl: line 6: source f record 2 (af.goal_guarding) already has a different verdict at line 5 (score 0.7 there, score 0.8 here); line 5 is kept; skipped",
        ])
    }

    func testLoadReadsPlainAndZstdFilesAndRefusesAMissingOne() throws {
        let dir = TestPaths.temporaryDirectory("verdicts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = Data((#"{"id": "a", "value": true}"# + "\n" + #"{"id": "b", "score": 0.2}"#).utf8)  // no final newline
        let plain = dir.appendingPathComponent("v.jsonl"), packed = dir.appendingPathComponent("v.jsonl.zst")
        try text.write(to: plain)
        try zstdFrame(text).write(to: packed)
        for url in [plain, packed] {
            let f = try VerdictFile.load(path: url.path)
            XCTAssertEqual(f.verdicts.map(\.key), [.id("a"), .id("b")], url.path)
            XCTAssertEqual(f.verdicts.map(\.positive), [true, false])
            XCTAssertEqual(f.name, url.path)
        }
        let missing = dir.appendingPathComponent("none.jsonl").path
        XCTAssertThrowsError(try VerdictFile.load(path: missing)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot read the verdict file: \(missing): cannot open input"), "\(error)")
        }
    }

    func testMatcherUsesIdThenSourceAndCountsWhatMatched() {
        let f = parse([
            #"{"id": "a", "value": true}"#,
            #"{"source": {"file": "x.jsonl", "record": 2}, "value": false}"#,
            #"{"source": {"file": "x.jsonl", "record": 3}, "score": 0.9}"#,
            #"{"id": "never", "value": true}"#,
            #"{"id": "b", "label": "crit.x", "value": true}"#,
            #"{"id": "c", "label": "crit.x", "value": true}"#,
            #"{"id": "d", "label": "crit.y", "value": true}"#,
            "{",
        ])
        var m = VerdictMatcher(f, label: "af.goal_guarding")
        XCTAssertEqual(m.verdict(id: "a", file: "x.jsonl", record: 1)?.positive, true)
        XCTAssertEqual(m.verdict(id: nil, file: "x.jsonl", record: 2)?.positive, false)
        XCTAssertEqual(m.verdict(id: "zzz", file: "x.jsonl", record: 3)?.positive, true, "an id without a verdict falls back to the source")
        XCTAssertNil(m.verdict(id: "b", file: "x.jsonl", record: 4), "verdicts of other labels are not used")
        XCTAssertEqual(m.verdict(id: "a", file: "y.jsonl", record: 1)?.line, 1, "one id verdict serves every record with that id")
        XCTAssertEqual([m.read, m.matched, m.unmatched, m.recordsMatched, m.recordsWithoutVerdict], [4, 3, 1, 4, 1])
        XCTAssertEqual(m.unmatchedExamples(), [.id("never")])
        XCTAssertEqual(m.otherLabels, ["crit.x": 2, "crit.y": 1])
        XCTAssertEqual(m.reportLines, [
            "verdicts v.jsonl: 7 verdicts read (af.goal_guarding 4; other labels, ignored: crit.x 2, crit.y 1), 1 bad line skipped, 0 repeated",
            #"verdicts v.jsonl: af.goal_guarding: 3 matched, 1 unmatched (id "never"), 1 record without a verdict"#,
        ])
        XCTAssertEqual(m.referenceDescription(), "verdicts in v.jsonl (af.goal_guarding; value, or score >= 0.5)")
    }

    func testUnmatchedExamplesStopAtFive() {
        var m = VerdictMatcher(parse((1...7).map { #"{"id": "k\#($0)", "value": true}"# }), label: "af.goal_guarding")
        _ = m.verdict(id: "k1", file: "f", record: 1)
        XCTAssertEqual(m.unmatchedExamples(), ["k2", "k3", "k4", "k5", "k6"].map { .id($0) })
        XCTAssertTrue(m.reportLines[1].contains(#"6 unmatched (id "k2", id "k3", id "k4", id "k5", id "k6", …), 0 records without a verdict"#),
                      m.reportLines[1])
    }

    func testAccumulatorTakesTheReferenceFromVerdicts() {
        func row(_ record: Int, id: String?, rank: Double, status: String = "ok") -> [String: Any] {
            ["source": ["file": "x.jsonl", "record": record], "id": id as Any? ?? NSNull(), "status": status,
             "labels": ["af.goal_guarding": ["score": rank, "rank": rank, "decision": rank >= 0.5 ? "yes" : "no"]]]
        }
        let f = parse([
            #"{"id": "a", "value": true}"#,
            #"{"source": {"file": "x.jsonl", "record": 2}, "score": 0.2}"#,
            #"{"source": {"file": "x.jsonl", "record": 4}, "value": true}"#,
        ])
        var acc = EvaluationAccumulator(verdicts: VerdictMatcher(f, label: "af.goal_guarding"),
                                        options: EvaluationOptions(bootstrapResamples: 0))
        acc.add(labelRowJSON: row(1, id: "a", rank: 0.9))
        acc.add(labelRowJSON: row(2, id: nil, rank: 0.1))
        acc.add(labelRowJSON: row(3, id: "none", rank: 0.3))
        acc.add(labelRowJSON: row(4, id: nil, rank: 0.9, status: "rejected"))
        let report = acc.makeReport()
        XCTAssertEqual(report.pooled.counts.counted, 2)
        XCTAssertEqual(report.pooled.counts.positives, 1)
        XCTAssertEqual(report.pooled.counts.missingReference, 1)
        XCTAssertEqual(report.pooled.counts.rejected, 1)
        XCTAssertEqual(report.pooled.auroc, 1)
        XCTAssertEqual(report.reference.description, "verdicts in v.jsonl (af.goal_guarding; value, or score >= 0.5)")
        XCTAssertEqual([acc.verdicts?.matched, acc.verdicts?.unmatched, acc.verdicts?.recordsWithoutVerdict], [2, 1, 1],
                       "a rejected row is not matched: its verdict stays unmatched")
    }
}
