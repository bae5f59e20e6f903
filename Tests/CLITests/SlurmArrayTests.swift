import AfscanTestSupport
import Foundation
import XCTest

/// Issue 11, point 4: the Slurm job array of `deploy/slurm/` run for real on a private single-node Slurm
/// (`deploy/slurm/local-slurm.sh`: munged + slurmctld + slurmd on 127.0.0.1), its merged output compared
/// with one `afscan label` run. Skipped, with the reason, where Slurm cannot start (not root, slurm-wlm
/// or munge not installed, a daemon that does not come up).
final class SlurmArrayTests: XCTestCase {
    var dir: URL!
    var slurmDir: URL!
    var slurmConf: String!
    let deploy = TestPaths.packageRoot.appendingPathComponent("deploy/slurm")

    override func setUpWithError() throws {
        dir = TestPaths.temporaryDirectory("slurm-array")
        slurmDir = dir.appendingPathComponent("slurm")
        guard getuid() == 0 else {
            throw XCTSkip("Slurm cannot start here: not root (slurmd runs jobs as their user); run as root with slurm-wlm and munge installed")
        }
        let start = try runProcess(deploy.appendingPathComponent("local-slurm.sh").path, ["start", slurmDir.path])
        let message = String(decoding: start.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if start.status == 3 { throw XCTSkip("Slurm cannot start here: \(message)") }
        XCTAssertEqual(start.status, 0, message)
        let export = String(decoding: start.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(export.hasPrefix("export SLURM_CONF="), export)
        slurmConf = String(export.dropFirst("export SLURM_CONF=".count))
    }

    override func tearDown() {
        // Always stop the daemons this test started (by their pid files), even after a failure.
        if let slurmDir { _ = try? runProcess(deploy.appendingPathComponent("local-slurm.sh").path, ["stop", slurmDir.path]) }
        try? FileManager.default.removeItem(at: dir)
    }

    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    /// submit.sh --wait under a 10-minute bound, with SLURM_CONF and AFSCAN for the jobs.
    func submit(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        var env = ProcessInfo.processInfo.environment
        env["SLURM_CONF"] = slurmConf
        env["AFSCAN"] = AfscanBinary.url.path
        let r = try runProcess("timeout", ["600", deploy.appendingPathComponent("submit.sh").path, "--wait"] + arguments, environment: env)
        return (r.status, String(decoding: r.stdout, as: UTF8.self), String(decoding: r.stderr, as: UTF8.self))
    }

    func sortedLines(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }


    /// The data set: a generated 13-frame archive (large enough to be split by frame ranges across the
    /// shards), a copy of it cut short (an input fault: the shard owning it exits 1, which must still
    /// let the merge run and make it exit 1), and the dev files of ../shared/data when present.
    func makeInputs() throws -> (input: String, realFiles: Int) {
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let big = input.appendingPathComponent("big.jsonl.zst")
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", big.path, "--size", "3MB", "--seed", "11", "--frame-bytes", "256KB"]).status, 0)
        let bytes = try Data(contentsOf: big)
        try bytes.prefix(bytes.count - 500).write(to: input.appendingPathComponent("truncated.jsonl.zst"))
        var real = 0
        if let data = TestPaths.sharedData {
            for name in ["paper_excerpts", "vocab_free", "synthetic_labelled", "sycophant_organism"] {
                try FileManager.default.copyItem(atPath: data.appendingPathComponent("dev/\(name).jsonl.zst").path,
                                                 toPath: input.appendingPathComponent("\(name).jsonl.zst").path)
                real += 1
            }
        } else {
            print("SlurmArrayTests: \(TestPaths.sharedDataAbsent); the array runs on the generated archives only")
        }
        return (input.path, real)
    }

    func testJobArrayThenDependentMergeEqualsOneRun() throws {
        let (input, _) = try makeInputs()
        let one = try AfscanBinary.run(["label", input, "-o", path("all.jsonl"), "--summary", path("all.json"), "-q"])
        XCTAssertEqual(one.status, 1, one.stderr)   // the truncated archive

        let out = path("out")
        let r = try submit(["3", out, input])
        // The merge ran after the three shards and exits 1: a shard reported the truncated archive.
        XCTAssertEqual(r.status, 1, "\(r.stdout)\n\(r.stderr)\n\((try? String(contentsOfFile: out + "/merge.log", encoding: .utf8)) ?? "")")
        let ids = r.stdout.split(whereSeparator: \.isWhitespace)
        XCTAssertEqual(ids.count, 2, r.stdout)   // the array job's id and the merge job's
        var statuses: [String] = []
        for k in 0..<3 {
            let log = try String(contentsOfFile: "\(out)/shard-\(k).log", encoding: .utf8)
            XCTAssertTrue(log.contains("afscan: shard \(k)/3: "), log)
            statuses.append(try String(contentsOfFile: "\(out)/part-\(k).status", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        XCTAssertEqual(statuses.sorted(), ["0", "0", "1"])
        // The generated archive was shared out by frame ranges, so every shard read a part of it.
        for k in 0..<3 {
            XCTAssertTrue(try String(contentsOfFile: "\(out)/shard-\(k).log", encoding: .utf8).contains("big.jsonl.zst frames "))
        }

        let merged = try runProcess("zstd", ["-dc", "\(out)/merged.jsonl.zst"])
        XCTAssertEqual(merged.status, 0)
        let rows = sortedLines(merged.stdout)
        let single = sortedLines(try Data(contentsOf: URL(fileURLWithPath: path("all.jsonl"))))
        XCTAssertTrue(rows == single, "the merged rows differ from one run's (\(rows.count) rows against \(single.count))")
        XCTAssertGreaterThan(rows.count, 80)
        XCTAssertEqual(try summaryWithoutRun("\(out)/merged.json"), try summaryWithoutRun(path("all.json")))
    }

    /// A shard that fails (a usage error: exit 64) keeps the dependent merge from running: Slurm
    /// cancels it (--kill-on-invalid-dep), nothing merged is written and submit.sh --wait exits 2.
    func testFailedShardCancelsTheMerge() throws {
        let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
        let out = path("out-failed")
        let r = try submit(["2", out, "--no-such-option", sample])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("did not merge (JobState=CANCELLED): a shard failed"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: "\(out)/part-0.status", encoding: .utf8), "64\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/merged.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/merged.jsonl.zst"))
    }
}
