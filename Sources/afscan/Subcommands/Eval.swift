import AfscanCore
import ArchiveIO
import ArgumentParser
import Foundation
import LabelPipeline
import LabelSinks
import PatternScoring
import Scratchpad
import Synchronization

/// `afscan eval`: agreement of one label with a reference field (AUROC with a bootstrap interval,
/// confusion matrices and precision / recall / F1 / κ at `yes` and `yes ∪ maybe`, worst false
/// positives and negatives with their evidence), pooled and per input file.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a label against a reference field: AUROC (bootstrap CI), P/R/F1/κ, confusion matrices, worst errors.",
        discussion: """
        Each INPUT is either a label file written by `afscan label --keep-field REFPATH` (rows that have \
        "source" and "labels") or an original input, which is labelled in-process with the reference path \
        kept (so `afscan eval data.jsonl.zst --reference label --positive alignment_faking` just works). \
        Standard input (-) must hold label rows.

        The reference is a field path and --positive VALUE (`--reference label --positive alignment_faking`), \
        or a comparison (`--reference 'deceptive_alignment.final_answer>=0.4'`, `'strong_reject_score>0'`). \
        Rows whose reference is missing or null, rows that were rejected, and rows without the label are \
        skipped and counted. A line that is not a valid label row (not a JSON object, no "source" or \
        "status", or the label's score or rank not a number in [0, 1]) is skipped, counted in \
        not_label_rows and named on stderr. A row whose decision is `unknown` counts as predicted negative.

        Or the reference is a judge-verdict file (`--verdicts FILE` instead of --reference; docs/VERDICTS.md): \
        JSONL lines {"id": ..., "label": ..., "value": true|false} or with "score": P (positive when P ≥ \
        --verdict-threshold), keyed by the row's "id" or by "source": {"file", "record"}. The verdicts of \
        --label are used; rows are matched by id, else by source file and record; rows without a verdict \
        count as missing reference. The counts of verdicts read, matched and unmatched and of rows without \
        a verdict go to stderr; bad verdict lines are named and skipped (exit 1); verdicts that match no \
        row at all are an error (exit 2, no report).

        AUROC is the Mann–Whitney statistic of the ranking score (ties count ½) with a stratified percentile \
        bootstrap 95% interval (seeded, deterministic). κ is Cohen's. Worst false positives are the reference \
        negatives ranked highest, worst false negatives the positives ranked lowest, whatever their decision.

        Exit codes: 0 done; 1 some inputs faulted, rows were rejected, lines were not label rows, verdict \
        lines were bad, or no row could be evaluated; 2 fatal (also: no verdict matched a row); 64 usage.
        """
    )

    @Argument(help: "Label files or original inputs (files, directories, or - for label rows on stdin).")
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Reference field path (with --positive), or a comparison PATH>=NUMBER (>=, >, <=, <, ==, !=).", valueName: "path"))
    var reference: String?

    @Option(help: ArgumentHelp("Judge verdicts (JSONL, docs/VERDICTS.md) instead of --reference: the verdicts of --label are the reference.", valueName: "file"))
    var verdicts: String?

    @Option(name: .customLong("verdict-threshold"), help: ArgumentHelp("With --verdicts: a verdict \"score\" at or above this is positive (default 0.5).", valueName: "p"))
    var verdictThreshold: Double?

    @Option(help: ArgumentHelp("The reference value that counts as positive (with a field path in --reference).", valueName: "value"))
    var positive: String?

    @Option(help: "The label to evaluate.")
    var label: String = "af.goal_guarding"

    @Option(help: "Ranking score for AUROC and the worst lists: rank or score.")
    var score: String = "rank"

    @Option(help: "Output format: text, json or markdown.")
    var format: String = "text"

    @Flag(name: [.short, .long], help: "No progress line and no verdict-matching notes on stderr (warnings and errors remain).")
    var quiet = false

    @OptionGroup var display: DisplayOptions

    @Option(help: "Bootstrap replicates for the AUROC interval (0 = none).")
    var bootstrap: Int = 2000

    @Option(help: "Bootstrap seed.")
    var seed: UInt64 = 1

    @Option(help: "Rows in each worst list.")
    var worst: Int = 5

    @Flag(name: .customLong("by-file"), help: "Also report every input file on its own (the pool is always reported).")
    var byFile = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write the report here (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    // Labelling of original inputs (as `afscan label`).
    @Option(help: "Input layout for original inputs: auto, results, chat or flat.")
    var layout: String = "auto"

    @Option(name: .customLong("id-field"), help: ArgumentHelp("Dotted path of the record id (original inputs).", valueName: "path"))
    var idField: String?

    @Option(name: .customLong("text-field"), help: ArgumentHelp("Dotted path of the text to score (original inputs).", valueName: "path"))
    var textField: String?

    @Option(help: ArgumentHelp("A YAML rule file instead of the built-in default rules (original inputs).", valueName: "file"))
    var rules: String?

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: [.customShort("j"), .long], help: "Scoring workers for original inputs; 0 = one per core.")
    var threads: Int = 0

    @Option(name: .customLong("max-window-log"), help: WindowLogOption.help)
    var maxWindowLog: Int = 27

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one label file or input (or - for label rows on stdin)") }
        guard RankingScore(rawValue: score) != nil else { throw ValidationError("--score must be rank or score (got '\(score)')") }
        guard ["text", "json", "markdown"].contains(format) else {
            throw ValidationError("--format must be text, json or markdown (got '\(format)')")
        }
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more") }
        guard worst >= 0 else { throw ValidationError("--worst must be 0 or more") }
        guard Layout(rawValue: layout) != nil else { throw ValidationError("--layout must be one of auto, results, chat, flat") }
        try WindowLogOption.validate(maxWindowLog)
        guard threads >= 0 else { throw ValidationError("--threads must be 0 (one per core) or more") }
        if case .field(let rule) = try referenceSource(), !isDottedPath(rule.path) {
            throw ValidationError("--reference: '\(rule.path)' is not a dotted path (non-empty names separated by single dots)")
        }
        try checkOutputs([("--output", output)], inputs: inputs + (verdicts.map { [$0] } ?? []) + (modelOptions.modelPath.map { [$0] } ?? [])
                             + (rules.map { [$0] } ?? []))
    }

    /// Exactly one of `--reference` (with `--positive`) and `--verdicts`.
    func referenceSource() throws -> ReferenceSource {
        try ReferenceSource.parse(reference: reference, positive: positive, verdicts: verdicts, verdictThreshold: verdictThreshold)
    }

    func run() throws {
        Stderr.quiet = quiet
        display.apply()
        let options = EvaluationOptions(label: label, ranking: RankingScore(rawValue: score)!, bootstrapResamples: bootstrap,
                                        seed: seed, worst: worst)
        let rule: ReferenceRule?
        let collector: RowCollector
        var problems = 0
        switch try referenceSource() {
        case .field(let r):
            rule = r
            collector = RowCollector(EvaluationAccumulator(reference: r, options: options))
        case .verdicts(let path, let threshold):
            rule = nil
            // NAME_model / NAME_rules (the values a folded-in verdict replaced) are judged by NAME's verdicts.
            let verdictLabel = ["_model", "_rules"].first { label.hasSuffix($0) }.map { String(label.dropLast($0.count)) } ?? label
            let matcher = loadVerdicts(path, threshold: threshold, label: verdictLabel, maxWindowLog: maxWindowLog)
            if !matcher.problems.isEmpty { problems += 1 }
            collector = RowCollector(EvaluationAccumulator(verdicts: matcher, options: options))
        }

        var notes: [String] = []
        let (specs, faults) = try expandInputs(inputs, outputs: [("--output", output)], notes: &notes)
        problems += faults.count
        var labelRun: LabelRun?
        var labelFilesRead = 0
        let counters = ProgressCounters()
        let progress = display.startProgress("eval", counters: counters, totalBytes: DisplayOptions.inputBytes(specs), quiet: quiet)
        for spec in specs {
            let isLabelFile: Bool
            if spec.path == nil {
                isLabelFile = true
            } else {
                do { isLabelFile = try Self.holdsLabelRows(spec, maxWindowLog: maxWindowLog) } catch {
                    Stderr.line("afscan: \(error)")
                    problems += 1
                    continue
                }
            }
            if isLabelFile {
                labelFilesRead += 1
                problems += readLabelFile(spec, into: collector)
                counters.add(bytes: DisplayOptions.inputBytes([spec]) ?? 0)  // label files: progress per file
            } else {
                if labelRun == nil { labelRun = try makeLabelRun(keeping: rule.map { [$0.path] } ?? [], progress: counters) }
                problems += labelInProcess(spec, with: labelRun!, into: collector)
            }
        }
        progress?.stop()

        if labelRun == nil && (modelOptions.model != "default" || modelOptions.criteria != nil) {
            Stderr.line("afscan: warning: --model/--criteria apply to original inputs, which eval labels itself; every input here is a label file, already labelled (its rows carry the model_hash that made them)")
        }
        let accumulator = collector.accumulator
        if accumulator.notLabelRows > 0 { problems += 1 }
        let judged = accumulator.judgeLabelled
        if judged > 0 {
            Stderr.line("afscan: \(judged) rows hold a judge's verdict as \(label) (engine judge, folded in by label --verdicts): skipped, since they would score the judge against itself; evaluate \(label)_model (the value the verdict replaced), or rows labelled before the verdicts were folded in")
        }
        if let matcher = accumulator.verdicts {
            for line in matcher.reportLines where !quiet || matcher.matched == 0 { Stderr.line("afscan: \(line)") }
            if matcher.matched == 0 {
                Stderr.line("afscan: none of the \(matcher.read) \(label) verdicts in \(matcher.file) matches any of the \(matcher.recordsWithoutVerdict) rows read (matched by id, else by source file and record number: see docs/VERDICTS.md); no report")
                throw ExitCode(2)
            }
        }
        let report = accumulator.makeReport()
        if let rule, let message = accumulator.referenceValues.unseenPositiveMessage(rule, positives: report.pooled.counts.positives) {
            Stderr.line("afscan: \(message); no report")
            throw ExitCode(2)
        }
        let text: Data
        switch format {
        case "json": text = try report.jsonData(includeFiles: byFile)
        case "markdown": text = Data(terminalSafe(report.renderMarkdown(includeFiles: byFile), keepNewlines: true).utf8)
        default: text = Data(terminalSafe(report.renderText(includeFiles: byFile), keepNewlines: true).utf8)
        }
        if let output {
            do { try writeAtomically(text, to: output) } catch { fatal("cannot write report: \(error)") }
        } else {
            writeToStandardOutput(text)
        }
        if report.pooled.counts.counted == 0 {
            Stderr.line("afscan: no row could be evaluated (label '\(label)', reference \(accumulator.reference)); see the skip counts")
            if let rule, report.pooled.counts.missingReference > 0 {
                Stderr.line(labelFilesRead > 0
                    ? "afscan: label files must carry the reference: make them with `afscan label --keep-field \(rule.path)`, or give the original inputs"
                    : "afscan: no record of the inputs has \(rule.path) (as a number or value the reference can test): check the --reference path")
            }
            problems += 1
        }
        if report.rulesHashes.count > 1 {
            Stderr.line("afscan: warning: the rows come from \(report.rulesHashes.count) different rule sets")
        }
        if problems > 0 || report.pooled.counts.rejected > 0 { throw ExitCode(1) }
    }

    /// True when the first non-empty line of the decoded input is a JSON object with `source` and
    /// `labels` (a label row). Reads at most 16 MiB looking for that line; false for an Inspect `.eval` log.
    static func holdsLabelRows(_ spec: InputSpec, maxWindowLog: Int) throws -> Bool {
        // An Inspect .eval log holds samples, never label rows (the label pipeline reads it).
        if try InspectEvalInput.isEvalLog(spec) { return false }
        let reader = try InputReader(spec, maxWindowLog: maxWindowLog)
        var head: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while head.count < 16 << 20 {
            let n = try buf.withUnsafeMutableBytes { try reader.read(into: $0) }
            if n == 0 { break }
            head += buf[0..<n]
            if let line = firstLine(head, complete: false) { return isLabelRow(line) }
        }
        return firstLine(head, complete: true).map(isLabelRow) ?? false
    }

    private static func firstLine(_ bytes: [UInt8], complete: Bool) -> ArraySlice<UInt8>? {
        var start = 0
        while let nl = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = bytes[start..<nl]
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { return line }
            start = nl + 1
        }
        return complete && start < bytes.count ? bytes[start...] : nil
    }

    private static func isLabelRow(_ line: ArraySlice<UInt8>) -> Bool {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else { return false }
        return object["source"] is [String: Any] && object["labels"] is [String: Any]
    }

    /// Reads a label file; returns the number of problems (1 when the input faulted).
    private func readLabelFile(_ spec: InputSpec, into collector: RowCollector) -> Int {
        do {
            let reader = try InputReader(spec, maxWindowLog: maxWindowLog)
            var lineNo = 0
            try forEachLine(reader) { line in
                lineNo += 1
                guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return }
                let reading: EvalRowReading
                if let row = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] {
                    reading = collector.add(row)
                } else {
                    reading = .notLabelRow(reason: "not a JSON object")
                    collector.add(reading)
                }
                if case .notLabelRow(let reason) = reading {
                    Stderr.line("afscan: \(spec.displayName): line \(lineNo): not a label row (\(reason)); skipped")
                }
            }
            return 0
        } catch {
            Stderr.line("afscan: \(error)")
            return 1
        }
    }

    private func makeLabelRun(keeping referencePaths: [String], progress: ProgressCounters) throws -> LabelRun {
        let mapping = FieldMapping(layout: Layout(rawValue: layout)!, idField: idField, textField: textField,
                                   keepFields: referencePaths)
        let ruleSet = try loadRules(rules)
        let compiled = compileRules(ruleSet, from: rules)
        var options = LabelOptions(mapping: mapping, threads: threads, maxWindowLog: maxWindowLog)
        options.model = try modelOptions.load()
        options.criteria = modelOptions.criteriaMode
        options.explainTerms = modelOptions.explainTermCount
        options.progress = progress
        return LabelRun(ruleSet: ruleSet, compiled: compiled, options: options)
    }

    /// Labels `spec` in-process and feeds the rows to `collector`; returns the number of problems.
    private func labelInProcess(_ spec: InputSpec, with run: LabelRun, into collector: RowCollector) -> Int {
        // Rows arrive in input order, serialized, as whole `\n`-terminated lines.
        let outcome = run.run(
            inputs: [spec],
            sink: { bytes in collector.addLines(bytes) },
            diagnostics: { Stderr.line($0) })
        if let e = outcome.sinkError { fatal("internal error collecting rows: \(e)") }
        return outcome.inputFaults.count
    }
}

