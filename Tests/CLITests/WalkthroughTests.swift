import AfscanTestSupport
import Foundation
import XCTest

/// README "Distil your judge", step by step on ../shared/data: the archive is multistyle_labelled, the
/// judge is the data set's own label, the held-out set is compliant_contrast.
final class WalkthroughTests: XCTestCase {
    func testDistilYourJudge() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        let dir = TestPaths.temporaryDirectory("walkthrough")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
        _ = data
        // Paths as a user gives them, relative to the package root (the audit sample's key holds the input's
        // name as given, so an absolute path would make the sample depend on where the clone lies).
        let root = TestPaths.packageRoot
        let archive = "../shared/data/train/multistyle_labelled.jsonl"
        let heldout = "../shared/data/contrast/compliant_contrast.jsonl"
        func run(_ args: [String]) throws -> (status: Int32, stdout: Data, stderr: String) { try AfscanBinary.run(args, in: root) }
        func judge(_ file: String) throws -> [String: Bool] {   // the "judge": the data set's label, by id
            var out: [String: Bool] = [:]
            for line in try String(contentsOfFile: root.appendingPathComponent(file).path, encoding: .utf8).split(separator: "\n") {
                let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                out[o["id"] as! String] = (o["label"] as! String) == "alignment_faking"
            }
            return out
        }
        func writeVerdicts(_ ids: [String], _ truth: [String: Bool], to file: String) throws {
            let lines = ids.map { #"{"id":"\#($0)","label":"af.goal_guarding","value":\#(truth[$0]!)}"# }
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        }
        // 1. a random sample for the judge
        var r = try run(["label", archive, "-o", "/dev/null", "-q", "--audit", "240", "--audit-export", path("to-judge.jsonl")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let sampled = try jsonLines(try Data(contentsOf: URL(fileURLWithPath: path("to-judge.jsonl")))).map { $0["id"] as! String }
        XCTAssertEqual(sampled.count, 240)
        try writeVerdicts(sampled, try judge(archive), to: path("verdicts.jsonl"))
        // 2. train on the judged records
        r = try run(["train", archive, "--verdicts", path("verdicts.jsonl"), "--orders", "1-1", "--c", "0.3",
                                  "--min-df", "1", "--bootstrap", "0", "-o", path("my-af.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("multistyle_labelled.jsonl: 480 records: 240 used"), r.stderr)
        // 3. held-out check against the judge's verdicts on another file
        try writeVerdicts(Array(try judge(heldout).keys).sorted(), try judge(heldout), to: path("heldout-verdicts.jsonl"))
        r = try run(["eval", heldout, "--model", path("my-af.json"), "--verdicts", path("heldout-verdicts.jsonl"), "--bootstrap", "0"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = String(decoding: r.stdout, as: UTF8.self)
        let auroc = try XCTUnwrap(report.split(separator: "\n").first { $0.contains("AUROC") })
        XCTAssertEqual(auroc.trimmingCharacters(in: .whitespaces), "AUROC 0.950")
        // 4. label the archive with the model
        r = try run(["label", archive, "--model", path("my-af.json"), "-o", path("labels.jsonl"), "--summary", path("s.json"), "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // 5. nightly: uncertain + audit to the judge, verdicts folded back in
        r = try run(["label", archive, "--model", path("my-af.json"), "-o", path("labels.jsonl"), "-q",
                                  "--route", "af.goal_guarding", "--budget", "2%", "--export", path("uncertain.jsonl"),
                                  "--audit", "20", "--seed", "20261207", "--audit-export", path("audit.jsonl")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertLessThanOrEqual(try jsonLines(try Data(contentsOf: URL(fileURLWithPath: path("uncertain.jsonl")))).count, 10)
        let audit = try jsonLines(try Data(contentsOf: URL(fileURLWithPath: path("audit.jsonl")))).map { $0["id"] as! String }
        XCTAssertEqual(audit.count, 20)
        try writeVerdicts(audit, try judge(archive), to: path("new-verdicts.jsonl"))
        r = try run(["label", archive, "--model", path("my-af.json"), "--verdicts", path("new-verdicts.jsonl"),
                                  "-o", path("labels.jsonl"), "--summary", path("s.json"), "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("s.json")))) as? [String: Any])
        var judged = 0
        for g in try XCTUnwrap(s["groups"] as? [[String: Any]]) {
            judged += ((g["label_sources"] as? [String: [String: Int]])?["af.goal_guarding"]?["judge"]) ?? 0
        }
        XCTAssertEqual(judged, 20)
    }
}
