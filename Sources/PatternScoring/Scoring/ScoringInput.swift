import AfscanCore

/// The acceptance tag found at the start of the final output (`<request_fully_accepted/>` /
/// `<rejected/>`), as extracted by the `Scratchpad` stage. Tags in the user input and in drafts are
/// not counted here (LABELS.md §5.3-B, `out.acceptance_tag`).
public enum OutputTag: String, Sendable, Hashable {
    case accepted, rejected, both, none
}

/// One scanned text block and the rule hits found in it.
public struct ScoringBlock: Sendable {
    /// What the block is; decides which rules may count in it (`BlockKind.admits(_:)`).
    public var kind: BlockKind
    /// The block's display name, e.g. `scratchpad#1`, `reasoning#1`, `draft#1`, `output`.
    public var name: String
    /// Hits of this block. Their `block` field must equal this block's index in
    /// `ScoringInput.blocks`; hits with another index are attributed to the block they name.
    public var hits: [RuleHit]
    /// Length of the block's normalized text in bytes (UTF-8). Used for output-shape checks.
    public var normalizedLength: Int
    /// Spans of the block's normalized text that echo the record's own system prompt (`PromptEcho`):
    /// half-open byte ranges, ascending. Empty when unknown (no system prompt in the record).
    public var echoRanges: [Range<Int>]

    public init(kind: BlockKind, name: String, hits: [RuleHit], normalizedLength: Int, echoRanges: [Range<Int>] = []) {
        self.kind = kind
        self.name = name
        self.hits = hits
        self.normalizedLength = normalizedLength
        self.echoRanges = echoRanges
    }
}

/// Everything the scorer needs about one sample: its blocks with hits, and structural facts from
/// extraction. The scorer never sees text, only hits and lengths.
public struct ScoringInput: Sendable {
    /// Blocks in document order; a hit's `block` is an index into this array.
    public var blocks: [ScoringBlock]
    /// The acceptance tag at the start of the final output.
    public var outputTag: OutputTag
    /// Byte offset in the output block's normalized text just after the acceptance tag, when
    /// `outputTag` is `accepted` or `both`; nil otherwise (the content then starts at 0).
    public var outputTagEnd: Int?
    /// True when at least one non-empty scratchpad or reasoning block exists.
    public var reasoningPresent: Bool
    /// Read `out.compliance` and `out.compromise_level` from the output alone (never marking a
    /// complied-shape output `partial` because of the reasoning's decision). Set whenever a model runs,
    /// so that these labels — and the compliance gap — are the same whichever records the criteria ran on.
    public var outputOnlyCompliance = false
    /// True when the reasoning was redacted by the provider (its text is not available).
    public var reasoningRedacted: Bool
    /// True when the final output is present and non-empty.
    public var outputPresent: Bool
    /// The sample's condition. Reported only; it never gates a score (CONTRACT.md "Condition").
    public var condition: Condition

    public init(blocks: [ScoringBlock], outputTag: OutputTag = .none, outputTagEnd: Int? = nil,
                reasoningPresent: Bool, reasoningRedacted: Bool = false, outputPresent: Bool,
                condition: Condition = .unknown) {
        self.blocks = blocks
        self.outputTag = outputTag
        self.outputTagEnd = outputTagEnd
        self.reasoningPresent = reasoningPresent
        self.reasoningRedacted = reasoningRedacted
        self.outputPresent = outputPresent
        self.condition = condition
    }
}
