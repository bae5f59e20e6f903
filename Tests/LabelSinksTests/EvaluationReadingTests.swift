import AfscanCore
import Foundation
import XCTest

@testable import LabelSinks

/// `--reference` parsing, reading label rows into observations, evidence selection, worst lists,
/// per-file accumulation and the JSON / text / Markdown renderings.
final class EvaluationReadingTests: XCTestCase {
    // MARK: Reference rules

    func testParsesComparisonsAndFieldPaths() throws {
        XCTAssertEqual(
            try ReferenceRule.parse(reference: "deceptive_alignment.final_answer>=0.4", positive: nil),
            ReferenceRule(path: "deceptive_alignment.final_answer", test: .compare(.greaterOrEqual, 0.4)))
        XCTAssertEqual(try ReferenceRule.parse(reference: "strong_reject_score>0", positive: nil),
                       ReferenceRule(path: "strong_reject_score", test: .compare(.greater, 0)))
        XCTAssertEqual(try ReferenceRule.parse(reference: " a.b <= -1.5 ", positive: nil),
                       ReferenceRule(path: "a.b", test: .compare(.lessOrEqual, -1.5)))
        XCTAssertEqual(try ReferenceRule.parse(reference: "x!=1", positive: nil), ReferenceRule(path: "x", test: .compare(.notEqual, 1)))
        XCTAssertEqual(try ReferenceRule.parse(reference: "label", positive: "alignment_faking"),
                       ReferenceRule(path: "label", test: .equals("alignment_faking")))
        XCTAssertEqual(try ReferenceRule.parse(reference: "strong_reject_score>0", positive: nil).description, "strong_reject_score > 0")
        XCTAssertEqual(try ReferenceRule.parse(reference: "s>=0.4", positive: nil).description, "s >= 0.4")
    }

