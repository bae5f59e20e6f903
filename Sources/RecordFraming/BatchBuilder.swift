/// Accumulates records into batches for `RecordFramer`.
///
/// Invariants
/// - The *open* record (the one being framed) is `storage[openStart...]`; committed records lie before it.
/// - A batch is cut only at a record boundary (after a commit, when no bytes are open), once
///   `storage.count >= batchBytes` or it holds `maxRecords` records (tiny records would otherwise make
///   batches whose label rows are hundreds of times larger than their input); so a record larger than
///   `batchBytes` makes its own batch, and memory
///   is bounded by `batchBytes + maxRecordBytes + padding` plus the records of completed batches not yet
///   taken.
struct BatchBuilder {
    let batchBytes: Int
    /// Most records per batch.
    static let maxRecords = 1024
    private(set) var storage: [UInt8] = []
    private var records: [FramedRecord] = []
    private var completed: [RecordBatch] = []
    private var openStart = 0

    init(batchBytes: Int) {
        self.batchBytes = batchBytes
        storage.reserveCapacity(batchBytes + RecordBatch.padding)
    }

    /// Bytes of the open record buffered so far.
    var openLength: Int { storage.count - openStart }

    /// The last buffered byte of the open record, if any.
    var openLastByte: UInt8? { openLength > 0 ? storage[storage.count - 1] : nil }

    mutating func appendOpen(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    mutating func dropOpenLast() {
        if openLength > 0 { storage.removeLast() }
    }

    /// Adds `member` (`"key":value`) as the last member of the open record when it is a JSON object
    /// (its last byte is `}`); otherwise leaves it as it is.
    mutating func addMemberToOpenObject(_ member: [UInt8]) {
        guard openLastByte == UInt8(ascii: "}") else { return }
        storage.removeLast()
        let lastSignificant = storage[openStart...].last { !ValueScanner.isWhitespace($0) }
        if lastSignificant != UInt8(ascii: "{") { storage.append(UInt8(ascii: ",")) }
        storage.append(contentsOf: member)
        storage.append(UInt8(ascii: "}"))
    }

    /// Forgets the open record's bytes.
    mutating func discardOpen() {
        storage.removeSubrange(openStart...)
    }

    /// True when the open record is empty or only JSON whitespace (space, tab, CR, LF).
    var openIsBlank: Bool {
        storage[openStart...].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }

    /// Makes the open bytes a record.
    mutating func commitOpen(recordNumber: Int, byteOffset: Int64) {
        records.append(FramedRecord(recordNumber: recordNumber, byteOffset: byteOffset, range: openStart..<storage.count))
        openStart = storage.count
        cutIfFull()
    }

    /// Records a fault (dropping any open bytes).
    mutating func commitFault(recordNumber: Int, byteOffset: Int64, _ fault: FramingFault) {
        discardOpen()
        records.append(
            FramedRecord(recordNumber: recordNumber, byteOffset: byteOffset, range: storage.count..<storage.count, fault: fault))
        cutIfFull()
    }

    private mutating func cutIfFull() {
        if storage.count >= batchBytes || records.count >= Self.maxRecords { cut() }
    }

    /// Closes the current batch (if it has records). Requires no open bytes.
    mutating func cut() {
        precondition(openLength == 0, "a batch is cut only at a record boundary")
        guard !records.isEmpty else { return }
        storage.append(contentsOf: repeatElement(0, count: RecordBatch.padding))
        completed.append(RecordBatch(storage: storage, records: records))
        storage = []
        storage.reserveCapacity(batchBytes + RecordBatch.padding)
        records = []
        openStart = 0
    }

    mutating func takeCompleted() -> [RecordBatch] {
        defer { completed = [] }
        return completed
    }
}
