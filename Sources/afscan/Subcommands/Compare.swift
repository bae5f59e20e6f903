import ArchiveIO
import ArgumentParser
import Foundation
import LabelPipeline
import LabelSinks

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two runs: rate changes per group and condition with intervals, the change of the compliance gap, and a drift alarm.",
        discussion: """
        A and B are each a summary JSON (label --summary, afscan summary) or label rows (a label file or a \
        directory of them, summarised here with --group-by). Every rate the summaries carry is compared: \
        B minus A with Newcombe's 95% interval; each compliance gap's change with a MOVER interval. \
        --fail-on-rise RATE makes a significant rise of that rate (one-sided, family-wise --alpha with \
        Bonferroni over the cells tested) exit 3: a nightly drift alarm.
        Exit codes: 0 compared, no watched rate rose; 3 a watched rate rose significantly; 1 an input could \
        not be read completely; 2 nothing to compare; 64 usage.
        """
    )

    @Argument(help: "The baseline run A: a summary JSON, or label rows (file or directory).")
    var a: String

    @Argument(help: "The run B compared with A, in the same form.")
    var b: String

    @Option(name: .customLong("group-by"), help: ArgumentHelp("For label rows: comma-separated dotted paths into the rows to group by (as summary --group-by); repeat to add more. Summaries keep their own grouping.", valueName: "paths"))
    var groupBy: [String] = []

    @Option(name: .customLong("fail-on-rise"), help: ArgumentHelp("Exit 3 when this rate (e.g. af_goal_guarding, compliance_broad) rises significantly from A to B in any group and condition; comma-separated or repeated.", valueName: "rate"))
    var failOnRise: [String] = []

    @Option(help: ArgumentHelp("Family-wise level of the rise test (one-sided), in (0, 0.5].", valueName: "alpha"))
    var alpha: Double = 0.05

    @Option(help: "Output format: text, json or markdown.")
    var format: String = "text"

    @Option(name: [.short, .long], help: ArgumentHelp("Write the report here (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    func validate() throws {
        guard ["text", "json", "markdown"].contains(format) else {
            throw ValidationError("--format must be text, json or markdown (got '\(format)')")
        }
        guard alpha > 0 && alpha <= 0.5 else { throw ValidationError("--alpha must lie in (0, 0.5] (got \(alpha))") }
        if a == b { throw ValidationError("A and B are the same operand (\(a)); compare two runs") }
        try checkOutputs([("--output", output)], inputs: [a, b])
    }

    func run() throws {
        var problems = 0
        let summaryA = try load(a, problems: &problems), summaryB = try load(b, problems: &problems)
        let comparison: SummaryComparison
        do {
            comparison = try SummaryComparison(a: summaryA, b: summaryB, watch: splitList(failOnRise), alpha: alpha)
        } catch {
            Stderr.line("afscan: \(error)")
            throw ExitCode(2)
        }
        if comparison.rates.isEmpty {
            Stderr.line("afscan: A and B share no group and condition (only in A: \(comparison.onlyInA.joined(separator: "; ")); only in B: \(comparison.onlyInB.joined(separator: "; "))); nothing to compare")
            throw ExitCode(2)
        }
        let sides = SummaryComparison.Sides(a: a, b: b)
        let data: Data
        switch format {
        case "json": data = try comparison.jsonData(sides)
        case "markdown": data = Data(terminalSafe(comparison.renderMarkdown(sides), keepNewlines: true).utf8)
        default: data = Data(terminalSafe(comparison.renderText(sides), keepNewlines: true).utf8)
        }
        if let output {
            do { try writeAtomically(data, to: output) } catch { fatal("cannot write report: \(error)") }
        } else {
            writeToStandardOutput(data)
        }
        for rise in comparison.rises {
            Stderr.line("afscan: alarm: \(rise.rate) rose significantly in \(rise.condition)\(rise.group.isEmpty ? "" : " " + rise.group.joined(separator: " ")): \(SummaryComparison.rateText(rise.a)) -> \(SummaryComparison.rateText(rise.b))")
        }
        if !comparison.rises.isEmpty { throw ExitCode(3) }
        if problems > 0 { throw ExitCode(1) }
    }

    /// The summary JSON object of one side: the file itself when it is a summary, else the summary of
    /// its label rows (grouped by --group-by).
    private func load(_ operand: String, problems: inout Int) throws -> [String: Any] {
        if let object = summaryJSON(at: operand) {
            if !groupBy.isEmpty { Stderr.line("afscan: note: \(operand) is a summary; it keeps its own grouping (--group-by applies to label rows)") }
            return object
        }
        var notes: [String] = []
        let (specs, faults) = try expandInputs([operand], outputs: [("--output", output)], notes: &notes)
        for note in notes { Stderr.line("afscan: \(note)") }
        problems += faults.count
        let groups = splitList(groupBy)
        var acc = SummaryAccumulator(groupBy: groups)
        var rulesHashes = Set<String>(), modelHashes = Set<String>()
        var rows = 0
        problems += readLabelRows(specs, groupBy: groups) { _, obj, row in
            rows += 1
            if let h = obj["rules_hash"] as? String { rulesHashes.insert(h) }
            if let h = obj["model_hash"] as? String { modelHashes.insert(h) }
            acc.add(row)
        }
        if rows == 0 {
            Stderr.line("afscan: \(operand) holds no label rows and is not a summary JSON: give a summary (label --summary, afscan summary) or label rows")
            throw ExitCode(2)
        }
        for path in acc.groupPathsNeverPresent {
            Stderr.line(groupPathAbsentWarning(path, what: "row", keysSeen: [], where: operand))
        }
        let info = RunInfo(afscanVersion: AfscanVersion.string, rulesHash: rulesHashes.count == 1 ? rulesHashes.first : nil,
                           inputs: specs.map(\.displayName), groupBy: groups, started: Date(), finished: Date(), threads: 1)
        var summary = try JSONSerialization.jsonObject(with: acc.makeSummary(run: info).jsonData()) as? [String: Any] ?? [:]
        if modelHashes.count == 1, var run = summary["run"] as? [String: Any] {
            run["model_hash"] = modelHashes.first
            summary["run"] = run
        }
        return summary
    }
}
