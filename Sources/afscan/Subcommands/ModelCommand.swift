import ArgumentParser
import Foundation
import TokenModel

/// `afscan model info MODEL`: what a model file holds and what training measured.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model files.",
        subcommands: [Info.self]
    )

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a model's hash, feature spec, targets, bands, out-of-fold figures and provenance.",
            discussion: "Exit codes: 0 done; 2 the file is not a valid model (corrupt, truncated, a future version)."
        )

        @Argument(help: "The model file, or default for the built-in model.")
        var model: String

        @Flag(name: .customLong("top"), help: "Also list the 20 strongest n-grams of each sign.")
        var top = false

        func run() throws {
            let file: ModelFile
            let loaded: LinearModel
            do {
                if model == "default" && !FileManager.default.fileExists(atPath: model) {
                    loaded = try DefaultModel.load()
                    file = loaded.file
                } else {
                    file = try ModelFile.load(path: model)
                    loaded = try LinearModel(file, source: model)
                }
            } catch {
                Stderr.line("afscan: \(error)")
                throw ExitCode(2)
            }
            var out: [String] = []
            let f = file.features
            out.append("model_hash \(loaded.hash)")
            out.append("format \(file.format) version \(file.version), trained by afscan \(file.provenance.afscanVersion)")
            let orders = f.minOrder == f.maxOrder ? (f.minOrder == 1 ? "unigrams" : "\(f.minOrder)-grams") : "\(f.minOrder)-\(f.maxOrder)-grams"
            out.append("features: \(orders) of \(f.blocks.map(\.rawValue).joined(separator: ", ")), punctuation \(f.punctuation ? "kept" : "skipped"), numbers \(f.foldNumbers ? "folded" : "kept"), \(file.weighting); vocabulary \(file.vocabulary.count)")
            for t in file.targets {
                let s = t.outOfFold
                func r(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "n/a" }
                out.append("target \(t.label): bias \(r(t.bias)), calibration σ(\(r(t.calibration.a))·z \(t.calibration.b < 0 ? "−" : "+") \(r(abs(t.calibration.b)))), bands yes ≥ \(r(t.bands.yes)), maybe ≥ \(r(t.bands.maybe))")
                out.append("  out of fold (\(s.source), \(s.samples) samples, \(s.positives) positive): AUROC k-fold \(r(s.aurocKFold)), mean leave-one-file-out \(r(s.aurocLeaveOneFileOut)); yes: TPR \(r(s.tprYes)) FPR \(r(s.fprYes)); yes ∪ maybe: TPR \(r(s.tprYesOrMaybe)) FPR \(r(s.fprYesOrMaybe))")
                if top {
                    let order = t.weights.indices.sorted { t.weights[$0] != t.weights[$1] ? t.weights[$0] > t.weights[$1] : $0 < $1 }
                    out.append("  strongest positive: " + order.prefix(20).map { "\(terminalSafe(file.vocabulary[$0].ngram)) (\(r(t.weights[$0])))" }.joined(separator: ", "))
                    out.append("  strongest negative: " + order.reversed().prefix(20).map { "\(terminalSafe(file.vocabulary[$0].ngram)) (\(r(t.weights[$0])))" }.joined(separator: ", "))
                }
            }
            let p = file.provenance
            out.append("trained on \(p.inputs.map { "\($0.name) (\($0.samples), \($0.positives) positive, weight \($0.weight))" }.joined(separator: ", ")); reference \(p.reference); C \(p.c), min_df \(p.minDocumentFrequency), \(p.folds) folds, seed \(p.seed)")
            out.append(contentsOf: p.report.map { "  " + $0 })
            writeToStandardOutput(Data((terminalSafe(out.joined(separator: "\n"), keepNewlines: true) + "\n").utf8))
        }
    }
}

