import AfscanTestSupport
import Foundation
import XCTest
import Yams

/// Issue 11, point 4: the Kubernetes Indexed Job of `deploy/k8s/` (completion index K → `--shard K/N`)
/// and its merge Job. Checked three ways: against the Job schema with kubernetes-validate (PyPI; the
/// schemas of Kubernetes 1.37 ship inside it) where it is installed; the fields the example relies on
/// (always); and the manifests' own shell commands run for real, one per completion index, against a
/// directory standing in for the shared volume, their merge compared with one run.
final class KubernetesJobTests: XCTestCase {
    let k8s = TestPaths.packageRoot.appendingPathComponent("deploy/k8s")
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("k8s-job") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func manifest(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: k8s.appendingPathComponent(name), encoding: .utf8)
        return try XCTUnwrap(try Yams.load(yaml: text) as? [String: Any], name)
    }

    /// The value at a dotted path of nested maps and lists (a number indexes a list).
    func value(_ object: Any?, _ path: String) -> Any? {
        path.split(separator: ".").reduce(object) { current, key in
            if let i = Int(key), let list = current as? [Any] { return i < list.count ? list[i] : nil }
            return (current as? [String: Any])?[String(key)]
        }
    }

    /// The single container's `sh -c` script of a Job manifest.
    func script(_ job: [String: Any]) throws -> String {
        XCTAssertEqual(value(job, "spec.template.spec.containers.0.command") as? [String], ["/bin/sh", "-c"])
        return try XCTUnwrap(value(job, "spec.template.spec.containers.0.args.0") as? String)
    }

    func testManifestsValidateAgainstTheJobSchema() throws {
        guard (try? runProcess("kubernetes-validate", ["--version"]))?.status == 0 else {
            throw XCTSkip("kubernetes-validate is not installed (python3 -m pip install kubernetes-validate==1.37.0; CI installs it): the schema check is skipped, testIndexedJobFields still checks the fields the example relies on")
        }
        let files = ["volume.yaml", "shards-job.yaml", "merge-job.yaml"].map { k8s.appendingPathComponent($0).path }
        let r = try runProcess("kubernetes-validate", ["--strict", "--kubernetes-version", "1.37.0"] + files)
        let out = String(decoding: r.stdout + r.stderr, as: UTF8.self)
        XCTAssertEqual(r.status, 0, out)
        XCTAssertTrue(out.contains("shards-job.yaml passed for resource job/afscan-shards against version 1.37"), out)
        XCTAssertTrue(out.contains("merge-job.yaml passed for resource job/afscan-merge against version 1.37"), out)
        XCTAssertTrue(out.contains("volume.yaml passed for resource persistentvolumeclaim/afscan-data"), out)
        // The validator does reject a misspelt field and a wrong type in the same manifest.
        let text = try String(contentsOfFile: files[1], encoding: .utf8)
        for (from, to, expected) in [("  completions: 4", "  completion: 4", "'completion' was unexpected"),
                                     ("  parallelism: 4", "  parallelism: four", "'four' is not of type 'integer'")] {
            let bad = dir.appendingPathComponent("bad.yaml")
            try text.replacingOccurrences(of: from, with: to).write(to: bad, atomically: true, encoding: .utf8)
            let b = try runProcess("kubernetes-validate", ["--strict", bad.path])
            XCTAssertEqual(b.status, 1)
            XCTAssertTrue(String(decoding: b.stdout + b.stderr, as: UTF8.self).contains(expected))
        }
    }

    /// What a schema cannot see: the index mode, N in three places agreeing, the index reaching
    /// --shard, a restart policy that lets backoffLimitPerIndex and podFailurePolicy apply, and both
    /// Jobs mounting the claim that volume.yaml defines.
    func testIndexedJobFields() throws {
        let shards = try manifest("shards-job.yaml"), merge = try manifest("merge-job.yaml"), volume = try manifest("volume.yaml")
        XCTAssertEqual(value(shards, "apiVersion") as? String, "batch/v1")
        XCTAssertEqual(value(shards, "kind") as? String, "Job")
        XCTAssertEqual(value(shards, "spec.completionMode") as? String, "Indexed")
        let n = try XCTUnwrap(value(shards, "spec.completions") as? Int)
        let parallelism = try XCTUnwrap(value(shards, "spec.parallelism") as? Int)
        XCTAssertTrue((1...n).contains(parallelism))
        XCTAssertEqual(value(shards, "spec.maxFailedIndexes") as? Int, 0)   // a lost shard fails the Job
        XCTAssertEqual(value(shards, "spec.template.spec.restartPolicy") as? String, "Never")
        XCTAssertEqual(value(shards, "spec.podFailurePolicy.rules.0.onExitCodes.containerName") as? String,
                       value(shards, "spec.template.spec.containers.0.name") as? String)
        XCTAssertEqual(value(shards, "spec.podFailurePolicy.rules.0.onExitCodes.values") as? [Int], [2, 64])

        let env = try XCTUnwrap(value(shards, "spec.template.spec.containers.0.env") as? [[String: Any]])
        let index = try XCTUnwrap(env.first { $0["name"] as? String == "JOB_COMPLETION_INDEX" })
        XCTAssertEqual(value(index, "valueFrom.fieldRef.fieldPath") as? String, "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        let shardScript = try script(shards)
        XCTAssertTrue(shardScript.contains("k=\"$JOB_COMPLETION_INDEX\""), shardScript)
        XCTAssertTrue(shardScript.contains("--shard \"$k/\(n)\""), "the script's N must be completions (\(n))")
        XCTAssertTrue(try script(merge).contains("n=\(n) "), "the merge Job's N must be completions (\(n))")

        let claim = try XCTUnwrap(value(volume, "metadata.name") as? String)
        for job in [shards, merge] {
            XCTAssertEqual(value(job, "spec.template.spec.volumes.0.persistentVolumeClaim.claimName") as? String, claim)
            XCTAssertEqual(value(job, "spec.template.spec.containers.0.volumeMounts.0.mountPath") as? String, "/data")
            XCTAssertEqual(value(job, "spec.template.spec.volumes.0.name") as? String,
                           value(job, "spec.template.spec.containers.0.volumeMounts.0.name") as? String)
        }
        XCTAssertEqual(value(volume, "spec.accessModes") as? [String], ["ReadWriteMany"])
    }

    /// The manifests' commands, run by /bin/sh as the pods would (JOB_COMPLETION_INDEX = 0 … N-1, then
    /// the merge), over a directory standing in for the volume: the merged rows and summary equal one
    /// run over the same inputs. A generated 13-frame archive is split across the indexes by frame
    /// ranges; a copy cut short makes one index exit 1 (still a success for the Job) and the merge 1.
    func testManifestCommandsMergeToOneRun() throws {
        let volume = dir.appendingPathComponent("data")
        let input = volume.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: volume.appendingPathComponent("out"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let big = input.appendingPathComponent("big.jsonl.zst")
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", big.path, "--size", "3MB", "--seed", "5", "--frame-bytes", "256KB"]).status, 0)
        let bytes = try Data(contentsOf: big)
        try bytes.prefix(bytes.count - 500).write(to: input.appendingPathComponent("truncated.jsonl.zst"))
        try FileManager.default.copyItem(atPath: TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path,
                                         toPath: input.appendingPathComponent("sample.jsonl.zst").path)

        let shards = try manifest("shards-job.yaml")
        let n = try XCTUnwrap(value(shards, "spec.completions") as? Int)
        let onVolume = { (s: String) in s.replacingOccurrences(of: "/data/", with: volume.path + "/") }
        let shardScript = onVolume(try script(shards)), mergeScript = onVolume(try script(try manifest("merge-job.yaml")))
        var env = ProcessInfo.processInfo.environment
        env["AFSCAN"] = AfscanBinary.url.path
        env["AFSCAN_THREADS"] = "1"
        var statuses: [String] = []
        for k in 0..<n {
            env["JOB_COMPLETION_INDEX"] = String(k)
            let r = try runProcess("/bin/sh", ["-c", shardScript], environment: env)
            XCTAssertEqual(r.status, 0, String(decoding: r.stderr, as: UTF8.self))
            XCTAssertTrue(String(decoding: r.stderr, as: UTF8.self).contains("afscan: shard \(k)/\(n): "))
            statuses.append(try String(contentsOf: volume.appendingPathComponent("out/part-\(k).status"), encoding: .utf8))
        }
        XCTAssertEqual(statuses.filter { $0 == "1\n" }.count, 1, "\(statuses)")
        XCTAssertEqual(statuses.filter { $0 == "0\n" }.count, n - 1, "\(statuses)")
        env["JOB_COMPLETION_INDEX"] = nil
        let m = try runProcess("/bin/sh", ["-c", mergeScript], environment: env)
        XCTAssertEqual(m.status, 1, String(decoding: m.stderr, as: UTF8.self))

        let one = try AfscanBinary.run(["label", input.path, "-o", dir.appendingPathComponent("all.jsonl").path,
                                        "--summary", dir.appendingPathComponent("all.json").path, "-q"])
        XCTAssertEqual(one.status, 1, one.stderr)
        let merged = try runProcess("zstd", ["-dc", volume.appendingPathComponent("out/merged.jsonl.zst").path])
        let sorted = { (d: Data) in String(decoding: d, as: UTF8.self).split(separator: "\n").sorted() }
        let rows = sorted(merged.stdout), single = sorted(try Data(contentsOf: dir.appendingPathComponent("all.jsonl")))
        XCTAssertTrue(rows == single, "the merged rows differ from one run's (\(rows.count) rows against \(single.count))")
        XCTAssertGreaterThan(rows.count, 80)
        XCTAssertEqual(try summaryWithoutRun(volume.appendingPathComponent("out/merged.json").path),
                       try summaryWithoutRun(dir.appendingPathComponent("all.json").path))

        // A missing part: the merge refuses instead of merging fewer shards.
        try FileManager.default.removeItem(at: volume.appendingPathComponent("out/part-1.status"))
        let refused = try runProcess("/bin/sh", ["-c", mergeScript], environment: env)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(String(decoding: refused.stderr, as: UTF8.self).contains("part-1.status is missing: shard 1/\(n) did not finish; not merging"))
    }

    /// The deploy scripts and the manifests' embedded scripts pass shellcheck (Debian's shellcheck).
    func testDeployScriptsAreShellcheckClean() throws {
        guard (try? runProcess("shellcheck", ["--version"]))?.status == 0 else {
            throw XCTSkip("shellcheck is not installed (apt-get install shellcheck; CI installs it): the lint is skipped")
        }
        let slurm = TestPaths.packageRoot.appendingPathComponent("deploy/slurm")
        let files = try FileManager.default.contentsOfDirectory(atPath: slurm.path).sorted().map { slurm.appendingPathComponent($0).path }
        XCTAssertEqual(files.count, 4)
        let r = try runProcess("shellcheck", files)
        XCTAssertEqual(r.status, 0, String(decoding: r.stdout, as: UTF8.self))
        for name in ["shards-job.yaml", "merge-job.yaml"] {
            let s = try runProcess("shellcheck", ["-s", "sh", "-"], stdin: Data(try script(try manifest(name)).utf8))
            XCTAssertEqual(s.status, 0, "\(name): \(String(decoding: s.stdout, as: UTF8.self))")
        }
    }
}
