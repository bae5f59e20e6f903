/// Chooses a `FramingMode` from a stream's first bytes (content only, never file names).
///
/// The rules favour JSONL whenever the content allows it, because in lines mode one broken line costs
/// one record, while a wrong guess of array or document mode could fold many lines into one bad record:
/// - skip leading JSON whitespace (a BOM is removed before this); empty → lines (no records);
/// - `[`: **lines** when the first value is complete on the first line and more non-whitespace follows
///   on later lines (JSONL whose records are arrays, rejected one by one downstream); otherwise
///   **array** (one array over many lines, or one long line followed only by whitespace);
/// - `{`: **lines** when the first value is complete on the first line; **document** only when the
///   value spans several lines, completes within the sniff window, never holds a raw newline inside a
///   string (valid pretty-printed JSON cannot) and is followed on its last line by whitespace only;
///   otherwise (a first line cut short, a broken record, a window exceeded) **lines**;
/// - `{`, a newline, then the members `"version": SCALAR, "status"` (an Inspect JSON log) → **inspectLog**;
/// - anything else → lines (each line then fails JSON parsing downstream, as its own rejected record).
///
/// The sniff window is `maxRecordBytes` (at most 64 MiB): the buffered bytes never exceed it, plus one
/// line. Incremental: `feed` resumes where the previous call stopped, so total work is linear.
struct ModeSniffer {
    let window: Int
    private var position = 0
    private var first: UInt8?
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var sawNewlineInValue = false
    /// Offset just after the first value's closing bracket, once it closed.
    private var closedAt: Int?
    /// The stream does not start like an Inspect JSON log.
    private var inspectLogRuledOut = false

    init(maxRecordBytes: Int) {
        self.window = min(maxRecordBytes, 64 << 20)
    }

    /// Looks at `buffer` (every byte of the stream so far, BOM removed) and returns the mode once it is
    /// decided; nil when more bytes are needed. With `atEndOfStream` a mode is always returned.
    mutating func feed(_ buffer: [UInt8], atEndOfStream: Bool) -> FramingMode? {
        if first == nil {
            while position < buffer.count && ValueScanner.isWhitespace(buffer[position]) { position += 1 }
            guard position < buffer.count else { return atEndOfStream ? .lines : nil }
            let c = buffer[position]
            guard c == UInt8(ascii: "[") || c == UInt8(ascii: "{") else { return .lines }
            first = c
        }
        if first == UInt8(ascii: "{") && !inspectLogRuledOut {
            switch Self.startsInspectLog(buffer, at: position) {
            case true?: return .inspectLog
            case false?: inspectLogRuledOut = true
            case nil: if atEndOfStream { inspectLogRuledOut = true } else { return nil }
            }
        }
        let isArray = first == UInt8(ascii: "[")
        if let closed = closedAt { return decideAfterClose(buffer, closed: closed, isArray: isArray, atEnd: atEndOfStream) }
        while position < buffer.count {
            let c = buffer[position]
            position += 1
            if c == 0x0A {
                if inString { return isArray ? .array : .lines }   // not valid JSON as one value
                sawNewlineInValue = true
            }
            if position > window { return isArray ? .array : .lines }
            if inString {
                if escaped { escaped = false }
                else if c == UInt8(ascii: "\\") { escaped = true }
                else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    closedAt = position
                    return decideAfterClose(buffer, closed: position, isArray: isArray, atEnd: atEndOfStream)
                }
            default: break
            }
        }
        if atEndOfStream { return isArray ? .array : .lines }
        return nil
    }

    /// True when the object at `start` (its `{`) is pretty-printed (a newline before its first member) and
    /// begins with the members `"version": SCALAR, "status"`, as every Inspect `EvalLog` written as JSON does; false when it does not; nil when more bytes are
    /// needed. Looks at ~100 bytes at most (a longer version value rules it out).
    static func startsInspectLog(_ buffer: [UInt8], at start: Int) -> Bool? {
        let decision = startsInspectLogWithin(buffer, at: start)
        // Undecided after 4 KiB (a run of whitespace): not a log, and no more bytes are held for it.
        if decision == nil && buffer.count - start > 4096 { return false }
        return decision
    }

    private static func startsInspectLogWithin(_ buffer: [UInt8], at start: Int) -> Bool? {
        var i = start + 1
        func skipSpace() { while i < buffer.count && ValueScanner.isWhitespace(buffer[i]) { i += 1 } }
        /// Matches `literal` at `i`: true, false, or nil when the buffer ends first.
        func match(_ literal: String) -> Bool? {
            for b in literal.utf8 {
                guard i < buffer.count else { return nil }
                guard buffer[i] == b else { return false }
                i += 1
            }
            return true
        }
        skipSpace()
        // Pretty-printed: a JSONL line (which cannot hold a raw newline) that happens to start with these
        // members is never taken for a log.
        guard i < buffer.count else { return nil }
        guard buffer[(start + 1)..<i].contains(0x0A) else { return false }
        guard let version = match("\"version\"") else { return nil }
        guard version else { return false }
        skipSpace()
        guard let colon = match(":") else { return nil }
        guard colon else { return false }
        skipSpace()
        // The version: a short scalar up to the comma.
        let scalarStart = i
        while i < buffer.count && buffer[i] != UInt8(ascii: ",") {
            if i - scalarStart > 32 || buffer[i] == UInt8(ascii: "{") || buffer[i] == UInt8(ascii: "[") { return false }
            i += 1
        }
        guard i < buffer.count else { return nil }
        i += 1
        skipSpace()
        return match("\"status\"")
    }

    /// The first value closed at `closed`: look at what follows it.
    private mutating func decideAfterClose(_ buffer: [UInt8], closed: Int, isArray: Bool, atEnd: Bool) -> FramingMode? {
        if !sawNewlineInValue && !isArray { return .lines }   // `{…}` complete on line 1: JSONL
        // The rest of the value's last line.
        var i = closed
        while i < buffer.count && buffer[i] != 0x0A {
            if !ValueScanner.isWhitespace(buffer[i]) {
                // More on the same line: a JSONL line that is not one value (or garbage after an array).
                return isArray && !sawNewlineInValue ? .lines : (isArray ? .array : .lines)
            }
            i += 1
        }
        if i == buffer.count && !atEnd { return nil }   // the value's last line is not complete yet
        if !isArray { return .document }
        // An array complete on the first line: JSONL of arrays if anything follows, else one array.
        guard i < buffer.count else { return atEnd ? .array : nil }
        var j = i
        while j < buffer.count && ValueScanner.isWhitespace(buffer[j]) { j += 1 }
        if j < buffer.count { return sawNewlineInValue ? .array : .lines }
        if j - closed > window { return .array }
        return atEnd ? .array : nil
    }
}
