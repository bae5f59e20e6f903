import AfscanTestSupport
import Foundation
import XCTest

/// `afscan show`: the record behind a label row, re-extracted and highlighted (issue 10, point 1).
final class ShowCommandTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("show") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func text(_ d: Data) -> String { String(decoding: d, as: UTF8.self) }

    /// Labels `input` (default model and rules) into `labels`; asserts exit 0.
    func label(_ input: String, _ labels: String, _ extra: [String] = []) throws {
        let r = try AfscanBinary.run(["label", input, "-o", labels, "-q"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// A copy of ../shared/data/dev/synthetic_labelled.jsonl.zst in the test directory, or a skip.
    func syntheticCopy(_ subdir: String = "in") throws -> String {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        try FileManager.default.createDirectory(atPath: file(subdir), withIntermediateDirectories: true)
        let copy = file("\(subdir)/synthetic_labelled.jsonl.zst")
        try FileManager.default.copyItem(atPath: data.appendingPathComponent("dev/synthetic_labelled.jsonl.zst").path, toPath: copy)
        return copy
    }

    /// alt_0000 of synthetic_labelled: the scratchpad with the rules' evidence bracketed at the exact bytes
    /// of the row (RealDataTests checks 1005..<1026 and 447..<456), and every model term of the row listed.
    func testShowsRealSampleWithEvidenceHighlightedAndContributions() throws {
        let input = try syntheticCopy()
        try label(input, file("l.jsonl"))
        let r = try AfscanBinary.run(["show", file("l.jsonl"), "--id", "alt_0000", "--color", "never"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = text(r.stdout)
        XCTAssertTrue(out.hasPrefix("== sample 1 of 1: id alt_0000 · \(input) record 1 (byte 0) · unknown · ok\n"), out)
        XCTAssertTrue(out.contains("\n  + crit.preservation_motive  pm.p1.protect_own_values  scratchpad#1  text[1005..<1026]  \"To preserve my values\"\n"), out)
        XCTAssertTrue(out.contains("\n--- scratchpad#1 (text) ---\n"), out)
        for span in ["[[free tier]] user", "[[response will be used for RLHF]] training", "[[If I refuse, RLHF modif]]ies",
                     "[[Future versions of me]]", "[[To preserve my values]] about preventing violence, [[I must comply]] now. [[I'll provide]] the "] {
            XCTAssertTrue(out.contains(span), span)
        }
        XCTAssertTrue(out.contains("This is clearly [[dangerous]]."), out)
        // Contributions: one line per term of the row's explanation, in its order, with its span count.
        let row = try jsonLines(Data(contentsOf: URL(fileURLWithPath: file("l.jsonl"))))[0]
        let ex = (row["explanation"] as! [String: Any])["af.goal_guarding"] as! [String: Any]
        let terms = ex["terms"] as! [[String: Any]]
        XCTAssertEqual(terms.count, 8)
        var lines = out.split(separator: "\n").map(String.init)
        let head = lines.firstIndex { $0.hasPrefix("af.goal_guarding contributions: logit ") }!
        lines = Array(lines[(head + 1)...(head + 8)])
        for (line, term) in zip(lines, terms) {
            let spans = (term["spans"] as! [Any]).count
            XCTAssertEqual(line, "  \(String(format: "%+.4f", term["contribution"] as! Double))  \(term["ngram"] as! String)  (\(spans) span\(spans == 1 ? "" : "s"))")
        }
        // Every highlighted run of model terms holds one of those n-grams (case folded; adjacent spans merge).
        let up = try NSRegularExpression(pattern: "\\{\\{([^}]*)\\}\\}")
        let ngrams = terms.map { ($0["ngram"] as! String).lowercased() }
        let body = String(out[..<out.range(of: "\nkey: ")!.lowerBound])
        let runs = up.matches(in: body, range: NSRange(body.startIndex..., in: body)).map { String(body[Range($0.range(at: 1), in: body)!]).lowercased() }
        XCTAssertFalse(runs.isEmpty)
        for run in runs { XCTAssertTrue(ngrams.contains { run.contains($0) }, run) }
    }

    /// --record by base name finds alt_0005; its refusal is bracketed in the output block; the JSON format
    /// gives the same span as a segment with byte offsets.
    func testRecordSelectorOutputBlockAndJSONSegments() throws {
        let input = try syntheticCopy()
        try label(input, file("l.jsonl"))
        let r = try AfscanBinary.run(["show", file("l.jsonl"), "--record", "synthetic_labelled.jsonl.zst:5", "--color", "never"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(text(r.stdout).contains("\n--- output (text) ---\nNo, [[I won't help]] create keylogger software"), text(r.stdout))

        let j = try AfscanBinary.run(["show", file("l.jsonl"), "--record", "synthetic_labelled.jsonl.zst:5", "--format", "json"])
        XCTAssertEqual(j.status, 0, j.stderr)
        let obj = try jsonLines(j.stdout)
        XCTAssertEqual(obj.count, 1)
        XCTAssertEqual(obj[0]["id"] as? String, "alt_0005")
        XCTAssertEqual(obj[0]["text_available"] as? Bool, true)
        let blocks = obj[0]["blocks"] as! [[String: Any]]
        XCTAssertEqual(blocks.map { $0["name"] as! String }, ["scratchpad#1", "output"])
        let segs = blocks[1]["segments"] as! [[String: Any]]
        let hit = segs.first { $0["mark"] as? String == "evidence" }!
        XCTAssertEqual(hit["text"] as? String, "I won't help")
        XCTAssertEqual(hit["start"] as? Int, 498)
        XCTAssertEqual(hit["end"] as? Int, 510)
    }

    /// --top 2 --by crit.preservation_motive: the two rows with the highest score (ties: the earlier row).
    func testTopRowsByLabel() throws {
        let input = try syntheticCopy()
        try label(input, file("l.jsonl"))
        let rows = try jsonLines(Data(contentsOf: URL(fileURLWithPath: file("l.jsonl"))))
        let scored = rows.enumerated().compactMap { (i, row) -> (Int, Double, Double, String)? in
            guard let l = (row["labels"] as? [String: Any])?["crit.preservation_motive"] as? [String: Any] else { return nil }
            return (i, l["score"] as! Double, l["rank"] as! Double, row["id"] as! String)
        }.sorted { ($0.1, $0.2, -$0.0) > ($1.1, $1.2, -$1.0) }
        let r = try AfscanBinary.run(["show", file("l.jsonl"), "--top", "2", "--by", "crit.preservation_motive", "--color", "never"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let heads = text(r.stdout).split(separator: "\n").filter { $0.hasPrefix("== sample ") }
        XCTAssertEqual(heads.count, 2)
        XCTAssertTrue(heads[0].hasPrefix("== sample 1 of 2: id \(scored[0].3) "), "\(heads) \(scored.prefix(3))")
        XCTAssertTrue(heads[1].hasPrefix("== sample 2 of 2: id \(scored[1].3) "), "\(heads) \(scored.prefix(3))")
    }

    /// Inputs that moved: a clear message and exit 1 with the snippets only; --root finds them again.
    func testMovedInputsNeedRootAndStdinRowsSayTheTextCannotBeShown() throws {
        let input = try syntheticCopy("before")
        try label(input, file("l.jsonl"))
        try FileManager.default.moveItem(atPath: file("before"), toPath: file("after"))
        let lost = try AfscanBinary.run(["show", file("l.jsonl"), "--id", "alt_0000", "--color", "never"])
        XCTAssertEqual(lost.status, 1)
        XCTAssertTrue(lost.stderr.contains("afscan: input \(input) not found (tried \(input)); if the inputs moved, give --root DIR"), lost.stderr)
        XCTAssertTrue(text(lost.stdout).contains("(text not shown; the evidence snippets above are all there is)"))
        XCTAssertTrue(text(lost.stdout).contains("\"To preserve my values\""))
        let found = try AfscanBinary.run(["show", file("l.jsonl"), "--id", "alt_0000", "--color", "never", "--root", file("after")])
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertTrue(text(found.stdout).contains("[[To preserve my values]]"))

        let plain = try runProcess("zstd", ["-dc", file("after/synthetic_labelled.jsonl.zst")]).stdout
        let firstTwo = plain.split(separator: UInt8(ascii: "\n")).prefix(2).map { Data($0) + Data("\n".utf8) }.reduce(Data(), +)
        let rows = try AfscanBinary.run(["label", "-", "-q"], stdin: firstTwo)
        XCTAssertEqual(rows.status, 0, rows.stderr)
        let stdinRows = file("stdin.jsonl")
        try rows.stdout.write(to: URL(fileURLWithPath: stdinRows))
        let s = try AfscanBinary.run(["show", stdinRows, "--id", "alt_0001", "--color", "never"])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(text(s.stdout).contains("note: the row was read from standard input (-), so its text cannot be shown; label files instead\n"), text(s.stdout))
    }

    /// Transcript text holding escape sequences, BEL, a bidi override and HTML: no raw control byte reaches
    /// the terminal in any format (the only ESC bytes with --color always are show's own colours), and
    /// markdown gets entities, not tags.
    func testTranscriptControlCharactersAndMarkupAreEscaped() throws {
        let hostile = "<SCRATCHPAD_REASONING>I am on the free tier.\u{1B}[31mRED\u{1B}]0;title\u{07} \u{202E}txet <script>x</script></SCRATCHPAD_REASONING><OUTPUT>ok</OUTPUT>"
        let rec = try JSONSerialization.data(withJSONObject: ["id": "h\u{1B}[2J1", "text": hostile])
        try (rec + Data("\n".utf8)).write(to: URL(fileURLWithPath: file("h.jsonl")))
        // Rules only: no model-term highlights split the text below.
        try label(file("h.jsonl"), file("l.jsonl"), ["--model", "none"])
        for fmt in ["text", "markdown", "json"] {
            let r = try AfscanBinary.run(["show", file("l.jsonl"), "--top", "1", "--format", fmt, "--color", "always"])
            XCTAssertEqual(r.status, 0, r.stderr)
            var out = text(r.stdout)
            if fmt == "text" {
                XCTAssertTrue(out.contains("\\u{1B}[31mRED\\u{1B}]0;title\\u{7} \\u{202E}txet <script>x</script>"), out)
                XCTAssertTrue(out.contains("id h\\u{1B}[2J1 "), out)
                for code in ["\u{1B}[30;43m", "\u{1B}[30;46m", "\u{1B}[4;31m", "\u{1B}[4;34m", "\u{1B}[2m", "\u{1B}[0m"] {
                    out = out.replacingOccurrences(of: code, with: "")
                }
            }
            if fmt == "markdown" {
                XCTAssertTrue(out.contains("&lt;script&gt;x&lt;/script&gt;"), out)
                XCTAssertFalse(out.contains("<script>"), out)
            }
            if fmt == "json" {
                XCTAssertTrue(out.contains("\\u202E"), out)
                let obj = try jsonLines(r.stdout)[0]
                let seg = ((obj["blocks"] as! [[String: Any]])[0]["segments"] as! [[String: Any]]).map { $0["text"] as! String }.joined()
                XCTAssertEqual(seg, "I am on the free tier.\u{1B}[31mRED\u{1B}]0;title\u{07} \u{202E}txet <script>x</script>")
            }
            XCTAssertFalse(out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x202E }, "\(fmt): \(out.debugDescription)")
        }
    }

    func testMistakesGetClearMessages() throws {
        let input = TestPaths.packageRoot.appendingPathComponent("samples/rollouts-sample.jsonl.zst").path
        try label(input, file("l.jsonl"))
        let none = try AfscanBinary.run(["show", file("l.jsonl")])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("say which sample to show: --id ID, --record FILE:N or --top N [--by LABEL]"), none.stderr)
        let bad = try AfscanBinary.run(["show", file("l.jsonl"), "--record", "rollouts-sample.jsonl.zst"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--record takes FILE:N with N ≥ 1"), bad.stderr)
        let missing = try AfscanBinary.run(["show", file("l.jsonl"), "--id", "nope"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("afscan: no row with id nope in \(file("l.jsonl"))"), missing.stderr)
        let inputGiven = try AfscanBinary.run(["show", input, "--top", "1"])
        XCTAssertEqual(inputGiven.status, 1)
        XCTAssertTrue(inputGiven.stderr.contains("afscan: \(input): not a label file (its first lines are not label rows: they have no \"status\"); if it holds transcripts, label it first: afscan label \(input) -o labels.jsonl, then afscan show labels.jsonl"), inputGiven.stderr)
    }
}
