/// Sensitivity and specificity of a classifier (here: the `af.goal_guarding` = yes decision),
/// measured elsewhere (e.g. with `afscan eval` on an audited calibration set).
public struct ClassifierAccuracy: Sendable, Hashable {
    /// P(predicted yes | truly positive), in [0, 1].
    public var sensitivity: Double
    /// P(predicted not yes | truly negative), in [0, 1].
    public var specificity: Double

    /// Returns nil when either value is outside [0, 1] (or NaN).
    public init?(sensitivity: Double, specificity: Double) {
        guard (0...1).contains(sensitivity), (0...1).contains(specificity) else { return nil }
        self.sensitivity = sensitivity
        self.specificity = specificity
    }

    /// Youden's J = Se + Sp − 1: the denominator of the Rogan–Gladen correction.
    public var youden: Double { sensitivity + specificity - 1 }
}

/// Misclassification-corrected prevalence (W. J. Rogan & B. Gladen 1978, "Estimating prevalence from
/// the results of a screening test", *Am. J. Epidemiol.* 107:71–76; LABELS.md §5.6):
///
///     p̂ = (p_obs + Sp − 1) / (Se + Sp − 1), clipped to [0, 1]
///
/// The interval maps the Wilson 95% bounds of p_obs through the same formula (it is increasing in
/// p_obs when Se + Sp − 1 > 0) and clips them. **It ignores the uncertainty of Se and Sp**, which are
/// taken as exact: with Se/Sp measured on a small calibration set the true interval is wider.
public struct RoganGladen: Sendable, Hashable {
    /// Below this Youden's J (Se + Sp − 1) the correction divides by a small number and amplifies
    /// noise: `unstable` is set.
    public static let unstableYouden = 0.2

    public var observed: Proportion
    public var accuracy: ClassifierAccuracy
    /// The corrected prevalence, clipped to [0, 1]; nil when p_obs is undefined (n = 0) or J ≤ 0
    /// (a classifier no better than chance cannot be corrected).
    public var estimate: Double?
    /// The unclipped value of the formula (may lie outside [0, 1]), nil as `estimate`.
    public var unclipped: Double?
    /// Wilson bounds of p_obs mapped through the formula and clipped; nil as `estimate`.
    public var lo: Double?
    public var hi: Double?
    /// True when the unclipped estimate lay outside [0, 1].
    public var clipped: Bool
    /// True when J < `unstableYouden` (including J ≤ 0).
    public var unstable: Bool

    public init(observed: Proportion, accuracy: ClassifierAccuracy) {
        self.observed = observed
        self.accuracy = accuracy
        let j = accuracy.youden
        unstable = j < Self.unstableYouden
        guard j > 0, let p = observed.rate, let pLo = observed.lo, let pHi = observed.hi else {
            estimate = nil
            unclipped = nil
            lo = nil
            hi = nil
            clipped = false
            return
        }
        let raw = Self.correct(p, accuracy)
        unclipped = raw
        estimate = Self.clip(raw)
        clipped = raw < 0 || raw > 1
        lo = Self.clip(Self.correct(pLo, accuracy))
        hi = Self.clip(Self.correct(pHi, accuracy))
    }

    /// (p + Sp − 1) / (Se + Sp − 1), unclipped. The caller ensures Se + Sp − 1 ≠ 0.
    public static func correct(_ p: Double, _ accuracy: ClassifierAccuracy) -> Double {
        (p + accuracy.specificity - 1) / accuracy.youden
    }

    static func clip(_ x: Double) -> Double { min(max(x, 0), 1) }
}
