/// One record found in a decoded stream.
public struct FramedRecord: Sendable, Hashable {
    /// 1-based: the line number (lines mode), element index + 1 (array mode), or value ordinal
    /// (document mode). Keeps increasing across batches of one stream.
    public var recordNumber: Int
    /// 0-based offset, in bytes of the decompressed stream, of the record's first byte (after leading
    /// whitespace; a UTF-8 BOM at the start of the stream counts as 3 bytes and is never part of a record).
    /// For a fault with no record bytes (e.g. content after `]`), the offset where the problem was found.
    public var byteOffset: Int64
    /// The record's bytes in `RecordBatch.storage`: a line without `\n` and trailing `\r`, or an element
    /// or value without surrounding whitespace. Empty when `fault != nil`.
    public var range: Range<Int>
    /// Why the record could not be framed; nil for a normal record.
    public var fault: FramingFault?

    public init(recordNumber: Int, byteOffset: Int64, range: Range<Int>, fault: FramingFault? = nil) {
        self.recordNumber = recordNumber
        self.byteOffset = byteOffset
        self.range = range
        self.fault = fault
    }
}
