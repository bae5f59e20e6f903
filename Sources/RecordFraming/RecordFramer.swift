/// Cuts a decoded (decompressed) byte stream into records, in batches.
///
/// Streaming and bounded: a record's bytes are buffered only up to `maxRecordBytes` (longer records
/// become `record_too_large` faults whose bytes are skipped, not stored), batches are cut at record
/// boundaries once they hold `batchBytes`, and sniffing buffers at most the first line or `maxRecordBytes`.
/// The output does not depend on how the stream is split into chunks: any chunking of the same bytes
/// gives the same records, numbers, offsets and faults (batch boundaries may move only with `batchBytes`).
///
/// Numbering (CONTRACT.md "Records"): record numbers are 1-based within the stream (line number, array
/// element index + 1, or value ordinal) and keep increasing across batches; byte offsets are 0-based into
/// the decompressed stream. A UTF-8 BOM at the very start is skipped (it occupies offsets 0–2).
///
/// Not `Sendable`: one reader thread pushes chunks; the `RecordBatch`es it returns are `Sendable` values.
public final class RecordFramer {
    /// The framing mode: as given to `init`, or, when sniffing, nil until enough bytes were seen.
    public private(set) var mode: FramingMode?

    public let maxRecordBytes: Int
    /// The largest `maxRecordBytes` honoured (4 GiB − 1 − padding); larger limits are clamped to it.
    public static let largestRecordBytes = Int(UInt32.max) - 1 - RecordBatch.padding
    public let batchBytes: Int

    private var builder: BatchBuilder
    private var sniffer: ModeSniffer
    /// Stream bytes held while sniffing (BOM removed), starting at `bodyStart`.
    private var sniffBuffer: [UInt8] = []
    /// The first bytes of the stream while deciding whether they are a BOM (at most 3).
    private var bomCandidate: [UInt8] = []
    private var bomDecided = false
    /// Stream offset of the first byte after any BOM.
    private var bodyStart: Int64 = 0
    /// Stream offset of the next byte handed to the mode framer.
    private var nextOffset: Int64 = 0
    private var lines: LineSplitter?
    private var values: ValueScanner?
    private var inspectLog: InspectLogScanner?
    private var finished = false

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// - Parameters:
    ///   - mode: the framing mode, or nil to sniff it from the content.
    ///   - maxRecordBytes: the largest record in bytes (`--max-record-bytes`); must be positive.
    ///   - batchBytes: the record bytes after which a batch is cut (default 1 MiB); must be positive.
    public init(mode: FramingMode? = nil, maxRecordBytes: Int, batchBytes: Int = 1 << 20) {
        precondition(maxRecordBytes > 0 && batchBytes > 0, "maxRecordBytes and batchBytes must be positive")
        // No record can exceed 4 GiB (simdjson's limit); clamping keeps `maxRecordBytes + 1` arithmetic safe.
        let maxRecordBytes = min(maxRecordBytes, Self.largestRecordBytes)
        self.mode = nil
        self.maxRecordBytes = maxRecordBytes
        self.batchBytes = batchBytes
        self.builder = BatchBuilder(batchBytes: batchBytes)
        self.sniffer = ModeSniffer(maxRecordBytes: maxRecordBytes)
        if let mode { start(mode) }
    }

    /// Frames the next bytes of the stream. Returns the batches completed by them (possibly none).
    /// The chunk is not referenced after the call.
    public func push(_ chunk: UnsafeRawBufferPointer) -> [RecordBatch] {
        precondition(!finished, "push after finish")
        var body = chunk
        if !bomDecided {
            let take = min(3 - bomCandidate.count, chunk.count)
            bomCandidate.append(contentsOf: chunk[0..<take])
            body = UnsafeRawBufferPointer(rebasing: chunk[take...])
            if bomCandidate.count == 3 || bomCandidate != Array(Self.bom.prefix(bomCandidate.count)) {
                decideBOM()
            } else {
                return []
            }
        }
        feedBody(body)
        return builder.takeCompleted()
    }

    /// Ends the stream: frames what is left (a last line without `\n`, a truncated element or value) and
    /// returns the remaining batches, the last one possibly smaller than `batchBytes`.
    public func finish() -> [RecordBatch] {
        precondition(!finished, "finish called twice")
        finished = true
        if !bomDecided { decideBOM() }
        if mode == nil {
            let decided = sniffer.feed(sniffBuffer, atEndOfStream: true) ?? .lines
            start(decided)
            replaySniffBuffer()
        }
        if lines != nil {
            lines!.finish(into: &builder)
        } else if values != nil {
            values!.finish(at: nextOffset, into: &builder)
        } else if inspectLog != nil {
            inspectLog!.finish(at: nextOffset, into: &builder)
        }
        builder.cut()
        return builder.takeCompleted()
    }

    // MARK: Steps

    /// Resolves the first bytes: drops a complete BOM, or hands the held bytes on as body bytes.
    private func decideBOM() {
        bomDecided = true
        let held = bomCandidate
        bomCandidate = []
        if held == Self.bom {
            bodyStart = 3
            nextOffset = 3
            // An explicit lines mode was started before the BOM was known: its first line begins after it.
            if lines != nil { lines = LineSplitter(maxRecordBytes: maxRecordBytes, startOffset: bodyStart) }
        } else {
            held.withUnsafeBytes { feedBody($0) }
        }
    }

    private func feedBody(_ body: UnsafeRawBufferPointer) {
        guard !body.isEmpty else { return }
        if mode == nil {
            sniffBuffer.append(contentsOf: body)
            guard let decided = sniffer.feed(sniffBuffer, atEndOfStream: false) else { return }
            start(decided)
            replaySniffBuffer()
            return
        }
        frame(body)
    }

    private func start(_ decided: FramingMode) {
        mode = decided
        switch decided {
        case .lines: lines = LineSplitter(maxRecordBytes: maxRecordBytes, startOffset: bodyStart)
        case .array: values = ValueScanner(kind: .array, maxRecordBytes: maxRecordBytes)
        case .document: values = ValueScanner(kind: .document, maxRecordBytes: maxRecordBytes)
        case .inspectLog: inspectLog = InspectLogScanner(maxRecordBytes: maxRecordBytes)
        }
    }

    private func replaySniffBuffer() {
        let held = sniffBuffer
        sniffBuffer = []
        held.withUnsafeBytes { frame($0) }
    }

    private func frame(_ body: UnsafeRawBufferPointer) {
        guard !body.isEmpty else { return }
        if lines != nil {
            lines!.consume(body, at: nextOffset, into: &builder)
        } else if values != nil {
            values!.consume(body, at: nextOffset, into: &builder)
        } else {
            inspectLog!.consume(body, at: nextOffset, into: &builder)
        }
        nextOffset += Int64(body.count)
    }
}
