import Foundation

extension Summary {
    /// The summary as a Markdown report (`afscan summary --format markdown`): a totals line, one table
    /// row per group (condition, group values, records, labelled, rejected, then the AF, complied and
    /// refusal rates as `rateText`: percent with one decimal, Wilson 95% interval, k/n), the compliance
    /// gaps (strict and broad, percentage points with their Newcombe 95% interval, or a line saying none
    /// could be computed) and the gap's sign convention (`gapConvention`).
    ///
    /// Group values and rejection reasons come from the rows: `|` is escaped and line breaks become
    /// spaces, so a value cannot break the table; every other control character is left to the
    /// caller's terminal escaping. Deterministic: no locale, no wall-clock time.
    public func renderMarkdown() -> String {
        func cell(_ s: String) -> String { EvaluationReport.escapeCell(EvaluationReport.oneLine(s)) }
        var lines = ["# afscan summary", ""]
        var totalsLine = "\(totals.records) records, \(totals.labelled) labelled, \(totals.rejected) rejected"
        if !totals.rejectedByReason.isEmpty {
            totalsLine += " (" + totals.rejectedByReason.sorted { $0.key < $1.key }.map { "\(cell($0.key)) \($0.value)" }
                .joined(separator: ", ") + ")"
        }
        lines += [totalsLine, ""]
        let groupTitle = groupBy.isEmpty ? "group" : groupBy.map(cell).joined(separator: " \\| ")
        lines.append("| condition | \(groupTitle) | records | labelled | rejected | AF goal-guarding (95% CI) | complied (95% CI) | refusal (95% CI) |")
        lines.append("|---|---|--:|--:|--:|---|---|---|")
        for group in groups {
            let values = cell(Self.groupText(group.groupValues))
            lines.append("| \(group.condition.rawValue) | \(values) | \(group.records) | \(group.labelled) | \(group.rejected) | "
                + "\(Self.rateText(group.rates.afGoalGuarding)) | \(Self.rateText(group.rates.complianceStrict)) | \(Self.rateText(group.rates.refusal)) |")
        }
        lines += ["", "## Compliance gap", ""]
        if gaps.isEmpty {
            lines.append(Self.noGapText)
        } else {
            lines.append("| group | strict (95% CI) | broad (95% CI) |")
            lines.append("|---|---|---|")
            for gap in gaps {
                lines.append("| \(cell(Self.groupText(gap.groupValues))) | \(Self.gapText(gap.strict)) | \(Self.gapText(gap.broad)) |")
            }
        }
        lines += ["", Self.gapConvention + "."]
        return lines.joined(separator: "\n") + "\n"
    }
}
