/// Array and document modes: a streaming structural scanner that finds top-level JSON values without
/// parsing them (validation is the parser's job downstream).
///
/// It tracks only what decides where a value ends: whether it is inside a string, whether the previous
/// byte was a backslash escape inside a string, and the nesting depth of `{`/`[` outside strings. A value
/// at depth 0 is a container (ends when its depth returns to 0), a string (ends at its closing quote), or
/// a scalar run (ends at whitespace, at `,`/`]` in array mode, or at `{`, `[`, `"` in document mode).
///
/// Invariants (between bytes):
/// - `shape == .empty` ⇔ no record is open; otherwise `recordStart`/`recordNumber` describe the open one.
/// - `recordLength` counts the open record's bytes from its first byte to its last non-whitespace byte
///   at depth 0 (whitespace at depth 0 outside strings is never part of a record and never buffered).
/// - The builder's open bytes equal those `recordLength` bytes unless the record is `oversized` or
///   `garbage`, in which case nothing is buffered; so buffered bytes never exceed `maxRecordBytes`.
/// - `copying` ⇔ the current byte, if part of the value, must be copied; copies are made per span, not per
///   byte.
struct ValueScanner {
    enum Kind { case array, document }
    private enum Phase { case expectOpen, scanning, afterArray, done }
    /// Shape of the open value as seen at depth 0 outside strings.
    private enum Shape { case empty, started, scalar, ended }

    let kind: Kind
    let maxRecordBytes: Int
    private var phase: Phase
    private var shape = Shape.empty
    private var depth = 0
    private var string = StringScan()
    private var recordNumber = 1
    private var recordStart: Int64 = 0
    private var recordLength = 0
    private var oversized = false
    private var garbage: FramingFault?
    private var copying = false
    /// Array mode: the last delimiter was a `,` (so a following `]` closes an empty element).
    private var afterComma = false
    /// Array mode, for an array inside a larger document (an Inspect log's `samples`): `consume` stops
    /// right after the closing `]` and returns how many bytes it took, leaving the rest to the caller.
    private let embedded: Bool
    /// Added as the last member of every element that is a JSON object (`"key":value` bytes), e.g. the
    /// `inspect_eval` of an Inspect log's samples.
    var addedMember: [UInt8]?

    init(kind: Kind, maxRecordBytes: Int, embedded: Bool = false) {
        self.kind = kind
        self.maxRecordBytes = maxRecordBytes
        self.embedded = embedded
        self.phase = kind == .array ? .expectOpen : .scanning
    }

    /// True once an embedded array's closing `]` was consumed.
    var arrayClosed: Bool { phase == .afterArray || phase == .done }

    /// Frames `chunk`, whose first byte is at stream offset `offset`. Returns the bytes consumed: all of
    /// them, except for an `embedded` array, whose scan stops after its closing `]`.
    @discardableResult
    mutating func consume(_ chunk: UnsafeRawBufferPointer, at offset: Int64, into builder: inout BatchBuilder) -> Int {
        var spanStart = 0
        var i = 0
        let n = chunk.count
        while i < n {
            let c = chunk[i]
            defer { i += 1 }
            if phase != .scanning {
                if phase == .done { return n }
                if Self.isWhitespace(c) { continue }
                if phase == .expectOpen {
                    if c == UInt8(ascii: "[") {
                        phase = .scanning
                    } else {
                        fail(at: offset + Int64(i), "expected '[' to open the array, found \(Self.describe(c))", &builder)
                    }
                } else {
                    fail(at: offset + Int64(i), "unexpected \(Self.describe(c)) after the closing ']'", &builder)
                }
                continue
            }
            if string.inString {
                if string.closes(c) && depth == 0 { valueEnded(chunk, spanStart, i + 1, &builder) }
                continue
            }
            if depth > 0 {
                switch c {
                case UInt8(ascii: "\""): string.open()
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { valueEnded(chunk, spanStart, i + 1, &builder) }
                default: break
                }
                continue
            }
            // Depth 0, outside strings.
            if Self.isWhitespace(c) {
                if shape == .scalar { valueEnded(chunk, spanStart, i, &builder) }
                continue
            }
            if kind == .array && (c == UInt8(ascii: ",") || c == UInt8(ascii: "]")) {
                delimiter(c, at: offset + Int64(i), chunk, spanStart, i, &builder)
                if embedded && phase == .afterArray { return i + 1 }
                continue
            }
            let opens = c == UInt8(ascii: "{") || c == UInt8(ascii: "[") || c == UInt8(ascii: "\"")
            switch shape {
            case .empty:
                break
            case .scalar where !opens:
                continue  // the scalar run goes on
            case .scalar where kind == .document:
                // `1{…}` in a document: the scalar ends here and a new value starts at this byte.
                flush(chunk, spanStart, i, &builder)
                copying = false
                completeRecord(&builder)
            case .scalar, .ended, .started:
                // Array mode: a second value inside one element (`{} {}`, `1 2`, `1[`).
                markGarbage(c, at: offset + Int64(i), chunk, spanStart, i, &builder)
            }
            if shape == .empty {
                shape = .started
                recordStart = offset + Int64(i)
                copying = true
                spanStart = i
            }
            if c == UInt8(ascii: "\"") {
                string.open()
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth = 1
            } else if shape == .started {
                shape = .scalar
            }
        }
        if copying { flush(chunk, spanStart, n, &builder) }
        return n
    }

