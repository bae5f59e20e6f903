import AfscanTestSupport
import Foundation
import XCTest

/// `afscan compare A B` on real runs (issue 11, point 6): summaries or label files, exit 3 on a
/// watched rise.
final class CompareCommandTests: XCTestCase {
    func testCompareRealRunsAndTheDriftAlarm() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        let dir = TestPaths.temporaryDirectory("compare")
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        // A: paper excerpts (2 of 190 in the yes band); B: the synthetic file (86 of 180).
        XCTAssertEqual(try AfscanBinary.run(["label", data.appendingPathComponent("dev/paper_excerpts.jsonl.zst").path, "-q", "--summary", p("a.json"), "-o", p("a.jsonl")]).status, 0)
        XCTAssertEqual(try AfscanBinary.run(["label", data.appendingPathComponent("dev/synthetic_labelled.jsonl.zst").path, "-q", "--summary", p("b.json"), "-o", p("b.jsonl")]).status, 0)
        let rise = try AfscanBinary.run(["compare", p("a.json"), p("b.json"), "--fail-on-rise", "af_goal_guarding"])
        XCTAssertEqual(rise.status, 3, rise.stderr)
        let text = String(decoding: rise.stdout, as: UTF8.self)
        XCTAssertTrue(text.contains("unknown    -      af_goal_guarding               1.1% 2/190   47.8% 86/180  +46.7 pp [+39.1, +54.0]  ROSE"), text)
        XCTAssertEqual(rise.stderr, "afscan: alarm: af_goal_guarding rose significantly in unknown: 1.1% 2/190 -> 47.8% 86/180\n")
        // The other way round: a fall, exit 0; label files give the same figures as their summaries.
        let fall = try AfscanBinary.run(["compare", p("b.jsonl"), p("a.jsonl"), "--fail-on-rise", "af_goal_guarding", "--format", "json"])
        XCTAssertEqual(fall.status, 0, fall.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: fall.stdout) as? [String: Any])
        let af = try XCTUnwrap((json["rates"] as? [[String: Any]])?.first { $0["rate"] as? String == "af_goal_guarding" })
        XCTAssertEqual(af["change"] as? Double, -0.467251)
        XCTAssertEqual(af["rose"] as? Bool, false)
        // Mistakes: the same operand twice, an unknown rate, a file that is neither.
        XCTAssertEqual(try AfscanBinary.run(["compare", p("a.json"), p("a.json")]).status, 64)
        let typo = try AfscanBinary.run(["compare", p("a.json"), p("b.json"), "--fail-on-rise", "af"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("--fail-on-rise af: no such rate in the summaries (rates: af_goal_guarding, af_goal_guarding_yes_or_maybe, "), typo.stderr)
    }
}
