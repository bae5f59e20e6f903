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

/// `rows` as yaslab/CSV.swift's `CSVWriter` writes them (LF line breaks), with a final `\n`: the
/// reference that afscan's own CSV/TSV writer must match byte for byte.
public func csvWriterText(_ rows: [[String]], delimiter: String = ",") throws -> String {
    let stream = OutputStream.toMemory()
    let writer = try CSVWriter(stream: stream, delimiter: delimiter, newline: .lf)
    for row in rows { try writer.write(row: row) }
    stream.close()
    let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    return String(decoding: data, as: UTF8.self) + (rows.isEmpty ? "" : "\n")
}
