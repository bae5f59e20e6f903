import AfscanCore
import EvalStatistics
import Foundation

/// A training failure the user can fix: too few samples, one class only. The message names the counts.
public struct TrainingError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// The result of `Trainer.train`: the model file and the human-readable report.
public struct TrainingOutcome: Sendable {
    public var model: ModelFile
    public var report: [String]
}

extension Trainer {
    /// AUROC of out-of-fold logits over `indices` with a bootstrap interval; nil when a class is missing.
    static func auroc(_ set: TrainingSet, _ oof: [Double?], _ indices: [Int], resamples: Int, seed: UInt64)
        -> (auroc: Double, interval: BootstrapInterval?, n: Int)? {
        var pos: [Double] = [], neg: [Double] = []
        for i in indices { if let z = oof[i] { if set.samples[i].positive { pos.append(z) } else { neg.append(z) } } }
        guard let a = AUROC.mannWhitney(positives: pos, negatives: neg) else { return nil }
        let ci = resamples > 0 ? BootstrapInterval.auroc(positives: pos, negatives: neg, resamples: resamples, seed: seed) : nil
        return (a, ci, pos.count + neg.count)
    }

    static func format(_ x: Double) -> String { String(format: "%.3f", x) }
    static func format(_ r: (auroc: Double, interval: BootstrapInterval?, n: Int)?) -> String {
        guard let r else { return "n/a (one class)" }
        if let ci = r.interval { return "\(format(r.auroc)) [\(format(ci.lo)), \(format(ci.hi))]" }
        return format(r.auroc)
    }

