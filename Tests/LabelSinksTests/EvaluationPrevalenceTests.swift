import AfscanCore
import Foundation
import XCTest

@testable import LabelSinks

/// Rogan–Gladen correction, and its `prevalence_corrected` block in the summary.
final class EvaluationPrevalenceTests: XCTestCase {
    let seSp = ClassifierAccuracy(sensitivity: 0.8, specificity: 0.95)!

    func testCorrectionAndMappedWilsonInterval() throws {
        let c = RoganGladen(observed: Proportion(k: 30, n: 100), accuracy: seSp)
        // (0.30 + 0.95 − 1) / 0.75 = 1/3.
        XCTAssertEqual(try XCTUnwrap(c.estimate), 1.0 / 3.0, accuracy: 1e-15)
        XCTAssertEqual(c.unclipped, c.estimate)
        XCTAssertFalse(c.clipped)
        XCTAssertFalse(c.unstable)
        XCTAssertEqual(seSp.youden, 0.75, accuracy: 1e-15)
        // Wilson 30/100 = [0.2189488529, 0.3958485463] → [(lo − 0.05)/0.75, (hi − 0.05)/0.75].
        XCTAssertEqual(try XCTUnwrap(c.lo), 0.2252651373, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(c.hi), 0.4611313951, accuracy: 1e-9)
    }

    func testClippingAtBothEnds() throws {
        let low = RoganGladen(observed: Proportion(k: 2, n: 100), accuracy: seSp)
        XCTAssertEqual(low.estimate, 0)
        XCTAssertEqual(try XCTUnwrap(low.unclipped), -0.04, accuracy: 1e-15)
        XCTAssertTrue(low.clipped)
        XCTAssertEqual(low.lo, 0)
        let high = RoganGladen(observed: Proportion(k: 95, n: 100), accuracy: seSp)
        XCTAssertEqual(high.estimate, 1)
        XCTAssertEqual(try XCTUnwrap(high.unclipped), 1.2, accuracy: 1e-15)
        XCTAssertTrue(high.clipped)
        XCTAssertEqual(high.hi, 1)
    }

    func testUnstableAndUndefinedCases() throws {
        // J = 0.15 < 0.2: still computed, flagged unstable. (0.5 + 0.6 − 1) / 0.15 = 2/3.
        let weak = RoganGladen(observed: Proportion(k: 50, n: 100), accuracy: ClassifierAccuracy(sensitivity: 0.55, specificity: 0.6)!)
        XCTAssertTrue(weak.unstable)
        XCTAssertEqual(try XCTUnwrap(weak.estimate), 2.0 / 3.0, accuracy: 1e-12)
        // J = 0: no correction.
        let chance = RoganGladen(observed: Proportion(k: 50, n: 100), accuracy: ClassifierAccuracy(sensitivity: 0.5, specificity: 0.5)!)
        XCTAssertTrue(chance.unstable)
        XCTAssertNil(chance.estimate)
        XCTAssertNil(chance.lo)
        // No rows.
        XCTAssertNil(RoganGladen(observed: Proportion(k: 0, n: 0), accuracy: seSp).estimate)
        XCTAssertNil(ClassifierAccuracy(sensitivity: 1.2, specificity: 0.9))
        XCTAssertNil(ClassifierAccuracy(sensitivity: .nan, specificity: 0.9))
    }

    func testSummaryCarriesPrevalenceCorrectedOnlyWhenAccuracyIsSet() throws {
        var acc = SummaryAccumulator(groupBy: [])
        for i in 0..<100 {
            acc.add(SummaryRow(condition: .training, status: .ok, decisions: ["af.goal_guarding": i < 30 ? .yes : .no]))
        }
        let run = RunInfo(afscanVersion: "test", rulesHash: nil, inputs: [], groupBy: [],
                          started: Date(timeIntervalSince1970: 0), finished: Date(timeIntervalSince1970: 0), threads: 1)
        var summary = acc.makeSummary(run: run)
        let plainGroups = try XCTUnwrap(summary.jsonObject()["groups"] as? [[String: Any]])
        XCTAssertNil(plainGroups[0]["prevalence_corrected"])
        XCTAssertFalse(summary.renderTable().contains("AF prevalence corrected"))

        summary.classifierAccuracy = seSp
        let groups = try XCTUnwrap(summary.jsonObject()["groups"] as? [[String: Any]])
        let block = try XCTUnwrap(groups[0]["prevalence_corrected"] as? [String: Any])
        XCTAssertEqual(block["estimate"] as? Double, 0.333333)
        XCTAssertEqual(block["observed"] as? Double, 0.3)
        XCTAssertEqual(block["lo"] as? Double, 0.225265)
        XCTAssertEqual(block["hi"] as? Double, 0.461131)
        XCTAssertEqual(block["youden"] as? Double, 0.75)
        XCTAssertEqual(block["clipped"] as? Bool, false)
        XCTAssertEqual(block["unstable"] as? Bool, false)
        XCTAssertTrue(summary.renderTable().contains("AF prevalence corrected (Se 80.0%, Sp 95.0%) training all: 33.3% [22.5, 46.1]"),
                      summary.renderTable())
    }
}
