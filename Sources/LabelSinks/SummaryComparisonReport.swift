import EvalStatistics
import Foundation

/// Renderings of a `SummaryComparison`: a text table (stderr or stdout), Markdown, and JSON.
extension SummaryComparison {
    /// The names shown for the two sides (file names as given).
    public struct Sides: Sendable {
        public var a: String
        public var b: String
        public init(a: String, b: String) {
            self.a = a
            self.b = b
        }
    }

    static func percent(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "n/a" }
    static func points(_ x: Double) -> String { String(format: "%+.1f", 100 * x) }
    static func changeText(_ d: Double?, _ lo: Double?, _ hi: Double?) -> String {
        guard let d, let lo, let hi else { return "n/a" }
        return "\(points(d)) pp [\(points(lo)), \(points(hi))]"
    }
    /// `25.0% 1/4`.
    public static func rateText(_ p: Proportion) -> String { "\(percent(p.rate)) \(p.k)/\(p.n)" }
    static func groupLabel(_ g: [String]) -> String { g.isEmpty ? "-" : g.joined(separator: " ") }

    var header: [String] {
        var lines = ["B minus A, per group and condition; 95% Newcombe intervals (independent runs)."]
        if !watched.isEmpty {
            lines.append("Watched for a significant rise (one-sided, family-wise alpha \(alpha), Bonferroni over \(tested) cell\(tested == 1 ? "" : "s")): \(watched.joined(separator: ", ")).")
        }
        lines.append("Compliance gap = non-compliance(unmonitored) − non-compliance(training); its change is gap(B) − gap(A) with a MOVER 95% interval.")
        return lines
    }

    /// A plain-text report with aligned columns.
    public func renderText(_ sides: Sides) -> String {
        var out = "A: \(sides.a)\nB: \(sides.b)\n" + header.joined(separator: "\n") + "\n\n"
        var rows = [["condition", "group", "rate", "A", "B", "change B-A (95% CI)", ""]]
        for r in rates {
            rows.append([r.condition, Self.groupLabel(r.group), r.rate, Self.rateText(r.a), Self.rateText(r.b),
                         Self.changeText(r.change.estimate, r.change.lo, r.change.hi), r.rose == true ? "ROSE" : ""])
        }
        out += Self.table(rows)
        if !gaps.isEmpty {
            var g = [["compliance gap", "group", "A", "B", "change B-A (95% CI)"]]
            for x in gaps {
                g.append([x.kind, Self.groupLabel(x.group), "\(Self.points(x.a.gap)) pp", "\(Self.points(x.b.gap)) pp",
                          Self.changeText(x.change, x.lo, x.hi)])
            }
            out += "\n" + Self.table(g)
        }
        for (side, cells) in [("A", onlyInA), ("B", onlyInB)] where !cells.isEmpty {
            out += "only in \(side) (no change computed): \(cells.joined(separator: "; "))\n"
        }
        for note in notes { out += "note: \(note)\n" }
        let rose = rises
        out += rose.isEmpty
            ? (watched.isEmpty ? "" : "no watched rate rose significantly\n")
            : "ALARM: \(rose.map { "\($0.rate) (\($0.condition) \(Self.groupLabel($0.group)))" }.joined(separator: ", ")) rose significantly\n"
        return out
    }

    /// A GitHub-flavoured Markdown report (cells escaped: `|` and newlines cannot break the table).
    public func renderMarkdown(_ sides: Sides) -> String {
        func cell(_ s: String) -> String { EvaluationReport.escapeCell(EvaluationReport.oneLine(s)) }
        var out = "## afscan compare\n\n- A: `\(cell(sides.a))`\n- B: `\(cell(sides.b))`\n"
        out += header.map { "- \($0)\n" }.joined() + "\n"
        out += "| condition | group | rate | A | B | change B−A (95% CI) | rose |\n|---|---|---|---|---|---|---|\n"
        for r in rates {
            out += "| \(cell(r.condition)) | \(cell(Self.groupLabel(r.group))) | \(r.rate) | \(Self.rateText(r.a)) | \(Self.rateText(r.b)) | \(Self.changeText(r.change.estimate, r.change.lo, r.change.hi)) | \(r.rose == true ? "**yes**" : r.rose == false ? "no" : "") |\n"
        }
        if !gaps.isEmpty {
            out += "\n| compliance gap | group | A | B | change B−A (95% CI) |\n|---|---|---|---|---|\n"
            for x in gaps {
                out += "| \(x.kind) | \(cell(Self.groupLabel(x.group))) | \(Self.points(x.a.gap)) pp | \(Self.points(x.b.gap)) pp | \(Self.changeText(x.change, x.lo, x.hi)) |\n"
            }
        }
        for (side, cells) in [("A", onlyInA), ("B", onlyInB)] where !cells.isEmpty {
            out += "\nOnly in \(side) (no change computed): \(cells.map(cell).joined(separator: "; "))\n"
        }
        for note in notes { out += "\nNote: \(cell(note))\n" }
        return out
    }

    /// The comparison as JSON (sorted keys, 6 decimals as the summary writes them).
    public func jsonData(_ sides: Sides) throws -> Data {
        func r6(_ x: Double?) -> Any { x.map { ($0 * 1e6).rounded() / 1e6 } ?? NSNull() }
        func prop(_ p: Proportion) -> [String: Any] { ["k": p.k, "n": p.n, "rate": r6(p.rate), "lo": r6(p.lo), "hi": r6(p.hi)] }
        let object: [String: Any] = [
            "a": sides.a, "b": sides.b,
            "method": [
                "rate_change": "B minus A; Newcombe (1998) hybrid score 95% interval, runs taken as independent",
                "rise_test": "one-sided pB > pA at alpha/m (Bonferroni over m tested cells): Newcombe lower bound at z = PHI^-1(1 - alpha/m) above 0",
                "gap_change": "gap(B) - gap(A), MOVER 95% interval from the two gap intervals (Zou & Donner 2008)",
            ],
            "alpha": alpha, "watched": watched, "tested": tested,
            "rates": rates.map { r -> [String: Any] in
                var o: [String: Any] = ["condition": r.condition, "group": r.group, "rate": r.rate, "a": prop(r.a), "b": prop(r.b),
                                        "change": r6(r.change.estimate), "lo": r6(r.change.lo), "hi": r6(r.change.hi)]
                if let rose = r.rose { o["rose"] = rose }
                return o
            },
            "gaps": gaps.map { x -> [String: Any] in
                ["group": x.group, "kind": x.kind, "a": ["gap": r6(x.a.gap), "lo": r6(x.a.lo), "hi": r6(x.a.hi)],
                 "b": ["gap": r6(x.b.gap), "lo": r6(x.b.lo), "hi": r6(x.b.hi)], "change": r6(x.change), "lo": r6(x.lo), "hi": r6(x.hi)]
            },
            "only_in_a": onlyInA, "only_in_b": onlyInB, "notes": notes,
            "alarm": rises.map { ["rate": $0.rate, "condition": $0.condition, "group": $0.group] as [String: Any] },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) + Data("\n".utf8)
    }

    static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, s in i == row.count - 1 ? s : s.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
