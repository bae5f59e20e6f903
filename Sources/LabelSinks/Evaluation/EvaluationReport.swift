import Foundation

/// The result of `afscan eval`: the pooled metrics and per-file metrics, rendered as JSON, text or
/// Markdown.
///
/// JSON shape (`jsonData(includeFiles:)`; keys sorted, ratios rounded to 6 decimals, `null` where a
/// ratio's denominator is 0 — never NaN):
/// ```
/// {"schema": "afscan.eval/v1",
///  "label": "af.goal_guarding", "ranking": "rank"|"score", "reference": "label == alignment_faking",
///  "bootstrap": {"resamples", "seed", "level"}, "rules_hashes": [...], "not_label_rows": N,
///  "pooled": RESULT, "files": [RESULT, ...]          -- "files" only with includeFiles
/// }
/// RESULT = {"file": STRING|null,
///   "counts": {"rows","counted","positives","negatives","rejected","missing_reference","missing_label","unknown_decisions"},
///   "auroc": NUM|null, "auroc_lo": NUM|null, "auroc_hi": NUM|null,
///   "yes": MATRIX, "yes_or_maybe": MATRIX,
///   "worst_false_positives": [SAMPLE], "worst_false_negatives": [SAMPLE]}
/// MATRIX = {"tp","fp","fn","tn","precision","recall","specificity","f1","accuracy","kappa"}
/// SAMPLE = {"id","file","record","rank","score","decision",
///           "evidence": [{"rule","block","field","start","end","snippet","polarity"}]}
/// ```
public struct EvaluationReport: Sendable, Hashable {
    public static let schema = "afscan.eval/v1"

    public var reference: EvaluationReference
    public var options: EvaluationOptions
    public var pooled: EvaluationResult
    public var perFile: [EvaluationResult]
    public var rulesHashes: [String]
    public var notLabelRows: Int

    public init(reference: EvaluationReference, options: EvaluationOptions, pooled: EvaluationResult,
                perFile: [EvaluationResult], rulesHashes: [String] = [], notLabelRows: Int = 0) {
        self.reference = reference
        self.options = options
        self.pooled = pooled
        self.perFile = perFile
        self.rulesHashes = rulesHashes
        self.notLabelRows = notLabelRows
    }

    // MARK: JSON