    /// Trains, cross-validates and calibrates a model for `label` on `set`.
    /// - Throws: `TrainingError` when there are fewer than 10 samples, fewer than `folds` of a class, or
    ///   one class only.
    public static func train(_ set: TrainingSet, label: String, reference: String, options: TrainingOptions,
                             inputs: [Provenance.Input], afscanVersion: String) throws(TrainingError) -> TrainingOutcome {
        let n = set.samples.count
        let positives = set.positives
        let negatives = n - positives
        guard n >= 10 else { throw TrainingError(description: "too few samples to train: \(n) (\(positives) positive, \(negatives) negative); at least 10 are needed") }
        guard positives > 0, negatives > 0 else {
            throw TrainingError(description: "the reference gives one class only: \(positives) positive, \(negatives) negative of \(n) samples")
        }
        guard positives >= options.folds, negatives >= options.folds else {
            throw TrainingError(description: "each class needs at least \(options.folds) samples for \(options.folds)-fold cross-validation: \(positives) positive, \(negatives) negative")
        }
        var report: [String] = []
        let all = Array(set.samples.indices)
        let folds = foldAssignment(set, folds: options.folds, seed: options.seed)
        let usableFiles = set.files.indices.filter { f in
            let idx = all.filter { set.samples[$0].file == f }
            return idx.contains { set.samples[$0].positive } && idx.contains { !set.samples[$0].positive }
        }
        let lofo = set.files.count >= 2
        // Candidate C values: k-fold and leave-one-file-out out-of-fold logits for each.
        var best: (c: Double, kfold: [Double?], lofo: [Double?]?, score: Double)?
        for c in options.cValues {
            let kf = outOfFold(set, groupOf: folds, groups: options.folds, c: c, options: options)
            var lf: [Double?]?
            var score = auroc(set, kf, all, resamples: 0, seed: 0)?.auroc ?? 0
            if lofo {
                let l = outOfFold(set, groupOf: set.samples.map(\.file), groups: set.files.count, c: c, options: options)
                lf = l
                let per = usableFiles.compactMap { f in auroc(set, l, all.filter { set.samples[$0].file == f }, resamples: 0, seed: 0)?.auroc }
                if !per.isEmpty { score = per.reduce(0, +) / Double(per.count) }
            }
            if options.cValues.count > 1 {
                report.append("C = \(c): \(lofo && !usableFiles.isEmpty ? "mean leave-one-file-out" : "pooled k-fold") AUROC \(format(score))")
            }
            if best == nil || score > best!.score { best = (c, kf, lf, score) }
        }
        let chosen = best!
        if options.cValues.count > 1 {
            report.append("chosen C = \(chosen.c) by \(lofo && !usableFiles.isEmpty ? "leave-one-file-out" : "k-fold") AUROC: the figures below for that C are therefore optimistic (selected on them)")
        }
        let pooled = auroc(set, chosen.kfold, all, resamples: options.bootstrapResamples, seed: options.seed)
        report.append("samples \(n) (\(positives) positive, \(negatives) negative) in \(set.files.count) file(s); C = \(chosen.c)")
        report.append("\(options.folds)-fold AUROC (pooled, out of fold): \(format(pooled))")
        report.append("per file: k-fold AUROC | leave-one-file-out AUROC (trained on the other files)")
        for f in set.files.indices {
            let idx = all.filter { set.samples[$0].file == f }
            let p = idx.filter { set.samples[$0].positive }.count
            let kf = auroc(set, chosen.kfold, idx, resamples: options.bootstrapResamples, seed: options.seed)
            let lf = chosen.lofo.map { auroc(set, $0, idx, resamples: options.bootstrapResamples, seed: options.seed) } ?? nil
            report.append("  \(set.files[f]) (\(idx.count), \(p) positive): \(format(kf)) | \(lofo ? format(lf) : "n/a (one file)")")
        }
        // Calibration and bands from the k-fold out-of-fold logits.
        let oofLogits = all.compactMap { i in chosen.kfold[i].map { (z: $0, positive: set.samples[i].positive) } }
        let calibration = platt(oofLogits)
        let probs = oofLogits.map { (p: calibration.probability($0.z), positive: $0.positive) }
        let (bands, stats) = chooseBands(probs, options: options)
        report.append(contentsOf: bandReport(bands, stats))
        if bands.maybe >= bands.yes {
            report.append("  no maybe band: the yes band alone keeps ≥ \(Int(options.maybeRecall * 100))% of the positives, so `--route \(label)` (its maybe band) routes nothing; route with --route maybe, or --route \(label) with a lower threshold model")
        }
        report.append(contentsOf: reliability(probs))
        var targetStats = stats
        targetStats.aurocKFold = pooled?.auroc
        if let l = chosen.lofo {
            let per = usableFiles.compactMap { f in auroc(set, l, all.filter { set.samples[$0].file == f }, resamples: 0, seed: 0)?.auroc }
            targetStats.aurocLeaveOneFileOut = per.isEmpty ? nil : per.reduce(0, +) / Double(per.count)
            // The yes band's rates on the leave-one-file-out probabilities (same calibration, same threshold).
            var tp = 0, p = 0, fp = 0, n = 0
            for i in all {
                guard let z = l[i] else { continue }
                let yes = calibration.probability(z) >= bands.yes
                if set.samples[i].positive { p += 1; if yes { tp += 1 } } else { n += 1; if yes { fp += 1 } }
            }
            if p > 0 && n > 0 {
                targetStats.tprYesLeaveOneFileOut = Double(tp) / Double(p)
                targetStats.fprYesLeaveOneFileOut = Double(fp) / Double(n)
                report.append("  yes band on leave-one-file-out probabilities: recall \(String(format: "%.1f%%", 100 * Double(tp) / Double(p))), false-positive rate \(String(format: "%.1f%%", 100 * Double(fp) / Double(n))) (the rates the adjusted prevalence uses)")
            }
        }
        // The final model, on every sample.
        let final = fit(set, all, c: chosen.c, options: options)
        var entries: [(VocabularyEntry, Double)] = []
        for (j, h) in final.hashes.enumerated() {
            guard let t = set.text(of: h) else { continue }
            entries.append((VocabularyEntry(block: t.block, ngram: t.ngram, idf: final.idf[j]), final.weights[j]))
        }
        let blockOrder = FeatureSpec.Block.allCases
        entries.sort {
            let a = blockOrder.firstIndex(of: $0.0.block)!, b = blockOrder.firstIndex(of: $1.0.block)!
            return a != b ? a < b : Array($0.0.ngram.utf8).lexicographicallyPrecedes(Array($1.0.ngram.utf8))
        }
        guard !entries.isEmpty else {
            throw TrainingError(description: "no n-gram occurs in at least \(options.minDocumentFrequency) training samples: the model would have no features (\(n) samples; lower --min-df, or check that the records hold reasoning text)")
        }
        report.append("vocabulary: \(entries.count) n-grams (min_df \(options.minDocumentFrequency)\(options.maxFeatures > 0 ? ", at most \(options.maxFeatures)" : ""))")
        let target = TargetModel(label: label, bias: final.bias, weights: entries.map(\.1), calibration: calibration,
                                 bands: bands, outOfFold: targetStats)
        let provenance = Provenance(afscanVersion: afscanVersion, inputs: inputs, reference: reference, c: chosen.c,
                                    minDocumentFrequency: options.minDocumentFrequency, maxFeatures: options.maxFeatures,
                                    folds: options.folds, seed: options.seed,
                                    classWeighting: options.balanceClasses ? "balanced" : "none", report: report)
        let model = ModelFile(features: set.spec, vocabulary: entries.map(\.0), targets: [target], provenance: provenance)
        return TrainingOutcome(model: model, report: report)
    }

