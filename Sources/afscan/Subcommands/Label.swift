import AfscanCore
import ArchiveIO
import ArgumentParser
import Foundation
import LabelPipeline
import LabelSinks
import RunReports
import PatternScoring
import RecordFraming
import Scratchpad
import TokenModel

struct Label: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Label every record of the inputs: one JSON row per record, in input order.",
        discussion: """
        INPUT is a file (plain or zstd, detected by content), a directory (walked recursively in sorted \
        order, taking *.jsonl, *.ndjson, *.json and *.zst), or - for standard input. Records are JSONL lines, \
        elements of a top-level JSON array, or whole JSON documents.
        """
    )

    @Argument(help: "Files, directories, or - (stdin).")
    var inputs: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("Label rows go here (default stdout); a name ending in .zst is zstd-compressed. Written atomically.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the per-run summary JSON here (atomically).", valueName: "file"))
    var summary: String?

    @Option(help: ArgumentHelp("Write the run manifest here (atomically): inputs with their sizes, times and counts, rejections by reason, rules and model hashes, version, timings, exit status; also when interrupted.", valueName: "file"))
    var manifest: String?

    @Option(help: ArgumentHelp("Write the run's metrics here (atomically) in the Prometheus text format, for node_exporter's textfile collector: records, bytes, rejections by reason, rates per group, duration, exit status.", valueName: "file"))
    var metrics: String?

    @Option(help: ArgumentHelp("Rows as jsonl (default), or as one csv/tsv table with snake_case columns (as `afscan export`; written when the run ends).", valueName: "format"))
    var format: RowFormat = .jsonl

    @Option(name: [.customShort("j"), .long], help: "Scoring workers; 0 = one per core. Reader and decoder threads are extra.")
    var threads: Int = 0

    @Option(help: "Input layout: auto, results, chat or flat.")
    var layout: String = "auto"

    @Option(name: .customLong("id-field"), help: ArgumentHelp("Dotted path of the record id.", valueName: "path"))
    var idField: String?

    @Option(name: .customLong("text-field"), help: ArgumentHelp("Dotted path of the text to score (implies the flat layout unless --layout is given).", valueName: "path"))
    var textField: String?

    @Option(name: .customLong("condition-field"), help: ArgumentHelp("Dotted path of a field that gives the condition.", valueName: "path"))
    var conditionField: String?

    @Option(name: .customLong("condition-map"), help: ArgumentHelp("How values of --condition-field map to conditions, e.g. true=training,false=unmonitored.", valueName: "map"))
    var conditionMap: String?

    @Option(name: .customLong("group-by"), help: ArgumentHelp("Comma-separated dotted paths of the input record to group the summary by (the condition is always a group); repeat to add more.", valueName: "paths"))
    var groupBy: [String] = []

    @Option(name: .customLong("keep-field"), help: ArgumentHelp("Comma-separated dotted paths copied into each row under \"fields\"; repeat to add more.", valueName: "paths"))
    var keepField: [String] = []

    @Option(name: .customLong("max-window-log"), help: WindowLogOption.help)
    var maxWindowLog: Int = 27

    @Option(name: .customLong("max-record-bytes"), help: "Records larger than this many bytes (at least 64) are rejected unread.")
    var maxRecordBytes: Int = 64 << 20

    @Option(help: ArgumentHelp("Label only shard K of N (K counts from 0): inputs are assigned whole by a stable hash of their path, and an input larger than 1/N of all is split by zstd frame ranges; N runs with the same operands label each record once, with the record numbers and offsets of one run. Combine the shards with afscan merge.", valueName: "K/N"))
    var shard: String?

    @Flag(help: ArgumentHelp("Keep finished parts (each input, and runs of frames of a large multi-frame archive) in a state directory, and on a rerun with the same arguments skip them; the outputs are published only when every part is done, and are those of one uninterrupted run. Needs -o FILE."))
    var resume = false

    @Option(help: ArgumentHelp("The --resume state directory (default: .NAME.afscan-state beside the -o file NAME). Removed once the outputs are published.", valueName: "dir"))
    var state: String?

    @Flag(name: .customLong("sequential-decode"), help: "Decode each input with one streaming zstd decoder, one input at a time (rows are the same; for comparison and debugging).")
    var sequentialDecode = false

    @Option(help: ArgumentHelp("A YAML rule file instead of the built-in default rules.", valueName: "file"))
    var rules: String?

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: ArgumentHelp("With --export: which samples an LLM judge should see — maybe (af.goal_guarding maybe, or any computed label routed to a judge), yes, all, or label names (that label's maybe band); comma-separated or repeated.", valueName: "spec"))
    var route: [String] = []

    @Option(help: ArgumentHelp("Write the routed samples' rows (with their evidence, flags.routed_by and flags.margin) here; .zst compresses. Written atomically.", valueName: "file"))
    var export: String?

    @Option(help: ArgumentHelp("With --route: export at most N routed rows, or P% of the labelled records (e.g. 5%), least certain first (smallest flags.margin: score closest to the label's yes threshold).", valueName: "n|p%"))
    var budget: String?

    @Option(help: ArgumentHelp("Also export a uniform random sample of N labelled rows (the same for any -j) to --audit-export, for the nightly judge audit.", valueName: "n"))
    var audit: Int?

    @Option(name: .customLong("audit-export"), help: ArgumentHelp("Where --audit writes its sample (rows with flags.routed_by = audit), in input order; .zst compresses.", valueName: "file"))
    var auditExport: String?

    @Option(help: "Seed of the --audit sample.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Judge verdicts (JSONL, docs/VERDICTS.md) to fold in: a record's verdict wins in its row (engine judge, flags.judge_verdict), the value it replaces stays as NAME_ENGINE, and the summary counts labels by source.", valueName: "file"))
    var verdicts: String?

    @Option(name: .customLong("verdict-threshold"), help: ArgumentHelp("With --verdicts: a verdict \"score\" at or above this is positive (default 0.5).", valueName: "p"))
    var verdictThreshold: Double?

    @Flag(name: [.short, .long], help: "No summary table, notes or progress line on stderr (warnings and errors remain).")
    var quiet = false

    @OptionGroup var display: DisplayOptions

    @OptionGroup var calibration: CalibrationOptions

    func validate() throws {
        if inputs.isEmpty && isatty(0) != 0 {
            throw ValidationError("no INPUT given and standard input is a terminal; name files or directories, or pipe records in")
        }
        guard Layout(rawValue: layout) != nil else {
            throw ValidationError("--layout must be one of auto, results, chat, flat (got '\(layout)')")
        }
        try WindowLogOption.validate(maxWindowLog)
        guard (0...1024).contains(threads) else { throw ValidationError("--threads must be between 0 (one per core) and 1024") }
        // Below 64 bytes simdjson refuses every document ("capacity"), so no record could be labelled.
        guard maxRecordBytes >= 64 else { throw ValidationError("--max-record-bytes must be at least 64") }
        if conditionMap != nil && conditionField == nil {
            throw ValidationError("--condition-map needs --condition-field")
        }
        if let shard {
            guard ShardPlan.Shard(shard) != nil else { throw ValidationError("--shard takes K/N with 0 <= K < N (K counts from 0), e.g. --shard 0/4; got '\(shard)'") }
            if inputs.isEmpty || inputs.contains("-") { throw ValidationError("--shard needs files or directories: standard input cannot be shared out between shards") }
        }
        if state != nil && !resume { throw ValidationError("--state names the --resume state directory; add --resume") }
        if resume {
            guard let output, output != "-" else { throw ValidationError("--resume needs -o FILE: rows written to standard output cannot be resumed") }
            if inputs.isEmpty || inputs.contains("-") { throw ValidationError("--resume needs files or directories: standard input cannot be read again") }
            for (flag, value) in [("--route", route.isEmpty ? nil : "x"), ("--export", export), ("--audit", audit.map { "\($0)" }), ("--verdicts", verdicts)] where value != nil {
                throw ValidationError("--resume does not support \(flag) yet: run it without --resume, or label with --resume first and then run \(flag) over the rows")
            }
            if format != .jsonl { throw ValidationError("--resume writes JSONL rows; convert them afterwards with afscan export") }
        }
        if output == "" { throw ValidationError("-o/--output is empty; name a file, or leave it out for stdout") }
        if summary == "" { throw ValidationError("--summary is empty; name a file") }
        for (flag, value) in [("--condition-field", conditionField), ("--id-field", idField), ("--text-field", textField)] {
            if let v = value, !isDottedPath(v) {
                throw ValidationError("\(flag) '\(v)' is not a dotted path like metadata.observed")
            }
        }
        for (flag, values) in [("--keep-field", keepField), ("--group-by", groupBy)] {
            for v in values where v.split(separator: ",", omittingEmptySubsequences: false).contains(where: { !isDottedPath(String($0).trimmingCharacters(in: .whitespaces)) }) {
                throw ValidationError("\(flag) '\(v)' must be comma-separated dotted paths like metadata.environment,model")
            }
        }
        if (TriageRoute.parse(route) == nil) != (export == nil) {
            throw ValidationError("--route and --export go together: --route maybe --export judge.jsonl")
        }
        if export == "" { throw ValidationError("--export is empty; name a file") }
        if let budget {
            guard TriageRoute.parse(route) != nil else { throw ValidationError("--budget limits --route: give --route and --export too") }
            guard ExportBudget(budget) != nil else { throw ValidationError("--budget takes a count N ≥ 1 or a percentage P% with 0 < P ≤ 100 (got '\(budget)')") }
        }
        if let t = verdictThreshold {
            guard verdicts != nil else { throw ValidationError("--verdict-threshold goes with --verdicts") }
            guard (0...1).contains(t) else { throw ValidationError("--verdict-threshold must be in [0, 1] (got \(t))") }
        }
        if (audit == nil) != (auditExport == nil) {
            throw ValidationError("--audit and --audit-export go together: --audit 200 --audit-export audit.jsonl")
        }
        if let audit, audit < 1 { throw ValidationError("--audit takes a sample size of at least 1 (got \(audit))") }
        if auditExport == "" { throw ValidationError("--audit-export is empty; name a file") }
        // Rows go to standard output when -o is absent.
        try checkOutputs([("-o", output ?? "-"), ("--summary", summary), ("--export", export), ("--audit-export", auditExport),
                          ("--manifest", manifest), ("--metrics", metrics)],
                         inputs: inputs + (modelOptions.modelPath.map { [$0] } ?? []) + (verdicts.map { [$0] } ?? []) + (rules.map { [$0] } ?? []))
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input (-) can be read only once")
        }
        try checkWritableLater([("--manifest", manifest), ("--metrics", metrics)])
    }

    func run() throws {
        Stderr.quiet = quiet
        display.apply()
        let started = Date()
        let mapping: FieldMapping
        do {
            mapping = FieldMapping(
                layout: Layout(rawValue: layout)!, idField: idField, textField: textField, conditionField: conditionField,
                conditionMap: try conditionMap.map { try FieldMapping.parseConditionMap($0) } ?? [:],
                keepFields: splitList(keepField), groupBy: splitList(groupBy))
        } catch {
            throw ValidationError("\(error)")
        }
        let ruleSet = try loadRules(rules)
        let linearModel = try modelOptions.load()
        let compiled = compileRules(ruleSet, from: rules)

        // An operand that cannot be opened, or a directory that cannot be listed, is a rejected input:
        // reported, counted, and the run goes on with every other input.
        var inputNotes: [String] = []
        var (specs, operandFaults) = try expandInputs(inputs.isEmpty ? ["-"] : inputs, outputs: [("-o", output), ("--summary", summary), ("--export", export), ("--audit-export", auditExport), ("--manifest", manifest), ("--metrics", metrics)], notes: &inputNotes)

        for note in inputNotes where !quiet { Stderr.line("afscan: note: \(note)") }
        // Every operand failed (a typo in the only input): nothing to label, so nothing is published — an
        // empty output would read as an archive without records.
        if specs.isEmpty && !operandFaults.isEmpty {
            Stderr.line("afscan: no input could be read (\(operandFaults.count) failed); nothing written")
            throw ExitCode(2)
        }
        var frameRanges: [Int: Range<Int>] = [:]
        if let shardText = shard, let k = ShardPlan.Shard(shardText) {
            let plan = ShardPlan(shard: k, specs: specs, splitting: !sequentialDecode)
            specs = plan.parts.map(\.spec)
            for (i, part) in plan.parts.enumerated() { if let f = part.frames { frameRanges[i] = f } }
            if !quiet {
                let split = plan.parts.compactMap { p in p.frames.map { "\(p.spec.displayName) frames \($0.lowerBound)..\($0.upperBound == Int.max ? "end" : String($0.upperBound - 1))" } }
                Stderr.line("afscan: shard \(k): \(plan.parts.count - split.count) whole input(s)\(split.isEmpty ? "" : ", " + split.joined(separator: ", ")); \(plan.otherInputs) input(s) belong to other shards")
            }
        }

        // Held while the run polls the flag: a signal gives it InterruptWatcher.gracePeriod to stop by itself.
        let interrupt = InterruptWatcher()
        defer { withExtendedLifetime(interrupt) {} }
        let sink: OutputSink
        do { sink = try OutputSink(path: output) } catch { fatal("\(error)") }
        let exportFile: OutputSink?
        do { exportFile = try export.map { try OutputSink(path: $0) } } catch {
            fatal("cannot write the export: \(error)")
        }
        let auditFile: OutputSink?
        do { auditFile = try auditExport.map { try OutputSink(path: $0) } } catch {
            fatal("cannot write the audit sample: \(error)")
        }
        // Open the summary file now, so an unwritable summary fails before a long run, not after it.
        let summaryFile: OutputSink?
        do { summaryFile = try summary.map { try OutputSink(path: $0, compressed: false) } } catch {
            fatal("cannot write summary: \(error)")
        }
        var options = LabelOptions(mapping: mapping, threads: threads, maxWindowLog: maxWindowLog,
                                   maxRecordBytes: min(maxRecordBytes, RecordFramer.largestRecordBytes),
                                   parallelFrames: !sequentialDecode, concurrentInputs: sequentialDecode ? 1 : 0)
        if let selectors = TriageRoute.parse(route) {
            options.route = try Self.triageRoute(selectors, ruleSet: ruleSet, model: linearModel, criteria: modelOptions.criteriaMode)
        }
        if let budget, let b = ExportBudget(budget) {
            do { options.budgetedExport = try BudgetedExport(budget: b) } catch { fatal("\(error)") }
        }
        if let audit { options.audit = AuditSample(size: audit, seed: seed) }
        var verdictProblems = 0
        if let verdicts {
            let file = readVerdictFile(verdicts, threshold: verdictThreshold ?? 0.5, maxWindowLog: maxWindowLog)
            verdictProblems = file.problems.count
            if file.verdicts.isEmpty {
                Stderr.line("afscan: --verdicts: \(verdicts) holds no valid verdict")
                throw ExitCode(2)
            }
            let fold = VerdictFold(file)
            for r in fold.refused {
                Stderr.line("afscan: --verdicts: the verdicts of \(r.label) are not folded in: \(r.why)")
                verdictProblems += 1
            }
            options.verdicts = fold
        }
        options.model = linearModel
        options.criteria = modelOptions.criteriaMode
        options.explainTerms = modelOptions.explainTermCount
        options.frameRanges = frameRanges
        let counters = ProgressCounters()
        options.progress = counters
        let run = LabelRun(ruleSet: ruleSet, compiled: compiled, options: options)
        // --format csv|tsv: the columns depend on every row, so the JSONL rows wait in a spill file.
        let flatRows: LineSpill?
        do { flatRows = format.flat == nil ? nil : try LineSpill(prefix: "afscan-rows") } catch { fatal("\(error)") }
        var exportSink: (@Sendable (UnsafeRawBufferPointer) throws -> Void)? = nil
        if let exportFile, options.budgetedExport == nil {
            exportSink = { bytes in try exportFile.write(bytes) }
        }
        let progress = display.startProgress("label", counters: counters, totalBytes: DisplayOptions.inputBytes(specs), quiet: quiet,
                                             rowsOnStandardOutput: output == nil || output == "-")
        var reportOutputs: [String: String] = ["rows": output ?? "-"]
        for (role, path) in [("summary", summary), ("export", export), ("audit_export", auditExport), ("metrics", metrics), ("manifest", manifest)] {
            if let path { reportOutputs[role] = path }
        }
        let reports = RunReportWriter(manifest: manifest, metrics: metrics, command: Array(CommandLine.arguments.dropFirst()),
                                      rulesHash: ruleSet.hash, rulesName: ruleSet.name, modelHash: linearModel?.hash,
                                      started: started, threads: options.resolvedThreads, shard: shard, specs: specs,
                                      frameRanges: frameRanges, operandFaults: operandFaults, outputs: reportOutputs)
        if reports.wanted {
            // A run blocked in read(2) when a signal comes is ended by the watchdog: it still says so.
            Interrupts.setLastWords { sig in
                try? reports.write(status: InterruptWatcher.exitCode(sig), published: false, counts: nil, summary: nil,
                                   note: "ended by the watchdog \(Int(InterruptWatcher.gracePeriod)) s after \(InterruptWatcher.name(sig)) (blocked reading or writing) after \(counters.records) records were labelled; per-input counts unknown", lastWords: true)
            }
        }
        let resumable = resume ? ResumableRun(state: resumeStateDirectory(), fingerprint: resumeFingerprint(ruleSet.hash, linearModel?.hash),
                                              chunkBytes: Int(ProcessInfo.processInfo.environment["AFSCAN_RESUME_CHUNK_BYTES"] ?? "") ?? (256 << 20)) : nil
        // Temporary files that an earlier run killed by SIGKILL (no chance to clean up) left beside our outputs.
        ResumableRun.removeStaleTemporaries(beside: [output, summary, manifest, metrics, export, auditExport].compactMap { $0 })
        let outcome: RunOutcome
        if let resumable {
            let makeRun: (LabelOptions) -> LabelRun = { LabelRun(ruleSet: ruleSet, compiled: compiled, options: $0) }
            do {
                outcome = try resumable.run(specs, baseRanges: frameRanges, makeRun: makeRun, options: options, sink: sink,
                                            groupBy: mapping.groupBy, diagnostics: { Stderr.line($0) },
                                            cancelled: { InterruptWatcher.signal != nil },
                                            note: { if !quiet { Stderr.line("afscan: note: \($0)") } })
            } catch { fatal("--resume: \(error)") }
        } else {
            outcome = run.run(
                inputs: specs,
                sink: { bytes in if let flatRows { flatRows.append(Array(bytes)) } else { try sink.write(bytes) } },
                exportSink: exportSink,
                diagnostics: { Stderr.line($0) },
                cancelled: { InterruptWatcher.signal != nil })
        }
        progress?.stop()

        func writeRunReports(status: Int32, published: Bool, summary report: LabelSinks.Summary?) {
            do { try reports.write(status: status, published: published, counts: outcome.inputs, summary: report) } catch {
                fatal("cannot write the run manifest or metrics: \(error)")
            }
        }

        if let sig = InterruptWatcher.signal {
            sink.abort()
            summaryFile?.abort()
            exportFile?.abort()
            auditFile?.abort()
            writeRunReports(status: InterruptWatcher.exitCode(sig), published: false, summary: nil)
            Stderr.line(output == nil || output == "-"
                ? "afscan: interrupted; the rows already written to standard output are incomplete"
                : resumable.map { "afscan: interrupted; no output was written; the finished parts are kept in \($0.state): rerun with the same arguments and --resume" }
                    ?? "afscan: interrupted; no output was written")
            throw ExitCode(InterruptWatcher.exitCode(sig))
        }
        if let e = outcome.sinkError { fatal("cannot write output: \(e)") }
        if let field = conditionField {
            if outcome.conditionFieldMissing > 0 {
                Stderr.line("afscan: warning: --condition-field \(field) is missing in \(outcome.conditionFieldMissing) of \(outcome.labelled) labelled records; their condition comes from other sources or is unknown")
            }
            if outcome.conditionValueUnmapped > 0 {
                Stderr.line("afscan: warning: --condition-field \(field) has values not in --condition-map in \(outcome.conditionValueUnmapped) records (e.g. \(outcome.unmappedConditionValues.map { "'\($0)'" }.joined(separator: ", "))); map them with --condition-map VALUE=training,VALUE=unmonitored")
            }
        }

        for path in outcome.summary.groupPathsNeverPresent {
            let keys = specs.lazy.map { RecordKeyPaths.firstRecord(of: $0, maxRecordBytes: maxRecordBytes, maxWindowLog: maxWindowLog) }.first { !$0.isEmpty } ?? []
            Stderr.line(groupPathAbsentWarning(path, what: "record", keysSeen: keys, where: "the first record"))
        }

        let finished = Date()
        let info = RunInfo(
            afscanVersion: AfscanVersion.string, rulesHash: ruleSet.hash,
            inputs: specs.map(\.displayName), groupBy: mapping.groupBy, started: started, finished: finished,
            threads: options.resolvedThreads, rulesName: ruleSet.name,
            inputFaults: (operandFaults + outcome.inputFaults).map(\.description))
        var shardedInfo = info
        if let shard {
            shardedInfo.shard = shard
            shardedInfo.shardOperands = SHA256.hexDigest(Data(inputs.joined(separator: "\u{1F}").utf8))
        }
        var report = outcome.summary.makeSummary(run: shardedInfo)
        report.classifierAccuracy = calibration.accuracy
        report.modelAccuracy = linearModel.flatMap(modelAccuracy)
        if let fold = options.verdicts, fold.labels.contains("af.goal_guarding"), report.modelAccuracy != nil {
            // The yes-band rate now mixes judge verdicts with model decisions: the model's TPR/FPR no longer
            // describe it, so no adjusted prevalence.
            report.modelAccuracy = nil
            if !quiet { Stderr.line("afscan: note: af.goal_guarding mixes judge verdicts and model decisions; no adjusted prevalence (see label_sources)") }
        }
        if options.verdicts?.labels.contains("af.goal_guarding") == true, calibration.accuracy != nil {
            Stderr.line("afscan: warning: af.goal_guarding holds judge verdicts on some rows; --sensitivity/--specificity describe the scorer, not the judge, so the corrected prevalence mixes the two")
        }
        // Every output is written and synced before any is published (renamed over its target): a full
        // disk or another write error in one leaves all targets as they were (fatal removes the
        // temporary files).
        var exported = outcome.exported
        if let budgeted = options.budgetedExport, let exportFile {
            do {
                let rows = try budgeted.finish(labelled: outcome.labelled)
                for row in rows { try exportFile.write(Data(row)) }
                exported = rows.count
            } catch { fatal("cannot write the export: \(error)") }
        }
        if let sample = options.audit, let auditFile {
            do { for row in sample.rows() { try auditFile.write(Data(row)) } } catch { fatal("cannot write the audit sample: \(error)") }
        }
        if let flatRows, let flat = format.flat {
            do { _ = try FlatExport.write(lines: FlatExport.lines(of: flatRows, name: output ?? "-"), format: flat, to: sink) } catch {
                fatal("cannot write output: \(error)")
            }
        }
        do { try sink.prepare() } catch { fatal("cannot write output: \(error)") }
        do { try exportFile?.prepare() } catch { fatal("cannot write the export: \(error)") }
        do { try auditFile?.prepare() } catch { fatal("cannot write the audit sample: \(error)") }
        if let summaryFile {
            do {
                try summaryFile.write(try report.jsonData())
                try summaryFile.prepare()
            } catch { fatal("cannot write summary: \(error)") }
        }
        // A signal during the writing above: publish nothing (the renames below are quick).
        if let sig = InterruptWatcher.signal {
            TemporaryOutputs.removeAll()
            writeRunReports(status: InterruptWatcher.exitCode(sig), published: false, summary: report)
            Stderr.line("afscan: interrupted; no output was written")
            throw ExitCode(InterruptWatcher.exitCode(sig))
        }
        Interrupts.beginFinalCommit()
        do { try sink.publish() } catch { fatal("cannot write output: \(error)") }
        do { try exportFile?.publish() } catch { fatal("cannot write the export: \(error)") }
        do { try auditFile?.publish() } catch { fatal("cannot write the audit sample: \(error)") }
        do { try summaryFile?.publish() } catch { fatal("cannot write summary: \(error)") }
        resumable?.finish()
        if let exportFile, !quiet {
            let budgetText = options.budgetedExport.map { " (\($0.routed) routed, --budget \($0.budget))" } ?? ""
            Stderr.line("afscan: exported \(exported) of \(outcome.labelled) labelled records for a judge (--route \(route.joined(separator: ",")))\(budgetText) to \(exportFile.filePath ?? "standard output")")
        }
        if let auditFile, let sample = options.audit, !quiet {
            Stderr.line("afscan: audit sample of \(min(sample.size, outcome.labelled)) labelled records (seed \(sample.seed)) to \(auditFile.filePath ?? "standard output")")
        }
        if let fold = options.verdicts {
            for line in fold.reportLines { Stderr.line("afscan: \(line)") }
            if fold.matched == 0 { Stderr.line("afscan: warning: no verdict in \(verdicts ?? "") matched a record (matched by id, else by source file and record number: docs/VERDICTS.md)") }
        }
        if !quiet { Stderr.write(report.renderTable()) }
        if outcome.records != outcome.labelled + outcome.rejected {
            fatal("internal error: records in (\(outcome.records)) != labelled (\(outcome.labelled)) + rejected (\(outcome.rejected))")
        }
        let status: Int32 = outcome.rejected > 0 || !outcome.inputFaults.isEmpty || !operandFaults.isEmpty || verdictProblems > 0 ? 1 : 0
        writeRunReports(status: status, published: true, summary: report)
        if status != 0 { throw ExitCode(status) }
    }
}

