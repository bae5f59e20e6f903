/// Evidence snippets: a bounded, scalar-aligned excerpt of a field's decoded UTF-8 text.
public enum Snippet {
    /// The default cap on a snippet's length in bytes (CONTRACT.md / LABELS.md §5.5: ≤ 160 bytes).
    public static let defaultMaxBytes = 160

    /// Returns at most `maxBytes` bytes of `bytes[range]`, cut on UTF-8 scalar boundaries.
    ///
    /// - The range is first clamped to `0..<bytes.count`.
    /// - A start inside a multi-byte scalar moves forward to the next scalar start (continuation
    ///   bytes `10xxxxxx` are skipped).
    /// - The end is `min(range.upperBound, start + maxBytes)`; if that falls inside a multi-byte
    ///   scalar, it moves back to that scalar's first byte, so no scalar is ever split.
    /// - Invalid UTF-8 inside the excerpt is decoded with U+FFFD replacement (the text fields
    ///   afscan scans are valid UTF-8, so this does not happen on the normal path).
    ///
    /// No ellipsis is added; the snippet's byte length is `≤ maxBytes` (before any U+FFFD
    /// replacement).
    ///
    /// - Parameters:
    ///   - bytes: the decoded UTF-8 text of the field the evidence span points into.
    ///   - range: a half-open byte range into `bytes` (the evidence `start..<end`).
    ///   - maxBytes: the byte cap; values below 0 count as 0.
    public static func make(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, maxBytes: Int = defaultMaxBytes) -> String {
        let count = bytes.count
        var start = min(max(range.lowerBound, 0), count)
        let upper = min(max(range.upperBound, start), count)
        while start < upper, isContinuation(bytes[start]) { start += 1 }
        var end = min(upper, start + max(maxBytes, 0))
        if end < count, end > start, isContinuation(bytes[end]) {
            // `end` splits a scalar: back off to the first byte of that scalar.
            var lead = end - 1
            while lead > start, isContinuation(bytes[lead]) { lead -= 1 }
            end = lead
        }
        guard end > start else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// `make` over a `String`'s UTF-8 bytes (convenience for tests and non-hot callers).
    public static func make(_ text: String, range: Range<Int>, maxBytes: Int = defaultMaxBytes) -> String {
        var text = text
        return text.withUTF8 { make($0, range: range, maxBytes: maxBytes) }
    }

    @inline(__always)
    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}
