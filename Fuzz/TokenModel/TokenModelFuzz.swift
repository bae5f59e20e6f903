import FuzzSupport
import Scratchpad
import TokenModel

// Surface: the token stream and the learned model over any text (what `label` runs on every scratchpad):
// TokenBuffer.tokenize on the fastest and the scalar path, NgramScanner's walk under a spec the first
// byte chooses, and the built-in model's scorer with an 8-term explanation.
// Choice byte: bits 0-1 min order - 1 (max order = min + bits 2-3, capped at 5), bit 4 punctuation, bit 5
// fold numbers, bit 6 two ranges (the text split in the middle, as a block cut by a draft).
// Properties: both token paths give the same tokens; tokens lie in the ranges, ascending, non-overlapping;
// every n-gram's first <= last, inside the tokens, with non-decreasing last token, never across a
// sentence start; the model's probability is in [0, 1]; bias + Σ contributions + remainder = logit; at
// most 8 terms, by decreasing |contribution|; every span of a term covers one token whose folded text
// is the term's n-gram ("0" for a number).

// libFuzzer calls the target function on one thread, one input at a time: the scorer's scratch buffers
// and the token buffers are never used concurrently.
nonisolated(unsafe) let model = try! DefaultModel.load()
nonisolated(unsafe) let scorer = ModelScorer(model)
nonisolated(unsafe) let fastest = TokenBuffer()
nonisolated(unsafe) let scalar = TokenBuffer()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenModel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let choice = input.byte()
    let text = input.rest
    let ranges = choice & 64 != 0 ? [0..<text.count / 2, (text.count / 2 + 1)..<max(text.count, text.count / 2 + 1)]
                                  : [0..<text.count]
    let minOrder = Int(choice & 3) + 1
    let spec = FeatureSpec(minOrder: minOrder, maxOrder: min(5, minOrder + Int((choice >> 2) & 3)),
                           punctuation: choice & 16 != 0, foldNumbers: choice & 32 != 0)
    text.withUnsafeBufferPointer { t in
        let ranges = ranges.filter { $0.upperBound <= t.count }
        fastest.tokenize(t, ranges: ranges)
        scalar.tokenize(t, ranges: ranges, path: .scalar)
        let a = fastest.tokens, b = scalar.tokens
        guard a.count == b.count else { fuzzFailure("TokenModel", "fastest path: \(a.count) tokens, scalar path: \(b.count)") }
        var previousEnd = 0
        for k in 0..<a.count {
            let x = a[k], y = b[k]
            guard x.hash == y.hash, x.start == y.start, x.end == y.end, x.kind == y.kind, x.flags == y.flags, x.fold == y.fold else {
                fuzzFailure("TokenModel", "token \(k) differs between the paths (\(x.start)..<\(x.end) vs \(y.start)..<\(y.end))")
            }
            guard Int(x.start) >= previousEnd, x.start < x.end, ranges.contains(where: { $0.contains(Int(x.start)) && Int(x.end) <= $0.upperBound }) else {
                fuzzFailure("TokenModel", "token \(k) at \(x.start)..<\(x.end) is out of order or outside the ranges")
            }
            previousEnd = Int(x.end)
        }
        // The walk.
        var lastSeen = -1
        NgramScanner(spec: spec).forEach(a, salt: 0) { _, first, last in
            guard first >= 0, first <= last, last < a.count, last >= lastSeen else {
                fuzzFailure("TokenModel", "n-gram \(first)...\(last) of \(a.count) tokens after one ending at \(lastSeen)")
            }
            if first < last, (first + 1...last).contains(where: { a[$0].startsSentence }) {
                fuzzFailure("TokenModel", "n-gram \(first)...\(last) crosses a sentence start")
            }
            lastSeen = last
        }
        // The built-in model (unigrams of the reasoning) with its explanation.
        let score = scorer.score([ModelBlock(kind: .reasoning, index: 0, text: t, tokens: a)], explain: 8)[0]
        guard score.probability >= 0, score.probability <= 1, score.logit.isFinite else {
            fuzzFailure("TokenModel", "probability \(score.probability), logit \(score.logit)")
        }
        let listed = score.terms.reduce(0) { $0 + $1.contribution }
        let sum = score.bias + listed + score.remainder
        guard abs(sum - score.logit) <= 1e-9 * (1 + abs(score.logit)), score.terms.count <= 8 else {
            fuzzFailure("TokenModel", "bias + terms + remainder = \(sum), logit \(score.logit), \(score.terms.count) terms")
        }
        for (k, term) in score.terms.enumerated() {
            if k > 0, abs(term.contribution) > abs(score.terms[k - 1].contribution) {
                fuzzFailure("TokenModel", "term \(k) is listed after a smaller contribution")
            }
            guard !term.spans.isEmpty else { fuzzFailure("TokenModel", "term \(k) has no span") }
            for span in term.spans {
                guard span.block == 0, let token = a.first(where: { Int($0.start) == span.start && Int($0.end) == span.end }) else {
                    fuzzFailure("TokenModel", "span \(span.start)..<\(span.end) of term \(k) is not one token")
                }
                let folded = token.isNumber ? "0" : TokenStream.foldedText(of: token, in: t)
                guard folded == term.ngram else { fuzzFailure("TokenModel", "span \(span.start)..<\(span.end) does not read as term \(k)") }
            }
        }
    }
    return 0
}
