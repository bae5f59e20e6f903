import ArchiveIO
import ArgumentParser
import Foundation
import LabelPipeline
import LabelSinks
import RunReports
import Scratchpad

struct Follow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow a running job: label lines as they are appended to JSONL files (and new files in directories), keep rates per step, alert on drift.",
        discussion: """
        Follows plain JSONL files (compressed files cannot be read while they are written: label them with \
        afscan label once complete). A partial last line is held until its newline arrives; a truncated or \
        replaced file is noticed and read again from its start. Rows are appended to -o (whole rows, synced \
        per batch); the state file records how far each input and the output are complete, so a restarted \
        follow goes on where it stopped. Every --interval the summary (grouped by --step-field and --group-by) \
        is rewritten atomically and the alerts are evaluated. SIGINT/SIGTERM stop it cleanly (exit 0).
        """
    )

    @Argument(help: "JSONL files or directories to follow (directories: new *.jsonl / *.ndjson files are picked up).")
    var inputs: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("Append label rows here (JSONL).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Rewrite the summary JSON here every --interval (atomically).", valueName: "file"))
    var summary: String?

    @Option(help: ArgumentHelp("Write the metrics (Prometheus text format) here every --interval, with afscan_alerts_total{rule}.", valueName: "file"))
    var metrics: String?

    @Option(help: ArgumentHelp("The follow state (default: .NAME.afscan-follow.json beside the -o file NAME).", valueName: "file"))
    var state: String?

    @Option(name: .customLong("step-field"), help: ArgumentHelp("Dotted path of the training step in the records: rates are kept per step (and condition).", valueName: "path"))
    var stepField: String?

    @Option(name: .customLong("group-by"), help: ArgumentHelp("More dotted paths of the records to group by; repeat to add more.", valueName: "paths"))
    var groupBy: [String] = []

    @Option(name: .customLong("alert"), help: ArgumentHelp("A threshold on a summary rate: '[CONDITION.]RATE OP VALUE', e.g. 'af_goal_guarding > 0.2' or 'training.refusal < 0.5'; repeat for more.", valueName: "rule"))
    var alerts: [String] = []

    @Option(name: .customLong("rise"), help: ArgumentHelp("Alert when this rate of a step rises significantly above the first --baseline-steps steps (one-sided, --alpha, Bonferroni over every look); needs --step-field.", valueName: "rate"))
    var rises: [String] = []

    @Option(name: .customLong("baseline-steps"), help: "Steps that make the baseline of --rise.")
    var baselineSteps = 1

    @Option(help: "Family-wise level of the --rise test over the whole run.")
    var alpha = 0.05

    @Option(name: .customLong("alert-min-rows"), help: "A group needs this many rows before an alert can fire for it.")
    var alertMinRows = 20

    @Option(help: "Seconds between summaries (and alert checks).")
    var interval = 10.0

    @Option(help: "Seconds between looks at the inputs.")
    var poll = 1.0

    @Flag(help: "One look, one summary, then exit (for cron and tests).")
    var once = false

    @Flag(name: [.short, .long], help: "No notes on stderr.")
    var quiet = false

    @Option(help: "Rules file (default: built-in).")
    var rules: String?

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var fields: RecordFieldOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name the JSONL files or directories to follow") }
        if inputs.contains("-") { throw ValidationError("follow reads files it can return to; standard input cannot be followed (pipe it to afscan label -)") }
        guard let output, output != "-" else { throw ValidationError("-o FILE is required: follow appends rows to it") }
        for a in alerts where FollowAlerts.Threshold(a) == nil {
            throw ValidationError("--alert '\(a)' is not '[CONDITION.]RATE OP VALUE' (e.g. 'af_goal_guarding > 0.2')")
        }
        if !rises.isEmpty && stepField == nil { throw ValidationError("--rise compares steps: name the step with --step-field") }
        guard interval > 0, poll > 0, alpha > 0, alpha < 1, baselineSteps >= 1 else {
            throw ValidationError("--interval and --poll must be positive, --alpha in (0, 1), --baseline-steps at least 1")
        }
        try checkOutputs([("-o", output), ("--summary", summary), ("--metrics", metrics), ("--state", state)], inputs: inputs)
        try checkWritableLater([("-o", output), ("--summary", summary), ("--metrics", metrics), ("--state", state)])
    }

    struct State: Codable {
        var schema = "afscan.follow-state/v1"
        var outputBytes: Int64 = 0
        var inputs: [AppendedLines] = []
        var alertsFired: [String: Int] = [:]
        /// FollowAlerts' memory: which rule fired for which group, and the looks taken (Bonferroni m).
        var alertKeys: [String] = []
        var looks = 0
    }

    func run() throws {
        Stderr.quiet = quiet
        let interrupt = InterruptWatcher()
        defer { withExtendedLifetime(interrupt) {} }
        let output = self.output!
        let statePath = state ?? {
            let url = URL(fileURLWithPath: output)
            return url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".afscan-follow.json").path
        }()
        let groups = (stepField.map { [$0] } ?? []) + splitList(groupBy)
        // The group values are kept in the rows (fields.PATH), so a restart rebuilds the summary from them.
        let mapping = fields.mapping(keepFields: groups, groupBy: groups)
        let ruleSet = try loadRules(rules)
        var options = LabelOptions(mapping: mapping, threads: 1)
        options.model = try modelOptions.load()
        options.criteria = modelOptions.criteriaMode
        options.explainTerms = modelOptions.explainTermCount
        let labeler = LineLabeler(run: LabelRun(ruleSet: ruleSet, compiled: compileRules(ruleSet, from: rules), options: options))

        // The state says how far the output is complete: rows after that (a crash between the append and
        // the state's rename) are cut off, since their inputs will be read again.
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var st = (try? decoder.decode(State.self, from: Data(contentsOf: URL(fileURLWithPath: statePath)))) ?? State()
        if !FileManager.default.fileExists(atPath: output) { FileManager.default.createFile(atPath: output, contents: nil) }
        guard let out = FileHandle(forUpdatingAtPath: output) else { fatal("cannot open \(output) for appending") }
        let size = Int64((try? out.seekToEnd()) ?? 0)
        if size < st.outputBytes {
            Stderr.line("afscan: \(output) is shorter (\(size) bytes) than the state says (\(st.outputBytes)): starting over from empty inputs")
            st = State()
        }
        try out.truncate(atOffset: UInt64(st.outputBytes))
        try out.seekToEnd()
        var acc = SummaryAccumulator(groupBy: groups)
        if st.outputBytes > 0 {
            _ = readLabelRows([InputSpec(path: output)], groupBy: groups.map { "fields." + $0 }) { _, _, row in acc.add(row) }
        }
        var alerter = FollowAlerts(thresholds: alerts.compactMap(FollowAlerts.Threshold.init), rises: rises,
                                   stepIndex: stepField == nil ? nil : 0, baselineSteps: baselineSteps, alpha: alpha, minRows: alertMinRows,
                                   looks: st.looks, fired: Set(st.alertKeys))
        let started = Date()
        var lastSummary = Date.distantPast
        var warnedCompressed = Set<String>()
        while true {
            // New files in the followed directories, then what was appended to every file.
            var notes: [String] = [], faults: [ArchiveError] = []
            for spec in InputEnumerator.expand(inputs, notes: &notes, faults: &faults) {
                guard let path = spec.path else { continue }
                guard path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") || inputs.contains(path) else {
                    if warnedCompressed.insert(path).inserted && !quiet {
                        Stderr.line("afscan: note: \(path) is not followed (a compressed or .json file cannot be read while it is written); label it with afscan label once complete")
                    }
                    continue
                }
                if !st.inputs.contains(where: { $0.path == path }) { st.inputs.append(AppendedLines(path: path)) }
            }
            var wrote = false
            for i in st.inputs.indices {
                while InterruptWatcher.signal == nil, let chunk = st.inputs[i].take() {
                    if let why = chunk.restarted { Stderr.line("afscan: \(st.inputs[i].path): \(why); reading it again from the start") }
                    if chunk.bytes.isEmpty { break }
                    var rows: [UInt8] = []
                    _ = labeler.label(chunk, file: st.inputs[i].path, rows: &rows, summary: &acc)
                    try out.write(contentsOf: rows)
                    try out.synchronize()
                    st.outputBytes += Int64(rows.count)
                    wrote = true
                }
            }
            if wrote { try saveState(st, to: statePath) }
            let stopping = InterruptWatcher.signal != nil
            if once || stopping || Date().timeIntervalSince(lastSummary) >= interval {
                lastSummary = Date()
                let info = RunInfo(afscanVersion: AfscanVersion.string, rulesHash: ruleSet.hash, inputs: st.inputs.map(\.path),
                                   groupBy: groups, started: started, finished: Date(), threads: 1, rulesName: ruleSet.name)
                let report = acc.makeSummary(run: info)
                for alert in alerter.evaluate(report) {
                    Stderr.line("afscan: alert: \(alert.message)")
                    st.alertsFired[alert.rule, default: 0] += 1
                }
                st.alertKeys = alerter.fired.sorted()
                st.looks = alerter.looks
                try saveState(st, to: statePath)
                if let summary { try writeAtomically(try report.jsonData(), to: summary) }
                if let metrics {
                    let manifest = RunManifest(command: Array(CommandLine.arguments.dropFirst()), afscanVersion: AfscanVersion.string,
                                               rulesHash: ruleSet.hash, rulesName: ruleSet.name, modelHash: options.model?.hash,
                                               started: started, finished: Date(), threads: 1, shard: nil,
                                               inputs: [], rejectedByReason: report.totals.rejectedByReason, outputs: ["rows": output],
                                               exitStatus: 0, published: true)
                    try writeAtomically(Data(RunMetrics.render(manifest, summary: report, alerts: st.alertsFired).utf8), to: metrics)
                }
            }
            if once { return }
            if stopping {
                if !quiet { Stderr.line("afscan: follow stopped (\(InterruptWatcher.name(InterruptWatcher.signal!))); state saved in \(statePath)") }
                return
            }
            var slept = 0.0
            while slept < poll && InterruptWatcher.signal == nil {
                usleep(50_000)
                slept += 0.05
            }
        }
    }

    private func saveState(_ st: State, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try writeAtomically(try encoder.encode(st), to: path)
    }
}
