/// A count proportion k/n with its Wilson score 95% confidence interval.
///
/// Source: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
/// inference", *J. Amer. Statist. Assoc.* 22:209–212; the formula as in R. G. Newcombe (1998),
/// "Two-sided confidence intervals for the single proportion: comparison of seven methods",
/// *Statistics in Medicine* 17:857–872, method 3 (score interval without continuity correction):
///
///     centre = (p̂ + z²/2n) / (1 + z²/n)
///     half   = z / (1 + z²/n) · √( p̂(1−p̂)/n + z²/4n² )
///     [lo, hi] = [centre − half, centre + half]
///
/// with p̂ = k/n and z = 1.959963984540054 (the 0.975 standard normal quantile).
///
/// Invariants: `0 ≤ k ≤ n`. When `n == 0`, `rate`, `lo` and `hi` are nil (JSON `null`): there is no
/// NaN anywhere. Otherwise `0 ≤ lo ≤ rate ≤ hi ≤ 1`, with `lo == 0` exactly when `k == 0` and
/// `hi == 1` exactly when `k == n`.
public struct Proportion: Sendable, Hashable {
    /// The two-sided 95% standard normal quantile Φ⁻¹(0.975).
    public static let z95 = 1.959963984540054

    /// Successes.
    public let k: Int
    /// Trials (the denominator).
    public let n: Int
    /// k/n, or nil when n = 0.
    public let rate: Double?
    /// Wilson 95% lower bound, or nil when n = 0.
    public let lo: Double?
    /// Wilson 95% upper bound, or nil when n = 0.
    public let hi: Double?

    /// Computes the rate and its Wilson 95% interval.
    ///
    /// `k` is clamped into `0...n` and `n` to ≥ 0, so a caller's counting slip cannot create a
    /// rate outside [0, 1] or a NaN.
    public init(k: Int, n: Int) {
        let n = max(n, 0)
        let k = min(max(k, 0), n)
        self.k = k
        self.n = n
        if let (lo, hi) = Self.wilson(k: k, n: n, z: Self.z95) {
            self.rate = Double(k) / Double(n)
            self.lo = lo
            self.hi = hi
        } else {
            self.rate = nil
            self.lo = nil
            self.hi = nil
        }
    }

    /// The Wilson score interval for k/n at quantile `z`, or nil when `n <= 0`.
    ///
    /// The bounds are clamped to [0, 1] and pinned to 0 (k = 0) and 1 (k = n), where the formula is
    /// exact but floating point may land a few ulps off.
    public static func wilson(k: Int, n: Int, z: Double) -> (lo: Double, hi: Double)? {
        guard n > 0 else { return nil }
        let nn = Double(n)
        let p = Double(min(max(k, 0), n)) / nn
        let z2 = z * z
        let denominator = 1 + z2 / nn
        let centre = (p + z2 / (2 * nn)) / denominator
        let half = z / denominator * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        var lo = max(0, centre - half)
        var hi = min(1, centre + half)
        if k <= 0 { lo = 0 }
        if k >= n { hi = 1 }
        return (lo, hi)
    }
}
