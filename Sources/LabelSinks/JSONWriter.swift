/// A cursor that writes JSON text into memory reserved in advance: the one implementation of string
/// escaping and number formatting behind `JSONText` (whose `[UInt8]` functions reserve, write with a
/// `JSONWriter` and append once) and behind the row encoder's explanation, which writes a whole
/// model explanation — hundreds of keys, numbers and names — with one reservation instead of one
/// `Array.append` (a uniqueness and capacity check) per piece.
///
/// The caller reserves enough bytes (`JSONText.append(to:atMost:_:)`); each writing function states
/// the most bytes it writes, so the bound of a piece of text is the sum of its parts' bounds.
/// Formats are those documented on `JSONText`.
public struct JSONWriter {
    /// Where the next byte goes (bytes before it, back to the reservation's start, are written).
    @usableFromInline var cursor: UnsafeMutablePointer<UInt8>

    @inlinable init(_ start: UnsafeMutablePointer<UInt8>) { cursor = start }

    /// Most bytes `string(utf8:)` writes for `count` bytes of UTF-8: every byte escaped as `\u00XX`,
    /// plus the quotes.
    @inlinable public static func stringBound(utf8Count count: Int) -> Int { 6 * count + 2 }
    /// Most bytes `integer` writes (`-9223372036854775808`).
    public static let integerBound = 20
    /// Most bytes `fixed` writes: a sign, 19 digits (|scaled| ≤ 9·10¹⁸) and a point.
    public static let fixedBound = 21

    /// Writes one byte.
    @inlinable public mutating func byte(_ b: UInt8) {
        cursor.initialize(to: b)
        cursor += 1
    }

    /// Writes `bytes` verbatim.
    @inlinable public mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        cursor.initialize(from: base, count: bytes.count)
        cursor += bytes.count
    }

    /// Writes the bytes of `text` verbatim (`text.utf8CodeUnitCount` bytes).
    @inlinable public mutating func raw(_ text: StaticString) {
        cursor.initialize(from: text.utf8Start, count: text.utf8CodeUnitCount)
        cursor += text.utf8CodeUnitCount
    }

    /// Writes `string` as an escaped JSON string literal (`JSONText.appendString`); at most
    /// `stringBound(utf8Count: string.utf8.count)` bytes.
    public mutating func string(_ string: String) {
        // A native string's UTF-8 is read in place; only small (inline) strings are copied first.
        if string.utf8.withContiguousStorageIfAvailable({ self.string(utf8: $0) }) != nil { return }
        var copy = string
        copy.withUTF8 { self.string(utf8: $0) }
    }

    /// Writes the valid UTF-8 `bytes` as an escaped JSON string literal (`JSONText.appendString`); at
    /// most `stringBound(utf8Count: bytes.count)` bytes.
    public mutating func string(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        byte(0x22)  // "
        var runStart = 0
        var i = 0
        let count = bytes.count
        guard let base = bytes.baseAddress else {
            byte(0x22)
            return
        }
        while i < count {
            // Eight bytes at a time while none of them can start an escape.
            if i + 8 <= count, !Self.mayNeedEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let b = base[i]
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
                self.bytes(UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            }
            byte(0x5C)  // \
            switch b {
            case 0x22: byte(0x22)  // \"
            case 0x5C: byte(0x5C)  // \\
            case 0x08: byte(0x62)  // \b
            case 0x0C: byte(0x66)  // \f
            case 0x0A: byte(0x6E)  // \n
            case 0x0D: byte(0x72)  // \r
            case 0x09: byte(0x74)  // \t
            case 0xE2:
                // U+2028 / U+2029 (3 bytes in, 6 out): the third byte decides the last hex digit.
                raw("u202")
                byte(bytes[i + 2] == 0xA8 ? 0x38 : 0x39)
                i += 3
                runStart = i
                continue
            default:
                raw("u00")
                byte(Self.hexDigit(b >> 4))
                byte(Self.hexDigit(b & 0x0F))
            }
            i += 1
            runStart = i
        }
        if runStart < count {
            self.bytes(UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
        byte(0x22)
    }

    /// True when one of the eight bytes of `word` is below 0x20, `"`, `\` or 0xE2 (the lead byte of
    /// U+2028/U+2029) — exact in that direction: a false answer means no byte needs a look.
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below20 = (word &- 0x20 &* ones) & ~word & highs != 0
        return below20 || hasZeroByte(word ^ (0x22 &* ones)) || hasZeroByte(word ^ (0x5C &* ones))
            || hasZeroByte(word ^ (0xE2 &* ones))
    }

    /// Writes `value` in plain decimal (`JSONText.appendInteger`); at most `integerBound` bytes.
    public mutating func integer(_ value: Int64) {
        if value < 0 { byte(0x2D) }
        digits(value.magnitude, minimumWidth: 1)
    }

    /// Writes the decimal digits of `value`, left-padded with `0` to `minimumWidth` (at most 20).
    @usableFromInline mutating func digits(_ value: UInt64, minimumWidth: Int) {
        var count = 1
        var rest = value / 10
        while rest != 0 {
            count += 1
            rest /= 10
        }
        let width = max(count, min(minimumWidth, 20))
        rest = value
        var position = cursor + width
        repeat {
            position -= 1
            position.initialize(to: 0x30 + UInt8(rest % 10))
            rest /= 10
        } while rest != 0
        while position > cursor {
            position -= 1
            position.initialize(to: 0x30)
        }
        cursor += width
    }

    /// Writes `value` rounded to `fractionDigits` decimals in the shortest plain form
    /// (`JSONText.appendFixed`, which documents clamping and rounding); at most `fixedBound` bytes.
    public mutating func fixed(_ value: Double, fractionDigits: Int) {
        let digits = min(max(fractionDigits, 0), JSONText.maxFractionDigits)
        let scale = Self.powersOfTen[digits]
        let bound = 9.0e18 / Double(scale)
        var v = value
        if v.isNaN { v = 0 }
        if v > bound { v = bound }
        if v < -bound { v = -bound }
        let scaled = Int64((v * Double(scale)).rounded(.toNearestOrAwayFromZero))
        if scaled == 0 {
            byte(0x30)
            return
        }
        if scaled < 0 { byte(0x2D) }
        let magnitude = scaled.magnitude
        var fraction = magnitude % UInt64(scale)
        self.digits(magnitude / UInt64(scale), minimumWidth: 1)
        guard fraction != 0 else { return }
        var width = digits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        byte(0x2E)  // .
        self.digits(fraction, minimumWidth: width)
    }

    /// 10^0 … 10^`JSONText.maxFractionDigits`.
    private static let powersOfTen: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + (nibble - 10)
    }
}

extension JSONText {
    /// Reserves `bound` bytes, lets `body` write at most that many with a `JSONWriter`, and appends what
    /// it wrote to `out` (one copy). Bounds of 1 KB or less are reserved on the stack.
    ///
    /// - Precondition: `body` writes at most `bound` bytes (checked after it returns; the bounds are
    ///   `JSONWriter`'s documented maxima summed).
    @inlinable
    public static func append(to out: inout [UInt8], atMost bound: Int, _ body: (inout JSONWriter) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bound, 1)) { buffer in
            let start = buffer.baseAddress!
            var writer = JSONWriter(start)
            body(&writer)
            let written = writer.cursor - start
            precondition(written <= bound, "JSONWriter wrote \(written) bytes into \(bound)")
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: written))
        }
    }
}