    func testRejectsBadReferences() {
        for (reference, positive) in [("label", nil), (">=3", nil), ("x>=abc", nil), ("x>=0.5", "yes"), ("  ", "yes")] as [(String, String?)] {
            XCTAssertThrowsError(try ReferenceRule.parse(reference: reference, positive: positive), "\(reference)") { error in
                guard case EvaluationError.invalidReference = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testPositiveTestOnJSONValues() {
        let equals = ReferenceRule(path: "label", test: .equals("alignment_faking"))
        XCTAssertEqual(equals.isPositive(jsonValue: "alignment_faking"), true)
        XCTAssertEqual(equals.isPositive(jsonValue: "not_alignment_faking"), false)
        XCTAssertNil(equals.isPositive(jsonValue: NSNull()))
        XCTAssertEqual(ReferenceRule(path: "x", test: .equals("1")).isPositive(jsonValue: NSNumber(value: 1)), true)
        let compare = ReferenceRule(path: "s", test: .compare(.greaterOrEqual, 0.4))
        XCTAssertEqual(compare.isPositive(jsonValue: NSNumber(value: 0.4)), true)
        XCTAssertEqual(compare.isPositive(jsonValue: NSNumber(value: 0.39)), false)
        XCTAssertEqual(compare.isPositive(jsonValue: "0.5"), true)
        XCTAssertNil(compare.isPositive(jsonValue: "high"))
        XCTAssertNil(compare.isPositive(jsonValue: NSNull()))
    }

    // MARK: Rows

    func row(_ record: Int, fields: String, rank: Double, decision: String, status: String = "ok",
             evidence: String = "[]", file: String = "in.jsonl") throws -> [String: Any] {
        let text = """
            {"source":{"file":"\(file)","record":\(record),"byte_offset":0},"id":"r\(record)","status":"\(status)",
             "condition":"training","fields":\(fields),
             "labels":{"af.goal_guarding":{"score":\(rank / 2),"rank":\(rank),"decision":"\(decision)"}},
             "evidence":\(evidence),"parse":{},"flags":{},"rules_hash":"h1"}
            """
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testReadsObservationsAndSkipReasons() throws {
        let rule = try ReferenceRule.parse(reference: "judge.score>=0.5", positive: nil)
        func read(_ r: [String: Any], label: String = "af.goal_guarding") -> EvalRowReading {
            EvalObservation.read(labelRowJSON: r, label: label, reference: rule)
        }
        // Flat kept-field key and nested object both resolve.
        XCTAssertEqual(
            read(try row(3, fields: #"{"judge.score":0.7}"#, rank: 0.25, decision: "maybe")),
            .observation(EvalObservation(file: "in.jsonl", record: 3, id: "r3", positive: true, rank: 0.25, score: 0.125, decision: .maybe)))
        guard case .observation(let nested) = read(try row(4, fields: #"{"judge":{"score":0.1}}"#, rank: 0.5, decision: "no")) else {
            return XCTFail("nested field")
        }
        XCTAssertFalse(nested.positive)
        XCTAssertEqual(read(try row(5, fields: #"{"judge.score":null}"#, rank: 0.5, decision: "no")), .missingReference(file: "in.jsonl"))
        XCTAssertEqual(read(try row(6, fields: "{}", rank: 0.5, decision: "no")), .missingReference(file: "in.jsonl"))
        XCTAssertEqual(read(try row(7, fields: #"{"judge.score":1}"#, rank: 0.5, decision: "no", status: "rejected")), .rejected(file: "in.jsonl"))
        XCTAssertEqual(read(try row(8, fields: #"{"judge.score":1}"#, rank: 0.5, decision: "no"), label: "af.other"), .missingLabel(file: "in.jsonl"))
        XCTAssertEqual(read(["labels": [:]]), .notLabelRow(reason: #"no "source" object or no "status""#))
    }

    /// Finding: a rank of 1e20 reached the report and trapped the number formatter. Score and rank are
    /// defined in [0, 1]; a row whose label has anything else is not a valid label row.
    func testScoreOrRankOutsideTheUnitIntervalIsNotALabelRow() throws {
        let rule = ReferenceRule(path: "y", test: .equals("1"))
        func read(_ entry: String) throws -> EvalRowReading {
            let text = #"{"source":{"file":"f","record":1},"status":"ok","fields":{"y":1},"labels":{"af.goal_guarding":\#(entry)}}"#
            let row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return EvalObservation.read(labelRowJSON: row, label: "af.goal_guarding", reference: rule)
        }
        let cases: [(String, String)] = [
            (#"{"score":0.1,"rank":1e20,"decision":"no"}"#, "af.goal_guarding rank 1e+20 is not a number in [0, 1]"),
            (#"{"score":0.1,"rank":-1e300,"decision":"no"}"#, "af.goal_guarding rank -1e+300 is not a number in [0, 1]"),
            (#"{"score":0.1,"rank":9.3e18,"decision":"no"}"#, "af.goal_guarding rank 9.3e+18 is not a number in [0, 1]"),
            (#"{"score":0.1,"rank":1.5,"decision":"no"}"#, "af.goal_guarding rank 1.5 is not a number in [0, 1]"),
            (#"{"score":0.1,"rank":"0.5","decision":"no"}"#, #"af.goal_guarding rank "0.5" is not a number in [0, 1]"#),
            (#"{"score":0.1,"rank":null,"decision":"no"}"#, "af.goal_guarding rank null is not a number in [0, 1]"),
            (#"{"score":-0.01,"rank":0.5,"decision":"no"}"#, "af.goal_guarding score -0.01 is not a number in [0, 1]"),
            (#"{"rank":0.5,"decision":"no"}"#, "af.goal_guarding score missing is not a number in [0, 1]"),
            (#"{"score":[1],"rank":0.5,"decision":"no"}"#, "af.goal_guarding score (an array) is not a number in [0, 1]"),
            // Re-test findings: booleans are not numbers; a label that is there but malformed is named.
            (#"{"score":0.5,"rank":true,"decision":"no"}"#, "af.goal_guarding rank true is not a number in [0, 1]"),
            (#"{"score":false,"decision":"no"}"#, "af.goal_guarding score false is not a number in [0, 1]"),
            (#""yes""#, #"af.goal_guarding is not an object with a decision yes, maybe, no or unknown (got "yes")"#),
            (#"{"score":0.5,"decision":"perhaps"}"#, "af.goal_guarding is not an object with a decision yes, maybe, no or unknown (got (an object))"),
        ]
        for (entry, reason) in cases {
            XCTAssertEqual(try read(entry), .notLabelRow(reason: reason), entry)
        }
        // The bounds are valid, and a label without a rank ranks by its score.
        XCTAssertEqual(try read(#"{"score":0,"rank":1,"decision":"no"}"#),
                       .observation(EvalObservation(file: "f", record: 1, positive: true, rank: 1, score: 0, decision: .no)))
        XCTAssertEqual(try read(#"{"score":0.25,"decision":"maybe"}"#),
                       .observation(EvalObservation(file: "f", record: 1, positive: true, rank: 0.25, score: 0.25, decision: .maybe)))
    }

    func testEvidenceOwnLabelFirstElseRoundRobinOverLabels() throws {
        func span(_ label: String, _ rule: String, _ polarity: String = "+") -> [String: Any] {
            ["label": label, "rule": rule, "block": "scratchpad#1", "field": "text", "start": 0, "end": 1, "snippet": rule, "polarity": polarity]
        }
        let spans: [Any] = [
            span("crit.harm", "h1"), span("crit.harm", "h2"), span("crit.harm", "h3", "-"), span("crit.harm", "h4"),
            span("crit.training", "t1"), span("crit.decision", "d1"),
        ]
        XCTAssertEqual(EvalObservation.selectEvidence(spans, label: "af.goal_guarding", limit: 5).map(\.rule), ["h1", "t1", "d1", "h2", "h4"])
        XCTAssertEqual(EvalObservation.selectEvidence(spans, label: "crit.harm", limit: 3).map(\.rule), ["h1", "h2", "h4"])
        XCTAssertEqual(EvalObservation.selectEvidence(spans, label: "crit.harm", limit: 9).map(\.rule), ["h1", "h2", "h4", "h3"])
        XCTAssertEqual(EvalObservation.selectEvidence(spans, label: "x", limit: 0).map(\.rule), [])
    }

    // MARK: Results and report

    func testWorstListsAndPerFileAccumulation() throws {
        let rule = ReferenceRule(path: "y", test: .equals("1"))
        var acc = EvaluationAccumulator(reference: rule, options: EvaluationOptions(bootstrapResamples: 100, seed: 5, worst: 2))
        // file a: positives ranks 0.8, 0.1; negatives 0.6, 0.6 (tie, record order); one rejected row.
        acc.add(labelRowJSON: try row(1, fields: #"{"y":1}"#, rank: 0.8, decision: "yes", file: "a"))
        acc.add(labelRowJSON: try row(2, fields: #"{"y":0}"#, rank: 0.6, decision: "maybe", file: "a"))
        acc.add(labelRowJSON: try row(3, fields: #"{"y":1}"#, rank: 0.1, decision: "unknown", file: "a"))
        acc.add(labelRowJSON: try row(4, fields: #"{"y":0}"#, rank: 0.6, decision: "no", file: "a"))
        acc.add(labelRowJSON: try row(5, fields: #"{"y":0}"#, rank: 0.6, decision: "no", status: "rejected", file: "a"))
        // file b: one positive, one negative, one without reference.
        acc.add(labelRowJSON: try row(1, fields: #"{"y":1}"#, rank: 0.3, decision: "no", file: "b"))
        acc.add(labelRowJSON: try row(2, fields: #"{"y":0}"#, rank: 0.7, decision: "yes", file: "b"))
        acc.add(labelRowJSON: try row(3, fields: "{}", rank: 0.7, decision: "yes", file: "b"))
        let report = acc.makeReport()
        XCTAssertEqual(report.perFile.map(\.file), ["a", "b"])
        let a = report.perFile[0], pooled = report.pooled
        XCTAssertEqual([a.counts.rows, a.counts.counted, a.counts.rejected, a.counts.unknownDecisions], [5, 4, 1, 1])
        XCTAssertEqual([pooled.counts.rows, pooled.counts.counted, pooled.counts.positives, pooled.counts.negatives,
                        pooled.counts.rejected, pooled.counts.missingReference], [8, 6, 3, 3, 1, 1])
        // a: positives {0.8, 0.1} vs negatives {0.6, 0.6} → 2 of 4. Pool: {0.8,0.1,0.3} vs {0.6,0.6,0.7} → 3 of 9.
        XCTAssertEqual(a.auroc, 0.5)
        XCTAssertEqual(pooled.auroc, 1.0 / 3.0)
        XCTAssertEqual(report.perFile[1].auroc, 0)
        XCTAssertEqual(pooled.atYes, ConfusionMatrix(tp: 1, fp: 1, fn: 2, tn: 2))
        XCTAssertEqual(pooled.atYesOrMaybe, ConfusionMatrix(tp: 1, fp: 2, fn: 2, tn: 1))
        XCTAssertEqual(pooled.worstFalsePositives.map { "\($0.file):\($0.record)" }, ["b:2", "a:2"])
        XCTAssertEqual(a.worstFalsePositives.map(\.record), [2, 4])
        XCTAssertEqual(pooled.worstFalseNegatives.map { "\($0.file):\($0.record)" }, ["a:3", "b:1"])
        XCTAssertEqual(report.rulesHashes, ["h1"])

        let json = report.jsonObject(includeFiles: true)
        XCTAssertEqual(json["schema"] as? String, "afscan.eval/v1")
        XCTAssertEqual((json["files"] as? [Any])?.count, 2)
        XCTAssertNil(report.jsonObject(includeFiles: false)["files"])
        let pooledJSON = try XCTUnwrap(json["pooled"] as? [String: Any])
        XCTAssertEqual(pooledJSON["auroc"] as? Double, 0.333333)
        XCTAssertEqual((pooledJSON["yes"] as? [String: Any])?["kappa"] as? Double, 0)
        XCTAssertNoThrow(try report.jsonData(includeFiles: true))

        let text = report.renderText(includeFiles: false)
        XCTAssertTrue(text.contains("pooled: 8 rows, 6 counted (3 positive, 3 negative); skipped 1 rejected, 1 missing reference, 0 missing label; 1 unknown decisions"), text)
        XCTAssertTrue(text.contains("  yes          TP 1 FP 1 FN 2 TN 2  precision 0.500 recall 0.333 F1 0.400 κ 0.000"), text)
        XCTAssertFalse(text.contains("\na: "), "per-file sections only with includeFiles")
        let markdown = report.renderMarkdown(includeFiles: true)
        XCTAssertTrue(markdown.contains("| a | 4 | 2 / 2 | 1 | 0.500 ["), markdown)
        XCTAssertTrue(markdown.contains("| 1 | r2 | b:2 | 0.7000 | yes |"), markdown)
    }

    func testFixedFormatting() {
        XCTAssertEqual(EvaluationReport.fixed(0.8705, 3), "0.871")
        XCTAssertEqual(EvaluationReport.fixed(1, 3), "1.000")
        XCTAssertEqual(EvaluationReport.fixed(0.04, 3), "0.040")
        XCTAssertEqual(EvaluationReport.fixed(-0.25, 2), "-0.25")
        XCTAssertEqual(EvaluationReport.fixed(nil, 3), "n/a")
    }

    /// Finding: `fixed` trapped ("Double value cannot be converted to Int64") on a huge rank.
    func testFixedFormattingNeverTraps() {
        for x in [Double.nan, .infinity, -.infinity, .signalingNaN] {
            XCTAssertEqual(EvaluationReport.fixed(x, 4), "n/a", "\(x)")
        }
        XCTAssertEqual(EvaluationReport.fixed(1e20, 3), "100000000000000000000.000")
        XCTAssertEqual(EvaluationReport.fixed(9.3e18, 4), "9300000000000000000.0000")
        // Either side of the Int64 limit of x · 10^4 reads alike.
        XCTAssertEqual(EvaluationReport.fixed(9.2e14, 4), "920000000000000.0000")
        XCTAssertEqual(EvaluationReport.fixed(9.3e14, 4), "930000000000000.0000")
        XCTAssertEqual(EvaluationReport.fixed(-1e300, 4),
                       "-1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.0000")
        let largest = EvaluationReport.fixed(.greatestFiniteMagnitude, 0)
        XCTAssertEqual(largest.count, 309)
        XCTAssertTrue(largest.hasPrefix("17976931348623157"), largest)
        XCTAssertEqual(EvaluationReport.fixed(-.greatestFiniteMagnitude, 3).count, 314)
        XCTAssertEqual(EvaluationReport.fixed(.leastNonzeroMagnitude, 3), "0.000")
    }
}