extension Label {
    /// `--state`, or `.NAME.afscan-state` beside the `-o` file NAME (hidden, so a directory walk of the
    /// output's folder never takes it as input).
    func resumeStateDirectory() -> String {
        if let state { return state }
        let url = URL(fileURLWithPath: output ?? "rows")
        return url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".afscan-state").path
    }

    /// What a finished part must match to be reused: afscan's version, the rules and model hashes, and
    /// every argument that shapes the rows (outputs, display and threads aside).
    func resumeFingerprint(_ rulesHash: String, _ modelHash: String?) -> String {
        let neutral: Set<String> = ["-o", "--output", "--summary", "--manifest", "--metrics", "--state", "-j", "--threads",
                                    "--progress", "--color", "--max-window-log"]
        let flags: Set<String> = ["-q", "--quiet", "--resume", "--sequential-decode"]
        var kept: [String] = []
        var args = Array(CommandLine.arguments.dropFirst())[...]
        while let a = args.popFirst() {
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if flags.contains(name) { continue }
            if neutral.contains(name) {
                if !a.contains("=") { _ = args.popFirst() }
                continue
            }
            kept.append(a)
        }
        let text = ([AfscanVersion.string, rulesHash, modelHash ?? "none"] + kept).joined(separator: "\u{1F}")
        return SHA256.hexDigest(Data(text.utf8))
    }
}

