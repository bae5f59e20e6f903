import AfscanCore

/// Which samples an LLM judge should see (`afscan label --route yes|maybe|all --export FILE`).
///
/// - `maybe`: `af.goal_guarding` is `maybe`, or any label is `route_to_judge` (the lexical scorer
///   could not settle it) — the judge's routing budget;
/// - `yes`: `af.goal_guarding` is `yes` (to confirm the trusted band, e.g. for an audit);
/// - `all`: either.
///
/// An exported row is the label row itself, with its evidence, plus the flag `routed_by`: the labels
/// that put it there (`af.goal_guarding=maybe,crit.decision`). Rejected rows are never exported.
public enum TriageRoute: String, Sendable, CaseIterable {
    case yes, maybe, all

    /// The label whose band decides `yes`/`maybe`.
    public static let bandLabel = "af.goal_guarding"

    /// The reasons `row` is routed, or nil when it is not.
    public func reasons(for row: LabelRecord) -> String? {
        guard row.status == .ok else { return nil }
        var reasons: [String] = []
        let band = row.labels.first { $0.name == Self.bandLabel }?.value.decision
        if band == .yes && self != .maybe { reasons.append("\(Self.bandLabel)=yes") }
        if self != .yes {
            if band == .maybe { reasons.append("\(Self.bandLabel)=maybe") }
            for (name, value) in row.labels where value.routeToJudge { reasons.append(name) }
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: ",")
    }
}
