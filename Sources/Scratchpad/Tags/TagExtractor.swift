/// Finds the scratchpad, draft and output blocks of one assistant field (CONTRACT.md "Tags", LABELS.md
/// §1.2 and §5.1) in a single forward pass over its UTF-8 bytes.
///
/// Rules:
/// - Tag names match case-insensitively. Scratchpad carriers: `SCRATCHPAD_REASONING`, `HIDDEN_SCRATCHPAD`,
///   `think`, `thinking`; output: `OUTPUT`; draft: `DRAFT_OUTPUT`, only inside a scratchpad (elsewhere it
///   is text). Syntax: see `TagLexer`.
/// - A block runs from an opening tag to the next closing tag of the same name; every other tag inside an
///   open block is text (`<SCRATCHPAD_REASONING><SCRATCHPAD_REASONING>x</SCRATCHPAD_REASONING>` has content
///   `<SCRATCHPAD_REASONING>x`). Inside a draft, the closing tag of the enclosing scratchpad closes both
///   (the draft is then `unclosed`), so an unclosed draft cannot swallow the rest of the field.
/// - A closing scratchpad tag with no opening tag (`orphanClose`) makes the text before it, from the start
///   of the field or from the end of the previous block, a scratchpad block (origin `.orphanClose`) unless
///   that text is only whitespace; `DRAFT_OUTPUT` regions in it become its drafts. An orphan `</OUTPUT>`
///   only sets the flag.
/// - A block with no closing tag runs to the end of the field (`unclosed`), less a truncated tag at the
///   very end (`truncatedTag`).
/// - Tags inside backtick code spans and fenced code blocks are text (`tagInCode`; see `CodeSpans`).
/// - Output: the `<OUTPUT>` blocks; if there is none and the last block is a closed scratchpad, the text
///   after it, trimmed of whitespace and `<NEXT/>`, when non-empty (LABELS.md §5.1).
/// - A field with no block tag at all is, depending on `untaggedIsReasoning`, one scratchpad block (flat
///   samples: all reasoning, no output) or one output block (chat assistant content), unless it is only
///   whitespace.
/// - Acceptance markers count only in output blocks (and separately in drafts); text outside blocks,
///   including `<NEXT/>` between blocks, is otherwise ignored.
///
/// Cost: O(n) over the field plus the code-span searches (see `CodeSpans`); bytes that are neither `<` nor a
/// backtick are skipped 8 at a time.
public enum TagExtractor {
    /// Extracts the blocks of `text`.
    /// - Parameter untaggedIsReasoning: what a field with no block tag is: `true` for flat samples (all
    ///   reasoning), `false` for chat assistant content (all output).
    public static func extract(_ text: UnsafeBufferPointer<UInt8>, untaggedIsReasoning: Bool) -> TagExtraction {
        guard let p = text.baseAddress, !text.isEmpty else { return TagExtraction() }
        var scan = Scan(p: p, end: text.count)
        scan.run()
        return scan.finish(untaggedIsReasoning: untaggedIsReasoning)
    }

    /// Extracts the blocks of `text` (see `extract(_:untaggedIsReasoning:)`).
    public static func extract(_ text: [UInt8], untaggedIsReasoning: Bool) -> TagExtraction {
        text.withUnsafeBufferPointer { extract($0, untaggedIsReasoning: untaggedIsReasoning) }
    }
}

/// The state of one extraction.
private struct Scan {
    let p: UnsafePointer<UInt8>
    let end: Int

    enum State {
        case outside
        /// Inside scratchpad `blocks[index]`, opened by `carrier`.
        case scratchpad(index: Int, carrier: ExtractedBlock.Tag)
        /// Inside a draft of scratchpad `blocks[index]`; the draft's tag starts at `tagStart`, its content
        /// at `contentStart`.
        case draft(index: Int, carrier: ExtractedBlock.Tag, tagStart: Int, contentStart: Int)
        case output(index: Int)
    }

    var state = State.outside
    var blocks: [ExtractedBlock] = []
    var codeSpans = CodeSpans()
    var result = TagExtraction()
    /// End of the previous block (start of a possible orphan-close segment).
    var segmentStart = 0
    /// End of the last closing scratchpad tag (including orphans).
    var lastScratchpadClose: Int?
    /// Draft regions seen outside any block, adopted by an orphan-close segment or an untagged field.
    var pendingDrafts: [(outer: Range<Int>, content: Range<Int>, unclosed: Bool)] = []
    var pendingDraftOpen: (tagStart: Int, contentStart: Int)?
    /// Acceptance markers outside any block: they count if they end up in an inferred output.
    var outsideMarkers: [(accepted: Bool, range: Range<Int>)] = []
    var outputAccepted = false, outputRejected = false
    var draftAccepted = false, draftRejected = false

    init(p: UnsafePointer<UInt8>, end: Int) {
        self.p = p
        self.end = end
    }

