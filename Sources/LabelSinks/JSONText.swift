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
    /// - Complexity: O(*n*) in the UTF-8 length of `string`; written by `JSONWriter.string` into a
    ///   reservation of 6*n* + 2 bytes (on the stack up to 1 KB), then appended in one copy.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        append(to: &out, atMost: JSONWriter.stringBound(utf8Count: string.utf8.count)) { $0.string(string) }
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
        append(to: &out, atMost: JSONWriter.stringBound(utf8Count: bytes.count)) { $0.string(utf8: bytes) }
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
        append(to: &out, atMost: JSONWriter.integerBound) { $0.integer(value) }
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
        append(to: &out, atMost: JSONWriter.fixedBound) { $0.fixed(value, fractionDigits: fractionDigits) }
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
}
