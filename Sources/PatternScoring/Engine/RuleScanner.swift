import CHyperscan

/// Scans blocks of normalized text against a `CompiledRules` and returns the rules that hold, with
/// evidence spans. One per worker thread: it owns a Vectorscan scratch (cloned from the compiled
/// rules' prototype with `hs_clone_scratch`) and reusable match buffers, so it is deliberately not
/// `Sendable`; the `CompiledRules` it reads is shared by every scanner.
///
/// A scan is two passes:
/// 1. the hot pass: `hs_scan` of the whole block against the database of every pattern of the rules
///    the block's kind admits (`CompiledRules.scanDatabase(for:)`), recording
///    (pattern id, end offset) for every match, no start offsets, no allocation once warmed up;
/// 2. for each rule whose scope the block admits and whose condition holds, at most
///    `maxHitsPerRule` anchors (see `ConditionExpression.anchors`) get their start offset: `end -
///    width` for a string whose matches all have one length, else from a local `hs_scan` of the
///    string's own start-of-match database over `[end - maxWidth - 1, end + 1)` (for a pattern of
///    unbounded length: back to at most `CompiledRules.unboundedStartWindow` bytes before `end`, plus the context byte). The
///    extra byte on each side gives `\b`, `^` and `$` the context they have in the block.
public final class RuleScanner {
    /// Most hits (anchors) returned per rule per block.
    public static let maxHitsPerRule = 3

    public let rules: CompiledRules
    private let scratch: OpaquePointer
    private let matches: BlockMatches
    /// Reused anchor buffer: (global string id, end offset).
    private var anchors: [(string: Int, end: Int)] = []

    /// Makes a scanner with its own scratch. Wraps `hs_clone_scratch`.
    public init(_ rules: CompiledRules) {
        self.rules = rules
        self.scratch = rules.cloneScratch()
        self.matches = BlockMatches(stringCount: rules.stringCount)
        anchors.reserveCapacity(4 * Self.maxHitsPerRule)
    }

    deinit {
        hs_free_scratch(scratch)
    }

    /// Scans one block.
    ///
    /// - Parameters:
    ///   - block: the block's index in the caller's block list, copied into each `RuleHit.block`.
    ///   - kind: decides which rules apply (`BlockKind.admits(rule.scope)`).
    ///   - text: the block's normalized UTF-8 bytes (at most 4 GiB − 1).
    ///   - sentenceStarts: byte offsets where sentences start, ascending (normally `[0, …]`); used for
    ///     `near` and `RuleHit.sentence`. Empty means one sentence.
    /// - Returns: hits ordered by rule index, then by `end`; at most `maxHitsPerRule` per rule, with
    ///   distinct end offsets. `start`/`end` are a half-open byte range into `text`; `sentence` is the
    ///   index of the sentence holding byte `end - 1`.
    /// Wraps `hs_scan`.
    public func scan(block: Int, kind: BlockKind, text: UnsafeBufferPointer<UInt8>,
                     sentenceStarts: UnsafeBufferPointer<Int32>) -> [RuleHit] {
        firstPass(kind: kind, text: text, sentenceStarts: sentenceStarts)
        resetStartCache()

        var hits: [RuleHit] = []
        // Work on a local copy of the reusable anchor buffer (moved out and back, so it keeps its
        // capacity without a class-property access per append).
        var anchors = self.anchors
        self.anchors = []
        defer { self.anchors = anchors }
        for r in rules.ruleIndices(admittedBy: kind) {
            let range = rules.stringRanges[r]
            var any = false
            for s in range where matches.matchCount(s) > 0 {
                any = true
                break
            }
            guard any else { continue }  // the loader rejects conditions that hold with no match
            let view = RuleMatchView(matches: matches, base: range.lowerBound)
            let condition = rules.conditions[r]
            guard condition.evaluate(in: view) else { continue }
            let selection = condition.anchors(in: view) ?? .matchesOfAny(Array(0..<range.count))
            collectAnchors(selection, base: range.lowerBound, into: &anchors)
            // Vectorscan reports every end of a match (`modif\w*` ends after `modif`, `modify`, …):
            // overlapping anchors of one rule are one piece of evidence, spanning their union, so a
            // span never stops mid-word. At most `maxHitsPerRule` merged hits per rule.
            var emitted = 0
            for anchor in anchors {
                let start = startOffset(of: anchor.string, end: anchor.end, text: text)
                if emitted > 0, var last = hits.last, last.rule == r, start < last.end {
                    if anchor.end > last.end {
                        last.start = min(last.start, start)
                        last.end = anchor.end
                        last.sentence = matches.sentence(ofByte: anchor.end - 1)
                        hits[hits.count - 1] = last
                    }
                    continue
                }
                if emitted == Self.maxHitsPerRule { break }
                hits.append(RuleHit(rule: r, block: block, start: start, end: anchor.end,
                                    sentence: matches.sentence(ofByte: anchor.end - 1)))
                emitted += 1
            }
        }
        return hits
    }