/// A dotted path: non-empty components separated by single dots.
func isDottedPath(_ s: String) -> Bool {
    !s.isEmpty && !s.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
}

/// True when `a` and `b` name the same file: the same text, the same path once every symlink is
/// resolved (a missing last component is kept as it is), or the same existing file (device and inode).
func samePath(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    func resolved(_ p: String) -> String {
        let p = AtomicOutputFile.followingSymlinks(p)
        if let r = realpath(p, nil) { defer { free(r) }; return String(cString: r) }
        let url = URL(fileURLWithPath: p)
        let dir = url.deletingLastPathComponent().resolvingSymlinksInPath().path
        return dir + "/" + url.lastPathComponent
    }
    if resolved(a) == resolved(b) { return true }
    var sa = stat(), sb = stat()
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
}

func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// True when `path` (symlinks followed, also a dangling last one) lies below `directory` (resolved) at
/// any depth.
func isInside(_ path: String, directory: String) -> Bool {
    guard let d = realpath(directory, nil) else { return false }
    defer { free(d) }
    let root = String(cString: d)
    let target = AtomicOutputFile.followingSymlinks(path)
    let url = URL(fileURLWithPath: target)
    let parent = url.deletingLastPathComponent().path
    guard let p = realpath(parent, nil) else { return false }
    defer { free(p) }
    let resolvedParent = String(cString: p)
    return resolvedParent == root || resolvedParent.hasPrefix(root == "/" ? "/" : root + "/")
}

