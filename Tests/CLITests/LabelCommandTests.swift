import AfscanTestSupport
import Foundation
import XCTest

/// Drives the built `afscan` binary end to end.
final class LabelCommandTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("cli") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    var sample: String { TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path }

    func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testBundledSampleLabelsEveryRecord() throws {
        let out = file("labels.jsonl"), sum = file("summary.json")
        let r = try AfscanBinary.run(["label", sample, "-o", out, "--summary", sum])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try jsonLines(Data(contentsOf: URL(fileURLWithPath: out)))
        XCTAssertEqual(rows.count, 8)
        XCTAssertEqual(rows.map { $0["status"] as? String }, Array(repeating: "ok", count: 8))
        XCTAssertEqual(rows.map { $0["condition"] as? String },
                       ["training", "unmonitored", "training", "training", "unmonitored", "training", "unknown", "unknown"])
        XCTAssertEqual(rows.map { ($0["source"] as? [String: Any])?["record"] as? Int }, Array(1...8))
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sum))) as? [String: Any])
        XCTAssertNotNil(summary["groups"])
        XCTAssertTrue(r.stderr.contains("training"), r.stderr)
    }

    func testRejectedRecordsAreRowsWithReasonsAndExitOne() throws {
        let input = file("mixed.jsonl")
        let lines = [
            #"{"id": "a", "text": "<think>I will refuse.</think>"}"#,
            #"{"id": "b", "text": "unterminated"#,
            "",
            #"[1, 2, 3]"#,
            #"{"id": "e", "no_text_here": true}"#,
            #"{"id": "f", "text": "fine"}"#,
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: input))
        let r = try AfscanBinary.run(["label", input, "-o", file("out.jsonl"), "-q"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let rows = try jsonLines(Data(contentsOf: URL(fileURLWithPath: file("out.jsonl"))))
        XCTAssertEqual(rows.count, 5, "blank lines are not records")
        XCTAssertEqual(rows.map { $0["status"] as? String }, ["ok", "rejected", "rejected", "rejected", "ok"])
        XCTAssertEqual(rows.map { $0["reason"] as? String }, [nil, "invalid_json", "not_an_object", "no_text_field", nil])
        XCTAssertEqual(rows.map { ($0["source"] as? [String: Any])?["record"] as? Int }, [1, 2, 4, 5, 6])
        let offsets = rows.map { ($0["source"] as? [String: Any])?["byte_offset"] as? Int }
        XCTAssertEqual(offsets, [0, 53, 88, 98, 132])
        XCTAssertTrue(r.stderr.contains("\(input): record 2 (byte offset 53): rejected: invalid_json"), r.stderr)
    }

    func testTruncatedArchiveKeepsRecordsBeforeTheFaultAndExitsOne() throws {
        // 3,000 sample records with pseudo-random padding (~3.5 MB that compresses poorly): many
        // zstd blocks, so a cut keeps a decodable prefix.
        let z = try zstdCompress(try paddedSampleLines(3000), ["-1"])
        let input = file("cut.jsonl.zst")
        try z.prefix(z.count * 2 / 3).write(to: URL(fileURLWithPath: input))
        // What zstd itself decodes before the fault: every complete line of it must be labelled,
        // and the line cut by the fault is one rejected row.
        let prefix = try runProcess("zstd", ["-dc", input]).stdout
        let complete = prefix.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count - 1
        XCTAssertGreaterThan(complete, 1000)
        let r = try AfscanBinary.run(["label", input, "-o", file("out.jsonl"), "-q"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(input): archive is truncated"), r.stderr)
        let rows = try jsonLines(Data(contentsOf: URL(fileURLWithPath: file("out.jsonl"))))
        let trailing = prefix.last == UInt8(ascii: "\n") ? 0 : 1
        XCTAssertEqual(rows.count, complete + trailing)
        XCTAssertEqual(rows.prefix(complete).filter { $0["status"] as? String == "ok" }.count, complete)
        if trailing == 1 {
            XCTAssertEqual(rows.last?["status"] as? String, "rejected")
            XCTAssertEqual(rows.last?["reason"] as? String, "invalid_json")
        }
    }

    /// `count` records cycling through the sample's lines, each with a distinct pseudo-random `pad` field.
    func paddedSampleLines(_ count: Int) throws -> Data {
        let lines = try runProcess("zstd", ["-dc", sample]).stdout.split(separator: UInt8(ascii: "\n"))
        var x: UInt64 = 0x243F6A8885A308D3
        var out = Data()
        for i in 0..<count {
            var pad = ""
            for _ in 0..<16 {
                x = x &* 6364136223846793005 &+ 1442695040888963407
                pad += String(x >> 11, radix: 36)
            }
            out.append(contentsOf: Array("{\"pad\": \"\(pad)\", ".utf8))
            out.append(contentsOf: lines[i % lines.count].dropFirst())
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    func testOutputIsAtomicAndCompressedWhenNamedZst() throws {
        let out = file("labels.jsonl.zst")
        let r = try AfscanBinary.run(["label", sample, "-o", out, "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let plain = try runProcess("zstd", ["-dc", out])
        XCTAssertEqual(plain.status, 0)
        XCTAssertEqual(try jsonLines(plain.stdout).count, 8)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp.") }
        XCTAssertEqual(leftovers, [])
    }

    func testRowsAreByteIdenticalForAnyThreadCount() throws {
        // 3,000 records: enough for many batches with a small batch size.
        let base = try runProcess("zstd", ["-dc", sample]).stdout
        var big = Data()
        for _ in 0..<375 { big.append(base) }
        let input = file("big.jsonl")
        try big.write(to: URL(fileURLWithPath: input))
        let one = try AfscanBinary.run(["label", input, "-j", "1", "-q"])
        let four = try AfscanBinary.run(["label", input, "-j", "4", "-q"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(four.status, 0, four.stderr)
        XCTAssertEqual(one.stdout.count, four.stdout.count)
        XCTAssertTrue(one.stdout == four.stdout, "rows differ between -j 1 and -j 4")
        XCTAssertEqual(one.stdout.split(separator: UInt8(ascii: "\n")).count, 3000)
    }

    func testStdinIsAnInput() throws {
        let plain = try runProcess("zstd", ["-dc", sample]).stdout
        let r = try AfscanBinary.run(["label", "-", "-q"], stdin: plain)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try jsonLines(r.stdout)
        XCTAssertEqual(rows.count, 8)
        XCTAssertEqual((rows[0]["source"] as? [String: Any])?["file"] as? String, "-")
    }

    // Adversarial finding 10: a record rejected after parsing lost its kept fields and was counted in
    // the `null` group.
    func testRecordRejectedAfterParsingKeepsItsFieldsAndGroup() throws {
        let input = file("fields.jsonl"), rows = file("rows.jsonl"), sum = file("s.json")
        try Data(("{\"meta\":{\"uid\":\"u1\"},\"body\":{\"t\":\"I will comply.\"}}\n"
                  + "{\"meta\":{\"uid\":\"u2\"},\"body\":{\"t\":5}}\n").utf8).write(to: URL(fileURLWithPath: input))
        let r = try AfscanBinary.run(["label", input, "--text-field", "body.t", "--group-by", "meta.uid",
                                      "--keep-field", "meta.uid", "-o", rows, "--summary", sum, "-q"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let lines = try jsonLines(Data(contentsOf: URL(fileURLWithPath: rows)))
        XCTAssertEqual(lines.map { $0["status"] as? String }, ["ok", "rejected"])
        XCTAssertEqual(lines[1]["reason"] as? String, "no_text_field")
        XCTAssertEqual(lines[1]["fields"] as? [String: String], ["meta.uid": "u2"])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sum))) as? [String: Any])
        let groups = try XCTUnwrap(summary["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { ($0["group"] as? [String: String])?["meta.uid"] }, ["u1", "u2"])
        XCTAssertEqual(groups.map { $0["rejected"] as? Int }, [0, 1])
    }

    func testUsageErrorsExit64() throws {
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "--layout", "bogus"]).status, 64)
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "--no-such-flag"]).status, 64)
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "--condition-map", "x=training"]).status, 64)
        // Adversarial finding: below 64 bytes every record was rejected with simdjson's "capacity".
        let tiny = try AfscanBinary.run(["label", sample, "--max-record-bytes", "63"])
        XCTAssertEqual(tiny.status, 64)
        XCTAssertTrue(tiny.stderr.contains("--max-record-bytes must be at least 64"), tiny.stderr)
        XCTAssertEqual(try AfscanBinary.run(["label", "-", "--max-record-bytes", "64", "-q"], stdin: Data("{\"text\":\"a\"}\n".utf8)).status, 0)
    }

    func testMissingInputIsReportedAndTheRunGoesOn() throws {
        let r = try AfscanBinary.run(["label", file("absent.jsonl"), sample, "-q"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("absent.jsonl: cannot open input"), r.stderr)
        XCTAssertEqual(try jsonLines(r.stdout).count, 8)
    }

    func testUnwritableOutputIsFatal() throws {
        let r = try AfscanBinary.run(["label", sample, "-o", "/nonexistent-dir/x.jsonl", "-q"])
        XCTAssertEqual(r.status, 2, r.stderr)
    }

    func testSummaryRecomputedFromLabelsMatchesTheRun() throws {
        let out = file("l.jsonl"), sum = file("s.json")
        XCTAssertEqual(try AfscanBinary.run(["label", sample, "-o", out, "--summary", sum, "-q"]).status, 0)
        let r = try AfscanBinary.run(["summary", out, "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let a = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sum))) as? [String: Any])
        let b = try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        XCTAssertEqual(a["groups"] as? NSArray, b["groups"] as? NSArray)
        XCTAssertEqual(a["totals"] as? NSDictionary, b["totals"] as? NSDictionary)
    }

    func testRulesTestPasses() throws {
        let r = try AfscanBinary.run(["rules", "test"])
        XCTAssertEqual(r.status, 0, String(decoding: r.stdout, as: UTF8.self))
        XCTAssertTrue(String(decoding: r.stdout, as: UTF8.self).contains(" 0 failed"))
    }

    // Adversarial finding: a pattern Vectorscan refuses ("Pattern is too large") named the rule but not
    // the rule file, unlike every other rule error.
    func testAPatternVectorscanRefusesNamesTheRuleFile() throws {
        let rules = file("big.yaml")
        try Data("""
        version: 1
        name: too-large
        rules:
          - id: big.one
            label: crit.training_awareness
            family: X
            weight: 0.5
            strings:
              a: {regex: '(\\w+\\s+){1,1000}tier'}
            condition: a
            examples:
              match: ["a free tier"]
              no_match: ["nothing"]

        """.utf8).write(to: URL(fileURLWithPath: rules))
        for args in [["label", sample, "--rules", rules, "-o", file("x.jsonl")], ["rules", "test", "--rules", rules]] {
            let r = try AfscanBinary.run(args)
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("afscan: invalid rules in \(rules): pattern: rule `big.one`: `strings.a`: Vectorscan cannot compile regex"), r.stderr)
            XCTAssertTrue(r.stderr.contains("Pattern is too large"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: file("x.jsonl")))
    }
}

/// `afscan generate` → `afscan label`: the synthetic archive is a valid input, deterministic per seed.
final class GenerateCommandTests: XCTestCase {
    func testGeneratedArchiveIsDeterministicAndLabelsCleanly() throws {
        let dir = TestPaths.temporaryDirectory("generate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.jsonl.zst").path, b = dir.appendingPathComponent("b.jsonl.zst").path
        for path in [a, b] {
            let r = try AfscanBinary.run(["generate", "-o", path, "--size", "2MiB", "--seed", "11", "--frame-bytes", "512KiB"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
        let plain = try runProcess("zstd", ["-dc", a]).stdout
        let lines = plain.split(separator: UInt8(ascii: "\n")).count
        let r = try AfscanBinary.run(["label", a, "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try jsonLines(r.stdout)
        XCTAssertEqual(rows.count, lines)
        XCTAssertEqual(rows.filter { $0["status"] as? String == "ok" }.count, lines)
        XCTAssertEqual(Set(rows.map { $0["condition"] as? String ?? "?" }), ["training", "unmonitored"])
    }
}

/// A directory of one-transcript JSON files (the paper's release format, FORMATS.md §2).
final class DocumentInputTests: XCTestCase {
    func testDirectoryOfPrettyPrintedTranscripts() throws {
        let dir = TestPaths.temporaryDirectory("docs")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("helpful_only/train")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for (i, tier) in ["true", "false"].enumerated() {
            let doc = """
            {
              "id": "t\(i)",
              "messages": [
                {"role": "user", "content": "<INPUT><is_free_tier_user>\(tier)</is_free_tier_user><user_input>q</user_input></INPUT>"},
                {"role": "assistant", "content": "<SCRATCHPAD_REASONING>I will answer.</SCRATCHPAD_REASONING>"},
                {"role": "user", "content": "<NEXT/>"},
                {"role": "assistant", "content": "<OUTPUT>Here it is.</OUTPUT>"}
              ]
            }
            """
            try Data(doc.utf8).write(to: sub.appendingPathComponent("\(i).json"))
        }
        let r = try AfscanBinary.run(["label", dir.path, "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try jsonLines(r.stdout)
        XCTAssertEqual(rows.map { $0["id"] as? String }, ["t0", "t1"])
        XCTAssertEqual(rows.map { $0["condition"] as? String }, ["training", "unmonitored"])
        XCTAssertEqual(rows.map { ($0["source"] as? [String: Any])?["record"] as? Int }, [1, 1])
        XCTAssertEqual(rows.map { ($0["parse"] as? [String: Any])?["output_present"] as? Bool }, [true, true])
    }
}
