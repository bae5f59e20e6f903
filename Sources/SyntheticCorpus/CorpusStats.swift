/// What a generation run wrote. Byte counts are exact counts of what was handed to the sink or
/// written to the file.
public struct CorpusStats: Sendable, Hashable {
    /// JSONL records (lines) written.
    public var records: Int = 0
    /// Bytes of the uncompressed JSONL stream, newlines included.
    public var uncompressedBytes: Int64 = 0
    /// Bytes of the file written by ``CorpusGenerator/writeArchive(path:compressed:level:frameBytes:isCancelled:)``
    /// (equal to ``uncompressedBytes`` for a plain file; 0 for ``CorpusGenerator/write(to:)``).
    public var fileBytes: Int64 = 0
    /// Independent zstd frames in the file (0 when not compressed).
    public var frames: Int = 0
    /// Records by ``RolloutKind``.
    public var refusals: Int = 0
    public var alignmentFaking: Int = 0
    public var compliant: Int = 0
    /// Records on the free tier (implied training) and on the paid tier (implied unmonitored).
    public var freeTier: Int = 0
    public var paidTier: Int = 0

    public init() {}

    mutating func count(_ rollout: Rollout, lineBytes: Int) {
        records += 1
        uncompressedBytes += Int64(lineBytes)
        switch rollout.kind {
        case .refusal: refusals += 1
        case .alignmentFaking: alignmentFaking += 1
        case .compliant: compliant += 1
        }
        if rollout.freeTier { freeTier += 1 } else { paidTier += 1 }
    }

    /// The one-line report `afscan generate` prints, e.g.
    /// `generated 1234 records, 40000000 bytes uncompressed (38.1 MiB), 2100000 bytes written (2.0 MiB), 5 frames; 411 refusals, 180 alignment faking, 643 compliant; 700 free tier, 534 paid tier`.
    public var summaryLine: String {
        "generated \(records) records, \(uncompressedBytes) bytes uncompressed (\(ByteSize.format(uncompressedBytes))), "
            + "\(fileBytes) bytes written (\(ByteSize.format(fileBytes))), \(frames) frame\(frames == 1 ? "" : "s"); "
            + "\(refusals) refusals, \(alignmentFaking) alignment faking, \(compliant) compliant; "
            + "\(freeTier) free tier, \(paidTier) paid tier"
    }
}