    /// Only the hot pass of `scan`: every pattern of the rules `kind` admits over `text`, recording match
    /// ends and counts (read them with `matchCount(rule:)`), with no condition, no start of match and no
    /// hits. For benchmarks that split the scan cost (`afscan bench --rule-costs`). Wraps `hs_scan`.
    /// - Precondition: `text.count` < 4 GiB.
    public func firstPass(kind: BlockKind, text: UnsafeBufferPointer<UInt8>, sentenceStarts: UnsafeBufferPointer<Int32>) {
        precondition(text.count < Int(UInt32.max), "a block must be smaller than 4 GiB")
        matches.reset()
        if let base = text.baseAddress, text.count > 0, let database = rules.scanDatabase(for: kind) {
            let rc = afs_hs_scan(database, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                             UInt32(text.count), 0, scratch,
                             { id, _, to, _, context in
                                 context!.assumingMemoryBound(to: BlockMatches.Sink.self).pointee.record(id: id, end: to)
                                 return 0
                             }, matches.sink)
            precondition(rc == HS_SUCCESS, "hs_scan failed with error \(rc) (scratch shared between threads?)")
        }
        matches.finish(sentenceStarts: sentenceStarts)
    }

    /// Convenience for arrays (tests, `RuleExamples`).
    public func scan(block: Int, kind: BlockKind, text: [UInt8], sentenceStarts: [Int32]) -> [RuleHit] {
        text.withUnsafeBufferPointer { t in
            sentenceStarts.withUnsafeBufferPointer { s in scan(block: block, kind: kind, text: t, sentenceStarts: s) }
        }
    }

    /// Matches of rule `rule`'s strings in the last scanned block, whether or not its condition held; 0
    /// when its scope does not admit the block's kind (the first pass scans only admitted rules).
    public func matchCount(rule: Int) -> Int {
        rules.stringRanges[rule].reduce(0) { $0 + matches.matchCount($1) }
    }

    /// Matches of string `string` (index into `Rule.strings`) of rule `rule` in the last scanned block.
    public func matchCount(rule: Int, string: Int) -> Int {
        matches.matchCount(rules.stringRanges[rule].lowerBound + string)
    }

    // MARK: Anchors and start offsets

    /// Most anchor candidates examined per rule per block (before merging overlaps into hits).
    static let maxAnchorCandidates = 64

    /// Fills `anchors` with at most `maxAnchorCandidates` (string, end) pairs of distinct ends, by end.
    private func collectAnchors(_ selection: AnchorSelection, base: Int, into anchors: inout [(string: Int, end: Int)]) {
        anchors.removeAll(keepingCapacity: true)
        let cap = Self.maxAnchorCandidates
        switch selection {
        case .matches(let s):
            let g = base + s
            for i in 0..<min(matches.storedCount(g), cap) { anchors.append((g, matches.end(g, i))) }
        case .nearMatches(let a, let b):
            let g = base + a
            matches.forEachNearMatch(of: g, near: base + b) { end in
                anchors.append((g, end))
                return anchors.count < cap
            }
        case .matchesOfAny(let strings):
            // The first `cap` ends of each string suffice for the first `cap` overall.
            for s in strings {
                let g = base + s
                for i in 0..<min(matches.storedCount(g), cap) { anchors.append((g, matches.end(g, i))) }
            }
            // Stable by end: on equal ends the string listed first wins.
            anchors.sort { $0.end < $1.end || ($0.end == $1.end && $0.string < $1.string) }
            var w = 0
            for i in anchors.indices where w == 0 || anchors[i].end != anchors[w - 1].end {
                anchors[w] = anchors[i]
                w += 1
            }
            anchors.removeLast(anchors.count - min(w, cap))
        }
    }

