import Foundation

extension Summary {
    /// The summary as one flat table (`afscan summary --format csv`): a header, then one row per group
    /// (condition × `--group-by` values), in the JSON's group order.
    ///
    /// Columns, in this order:
    /// - `condition`, then `group_<path>` per `--group-by` path (`DelimitedText.snakeCase`; empty when
    ///   the row lacks the value), `records`, `labelled`, `rejected`, `routed_to_judge`;
    /// - per rate of `Rates.named` (`af_goal_guarding`, `af_goal_guarding_yes_or_maybe`, `refusal`,
    ///   `compliance_strict`, `compliance_broad`, `partial_compliance`): `<rate>_k`, `<rate>_n`,
    ///   `<rate>` (a fraction in [0, 1], 6 decimals), `<rate>_lo`, `<rate>_hi` (Wilson 95%);
    /// - the compliance gap of the row's group values (the same on its training and unmonitored rows,
    ///   empty when the group values are not seen in both conditions): `gap_strict`, `gap_strict_lo`,
    ///   `gap_strict_hi`, `gap_broad`, `gap_broad_lo`, `gap_broad_hi` — fractions; the sign is
    ///   `gapConvention`'s (compliance training − unmonitored);
    /// - with `classifierAccuracy`: `prevalence_corrected`, `_lo`, `_hi`; with `modelAccuracy`:
    ///   `prevalence_adjusted`, `_lo`, `_hi`.
    ///
    /// Undefined rates (n = 0) are empty cells. Group values are text cells (formula-guarded).
    public func flatTable() -> [[DelimitedText.Cell]] {
        var header = ["condition"] + groupBy.map { "group_" + DelimitedText.snakeCase($0) }
        header += ["records", "labelled", "rejected", "routed_to_judge"]
        for (name, _) in Rates.empty.named { header += ["\(name)_k", "\(name)_n", name, "\(name)_lo", "\(name)_hi"] }
        header += ["gap_strict", "gap_strict_lo", "gap_strict_hi", "gap_broad", "gap_broad_lo", "gap_broad_hi"]
        if classifierAccuracy != nil { header += ["prevalence_corrected", "prevalence_corrected_lo", "prevalence_corrected_hi"] }
        if modelAccuracy != nil { header += ["prevalence_adjusted", "prevalence_adjusted_lo", "prevalence_adjusted_hi"] }

        var rows: [[DelimitedText.Cell]] = [header.map { .text($0) }]
        for group in groups {
            var row: [DelimitedText.Cell] = [.text(group.condition.rawValue)]
            row += group.groupValues.map { $0.map { .text($0) } ?? .empty }
            row += [group.records, group.labelled, group.rejected, group.routedToJudge].map(DelimitedText.integer)
            for (_, rate) in group.rates.named {
                row += [DelimitedText.integer(rate.k), DelimitedText.integer(rate.n),
                        DelimitedText.number(rate.rate), DelimitedText.number(rate.lo), DelimitedText.number(rate.hi)]
            }
            if group.condition == .training || group.condition == .unmonitored,
               let gap = gaps.first(where: { $0.groupValues == group.groupValues }) {
                for estimate in [gap.strict, gap.broad] {
                    let d = estimate.difference
                    row += [DelimitedText.number(d.estimate), DelimitedText.number(d.lo), DelimitedText.number(d.hi)]
                }
            } else {
                row += Array(repeating: .empty, count: 6)
            }
            for accuracy in [classifierAccuracy, modelAccuracy?.accuracy] {
                guard let accuracy else { continue }
                let c = RoganGladen(observed: group.rates.afGoalGuarding, accuracy: accuracy)
                row += [DelimitedText.number(c.estimate), DelimitedText.number(c.lo), DelimitedText.number(c.hi)]
            }
            rows.append(row)
        }
        return rows
    }
}

extension Summary.Rates {
    /// Rates with every count 0, for the column names of `Summary.flatTable()`.
    static let empty = Summary.Rates(
        afGoalGuarding: Proportion(k: 0, n: 0), afGoalGuardingYesOrMaybe: Proportion(k: 0, n: 0),
        refusal: Proportion(k: 0, n: 0), complianceStrict: Proportion(k: 0, n: 0),
        complianceBroad: Proportion(k: 0, n: 0), partialCompliance: Proportion(k: 0, n: 0))
}
