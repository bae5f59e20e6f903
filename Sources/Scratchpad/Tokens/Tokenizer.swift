/// Token counts of a text (CONTRACT.md: "Tokens are Unicode word tokens (letters/digits runs; punctuation
/// separate), not a BPE vocabulary").
public struct TokenCounts: Sendable, Hashable {
    /// Maximal runs of word characters: ASCII letters and digits, and every non-ASCII scalar that is not
    /// one of the space or punctuation code points folded by `Normalizer` (so `é`, `中` and `😀` are word
    /// characters). A run never continues across two of the counted ranges.
    public var words: Int
    /// Each other non-space scalar: every ASCII punctuation or symbol byte, and each folded punctuation
    /// scalar (curly quotes, dashes, `…`, « »), one token per scalar.
    public var punctuation: Int
    /// `words + punctuation`.
    public var tokens: Int { words + punctuation }

    public init(words: Int = 0, punctuation: Int = 0) {
        self.words = words
        self.punctuation = punctuation
    }

    public static func + (a: TokenCounts, b: TokenCounts) -> TokenCounts {
        TokenCounts(words: a.words + b.words, punctuation: a.punctuation + b.punctuation)
    }
}

/// Counts word and punctuation tokens over byte ranges of UTF-8 text.
///
/// Spaces are ASCII whitespace and the whitespace code points of `Normalizer`; ASCII control bytes other
/// than whitespace are ignored (neither word nor punctuation, but they end a word); U+00AD soft hyphen is
/// transparent (it neither ends a word nor counts). Input need not be valid UTF-8: a stray byte
/// `>= 0x80` counts as a one-byte word character.
///
/// Speed: runs of 8 ASCII bytes are classified with 8-byte SWAR (no per-byte branches); a word that
/// contains non-ASCII bytes drops to a per-scalar path for that stretch only.
public enum Tokenizer {
    /// Counts the tokens of `text[range]` for every range of `ranges`.
    /// - Precondition: every range lies within `0...text.count`.
    public static func count(_ text: UnsafeBufferPointer<UInt8>, ranges: [Range<Int>]) -> TokenCounts {
        var total = TokenCounts()
        for r in ranges {
            precondition(r.lowerBound >= 0 && r.upperBound <= text.count, "Tokenizer: range \(r) outside 0..<\(text.count)")
            total = total + count(text, r)
        }
        return total
    }

    /// Counts the tokens of the whole of `text`.
    public static func count(_ text: UnsafeBufferPointer<UInt8>) -> TokenCounts {
        count(text, ranges: [0..<text.count])
    }

    /// Counts the tokens of the whole of `text`.
    public static func count(_ text: [UInt8]) -> TokenCounts {
        text.withUnsafeBufferPointer { count($0) }
    }

    private static func count(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> TokenCounts {
        guard let p = text.baseAddress, !range.isEmpty else { return TokenCounts() }
        var words = 0
        var punct = 0
        var inWord = false
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            if i + 8 <= end {
                let w = SWAR.load(p, i)
                if w & SWAR.highs == 0 {
                    let isWord = SWAR.inRange(w, 0x30, 0x39) | SWAR.inRange(w, 0x41, 0x5A) | SWAR.inRange(w, 0x61, 0x7A)
                    let isPunct = SWAR.inRange(w, 0x21, 0x7E) & ~isWord
                    // A lane starts a word when it is a word byte and the lane before it is not.
                    let before = (isWord << 8) | (inWord ? 0x80 : 0)
                    words += (isWord & ~before).nonzeroBitCount
                    punct += isPunct.nonzeroBitCount
                    inWord = (isWord >> 63) != 0
                    i += 8
                    continue
                }
            }
            let b = p[i]
            if b < 0x80 {
                if ASCIIClass.isAlnum(b) {
                    if !inWord { words += 1; inWord = true }
                } else {
                    inWord = false
                    if b >= 0x21 && b <= 0x7E { punct += 1 }
                }
                i += 1
                continue
            }
            let (fold, length) = ScalarFold.classify(p, i, end)
            switch fold {
            case .keep:
                if !inWord { words += 1; inWord = true }
            case .space:
                inWord = false
            case .ascii, .ellipsis:
                inWord = false
                punct += 1
            case .remove:
                break
            }
            i += length
        }
        return TokenCounts(words: words, punctuation: punct)
    }
}
