import AfscanCore
import XCTest

@testable import LabelSinks

/// AUROC, the confusion matrix with its ratios and Cohen's κ, and the seeded bootstrap.
final class EvaluationMetricsTests: XCTestCase {
    // MARK: AUROC

    func testAUROCCountsTiesAsOneHalf() throws {
        // Pairs: 0.9>0.5, 0.9>0.1, 0.5=0.5 (½), 0.5>0.1, 0.5=0.5 (½), 0.5>0.1 → 5 of 6.
        XCTAssertEqual(AUROC.mannWhitney(positives: [0.9, 0.5, 0.5], negatives: [0.5, 0.1]), 5.0 / 6.0)
        XCTAssertEqual(AUROC.mannWhitney(positives: [0.3, 0.3], negatives: [0.3]), 0.5)
        XCTAssertEqual(AUROC.mannWhitney(positives: [1, 0.8], negatives: [0.2, 0.1, 0]), 1.0)
        XCTAssertEqual(AUROC.mannWhitney(positives: [0], negatives: [0.2, 0.1]), 0.0)
    }

    func testAUROCIsUndefinedWithoutBothClasses() {
        XCTAssertNil(AUROC.mannWhitney(positives: [], negatives: [0.1]))
        XCTAssertNil(AUROC.mannWhitney(positives: [0.1], negatives: []))
    }

    func testAUROCEqualsThePairwiseDefinitionOnTiedGrids() {
        // Scores on a coarse grid (many ties), against the O(P·N) definition; sums of halves are
        // exact in binary floating point, so the two must agree exactly.
        var random = SplitMix64(seed: 42)
        for trial in 0..<20 {
            let p = (0..<(1 + trial % 7)).map { _ in Double(random.index(below: 5)) / 4 }
            let n = (0..<(1 + trial % 5)).map { _ in Double(random.index(below: 5)) / 4 }
            var wins = 0.0
            for a in p { for b in n { wins += a > b ? 1 : a == b ? 0.5 : 0 } }
            XCTAssertEqual(AUROC.mannWhitney(positives: p, negatives: n), wins / Double(p.count * n.count), "trial \(trial)")
        }
    }

    // MARK: Confusion matrix and κ

    func testConfusionMatrixRatiosAndKappa() throws {
        let m = ConfusionMatrix(tp: 20, fp: 5, fn: 10, tn: 15)
        XCTAssertEqual(m.n, 50)
        XCTAssertEqual(m.positives, 30)
        XCTAssertEqual(m.negatives, 20)
        XCTAssertEqual(m.precision, 0.8)
        XCTAssertEqual(try XCTUnwrap(m.recall), 2.0 / 3.0)
        XCTAssertEqual(m.specificity, 0.75)
        XCTAssertEqual(m.falsePositiveRate, 0.25)
        XCTAssertEqual(m.accuracy, 0.7)
        XCTAssertEqual(try XCTUnwrap(m.f1), 40.0 / 55.0)
        // p_o = 0.7, p_e = (25·30 + 25·20) / 2500 = 0.5 → κ = 0.4.
        XCTAssertEqual(try XCTUnwrap(m.cohensKappa), 0.4, accuracy: 1e-15)
    }

    func testKappaEdgeCases() throws {
        XCTAssertEqual(ConfusionMatrix(tp: 3, fp: 0, fn: 0, tn: 2).cohensKappa, 1)
        // Perfect disagreement on a balanced set: p_o = 0, p_e = 0.5 → κ = −1.
        XCTAssertEqual(ConfusionMatrix(tp: 0, fp: 2, fn: 2, tn: 0).cohensKappa, -1)
        // Both raters constant and equal: p_e = 1, κ undefined.
        XCTAssertNil(ConfusionMatrix(tp: 5, fp: 0, fn: 0, tn: 0).cohensKappa)
        XCTAssertNil(ConfusionMatrix().cohensKappa)
        // No predicted positives: precision undefined, F1 defined (0) once there are positives.
        let none = ConfusionMatrix(tp: 0, fp: 0, fn: 4, tn: 6)
        XCTAssertNil(none.precision)
        XCTAssertEqual(none.recall, 0)
        XCTAssertEqual(none.f1, 0)
        XCTAssertEqual(none.cohensKappa, 0)
    }

