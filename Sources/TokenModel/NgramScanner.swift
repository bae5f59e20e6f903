import CTokenStream
import Scratchpad

/// Walks the n-grams of a block's tokens: every run of `minOrder...maxOrder` consecutive feature tokens
/// within one sentence. Feature tokens are word and number tokens, plus punctuation when the spec says so.
///
/// Placeholders are never features: a bracketed span `[…]` of at most 24 tokens within one sentence that
/// holds `omitted`, `redacted`, `removed`, `placeholder` or `elided` (how datasets mark content cut out,
/// e.g. `[detailed steps omitted]`) is skipped whole, and n-grams do not span it.
///
/// The walk is C (`afs_ngrams` in CTokenStream): `fill` writes a block's n-grams into a buffer, `forEach`
/// hands them to a closure.
public struct NgramScanner: Sendable {
    public let spec: FeatureSpec
    /// The spec as the C walk reads it (salt 0; `fill` sets the block's).
    private let cSpec: afs_ngram_spec
    static let placeholderWords = ["omitted", "redacted", "removed", "placeholder", "elided"].map(TokenStream.hash)

    public init(spec: FeatureSpec) {
        self.spec = spec
        let w = Self.placeholderWords
        cSpec = afs_ngram_spec(
            min_order: Int32(spec.minOrder), max_order: Int32(spec.maxOrder), punctuation: spec.punctuation ? 1 : 0,
            fold_numbers: spec.foldNumbers ? 1 : 0, salt: 0, zero_hash: TokenStream.hash("0"),
            open_bracket: TokenStream.hash("["), close_bracket: TokenStream.hash("]"),
            placeholder_words: (w[0], w[1], w[2], w[3], w[4]))
    }

    /// Most n-grams `fill` writes for `tokenCount` tokens.
    public func capacity(forTokens tokenCount: Int) -> Int { tokenCount * (spec.maxOrder - spec.minOrder + 1) }

    /// Writes every n-gram occurrence of `tokens` into `out` (room for `capacity(forTokens:)`) and returns
    /// how many: its hash and its first and last token index (inclusive), in order of the last token,
    /// shorter n-grams first. `salt` separates blocks. The spec's orders must be valid (`FeatureSpec.problem`).
    public func fill(_ tokens: UnsafeBufferPointer<Token>, salt: UInt64, into out: UnsafeMutablePointer<afs_gram>) -> Int {
        guard let base = tokens.baseAddress, !tokens.isEmpty else { return 0 }
        var s = cSpec
        s.salt = salt
        return afs_ngrams(base, tokens.count, &s, out)
    }

    /// Calls `body(hash, firstToken, lastToken)` for every n-gram occurrence of `tokens` (see `fill`).
    public func forEach(_ tokens: UnsafeBufferPointer<Token>, salt: UInt64, _ body: (UInt64, Int, Int) -> Void) {
        let n = capacity(forTokens: tokens.count)
        guard n > 0 else { return }
        let out = UnsafeMutablePointer<afs_gram>.allocate(capacity: n)
        defer { out.deallocate() }
        let m = fill(tokens, salt: salt, into: out)
        for g in UnsafeBufferPointer(start: out, count: m) { body(g.hash, Int(g.first), Int(g.last)) }
    }
}
