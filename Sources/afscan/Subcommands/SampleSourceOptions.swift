import ArchiveIO
import ArgumentParser
import Foundation
import SampleView
import Scratchpad

/// How `show` and `report` find the records behind label rows: `--root` when the inputs moved, and the
/// field options the rows were labelled with (the record is re-extracted as `label` did).
struct SampleSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where the inputs live now, when they moved since labelling.", valueName: "dir"))
    var root: String?

    @Option(help: "The layout the rows were labelled with: auto, results, chat or flat.")
    var layout: String = "auto"

    @Option(name: .customLong("text-field"), help: ArgumentHelp("The --text-field the rows were labelled with.", valueName: "path"))
    var textField: String?

    @Option(name: .customLong("id-field"), help: ArgumentHelp("The --id-field the rows were labelled with.", valueName: "path"))
    var idField: String?

    func validate() throws {
        guard Layout(rawValue: layout) != nil else { throw ValidationError("--layout must be one of auto, results, chat, flat (got '\(layout)')") }
        if let root, !isDirectory(root) { throw ValidationError("--root \(root) is not a directory") }
    }

    var locator: SampleLocator {
        SampleLocator(mapping: FieldMapping(layout: Layout(rawValue: layout)!, idField: idField, textField: textField), root: root)
    }
}

/// Streams the label rows of `specs` (plain or zstd JSONL) to `body`. A line that is not a JSON object with a
/// label row's `status` is counted and, for the first five, named on stderr with a hint that `command` reads
/// the rows `afscan label` writes; an input that cannot be read is reported and counted.
/// - Returns: lines that were not label rows, and inputs that failed.
func forEachLabelRow(_ specs: [InputSpec], command: String, _ body: ([String: Any]) -> Void) -> (notRows: Int, failedInputs: Int) {
    var notRows = 0, failed = 0
    for spec in specs {
        do {
            var lineNo = 0
            try forEachLine(try InputReader(spec, maxWindowLog: 31)) { line in
                lineNo += 1
                guard !line.isEmpty else { return }
                guard let obj = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
                      let status = obj["status"] as? String, status == "ok" || status == "rejected" else {
                    notRows += 1
                    if notRows <= 5 { Stderr.line("afscan: \(spec.displayName): line \(lineNo): not a label row; skipped (\(command) reads the rows afscan label writes, not its inputs)") }
                    return
                }
                body(obj)
            }
        } catch {
            Stderr.line("afscan: \(error)")
            failed += 1
        }
    }
    if notRows > 5 { Stderr.line("afscan: \(notRows) lines in all were not label rows") }
    return (notRows, failed)
}
