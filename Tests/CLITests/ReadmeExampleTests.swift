import AfscanTestSupport
import Foundation
import XCTest

/// The README's example row ("Output: one label row per record") must be the real row of record 1 of
/// the bundled sample: every label, the first evidence span, `parse`, `flags` and the `rules_hash`
/// prefix it shows are looked up in the row `afscan label` writes, and must appear in the README
/// exactly as the row has them (with the README's `", "` / `": "` spacing).
final class ReadmeExampleTests: XCTestCase {
    func testReadmeExampleRowIsTheSamplesFirstRow() throws {
        let root = TestPaths.packageRoot
        let dir = TestPaths.temporaryDirectory("readme")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("rows.jsonl").path
        // The README shows the path as given on the command line, relative to the package root.
        let r = try AfscanBinary.run(["label", "samples/rollouts-sample.jsonl.zst", "-o", out, "-q"], in: root)
        XCTAssertEqual(r.status, 0, r.stderr)
        let row = try XCTUnwrap(String(data: Data(contentsOf: URL(fileURLWithPath: out)), encoding: .utf8)?
            .split(separator: "\n").first.map(String.init))
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)

        var shown = [#""source": "#, #""condition": "#]
        for label in ["crit.preservation_motive", "crit.decision", "out.compliance", "af.goal_guarding", "af.goal_guarding_rules"] {
            shown.append("\"\(label)\": ")
        }
        shown += [#""parse": "#, #""flags": "#]
        for key in shown {
            let value = try XCTUnwrap(Self.value(after: Self.compact(key), in: row), "row has no \(key)")
            XCTAssertTrue(readme.contains(key + Self.spaced(value)), "README should show \(key)\(Self.spaced(value))")
        }
        // The first evidence span, and the rules hash prefix.
        let evidence = try XCTUnwrap(Self.value(after: #""evidence":["#, in: row))
        XCTAssertTrue(readme.contains(#""evidence": ["# + Self.spaced(evidence)), "README should show evidence [\(Self.spaced(evidence))")
        let hash = try XCTUnwrap(Self.value(after: #""rules_hash":"#, in: row))
        XCTAssertTrue(readme.contains(#""rules_hash": "# + hash.prefix(9) + "…\""), "README should show rules_hash \(hash.prefix(9))…")
        let modelHash = try XCTUnwrap(Self.value(after: #""model_hash":"#, in: row))
        XCTAssertTrue(readme.contains(#""model_hash": "# + modelHash.prefix(10) + "…\""), "README should show model_hash \(modelHash.prefix(10))…")
        // The explanation's logit, bias, remainder and first term (its first span), with the encoder's 6 decimals trimmed.
        let explanation = try XCTUnwrap(Self.value(after: #""explanation":{"af.goal_guarding":"#, in: row))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(explanation.utf8)) as? [String: Any])
        let term = try XCTUnwrap((object["terms"] as? [[String: Any]])?.first)
        let span = try XCTUnwrap((term["spans"] as? [[String: Any]])?.first)
        func number(_ x: Any?) -> String { "\(x as! Double)".replacingOccurrences(of: ".0$", with: "", options: .regularExpression) }
        let shownExplanation = #"{"logit": \#(number(object["logit"])), "bias": \#(number(object["bias"])), "remainder": \#(number(object["remainder"])), "terms": [{"ngram": "\#(term["ngram"] as! String)", "contribution": \#(number(term["contribution"])), "spans": [{"block": "\#(span["block"] as! String)", "field": "\#(span["field"] as! String)", "start": \#(span["start"] as! Int), "end": \#(span["end"] as! Int)}"#
        XCTAssertTrue(readme.contains(#""explanation": {"af.goal_guarding": "# + shownExplanation), "README should show explanation \(shownExplanation)")
    }

    /// `key` without the spaces the README puts after `:`.
    static func compact(_ key: String) -> String { key.replacingOccurrences(of: "\": ", with: "\":") }

    /// The JSON value that follows the first occurrence of `prefix` in compact JSON `text`: an object,
    /// array element object, string or scalar, returned as its compact text.
    static func value(after prefix: String, in text: String) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        let chars = Array(text[range.upperBound...])
        var depth = 0, inString = false, escaped = false, out: [Character] = []
        for c in chars {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" {
                    inString = false
                    if depth == 0 { return String(out) }
                }
                continue
            }
            if depth == 0, c == "," || c == "}" || c == "]" { return String(out) }
            out.append(c)
            switch c {
            case "\"": inString = true
            case "{", "[": depth += 1
            case "}", "]":
                depth -= 1
                if depth == 0 { return String(out) }
            default: break
            }
        }
        return nil
    }

    /// Compact JSON with a space after every `:` and `,` outside strings (the README's layout).
    static func spaced(_ compact: String) -> String {
        var out = "", inString = false, escaped = false
        for c in compact {
            out.append(c)
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == ":" || c == "," {
                out.append(" ")
            }
        }
        return out
    }
}
