import AfscanCore
import ArchiveIO
import ArgumentParser
import Foundation
import SampleView
import Scratchpad

/// `afscan show LABELS…`: one sample's scratchpad and output with its evidence highlighted, its labels and
/// the model terms that drove its AF score.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show samples of label files: scratchpad and output with evidence highlighted, labels, and the model terms behind the AF score.",
        discussion: """
        The record is found through the row's source (file, record number, byte offset) and re-extracted as \
        `label` does: give the same --layout/--text-field/--id-field the rows were made with, and --root DIR \
        when the inputs moved. Highlights: [[…]] evidence, [-…-] counter-evidence, {{…}} n-grams that raised \
        the AF score, {-…-} n-grams that lowered it (colours on a terminal). Control characters and escape \
        sequences of transcripts are shown escaped (\\u{1B}).
        """
    )

    @Argument(help: "Label files written by `afscan label` (plain or .zst), or - for stdin.")
    var labels: [String] = []

    @Option(help: ArgumentHelp("Show the rows with this id.", valueName: "id"))
    var id: String?

    @Option(help: ArgumentHelp("Show record N of input FILE (the row's source.file, its tail, or its base name).", valueName: "file:n"))
    var record: String?

    @Option(help: ArgumentHelp("Show the N labelled rows with the highest --by score.", valueName: "n"))
    var top: Int?

    @Option(help: ArgumentHelp("With --top: the label to rank by (default af.goal_guarding).", valueName: "label"))
    var by: String?

    @Option(help: "Output format: text, markdown or json (one JSON object per sample and line).")
    var format: String = "text"

    @Option(help: "Colour highlights: auto (when stdout is a terminal and NO_COLOR is unset or empty), always or never.")
    var color: DisplayOptions.ColorMode = .auto

    @OptionGroup var source: SampleSourceOptions

    func validate() throws {
        if labels.isEmpty { throw ValidationError("name a label file (written by afscan label), then --id ID, --record FILE:N or --top N") }
        let selectors = [id != nil, record != nil, top != nil].filter { $0 }.count
        if selectors == 0 { throw ValidationError("say which sample to show: --id ID, --record FILE:N or --top N [--by LABEL]") }
        if selectors > 1 { throw ValidationError("--id, --record and --top each choose the samples; give one of them") }
        if by != nil && top == nil { throw ValidationError("--by ranks the --top rows; give --top N too") }
        if let top, top < 1 { throw ValidationError("--top takes a count of at least 1 (got \(top))") }
        if let record, RecordSelector(record) == nil { throw ValidationError("--record takes FILE:N with N ≥ 1, e.g. runs/a.jsonl.zst:114 (got '\(record)')") }
        guard ShowFormat(rawValue: format) != nil else { throw ValidationError("--format must be text, markdown or json (got '\(format)')") }
        if labels.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let byLabel = by ?? "af.goal_guarding"
        var selection = RowSelection(id: id, record: record.flatMap(RecordSelector.init), top: top, by: byLabel)
        var notes: [String] = []
        let (specs, faults) = try expandInputs(labels, outputs: [], notes: &notes)
        let problems = faults.count + readLabelRows(specs, groupBy: [], command: "show") { _, obj, _ in
            if let row = SampleRow(json: obj) { selection.offer(row) }
        }
        let rows = selection.rows
        guard !rows.isEmpty else {
            Stderr.line("afscan: \(selection.nothingFoundMessage(in: specs.isEmpty ? labels : specs.map(\.displayName)))")
            throw ExitCode(1)
        }
        // The model terms highlighted are those of the label ranked by (--top --by), else of the AF label.
        let shown = source.locator.show(rows, modelLabel: top != nil ? byLabel : "af.goal_guarding")
        // The same rule as stderr's colour (no-color.org), applied to stdout, where show writes.
        let colour = Colour.decide(color, stderrIsTerminal: isatty(1) != 0, environment: ProcessInfo.processInfo.environment)
        var renderer = ShowRenderer(format: ShowFormat(rawValue: format)!, colour: colour)
        renderer.modelLabel = top != nil ? byLabel : "af.goal_guarding"
        var out = ""
        for (i, sample) in shown.enumerated() { out += renderer.render(sample, index: i + 1, of: shown.count) }
        writeToStandardOutput(Data(out.utf8))
        // A text that could be shown but was not (input moved or changed) is an error; a row read from
        // standard input or a rejected row never had one to show.
        let unavailable = shown.filter { $0.text == nil && $0.row.source?.file != "-" && $0.row.status == "ok" }
        for s in unavailable { Stderr.line("afscan: \(s.note ?? "text not available")") }
        if problems > 0 || !unavailable.isEmpty { throw ExitCode(1) }
    }
}

/// `--record FILE:N`.
struct RecordSelector {
    var file: String
    var record: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let n = Int(text[text.index(after: colon)...]), n >= 1 else { return nil }
        file = String(text[..<colon])
        record = n
        if file.isEmpty { return nil }
    }

    /// True when `source` is record `record` of an input named `file`, its path's tail or its base name.
    func matches(_ source: SourceRef) -> Bool {
        guard source.record == record else { return false }
        return source.file == file || source.file.hasSuffix("/" + file)
            || (source.file as NSString).lastPathComponent == (file as NSString).lastPathComponent && !file.contains("/")
    }
}

/// The rows `show` picks while the label files stream by: every row with the id, every row of the record,
/// or the `top` labelled rows with the highest score of `by` (ties: the earlier row first).
struct RowSelection {
    var id: String?
    var record: RecordSelector?
    var top: Int?
    var by: String
    private(set) var rows: [SampleRow] = []
    private var rowsWithLabel = 0

    init(id: String?, record: RecordSelector?, top: Int?, by: String) {
        self.id = id
        self.record = record
        self.top = top
        self.by = by
    }

    mutating func offer(_ row: SampleRow) {
        if let id {
            if row.id == id { rows.append(row) }
        } else if let record {
            if let s = row.source, record.matches(s) { rows.append(row) }
        } else if let top {
            guard row.status == "ok", let label = row.label(by), let score = label.score else { return }
            rowsWithLabel += 1
            let key = (score, label.rank ?? score)
            let at = rows.firstIndex { r in
                let l = r.label(by)!
                return (l.score!, l.rank ?? l.score!) < key
            } ?? rows.count
            if at < top { rows.insert(row, at: at) }
            if rows.count > top { rows.removeLast() }
        }
    }

    func nothingFoundMessage(in files: [String]) -> String {
        let where_ = files.joined(separator: ", ")
        if let id { return "no row with id \(id) in \(where_)" }
        if let record { return "no row for record \(record.record) of an input named \(record.file) in \(where_) (source.file is the input as label was given it)" }
        return "no labelled row of \(where_) has a score for \(by)"
    }
}
