import AfscanCore
import ArchiveIO
import ArgumentParser
import Foundation
import LabelPipeline
import LabelSinks
import TokenModel

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the per-run summary (rates, compliance gap, intervals) from label files.",
        discussion: "Group-by paths are dotted paths into the label rows, e.g. fields.metadata.environment or condition."
    )

    @Argument(help: "Label files written by `afscan label` (plain or .zst), or - for stdin.")
    var labels: [String] = []

    @Option(name: .customLong("group-by"), help: ArgumentHelp("Comma-separated dotted paths into the rows (e.g. fields.model); repeat to add more.", valueName: "paths"))
    var groupBy: [String] = []

    @Option(name: .customLong("pair-by"), help: ArgumentHelp("Dotted path into the rows that identifies the prompt (e.g. fields.user_input, kept with label --keep-field): adds `pairs` to the summary: the prompts seen in both conditions and af_consistent over them (LABELS.md pair.af_consistent).", valueName: "path"))
    var pairBy: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Write the summary here (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("json (the summary JSON; the table also goes to stderr), text (the table), csv (one row per group: counts, rates, intervals, gaps) or markdown.", valueName: "format"))
    var format: SummaryFormat = .json

    @Flag(name: [.short, .long], help: "No table on stderr.")
    var quiet = false

    @OptionGroup var calibration: CalibrationOptions

    @Option(help: ArgumentHelp("The model that made the rows (a model file, or default), for the adjusted AF prevalence; by default the built-in model when the rows' model_hash is its hash. A model whose hash differs from the rows' is an error.", valueName: "model"))
    var model: String?

    func validate() throws {
        if labels.isEmpty { throw ValidationError("name at least one label file (or - for stdin)") }
        try checkOutputs([("--output", output)], inputs: labels + (model.flatMap { ["default", "none"].contains($0) ? nil : [$0] } ?? []))
    }

    func run() throws {
        Stderr.quiet = quiet
        let started = Date()
        let groups = splitList(groupBy)
        var acc = SummaryAccumulator(groupBy: groups)
        var pairs = pairBy.map { PairAccumulator(path: $0) }
        var bad = 0
        var rulesHashes = Set<String>()
        var modelHashes = Set<String>()
        var rowsWithoutModel = 0
        var notes: [String] = []
        let (specs, faults) = try expandInputs(labels, outputs: [("--output", output)], notes: &notes)
        bad += faults.count
        var firstRow: [String: Any]?
        bad += readLabelRows(specs, groupBy: groups) { _, obj, row in
            if firstRow == nil { firstRow = obj }
            if let h = obj["rules_hash"] as? String { rulesHashes.insert(h) }
            if let h = obj["model_hash"] as? String { modelHashes.insert(h) } else if obj["status"] as? String == "ok" { rowsWithoutModel += 1 }
            acc.add(row)
            pairs?.add(labelRowJSON: obj)
        }
        for path in acc.groupPathsNeverPresent {
            Stderr.line(groupPathAbsentWarning(path, what: "row", keysSeen: firstRow.map(Self.rowPaths) ?? [], where: "the first row"))
        }
        if let p = pairs, p.labelledRows > 0, p.rowsWithKey == 0 {
            let seen = firstRow.map(Self.rowPaths) ?? []
            Stderr.line("afscan: warning: --pair-by \(p.path): none of the \(p.labelledRows) labelled rows has this path, so no prompt is paired"
                        + (seen.isEmpty ? "" : "; paths in the first row: \(seen.joined(separator: ", "))")
                        + " (keep the prompt with label --keep-field)")
        }
        let info = RunInfo(afscanVersion: AfscanVersion.string, rulesHash: rulesHashes.count == 1 ? rulesHashes.first : nil,
                           inputs: specs.map(\.displayName), groupBy: groups, started: started,
                           finished: Date(), threads: 1)
        var report = acc.makeSummary(run: info)
        report.pairs = pairs?.makeSummary()
        report.classifierAccuracy = calibration.accuracy
        report.modelAccuracy = try rowModelAccuracy(modelHashes)
        if report.modelAccuracy != nil && rowsWithoutModel > 0 {
            report.modelAccuracy = nil
            Stderr.line("afscan: note: \(rowsWithoutModel) labelled rows carry no model_hash (labelled with --model none): the model's TPR/FPR do not describe them, so no adjusted prevalence")
        }
        let judged = report.groups.reduce(0) { $0 + ($1.labelSources["af.goal_guarding"]?["judge"] ?? 0) }
        if judged > 0 {
            if report.modelAccuracy != nil {
                report.modelAccuracy = nil
                Stderr.line("afscan: note: \(judged) rows hold a judge's verdict as af.goal_guarding: the yes-band rate mixes judge verdicts and model decisions, so no adjusted prevalence (see label_sources)")
            }
            if report.classifierAccuracy != nil {
                Stderr.line("afscan: warning: \(judged) rows hold a judge's verdict as af.goal_guarding; --sensitivity/--specificity describe the scorer, not the judge, so the corrected prevalence mixes the two")
            }
        }
        if rulesHashes.count > 1 { Stderr.line("afscan: warning: the label files come from \(rulesHashes.count) different rule sets") }
        if report.totals.records == 0 && bad > 0 {
            Stderr.line("afscan: no label rows were read; no summary written")
            throw ExitCode(1)
        }
        let data = try format.render(report)
        do { try writeAtomically(data, to: output ?? "-") } catch { fatal("cannot write summary: \(error)") }
        if !quiet {
            // The text and markdown formats are the table itself; csv is for tools: no second copy on stderr.
            if format == .json { Stderr.write(report.renderTable()) }
            if let p = report.pairs {
                let rate = p.afConsistent.rate.map { String(format: "%.1f%%", 100 * $0) } ?? "n/a"
                Stderr.line("pairs by \(p.pairBy): \(p.promptsInBothConditions) of \(p.prompts) prompts in both conditions; AF consistent \(p.afConsistent.k)/\(p.afConsistent.n) (\(rate))")
                if p.prompts > 0 && p.promptsInBothConditions == 0 {
                    Stderr.line("afscan: warning: no prompt key of --pair-by \(p.pairBy) occurs in both conditions; keep the prompt with label --keep-field")
                }
            }
        }
        if bad > 0 { throw ExitCode(1) }
    }
}

