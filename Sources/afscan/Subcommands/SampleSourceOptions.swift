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

    /// The layout and fields the rows were labelled with.
    @OptionGroup var fields: RecordFieldOptions

    func validate() throws {
        if let root, !isDirectory(root) { throw ValidationError("--root \(root) is not a directory") }
    }

    var locator: SampleLocator {
        SampleLocator(mapping: fields.mapping(), root: root)
    }
}

/// `--layout`, `--text-field`, `--id-field`: how records are read (`follow`, `show`, `report`; `show` and
/// `report` take the values the rows were labelled with).
struct RecordFieldOptions: ParsableArguments {
    @Option(help: "Record layout: auto, results, chat or flat.")
    var layout: String = "auto"

    @Option(name: .customLong("text-field"), help: ArgumentHelp("Dotted path of the transcript text (layout flat).", valueName: "path"))
    var textField: String?

    @Option(name: .customLong("id-field"), help: ArgumentHelp("Dotted path of the record id.", valueName: "path"))
    var idField: String?

    func validate() throws {
        guard Layout(rawValue: layout) != nil else { throw ValidationError("--layout must be one of auto, results, chat, flat (got '\(layout)')") }
    }

    func mapping(keepFields: [String] = [], groupBy: [String] = []) -> FieldMapping {
        FieldMapping(layout: Layout(rawValue: layout)!, idField: idField, textField: textField, keepFields: keepFields, groupBy: groupBy)
    }
}