/// Gathers label rows for `afscan eval` from the reading thread or the labelling pipeline's ordered
/// writer. A class (not a local `Mutex`) so that the pipeline's escaping sink closure can hold it.
final class RowCollector: Sendable {
    private let state: Mutex<(accumulator: EvaluationAccumulator, carry: [UInt8])>

    init(_ accumulator: EvaluationAccumulator) {
        state = Mutex((accumulator, []))
    }

    var accumulator: EvaluationAccumulator { state.withLock { $0.accumulator } }

    /// Reads and counts one parsed row; returns what it was read as.
    @discardableResult
    func add(_ row: [String: Any]) -> EvalRowReading {
        state.withLock { $0.accumulator.add(labelRowJSON: row) }
    }

    func add(_ reading: EvalRowReading) {
        state.withLock { $0.accumulator.add(reading) }
    }

    /// Adds every complete `\n`-terminated row of `bytes` (with any partial line carried over from the
    /// previous call); a line that is not a JSON object counts as "not a label row".
    func addLines(_ bytes: UnsafeRawBufferPointer) {
        state.withLock { s in
            s.carry.append(contentsOf: bytes)
            var start = 0
            while let nl = s.carry[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if let row = (try? JSONSerialization.jsonObject(with: Data(s.carry[start..<nl]))) as? [String: Any] {
                    s.accumulator.add(labelRowJSON: row)
                } else {
                    s.accumulator.add(.notLabelRow(reason: "not a JSON object"))
                }
                start = nl + 1
            }
            s.carry.removeFirst(start)
        }
    }
}
