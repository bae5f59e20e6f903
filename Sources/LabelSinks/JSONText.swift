/// Hand-written JSON text primitives that append UTF-8 bytes into a caller-owned `[UInt8]`.
///
/// These are the building blocks of the hot-path `LabelRowEncoder` (millions of rows): no
/// `JSONEncoder`, no `String` interpolation, no locale. Every function is deterministic: the same
/// input appends the same bytes on every platform and run.
public enum JSONText {
    // MARK: Strings

    /// Appends `string` as a JSON string literal (with the surrounding quotes), escaped per RFC 8259 §7.
    ///
    /// - `"` → `\"`, `\` → `\\`;
    /// - control characters U+0000–U+001F → `\b`, `\f`, `\n`, `\r`, `\t` where JSON has a short form,
    ///   else `\u00XX` (lowercase hex);
    /// - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR → `\u2028` / `\u2029`, so that a row is
    ///   also a valid JavaScript literal (they are legal raw in JSON but end a line in pre-ES2019 JS);
    /// - every other scalar is copied as its UTF-8 bytes (a Swift `String` is always valid UTF-8, so
    ///   the output is valid UTF-8). U+007F is copied raw (RFC 8259 does not require escaping it).
    ///
    /// - Complexity: O(*n*) in the UTF-8 length of `string`; runs of bytes that need no escape are
    ///   appended in one `append(contentsOf:)`.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        // A native string's UTF-8 is read in place; only small (inline) and bridged strings are
        // copied first (`withUTF8` on a copy), so no row string costs a retain or an allocation.
        if string.utf8.withContiguousStorageIfAvailable({ appendString(utf8: $0, to: &out) }) != nil { return }
        var copy = string
        copy.withUTF8 { appendString(utf8: $0, to: &out) }
    }

    /// Appends the bytes of `text` verbatim, with no escaping and no quotes: for the encoders' fixed
    /// key fragments (ASCII literals such as `,"start":`), read in place from the binary.
    @inline(__always)
    public static func appendRaw(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 bytes `utf8` as an escaped JSON string literal; see `appendString(_:to:)`.
    ///
    /// The bytes must be valid UTF-8 (as from a Swift `String`); this function does not validate.
    public static func appendString(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)  // "
        var runStart = 0
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            let escape: Bool
            if b < 0x20 || b == 0x22 || b == 0x5C {
                escape = true
            } else if b == 0xE2, i + 2 < count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                escape = true
            } else {
                escape = false
            }
            if !escape {
                i += 1
                continue
            }
            if runStart < i {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            }
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])  // \"
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])  // \\
            case 0x08: out.append(contentsOf: [0x5C, 0x62])  // \b
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])  // \f
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])  // \n
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])  // \r
            case 0x09: out.append(contentsOf: [0x5C, 0x74])  // \t
            case 0xE2:
                // U+2028 / U+2029: the third byte decides the last hex digit.
                out.append(contentsOf: lineSeparatorPrefix)
                out.append(bytes[i + 2] == 0xA8 ? 0x38 : 0x39)
                i += 3
                runStart = i
                continue
            default:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30])  // \u00
                out.append(hexDigit(b >> 4))
                out.append(hexDigit(b & 0x0F))
            }
            i += 1
            runStart = i
        }
        if runStart < count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
        out.append(0x22)
    }

    /// Appends a JSON object key: the escaped string literal followed by `:`.
    public static func appendKey(_ key: String, to out: inout [UInt8]) {
        appendString(key, to: &out)
        out.append(0x3A)
    }

    // MARK: Numbers

    /// Appends `value` in plain decimal (`-12`, `0`, `40960`), no exponent, no locale.
    public static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        appendInteger(Int64(value), to: &out)
    }

    /// Appends `value` in plain decimal (`-12`, `0`, `40960`), no exponent, no locale.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        appendDigits(value.magnitude, minimumWidth: 1, to: &out)
    }

    /// Appends the decimal digits of `value`, left-padded with `0` to `minimumWidth` (at most 20).
    /// Allocation-free: digits are built in a stack buffer.
    private static func appendDigits(_ value: UInt64, minimumWidth: Int, to out: inout [UInt8]) {
        if minimumWidth <= 1 && value < 100_000 {
            // The common case (offsets, counts): digits appended one by one, most significant first.
            var power: UInt64 = 1
            while power * 10 <= value { power *= 10 }
            var rest = value
            repeat {
                out.append(0x30 + UInt8(rest / power))
                rest %= power
                power /= 10
            } while power > 0
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var position = 20
            var rest = value
            repeat {
                position -= 1
                buffer[position] = 0x30 + UInt8(rest % 10)
                rest /= 10
            } while rest != 0
            while 20 - position < minimumWidth {
                position -= 1
                buffer[position] = 0x30
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position..<20]))
        }
    }

    /// The largest `fractionDigits` accepted by `appendFixed`.
    public static let maxFractionDigits = 9

    /// Appends `value` rounded to `fractionDigits` decimals, in the shortest plain decimal form:
    /// trailing fractional zeros and a bare point are dropped, so 0.63 → `0.63`, 1.0 → `1`,
    /// 0.0 → `0`, 0.00012 → `0.0001` (4 digits), 1e-5 → `0` (4 digits). Never an exponent, never a
    /// locale separator, never `-0`.
    ///
    /// JSON has no NaN or infinity, so non-finite and huge inputs are clamped, never printed as such:
    /// NaN → `0`; ±infinity and magnitudes above 9·10¹⁸ / 10^`fractionDigits` (9·10¹⁴ for 4 digits)
    /// → that bound with the input's sign.
    ///
    /// Rounding is half away from zero on `value × 10^fractionDigits` computed in binary floating
    /// point, so a decimal tie that is not exactly representable (0.12345) may round either way —
    /// but always the same way on every run and platform.
    ///
    /// - Parameters:
    ///   - fractionDigits: 0...`maxFractionDigits`; values outside are clamped into that range.
    public static func appendFixed(_ value: Double, fractionDigits: Int = 4, to out: inout [UInt8]) {
        let digits = min(max(fractionDigits, 0), maxFractionDigits)
        let scale = powersOfTen[digits]
        let bound = 9.0e18 / Double(scale)
        var v = value
        if v.isNaN { v = 0 }
        if v > bound { v = bound }
        if v < -bound { v = -bound }
        let scaled = Int64((v * Double(scale)).rounded(.toNearestOrAwayFromZero))
        if scaled == 0 {
            out.append(0x30)
            return
        }
        if scaled < 0 { out.append(0x2D) }
        let magnitude = scaled.magnitude
        let integerPart = magnitude / UInt64(scale)
        var fraction = magnitude % UInt64(scale)
        appendDigits(integerPart, minimumWidth: 1, to: &out)
        guard fraction != 0 else { return }
        var width = digits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        out.append(0x2E)  // .
        appendDigits(fraction, minimumWidth: width, to: &out)
    }

    /// Appends `value` clamped to [0, 1] (NaN → 0) and rounded to 4 decimals: the form of every
    /// label `score` and `rank`.
    public static func appendUnitScore(_ value: Double, to out: inout [UInt8]) {
        let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
        appendFixed(clamped, fractionDigits: 4, to: &out)
    }

    /// Appends `true` or `false`.
    public static func appendBool(_ value: Bool, to out: inout [UInt8]) {
        if value { appendRaw("true", to: &out) } else { appendRaw("false", to: &out) }
    }

    /// Appends `null`.
    public static func appendNull(to out: inout [UInt8]) {
        appendRaw("null", to: &out)
    }

    /// 10^0 … 10^`maxFractionDigits`.
    private static let powersOfTen: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    /// `\u202`, completed by `8` or `9`.
    private static let lineSeparatorPrefix: [UInt8] = [0x5C, 0x75, 0x32, 0x30, 0x32]

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + (nibble - 10)
    }
}
