import AfscanTestSupport
import Foundation
import XCTest

/// Issue 11, point 1: `label --resume` keeps finished parts; runs killed (SIGKILL) at any point, then
/// resumed, publish the rows and summary of one uninterrupted run.
final class ResumeTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("resume") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    /// A generated 24-frame archive (cut into parts of ~100 kB compressed here), the bundled sample and a
    /// plain file with one rejected record.
    func makeInputs() throws -> String {
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        XCTAssertEqual(try AfscanBinary.run(["generate", "-o", input.appendingPathComponent("big.jsonl.zst").path, "--size", "6MB",
                                             "--seed", "3", "--frame-bytes", "256KB"]).status, 0)
        let sample = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
        try FileManager.default.copyItem(atPath: sample, toPath: input.appendingPathComponent("sample.jsonl.zst").path)
        try "{\"id\":\"p\",\"text\":\"<think>I will answer.</think>Sure.\"}\n{\"id\":\"bad\",\"text\":\n"
            .write(to: input.appendingPathComponent("plain.jsonl"), atomically: true, encoding: .utf8)
        return input.path
    }

    func resumable(_ input: String) -> Process {
        let p = Process()
        p.executableURL = AfscanBinary.url
        p.arguments = ["label", input, "--resume", "-q", "-o", path("r.jsonl"), "--summary", path("r.json")]
        p.environment = ProcessInfo.processInfo.environment.merging(["AFSCAN_RESUME_CHUNK_BYTES": "100000"]) { $1 }
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        return p
    }

    func testKilledRunsResumeToTheRowsAndSummaryOfOneRun() throws {
        let input = try makeInputs()
        let one = try AfscanBinary.run(["label", input, "-q", "-o", path("all.jsonl"), "--summary", path("all.json")])
        XCTAssertEqual(one.status, 1, one.stderr)   // plain.jsonl's second record is rejected
        // SIGKILL at increasing points: before anything, mid-part, between parts, near the end.
        var finished = false
        for delay: useconds_t in [50_000, 400_000, 900_000, 1_500_000, 2_500_000, 4_000_000] {
            let p = resumable(input)
            try p.run()
            usleep(delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .exit { finished = true; break }   // it finished before the kill
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("r.jsonl")) && !FileManager.default.fileExists(atPath: path("r.json")),
                           "rows published without their summary")
        }
        let last = resumable(input)
        try last.run()
        last.waitUntilExit()
        XCTAssertEqual(last.terminationStatus, 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("r.jsonl"))), try Data(contentsOf: URL(fileURLWithPath: path("all.jsonl"))))
        XCTAssertEqual(try summaryWithoutRun(path("r.json")), try summaryWithoutRun(path("all.json")))
        // The state directory is gone, and no temporary file of a killed attempt is left.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(left, [], "left behind: \(left) (finished early: \(finished))")
    }

    /// Finished parts are reused; a changed input (or other arguments) invalidates its parts only.
    func testFinishedPartsAreReusedAndChangedInputsRelabelled() throws {
        let input = try makeInputs()
        let state = path("state")
        func run(_ extra: [String] = []) throws -> (status: Int32, stderr: String) {
            let r = try runProcess(AfscanBinary.url.path, ["label", input, "--resume", "--state", state, "-o", path("r.jsonl")] + extra,
                                   environment: ProcessInfo.processInfo.environment.merging(["AFSCAN_RESUME_CHUNK_BYTES": "100000"]) { $1 })
            return (r.status, String(decoding: r.stderr, as: UTF8.self))
        }
        // A first attempt, killed once three parts are done: its parts stay in the state directory.
        let p = Process()
        p.executableURL = AfscanBinary.url
        p.arguments = ["label", input, "--resume", "--state", state, "-q", "-o", path("r.jsonl")]
        p.environment = ProcessInfo.processInfo.environment.merging(["AFSCAN_RESUME_CHUNK_BYTES": "100000"]) { $1 }
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until a few parts are done, then kill.
        for _ in 0..<200 {
            let parts = ((try? FileManager.default.contentsOfDirectory(atPath: state)) ?? []).filter { $0.hasSuffix(".summary.json") }
            if parts.count >= 3 { break }
            usleep(50_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let doneBefore = ((try? FileManager.default.contentsOfDirectory(atPath: state)) ?? []).filter { $0.hasSuffix(".summary.json") }.count
        XCTAssertGreaterThanOrEqual(doneBefore, 3)
        // Change the plain input: its part is labelled again, the others are reused.
        try "{\"id\":\"p2\",\"text\":\"<think>I will answer.</think>Sure.\"}\n".write(toFile: input + "/plain.jsonl", atomically: true, encoding: .utf8)
        let r = try run()
        XCTAssertEqual(r.status, 0, r.stderr)
        let note = try XCTUnwrap(r.stderr.split(separator: "\n").first { $0.contains("--resume:") })
        XCTAssertTrue(note.contains("parts were already done"), String(note))
        let rows = try jsonLines(Data(contentsOf: URL(fileURLWithPath: path("r.jsonl"))))
        XCTAssertTrue(rows.contains { $0["id"] as? String == "p2" })
        XCTAssertFalse(rows.contains { $0["id"] as? String == "bad" })
        XCTAssertFalse(FileManager.default.fileExists(atPath: state))
    }

    func testResumeUsageErrors() throws {
        for (args, message) in [(["label", "x.jsonl", "--resume"], "--resume needs -o FILE"),
                                (["label", "-", "--resume", "-o", path("o.jsonl")], "standard input cannot be read again"),
                                (["label", "x.jsonl", "--state", path("s"), "-o", path("o.jsonl")], "--state names the --resume state directory; add --resume"),
                                (["label", "x.jsonl", "--resume", "-o", path("o.jsonl"), "--audit", "5"], "--resume does not support --audit yet")] {
            let r = try AfscanBinary.run(args)
            XCTAssertEqual(r.status, 64, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
        }
    }
}
