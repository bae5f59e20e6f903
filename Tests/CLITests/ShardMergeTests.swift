import AfscanTestSupport
import Foundation
import XCTest

/// Issue 11, point 3: N runs with `--shard K/N` over the same operands, then `afscan merge`, equal one
/// run: rows as a multiset (byte for byte), the summary exactly (the `run` block aside), faults once.
final class ShardMergeTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("shards") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    func lines(_ p: String) throws -> [String] {
        try String(contentsOfFile: p, encoding: .utf8).split(separator: "\n").map(String.init).sorted()
    }

    /// The inputs: a generated 13-frame archive (frames end at records), the same records re-cut into
    /// 100 kB frames that split records mid-line (`split -b` + zstd), one of them truncated (its last
    /// frame cut: an input fault), and the real dev files, each assigned whole.
    func makeInputs() throws -> String {
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let big = input.appendingPathComponent("big.jsonl.zst").path
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", big, "--size", "3MB", "--seed", "3", "--frame-bytes", "256KB"]).status, 0)
        let plain = try runProcess("zstd", ["-dc", big]).stdout
        let cut = try runProcess("sh", ["-c", "split -b 100000 --filter='zstd -q -c' - > \(input.path)/cut.jsonl.zst"], stdin: plain)
        XCTAssertEqual(cut.status, 0)
        let cutBytes = try Data(contentsOf: URL(fileURLWithPath: input.appendingPathComponent("cut.jsonl.zst").path))
        try cutBytes.prefix(cutBytes.count - 700).write(to: input.appendingPathComponent("truncated.jsonl.zst"))
        if let data = TestPaths.sharedData {
            for name in ["paper_excerpts", "vocab_free", "synthetic_labelled"] {
                try FileManager.default.copyItem(atPath: data.appendingPathComponent("dev/\(name).jsonl.zst").path,
                                                 toPath: input.appendingPathComponent("\(name).jsonl.zst").path)
            }
        }
        return input.path
    }

    func testShardsThenMergeEqualOneRun() throws {
        let input = try makeInputs()
        let one = try AfscanBinary.run(["label", input, "-o", path("all.jsonl"), "--summary", path("all.json"), "-q"])
        XCTAssertEqual(one.status, 1, one.stderr)   // the truncated archive
        let fault = one.stderr.split(separator: "\n").filter { $0.contains("truncated.jsonl.zst") }
        XCTAssertEqual(fault.count, 2, one.stderr)   // the record cut by the truncation, and the input fault
        var faults: [String] = []
        for k in 0..<3 {
            let r = try AfscanBinary.run(["label", input, "--shard", "\(k)/3", "-o", path("s\(k).jsonl"), "--summary", path("s\(k).json")])
            XCTAssertTrue([0, 1].contains(r.status), r.stderr)
            faults += r.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("afscan: ") && $0.contains("truncated.jsonl.zst") && !$0.hasPrefix("afscan: shard ") }
            XCTAssertTrue(r.stderr.contains("afscan: shard \(k)/3: "), r.stderr)
        }
        // The fault is reported by exactly one shard, in the words of the single run.
        XCTAssertEqual(faults.map { $0 }, fault.map(String.init))
        // Split inputs really were split: the shards' notes name frame ranges of the cut archive.
        let rows = try (0..<3).flatMap { try lines(path("s\($0).jsonl")) }
        XCTAssertEqual(rows.sorted(), try lines(path("all.jsonl")))
        XCTAssertEqual(Set(rows).count, rows.count)

        XCTAssertEqual(try AfscanBinary.run(["merge", path("s0.jsonl"), path("s1.jsonl"), path("s2.jsonl"), "-o", path("m.jsonl"), "--summary", path("mr.json"), "-q"]).status, 0)
        XCTAssertEqual(try lines(path("m.jsonl")), try lines(path("all.jsonl")))
        XCTAssertEqual(try summaryWithoutRun(path("mr.json")), try summaryWithoutRun(path("all.json")))
        let fromSummaries = try AfscanBinary.run(["merge", path("s0.json"), path("s1.json"), path("s2.json"), "--summary", path("ms.json"), "-q"])
        XCTAssertEqual(fromSummaries.status, 0, fromSummaries.stderr)
        XCTAssertEqual(try summaryWithoutRun(path("ms.json")), try summaryWithoutRun(path("all.json")))
        let runs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("ms.json")))) as? [String: Any])
        XCTAssertEqual(((runs["run"] as? [String: Any])?["input_faults"] as? [String])?.count, 1)
    }

    /// Each shard's note names what it reads; a split archive's frames are shared out contiguously.
    func testSplitArchiveFrameRangesAndUsageErrors() throws {
        let input = try makeInputs()
        var ranges: [String] = []
        for k in 0..<2 {
            let r = try AfscanBinary.run(["label", dir.appendingPathComponent("in/cut.jsonl.zst").path, "--shard", "\(k)/2", "-o", "/dev/null"])
            XCTAssertEqual(r.status, 0, r.stderr)
            ranges.append(String(r.stderr.split(separator: "\n").first { $0.hasPrefix("afscan: shard") } ?? ""))
        }
        XCTAssertTrue(ranges[0].hasPrefix("afscan: shard 0/2: 0 whole input(s), \(input)/cut.jsonl.zst frames 0.."), ranges[0])
        XCTAssertTrue(ranges[1].contains("..end; 0 input(s) belong to other shards"), ranges[1])
        for bad in ["3/3", "1", "-1/2", "a/b"] {
            let r = try AfscanBinary.run(["label", input, "--shard=\(bad)"])
            XCTAssertEqual(r.status, 64, bad)
            XCTAssertTrue(r.stderr.contains("--shard takes K/N with 0 <= K < N"), r.stderr)
        }
        let stdin = try AfscanBinary.run(["label", "--shard", "0/2"], stdin: Data())
        XCTAssertEqual(stdin.status, 64)
        XCTAssertTrue(stdin.stderr.contains("standard input cannot be shared out"), stdin.stderr)
    }

    /// One small input and three shards: two shards get nothing (an empty summary, no groups) and must
    /// not take the adjusted prevalence away from the merge.
    func testEmptyShardsMergeToTheSingleRun() throws {
        let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "-o", "/dev/null", "--summary", path("all.json")]).status, 0)
        var empty = 0
        for k in 0..<3 {
            let r = try AfscanBinary.run(["label", sample, "--shard", "\(k)/3", "-o", "/dev/null", "--summary", path("s\(k).json")])
            XCTAssertEqual(r.status, 0, r.stderr)
            if r.stderr.contains("0 whole input(s); 1 input(s) belong to other shards") { empty += 1 }
        }
        XCTAssertEqual(empty, 2)
        let m = try AfscanBinary.run(["merge", path("s0.json"), path("s1.json"), path("s2.json"), "--summary", path("m.json"), "-q"])
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertEqual(try summaryWithoutRun(path("m.json")), try summaryWithoutRun(path("all.json")))
        XCTAssertTrue(try String(contentsOfFile: path("m.json"), encoding: .utf8).contains("prevalence_adjusted"))
    }

    /// Shards labelled with different rules or models are not merged.
    func testMergeRefusesDifferentModelsAndMixedKinds() throws {
        let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "-o", path("a.jsonl"), "--summary", path("a.json")]).status, 0)
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-q", "--model", "none", "-o", path("b.jsonl"), "--summary", path("b.json")]).status, 0)
        let rows = try AfscanBinary.run(["merge", path("a.jsonl"), path("b.jsonl"), "-o", path("m.jsonl")])
        XCTAssertEqual(rows.status, 2, rows.stderr)
        XCTAssertTrue(rows.stderr.contains("afscan: cannot merge: the shards were labelled with 2 different models (fd13878da418…, none); relabel them with one"), rows.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.jsonl")))
        // The same shard twice (by name, or a copy) would count it twice: refused.
        try FileManager.default.copyItem(atPath: path("a.json"), toPath: path("a-copy.json"))
        for twice in [[path("a.json"), path("a.json")], [path("a.json"), path("a-copy.json")], [path("a.jsonl"), path("a.jsonl")]] {
            let r = try AfscanBinary.run(["merge"] + twice + ["--summary", path("m2.json")])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("afscan: cannot merge: \(twice[1]) "), r.stderr)
            XCTAssertTrue(r.stderr.hasSuffix("; give each shard once\n"), r.stderr)
        }
        let mixed = try AfscanBinary.run(["merge", path("a.json"), path("b.jsonl")])
        XCTAssertEqual(mixed.status, 64)
        XCTAssertTrue(mixed.stderr.contains("give every shard's label rows or every shard's summary, not both"), mixed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m2.json")))
    }
}