    /// Platt scaling fitted on (logit, label) pairs by maximum likelihood (a nearly unpenalised 1-D
    /// logistic regression).
    static func platt(_ points: [(z: Double, positive: Bool)]) -> Calibration {
        var x = SparseRows(columnCount: 1)
        for p in points { x.appendRow([(0, p.z)]) }
        let fit = LogisticRegression.fit(x, targets: points.map(\.positive), sampleWeights: points.map { _ in 1 }, c: 1e6)
        return Calibration(a: fit.weights[0], b: fit.bias)
    }

    /// `yes` at the lowest threshold whose precision is ≥ `yesPrecision` (never, i.e. 1.0, when none is);
    /// `maybe` at the highest threshold ≤ `yes` where `yes ∪ maybe` keeps ≥ `maybeRecall` of the positives.
    static func chooseBands(_ probs: [(p: Double, positive: Bool)], options: TrainingOptions) -> (Band, TargetStats) {
        let sorted = probs.sorted { $0.p > $1.p }
        let total = probs.count
        let positives = probs.filter(\.positive).count
        var yes = 1.0
        var tp = 0, fp = 0
        var i = 0
        // walk thresholds from high to low; a threshold is a distinct score value
        while i < sorted.count {
            let t = sorted[i].p
            while i < sorted.count && sorted[i].p == t {
                if sorted[i].positive { tp += 1 } else { fp += 1 }
                i += 1
            }
            if Double(tp) / Double(tp + fp) >= options.yesPrecision { yes = t }
        }
        var maybe = yes
        tp = 0
        i = 0
        while i < sorted.count {
            let t = sorted[i].p
            while i < sorted.count && sorted[i].p == t {
                if sorted[i].positive { tp += 1 }
                i += 1
            }
            maybe = min(t, yes)
            if Double(tp) >= options.maybeRecall * Double(positives) { break }
        }
        func rates(_ threshold: Double) -> (tpr: Double, fpr: Double, precision: Double?) {
            let tp = probs.filter { $0.positive && $0.p >= threshold }.count
            let fp = probs.filter { !$0.positive && $0.p >= threshold }.count
            return (Double(tp) / Double(max(positives, 1)), Double(fp) / Double(max(total - positives, 1)),
                    tp + fp > 0 ? Double(tp) / Double(tp + fp) : nil)
        }
        let y = rates(yes), m = rates(maybe)
        let band = Band(yes: yes, maybe: maybe)
        return (band, TargetStats(source: "k-fold", samples: total, positives: positives, tprYes: y.tpr, fprYes: y.fpr,
                                  tprYesOrMaybe: m.tpr, fprYesOrMaybe: m.fpr, precisionYes: y.precision,
                                  precisionYesOrMaybe: m.precision, aurocKFold: nil, aurocLeaveOneFileOut: nil))
    }

    static func bandReport(_ band: Band, _ s: TargetStats) -> [String] {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
        return [
            "bands (chosen on \(s.source) out-of-fold probabilities, at the training files' prior):",
            "  yes ≥ \(format(band.yes)): precision \(pct(s.precisionYes)), recall \(pct(s.tprYes)), false-positive rate \(pct(s.fprYes))",
            "  yes ∪ maybe ≥ \(format(band.maybe)): precision \(pct(s.precisionYesOrMaybe)), recall \(pct(s.tprYesOrMaybe)), false-positive rate \(pct(s.fprYesOrMaybe)) (the share of negatives a judge must also read)",
        ]
    }

    /// Reliability table: 10 equal-width bins of the calibrated out-of-fold probability.
    static func reliability(_ probs: [(p: Double, positive: Bool)]) -> [String] {
        var lines = ["reliability (out of fold): bin | samples | mean predicted | observed positive rate"]
        for b in 0..<10 {
            let lo = Double(b) / 10, hi = Double(b + 1) / 10
            let inBin = probs.filter { $0.p >= lo && ($0.p < hi || (b == 9 && $0.p <= 1)) }
            guard !inBin.isEmpty else { continue }
            let mean = inBin.map(\.p).reduce(0, +) / Double(inBin.count)
            let observed = Double(inBin.filter(\.positive).count) / Double(inBin.count)
            lines.append("  [\(String(format: "%.1f", lo)), \(String(format: "%.1f", hi))\(b == 9 ? "]" : ")") | \(inBin.count) | \(format(mean)) | \(format(observed))")
        }
        return lines
    }
}