/// Reads the label rows of `specs` in order, calling `body` with each row's line (without its newline),
/// the parsed row and its `SummaryRow`;
/// returns the number of problems (input faults, lines that are not label rows, files that are not label
/// files), each already reported on stderr. Lines that are not label rows are held back until their file
/// shows a label row: a file whose first 20 lines are all such (transcripts given to `summary`) gets
/// one hint to run `label` first (then `command` on the rows), not a message per record.
func readLabelRows(_ specs: [InputSpec], groupBy groups: [String], command: String = "summary", _ body: (_ line: Data, [String: Any], SummaryRow) -> Void) -> Int {
    var bad = 0
    for spec in specs {
        var held: [Int] = []
        var rowsInFile = 0
        do {
            let reader = try InputReader(spec, maxWindowLog: 31)
            var lineNo = 0
            try forEachLine(reader) { line in
                lineNo += 1
                guard !line.isEmpty else { return }
                guard let obj = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
                      let row = SummaryRow(labelRowJSON: obj, groupBy: groups) else {
                    if rowsInFile == 0 {
                        held.append(lineNo)
                        if held.count == 20 { throw NotALabelFile() }
                        return
                    }
                    bad += 1
                    if bad <= 20 { Stderr.line("afscan: \(spec.displayName): line \(lineNo): not a label row; skipped") }
                    return
                }
                if rowsInFile == 0 {
                    for n in held {
                        bad += 1
                        if bad <= 20 { Stderr.line("afscan: \(spec.displayName): line \(n): not a label row; skipped") }
                    }
                    held = []
                }
                rowsInFile += 1
                body(line, obj, row)
            }
            if rowsInFile == 0 && !held.isEmpty { throw NotALabelFile() }
        } catch is NotALabelFile {
            bad += 1
            Stderr.line("afscan: \(spec.displayName): not a label file (its first lines are not label rows: they have no \"status\"); if it holds transcripts, label it first: afscan label \(spec.displayName) -o labels.jsonl, then afscan \(command) labels.jsonl")
        } catch {
            Stderr.line("afscan: \(error)")
            bad += 1
        }
    }
    return bad
}

