import CTokenStream

/// Prompt-echo detection (LABELS.md §5.1): the spans of a reasoning block that share an 8-token
/// shingle with the record's own system prompt.
///
/// Tokens are runs of ASCII letters, digits and apostrophes in *normalized* text (lower case,
/// straight quotes; `Scratchpad.Normalizer`); everything else separates tokens. A shingle is
/// `shingleLength` consecutive tokens, hashed (each token FNV-1a 64, the window a fold of its tokens'
/// hashes).
/// A block's echo ranges are the byte spans of its shingles whose hash occurs in the prompt, merged
/// when they overlap or touch: half-open byte ranges into the block's normalized text, ascending.
/// `ContextFilter` treats them like `ctx.echo` spans (value conflict and preservation hits inside are
/// dropped; modification-awareness hits inside are marked echoed).
///
/// Cost: one pass over the prompt (a flat hash set of at most one entry per prompt token) and one
/// pass over each block, with no allocation per block beyond the returned ranges. A hash collision can
/// only mark a span as echoed (never the reverse); with 64-bit hashes and prompts of thousands of
/// tokens that is negligible.
public struct PromptEcho: Sendable {
    /// Tokens per shingle (LABELS.md §5.1: 8).
    public static let shingleLength = 8
    private let shingles: ShingleSet

    /// Hashes every shingle of `prompt` (normalized UTF-8 bytes of the system prompt).
    public init(prompt: UnsafeBufferPointer<UInt8>) {
        var hashes: [UInt64] = []
        Self.forEachShingle(prompt) { hash, _ in hashes.append(hash) }
        shingles = ShingleSet(hashes)
    }

    /// Convenience for arrays (tests).
    public init(prompt: [UInt8]) {
        self = prompt.withUnsafeBufferPointer { PromptEcho(prompt: $0) }
    }

    /// True when the prompt had fewer than `shingleLength` tokens (nothing can echo it).
    public var isEmpty: Bool { shingles.isEmpty }

    /// Bytes of memory the shingle table holds (for callers that budget a cache of these).
    public var byteCount: Int { shingles.byteCount }

    /// Merged byte ranges of `text` (a block's normalized bytes) covered by shingles of the prompt.
    public func echoRanges(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard !shingles.isEmpty else { return [] }
        // All shingles first, then one batched membership probe (its table lookups overlap: the set of a
        // system prompt seen a few records ago is rarely in cache), then the ranges in text order.
        var hashes: [UInt64] = [], spans: [Range<Int>] = []
        Self.forEachShingle(text) { hash, span in
            hashes.append(hash)
            spans.append(span)
        }
        let found = shingles.contains(hashes)
        var out: [Range<Int>] = []
        for (k, span) in spans.enumerated() where found[k] != 0 {
            if let last = out.last, span.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                out.append(span)
            }
        }
        return out
    }

    /// Convenience for arrays (tests).
    public func echoRanges(in text: [UInt8]) -> [Range<Int>] {
        text.withUnsafeBufferPointer { echoRanges(in: $0) }
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x27 || b >= 0x80
    }

    /// Calls `body(hash, byteSpan)` for every window of `shingleLength` consecutive tokens, in order.
    /// Each token is hashed once (FNV-1a 64); a window's hash folds its tokens' hashes in order. The
    /// last `shingleLength` tokens live in a ring buffer on the stack.
    private static func forEachShingle(_ text: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Range<Int>) -> Void) {
        guard let p = text.baseAddress else { return }
        // Ring buffers of the last 8 tokens' start offsets and hashes (slot = token index & 7).
        var starts: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        var hashes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var tokens = 0
        var i = 0
        let n = text.count
        while i < n {
            while i < n, !isTokenByte(p[i]) { i += 1 }
            guard i < n else { break }
            let start = i
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            while i < n, isTokenByte(p[i]) {
                h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3
                i += 1
            }
            let slot = tokens & 7
            withUnsafeMutableBytes(of: &starts) { $0.storeBytes(of: start, toByteOffset: slot * 8, as: Int.self) }
            withUnsafeMutableBytes(of: &hashes) { $0.storeBytes(of: h, toByteOffset: slot * 8, as: UInt64.self) }
            tokens += 1
            guard tokens >= shingleLength else { continue }
            // The window is tokens (tokens - 8) ..< tokens, oldest first.
            var w: UInt64 = 0x9E37_79B9_7F4A_7C15
            withUnsafeBytes(of: &hashes) { ring in
                for k in 0..<shingleLength {
                    let t = ring.load(fromByteOffset: ((tokens + k) & 7) * 8, as: UInt64.self)
                    w = (w ^ t) &* 0xBF58_476D_1CE4_E5B9
                    w ^= w >> 31
                }
            }
            let first = withUnsafeBytes(of: &starts) { $0.load(fromByteOffset: (tokens & 7) * 8, as: Int.self) }
            body(w, first..<i)
        }
    }
}

/// A set of 64-bit shingle hashes: open addressing with linear probing over a power-of-two table at
/// most half full, so a lookup is a multiply, a shift and usually one compare (`Set<UInt64>` would
/// SipHash every probe). 0 marks an empty slot; the hash 0 itself is kept in a flag.
struct ShingleSet: Sendable {
    private let slots: [UInt64]
    private let shift: UInt64
    private let hasZero: Bool
    let isEmpty: Bool

    /// Bytes of the table.
    var byteCount: Int { slots.count * MemoryLayout<UInt64>.stride }

    init(_ hashes: [UInt64]) {
        var capacity = 16
        while capacity < 2 * hashes.count { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        var hasZero = false
        let mask = capacity - 1
        for h in hashes {
            if h == 0 { hasZero = true; continue }
            var i = Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slots[i] != 0 && slots[i] != h { i = (i + 1) & mask }
            slots[i] = h
        }
        self.slots = slots
        self.shift = shift
        self.hasZero = hasZero
        self.isEmpty = hashes.isEmpty
    }

    /// Membership of each of `hashes` (1 or 0), probed as a batch (`afs_set_probe`).
    func contains(_ hashes: [UInt64]) -> [UInt8] {
        var found = [UInt8](repeating: 0, count: hashes.count)
        slots.withUnsafeBufferPointer { s in
            hashes.withUnsafeBufferPointer { h in
                found.withUnsafeMutableBufferPointer { f in
                    afs_set_probe(h.baseAddress, h.count, s.baseAddress, s.count - 1, UInt32(shift), hasZero ? 1 : 0, f.baseAddress)
                }
            }
        }
        return found
    }

    /// Membership of one hash (the batch probe with one element).
    func contains(_ h: UInt64) -> Bool { contains([h])[0] != 0 }
}
