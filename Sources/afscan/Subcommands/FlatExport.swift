import ArchiveIO
import ArgumentParser
import Foundation
import LabelPipeline
import LabelSinks

extension DelimitedText.Format: ExpressibleByArgument {}

/// `label --format`: JSONL rows, or one flat table.
enum RowFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv, tsv

    /// The table format, nil for JSONL.
    var flat: DelimitedText.Format? { DelimitedText.Format(rawValue: rawValue) }
}

/// Label rows → CSV/TSV (`FlatLabelTable`), shared by `afscan export` and `afscan label --format`.
enum FlatExport {
    /// One line of label rows: its bytes (no `\n`), the input's name, its 1-based line number and the
    /// 0-based byte offset of its first byte in the decoded input.
    typealias Line = (bytes: [UInt8], file: String, line: Int, offset: Int)

    /// What `write` did: rows written, lines that were not label rows, and the column count.
    struct Outcome {
        var rows = 0
        var notRows = 0
        var columns = 0
    }

    /// Reads every line of `lines` twice (columns first, then rows) and writes the header and one row per
    /// label row to `out` in `format`, 1,000 rows per write. A non-empty line that is not a label row is
    /// reported (`afscan: FILE: line N (byte offset B): not a label row; skipped`, the first 20 of them)
    /// and counted in `notRows`; blank lines are skipped silently.
    ///
    /// - Throws: whatever `lines` or `out` throw.
    static func write(lines: ((Line) throws -> Void) throws -> Void, format: DelimitedText.Format, to out: OutputSink) throws -> Outcome {
        var table = FlatLabelTable()
        var outcome = Outcome()
        try lines { line in
            guard !line.bytes.isEmpty else { return }
            if !table.scan(line.bytes) {
                outcome.notRows += 1
                if outcome.notRows <= 20 {
                    Stderr.line("afscan: \(line.file): line \(line.line) (byte offset \(line.offset)): not a label row; skipped")
                }
            }
        }
        if outcome.notRows > 20 { Stderr.line("afscan: \(outcome.notRows - 20) more lines that are not label rows not shown") }
        let header = table.header()
        outcome.columns = header.count
        for r in table.renamed {
            Stderr.line("afscan: note: column \(r.column) holds \(r.path) (its snake_case name was taken by another path)")
        }
        var pending: [[DelimitedText.Cell]] = [header.map { .text($0) }]
        try lines { line in
            guard !line.bytes.isEmpty, let cells = table.cells(line.bytes) else { return }
            pending.append(cells)
            outcome.rows += 1
            if pending.count >= 1000 {
                try out.write(DelimitedText.encode(pending, format: format))
                pending.removeAll(keepingCapacity: true)
            }
        }
        try out.write(DelimitedText.encode(pending, format: format))
        return outcome
    }

    /// The lines of `specs` in order, each input decoded (plain or zstd) and read from the start on every
    /// call; standard input (read once) comes from `standardInput`. An input that cannot be read is
    /// reported and counted in `faults` (once, on the first pass).
    static func lines(of specs: [InputSpec], standardInput: LineSpill?, faults: Box<Int>) -> ((Line) throws -> Void) throws -> Void {
        var firstPass = true
        return { body in
            defer { firstPass = false }
            for spec in specs {
                if spec.path == nil {
                    if let standardInput { try lines(of: standardInput, name: spec.displayName)(body) }
                    continue
                }
                var lineNo = 0
                do {
                    let reader = try InputReader(spec, maxWindowLog: 31)
                    var offset = 0
                    try forEachLine(reader) { data in
                        lineNo += 1
                        try body((Array(data), spec.displayName, lineNo, offset))
                        offset += data.count + 1
                    }
                } catch let error as ArchiveError {
                    if firstPass {
                        Stderr.line("afscan: \(error)")
                        faults.value += 1
                    }
                }
            }
        }
    }

