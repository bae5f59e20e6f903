import Foundation
import PatternScoring
import XCTest

/// Vectorscan hits against a naive reference on seeded random texts: for each end offset `e`, the
/// pattern matches iff some `text[s..<e]` matches it whole, and the leftmost such `s` is the start.
/// The expected hits are those (start, end) pairs in end order with overlapping pairs merged into their
/// union (a span never stops inside a longer match), the first `maxHitsPerRule` of them, and the count
/// is the number of ends.
final class EngineDifferentialTests: XCTestCase {
    /// Patterns without assertions, so whole-substring matching is the exact reference.
    private let patterns: [(NamedPattern.Kind, String)] = [
        (.literal, "ab"), (.literal, "aba"), (.literal, "b.a"),
        (.regex, "a.b"), (.regex, "b(aa|ab)a"), (.regex, "a[ab]*b"), (.regex, "(ab)+"), (.regex, "ba{2,3}"),
    ]

    private func reference(_ kind: NamedPattern.Kind, _ pattern: String, _ text: [UInt8]) -> (ends: [Int], starts: [Int]) {
        let source = kind == .literal ? NSRegularExpression.escapedPattern(for: pattern) : pattern
        let regex = try! NSRegularExpression(pattern: "^(?:\(source))$", options: [.caseInsensitive])
        var ends: [Int] = [], starts: [Int] = []
        for e in 1...max(text.count, 1) where e <= text.count {
            for s in 0..<e {
                let sub = String(decoding: text[s..<e], as: UTF8.self)
                if regex.firstMatch(in: sub, range: NSRange(location: 0, length: sub.utf16.count)) != nil {
                    ends.append(e)
                    starts.append(s)
                    break
                }
            }
        }
        return (ends, starts)
    }

    func testHitsAgreeWithANaiveMatcherOnRandomTexts() throws {
        let rules = patterns.enumerated().map { i, p in makeRule("p\(i)", [("x", p.0, p.1)]) }
        let scanner = RuleScanner(try compileRules(rules))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // fixed seed: the test is deterministic
        let alphabet = Array("ab. ".utf8)
        var compared = 0
        for _ in 0..<60 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 59) + 8  // 8...39 bytes
            var text: [UInt8] = []
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(alphabet[Int(state >> 62)])
            }
            let hits = scanner.scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: [0])
            for (r, p) in patterns.enumerated() {
                let expected = reference(p.0, p.1, text)
                let got = hits.filter { $0.rule == r }
                var merged: [(start: Int, end: Int)] = []
                for (s, e) in zip(expected.starts, expected.ends) {
                    if let last = merged.last, s < last.end {
                        merged[merged.count - 1] = (min(last.start, s), max(last.end, e))
                    } else if merged.count < RuleScanner.maxHitsPerRule {
                        merged.append((s, e))
                    } else {
                        break
                    }
                }
                let label = "\(p.1) in \"\(String(decoding: text, as: UTF8.self))\""
                XCTAssertEqual(got.map(\.end), merged.map(\.end), label)
                XCTAssertEqual(got.map(\.start), merged.map(\.start), label)
                XCTAssertEqual(scanner.matchCount(rule: r), expected.ends.count, label)
                compared += expected.ends.count
            }
        }
        XCTAssertGreaterThan(compared, 100, "the random texts must actually produce matches")
    }
}