/// Refuses outputs that would overwrite an input or each other, or land inside a directory operand (usage error, before anything runs).
/// `outputs` are (flag, path or nil); `-` (standard output) may be named by one output only.
/// - Throws: `ValidationError` naming the flags and the path.
func checkOutputs(_ outputs: [(flag: String, path: String?)], inputs: [String]) throws {
    let named = outputs.compactMap { o in o.path.map { (flag: o.flag, path: $0) } }
    for (i, o) in named.enumerated() {
        if o.path == "-" {
            if let other = named[..<i].first(where: { $0.path == "-" }) {
                throw ValidationError("\(other.flag) and \(o.flag) both name standard output (-)")
            }
            continue
        }
        if let input = inputs.first(where: { $0 != "-" && samePath($0, o.path) }) {
            throw ValidationError("\(o.flag) \(o.path) is also an input (\(input)); it would be replaced")
        }
        if let directory = inputs.first(where: { $0 != "-" && isDirectory($0) && isInside(o.path, directory: $0) }) {
            throw ValidationError("\(o.flag) \(o.path) is inside the input directory \(directory): it could replace an input there, and a later run would read it as one; write it elsewhere")
        }
        if let other = named[..<i].first(where: { $0.path != "-" && samePath($0.path, o.path) }) {
            throw ValidationError("\(other.flag) and \(o.flag) name the same file (\(o.path)); one would replace the other")
        }
    }
}

