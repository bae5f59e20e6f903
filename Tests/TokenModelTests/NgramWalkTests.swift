import CTokenStream
import Foundation
import Scratchpad
@testable import TokenModel
import XCTest

/// The C n-gram walk (`afs_ngrams`, behind `NgramScanner`) against the Swift walk it replaced (kept here as
/// the reference): the same hashes and token ranges, in the same order, for every feature spec, on texts
/// full of sentence breaks, numbers, punctuation and placeholders.
final class NgramWalkTests: XCTestCase {
    /// The Swift walk `NgramScanner.forEach` ran before the walk moved to C, unchanged in behaviour.
    private func reference(_ tokens: UnsafeBufferPointer<Token>, spec: FeatureSpec, salt: UInt64) -> [afs_gram] {
        let zero = TokenStream.hash("0"), open = TokenStream.hash("["), close = TokenStream.hash("]")
        let words = Set(["omitted", "redacted", "removed", "placeholder", "elided"].map(TokenStream.hash))
        func placeholderEnd(_ from: Int) -> Int? {
            var j = from + 1
            var marked = false
            while j < tokens.count && j <= from + 24 {
                let t = tokens[j]
                if t.startsSentence { return nil }
                if t.isPunctuation && t.hash == close { return marked ? j : nil }
                if t.isPunctuation && t.hash == open { return nil }
                if words.contains(t.hash) { marked = true }
                j += 1
            }
            return nil
        }
        var out: [afs_gram] = []
        func emit(_ h: UInt64, _ first: Int, _ last: Int) { out.append(afs_gram(hash: h, first: Int32(first), last: Int32(last))) }
        var hist: [UInt64] = []   // newest first
        var idx: [Int] = []
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            if t.startsSentence { hist = []; idx = [] }
            if t.isPunctuation {
                if t.hash == open, let end = placeholderEnd(i) { hist = []; idx = []; i = end + 1; continue }
                if !spec.punctuation { i += 1; continue }
            }
            let h = (t.isNumber && spec.foldNumbers) ? zero : t.hash
            hist.insert(h, at: 0); idx.insert(i, at: 0)
            if hist.count > spec.maxOrder { hist.removeLast(); idx.removeLast() }
            for k in spec.minOrder...spec.maxOrder where k <= hist.count {
                if k == 1 { emit(afs_hash_extend(h ^ salt, 1), i, i); continue }
                var g = hist[k - 1] ^ salt
                for j in stride(from: k - 2, through: 0, by: -1) { g = afs_hash_extend(g, hist[j]) }
                emit(g, idx[k - 1], i)
            }
            i += 1
        }
        return out
    }

    private let texts = [
        "I comply [detailed steps omitted] now. Next one",
        "Step 1: do it. Step 2: [REDACTED] Then 2024 and 17 things… “Quoted” — dash! Really? Yes.\nNew line [not a placeholder] [x omitted",
        "[omitted] [placeholder text] a b c d e f g. H i j, k l; m n o p q r s t u v w x y z.",
        "No terminal punctuation at all and a very long sentence with many many words in it to fill five grams",
        "",
        "!!! ... ??? [[ ]] [removed] .",
    ]

    func testCWalkEqualsTheSwiftReferenceForEverySpec() {
        var rng = SystemRandomNumberGenerator()
        var corpus = texts
        // Random texts from a small alphabet of words, numbers, brackets and sentence ends.
        let pieces = ["the", "I", "comply", "0", "42", "[", "]", "omitted", "elided", ".", "!", "?", ",", "\n", "e.g.", "Mr.", "values", "—"]
        for _ in 0..<200 {
            corpus.append((0..<Int.random(in: 0..<120, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: " "))
        }
        var checked = 0
        for text in corpus {
            let bytes = Array(text.utf8)
            let tokens = TokenStream.tokens(bytes)
            for minOrder in 1...5 {
                for maxOrder in minOrder...5 {
                    for punctuation in [false, true] {
                        for foldNumbers in [false, true] {
                            let spec = FeatureSpec(minOrder: minOrder, maxOrder: maxOrder, punctuation: punctuation, foldNumbers: foldNumbers)
                            let scanner = NgramScanner(spec: spec)
                            for salt in [UInt64(0), 0x6F75_7470_7574_2121] {
                                tokens.withUnsafeBufferPointer { t in
                                    var got: [afs_gram] = []
                                    scanner.forEach(t, salt: salt) { h, first, last in
                                        got.append(afs_gram(hash: h, first: Int32(first), last: Int32(last)))
                                    }
                                    let want = reference(t, spec: spec, salt: salt)
                                    XCTAssertEqual(got.map(\.hash), want.map(\.hash), "\(spec) on \(text.debugDescription)")
                                    XCTAssertEqual(got.map(\.first), want.map(\.first), "\(spec) on \(text.debugDescription)")
                                    XCTAssertEqual(got.map(\.last), want.map(\.last), "\(spec) on \(text.debugDescription)")
                                    checked += want.count
                                }
                            }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 100_000)
    }

    /// The first fixed text, unigrams and bigrams: exact token ranges (placeholder skipped, no n-gram across
    /// it or across the sentence break).
    func testFixedTextRanges() {
        let bytes = Array(texts[0].utf8)
        let tokens = TokenStream.tokens(bytes)
        var ranges: [[Int32]] = []
        tokens.withUnsafeBufferPointer { t in
            NgramScanner(spec: FeatureSpec(minOrder: 1, maxOrder: 2)).forEach(t, salt: 0) { _, a, b in ranges.append([Int32(a), Int32(b)]) }
        }
        // tokens: I(0) comply(1) [(2) detailed(3) steps(4) omitted(5) ](6) now(7) .(8) Next(9) one(10)
        XCTAssertEqual(ranges, [[0, 0], [1, 1], [0, 1], [7, 7], [9, 9], [10, 10], [9, 10]])
    }
}
