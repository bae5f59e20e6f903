import CSV
import Foundation

/// The records of CSV or TSV `text` as parsed by yaslab/CSV.swift's `CSVReader` (RFC 4180 quoting), the
/// header included: what a spreadsheet or pandas reads back from a table afscan wrote.
/// - Throws: the reader's error for malformed text.
public func csvRows(_ text: String, delimiter: UnicodeScalar = ",") throws -> [[String]] {
    let reader = try CSVReader(string: text, delimiter: delimiter)
    var rows: [[String]] = []
    while let row = reader.next() { rows.append(row) }
    if let error = reader.error { throw error }
    return rows
}
