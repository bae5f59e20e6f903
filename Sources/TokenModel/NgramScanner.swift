import CTokenStream
import Scratchpad

/// Walks the n-grams of a block's tokens: every run of `minOrder...maxOrder` consecutive feature tokens
/// within one sentence. Feature tokens are word and number tokens, plus punctuation when the spec says so.
///
/// Placeholders are never features: a bracketed span `[…]` of at most 24 tokens within one sentence that
/// holds `omitted`, `redacted`, `removed`, `placeholder` or `elided` (how datasets mark content cut out,
/// e.g. `[detailed steps omitted]`) is skipped whole, and n-grams do not span it.
public struct NgramScanner: Sendable {
    public let spec: FeatureSpec
    let zeroHash: UInt64
    // Copies of the statics below (a static is a lazily initialised global: reading one costs a check).
    let openBracketHash: UInt64
    static let placeholderWords: Set<UInt64> = Set(["omitted", "redacted", "removed", "placeholder", "elided"].map(TokenStream.hash))
    static let openBracket = TokenStream.hash("[")
    static let closeBracket = TokenStream.hash("]")

    public init(spec: FeatureSpec) {
        self.spec = spec
        self.zeroHash = TokenStream.hash("0")
        self.openBracketHash = Self.openBracket
    }

    /// Calls `body(hash, firstToken, lastToken)` for every n-gram occurrence of `tokens` (indices into
    /// `tokens`, inclusive), in order of the last token, shorter n-grams first. `salt` separates blocks.
    @inline(__always)
    public func forEach(_ tokens: UnsafeBufferPointer<Token>, salt: UInt64, _ body: (UInt64, Int, Int) -> Void) {
        let maxOrder = spec.maxOrder, minOrder = spec.minOrder
        let punctuation = spec.punctuation, foldNumbers = spec.foldNumbers, openBracket = openBracketHash
        if maxOrder == 1 {
            // Unigrams: no history (the same hashes, in the same order, as the general loop below).
            var i = 0
            let n = tokens.count
            while i < n {
                let t = tokens[i]
                if t.kind == UInt8(AFS_TOKEN_PUNCT) {
                    if t.hash == openBracket, let close = placeholderEnd(tokens, from: i) {
                        i = close + 1
                        continue
                    }
                    if !punctuation { i += 1; continue }
                }
                let h = (t.kind == UInt8(AFS_TOKEN_NUMBER) && foldNumbers) ? zeroHash : t.hash
                body(afs_hash_extend(h ^ salt, 1), i, i)
                i += 1
            }
            return
        }
        // The hashes and token indices of the last maxOrder feature tokens of the current sentence.
        var hist = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var idx = (0, 0, 0, 0, 0)
        var filled = 0
        var i = 0
        let n = tokens.count
        while i < n {
            let t = tokens[i]
            if t.startsSentence { filled = 0 }
            if t.isPunctuation {
                if t.hash == openBracket, let close = placeholderEnd(tokens, from: i) {
                    filled = 0
                    i = close + 1
                    continue
                }
                if !punctuation { i += 1; continue }
            }
            let h = (t.isNumber && foldNumbers) ? zeroHash : t.hash
            // shift the history
            hist = (h, hist.0, hist.1, hist.2, hist.3)
            idx = (i, idx.0, idx.1, idx.2, idx.3)
            if filled < maxOrder { filled += 1 }
            // n-gram of order k ends at i and starts at the token k-1 back
            var g = h ^ salt
            if minOrder == 1 { body(afs_hash_extend(g, 1), i, i) }
            if filled >= 2 {
                g = afs_hash_extend(hist.1 ^ salt, hist.0)
                if minOrder <= 2 && maxOrder >= 2 { body(g, idx.1, i) }
                if filled >= 3 && maxOrder >= 3 {
                    g = afs_hash_extend(afs_hash_extend(hist.2 ^ salt, hist.1), hist.0)
                    if minOrder <= 3 { body(g, idx.2, i) }
                    if filled >= 4 && maxOrder >= 4 {
                        g = afs_hash_extend(afs_hash_extend(afs_hash_extend(hist.3 ^ salt, hist.2), hist.1), hist.0)
                        if minOrder <= 4 { body(g, idx.3, i) }
                        if filled >= 5 && maxOrder >= 5 {
                            g = afs_hash_extend(afs_hash_extend(afs_hash_extend(afs_hash_extend(hist.4 ^ salt, hist.3), hist.2), hist.1), hist.0)
                            body(g, idx.4, i)
                        }
                    }
                }
            }
            i += 1
        }
    }

    /// The index of the `]` that closes a placeholder opened at `open`, or nil.
    private func placeholderEnd(_ tokens: UnsafeBufferPointer<Token>, from open: Int) -> Int? {
        var j = open + 1
        var marked = false
        while j < tokens.count && j <= open + 24 {
            let t = tokens[j]
            if t.startsSentence { return nil }
            if t.isPunctuation && t.hash == Self.closeBracket { return marked ? j : nil }
            if t.isPunctuation && t.hash == Self.openBracket { return nil }
            if Self.placeholderWords.contains(t.hash) { marked = true }
            j += 1
        }
        return nil
    }
}
