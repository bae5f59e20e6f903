import AfscanTestSupport
import Foundation
import XCTest

/// What `--help` promises matches what the commands do (findings of a fresh-user trial: the same option
/// was described three ways, and `summary --pair-by` named a key the summary does not have).
final class HelpTextTests: XCTestCase {
    var sample: String { TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path }

    func help(_ command: String) throws -> String {
        let r = try AfscanBinary.run([command, "--help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return String(decoding: r.stdout, as: UTF8.self)
    }

    func testWindowLimitIsDescribedAndCheckedAlikeOnEveryReader() throws {
        let texts = try ["label", "eval", "bench"].map { try help($0) }
        for text in texts {
            XCTAssertTrue(text.contains("--max-window-log <n>"), text)
            XCTAssertTrue(text.contains("10–31"), text)
        }
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "--max-window-log", "9", "-q"]).status, 64)
        XCTAssertEqual(try AfscanBinary.run(["eval", sample, "--reference", "x", "--positive", "y", "--max-window-log", "32"]).status, 64)
        XCTAssertEqual(try AfscanBinary.run(["bench", sample, "--max-window-log", "9"]).status, 64)
    }

    func testPairByHelpNamesTheKeyTheSummaryAdds() throws {
        XCTAssertTrue(try help("summary").contains("adds `pairs`"))
        let dir = TestPaths.temporaryDirectory("help")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = dir.appendingPathComponent("rows.jsonl").path
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-o", rows, "-q"]).status, 0)
        // All 8 rows come from one file: one "prompt", seen in both conditions; the 2 rows whose condition
        // is unknown count as rows without a pair.
        let r = try AfscanBinary.run(["summary", rows, "--pair-by", "source.file", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let pairs = try XCTUnwrap(summary["pairs"] as? [String: Any])
        XCTAssertEqual(pairs["prompts_in_both_conditions"] as? Int, 1)
        XCTAssertEqual(pairs["rows_without_pair"] as? Int, 2)
        let consistent = try XCTUnwrap(pairs["af_consistent"] as? [String: Any])
        XCTAssertEqual(consistent["n"] as? Int, 1)
    }

    /// A `--pair-by` path that no row has is a user's mistake: one warning naming the path, the row count
    /// and the paths the rows do have (not a silent "0 of 0 prompts").
    func testPairByPathNoRowHasIsAWarning() throws {
        let dir = TestPaths.temporaryDirectory("pairby")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = dir.appendingPathComponent("rows.jsonl").path
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-o", rows, "-q"]).status, 0)
        let r = try AfscanBinary.run(["summary", rows, "--pair-by", "fields.user_input", "-o", dir.appendingPathComponent("s.json").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("afscan: warning: --pair-by") }
        XCTAssertEqual(warnings.count, 1, r.stderr)
        XCTAssertTrue(warnings[0].hasPrefix("afscan: warning: --pair-by fields.user_input: none of the 8 labelled rows has this path, so no prompt is paired; paths in the first row: "), r.stderr)
        XCTAssertTrue(warnings[0].contains("source.file"), r.stderr)
        // A path the rows have: no warning.
        let ok = try AfscanBinary.run(["summary", rows, "--pair-by", "source.file", "-o", dir.appendingPathComponent("s2.json").path])
        XCTAssertFalse(ok.stderr.contains("warning: --pair-by"), ok.stderr)
    }
}
