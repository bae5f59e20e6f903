/// A batch of consecutive records of one stream, in input order, with their bytes in one buffer.
///
/// Invariant: `storage` holds every record's bytes at `record.range` followed by at least
/// `RecordBatch.padding` readable bytes (the next records' bytes, then zero padding after the last
/// record), so each record can be parsed by simdjson in place (`JSONParser.parse(_:hasPadding: true)`;
/// simdjson 3.0.1 needs 64).
public struct RecordBatch: Sendable {
    /// Zero bytes appended after the last record's bytes.
    public static let padding = 64

    public var storage: [UInt8]
    public var records: [FramedRecord]

    public init(storage: [UInt8], records: [FramedRecord]) {
        self.storage = storage
        self.records = records
    }
}