    func testConfusionMatrixFromObservationsAtBothThresholds() {
        let obs = [
            EvalObservation(file: "f", record: 1, positive: true, rank: 0.9, decision: .yes),
            EvalObservation(file: "f", record: 2, positive: true, rank: 0.5, decision: .maybe),
            EvalObservation(file: "f", record: 3, positive: true, rank: 0.1, decision: .unknown),
            EvalObservation(file: "f", record: 4, positive: false, rank: 0.4, decision: .maybe),
            EvalObservation(file: "f", record: 5, positive: false, rank: 0.0, decision: .no),
        ]
        XCTAssertEqual(ConfusionMatrix(obs) { $0.predictedYes }, ConfusionMatrix(tp: 1, fp: 0, fn: 2, tn: 2))
        XCTAssertEqual(ConfusionMatrix(obs) { $0.predictedYesOrMaybe }, ConfusionMatrix(tp: 2, fp: 1, fn: 1, tn: 1))
    }

    // MARK: Bootstrap

    func testQuantileInterpolatesLinearly() {
        XCTAssertEqual(BootstrapInterval.quantile([1, 2, 3, 4], 0.25), 1.75)
        XCTAssertEqual(BootstrapInterval.quantile([1, 2, 3, 4], 0), 1)
        XCTAssertEqual(BootstrapInterval.quantile([1, 2, 3, 4], 1), 4)
        XCTAssertEqual(BootstrapInterval.quantile([7], 0.975), 7)
    }

    func testBootstrapIsDeterministicForASeed() throws {
        let p = [0.9, 0.8, 0.5, 0.5, 0.3, 0.2]
        let n = [0.6, 0.5, 0.4, 0.1, 0.1, 0.0, 0.0]
        let a = try XCTUnwrap(BootstrapInterval.auroc(positives: p, negatives: n, resamples: 500, seed: 1))
        let b = try XCTUnwrap(BootstrapInterval.auroc(positives: p, negatives: n, resamples: 500, seed: 1))
        let c = try XCTUnwrap(BootstrapInterval.auroc(positives: p, negatives: n, resamples: 500, seed: 2))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        let point = try XCTUnwrap(AUROC.mannWhitney(positives: p, negatives: n))
        XCTAssertLessThanOrEqual(a.lo, point)
        XCTAssertGreaterThanOrEqual(a.hi, point)
        XCTAssertEqual(a.resamples, 500)
        XCTAssertEqual(a.level, 0.95)
    }

    func testOneReplicateEqualsTheAUROCOfTheDrawnResample() throws {
        // The replicate shortcut (counts per distinct score) must equal the AUROC of the very resample
        // drawn: P positive indices, then N negative indices, from one SplitMix64 stream.
        let p = [0.9, 0.5, 0.5, 0.25, 0.1]
        let n = [0.5, 0.25, 0.25, 0.0]
        for seed: UInt64 in [1, 2, 3, 99] {
            var random = SplitMix64(seed: seed)
            let drawnP = p.indices.map { _ in p[random.index(below: p.count)] }
            let drawnN = n.indices.map { _ in n[random.index(below: n.count)] }
            let expected = try XCTUnwrap(AUROC.mannWhitney(positives: drawnP, negatives: drawnN))
            let one = try XCTUnwrap(BootstrapInterval.auroc(positives: p, negatives: n, resamples: 1, seed: seed))
            XCTAssertEqual(one.lo, expected, "seed \(seed)")
            XCTAssertEqual(one.hi, expected, "seed \(seed)")
        }
    }

    func testBootstrapOfASeparatedSetIsOneAndUndefinedCasesAreNil() {
        XCTAssertEqual(
            BootstrapInterval.auroc(positives: [0.9, 0.8], negatives: [0.1, 0.2], resamples: 50, seed: 3).map { [$0.lo, $0.hi] },
            [1, 1])
        XCTAssertNil(BootstrapInterval.auroc(positives: [], negatives: [0.1], resamples: 50, seed: 3))
        XCTAssertNil(BootstrapInterval.auroc(positives: [0.2], negatives: [0.1], resamples: 0, seed: 3))
    }
}
