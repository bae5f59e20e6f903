import AfscanTestSupport
import Foundation
import XCTest

/// Issue 11, point 2: `--manifest run.json` and `--metrics run.prom` for a scheduler.
final class SchedulerOutputsTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("sched") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
    let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path

    func json(_ p: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: p))) as? [String: Any])
    }

    /// The sample file's samples (name, labels → value) from the exposition text: `name{a="b",…} value`.
    func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            var key = String(line[..<space])
            if let open = key.firstIndex(of: "{") {
                // Labels sorted, so the key does not depend on the order the library emits them in.
                let labels = key[key.index(after: open)..<key.index(before: key.endIndex)].split(separator: ",").map(String.init).sorted()
                key = String(key[..<open]) + "{" + labels.joined(separator: ",") + "}"
            }
            out[key] = value
        }
        return out
    }

    func testManifestAndMetricsOfACompletedRun() throws {
        let r = try AfscanBinary.run(["label", sample, path("missing.jsonl"), "-q", "-o", path("l.jsonl"), "--summary", path("s.json"),
                                      "--manifest", path("run.json"), "--metrics", path("run.prom")])
        XCTAssertEqual(r.status, 1, r.stderr)
        let m = try json(path("run.json"))
        XCTAssertEqual(m["schema"] as? String, "afscan.manifest/v1")
        XCTAssertEqual(m["status"] as? String, "completed")
        XCTAssertEqual(m["exit_status"] as? Int, 1)
        XCTAssertEqual(m["published"] as? Bool, true)
        XCTAssertEqual(m["model_hash"] as? String, "fd13878da418c8a5449bea84f6630ee13ea67d5510236f71d5b5d6ac4a6b8d10")
        let summary = try json(path("s.json"))
        XCTAssertEqual(m["rules_hash"] as? String, (summary["run"] as? [String: Any])?["rules_hash"] as? String)
        let inputs = try XCTUnwrap(m["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.count, 2)
        XCTAssertEqual(inputs[0]["name"] as? String, sample)
        XCTAssertEqual(inputs[0]["records"] as? Int, 8)
        XCTAssertEqual(inputs[0]["labelled"] as? Int, 8)
        XCTAssertEqual(inputs[0]["decompressed_bytes"] as? Int, 9676)
        XCTAssertEqual(inputs[0]["size_bytes"] as? Int, try FileManager.default.attributesOfItem(atPath: sample)[.size] as? Int)
        XCTAssertTrue(inputs[0]["fault"] is NSNull)
        XCTAssertEqual(inputs[1]["fault"] as? String, "\(path("missing.jsonl")): cannot open input: No such file or directory")
        XCTAssertEqual(inputs[1]["records"] as? Int, 0)
        let totals = try XCTUnwrap(m["totals"] as? [String: Any])
        XCTAssertEqual(totals["records"] as? Int, 8)
        XCTAssertEqual(totals["bytes"] as? Int, 9676)
        XCTAssertEqual((m["outputs"] as? [String: String])?["summary"], path("s.json"))

        let text = try String(contentsOfFile: path("run.prom"), encoding: .utf8)
        let s = samples(text)
        XCTAssertEqual(s[#"afscan_records_total{status="labelled"}"#], 8)
        XCTAssertEqual(s[#"afscan_records_total{status="rejected"}"#], 0)
        XCTAssertEqual(s[#"afscan_inputs_total{status="fault"}"#], 1)
        XCTAssertEqual(s[#"afscan_decompressed_bytes_total"#], 9676)
        XCTAssertEqual(s["afscan_run_exit_status"], 1)
        XCTAssertEqual(s["afscan_run_published"], 1)
        // The rates and the gap are the summary's (training: 1 of 4 AF; gap +16.7 pp).
        XCTAssertEqual(s[#"afscan_rate{condition="training",rate="af_goal_guarding"}"#], 0.25)
        XCTAssertEqual(s[#"afscan_rate_numerator{condition="training",rate="af_goal_guarding"}"#], 1)
        XCTAssertEqual(s[#"afscan_rate_denominator{condition="training",rate="af_goal_guarding"}"#], 4)
        XCTAssertEqual(try XCTUnwrap(s[#"afscan_compliance_gap{variant="strict"}"#]), 1.0 / 6, accuracy: 1e-12)
        XCTAssertTrue(text.contains("# TYPE afscan_records_total counter"), text)
        try checkWithPrometheusParser(path("run.prom"))
    }

    /// Group values are label values: quotes, backslashes and newlines in them are escaped, and the file
    /// parses with the Prometheus client's own parser (Python's prometheus_client, when installed).
    func testHostileGroupValuesAreEscaped() throws {
        let hostile = #"{"id":"a","text":"<think>I comply.</think>ok","env":"a\"b\\c\nd} 1"}"# + "\n"
        try hostile.write(toFile: path("h.jsonl"), atomically: true, encoding: .utf8)
        let r = try AfscanBinary.run(["label", path("h.jsonl"), "--group-by", "env", "-q", "-o", "/dev/null", "--metrics", path("h.prom")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOfFile: path("h.prom"), encoding: .utf8)
        XCTAssertTrue(text.contains(#"group_env="a\"b\\c\nd} 1""#), text)
        XCTAssertFalse(text.split(separator: "\n").contains { $0.hasPrefix("d}") }, "a raw newline split a sample line")
        try checkWithPrometheusParser(path("h.prom"))
    }

    /// SIGTERM mid-run (the run waits on a pipe that stays open): nothing published, and the manifest
    /// says so (status interrupted, exit 143, the record read so far counted).
    func testInterruptedRunWritesAnInterruptedManifest() throws {
        let p = Process()
        p.executableURL = AfscanBinary.url
        p.arguments = ["label", "-", "-q", "-o", path("o.jsonl"), "--manifest", path("run.json"), "--metrics", path("run.prom")]
        let input = Pipe()
        p.standardInput = input
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("{\"text\":\"<think>I will answer.</think>Sure.\"}\n".utf8))
        usleep(1_500_000)
        let writer = input.fileHandleForWriting
        DispatchQueue.global().asyncAfter(deadline: .now() + 15) { try? writer.close() }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 143)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("o.jsonl")))
        let m = try json(path("run.json"))
        XCTAssertEqual(m["status"] as? String, "interrupted")
        XCTAssertEqual(m["exit_status"] as? Int, 143)
        XCTAssertEqual(m["published"] as? Bool, false)
        // Blocked in read(2), the run was ended by the watchdog, which says what it knows.
        XCTAssertEqual(m["note"] as? String, "ended by the watchdog 2 s after SIGTERM (blocked reading or writing) after 0 records were labelled; per-input counts unknown")
        let s = samples(try String(contentsOfFile: path("run.prom"), encoding: .utf8))
        XCTAssertEqual(s["afscan_run_published"], 0)
        XCTAssertEqual(s["afscan_run_exit_status"], 143)
    }

    func checkWithPrometheusParser(_ file: String) throws {
        let probe = try runProcess("python3", ["-c", "import prometheus_client"])
        guard probe.status == 0 else {
            print("prometheus_client is not installed (pip install prometheus-client); the exposition text was checked by this test's own reader only")
            return
        }
        let script = "import sys\nfrom prometheus_client.parser import text_string_to_metric_families\nn = sum(len(f.samples) for f in text_string_to_metric_families(open(sys.argv[1]).read()))\nprint(n)\n"
        let r = try runProcess("python3", ["-c", script, file])
        XCTAssertEqual(r.status, 0, String(decoding: r.stderr, as: UTF8.self))
        XCTAssertGreaterThan(Int(String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 10)
    }
}
