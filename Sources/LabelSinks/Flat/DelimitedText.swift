import CSV
import Foundation

/// Rows of text cells as CSV (RFC 4180) or TSV bytes, written by yaslab/CSV.swift's `CSVWriter`.
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
    ///
    /// - Throws: `SinkError` (`.write`) when CSV.swift cannot write into its memory stream (it cannot
    ///   short of running out of memory).
    public static func encode(_ rows: [[Cell]], format: Format) throws -> Data {
        guard !rows.isEmpty else { return Data() }
        let stream = OutputStream.toMemory()
        do {
            let writer = try CSVWriter(stream: stream, delimiter: format.delimiter, newline: .lf)
            for row in rows {
                try writer.write(row: row.map(\.written))
            }
            writer.stream.close()
        } catch {
            throw SinkError(code: .write, message: "cannot encode \(format.rawValue) rows: \(error)", path: "<memory>")
        }
        guard var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw SinkError(code: .write, message: "cannot encode \(format.rawValue) rows: no data in the memory stream", path: "<memory>")
        }
        // CSVWriter writes a line break before every row but the first; end the last row too.
        data.append(0x0A)
        return data
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
