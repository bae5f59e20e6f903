/// One block found by `TagExtractor` in an assistant field. All ranges are half-open byte ranges into the
/// UTF-8 text of that field.
public struct ExtractedBlock: Sendable, Hashable {
    /// What a block holds.
    public enum Kind: String, Sendable, Hashable {
        /// Model reasoning (`<SCRATCHPAD_REASONING>`, `<HIDDEN_SCRATCHPAD>`, `<think>`, `<thinking>`, text
        /// before an orphan closing tag, or an untagged flat text).
        case scratchpad
        /// A `<DRAFT_OUTPUT>` region inside a scratchpad.
        case draft
        /// The final output (`<OUTPUT>`, or the text after the last closing scratchpad tag).
        case output
    }

    /// The tag that delimits the block (its name matched case-insensitively).
    public enum Tag: String, Sendable, Hashable {
        case scratchpadReasoning = "SCRATCHPAD_REASONING"
        case hiddenScratchpad = "HIDDEN_SCRATCHPAD"
        case think
        case thinking
        case output = "OUTPUT"
        case draftOutput = "DRAFT_OUTPUT"
        /// No tag: the block was inferred (`origin` is not `.tagged`).
        case none = ""
    }

    /// How the block was found.
    public enum Origin: String, Sendable, Hashable {
        /// From an opening tag to its closing tag (or to the end of the field when `unclosed`).
        case tagged
        /// Text before a closing scratchpad tag that had no opening tag (from the start of the field or
        /// from the end of the previous block); `tag` is that closing tag's name.
        case orphanClose
        /// The whole field, which had no block tag at all.
        case untagged
        /// The non-whitespace text after the last closing scratchpad tag, when there is no `<OUTPUT>`.
        case afterScratchpad
    }

    public var kind: Kind
    /// 1-based, per kind, in document order: scratchpad#1, scratchpad#2, draft#1, output#1.
    public var ordinal: Int
    /// The content between the tags (for inferred blocks: the text the block stands for; an
    /// `afterScratchpad` output is trimmed of surrounding whitespace and `<NEXT/>` tags).
    public var content: Range<Int>
    /// The block including its tags (`content` for inferred blocks without tags).
    public var outer: Range<Int>
    /// For a scratchpad: its DRAFT_OUTPUT regions including their tags, ascending, which reasoning
    /// scoring must skip (`reasoningRanges`). Empty for other kinds.
    public var excluded: [Range<Int>]
    /// The block had no closing tag and runs to the end of the field (less a truncated tag fragment at
    /// the very end, see `TagExtraction.truncatedTag`); for a draft, also when its scratchpad closed first.
    public var unclosed: Bool
    public var tag: Tag
    public var origin: Origin

    public init(kind: Kind, ordinal: Int, content: Range<Int>, outer: Range<Int>, excluded: [Range<Int>] = [],
                unclosed: Bool = false, tag: Tag, origin: Origin = .tagged) {
        self.kind = kind
        self.ordinal = ordinal
        self.content = content
        self.outer = outer
        self.excluded = excluded
        self.unclosed = unclosed
        self.tag = tag
        self.origin = origin
    }

    /// The evidence block name (`Evidence.block`): `scratchpad#1`, `draft#2`, `output` (the first output;
    /// later ones `output#2`, …).
    public var name: String {
        if kind == .output && ordinal == 1 { return "output" }
        return "\(kind.rawValue)#\(ordinal)"
    }

    /// `content` with the `excluded` regions cut out: the ranges to normalize and scan as reasoning
    /// (empty ranges are dropped).
    public var reasoningRanges: [Range<Int>] {
        guard !excluded.isEmpty else { return content.isEmpty ? [] : [content] }
        var result: [Range<Int>] = []
        var start = content.lowerBound
        for cut in excluded {
            let lo = max(cut.lowerBound, content.lowerBound), hi = min(cut.upperBound, content.upperBound)
            if lo > start { result.append(start..<lo) }
            start = max(start, hi)
        }
        if start < content.upperBound { result.append(start..<content.upperBound) }
        return result
    }
}

/// `<request_fully_accepted/>` / `<rejected/>` found in the output.
public enum AcceptanceTag: String, Sendable, Hashable {
    case accepted, rejected, both, none

    init(accepted: Bool, rejected: Bool) {
        switch (accepted, rejected) {
        case (true, true): self = .both
        case (true, false): self = .accepted
        case (false, true): self = .rejected
        case (false, false): self = .none
        }
    }
}

/// The result of `TagExtractor.extract`: blocks, the acceptance tag, and parse flags.
public struct TagExtraction: Sendable, Hashable {
    /// Blocks in document order (a scratchpad precedes the drafts inside it).
    public var blocks: [ExtractedBlock]
    /// From `<request_fully_accepted/>` and `<rejected/>` (also `<rejected />`, any case) in the output
    /// blocks only: not in drafts, not in reasoning, not in code spans.
    public var acceptance: AcceptanceTag
    /// The byte range of the first acceptance tag counted in `acceptance`, if any.
    public var acceptanceRange: Range<Int>?
    /// The same, over the DRAFT_OUTPUT regions (for decision cross-checks).
    public var draftAcceptance: AcceptanceTag
    /// Some block tag opened or closed a block, or closed nothing (false: the field was untagged).
    public var tagged: Bool
    /// Some block is unclosed.
    public var unclosed: Bool
    /// A closing scratchpad or output tag appeared with no opening tag.
    public var orphanClose: Bool
    /// A tag was seen inside a backtick code span or fenced code block and treated as text.
    public var tagInCode: Bool
    /// The field ends inside what looks like a cut-off tag (`…</SCRATCHPAD_REAS`); the fragment is left
    /// out of an unclosed block's content.
    public var truncatedTag: Bool

    public init(blocks: [ExtractedBlock] = [], acceptance: AcceptanceTag = .none, acceptanceRange: Range<Int>? = nil,
                draftAcceptance: AcceptanceTag = .none, tagged: Bool = false, unclosed: Bool = false,
                orphanClose: Bool = false, tagInCode: Bool = false, truncatedTag: Bool = false) {
        self.blocks = blocks
        self.acceptance = acceptance
        self.acceptanceRange = acceptanceRange
        self.draftAcceptance = draftAcceptance
        self.tagged = tagged
        self.unclosed = unclosed
        self.orphanClose = orphanClose
        self.tagInCode = tagInCode
        self.truncatedTag = truncatedTag
    }

    /// At least one scratchpad block.
    public var scratchpadPresent: Bool { blocks.contains { $0.kind == .scratchpad } }
    /// At least one output block (possibly empty).
    public var outputPresent: Bool { blocks.contains { $0.kind == .output } }
    /// The number of scratchpad blocks (`fmt.n_blocks`).
    public var scratchpadCount: Int { blocks.lazy.filter { $0.kind == .scratchpad }.count }
    public var draftCount: Int { blocks.lazy.filter { $0.kind == .draft }.count }
    public var outputCount: Int { blocks.lazy.filter { $0.kind == .output }.count }
    /// The number of blocks of every kind.
    public var blockCount: Int { blocks.count }
}
