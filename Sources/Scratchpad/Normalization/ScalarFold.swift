/// The matching fold of one non-ASCII UTF-8 scalar, shared by `Normalizer` and `Tokenizer` so that both
/// agree on which code points are spaces and punctuation (LABELS.md §5.1).
///
/// Folded code points (UTF-8 bytes in parentheses):
/// - whitespace: U+00A0 (C2 A0), U+2000–U+200A (E2 80 80–8A), U+202F (E2 80 AF), U+205F (E2 81 9F),
///   U+3000 (E3 80 80); line breaks U+2028/U+2029 (E2 80 A8/A9), which also end sentences;
/// - `'`: U+2018–U+201B (E2 80 98–9B), U+2032 prime (E2 80 B2);
/// - `"`: U+201C–U+201F (E2 80 9C–9F), U+2033 double prime (E2 80 B3), « U+00AB (C2 AB), » U+00BB (C2 BB);
/// - `-`: U+2010–U+2015 (E2 80 90–95, including U+2011 non-breaking hyphen and the en/em dashes),
///   U+2212 minus (E2 88 92), U+FE58 (EF B9 98), U+FE63 (EF B9 A3), U+FF0D (EF BC 8D);
/// - `...`: U+2026 horizontal ellipsis (E2 80 A6);
/// - removed: U+00AD soft hyphen (C2 AD).
/// Every other scalar is kept as-is (and counts as a letter for `Tokenizer`).
enum ScalarFold: Equatable {
    /// Copy the scalar's bytes unchanged.
    case keep
    /// A whitespace scalar; `lineBreak` is true for U+2028/U+2029.
    case space(lineBreak: Bool)
    /// Replace the scalar by one ASCII byte.
    case ascii(UInt8)
    /// U+2026: replace by `...`.
    case ellipsis
    /// U+00AD: drop.
    case remove

    /// Classifies the scalar whose lead byte is at `i` (`p[i] >= 0x80`) and returns it with its length in
    /// bytes (1 for a stray continuation or invalid byte, clamped to `end`).
    @inline(__always)
    static func classify(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (fold: ScalarFold, length: Int) {
        let b0 = p[i]
        let length: Int
        if b0 < 0xC0 { length = 1 } else if b0 < 0xE0 { length = 2 } else if b0 < 0xF0 { length = 3 } else { length = 4 }
        let n = min(length, end - i)
        if n < length { return (.keep, n) }
        switch b0 {
        case 0xC2:
            switch p[i + 1] {
            case 0xA0: return (.space(lineBreak: false), 2)
            case 0xAD: return (.remove, 2)
            case 0xAB, 0xBB: return (.ascii(UInt8(ascii: "\"")), 2)
            default: return (.keep, 2)
            }
        case 0xE2:
            let b1 = p[i + 1], b2 = p[i + 2]
            if b1 == 0x80 {
                switch b2 {
                case 0x80...0x8A, 0xAF: return (.space(lineBreak: false), 3)
                case 0xA8, 0xA9: return (.space(lineBreak: true), 3)
                case 0x90...0x95: return (.ascii(UInt8(ascii: "-")), 3)
                case 0x98...0x9B, 0xB2: return (.ascii(UInt8(ascii: "'")), 3)
                case 0x9C...0x9F, 0xB3: return (.ascii(UInt8(ascii: "\"")), 3)
                case 0xA6: return (.ellipsis, 3)
                default: return (.keep, 3)
                }
            }
            if b1 == 0x81 && b2 == 0x9F { return (.space(lineBreak: false), 3) }
            if b1 == 0x88 && b2 == 0x92 { return (.ascii(UInt8(ascii: "-")), 3) }
            return (.keep, 3)
        case 0xE3:
            if p[i + 1] == 0x80 && p[i + 2] == 0x80 { return (.space(lineBreak: false), 3) }
            return (.keep, 3)
        case 0xEF:
            let b1 = p[i + 1], b2 = p[i + 2]
            if (b1 == 0xB9 && (b2 == 0x98 || b2 == 0xA3)) || (b1 == 0xBC && b2 == 0x8D) {
                return (.ascii(UInt8(ascii: "-")), 3)
            }
            return (.keep, 3)
        default:
            return (.keep, length)
        }
    }
}

/// Per-byte classes of ASCII for the byte loops.
enum ASCIIClass {
    /// Space, tab, LF, VT, FF, CR.
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
    /// LF, VT, FF, CR: whitespace that ends a sentence.
    @inline(__always)
    static func isLineBreak(_ b: UInt8) -> Bool { b >= 0x0A && b <= 0x0D }
    @inline(__always)
    static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    @inline(__always)
    static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always)
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isUpper(b) || isLower(b) }
}