/// The warning for a `--group-by` path that no row or record has: every row is then in group `-`.
/// `keysSeen` are the dotted paths that do exist (found in `where`), listed so the typo shows.
func groupPathAbsentWarning(_ path: String, what: String, keysSeen: [String], where place: String) -> String {
    let seen = keysSeen.isEmpty ? "" : "; paths in \(place): \(keysSeen.joined(separator: ", "))"
    return "afscan: warning: --group-by \(path): no \(what) has this path, so every row is in group '-'\(seen)"
}

/// The comma-separated items of every occurrence of a repeatable option, in order, duplicates dropped
/// (`--group-by a,b --group-by c` is `[a, b, c]`).
func splitList(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.flatMap { $0.split(separator: ",") }
        .map { String($0).trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && seen.insert($0).inserted }
}

/// Loads `path` or the built-in rules; invalid rules are fatal (exit 2).
func loadRules(_ path: String?) throws -> RuleSet {
    do {
        if let path { return try RuleSetLoader.load(contentsOf: path) }
        return try RuleSetLoader.load(yaml: DefaultRules.yaml)
    } catch {
        fatal("invalid rules\(path.map { " in " + $0 } ?? ""): \(error)")
    }
}

/// Compiles `ruleSet` (loaded from `path`, nil for the built-in rules); a pattern Vectorscan refuses is
/// fatal (exit 2), the message naming the rule file like the loader's errors do.
func compileRules(_ ruleSet: RuleSet, from path: String?) -> CompiledRules {
    do { return try CompiledRules(ruleSet) } catch {
        fatal("invalid rules\(path.map { " in " + $0 } ?? ""): \(error)")
    }
}

