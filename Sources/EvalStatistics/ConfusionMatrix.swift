/// A 2×2 confusion matrix of predictions against a reference, with the metrics read from it.
///
/// Every ratio is nil (JSON `null`) when its denominator is 0: there is no NaN anywhere.
///
/// |            | reference + | reference − |
/// |------------|-------------|-------------|
/// | predicted + | `tp`       | `fp`        |
/// | predicted − | `fn`       | `tn`        |
public struct ConfusionMatrix: Sendable, Hashable {
    public var tp: Int
    public var fp: Int
    public var fn: Int
    public var tn: Int

    public init(tp: Int = 0, fp: Int = 0, fn: Int = 0, tn: Int = 0) {
        self.tp = tp
        self.fp = fp
        self.fn = fn
        self.tn = tn
    }

    public mutating func add(positive: Bool, predicted: Bool) {
        switch (positive, predicted) {
        case (true, true): tp += 1
        case (false, true): fp += 1
        case (true, false): fn += 1
        case (false, false): tn += 1
        }
    }

    /// All samples.
    public var n: Int { tp + fp + fn + tn }
    /// Reference positives (`tp + fn`).
    public var positives: Int { tp + fn }
    /// Reference negatives (`fp + tn`).
    public var negatives: Int { fp + tn }

    /// tp / (tp + fp).
    public var precision: Double? { Self.ratio(tp, tp + fp) }
    /// Sensitivity, true positive rate: tp / (tp + fn).
    public var recall: Double? { Self.ratio(tp, tp + fn) }
    /// True negative rate: tn / (tn + fp).
    public var specificity: Double? { Self.ratio(tn, tn + fp) }
    /// fp / (fp + tn).
    public var falsePositiveRate: Double? { Self.ratio(fp, fp + tn) }
    /// (tp + tn) / n.
    public var accuracy: Double? { Self.ratio(tp + tn, n) }
    /// Harmonic mean of precision and recall, computed as 2·tp / (2·tp + fp + fn) (so it is defined,
    /// and 0, when tp = 0 but fp + fn > 0).
    public var f1: Double? { Self.ratio(2 * tp, 2 * tp + fp + fn) }

    /// Cohen's κ between prediction and reference (J. Cohen 1960, "A coefficient of agreement for
    /// nominal scales", *Educ. Psychol. Meas.* 20:37–46): κ = (p_o − p_e) / (1 − p_e), with observed
    /// agreement p_o = (tp + tn)/n and chance agreement
    /// p_e = ((tp + fp)(tp + fn) + (fn + tn)(fp + tn)) / n².
    /// nil when n = 0 or p_e = 1 (both raters constant and equal: κ undefined).
    public var cohensKappa: Double? {
        guard n > 0 else { return nil }
        let nn = Double(n)
        let po = Double(tp + tn) / nn
        let pe = (Double(tp + fp) * Double(tp + fn) + Double(fn + tn) * Double(fp + tn)) / (nn * nn)
        guard pe < 1 else { return nil }
        return (po - pe) / (1 - pe)
    }

    static func ratio(_ k: Int, _ n: Int) -> Double? {
        n > 0 ? Double(k) / Double(n) : nil
    }
}
