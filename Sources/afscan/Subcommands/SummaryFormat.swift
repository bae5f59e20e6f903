import ArgumentParser
import Foundation
import LabelSinks

/// `summary --format`: what the summary file (or standard output) holds.
enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
    /// The summary JSON (`Summary.jsonData()`); the text table also goes to stderr.
    case json
    /// The text table (`Summary.renderTable()`), the one `label` prints on stderr.
    case text
    /// One row per group (`Summary.flatTable()`, RFC 4180).
    case csv
    /// A Markdown report (`Summary.renderMarkdown()`).
    case markdown

    /// The bytes of `summary` in this format.
    /// - Throws: from `Summary.jsonData()` (it does not fail on a built summary).
    func render(_ summary: LabelSinks.Summary) throws -> Data {
        switch self {
        case .json: return try summary.jsonData()
        // Group values come from the rows: escape control and bidi characters (`terminalSafe`), as on stderr.
        case .text: return Data(terminalSafe(summary.renderTable(), keepNewlines: true).utf8)
        case .csv: return DelimitedText.encode(summary.flatTable(), format: .csv)
        case .markdown: return Data(terminalSafe(summary.renderMarkdown(), keepNewlines: true).utf8)
        }
    }
}
