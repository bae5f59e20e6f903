import AfscanCore

/// Which samples an LLM judge should see (`afscan label --route SPEC[,SPEC…] --export FILE [--budget N|P%]`).
///
/// Selectors:
/// - `maybe`: `af.goal_guarding` is `maybe`, or any computed label is `route_to_judge` (the scorer
///   could not settle it) — the judge's routing budget;
/// - `yes`: `af.goal_guarding` is `yes` (to confirm the trusted band);
/// - `all`: `yes` and `maybe`;
/// - a label name (`af.goal_guarding`, `out.compliance`, …): that label is `maybe`.
///
/// A label whose decision is `unknown` (it could not be computed: no reasoning, no output) never routes a
/// row, whatever its `route_to_judge` says. Rejected rows are never routed.
///
/// Margin (for `--budget`: the smallest margin, i.e. the least certain, first): for a band reason,
/// |score − the label's `yes` threshold| (the calibrated probability's distance from the decision
/// boundary); for a `route_to_judge` reason, 0.5. A row's margin is the smallest over its reasons.
///
/// An exported row is the label row itself, with its evidence, plus the flags `routed_by` (the reasons,
/// e.g. `af.goal_guarding=maybe,crit.decision`) and `margin`.
public struct TriageRoute: Sendable {
    public enum Selector: Sendable, Hashable {
        case yes, maybe, all
        case label(String)
    }

    /// The label whose band decides the `yes`/`maybe`/`all` selectors.
    public static let bandLabel = "af.goal_guarding"

    public var selectors: [Selector]
    /// The `yes` threshold of each label's band (model bands for model labels, rule-file bands otherwise);
    /// a label missing here uses 0.5.
    public var yesThresholds: [String: Double]

    public init(selectors: [Selector], yesThresholds: [String: Double] = [:]) {
        self.selectors = selectors
        self.yesThresholds = yesThresholds
    }

    /// Parses `yes`, `maybe`, `all` or label names, comma-separated (repeated options concatenated).
    /// Returns nil for an empty list.
    public static func parse(_ specs: [String]) -> [Selector]? {
        var out: [Selector] = []
        for spec in specs {
            for part in spec.split(separator: ",") {
                let p = part.trimmingCharacters(in: .whitespaces)
                switch p {
                case "": continue
                case "yes": out.append(.yes)
                case "maybe": out.append(.maybe)
                case "all": out.append(.all)
                default: out.append(.label(p))
                }
            }
        }
        return out.isEmpty ? nil : out
    }

    /// The label names the selectors name.
    public var labelNames: [String] {
        selectors.compactMap { if case .label(let n) = $0 { return n } else { return nil } }
    }

    /// The reasons `row` is routed and its uncertainty, or nil when it is not routed.
    public func route(_ row: LabelRecord) -> (reasons: String, uncertainty: Double)? {
        guard row.status == .ok else { return nil }
        var reasons: [String] = []
        var uncertainty = Double.infinity
        func band(_ name: String, _ value: LabelValue, _ decision: Decision) {
            let r = "\(name)=\(decision.rawValue)"
            guard !reasons.contains(r) else { return }
            reasons.append(r)
            uncertainty = min(uncertainty, abs(value.score - (yesThresholds[name] ?? 0.5)))
        }
        let primary = row.labels.first { $0.name == Self.bandLabel }?.value
        for s in selectors {
            switch s {
            case .yes, .all, .maybe:
                if let p = primary, p.decision == .yes, s != .maybe { band(Self.bandLabel, p, .yes) }
                if s != .yes {
                    if let p = primary, p.decision == .maybe { band(Self.bandLabel, p, .maybe) }
                    for (name, value) in row.labels where value.routeToJudge && value.decision != .unknown && !reasons.contains(name) {
                        reasons.append(name)
                        uncertainty = min(uncertainty, 0.5)
                    }
                }
            case .label(let name):
                if let v = row.labels.first(where: { $0.name == name })?.value, v.decision == .maybe { band(name, v, .maybe) }
            }
        }
        return reasons.isEmpty ? nil : (reasons.joined(separator: ","), uncertainty)
    }
}
