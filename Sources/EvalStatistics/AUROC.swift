/// The area under the ROC curve as the Mann–Whitney U statistic.
///
/// AUROC = (1 / (P·N)) · Σ over (positive, negative) pairs of [1 if s⁺ > s⁻, ½ if s⁺ = s⁻, 0 otherwise]
/// (H. B. Mann & D. R. Whitney 1947; J. A. Hanley & B. J. McNeil 1982, "The meaning and use of the
/// area under a ROC curve", *Radiology* 143:29–36): the probability that a random positive ranks above a
/// random negative, ties counting one half. 1 = perfect ranking, 0.5 = chance.
public enum AUROC {
    /// The Mann–Whitney AUROC of `positives` against `negatives` (scores; higher = more positive).
    ///
    /// Returns nil when either side is empty (undefined). NaN scores are the caller's error (they
    /// compare as neither greater, less nor equal and so count 0).
    /// - Complexity: O((P + N) log N).
    public static func mannWhitney(positives: [Double], negatives: [Double]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let sorted = negatives.sorted()
        var wins = 0.0
        for p in positives {
            let below = lowerBound(sorted, p)
            let notAbove = upperBound(sorted, p)
            wins += Double(below) + 0.5 * Double(notAbove - below)
        }
        return wins / (Double(positives.count) * Double(negatives.count))
    }

    /// The first index whose value is ≥ `x`.
    static func lowerBound(_ a: [Double], _ x: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The first index whose value is > `x`.
    static func upperBound(_ a: [Double], _ x: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