/// The JSON object in `path` when it is a summary (one JSON object with `groups` and `totals`, as
/// `label --summary` and `afscan summary` write it); nil for standard input, label rows, or anything else.
/// `merge` and `compare` tell summaries from label rows with it.
func summaryJSON(at path: String) -> [String: Any]? {
    guard path != "-", let data = try? Data(contentsOf: URL(fileURLWithPath: path)), data.first == UInt8(ascii: "{"),
          let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
          object["groups"] != nil, object["totals"] != nil else { return nil }
    return object
}

/// Thrown inside the line loop to stop reading a file whose first lines are not label rows.
private struct NotALabelFile: Error {}

extension Summary {
    /// The dotted paths of a label row that `--group-by` can name: its scalar top-level keys and the
    /// paths under `fields` and `source` (label entries and evidence are not group keys).
    static func rowPaths(_ row: [String: Any]) -> [String] {
        func walk(_ object: [String: Any], _ prefix: String, _ depth: Int) -> [String] {
            object.keys.sorted().flatMap { key -> [String] in
                let path = prefix + key
                if let inner = object[key] as? [String: Any], depth > 1 { return walk(inner, path + ".", depth - 1) }
                return [path]
            }
        }
        var paths = row.keys.sorted().filter { !(row[$0] is [String: Any]) && !(row[$0] is [Any]) }
        for key in ["source", "fields"] {
            if let inner = row[key] as? [String: Any] { paths += walk(inner, key + ".", 3) }
        }
        return Array(paths.prefix(40))
    }
}

/// Calls `body` with each `\n`-terminated line (without the newline) of the decoded input.
func forEachLine(_ reader: InputReader, _ body: (Data) throws -> Void) throws {
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    var carry = Data()
    while true {
        let n = try buf.withUnsafeMutableBytes { try reader.read(into: $0) }
        if n == 0 { break }
        var start = 0
        for i in 0..<n where buf[i] == UInt8(ascii: "\n") {
            carry.append(contentsOf: buf[start..<i])
            try body(carry)
            carry.removeAll(keepingCapacity: true)
            start = i + 1
        }
        carry.append(contentsOf: buf[start..<n])
    }
    if !carry.isEmpty { try body(carry) }
}

extension Summary {
    /// The adjusted-prevalence inputs for rows made with one model: that of `--model`, or the built-in
    /// model's when the rows carry its hash. Rows of several models, or a `--model` whose hash is not
    /// the rows', get no adjusted prevalence (with a message; the latter is a usage error).
    func rowModelAccuracy(_ hashes: Set<String>) throws -> (accuracy: ClassifierAccuracy, modelHash: String)? {
        try modelAccuracy(forRowsOf: hashes, model: model)
    }
}

/// The adjusted-prevalence inputs for rows (or shard summaries) made with one model: those of `model`
/// (`--model FILE|default`), or the built-in model's when the rows carry its hash. Rows of several
/// models get none (with a warning); a `--model` whose hash is not the rows' is a usage error.
func modelAccuracy(forRowsOf hashes: Set<String>, model: String?) throws -> (accuracy: ClassifierAccuracy, modelHash: String)? {
    if hashes.count > 1 {
        Stderr.line("afscan: warning: the rows come from \(hashes.count) different models; no adjusted prevalence")
        return nil
    }
    guard let rowsHash = hashes.first else {
        if model != nil { throw ValidationError("--model: the rows carry no model_hash (they were labelled with --model none)") }
        return nil
    }
    let candidate: LinearModel
    if let model {
        guard let m = try ModelOptions(model: model).load() else { return nil }
        candidate = m
        guard candidate.hash == rowsHash else {
            throw ValidationError("--model \(model) has model_hash \(candidate.hash.prefix(12))…, the rows were made by \(rowsHash.prefix(12))…")
        }
    } else {
        guard let m = try? DefaultModel.load(), m.hash == rowsHash else {
            Stderr.line("afscan: note: the rows were made by model \(rowsHash.prefix(12))…; give it with --model for the adjusted prevalence")
            return nil
        }
        candidate = m
    }
    return modelAccuracy(candidate)
}