/// Prints `afscan: message`, removes every temporary output (`TemporaryOutputs`) and exits 2 (fatal).
func fatal(_ message: String) -> Never {
    TemporaryOutputs.removeAllBeforeExit()
    Stderr.line("afscan: \(message)")
    Foundation.exit(2)
}

/// Loads a model file for `--model`; a file that is not a valid model ends the run with exit 2 and a
/// message naming the file.
func loadModel(_ path: String) throws -> LinearModel {
    do {
        return try LinearModel(try ModelFile.load(path: path), source: path)
    } catch {
        Stderr.line("afscan: \(error)")
        throw ExitCode(2)
    }
}

/// The model's out-of-fold sensitivity and specificity at the `yes` band of its `af.goal_guarding` target
/// (leave-one-file-out when it was trained on several files, else k-fold), for the summary's adjusted
/// prevalence; nil when it has no such target.
func modelAccuracy(_ model: LinearModel) -> (accuracy: ClassifierAccuracy, modelHash: String)? {
    guard let t = model.file.targets.first(where: { $0.label == "af.goal_guarding" }) else { return nil }
    // Leave-one-file-out rates when the model was trained on several files: they transfer to a new source;
    // the k-fold rates are measured within the training files' own distribution.
    let s = t.outOfFold
    let tpr = s.tprYesLeaveOneFileOut ?? s.tprYes, fpr = s.fprYesLeaveOneFileOut ?? s.fprYes
    guard let a = ClassifierAccuracy(sensitivity: tpr, specificity: 1 - fpr) else { return nil }
    return (a, model.hash)
}

