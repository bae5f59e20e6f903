import AfscanCore
import ArchiveIO
import ArgumentParser
import Foundation
import LabelPipeline
import LabelSinks
import Scratchpad
import TokenModel

/// `afscan train`: fits a linear n-gram model of one label from reference labels (a field or comparison
/// of the input records, as in `eval`, or judge verdicts, docs/VERDICTS.md), cross-validates it (k-fold and, with several files,
/// leave-one-file-out, with bootstrap intervals), calibrates it out of fold and writes a model file.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a token n-gram model from reference labels (distil a judge); report k-fold and leave-one-file-out AUROC.",
        discussion: """
        Each INPUT is read like `afscan label` reads it (files, directories, zstd or plain, JSONL or JSON \
        arrays, every layout). The reference is a field of each record (`--reference label --positive \
        alignment_faking`) or a comparison (`--reference 'deceptive_alignment.final_answer>=0.4'`). Records \
        whose reference is missing or null are skipped and counted; records that cannot be read are \
        rejected with the same reasons as in `label` (named on stderr with record number and byte offset).

        Or the reference is a judge-verdict file (`--verdicts FILE`, docs/VERDICTS.md; instead of \
        --reference): JSONL lines {"id": ..., "label": ..., "value": true|false} or with "score": P \
        (positive when P ≥ --verdict-threshold), keyed by the record's id (the layout's id field or \
        --id-field) or by "source": {"file", "record"} as label rows give it. Verdicts of --target are \
        used; records are matched by id, else by source file and record. The counts of verdicts read, \
        matched and unmatched and of records without a verdict are printed; bad verdict lines are named \
        and skipped (exit 1); verdicts that match no record at all are an error (exit 2, nothing written).

        The model: L2-regularised logistic regression (deterministic L-BFGS) over sublinear TF-IDF word \
        n-grams of the reasoning (scratchpad) text, classes balanced, optional per-file weights. The report \
        gives pooled k-fold AUROC and, per input file, k-fold and leave-one-file-out AUROC (trained on the \
        other files) with bootstrap 95% intervals; bands and Platt calibration are chosen on the k-fold \
        out-of-fold probabilities and stored in the model. Same inputs and options: the same model bytes.

        Exit codes: 0 trained; 1 trained, but some records or inputs were rejected, or verdict lines were \
        bad; 2 cannot train (one class, too few samples, no verdict matched, verdict file unreadable) or \
        write; 64 usage.
        """
    )

    @Argument(help: "Input files or directories.")
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Reference field path (with --positive), or a comparison PATH>=NUMBER (>=, >, <=, <, ==, !=).", valueName: "path"))
    var reference: String?

    @Option(help: ArgumentHelp("The reference value that counts as positive (with a field path in --reference).", valueName: "value"))
    var positive: String?

    @Option(help: ArgumentHelp("Judge verdicts (JSONL, docs/VERDICTS.md) instead of --reference: the verdicts of --target are the reference.", valueName: "file"))
    var verdicts: String?

    @Option(name: .customLong("verdict-threshold"), help: ArgumentHelp("With --verdicts: a verdict \"score\" at or above this is positive (default 0.5).", valueName: "p"))
    var verdictThreshold: Double?

    @Option(help: "The label the model writes (and, with --verdicts, the label whose verdicts are used).")
    var target: String = "af.goal_guarding"

    @Option(name: [.short, .long], help: ArgumentHelp("The model file to write (atomically).", valueName: "model"))
    var output: String

    @Option(name: .customLong("c"), help: ArgumentHelp("Regularisation strength C; a comma-separated list is chosen by mean leave-one-file-out AUROC (labelled so in the report).", valueName: "c"))
    var cValues: String = "10"

    @Option(name: .customLong("min-df"), help: "An n-gram enters the vocabulary when this many training samples hold it.")
    var minDF: Int = 2

    @Option(name: .customLong("max-features"), help: "Keep at most this many n-grams (largest weights, refitted); 0 = all.")
    var maxFeatures: Int = 0

    @Option(help: "n-gram orders, MIN-MAX.")
    var orders: String = "1-3"

    @Option(help: "Blocks whose text becomes features: reasoning, output, or reasoning,output.")
    var blocks: String = "reasoning"

    @Option(help: "Folds for k-fold cross-validation.")
    var folds: Int = 5

    @Option(help: "Seed of the fold assignment and the bootstrap.")
    var seed: UInt64 = 1

    @Option(help: "Bootstrap replicates for the AUROC intervals (0 = none).")
    var bootstrap: Int = 1000

    @Option(name: .customLong("file-weight"), help: ArgumentHelp("Sample weight of every record of an input, NAME=W (base name); repeatable.", valueName: "name=w"))
    var fileWeights: [String] = []

    @Option(help: "Input layout: auto, results, chat or flat.")
    var layout: String = "auto"

    @Option(name: .customLong("text-field"), help: ArgumentHelp("Dotted path of the text to read.", valueName: "path"))
    var textField: String?

    @Option(name: .customLong("id-field"), help: ArgumentHelp("Dotted path of the record id (matched against verdict ids).", valueName: "path"))
    var idField: String?

    @Option(name: .customLong("max-window-log"), help: WindowLogOption.help)
    var maxWindowLog: Int = 27

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one input file or directory") }
        guard Layout(rawValue: layout) != nil else { throw ValidationError("--layout must be one of auto, results, chat, flat") }
        try WindowLogOption.validate(maxWindowLog)
        _ = try parsedC()
        _ = try spec()
        _ = try parsedFileWeights()
        guard folds >= 2 else { throw ValidationError("--folds must be 2 or more") }
        if let p = ModelFile.targetLabelProblem(target) { throw ValidationError("--target: \(p)") }
        guard minDF >= 1 else { throw ValidationError("--min-df must be 1 or more") }
        guard maxFeatures >= 0 else { throw ValidationError("--max-features must be 0 (all) or more") }
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more") }
        _ = try referenceSource()
        try checkOutputs([("--output", output)], inputs: inputs + (verdicts.map { [$0] } ?? []))
    }

    func referenceSource() throws -> ReferenceSource {
        try ReferenceSource.parse(reference: reference, positive: positive, verdicts: verdicts, verdictThreshold: verdictThreshold)
    }

    func parsedC() throws -> [Double] {
        let values = cValues.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! > 0 && $0!.isFinite }) else {
            throw ValidationError("--c takes positive numbers separated by commas (got '\(cValues)')")
        }
        return values.map { $0! }
    }

    func spec() throws -> FeatureSpec {
        let parts = orders.split(separator: "-").map { Int($0) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1] else { throw ValidationError("--orders takes MIN-MAX, e.g. 1-3 (got '\(orders)')") }
        var blockList: [FeatureSpec.Block] = []
        for b in blocks.split(separator: ",") {
            guard let kind = FeatureSpec.Block(rawValue: String(b)) else { throw ValidationError("--blocks takes reasoning, output or both (got '\(b)')") }
            blockList.append(kind)
        }
        let s = FeatureSpec(minOrder: lo, maxOrder: hi, blocks: blockList)
        if let p = s.problem { throw ValidationError("--orders/--blocks: \(p)") }
        return s
    }

    func parsedFileWeights() throws -> [String: Double] {
        var out: [String: Double] = [:]
        for item in fileWeights {
            let kv = item.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let w = Double(kv[1]), w >= 0, w.isFinite else {
                throw ValidationError("--file-weight takes NAME=W with W ≥ 0 (got '\(item)')")
            }
            out[String(kv[0])] = w
        }
        return out
    }

    func run() throws {
        Stderr.quiet = quiet
        display.apply()
        let rule: ReferenceRule?
        var matcher: VerdictMatcher?
        switch try referenceSource() {
        case .field(let r): rule = r
        case .verdicts(let path, let threshold):
            rule = nil
            matcher = loadVerdicts(path, threshold: threshold, label: target, maxWindowLog: maxWindowLog)
        }
        let featureSpec = try spec()
        var options = TrainingOptions()
        options.cValues = try parsedC()
        options.minDocumentFrequency = minDF
        options.maxFeatures = maxFeatures
        options.folds = folds
        options.seed = seed
        options.bootstrapResamples = bootstrap
        options.fileWeights = try parsedFileWeights()

        var notes: [String] = []
        let (specs, faults) = try expandInputs(inputs, outputs: [("--output", output)], notes: &notes)
        for note in notes where !quiet { Stderr.line("afscan: \(note)") }
        let mapping = FieldMapping(layout: Layout(rawValue: layout)!, idField: idField, textField: textField,
                                   keepFields: rule.map { [$0.path] } ?? [])
        var reader = SampleReader(mapping: mapping, maxWindowLog: maxWindowLog)
        let counters = ProgressCounters()
        reader.progress = counters
        // The progress line covers reading the samples; fitting and cross-validation follow it.
        let progress = display.startProgress("train (reading samples)", counters: counters, totalBytes: DisplayOptions.inputBytes(specs), quiet: quiet)
        var set = TrainingSet(spec: featureSpec)
        var provenance: [Provenance.Input] = []
        var problems = faults.count + (matcher?.problems.isEmpty == false ? 1 : 0)
        let blockTokens = BlockTokens()
        let names = specs.map { ($0.path.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "-") }
        var referenceValues = ReferenceValueTally()
        var positives = 0
        for (spec, name) in zip(specs, names) {
            let file = set.fileIndex(name)
            var counts = (records: 0, used: 0, positive: 0, missing: 0, rejected: 0, messages: 0, noReasoning: 0)
            let fault = reader.read(spec) { sample in
                counts.records += 1
                switch sample {
                case .rejected(let source, let reason, let detail):
                    counts.rejected += 1
                    if counts.messages < 20 {
                        counts.messages += 1
                        Stderr.line("afscan: \(source.file): record \(source.record) (byte offset \(source.byteOffset)): rejected: \(reason): \(detail)")
                    }
                case .extracted(let source, let ex):
                    let reference: Bool?
                    if let rule {
                        let value = ex.kept.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.json.utf8), options: [.fragmentsAllowed]) }
                        if let value { referenceValues.add(jsonValue: value) }
                        reference = value.flatMap { rule.isPositive(jsonValue: $0) }
                        if reference == true { positives += 1 }
                    } else {
                        reference = matcher!.verdict(id: ex.id, file: source.file, record: source.record)?.positive
                    }
                    guard let positive = reference else {
                        counts.missing += 1
                        return
                    }
                    // A record whose reasoning is absent or redacted is `unknown` to the model in `label`:
                    // it is no training sample either (it would teach the bias alone).
                    guard ex.reasoningPresent && !ex.reasoningRedacted else {
                        counts.noReasoning += 1
                        return
                    }
                    blockTokens.tokenize(ex, output: featureSpec.blocks.contains(.output))
                    blockTokens.withModelBlocks(ex) { set.add(file: file, positive: positive, blocks: $0) }
                    counts.used += 1
                    if positive { counts.positive += 1 }
                }
            }
            if let fault {
                problems += 1
                Stderr.line("afscan: \(fault.description)")
            }
            if counts.rejected > 0 { problems += 1 }
            if counts.rejected > counts.messages { Stderr.line("afscan: \(spec.displayName): \(counts.rejected - counts.messages) more rejected records not shown") }
            if !quiet {
                Stderr.line("afscan: \(spec.displayName): \(counts.records) records: \(counts.used) used (\(counts.positive) positive), \(counts.missing) without a \(rule == nil ? "verdict" : "reference")\(counts.noReasoning > 0 ? ", \(counts.noReasoning) without reasoning (skipped)" : ""), \(counts.rejected) rejected")
            }
            let hash = spec.path.flatMap { try? Data(contentsOf: URL(fileURLWithPath: $0)) }.map { SHA256.hexDigest($0) } ?? "-"
            provenance.append(Provenance.Input(name: name, sha256: hash, samples: counts.used, positives: counts.positive,
                                               weight: options.fileWeights[name] ?? 1))
        }
        progress?.stop()
        for name in options.fileWeights.keys.sorted() where !names.contains(name) {
            throw ValidationError("--file-weight names '\(name)', which is not an input (inputs: \(names.joined(separator: ", ")))")
        }
        if let rule, let message = referenceValues.unseenPositiveMessage(rule, positives: positives) {
            Stderr.line("afscan: cannot train: \(message)")
            throw ExitCode(2)
        }
        var referenceText = rule.map(\.description) ?? ""
        if let matcher {
            if !quiet || matcher.matched == 0 { for line in matcher.reportLines { Stderr.line("afscan: \(line)") } }
            if matcher.matched == 0 {
                let records = matcher.recordsWithoutVerdict
                Stderr.line("afscan: cannot train: none of the \(matcher.read) \(target) verdicts in \(matcher.file) matches any of the \(records) records read (matched by id, else by source file and record number: see docs/VERDICTS.md)")
                throw ExitCode(2)
            }
            referenceText = matcher.referenceDescription(fileName: URL(fileURLWithPath: matcher.file).lastPathComponent)
        }
        let outcome: TrainingOutcome
        do {
            outcome = try Trainer.train(set, label: target, reference: referenceText, options: options, inputs: provenance,
                                        afscanVersion: AfscanVersion.string)
        } catch {
            Stderr.line("afscan: cannot train: \(error)")
            throw ExitCode(2)
        }
        let data: Data
        do { data = try outcome.model.encoded() } catch { fatal("cannot encode the model: \(error)") }
        do { try writeAtomically(data, to: output) } catch { fatal("cannot write the model: \(error)") }
        if !quiet {
            for line in outcome.report { Stderr.line(line) }
            Stderr.line("model_hash \((try? outcome.model.modelHash()) ?? "?") written to \(output)")
        }
        if problems > 0 { throw ExitCode(1) }
    }
}