    mutating func run() {
        var i = 0
        while i < end {
            // Skip 8 bytes at a time while none is "<" or "`".
            if i + 8 <= end {
                let w = SWAR.load(p, i)
                if !SWAR.hasByte(w, UInt8(ascii: "<")) && !SWAR.hasByte(w, UInt8(ascii: "`")) {
                    i += 8
                    continue
                }
            }
            let b = p[i]
            if b == UInt8(ascii: "<") {
                if let token = TagLexer.token(p, at: i, end: end) {
                    handle(token)
                    i = token.range.upperBound
                } else {
                    i += 1
                }
            } else if b == UInt8(ascii: "`") {
                let (codeEnd, runEnd) = codeSpans.region(p, at: i, end: end)
                if let codeEnd {
                    if !result.tagInCode && containsTag(i..<codeEnd) { result.tagInCode = true }
                    i = codeEnd
                } else {
                    i = runEnd
                }
            } else {
                i += 1
            }
        }
    }

    func containsTag(_ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound {
            if p[i] == UInt8(ascii: "<"), let t = TagLexer.token(p, at: i, end: r.upperBound), t.name != .next { return true }
            i += 1
        }
        return false
    }

    mutating func handle(_ t: TagLexer.Token) {
        switch state {
        case .outside:
            handleOutside(t)
        case .scratchpad(let index, let carrier):
            if t.closing, t.name == .carrier(carrier) {
                closeScratchpad(index, contentEnd: t.range.lowerBound, tagEnd: t.range.upperBound)
            } else if !t.closing, t.name == .draft {
                state = .draft(index: index, carrier: carrier, tagStart: t.range.lowerBound, contentStart: t.range.upperBound)
            }
        case .draft(let index, let carrier, let tagStart, let contentStart):
            if t.closing, t.name == .draft {
                addDraft(outer: tagStart..<t.range.upperBound, content: contentStart..<t.range.lowerBound, unclosed: false)
                blocks[index].excluded.append(tagStart..<t.range.upperBound)
                state = .scratchpad(index: index, carrier: carrier)
            } else if t.closing, t.name == .carrier(carrier) {
                addDraft(outer: tagStart..<t.range.lowerBound, content: contentStart..<t.range.lowerBound, unclosed: true)
                blocks[index].excluded.append(tagStart..<t.range.lowerBound)
                closeScratchpad(index, contentEnd: t.range.lowerBound, tagEnd: t.range.upperBound)
            } else if t.name == .accepted {
                draftAccepted = true
            } else if t.name == .rejected {
                draftRejected = true
            }
        case .output(let index):
            if t.closing, t.name == .output {
                blocks[index].content = blocks[index].content.lowerBound..<t.range.lowerBound
                blocks[index].outer = blocks[index].outer.lowerBound..<t.range.upperBound
                segmentStart = t.range.upperBound
                state = .outside
            } else if t.name == .accepted || t.name == .rejected {
                noteOutputMarker(accepted: t.name == .accepted, range: t.range)
            }
        }
    }

    mutating func handleOutside(_ t: TagLexer.Token) {
        switch t.name {
        case .carrier(let carrier):
            result.tagged = true
            if t.closing {
                result.orphanClose = true
                let segment = segmentStart..<t.range.lowerBound
                if !isBlank(segment) {
                    let drafts = pendingDrafts
                    let index = blocks.count
                    blocks.append(ExtractedBlock(kind: .scratchpad, ordinal: 0, content: segment,
                                                 outer: segment.lowerBound..<t.range.upperBound,
                                                 tag: carrier, origin: .orphanClose))
                    for d in drafts {
                        addDraft(outer: d.outer, content: d.content, unclosed: d.unclosed)
                        blocks[index].excluded.append(d.outer)
                    }
                    if let open = pendingDraftOpen {
                        addDraft(outer: open.tagStart..<t.range.lowerBound, content: open.contentStart..<t.range.lowerBound, unclosed: true)
                        blocks[index].excluded.append(open.tagStart..<t.range.lowerBound)
                    }
                }
                lastScratchpadClose = t.range.upperBound
                segmentStart = t.range.upperBound
                clearPending()
            } else {
                clearPending()
                state = .scratchpad(index: blocks.count, carrier: carrier)
                blocks.append(ExtractedBlock(kind: .scratchpad, ordinal: 0, content: t.range.upperBound..<end,
                                             outer: t.range.lowerBound..<end, tag: carrier))
            }
        case .output:
            result.tagged = true
            if t.closing {
                result.orphanClose = true
            } else {
                clearPending()
                state = .output(index: blocks.count)
                blocks.append(ExtractedBlock(kind: .output, ordinal: 0, content: t.range.upperBound..<end,
                                             outer: t.range.lowerBound..<end, tag: .output))
            }
        case .draft:
            if !t.closing {
                if pendingDraftOpen == nil { pendingDraftOpen = (t.range.lowerBound, t.range.upperBound) }
            } else if let open = pendingDraftOpen {
                pendingDrafts.append((open.tagStart..<t.range.upperBound, open.contentStart..<t.range.lowerBound, false))
                pendingDraftOpen = nil
            }
        case .accepted, .rejected:
            if pendingDraftOpen == nil { outsideMarkers.append((t.name == .accepted, t.range)) }
        case .next:
            break
        }
    }

