import EvalStatistics
import Foundation
import LabelSinks
import XCTest

final class SummaryComparisonTests: XCTestCase {
    /// Φ⁻¹ at the quantiles the intervals use, and at a far tail.
    func testNormalQuantile() {
        XCTAssertEqual(NormalQuantile.of(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(NormalQuantile.of(0.95), 1.6448536269514722, accuracy: 1e-12)
        XCTAssertEqual(NormalQuantile.of(0.5), 0, accuracy: 1e-15)
        XCTAssertEqual(NormalQuantile.of(0.0125), -2.241402727604947, accuracy: 1e-10)
        XCTAssertEqual(NormalQuantile.of(1e-10), -6.361340902404056, accuracy: 1e-8)
    }

    /// Newcombe (1998) Table II example a: 56/70 − 48/80 = 0.2, 95% CI (0.0524, 0.3339).
    func testNewcombeIntervalAtAnyLevelMatchesThePaperAt95() throws {
        let i = try XCTUnwrap(ProportionDifference.newcombeInterval(k1: 56, n1: 70, k2: 48, n2: 80, z: Proportion.z95))
        XCTAssertEqual(i.lo, 0.0524, accuracy: 5e-5)
        XCTAssertEqual(i.hi, 0.3339, accuracy: 5e-5)
        let d = ProportionDifference(Proportion(k: 56, n: 70), minus: Proportion(k: 48, n: 80))
        XCTAssertEqual(d.lo, i.lo)
        XCTAssertEqual(d.hi, i.hi)
        // A one-sided 99% bound is wider than the 95% two-sided one.
        let wide = try XCTUnwrap(ProportionDifference.newcombeInterval(k1: 56, n1: 70, k2: 48, n2: 80, z: NormalQuantile.of(0.99)))
        XCTAssertLessThan(wide.lo, i.lo)
        XCTAssertNil(ProportionDifference.newcombeInterval(k1: 0, n1: 0, k2: 1, n2: 2, z: 1.96))
    }

    func summary(groupBy: [String] = [], groups: [[String: Any]], gaps: [[String: Any]] = [], rules: String = "r1") -> [String: Any] {
        ["run": ["group_by": groupBy, "rules_hash": rules], "totals": ["records": 1], "groups": groups, "gaps": gaps]
    }

    func group(_ condition: String, _ values: [String: Any] = [:], af: (Int, Int), refusal: (Int, Int) = (0, 10)) -> [String: Any] {
        ["condition": condition, "group": values,
         "rates": ["af_goal_guarding": ["k": af.0, "n": af.1], "refusal": ["k": refusal.0, "n": refusal.1]]]
    }

    /// Rates are recomputed from k/n (never from the rates written), changes are B − A, a watched rate's
    /// rise is tested one-sided at alpha/m, and the gap change carries the MOVER interval.
    func testRateChangesRiseTestAndGapChange() throws {
        let a = summary(groupBy: ["fields.model"], groups: [group("training", ["fields.model": "m1"], af: (10, 100)),
                                                             group("training", ["fields.model": "m2"], af: (10, 100))],
                        gaps: [["group": ["fields.model": "m1"], "broad": ["gap": 0.1, "lo": -0.05, "hi": 0.25]]])
        let b = summary(groupBy: ["fields.model"], groups: [group("training", ["fields.model": "m1"], af: (25, 100)),
                                                             group("training", ["fields.model": "m2"], af: (17, 100)),
                                                             group("unmonitored", ["fields.model": "m2"], af: (1, 10))],
                        gaps: [["group": ["fields.model": "m1"], "broad": ["gap": 0.3, "lo": 0.1, "hi": 0.45]]], rules: "r2")
        let c = try SummaryComparison(a: a, b: b, watch: ["af_goal_guarding"], alpha: 0.05)
        XCTAssertEqual(c.tested, 2)
        let af = c.rates.filter { $0.rate == "af_goal_guarding" }
        XCTAssertEqual(af.map(\.group), [["fields.model=m1"], ["fields.model=m2"]])
        XCTAssertEqual(af[0].change.estimate!, 0.15, accuracy: 1e-12)
        XCTAssertEqual(af[1].change.estimate!, 0.07, accuracy: 1e-12)
        // m1: 25/100 vs 10/100 rises at one-sided 0.025 (Bonferroni over 2); m2: 17/100 vs 10/100 does not.
        let z = NormalQuantile.of(1 - 0.025)
        let m1 = try XCTUnwrap(ProportionDifference.newcombeInterval(k1: 25, n1: 100, k2: 10, n2: 100, z: z))
        let m2 = try XCTUnwrap(ProportionDifference.newcombeInterval(k1: 17, n1: 100, k2: 10, n2: 100, z: z))
        XCTAssertGreaterThan(m1.lo, 0)
        XCTAssertLessThan(m2.lo, 0)
        XCTAssertEqual(af.map(\.rose), [true, false])
        XCTAssertEqual(c.rates.filter { $0.rate == "refusal" }.map(\.rose), [nil, nil])
        XCTAssertEqual(c.onlyInB, ["unmonitored fields.model=m2"])
        XCTAssertEqual(c.onlyInA, [])
        XCTAssertEqual(c.notes.count, 1)
        XCTAssertTrue(c.notes[0].hasPrefix("A and B were labelled with different rule sets (r1 vs r2)"), c.notes[0])
        let gap = try XCTUnwrap(c.gaps.first)
        XCTAssertEqual(gap.kind, "broad")
        XCTAssertEqual(gap.change, 0.2, accuracy: 1e-12)
        XCTAssertEqual(gap.lo, 0.2 - (0.04 + 0.0225).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(gap.hi, 0.2 + (0.0225 + 0.0225).squareRoot(), accuracy: 1e-12)
        let text = c.renderText(.init(a: "a.json", b: "b.json"))
        XCTAssertTrue(text.contains("training   fields.model=m1  af_goal_guarding  10.0% 10/100  25.0% 25/100  +15.0 pp ["), text)
        XCTAssertTrue(text.hasSuffix("ALARM: af_goal_guarding (training fields.model=m1) rose significantly\n"), text)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: c.jsonData(.init(a: "a", b: "b"))) as? [String: Any])
        XCTAssertEqual((json["alarm"] as? [[String: Any]])?.count, 1)
        XCTAssertEqual(json["tested"] as? Int, 2)
    }

    func testDifferentGroupingAndUnknownWatchedRateAreErrors() {
        let a = summary(groupBy: ["fields.model"], groups: [group("training", af: (1, 2))])
        let b = summary(groupBy: [], groups: [group("training", af: (1, 2))])
        XCTAssertThrowsError(try SummaryComparison(a: a, b: b, watch: [], alpha: 0.05)) {
            XCTAssertTrue("\($0)".hasPrefix("the summaries are grouped differently (A by fields.model, B by condition only)"), "\($0)")
        }
        XCTAssertThrowsError(try SummaryComparison(a: b, b: b, watch: ["af_goal_guardng"], alpha: 0.05)) {
            XCTAssertEqual("\($0)", "--fail-on-rise af_goal_guardng: no such rate in the summaries (rates: af_goal_guarding, refusal)")
        }
        XCTAssertThrowsError(try SummaryComparison(a: ["id": 1], b: b, watch: [], alpha: 0.05)) {
            XCTAssertTrue("\($0)".hasPrefix("A is not a summary"), "\($0)")
        }
    }
}
