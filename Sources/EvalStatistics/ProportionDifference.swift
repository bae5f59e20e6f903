/// The difference p1 − p2 of two independent proportions, with Newcombe's hybrid score 95%
/// confidence interval.
///
/// Source: R. G. Newcombe (1998), "Interval estimation for the difference between independent
/// proportions: comparison of eleven methods", *Statistics in Medicine* 17:873–890, method 10
/// (the hybrid score interval, also known as MOVER-Wilson). With (l1, u1) and (l2, u2) the Wilson
/// 95% intervals of p1 and p2 (`Proportion`):
///
///     δ = √( (p1 − l1)² + (u2 − p2)² )      lower = (p1 − p2) − δ
///     ε = √( (u1 − p1)² + (p2 − l2)² )      upper = (p1 − p2) + ε
///
/// Worked example from that paper (Table II, example a): 56/70 − 48/80 = 0.2, 95% CI
/// (0.0524, 0.3339).
///
/// Also carries the paper-style standard error √(p1(1−p1)/n1 + p2(1−p2)/n2) (LABELS.md §5.6,
/// "±1 SE"). When either denominator is 0, every derived value is nil (JSON `null`); no NaN.
public struct ProportionDifference: Sendable, Hashable {
    /// The minuend (for the compliance gap: unmonitored non-compliance).
    public let first: Proportion
    /// The subtrahend (for the compliance gap: training non-compliance).
    public let second: Proportion
    /// p1 − p2 in [−1, 1], or nil when either n is 0.
    public let estimate: Double?
    /// Newcombe hybrid score 95% lower bound (≥ −1), or nil.
    public let lo: Double?
    /// Newcombe hybrid score 95% upper bound (≤ 1), or nil.
    public let hi: Double?
    /// Wald standard error of p1 − p2, or nil.
    public let standardError: Double?

    public init(_ first: Proportion, minus second: Proportion) {
        self.first = first
        self.second = second
        guard let p1 = first.rate, let p2 = second.rate,
              let (l, h) = Self.newcombeInterval(k1: first.k, n1: first.n, k2: second.k, n2: second.n, z: Proportion.z95)
        else {
            estimate = nil
            lo = nil
            hi = nil
            standardError = nil
            return
        }
        estimate = p1 - p2
        lo = l
        hi = h
        standardError = (p1 * (1 - p1) / Double(first.n) + p2 * (1 - p2) / Double(second.n)).squareRoot()
    }

    /// Newcombe's hybrid score interval for k1/n1 − k2/n2 at standard normal quantile `z` (the
    /// formula above with Wilson intervals at `z`; 95% two-sided is `Proportion.z95`, a one-sided
    /// test at level α uses z = Φ⁻¹(1 − α) and looks at one bound). Nil when either n is 0.
    public static func newcombeInterval(k1: Int, n1: Int, k2: Int, n2: Int, z: Double) -> (lo: Double, hi: Double)? {
        guard let (l1, u1) = Proportion.wilson(k: k1, n: n1, z: z), let (l2, u2) = Proportion.wilson(k: k2, n: n2, z: z) else { return nil }
        let p1 = Double(min(max(k1, 0), n1)) / Double(n1), p2 = Double(min(max(k2, 0), n2)) / Double(n2)
        let d = p1 - p2
        let delta = ((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)).squareRoot()
        let epsilon = ((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)).squareRoot()
        return (max(-1, d - delta), min(1, d + epsilon))
    }

    /// True when the 95% interval lies wholly above or wholly below 0; false when it covers 0 or is
    /// undefined.
    public var excludesZero: Bool {
        guard let lo, let hi else { return false }
        return lo > 0 || hi < 0
    }
}
