/// Chooses a `FramingMode` from a stream's first bytes (content only, never file names).
///
/// Rules: skip leading JSON whitespace (the BOM is removed before this); `[` → array; `{` → lines when
/// the first line holds a complete value (the value's closing brace comes before any `\n`), document when
/// a `\n` comes first (a pretty-printed object), lines when neither is seen within `maxRecordBytes`
/// bytes (an over-long first line: lines mode reports it as `record_too_large`); any other first byte →
/// lines (each line then fails JSON parsing downstream and is counted as a rejected record); an
/// all-whitespace or empty stream → lines (no records).
///
/// Incremental: `feed` resumes where the previous call stopped, so total work is linear in the bytes
/// buffered before the decision.
struct ModeSniffer {
    let maxRecordBytes: Int
    private var position = 0
    private var valueStart: Int?
    private var depth = 0
    private var inString = false
    private var escaped = false

    init(maxRecordBytes: Int) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Looks at `buffer` (every byte of the stream so far, BOM removed) and returns the mode once it is
    /// decided; nil when more bytes are needed. With `atEndOfStream` a mode is always returned.
    mutating func feed(_ buffer: [UInt8], atEndOfStream: Bool) -> FramingMode? {
        if valueStart == nil {
            while position < buffer.count && ValueScanner.isWhitespace(buffer[position]) { position += 1 }
            guard position < buffer.count else { return atEndOfStream ? .lines : nil }
            switch buffer[position] {
            case UInt8(ascii: "["): return .array
            case UInt8(ascii: "{"): valueStart = position
            default: return .lines
            }
        }
        guard let start = valueStart else { return .lines }
        while position < buffer.count {
            let c = buffer[position]
            position += 1
            if c == 0x0A { return .document }
            if inString {
                if escaped {
                    escaped = false
                } else if c == UInt8(ascii: "\\") {
                    escaped = true
                } else if c == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return .lines }
            default: break
            }
            if position - start > maxRecordBytes { return .lines }
        }
        return atEndOfStream ? .lines : nil
    }
}