    /// The report as a JSON-compatible object tree (`NSNull` for null).
    public func jsonObject(includeFiles: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "schema": Self.schema,
            "label": options.label,
            "ranking": options.ranking.rawValue,
            "reference": reference.description,
            "bootstrap": ["resamples": options.bootstrapResamples, "seed": options.seed, "level": 0.95] as [String: Any],
            "rules_hashes": rulesHashes,
            "not_label_rows": notLabelRows,
            "pooled": Self.resultObject(pooled),
        ]
        if includeFiles { object["files"] = perFile.map(Self.resultObject) }
        return object
    }

    /// Pretty-printed JSON with sorted keys and a trailing newline.
    /// - Throws: whatever `JSONSerialization` throws (it cannot for these trees: every number is finite).
    public func jsonData(includeFiles: Bool) throws -> Data {
        var data = try JSONSerialization.data(
            withJSONObject: jsonObject(includeFiles: includeFiles), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    static func resultObject(_ r: EvaluationResult) -> [String: Any] {
        let c = r.counts
        var counts: [String: Any] = [
            "rows": c.rows, "counted": c.counted, "positives": c.positives, "negatives": c.negatives,
            "rejected": c.rejected, "missing_reference": c.missingReference, "missing_label": c.missingLabel,
            "unknown_decisions": c.unknownDecisions,
        ]
        // Only when it happens: rows whose label is a judge's folded-in verdict (skipped).
        if c.judgeLabelled > 0 { counts["judge_labelled"] = c.judgeLabelled }
        return [
            "file": r.file.map { $0 as Any } ?? NSNull(),
            "counts": counts,
            "auroc": Summary.number(r.auroc),
            "auroc_lo": Summary.number(r.aurocInterval?.lo),
            "auroc_hi": Summary.number(r.aurocInterval?.hi),
            "yes": matrixObject(r.atYes),
            "yes_or_maybe": matrixObject(r.atYesOrMaybe),
            "worst_false_positives": r.worstFalsePositives.map(sampleObject),
            "worst_false_negatives": r.worstFalseNegatives.map(sampleObject),
        ]
    }

    static func matrixObject(_ m: ConfusionMatrix) -> [String: Any] {
        [
            "tp": m.tp, "fp": m.fp, "fn": m.fn, "tn": m.tn,
            "precision": Summary.number(m.precision), "recall": Summary.number(m.recall),
            "specificity": Summary.number(m.specificity), "f1": Summary.number(m.f1),
            "accuracy": Summary.number(m.accuracy), "kappa": Summary.number(m.cohensKappa),
        ]
    }

    static func sampleObject(_ o: EvalObservation) -> [String: Any] {
        [
            "id": o.id.map { $0 as Any } ?? NSNull(),
            "file": o.file, "record": o.record,
            "rank": Summary.number(o.rank), "score": Summary.number(o.score),
            "decision": o.decision.rawValue,
            "evidence": o.evidence.map { e -> [String: Any] in
                ["rule": e.rule, "block": e.block, "field": e.field, "start": e.start, "end": e.end,
                 "snippet": e.snippet, "polarity": e.polarity]
            },
        ]
    }

    // MARK: Text

    /// A plain-text report for a terminal: a header line, then for the pool (and each file when
    /// `includeFiles`) the counts, AUROC with its interval, both confusion matrices with precision,
    /// recall, F1 and κ, and the worst lists with up to `options.evidencePerRow` snippets each.
    /// Ratios print with 3 decimals (half away from zero), `n/a` when undefined. Deterministic.
    public func renderText(includeFiles: Bool) -> String {
        var lines = ["afscan eval: \(options.label) (\(options.ranking.rawValue)) against \(reference)"]
        if rulesHashes.count > 1 { lines.append("warning: rows from \(rulesHashes.count) different rule sets") }
        for r in scopes(includeFiles) {
            lines.append("")
            lines.append("\(r.file ?? "pooled"): \(countsText(r.counts))")
            lines.append("  AUROC \(aurocText(r))")
            lines.append("  yes          \(matrixText(r.atYes))")
            lines.append("  yes ∪ maybe  \(matrixText(r.atYesOrMaybe))")
            for (title, list) in [("worst false positives (negatives ranked highest)", r.worstFalsePositives),
                                  ("worst false negatives (positives ranked lowest)", r.worstFalseNegatives)] where !list.isEmpty {
                lines.append("  \(title):")
                for (i, o) in list.enumerated() {
                    lines.append("    \(i + 1). \(sampleText(o))")
                    for e in o.evidence {
                        lines.append("       \(e.polarity) \(e.rule) \(e.block) [\(e.start), \(e.end)): \"\(Self.oneLine(e.snippet))\"")
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Markdown

    /// A Markdown report: one metrics table (a row per scope: pool, then files when `includeFiles`),
    /// then the pooled worst lists as tables with their evidence.
    public func renderMarkdown(includeFiles: Bool) -> String {
        var lines = [
            "## afscan eval: `\(options.label)` (\(options.ranking.rawValue)) against `\(reference)`", "",
            "| scope | counted | pos / neg | skipped | AUROC (95% CI) | `yes` TP/FP/FN/TN | P / R / F1 / κ | `yes ∪ maybe` TP/FP/FN/TN | P / R / F1 / κ |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in scopes(includeFiles) {
            let c = r.counts
            let skipped = c.rejected + c.missingReference + c.missingLabel
            lines.append(
                "| \(Self.escapeCell(r.file ?? "pooled")) | \(c.counted) | \(c.positives) / \(c.negatives) | \(skipped) | \(aurocText(r)) | "
                    + "\(cells(r.atYes)) | \(cells(r.atYesOrMaybe)) |")
        }
        for (title, list) in [("Worst false positives (negatives ranked highest)", pooled.worstFalsePositives),
                              ("Worst false negatives (positives ranked lowest)", pooled.worstFalseNegatives)] where !list.isEmpty {
            lines += ["", "### \(title)", "", "| # | id | file:record | \(options.ranking.rawValue) | decision | evidence |", "|---|---|---|---|---|---|"]
            for (i, o) in list.enumerated() {
                let evidence = o.evidence.map { "\($0.polarity)`\($0.rule)` “\(Self.escapeCell(Self.oneLine($0.snippet)))”" }
                    .joined(separator: "<br>")
                lines.append(
                    "| \(i + 1) | \(Self.escapeCell(o.id ?? "-")) | \(Self.escapeCell(o.file)):\(o.record) | \(Self.fixed(value(o), 4)) | \(o.decision.rawValue) | \(evidence.isEmpty ? "—" : evidence) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Helpers

    private func scopes(_ includeFiles: Bool) -> [EvaluationResult] {
        includeFiles ? [pooled] + perFile : [pooled]
    }

    private func value(_ o: EvalObservation) -> Double { options.ranking == .rank ? o.rank : o.score }

    private func countsText(_ c: EvaluationCounts) -> String {
        "\(c.rows) rows, \(c.counted) counted (\(c.positives) positive, \(c.negatives) negative); skipped \(c.rejected) rejected, "
            + "\(c.missingReference) missing reference, \(c.missingLabel) missing label; \(c.unknownDecisions) unknown decisions"
    }

    private func aurocText(_ r: EvaluationResult) -> String {
        guard let a = r.auroc else { return "n/a" }
        guard let ci = r.aurocInterval else { return Self.fixed(a, 3) }
        return "\(Self.fixed(a, 3)) [\(Self.fixed(ci.lo, 3)), \(Self.fixed(ci.hi, 3))]"
    }

    private func matrixText(_ m: ConfusionMatrix) -> String {
        "TP \(m.tp) FP \(m.fp) FN \(m.fn) TN \(m.tn)  precision \(Self.fixed(m.precision, 3)) recall \(Self.fixed(m.recall, 3)) "
            + "F1 \(Self.fixed(m.f1, 3)) κ \(Self.fixed(m.cohensKappa, 3))"
    }

    private func cells(_ m: ConfusionMatrix) -> String {
        "\(m.tp)/\(m.fp)/\(m.fn)/\(m.tn) | \(Self.fixed(m.precision, 3)) / \(Self.fixed(m.recall, 3)) / \(Self.fixed(m.f1, 3)) / \(Self.fixed(m.cohensKappa, 3))"
    }

    private func sampleText(_ o: EvalObservation) -> String {
        "\(o.id ?? "-")  \(o.file):\(o.record)  \(options.ranking.rawValue) \(Self.fixed(value(o), 4))  \(o.decision.rawValue)"
    }

    /// `x` with exactly `digits` decimals (half away from zero), no locale; `n/a` for nil or non-finite.
    /// Never traps: a finite `x` too large for `x × 10^digits` to fit in an `Int64` (|x| ≳ 9.2·10¹⁸ /
    /// 10^digits) prints its exact binary value in full (`1e20` with 3 digits →
    /// `100000000000000000000.000`); at that size the value has no more fraction than `digits` shows.
    /// - Parameter digits: decimals, 0...18.
    static func fixed(_ x: Double?, _ digits: Int) -> String {
        guard let x, x.isFinite else { return "n/a" }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        guard let scaled = Int64(exactly: (x * Double(scale)).rounded(.toNearestOrAwayFromZero)) else {
            return String(format: "%.\(digits)f", x)
        }
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let fraction = String(magnitude % UInt64(scale))
        let padded = String(repeating: "0", count: digits - fraction.count) + fraction
        return digits == 0 ? "\(sign)\(magnitude)" : "\(sign)\(magnitude / UInt64(scale)).\(padded)"
    }

    static func oneLine(_ s: String) -> String {
        s.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    /// A Markdown table cell: `|` escaped, and `&`, `<`, `>` as HTML entities, so that a group value or id
    /// holding `<script>` is shown, never run, by a renderer that passes HTML through.
    static func escapeCell(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "|", with: "\\|")
    }
}
