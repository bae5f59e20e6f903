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
