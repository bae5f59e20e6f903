/// The score of one criterion label from its matched families (LABELS.md §5.4.1–2):
///
/// `s = [1 − Π_f (1 − w_f)] × Π_g (1 − v_g)`
///
/// where `f` ranges over the *positive* families that matched (each family counted once, with the
/// largest weight among its matched rules: repetitions never add) and `g` over the matched *counter*
/// families (weights `v_g`, same rule). Products run in family-name order so the floating-point
/// result is identical from run to run.
public struct CriterionScore: Sendable, Hashable {
    /// The combined score in [0, 1].
    public var score: Double
    /// The noisy-OR of positive families alone, in [0, 1].
    public var positive: Double
    /// `Π (1 − v_g)` over counter families, in [0, 1] (1 when no counter family matched).
    public var counterFactor: Double
    /// Matched positive families and their weights.
    public var positiveFamilies: [String: Double]
    /// Matched counter families and their weights.
    public var counterFamilies: [String: Double]

    /// Combines family weights (each clamped to [0, 1]).
    public init(positiveFamilies: [String: Double], counterFamilies: [String: Double] = [:]) {
        self.positiveFamilies = positiveFamilies
        self.counterFamilies = counterFamilies
        var miss = 1.0
        for key in positiveFamilies.keys.sorted() { miss *= 1 - Self.clamp(positiveFamilies[key]!) }
        var keep = 1.0
        for key in counterFamilies.keys.sorted() { keep *= 1 - Self.clamp(counterFamilies[key]!) }
        positive = 1 - miss
        counterFactor = keep
        score = Self.clamp(positive * keep)
    }

    /// The score of `hits` (all of one label), plus `extraPositive` families computed elsewhere
    /// (e.g. the structural justification link); an extra family merges with a rule family of the
    /// same name by taking the larger weight.
    init(hits: [ScoredHit], extraPositive: [String: Double] = [:]) {
        var pos = extraPositive
        var neg: [String: Double] = [:]
        for h in hits {
            switch h.polarity {
            case .positive: pos[h.family] = max(pos[h.family] ?? 0, h.weight)
            case .counter: neg[h.family] = max(neg[h.family] ?? 0, h.weight)
            }
        }
        self.init(positiveFamilies: pos, counterFamilies: neg)
    }

    static func clamp(_ x: Double) -> Double { min(1, max(0, x)) }
}