extension Label {
    /// The route of `selectors` with each label's `yes` threshold; a label name the run cannot produce is a
    /// usage error listing the names it can.
    static func triageRoute(_ selectors: [TriageRoute.Selector], ruleSet: RuleSet, model: LinearModel?,
                            criteria: CriteriaMode) throws -> TriageRoute {
        var thresholds: [String: Double] = [:]
        // With --criteria none only the output rules run next to the model.
        let outputOnly = model != nil && criteria == .none
        var known = outputOnly ? Array(RecordLabeler.outputRuleLabels) : ScoringLabels.order + ruleSet.rules.map(\.label)
        for name in known { thresholds[name] = ruleSet.band(for: name).yes }
        if let model {
            for t in model.file.targets {
                thresholds[t.label + "_rules"] = thresholds[t.label] ?? Band.criterionDefault.yes
                thresholds[t.label] = t.bands.yes
                known += outputOnly ? [t.label] : [t.label, t.label + "_rules"]
            }
        }
        let route = TriageRoute(selectors: selectors, yesThresholds: thresholds)
        let knownSet = Set(known)
        for name in route.labelNames where !knownSet.contains(name) {
            let names = knownSet.filter { !$0.hasPrefix("ctx.") }.sorted().joined(separator: ", ")
            throw ValidationError("--route: no row can have the label '\(name)'\(outputOnly ? " with --criteria none" : ""); labels of this run: \(names) (or yes, maybe, all)")
        }
        if model != nil && criteria == .candidates {
            let modelLabels = Set(model!.file.targets.map(\.label))
            for name in route.labelNames where !modelLabels.contains(name) && !RecordLabeler.outputRuleLabels.contains(name) {
                Stderr.line("afscan: note: --route \(name): with --criteria candidates this label is computed only on the model's yes/maybe records, so only those can be routed by it (--criteria all computes it everywhere)")
            }
        }
        return route
    }
}
