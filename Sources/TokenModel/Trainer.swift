import AfscanCore
import EvalStatistics
import Foundation

/// Training options (`afscan train`).
public struct TrainingOptions: Sendable {
    /// Candidate regularisation strengths; with more than one, the one with the best mean
    /// leave-one-file-out AUROC (k-fold with one file) is chosen, and the report says so.
    public var cValues: [Double] = [1]
    /// An n-gram enters the vocabulary when at least this many training samples hold it.
    public var minDocumentFrequency = 2
    /// Keep at most this many features (largest |weight| after a first fit, then refitted); 0 = all.
    public var maxFeatures = 0
    public var folds = 5
    public var seed: UInt64 = 1
    /// Per-file sample weights by file name (default 1).
    public var fileWeights: [String: Double] = [:]
    /// Weight the classes so both carry the same total weight.
    public var balanceClasses = true
    /// Bands: `yes` at the lowest threshold whose out-of-fold precision is ≥ this.
    public var yesPrecision = 0.95
    /// Bands: `maybe` down to where `yes ∪ maybe` keeps at least this share of the positives.
    public var maybeRecall = 0.85
    public var bootstrapResamples = 1000
    public init() {}
}

/// One fitted model over a vocabulary of n-gram hashes (before it becomes a `ModelFile`).
struct FittedModel {
    var hashes: [UInt64]           // vocabulary, ascending by hash
    var idf: [Double]
    var weights: [Double]
    var bias: Double

    /// The logit of a sample.
    func logit(_ s: TrainingSet.Sample) -> Double {
        var norm = 0.0
        var dot = 0.0
        var j = 0
        for (k, h) in s.hashes.enumerated() {
            // both lists ascending: merge
            while j < hashes.count && hashes[j] < h { j += 1 }
            if j < hashes.count && hashes[j] == h {
                let v = (1 + log(Double(s.counts[k]))) * idf[j]
                norm += v * v
                dot += weights[j] * v
            }
        }
        return bias + (norm > 0 ? dot / norm.squareRoot() : 0)
    }
}

/// Fits, cross-validates and calibrates linear n-gram models (`afscan train`).
public enum Trainer {
    /// Fits one model on `indices` of `set`.
    static func fit(_ set: TrainingSet, _ indices: [Int], c: Double, options: TrainingOptions) -> FittedModel {
        // document frequencies
        var df: [UInt64: Int] = [:]
        for i in indices { for h in set.samples[i].hashes { df[h, default: 0] += 1 } }
        var vocab = df.filter { $0.value >= options.minDocumentFrequency }.keys.sorted()
        let n = Double(indices.count)
        func idfOf(_ h: UInt64) -> Double { log((1 + n) / (1 + Double(df[h]!))) + 1 }
        let weights = sampleWeights(set, indices, options)
        let targets = indices.map { set.samples[$0].positive }
        var fit = fitOn(set, indices, vocab: vocab, idf: vocab.map(idfOf), targets: targets, weights: weights, c: c)
        if options.maxFeatures > 0 && vocab.count > options.maxFeatures {
            let keep = vocab.indices.sorted {
                let a = abs(fit.weights[$0]), b = abs(fit.weights[$1])
                return a != b ? a > b : vocab[$0] < vocab[$1]
            }.prefix(options.maxFeatures).sorted()
            vocab = keep.map { vocab[$0] }
            fit = fitOn(set, indices, vocab: vocab, idf: vocab.map(idfOf), targets: targets, weights: weights, c: c)
        }
        return fit
    }

    private static func fitOn(_ set: TrainingSet, _ indices: [Int], vocab: [UInt64], idf: [Double], targets: [Bool],
                              weights: [Double], c: Double) -> FittedModel {
        var column: [UInt64: Int32] = [:]
        column.reserveCapacity(vocab.count)
        for (j, h) in vocab.enumerated() { column[h] = Int32(j) }
        var x = SparseRows(columnCount: vocab.count)
        for i in indices {
            let s = set.samples[i]
            var entries: [(Int32, Double)] = []
            var norm = 0.0
            for (k, h) in s.hashes.enumerated() {
                if let j = column[h] {
                    let v = (1 + log(Double(s.counts[k]))) * idf[Int(j)]
                    entries.append((j, v))
                    norm += v * v
                }
            }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            x.appendRow(entries.map { ($0.0, $0.1 * scale) })
        }
        let f = LogisticRegression.fit(x, targets: targets, sampleWeights: weights, c: c)
        return FittedModel(hashes: vocab, idf: idf, weights: f.weights, bias: f.bias)
    }

    /// File weight × class weight (classes balanced over the weighted totals), normalised to mean 1.
    static func sampleWeights(_ set: TrainingSet, _ indices: [Int], _ options: TrainingOptions) -> [Double] {
        let fileWeight = set.files.map { options.fileWeights[$0] ?? 1 }
        var base = indices.map { fileWeight[set.samples[$0].file] }
        if options.balanceClasses {
            var pos = 0.0, neg = 0.0
            for (k, i) in indices.enumerated() { if set.samples[i].positive { pos += base[k] } else { neg += base[k] } }
            let total = pos + neg
            for (k, i) in indices.enumerated() {
                let side = set.samples[i].positive ? pos : neg
                base[k] *= side > 0 ? total / (2 * side) : 0
            }
        }
        let mean = base.reduce(0, +) / Double(max(base.count, 1))
        return mean > 0 ? base.map { $0 / mean } : base
    }

    /// Stratified fold assignment of every sample (seeded, deterministic).
    static func foldAssignment(_ set: TrainingSet, folds: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed)
        var assignment = [Int](repeating: 0, count: set.samples.count)
        for positive in [true, false] {
            var idx = set.samples.indices.filter { set.samples[$0].positive == positive }
            // Fisher–Yates
            if idx.count > 1 {
                for i in stride(from: idx.count - 1, to: 0, by: -1) {
                    let j = Int(rng.next() % UInt64(i + 1))
                    idx.swapAt(i, j)
                }
            }
            for (k, i) in idx.enumerated() { assignment[i] = k % folds }
        }
        return assignment
    }

    /// Out-of-fold logits for a partition: `groupOf[i]` is the held-out group of sample i.
    static func outOfFold(_ set: TrainingSet, groupOf: [Int], groups: Int, c: Double, options: TrainingOptions) -> [Double?] {
        var oof = [Double?](repeating: nil, count: set.samples.count)
        for g in 0..<groups {
            let train = set.samples.indices.filter { groupOf[$0] != g }
            let test = set.samples.indices.filter { groupOf[$0] == g }
            guard !test.isEmpty else { continue }
            let trainPositives = train.filter { set.samples[$0].positive }.count
            guard trainPositives > 0, trainPositives < train.count else { continue }
            let model = fit(set, train, c: c, options: options)
            for i in test { oof[i] = model.logit(set.samples[i]) }
        }
        return oof
    }
}
