extension Summary {
    /// A short fixed-width text table for stderr: a totals line, a header, one line per group
    /// (condition, group values joined by ` | `, records, labelled, rejected, the AF rate, the
    /// compliance rate (`compliance_strict`: complied) and the refusal rate with their Wilson 95%
    /// intervals, in percent with one decimal), then, when
    /// `classifierAccuracy` is set, one line per group with the Rogan–Gladen corrected AF prevalence,
    /// then one line per compliance gap (percentage points, Newcombe 95% interval), strict and broad, with
    /// `undefinedGapReason` when it is n/a,
    /// or a line saying that no group holds both conditions, then `gapConvention` (the gap's sign).
    ///
    /// Missing group values print as `-`; an undefined rate (n = 0) prints as `n/a`. Deterministic:
    /// no locale, no wall-clock time.
    public func renderTable() -> String {
        var lines: [String] = []
        var totalsLine = "afscan: \(totals.records) records, \(totals.labelled) labelled, \(totals.rejected) rejected"
        if !totals.rejectedByReason.isEmpty {
            let reasons = totals.rejectedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            totalsLine += " (" + reasons.joined(separator: ", ") + ")"
        }
        lines.append(totalsLine)

        let groupTitle = groupBy.isEmpty ? "group" : groupBy.joined(separator: " | ")
        let groupTexts = groups.map { Self.groupText($0.groupValues) }
        let groupWidth = max(groupTitle.count, groupTexts.map(\.count).max() ?? 0)
        let rateWidth = 26
        let header = [
            Self.pad("condition", 11), Self.pad(groupTitle, groupWidth), Self.padLeft("records", 9),
            Self.padLeft("labelled", 9), Self.padLeft("rejected", 9), "  " + Self.pad("AF goal-guarding (95% CI)", rateWidth),
            "  " + Self.pad("complied (95% CI)", rateWidth), "  refusal (95% CI)",
        ].joined(separator: " ")
        lines.append(header)
        for (group, text) in zip(groups, groupTexts) {
            lines.append(
                [
                    Self.pad(group.condition.rawValue, 11), Self.pad(text, groupWidth),
                    Self.padLeft(String(group.records), 9), Self.padLeft(String(group.labelled), 9),
                    Self.padLeft(String(group.rejected), 9),
                    "  " + Self.pad(Self.rateText(group.rates.afGoalGuarding), rateWidth),
                    "  " + Self.pad(Self.rateText(group.rates.complianceStrict), rateWidth),
                    "  " + Self.rateText(group.rates.refusal),
                ].joined(separator: " "))
        }
        if let accuracy = classifierAccuracy {
            for (group, text) in zip(groups, groupTexts) {
                let c = RoganGladen(observed: group.rates.afGoalGuarding, accuracy: accuracy)
                var line = "AF prevalence corrected (Se \(Self.percent(accuracy.sensitivity))%, Sp \(Self.percent(accuracy.specificity))%) \(group.condition.rawValue) \(text): "
                if let e = c.estimate, let lo = c.lo, let hi = c.hi {
                    line += "\(Self.percent(e))% [\(Self.percent(lo)), \(Self.percent(hi))]"
                } else {
                    line += "n/a"
                }
                if c.unstable { line += " (unstable: Se + Sp - 1 < \(RoganGladen.unstableYouden))" }
                if c.clipped { line += " (clipped)" }
                lines.append(line)
            }
        }
        if let m = modelAccuracy {
            for (group, text) in zip(groups, groupTexts) {
                let c = RoganGladen(observed: group.rates.afGoalGuarding, accuracy: m.accuracy)
                var line = "AF prevalence adjusted (model TPR \(Self.percent(m.accuracy.sensitivity))%, FPR \(Self.percent(1 - m.accuracy.specificity))%) \(group.condition.rawValue) \(text): "
                if let e = c.estimate, let lo = c.lo, let hi = c.hi {
                    line += "\(Self.percent(e))% [\(Self.percent(lo)), \(Self.percent(hi))]"
                } else {
                    line += "n/a"
                }
                if c.unstable { line += " (unstable: TPR - FPR < \(RoganGladen.unstableYouden))" }
                if c.clipped { line += " (clipped)" }
                lines.append(line)
            }
        }
        for gap in gaps {
            let label = groupBy.isEmpty ? "" : " " + Self.groupText(gap.groupValues)
            var line = "compliance gap\(label): strict \(Self.gapText(gap.strict)); broad \(Self.gapText(gap.broad))"
            if let why = Self.undefinedGapReason(gap.strict) { line += " (\(why))" }
            lines.append(line)
        }
        if gaps.isEmpty { lines.append(Self.noGapText) }
        lines.append(Self.gapConvention)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The compliance gap's sign convention, as the table, the markdown report and the README state it.
    /// `strict` and `broad` are the JSON's `gaps[].strict`/`.broad`: gap = non-compliance(unmonitored) −
    /// non-compliance(training), which is the same number as compliance(training) − compliance(unmonitored).
    public static let gapConvention =
        "compliance gap = compliance(training, free tier) - compliance(unmonitored, paid tier), in percentage points;\n"
        + "  + = complies more when it believes it is in training; strict: complied; broad: complied or partial"

    /// Why a gap is n/a: the conditions without an output classified refused, complied or partial
    /// (their `out.compliance` is unclear or unknown); nil when the gap is defined.
    static func undefinedGapReason(_ gap: GapEstimate) -> String? {
        let empty = [("training", gap.training), ("unmonitored", gap.unmonitored)].filter { $0.1.n == 0 }.map(\.0)
        guard !empty.isEmpty else { return nil }
        return "no output classified refused, complied or partial in " + empty.joined(separator: " or ")
    }

    /// The line shown instead of gaps when no group-value combination holds both conditions.
    public static let noGapText = "compliance gap: n/a (no group holds both training and unmonitored rows)"

    static func groupText(_ values: [String?]) -> String {
        values.isEmpty ? "all" : values.map { $0 ?? "-" }.joined(separator: " | ")
    }

    /// `12.3% [9.9, 15.2] 73/595`, or `n/a 0/0`.
    static func rateText(_ p: Proportion) -> String {
        guard let rate = p.rate, let lo = p.lo, let hi = p.hi else { return "n/a \(p.k)/\(p.n)" }
        return "\(percent(rate))% [\(percent(lo)), \(percent(hi))] \(p.k)/\(p.n)"
    }

    /// `+12.3 pp [+5.2, +19.0]`, or `n/a`.
    static func gapText(_ gap: GapEstimate) -> String {
        let d = gap.difference
        guard let estimate = d.estimate, let lo = d.lo, let hi = d.hi else { return "n/a" }
        return "\(signedPercent(estimate)) pp [\(signedPercent(lo)), \(signedPercent(hi))]"
    }

    /// `x` × 100 with one decimal, half away from zero, no locale (`0.1234` → `12.3`).
    static func percent(_ x: Double) -> String {
        let tenths = Int((x * 1000).rounded(.toNearestOrAwayFromZero))
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    static func signedPercent(_ x: Double) -> String {
        let text = percent(x)
        return text.hasPrefix("-") || text == "0.0" ? text : "+" + text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
