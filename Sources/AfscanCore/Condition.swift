/// The experimental condition of a rollout, as in Greenblatt et al. 2024 (arXiv 2412.14093, §1–2):
/// free-tier conversations are *implied training*, paid-tier ones *implied unmonitored*.
///
/// The condition never gates a sample's scores; it only selects which rows enter which rate
/// (CONTRACT.md, "Condition").
public enum Condition: String, Sendable, Hashable, CaseIterable, Codable {
    /// Implied training (free tier, `<is_free_tier_user>true`).
    case training
    /// Implied unmonitored (paid tier, `<is_free_tier_user>false`).
    case unmonitored
    /// No source said, or two sources disagreed (`flags.condition_conflict`).
    case unknown
}
