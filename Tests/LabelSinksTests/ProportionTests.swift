import XCTest

@testable import LabelSinks

/// Reference values: Newcombe (1998), Statistics in Medicine 17:857–872 (single proportion, 81/263)
/// and 17:873–890, Table II, method 10 (differences); re-computed by hand formula in Python.
final class ProportionTests: XCTestCase {
    private let tolerance = 0.00005  // the papers print 4 decimals

    func testWilson81Of263() throws {
        let p = Proportion(k: 81, n: 263)
        XCTAssertEqual(p.k, 81)
        XCTAssertEqual(p.n, 263)
        XCTAssertEqual(try XCTUnwrap(p.rate), 81.0 / 263.0)
        XCTAssertEqual(try XCTUnwrap(p.lo), 0.2553, accuracy: tolerance)
        XCTAssertEqual(try XCTUnwrap(p.hi), 0.3662, accuracy: tolerance)
    }

    func testWilsonEdgesArePinned() throws {
        let none = Proportion(k: 0, n: 10)
        XCTAssertEqual(none.rate, 0)
        XCTAssertEqual(none.lo, 0)
        XCTAssertEqual(try XCTUnwrap(none.hi), 0.2775, accuracy: tolerance)
        let all = Proportion(k: 10, n: 10)
        XCTAssertEqual(all.rate, 1)
        XCTAssertEqual(try XCTUnwrap(all.lo), 0.7225, accuracy: tolerance)
        XCTAssertEqual(all.hi, 1)
        let half = Proportion(k: 1, n: 2)
        XCTAssertEqual(try XCTUnwrap(half.lo), 0.0945, accuracy: tolerance)
        XCTAssertEqual(try XCTUnwrap(half.hi), 0.9055, accuracy: tolerance)
    }

    func testEmptyDenominatorGivesNilNotNaN() {
        let p = Proportion(k: 0, n: 0)
        XCTAssertNil(p.rate)
        XCTAssertNil(p.lo)
        XCTAssertNil(p.hi)
        XCTAssertNil(Proportion.wilson(k: 0, n: 0, z: Proportion.z95))
    }

    func testCountsAreClamped() {
        let p = Proportion(k: 12, n: 10)
        XCTAssertEqual(p.k, 10)
        XCTAssertEqual(p.rate, 1)
        XCTAssertEqual(Proportion(k: -1, n: 4).k, 0)
        XCTAssertEqual(Proportion(k: 1, n: -4).n, 0)
    }

    /// Newcombe 1998 Table II, examples (a)–(h), method 10.
    func testNewcombeTableII() throws {
        let cases: [(Int, Int, Int, Int, Double, Double)] = [
            (56, 70, 48, 80, 0.0524, 0.3339),
            (9, 10, 3, 10, 0.1705, 0.8090),
            (6, 7, 2, 7, 0.0582, 0.8062),
            (5, 56, 0, 29, -0.0381, 0.1926),
            (0, 10, 0, 20, -0.1611, 0.2775),
            (0, 10, 0, 10, -0.2775, 0.2775),
            (10, 10, 0, 20, 0.6791, 1.0000),
            (10, 10, 0, 10, 0.6075, 1.0000),
        ]
        for (k1, n1, k2, n2, lo, hi) in cases {
            let d = ProportionDifference(Proportion(k: k1, n: n1), minus: Proportion(k: k2, n: n2))
            let label = "\(k1)/\(n1) − \(k2)/\(n2)"
            XCTAssertEqual(try XCTUnwrap(d.estimate), Double(k1) / Double(n1) - Double(k2) / Double(n2), accuracy: 1e-12, label)
            XCTAssertEqual(try XCTUnwrap(d.lo), lo, accuracy: tolerance, label)
            XCTAssertEqual(try XCTUnwrap(d.hi), hi, accuracy: tolerance, label)
        }
    }

    func testNewcombeWorkedExampleAndStandardError() throws {
        let d = ProportionDifference(Proportion(k: 56, n: 70), minus: Proportion(k: 48, n: 80))
        XCTAssertEqual(try XCTUnwrap(d.estimate), 0.2, accuracy: 1e-12)
        // √(0.8·0.2/70 + 0.6·0.4/80) = √(0.0022857… + 0.003) = 0.0727029…
        XCTAssertEqual(try XCTUnwrap(d.standardError), 0.0727029, accuracy: 1e-6)
        XCTAssertTrue(d.excludesZero)
        XCTAssertFalse(ProportionDifference(Proportion(k: 5, n: 56), minus: Proportion(k: 0, n: 29)).excludesZero)
    }

    func testDifferenceWithAnEmptySideIsNil() {
        let d = ProportionDifference(Proportion(k: 3, n: 10), minus: Proportion(k: 0, n: 0))
        XCTAssertNil(d.estimate)
        XCTAssertNil(d.lo)
        XCTAssertNil(d.hi)
        XCTAssertNil(d.standardError)
        XCTAssertFalse(d.excludesZero)
    }
}