    /// The lines of `spill`, named `name` in messages.
    static func lines(of spill: LineSpill, name: String) -> ((Line) throws -> Void) throws -> Void {
        { body in
            var lineNo = 0
            try spill.forEachLine { bytes, offset in
                lineNo += 1
                try body((bytes, name, lineNo, offset))
            }
        }
    }

    /// Standard input's decoded lines in a spill file, so that they can be read twice.
    /// - Throws: `ArchiveError` when standard input cannot be read or decoded; `JudgeSelectionError` when
    ///   the spill file cannot be created.
    static func spillStandardInput() throws -> LineSpill {
        let spill = try LineSpill(prefix: "afscan-export")
        let reader = try InputReader(.standardInput, maxWindowLog: 31)
        try forEachLine(reader) { data in spill.append(Array(data) + [0x0A]) }
        return spill
    }

    /// A mutable count shared by the closures above.
    final class Box<T> {
        var value: T
        init(_ value: T) { self.value = value }
    }
}

/// `afscan export LABELS --format csv|tsv`: label rows as one flat table.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write label rows as one CSV or TSV table (one row per record, snake_case columns) for spreadsheets, pandas and DuckDB.",
        discussion: """
        Columns: id, source_file, source_record, source_byte_offset, status, reason, detail, condition, \
        fields_<path> per kept field, then per label <label>_score, <label>_decision (and <label>_value, \
        <label>_engine where rows carry them), evidence_count, parse_<key>, flags_<key>, rules_hash, model_hash. \
        Quoting is RFC 4180; text cells starting with = + - @ get a leading ' (spreadsheet formula injection).
        """
    )

    @Argument(help: "Label files written by `afscan label` (plain or .zst, or directories of them), or - for stdin.")
    var labels: [String] = []

    @Option(help: "csv or tsv.")
    var format: DelimitedText.Format = .csv

    @Option(name: [.short, .long], help: ArgumentHelp("Write the table here (atomically; .zst compresses) instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(name: [.short, .long], help: "Print only errors.")
    var quiet = false

    func validate() throws {
        if labels.isEmpty { throw ValidationError("name at least one label file (or - for stdin)") }
        if output == "" { throw ValidationError("-o/--output is empty; name a file, or leave it out for stdout") }
        if labels.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        try checkOutputs([("--output", output)], inputs: labels)
    }

    func run() throws {
        Stderr.quiet = quiet
        var notes: [String] = []
        let (specs, faults) = try expandInputs(labels, outputs: [("--output", output)], notes: &notes)
        let readFaults = FlatExport.Box(0)
        // Standard input is read twice (columns, then rows): keep its decoded lines in a spill file.
        var standardInput: LineSpill?
        if specs.contains(where: { $0.path == nil }) {
            do { standardInput = try FlatExport.spillStandardInput() } catch {
                Stderr.line("afscan: -: \(error)")
                readFaults.value += 1
            }
        }
        let lines = FlatExport.lines(of: specs, standardInput: standardInput, faults: readFaults)
        let out: OutputSink
        do { out = try OutputSink(path: output) } catch { fatal("\(error)") }
        let outcome: FlatExport.Outcome
        do { outcome = try FlatExport.write(lines: lines, format: format, to: out) } catch { fatal("cannot write the table: \(error)") }
        if outcome.rows == 0 {
            // A header-only table would read as an archive without records: nothing is published.
            out.abort()
            Stderr.line("afscan: no label rows in \(specs.map(\.displayName).joined(separator: ", ")): export reads the rows written by `afscan label` (label the inputs first: afscan label INPUT -o labels.jsonl); nothing written")
            throw ExitCode(1)
        }
        do { try out.prepare() } catch { fatal("cannot write the table: \(error)") }
        Interrupts.beginFinalCommit()
        do { try out.publish() } catch { fatal("cannot write the table: \(error)") }
        if !quiet {
            Stderr.line("afscan: \(outcome.rows) rows, \(outcome.columns) columns (\(format.rawValue)) to \(out.filePath ?? "standard output")")
        }
        if outcome.notRows > 0 || !faults.isEmpty || readFaults.value > 0 || outcome.rows == 0 { throw ExitCode(1) }
    }
}
