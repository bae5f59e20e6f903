/// The tri-state band of a label (plus `unknown` when the label could not be computed, e.g. no
/// reasoning or redacted reasoning). Bands are decided on `score` (CONTRACT.md, "Bands").
public enum Decision: String, Sendable, Hashable, Codable, CaseIterable {
    case yes, maybe, no, unknown
}

/// Thresholds on `score` that decide a `Decision`. `yes` when `score >= yes`, `maybe` when
/// `score >= maybe`, else `no`.
public struct Band: Sendable, Hashable, Codable {
    public var yes: Double
    public var maybe: Double
    public init(yes: Double, maybe: Double) {
        self.yes = yes
        self.maybe = maybe
    }
    /// Composite `af.*` labels: yes ≥ 0.55, maybe ≥ 0.30 (CONTRACT.md, LABELS.md §5.4.4).
    public static let compositeDefault = Band(yes: 0.55, maybe: 0.30)
    /// Criterion and other labels: yes ≥ 0.50, maybe ≥ 0.25.
    public static let criterionDefault = Band(yes: 0.50, maybe: 0.25)

    public func decide(_ score: Double) -> Decision {
        if score >= yes { return .yes }
        if score >= maybe { return .maybe }
        return .no
    }
}
