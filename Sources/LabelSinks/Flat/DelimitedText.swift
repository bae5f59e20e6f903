import Foundation

/// Rows of text cells as CSV (RFC 4180) or TSV bytes.
///
/// - Quoting (both formats): a cell holding the delimiter, `"`, CR or LF is enclosed in `"` with every
///   `"` doubled (RFC 4180 §2.6–2.7); other cells are written as they are. TSV is the same with a tab as
///   the delimiter, so a tab or line break inside a cell is quoted rather than lost (pandas
///   `read_csv(sep="\t")` and DuckDB `read_csv(delim='\t')` read it back).
/// - Every row, the last one included, ends in `\n` (LF).
/// - Spreadsheet formula injection: a *text* cell (`Cell.text`) that starts with `=`, `+`, `-`, `@`, a
///   tab or a carriage return is written with a leading `'` (OWASP "CSV injection"), so a spreadsheet
///   shows it as text instead of evaluating it. Numbers (`Cell.number`) are written unchanged, so
///   negative values stay numbers. Transcript-derived text (ids, kept fields, rejection details,
///   source paths) always goes through `Cell.text`.
///
/// Written here rather than with yaslab/CSV.swift's `CSVWriter`, whose quoting rule this is: that writer
/// searches every field with Foundation once per special character and writes one byte per
/// `OutputStream` call, 2,700 rows of 118 short cells a second (1.6 MB/s, `swiftc -O`, this 2-core VM),
/// which would make the table the slowest stage of a labelled archive; this loop over UTF-8 bytes wrote
/// 300,000 such rows a second (177 MB/s) in the same measurement. The tests check these bytes against `CSVWriter`'s
/// for the same rows and read them back with its `CSVReader`.
public enum DelimitedText {
    /// The output format of flat tables.
    public enum Format: String, Sendable, CaseIterable {
        case csv, tsv

        /// The cell separator: `,` or a tab.
        public var delimiter: String { self == .csv ? "," : "\t" }
    }

    /// One cell: text (guarded against formula injection) or a number/boolean/empty cell already in its
    /// final textual form (never guarded).
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(String)
        /// An empty cell (SQL NULL / pandas NaN when read back).
        case empty

        /// The text written into the file before quoting.
        public var written: String {
            switch self {
            case .text(let s): return DelimitedText.formulaGuarded(s)
            case .number(let s): return s
            case .empty: return ""
            }
        }
    }

    /// `text` with a leading `'` when it starts with `=`, `+`, `-`, `@`, a tab or a carriage return;
    /// otherwise `text` unchanged.
    public static func formulaGuarded(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r": return "'" + text
        default: return text
        }
    }

    /// The rows as bytes in `format`, each ending in `\n`.
    /// - Complexity: O(total bytes of the cells).
    public static func encode(_ rows: [[Cell]], format: Format) -> Data {
        let delimiter: UInt8 = format == .csv ? 0x2C : 0x09
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 256)
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index > 0 { out.append(delimiter) }
                var text = cell.written
                text.withUTF8 { bytes in
                    let quoted = bytes.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                    guard quoted else { out.append(contentsOf: bytes); return }
                    out.append(0x22)
                    for b in bytes {
                        out.append(b)
                        if b == 0x22 { out.append(0x22) }
                    }
                    out.append(0x22)
                }
            }
            out.append(0x0A)
        }
        return Data(out)
    }

    /// A number with at most `fractionDigits` decimals, no exponent and no locale (`0.190476`, `-0.05`, `3`).
    public static func number(_ value: Double, fractionDigits: Int = 6) -> Cell {
        var out: [UInt8] = []
        JSONText.appendFixed(value, fractionDigits: fractionDigits, to: &out)
        return .number(String(decoding: out, as: UTF8.self))
    }

    /// `number(value)` or an empty cell for nil.
    public static func number(_ value: Double?, fractionDigits: Int = 6) -> Cell {
        value.map { number($0, fractionDigits: fractionDigits) } ?? .empty
    }

    /// An integer cell.
    public static func integer(_ value: Int) -> Cell { .number(String(value)) }

    /// `true` / `false`.
    public static func boolean(_ value: Bool) -> Cell { .number(value ? "true" : "false") }

    /// A column name from a dotted path: every character that is not an ASCII letter or digit becomes
    /// `_`, letters are lower-cased, runs of `_` collapse and none leads or trails
    /// (`af.goal_guarding` → `af_goal_guarding`, `metadata.Environment` → `metadata_environment`).
    public static func snakeCase(_ path: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for scalar in path.unicodeScalars {
            let v = scalar.value
            let isDigit = (0x30...0x39).contains(v), isUpper = (0x41...0x5A).contains(v), isLower = (0x61...0x7A).contains(v)
            guard isDigit || isUpper || isLower else { pendingUnderscore = true; continue }
            if pendingUnderscore && !out.isEmpty { out.append("_") }
            pendingUnderscore = false
            out.unicodeScalars.append(Unicode.Scalar(isUpper ? v + 0x20 : v)!)
        }
        return out
    }
}
