import AfscanTestSupport
import Foundation
import XCTest

/// `afscan label --route yes|maybe|all --export FILE`: the samples an LLM judge should see.
final class TriageExportTests: XCTestCase {
    func testExportHoldsExactlyTheRoutedRowsWithTheirReasons() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        let dir = TestPaths.temporaryDirectory("triage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = data.appendingPathComponent("contrast/compliant_contrast.jsonl.zst").path
        for route in ["yes", "maybe", "all"] {
            let rows = dir.appendingPathComponent("rows-\(route).jsonl").path
            let export = dir.appendingPathComponent("judge-\(route).jsonl.zst").path
            let r = try AfscanBinary.run(["label", input, "-o", rows, "--route", route, "--export", export])
            XCTAssertEqual(r.status, 0, r.stderr)
            let all = try jsonLines(Data(contentsOf: URL(fileURLWithPath: rows)))
            let exported = try jsonLines(try runProcess("zstd", ["-dc", export]).stdout)
            // Expected from the rows themselves, by the documented rule.
            var expected: [Int: String] = [:]
            for row in all {
                let labels = row["labels"] as? [String: [String: Any]] ?? [:]
                let band = labels["af.goal_guarding"]?["decision"] as? String
                var reasons: [String] = []
                if band == "yes" && route != "maybe" { reasons.append("af.goal_guarding=yes") }
                if route != "yes" {
                    if band == "maybe" { reasons.append("af.goal_guarding=maybe") }
                    // a label that could not be computed (decision unknown) never routes
                    for (name, value) in labels.sorted(by: { $0.key < $1.key })
                    where value["route_to_judge"] as? Bool == true && value["decision"] as? String != "unknown" {
                        reasons.append(name)
                    }
                }
                if !reasons.isEmpty { expected[(row["source"] as! [String: Any])["record"] as! Int] = reasons.sorted().joined(separator: ",") }
            }
            let got = Dictionary(uniqueKeysWithValues: exported.map { row -> (Int, String) in
                let reasons = ((row["flags"] as? [String: Any])?["routed_by"] as? String ?? "")
                return ((row["source"] as! [String: Any])["record"] as! Int,
                        reasons.split(separator: ",").map(String.init).sorted().joined(separator: ","))
            })
            XCTAssertEqual(got, expected, "--route \(route)")
            XCTAssertTrue(r.stderr.contains("exported \(expected.count) of 120 labelled records"), r.stderr)
            if route == "all" { XCTAssertGreaterThan(expected.count, 0) }
            // Exported rows keep their evidence.
            for row in exported { XCTAssertNotNil(row["evidence"] as? [Any]) }
        }
    }

    func testRouteAndExportGoTogether() throws {
        let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "--route", "maybe", "-q"]).status, 64)
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "--export", "/tmp/x.jsonl", "-q"]).status, 64)
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "--route", "sometimes", "--export", "/tmp/x.jsonl", "-q"]).status, 64)
    }
}
