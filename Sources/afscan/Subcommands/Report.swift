import AfscanCore
import ArchiveIO
import ArgumentParser
import Foundation
import HTMLReport
import LabelPipeline
import LabelSinks
import SampleView
import Scratchpad

/// `afscan report LABELS… -o report.html`: one self-contained HTML page of rates, the compliance gap, the
/// outcome bars, the AF score distribution, the most frequent evidence and a sample browser.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a self-contained HTML report of label files: rates, compliance gap, outcome bars, AF score distribution, frequent evidence, and a sample browser.",
        discussion: """
        The rates and intervals are those `afscan summary` computes from the same rows. The sample browser \
        holds a stratified random sample of rows whose texts are re-read from the inputs as `afscan show` \
        does (give the --layout/--text-field/--id-field the rows were made with, and --root DIR when the \
        inputs moved); samples whose input is not reachable show their evidence snippets only. The page \
        loads nothing and holds no link.
        """
    )

    @Argument(help: "Label files written by `afscan label` (plain or .zst), or - for stdin.")
    var labels: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("The HTML file to write (atomically); - for stdout.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("group-by"), help: ArgumentHelp("Comma-separated dotted paths into the rows (as for summary, e.g. fields.model).", valueName: "paths"))
    var groupBy: [String] = []

    @Option(help: ArgumentHelp("Samples embedded in the page at most.", valueName: "n"))
    var samples: Int = 200

    @Option(name: .customLong("per-stratum"), help: ArgumentHelp("Samples per stratum (condition × AF decision × group) at most.", valueName: "n"))
    var perStratum: Int = 25

    @Option(name: .customLong("max-block-bytes"), help: ArgumentHelp("Bytes of each block's text kept per sample.", valueName: "n"))
    var maxBlockBytes: Int = 3000

    @Option(help: "Seed of the sample.")
    var seed: UInt64 = 1

    @OptionGroup var source: SampleSourceOptions

    func validate() throws {
        if labels.isEmpty { throw ValidationError("name at least one label file (written by afscan label), and -o report.html") }
        guard let output, !output.isEmpty else { throw ValidationError("name the page to write: -o report.html (or -o - for stdout)") }
        guard (0...100_000).contains(samples) else { throw ValidationError("--samples must be between 0 and 100000") }
        guard perStratum >= 1 else { throw ValidationError("--per-stratum must be at least 1") }
        guard maxBlockBytes >= 1 else { throw ValidationError("--max-block-bytes must be at least 1") }
        if labels.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        try checkOutputs([("--output", output)], inputs: labels)
    }

    func run() throws {
        let started = Date()
        let groups = splitList(groupBy)
        var summaryAcc = SummaryAccumulator(groupBy: groups)
        var reportAcc = ReportAccumulator(groupBy: groups, perStratum: perStratum, sampleCap: samples, seed: seed)
        var rulesHashes = Set<String>()
        var notes: [String] = []
        let (specs, faults) = try expandInputs(labels, outputs: [("--output", output)], notes: &notes)
        let notRows = readLabelRows(specs, groupBy: groups, command: "report") { _, obj, summaryRow in
            guard let row = SampleRow(json: obj) else { return }
            if let h = obj["rules_hash"] as? String { rulesHashes.insert(h) }
            summaryAcc.add(summaryRow)
            reportAcc.add(row, groupValues: summaryRow.groupValues)
        }
        guard reportAcc.rows > 0 else {
            Stderr.line("afscan: no label rows in \(specs.map(\.displayName).joined(separator: ", ")); nothing to report (label the inputs first: afscan label INPUT -o labels.jsonl)")
            throw ExitCode(1)
        }
        let info = RunInfo(afscanVersion: AfscanVersion.string, rulesHash: rulesHashes.count == 1 ? rulesHashes.first : nil,
                           inputs: specs.map(\.displayName), groupBy: groups, started: started, finished: Date(), threads: 1)
        let summary = summaryAcc.makeSummary(run: info)
        let kept = reportAcc.sample()
        let shown = source.locator.show(kept.map(\.row), maxBlockBytes: maxBlockBytes)
        let unreachable = Set(shown.filter { $0.text == nil && $0.row.status == "ok" && $0.row.source?.file != "-" }.compactMap { $0.row.source?.file })
        for file in unreachable.sorted() {
            Stderr.line("afscan: note: the texts of \(file) could not be re-read (\(shown.first { $0.row.source?.file == file && $0.text == nil }?.note ?? "")); its samples show their snippets only")
        }
        let page = ReportPage(summary: summary, accumulator: reportAcc, samples: Array(zip(kept, shown)).map { (kept: $0.0, shown: $0.1) },
                              maxBlockBytes: maxBlockBytes, skippedLines: notRows)
        let html: String
        do { html = try page.html() } catch { fatal("cannot render the report: \(error)") }
        do { try writeAtomically(Data(html.utf8), to: output!) } catch { fatal("cannot write the report: \(error)") }
        if output != "-" {
            Stderr.line("afscan: wrote \(output!) (\(html.utf8.count) bytes): \(reportAcc.rows) rows, \(summary.groups.count) groups, \(kept.count) samples embedded")
        }
        if faults.count + notRows > 0 { throw ExitCode(1) }
    }
}
