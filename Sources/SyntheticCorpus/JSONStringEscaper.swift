/// A hand-written JSON string escaper (RFC 8259 §7), so that the corpus carries both escaping
/// styles real archives have without going through `JSONSerialization`.
public enum JSONStringEscaper {
    /// How non-ASCII text is written.
    public enum Style: String, Sendable, Hashable, CaseIterable {
        /// UTF-8 passed through; only `"`, `\` and control characters are escaped (`\n`, `\t`,
        /// `\r`, `\b`, `\f`, else `\u00XX`). What `json.dumps(..., ensure_ascii=False)` writes.
        case utf8
        /// Every non-ASCII scalar as `\uXXXX` (lower-case hex), scalars above U+FFFF as a UTF-16
        /// surrogate pair (`😀` → `\ud83d\ude00`). What Python's default `json.dumps` writes.
        case asciiOnly
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a quoted JSON string (quotes included) to `out`.
    public static func appendQuoted(_ text: String, style: Style, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(text, style: style, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the escaped body of `text` (no surrounding quotes) to `out`.
    public static func appendEscaped(_ text: String, style: Style, to out: inout [UInt8]) {
        switch style {
        case .utf8:
            var text = text
            text.withUTF8 { bytes in
                out.reserveCapacity(out.count + bytes.count + bytes.count / 16)
                for b in bytes {
                    if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                        out.append(b)
                    } else {
                        appendASCIIEscape(b, to: &out)
                    }
                }
            }
        case .asciiOnly:
            out.reserveCapacity(out.count + text.utf8.count + text.utf8.count / 8)
            for scalar in text.unicodeScalars {
                let v = scalar.value
                if v < 0x80 {
                    let b = UInt8(v)
                    if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                        out.append(b)
                    } else {
                        appendASCIIEscape(b, to: &out)
                    }
                } else if v <= 0xFFFF {
                    appendUnicodeEscape(UInt16(v), to: &out)
                } else {
                    let u = v - 0x10000
                    appendUnicodeEscape(UInt16(0xD800 + (u >> 10)), to: &out)
                    appendUnicodeEscape(UInt16(0xDC00 + (u & 0x3FF)), to: &out)
                }
            }
        }
    }

    private static func appendASCIIEscape(_ b: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
            out.removeLast()
            appendUnicodeEscape(UInt16(b), to: &out)
        }
    }

    private static func appendUnicodeEscape(_ unit: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "u"))
        out.append(hex[Int(unit >> 12) & 0xF])
        out.append(hex[Int(unit >> 8) & 0xF])
        out.append(hex[Int(unit >> 4) & 0xF])
        out.append(hex[Int(unit) & 0xF])
    }
}
