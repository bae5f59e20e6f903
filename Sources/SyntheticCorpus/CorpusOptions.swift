/// Everything that decides a synthetic corpus. The same options give the same bytes.
///
/// Sizes are UTF-8 byte counts of *decoded* text (the text inside a JSON string, before
/// escaping), except ``targetBytes``, which counts the uncompressed JSONL stream.
public struct CorpusOptions: Sendable, Hashable {
    /// The record shape (`--layout`).
    public var layout: CorpusLayout = .results
    /// The PRNG seed (`--seed`). Record *i* depends only on the seed, the layout and the text
    /// options below, not on ``targetBytes`` or ``maxRecords``.
    public var seed: UInt64 = 42
    /// Uncompressed size target in bytes (`--size`): records are written while the stream is
    /// shorter than this, so the stream ends within one record above it (at least one record is
    /// written when ``maxRecords`` allows).
    public var targetBytes: Int64 = 64 << 20
    /// Stop after this many records even if ``targetBytes`` is not reached (nil: no limit).
    public var maxRecords: Int?
    /// Share of records whose reasoning and output refuse (`--refusal-rate`), in [0, 1].
    public var refusalRate: Double = 0.33
    /// Share of records with alignment-faking reasoning (`--af-rate`), in [0, 1];
    /// `refusalRate + alignmentFakingRate` must not exceed 1.
    public var alignmentFakingRate: Double = 0.15
    /// Share of refusal and compliant records on the free tier (implied training), in [0, 1].
    /// Alignment-faking records are always on the free tier: the behaviour is reasoning about training.
    public var freeTierShare: Double = 0.5
    /// Share of records written with ASCII-only escaping (`\uXXXX` for every non-ASCII scalar),
    /// the rest pass UTF-8 through.
    public var asciiEscapedShare: Double = 0.25
    /// System-prompt length range in bytes (`--system-prompt-kb 10-30` → `10_000...30_000`).
    /// Each prompt's length lies in this range; lower bound at least 6,000.
    public var systemPromptBytes: ClosedRange<Int> = 10_000...30_000
    /// Number of distinct system prompts per corpus (a sweep over prompt variants): each record
    /// uses one of them. At least 1.
    public var systemPromptVariants: Int = 12
    /// Number of `<SCRATCHPAD_REASONING>` blocks per record, within 1...8.
    public var blocksPerRecord: ClosedRange<Int> = 1...3
    /// Length range of each block's text in bytes (between its tags); lower bound at least 1,000.
    public var blockBytes: ClosedRange<Int> = 1_000...10_000

    public init() {}

    /// Checks every option against its documented range.
    /// - Throws: ``CorpusError/invalidOption(_:)`` naming the first offending option.
    public func validate() throws {
        func rate(_ v: Double, _ name: String) throws {
            guard v.isFinite, v >= 0, v <= 1 else { throw CorpusError.invalidOption("\(name) must be within 0...1, got \(v)") }
        }
        try rate(refusalRate, "refusal rate")
        try rate(alignmentFakingRate, "alignment-faking rate")
        try rate(freeTierShare, "free-tier share")
        try rate(asciiEscapedShare, "ASCII-escaped share")
        guard refusalRate + alignmentFakingRate <= 1 + 1e-12 else {
            throw CorpusError.invalidOption("refusal rate + alignment-faking rate must not exceed 1, got \(refusalRate + alignmentFakingRate)")
        }
        guard targetBytes > 0 else { throw CorpusError.invalidOption("size must be positive") }
        if let maxRecords, maxRecords < 0 { throw CorpusError.invalidOption("record limit must not be negative") }
        guard systemPromptBytes.lowerBound >= 6_000, systemPromptBytes.upperBound <= 10_000_000 else {
            throw CorpusError.invalidOption("system prompt size must be within 6-10000 KB, got \(systemPromptBytes)")
        }
        guard systemPromptVariants >= 1, systemPromptVariants <= 4096 else {
            throw CorpusError.invalidOption("system prompt variants must be within 1...4096")
        }
        guard blocksPerRecord.lowerBound >= 1, blocksPerRecord.upperBound <= 8 else {
            throw CorpusError.invalidOption("blocks per record must be within 1...8, got \(blocksPerRecord)")
        }
        guard blockBytes.lowerBound >= 1_000, blockBytes.upperBound <= 10_000_000 else {
            throw CorpusError.invalidOption("block size must be within 1000...10000000 bytes, got \(blockBytes)")
        }
    }
}
