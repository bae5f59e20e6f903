#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines mode (JSONL): cuts a stream at `\n`.
///
/// Invariants (after each `consume`):
/// - `lineNumber` is the 1-based number of the line being read, `lineStart` its stream offset, and
///   `lineLength` the bytes of it seen so far (without `\n`, with any `\r`).
/// - While `lineLength <= maxRecordBytes + 1` those bytes are the builder's open record; beyond that
///   (`skipping`) nothing more is buffered until the next `\n` (one `\r` of slack so that a line of exactly
///   `maxRecordBytes` followed by CRLF is still accepted).
/// - A line is a record when its content (without a final `\r`) is not blank; blank and whitespace-only
///   lines consume their number and produce nothing. An oversized line is a `record_too_large` fault
///   even when it is only whitespace.
struct LineSplitter {
    let maxRecordBytes: Int
    private var lineNumber = 1
    private var lineStart: Int64
    private var lineLength = 0
    private var lastByteIsCR = false
    private var skipping = false

    init(maxRecordBytes: Int, startOffset: Int64) {
        self.maxRecordBytes = maxRecordBytes
        self.lineStart = startOffset
    }

    /// Frames `chunk`, whose first byte is at stream offset `offset`.
    mutating func consume(_ chunk: UnsafeRawBufferPointer, at offset: Int64, into builder: inout BatchBuilder) {
        guard let base = chunk.baseAddress else { return }
        var i = 0
        let n = chunk.count
        while i < n {
            if let hit = memchr(base + i, 0x0A, n - i) {
                let end = base.distance(to: UnsafeRawPointer(hit))
                append(UnsafeRawBufferPointer(rebasing: chunk[i..<end]), into: &builder)
                endLine(into: &builder)
                lineNumber += 1
                lineStart = offset + Int64(end + 1)
                i = end + 1
            } else {
                append(UnsafeRawBufferPointer(rebasing: chunk[i..<n]), into: &builder)
                i = n
            }
        }
    }

    /// At end of stream: a final line without `\n` is still a line.
    mutating func finish(into builder: inout BatchBuilder) {
        if lineLength > 0 { endLine(into: &builder) }
    }

    private mutating func append(_ span: UnsafeRawBufferPointer, into builder: inout BatchBuilder) {
        guard let last = span.last else { return }
        lineLength += span.count
        lastByteIsCR = last == 0x0D
        guard !skipping else { return }
        if lineLength > maxRecordBytes + 1 {
            skipping = true
            builder.discardOpen()
        } else {
            builder.appendOpen(span)
        }
    }

    private mutating func endLine(into builder: inout BatchBuilder) {
        defer {
            lineLength = 0
            lastByteIsCR = false
            skipping = false
        }
        guard lineLength > 0 else { return }
        let contentLength = lineLength - (lastByteIsCR ? 1 : 0)
        if contentLength > maxRecordBytes {
            builder.commitFault(
                recordNumber: lineNumber, byteOffset: lineStart, .tooLarge(contentLength, limit: maxRecordBytes))
            return
        }
        if lastByteIsCR { builder.dropOpenLast() }
        if builder.openIsBlank {
            builder.discardOpen()
        } else {
            builder.commitOpen(recordNumber: lineNumber, byteOffset: lineStart)
        }
    }
}
