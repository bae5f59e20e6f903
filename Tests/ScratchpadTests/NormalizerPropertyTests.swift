import AfscanCore
import XCTest
@testable import Scratchpad

/// Offset-map properties over random mixes of ASCII and UTF-8 (deterministic seeds).
final class NormalizerPropertyTests: XCTestCase {
    static let pieces = ["a", "B", "z", "Q", "7", " ", "  ", "\t", "\n", "\r\n", ".", "!", "?", ",", "\"", "'", ")", "-",
                         "e.g.", "Mr.", "1.", "é", "É", "😀", "中", "\u{00A0}", "\u{2009}", "\u{3000}", "\u{2028}",
                         "\u{00AD}", "\u{2026}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "«", "»",
                         "\u{2011}", "\u{2014}", "\u{2212}", "\u{FF0D}", "\u{2032}"]

    /// The normalized bytes one original scalar can produce (`nil`: it produces none, a soft hyphen).
    func folded(_ text: [UInt8], at p: Int) -> [UInt8]? {
        let b = text[p]
        if b < 0x80 {
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) { return [0x20] }
            return [(b >= 0x41 && b <= 0x5A) ? b | 0x20 : b]
        }
        let fold = text.withUnsafeBufferPointer { ScalarFold.classify($0.baseAddress!, p, text.count) }
        switch fold.fold {
        case .keep: return Array(text[p..<(p + fold.length)])
        case .space: return [0x20]
        case .ascii(let a): return [a]
        case .ellipsis: return Array("...".utf8)
        case .remove: return nil
        }
    }

    func isContinuation(_ text: [UInt8], _ i: Int) -> Bool { i < text.count && (text[i] & 0xC0) == 0x80 }

    func testOffsetMapProperties() {
        var rng = SplitMix64(seed: 42)
        for round in 0..<300 {
            let length = Int(rng.next() % 40)
            let s = (0..<length).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
            let text = utf8(s)
            let n = Normalizer.normalize(text)
            XCTAssertEqual(n.originalOffsets.count, n.bytes.count + 1)
            XCTAssertNotNil(String(validating: n.bytes, as: UTF8.self), "invalid UTF-8 out, round \(round)")
            XCTAssertEqual(n.sentenceStarts.first, 0)
            XCTAssertEqual(n.sentenceStarts, n.sentenceStarts.sorted())
            XCTAssertEqual(Set(n.sentenceStarts).count, n.sentenceStarts.count)
            for start in n.sentenceStarts.dropFirst() {
                XCTAssertEqual(n.bytes[Int(start) - 1], 0x20, "sentence start after a space: \(s.debugDescription)")
                XCTAssertNotEqual(n.bytes[Int(start)], 0x20)
            }
            XCTAssertNotEqual(n.bytes.first, 0x20)
            XCTAssertNotEqual(n.bytes.last, 0x20)
            // Offsets ascend and every normalized byte comes from an original scalar whose fold holds it.
            var previous: Int32 = 0
            var i = 0
            while i < n.bytes.count {
                let p = Int(n.originalOffsets[i])
                XCTAssertGreaterThanOrEqual(n.originalOffsets[i], previous)
                previous = n.originalOffsets[i]
                XCTAssertLessThan(p, text.count)
                guard let f = folded(text, at: p) else { return XCTFail("maps to a removed scalar: \(s.debugDescription)") }
                if f.count > 1 && text[p] < 0xF0 && f != Array(text[p..<(p + f.count)]) {
                    // An expansion (ellipsis): its bytes all share the same offset.
                    XCTAssertEqual(Array(n.bytes[i..<(i + f.count)]), f, s.debugDescription)
                    i += f.count
                    continue
                }
                if f.count > 1 {
                    XCTAssertEqual(n.bytes[i], text[p], s.debugDescription)  // copied byte by byte
                } else {
                    XCTAssertEqual(n.bytes[i], f[0], "byte \(i) of \(s.debugDescription)")
                }
                i += 1
            }
            XCTAssertLessThanOrEqual(Int(n.originalOffsets.last!), text.count)
            // Every range maps within bounds, onto scalar boundaries, and back to the same normalized bytes.
            for _ in 0..<10 where !n.bytes.isEmpty {
                // Random bounds, moved back onto scalar boundaries of the normalized text.
                var a = Int(rng.next() % UInt64(n.bytes.count + 1)), b = Int(rng.next() % UInt64(n.bytes.count + 1))
                while isContinuation(n.bytes, a) { a -= 1 }
                while isContinuation(n.bytes, b) { b -= 1 }
                let r = min(a, b)..<max(a, b)
                let o = n.originalRange(r)
                XCTAssertTrue(o.lowerBound >= 0 && o.upperBound <= text.count && o.lowerBound <= o.upperBound)
                XCTAssertFalse(isContinuation(text, o.lowerBound), "\(r) -> \(o) in \(s.debugDescription)")
                XCTAssertFalse(isContinuation(text, o.upperBound), "\(r) -> \(o) in \(s.debugDescription)")
                let midExpansion = { (k: Int) in k > 0 && k < n.bytes.count && n.originalOffsets[k - 1] == n.originalOffsets[k] }
                guard !r.isEmpty, n.bytes[r.lowerBound] != 0x20, n.bytes[r.upperBound - 1] != 0x20,
                      !midExpansion(r.lowerBound), !midExpansion(r.upperBound) else { continue }
                let again = Normalizer.normalize(text, ranges: [o])
                XCTAssertEqual(again.bytes, Array(n.bytes[r]), "\(r) -> \(o) in \(s.debugDescription)")
            }
        }
    }
}
