/// The kind of text block a scan ran over; decides which rules apply (`Rule.Scope`).
public enum BlockKind: String, Sendable, Hashable {
    /// A scratchpad block (`<SCRATCHPAD_REASONING>`, `<think>`, …) with drafts cut out.
    case scratchpad
    /// A reasoning field (`reasoning_content`, a `thinking` block, …); scored like a scratchpad.
    case reasoning
    /// A `<DRAFT_OUTPUT>` region inside a scratchpad.
    case draft
    /// The final output (`<OUTPUT>`, or the text after the last scratchpad).
    case output

    /// Whether a rule of `scope` is scanned in a block of this kind.
    public func admits(_ scope: Rule.Scope) -> Bool {
        switch scope {
        case .any: return true
        case .reasoning: return self == .scratchpad || self == .reasoning
        case .draft: return self == .draft
        case .output: return self == .output
        }
    }
}

/// A rule whose condition held in one block, with the span of one anchor match.
///
/// `start`/`end` are a half-open byte range into the block's *normalized* text; the caller maps them
/// back to original byte offsets. A rule that holds at several places yields several hits (at most
/// `RuleScanner.maxHitsPerRule` per block), in order of `end`.
public struct RuleHit: Sendable, Hashable {
    /// Index into `RuleSet.rules`.
    public var rule: Int
    /// Index of the block in the scan's block list.
    public var block: Int
    public var start: Int
    public var end: Int
    /// Index of the sentence holding `end - 1` within the block (0-based).
    public var sentence: Int

    public init(rule: Int, block: Int, start: Int, end: Int, sentence: Int) {
        self.rule = rule
        self.block = block
        self.start = start
        self.end = end
        self.sentence = sentence
    }
}
