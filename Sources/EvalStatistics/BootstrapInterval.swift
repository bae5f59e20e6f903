import AfscanCore

/// A percentile bootstrap confidence interval (B. Efron & R. J. Tibshirani 1993, *An Introduction to
/// the Bootstrap*, §13.3), seeded and deterministic.
public struct BootstrapInterval: Sendable, Hashable {
    /// Lower bound: the (1 − level)/2 quantile of the replicates.
    public var lo: Double
    /// Upper bound: the (1 + level)/2 quantile of the replicates.
    public var hi: Double
    /// Two-sided coverage, e.g. 0.95.
    public var level: Double
    /// Replicates drawn.
    public var resamples: Int
    /// The generator seed.
    public var seed: UInt64

    public init(lo: Double, hi: Double, level: Double, resamples: Int, seed: UInt64) {
        self.lo = lo
        self.hi = hi
        self.level = level
        self.resamples = resamples
        self.seed = seed
    }

    /// The stratified percentile bootstrap interval of the Mann–Whitney AUROC.
    ///
    /// Each replicate draws P positives with replacement from `positives` and N negatives with
    /// replacement from `negatives` (stratified, as pROC does, so that no replicate lacks a class),
    /// in that order from one `SplitMix64(seed:)` stream, and computes its AUROC (ties ½). The bounds
    /// are the sample quantiles of the sorted replicates with linear interpolation (Hyndman & Fan
    /// 1996, type 7: h = (R − 1)·q, x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋)).
    ///
    /// Returns nil when either class is empty or `resamples < 1` or `level` is not in (0, 1).
    /// - Complexity: O(R · (P + N + D)) where D is the number of distinct scores (replicates count
    ///   resampled negatives per distinct score instead of sorting).
    public static func auroc(positives: [Double], negatives: [Double], resamples: Int, seed: UInt64,
                             level: Double = 0.95) -> BootstrapInterval? {
        guard !positives.isEmpty, !negatives.isEmpty, resamples >= 1, level > 0, level < 1 else { return nil }
        // Dense ranks of all distinct scores.
        let distinct = Array(Set(positives + negatives)).sorted()
        func rank(_ x: Double) -> Int { AUROC.lowerBound(distinct, x) }
        let positiveRanks = positives.map(rank)
        let negativeRanks = negatives.map(rank)
        var random = SplitMix64(seed: seed)
        var counts = [Int](repeating: 0, count: distinct.count)
        var replicates: [Double] = []
        replicates.reserveCapacity(resamples)
        let pairs = Double(positives.count) * Double(negatives.count)
        for _ in 0..<resamples {
            let drawnPositives = (0..<positiveRanks.count).map { _ in positiveRanks[random.index(below: positiveRanks.count)] }
            for i in counts.indices { counts[i] = 0 }
            for _ in 0..<negativeRanks.count { counts[negativeRanks[random.index(below: negativeRanks.count)]] += 1 }
            // below[r] = resampled negatives with rank < r.
            var below = [Int](repeating: 0, count: counts.count + 1)
            for r in counts.indices { below[r + 1] = below[r] + counts[r] }
            var wins = 0.0
            for r in drawnPositives { wins += Double(below[r]) + 0.5 * Double(counts[r]) }
            replicates.append(wins / pairs)
        }
        replicates.sort()
        return BootstrapInterval(
            lo: quantile(replicates, (1 - level) / 2), hi: quantile(replicates, (1 + level) / 2),
            level: level, resamples: resamples, seed: seed)
    }

    /// Type-7 sample quantile of ascending `sorted` at `q` ∈ [0, 1].
    /// - Precondition: `sorted` is non-empty and ascending.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of an empty sample")
        let h = Double(sorted.count - 1) * min(max(q, 0), 1)
        let i = Int(h.rounded(.down))
        guard i + 1 < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i])
    }
}
