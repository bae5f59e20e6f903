import AfscanTestSupport
import Foundation
import XCTest

/// `--explain-terms N`: how many n-grams a row's explanation lists per model label (default 8).
final class ExplainTermsTests: XCTestCase {
    private var sample: String { TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path }

    private func firstExplanation(_ args: [String]) throws -> [String: Any] {
        let r = try AfscanBinary.run(["label", sample, "-q", "-o", "-"] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = try XCTUnwrap(r.stdout.split(separator: UInt8(ascii: "\n")).first)
        let row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        let explanation = try XCTUnwrap(row["explanation"] as? [String: Any])
        return try XCTUnwrap(explanation["af.goal_guarding"] as? [String: Any])
    }

    func testTermCountAndTheSumStillHolds() throws {
        // The first sample row: logit 0.5219, bias -0.381563 (README's row example).
        let none = try firstExplanation(["--explain-terms", "0"])
        XCTAssertEqual((none["terms"] as? [Any])?.count, 0)
        XCTAssertEqual(none["logit"] as? Double, 0.5219)
        XCTAssertEqual(none["bias"] as? Double, -0.381563)
        XCTAssertEqual(none["remainder"] as? Double, 0.903463)
        let two = try firstExplanation(["--explain-terms", "2"])
        let terms = try XCTUnwrap(two["terms"] as? [[String: Any]])
        XCTAssertEqual(terms.map { $0["ngram"] as? String }, ["values", "future"])
        let sum = terms.reduce(0.0) { $0 + ($1["contribution"] as? Double ?? .nan) }
        XCTAssertEqual(-0.381563 + sum + (two["remainder"] as? Double ?? .nan), 0.5219, accuracy: 2e-6)
        let eight = try firstExplanation([])
        XCTAssertEqual((eight["terms"] as? [Any])?.count, 8)
        XCTAssertEqual(((eight["terms"] as? [[String: Any]])?.prefix(2).map { $0["ngram"] as? String }), ["values", "future"])
    }

    func testExplainTermsWithoutAModelOrOutOfRangeIsAUsageError() throws {
        let r = try AfscanBinary.run(["label", sample, "-q", "--model", "none", "--explain-terms", "2", "-o", "/dev/null"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--explain-terms sets how a model's score is explained; with --model none no model runs"), r.stderr)
        let big = try AfscanBinary.run(["label", sample, "-q", "--explain-terms", "1001", "-o", "/dev/null"])
        XCTAssertEqual(big.status, 64)
        XCTAssertTrue(big.stderr.contains("--explain-terms must be between 0 and 1000 (got 1001)"), big.stderr)
    }
}
