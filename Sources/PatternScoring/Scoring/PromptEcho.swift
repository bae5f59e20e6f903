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
/// Cost: one pass over the prompt (a hash set of at most one entry per prompt token) and one pass
/// over each block. A hash collision can only mark a span as echoed (never the reverse); with 64-bit
/// hashes and prompts of thousands of tokens that is negligible.
public struct PromptEcho: Sendable {
    /// Tokens per shingle (LABELS.md §5.1: 8).
    public static let shingleLength = 8
    private let shingles: Set<UInt64>

    /// Hashes every shingle of `prompt` (normalized UTF-8 bytes of the system prompt).
    public init(prompt: UnsafeBufferPointer<UInt8>) {
        var set = Set<UInt64>()
        Self.forEachShingle(prompt) { hash, _ in set.insert(hash) }
        shingles = set
    }

    /// Convenience for arrays (tests).
    public init(prompt: [UInt8]) {
        self = prompt.withUnsafeBufferPointer { PromptEcho(prompt: $0) }
    }

    /// True when the prompt had fewer than `shingleLength` tokens (nothing can echo it).
    public var isEmpty: Bool { shingles.isEmpty }

    /// Merged byte ranges of `text` (a block's normalized bytes) covered by shingles of the prompt.
    public func echoRanges(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard !shingles.isEmpty else { return [] }
        var out: [Range<Int>] = []
        Self.forEachShingle(text) { hash, span in
            guard shingles.contains(hash) else { return }
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
    /// Each token is hashed once (FNV-1a 64); a window's hash folds its tokens' hashes in order.
    private static func forEachShingle(_ text: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Range<Int>) -> Void) {
        var starts: [Int] = []
        var ends: [Int] = []
        var hashes: [UInt64] = []
        var i = 0
        let n = text.count
        while i < n {
            while i < n, !isTokenByte(text[i]) { i += 1 }
            let start = i
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            while i < n, isTokenByte(text[i]) {
                h = (h ^ UInt64(text[i])) &* 0x0000_0100_0000_01B3
                i += 1
            }
            if i > start {
                starts.append(start)
                ends.append(i)
                hashes.append(h)
            }
        }
        guard hashes.count >= shingleLength else { return }
        for first in 0...(hashes.count - shingleLength) {
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15
            for k in first..<(first + shingleLength) {
                h = (h ^ hashes[k]) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
            }
            body(h, starts[first]..<ends[first + shingleLength - 1])
        }
    }
}