    /// At end of stream. Array mode: anything but a closed array is truncated. Document mode: an open
    /// container or string is truncated; a scalar run ends.
    mutating func finish(at endOffset: Int64, into builder: inout BatchBuilder) {
        switch phase {
        case .expectOpen, .afterArray, .done:
            return
        case .scanning:
            break
        }
        if kind == .document && !string.inString && depth == 0 {
            if shape == .scalar { completeRecord(&builder) }
            return
        }
        if shape == .empty {
            builder.commitFault(
                recordNumber: recordNumber, byteOffset: endOffset,
                FramingFault(reason: "truncated_record", detail: "stream ended inside the array before its closing ']'"))
        } else {
            builder.commitFault(
                recordNumber: recordNumber, byteOffset: recordStart,
                FramingFault(
                    reason: "truncated_record",
                    detail: kind == .array
                        ? "stream ended inside array element \(recordNumber) (\(recordLength) bytes read)"
                        : "stream ended inside JSON value \(recordNumber) (\(recordLength) bytes read)"))
        }
        phase = .done
    }

    // MARK: Steps

    /// Copies `chunk[from..<to]` into the open record (or only counts it when it is not buffered).
    private mutating func flush(_ chunk: UnsafeRawBufferPointer, _ from: Int, _ to: Int, _ builder: inout BatchBuilder) {
        guard copying, to > from else { return }
        recordLength += to - from
        guard !oversized && garbage == nil else { return }
        if recordLength > maxRecordBytes {
            oversized = true
            builder.discardOpen()
        } else {
            builder.appendOpen(UnsafeRawBufferPointer(rebasing: chunk[from..<to]))
        }
    }

    private mutating func valueEnded(_ chunk: UnsafeRawBufferPointer, _ spanStart: Int, _ end: Int, _ builder: inout BatchBuilder) {
        flush(chunk, spanStart, end, &builder)
        copying = false
        shape = .ended
        if kind == .document { completeRecord(&builder) }
    }

    private mutating func delimiter(
        _ c: UInt8, at position: Int64, _ chunk: UnsafeRawBufferPointer, _ spanStart: Int, _ i: Int,
        _ builder: inout BatchBuilder
    ) {
        let closes = c == UInt8(ascii: "]")
        if shape == .empty {
            // `[]` is an empty array; `[,`, `,,` and `,]` are empty elements.
            if !(closes && recordNumber == 1 && !afterComma) {
                builder.commitFault(
                    recordNumber: recordNumber, byteOffset: position,
                    FramingFault(reason: "invalid_array", detail: "empty array element before '\(closes ? "]" : ",")' at byte \(position)"))
                recordNumber += 1
            }
        } else {
            flush(chunk, spanStart, i, &builder)
            copying = false
            completeRecord(&builder)
        }
        afterComma = !closes
        if closes { phase = .afterArray }
    }

    private mutating func markGarbage(
        _ c: UInt8, at position: Int64, _ chunk: UnsafeRawBufferPointer, _ spanStart: Int, _ i: Int,
        _ builder: inout BatchBuilder
    ) {
        flush(chunk, spanStart, i, &builder)
        copying = false
        if garbage == nil {
            garbage = FramingFault(
                reason: "invalid_array",
                detail: "unexpected \(Self.describe(c)) at byte \(position) in array element \(recordNumber); expected ',' or ']'")
            builder.discardOpen()
        }
        shape = .started
    }

    private mutating func completeRecord(_ builder: inout BatchBuilder) {
        if let garbage {
            builder.commitFault(recordNumber: recordNumber, byteOffset: recordStart, garbage)
        } else if oversized {
            builder.commitFault(recordNumber: recordNumber, byteOffset: recordStart, .tooLarge(recordLength, limit: maxRecordBytes))
        } else {
            if let addedMember { builder.addMemberToOpenObject(addedMember) }
            builder.commitOpen(recordNumber: recordNumber, byteOffset: recordStart)
        }
        recordNumber += 1
        recordLength = 0
        oversized = false
        garbage = nil
        shape = .empty
        afterComma = false
    }

    /// A structural error outside any element: reported as one fault record; the rest of the stream is
    /// ignored.
    private mutating func fail(at position: Int64, _ detail: String, _ builder: inout BatchBuilder) {
        builder.commitFault(
            recordNumber: recordNumber, byteOffset: position, FramingFault(reason: "invalid_array", detail: detail))
        recordNumber += 1
        phase = .done
    }

    // MARK: Bytes

    static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    static func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(UnicodeScalar(c)))'" }
        return "byte 0x" + String(c, radix: 16, uppercase: true)
    }
}