    mutating func clearPending() {
        pendingDrafts.removeAll()
        pendingDraftOpen = nil
    }

    mutating func closeScratchpad(_ index: Int, contentEnd: Int, tagEnd: Int) {
        blocks[index].content = blocks[index].content.lowerBound..<contentEnd
        blocks[index].outer = blocks[index].outer.lowerBound..<tagEnd
        lastScratchpadClose = tagEnd
        segmentStart = tagEnd
        state = .outside
    }

    mutating func addDraft(outer: Range<Int>, content: Range<Int>, unclosed: Bool) {
        blocks.append(ExtractedBlock(kind: .draft, ordinal: 0, content: content, outer: outer,
                                     unclosed: unclosed, tag: .draftOutput))
    }

    mutating func noteOutputMarker(accepted: Bool, range: Range<Int>) {
        if accepted { outputAccepted = true } else { outputRejected = true }
        if result.acceptanceRange == nil || range.lowerBound < result.acceptanceRange!.lowerBound {
            result.acceptanceRange = range
        }
    }

    func isBlank(_ r: Range<Int>) -> Bool {
        for i in r where !ASCIIClass.isSpace(p[i]) { return false }
        return true
    }

    /// `r` without leading whitespace and `<NEXT/>` tags and without trailing whitespace.
    func trimmed(_ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi {
            if ASCIIClass.isSpace(p[lo]) {
                lo += 1
            } else if p[lo] == UInt8(ascii: "<"), let t = TagLexer.token(p, at: lo, end: hi), t.name == .next {
                lo = t.range.upperBound
            } else {
                break
            }
        }
        while hi > lo && ASCIIClass.isSpace(p[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    mutating func finish(untaggedIsReasoning: Bool) -> TagExtraction {
        // A cut-off tag at the very end.
        var contentEnd = end
        var k = end - 1
        while k >= 0 && end - k <= TagLexer.maxNameLength + 4 {
            if p[k] == UInt8(ascii: ">") { break }
            if p[k] == UInt8(ascii: "<") {
                if TagLexer.isTruncatedTag(p, from: k, end: end) {
                    result.truncatedTag = true
                    contentEnd = k
                }
                break
            }
            k -= 1
        }

        switch state {
        case .outside:
            break
        case .scratchpad(let index, _), .output(let index):
            blocks[index].content = blocks[index].content.lowerBound..<max(blocks[index].content.lowerBound, contentEnd)
            blocks[index].unclosed = true
        case .draft(let index, _, let tagStart, let contentStart):
            let draftEnd = max(contentStart, contentEnd)
            addDraft(outer: tagStart..<draftEnd, content: contentStart..<draftEnd, unclosed: true)
            blocks[index].excluded.append(tagStart..<draftEnd)
            blocks[index].content = blocks[index].content.lowerBound..<max(blocks[index].content.lowerBound, contentEnd)
            blocks[index].unclosed = true
        }

        if !result.tagged {
            let whole = 0..<end
            if !isBlank(whole) {
                if untaggedIsReasoning {
                    let index = blocks.count
                    blocks.append(ExtractedBlock(kind: .scratchpad, ordinal: 0, content: whole, outer: whole,
                                                 tag: .none, origin: .untagged))
                    if let open = pendingDraftOpen {
                        pendingDrafts.append((open.tagStart..<end, open.contentStart..<end, true))
                    }
                    for d in pendingDrafts {
                        addDraft(outer: d.outer, content: d.content, unclosed: d.unclosed)
                        blocks[index].excluded.append(d.outer)
                    }
                } else {
                    let content = trimmed(whole)
                    blocks.append(ExtractedBlock(kind: .output, ordinal: 0, content: content, outer: content,
                                                 tag: .none, origin: .untagged))
                    for m in outsideMarkers { noteOutputMarker(accepted: m.accepted, range: m.range) }
                }
            }
        } else if !blocks.contains(where: { $0.kind == .output }), let close = lastScratchpadClose,
                  case .outside = state, close == segmentStart {
            let content = trimmed(close..<end)
            if !content.isEmpty {
                blocks.append(ExtractedBlock(kind: .output, ordinal: 0, content: content, outer: content,
                                             tag: .none, origin: .afterScratchpad))
                for m in outsideMarkers where m.range.lowerBound >= content.lowerBound {
                    noteOutputMarker(accepted: m.accepted, range: m.range)
                }
            }
        }

        var ordinals = [0, 0, 0]
        for i in blocks.indices {
            let slot: Int
            switch blocks[i].kind {
            case .scratchpad: slot = 0
            case .draft: slot = 1
            case .output: slot = 2
            }
            ordinals[slot] += 1
            blocks[i].ordinal = ordinals[slot]
        }
        result.blocks = blocks
        result.unclosed = blocks.contains { $0.unclosed }
        result.acceptance = AcceptanceTag(accepted: outputAccepted, rejected: outputRejected)
        result.draftAcceptance = AcceptanceTag(accepted: draftAccepted, rejected: draftRejected)
        return result
    }
}