    /// Leftmost starts found by the last start-of-match scan, for one string: for ends in
    /// `cacheWindowStart ..< cacheWindowStart + startBuffer.count` up to `cacheCoveredEnd` (inclusive),
    /// `startBuffer[end − cacheWindowStart]` is the match's start relative to the window, or −1 when the
    /// string has no match ending there. A pattern with a trailing bounded repeat (`…\b[^.]{0,60}`)
    /// ends at dozens of neighbouring offsets; one scan of a window reaching `startLookahead` bytes past
    /// the asked end answers all of them.
    private var cacheString = -1
    private var cacheWindowStart = 0
    private var cacheCoveredEnd = -1
    /// Reused buffer of relative starts, grown as needed.
    private var startBuffer: [Int32] = []
    /// How far past the asked end a start-of-match scan reaches, to answer later anchors of the same
    /// string from one scan.
    static let startLookahead = 128

    /// What the start-of-match callback needs; plain values only (the callback is a C function).
    private struct StartQuery {
        var target: UInt32
        var starts: UnsafeMutablePointer<Int32>
        var count: Int
    }

    /// Forgets cached starts (a new block may reuse the last block's buffer address).
    private func resetStartCache() {
        cacheString = -1
        cacheCoveredEnd = -1
    }

    /// The leftmost start of the match of global string `string` ending at `end`: `end - width` for a
    /// fixed-width string, else from a local scan of the string's start-of-match database. Falls back to the window start if no such match is reported (only
    /// possible for an unbounded pattern whose match is longer than the window).
    ///
    /// The window is `[end − maxWidth − 1, end + lookahead + 1)`: one byte of context on each side (for
    /// `\b`, `^`, `$`), and every match of the string ending in `(end, end + lookahead]` is recorded
    /// too, with its own leftmost start (its start is at least `end − maxWidth`, inside the window), so
    /// the next anchors of the same string need no scan of their own.
    private func startOffset(of string: Int, end: Int, text: UnsafeBufferPointer<UInt8>) -> Int {
        if rules.hasFixedWidth(string) { return end - rules.minWidths[string] }
        // One byte of left context beyond the longest match (for `\b` and `^`), also for unbounded patterns.
        let back = (rules.maxWidths[string] ?? CompiledRules.unboundedStartWindow) + 1
        let windowStart = max(0, end - back)
        guard let base = text.baseAddress else { return windowStart }
        if cacheString == string, end <= cacheCoveredEnd, end >= cacheWindowStart {
            let rel = startBuffer[end - cacheWindowStart]
            return rel >= 0 ? cacheWindowStart + Int(rel) : windowStart
        }
        let lookahead = min(Self.startLookahead, back)
        let windowEnd = min(text.count, end + lookahead + 1)
        let length = windowEnd - windowStart
        guard length > 0, end - windowStart <= length else { return windowStart }
        if startBuffer.count < length + 1 {
            startBuffer = [Int32](repeating: -1, count: max(length + 1, 2 * startBuffer.count))
        } else {
            for i in 0...length { startBuffer[i] = -1 }
        }
        let database = rules.startDatabases[string]!, scratch = self.scratch
        let rc = startBuffer.withUnsafeMutableBufferPointer { starts -> hs_error_t in
            // The database holds this one string, as id 0.
            var query = StartQuery(target: 0, starts: starts.baseAddress!, count: length + 1)
            return withUnsafeMutablePointer(to: &query) { queryPointer in
                afs_hs_scan(database, UnsafeRawPointer(base + windowStart).assumingMemoryBound(to: CChar.self),
                        UInt32(length), 0, scratch,
                        { id, from, to, _, context in
                            let q = context!.assumingMemoryBound(to: StartQuery.self).pointee
                            guard id == q.target, Int(to) < q.count, q.starts[Int(to)] < 0 else { return 0 }
                            q.starts[Int(to)] = Int32(truncatingIfNeeded: from)
                            return 0
                        }, queryPointer)
            }
        }
        precondition(rc == HS_SUCCESS, "hs_scan (start of match) failed with error \(rc)")
        cacheString = string
        cacheWindowStart = windowStart
        // Ends at the window's last byte lack right context unless the window reaches the text's end.
        cacheCoveredEnd = windowEnd == text.count ? windowEnd : windowEnd - 1
        let rel = startBuffer[end - windowStart]
        return rel >= 0 ? windowStart + Int(rel) : windowStart
    }
}
