/// A destination for output bytes (label rows, CSV, summaries): a file written atomically or
/// standard output, optionally zstd-compressed.
///
/// Life cycle: any number of `write`s, then exactly one of `commit()` (make the output final) or
/// `abort()` (discard what can be discarded). Implementations are thread-safe, but bytes from
/// concurrent writers interleave in lock order: one ordered writer should own a sink.
public protocol ByteSink: Sendable {
    /// Accepts `bytes` (buffered; they may reach the destination later).
    /// - Throws: `SinkError` (`.write`, `.brokenPipe`, `.compression`, `.finished`).
    func write(_ bytes: UnsafeRawBufferPointer) throws(SinkError)
    /// Flushes everything and makes the output final.
    /// - Throws: `SinkError`; after a failed commit the sink is aborted.
    func commit() throws(SinkError)
    /// Drops buffered bytes and removes what can be removed; never throws; idempotent.
    func abort()
}

extension ByteSink {
    /// Accepts the bytes of `bytes`; see `write(_:)`.
    public func write(_ bytes: [UInt8]) throws(SinkError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(SinkError) in try write(raw) } }.get()
    }

    /// Accepts the UTF-8 bytes of `text`; see `write(_:)`.
    public func write(_ text: String) throws(SinkError) {
        var text = text
        try text.withUTF8 { utf8 in Result { () throws(SinkError) in try write(UnsafeRawBufferPointer(utf8)) } }.get()
    }
}
