/// Text normalized for matching (see `Normalizer`), with a map back to the original bytes and the
/// sentence segmentation.
///
/// All offsets are byte offsets: `bytes` offsets are into the normalized UTF-8, `originalOffsets` values
/// are into the original field text (the buffer given to `Normalizer.normalize`), not into a block.
public struct NormalizedText: Sendable, Hashable {
    /// The normalized UTF-8 bytes (valid UTF-8 whenever the input was).
    public var bytes: [UInt8]
    /// `count == bytes.count + 1`. `originalOffsets[i]` is the original byte offset of the first byte of
    /// the source of normalized byte `i`: the byte itself for copied bytes, the start of the folded scalar
    /// for a replacement (all three bytes of an ellipsis's `...` share it), the first whitespace byte of a
    /// folded whitespace run, or the end of the previous range for the space inserted between two ranges.
    /// The last entry is the original end offset of the source of the last normalized byte (trailing
    /// whitespace is dropped, so it is not necessarily the end of the last range); for an empty result it
    /// is the lower bound of the first range (0 with no ranges). Non-decreasing.
    public var originalOffsets: [Int32]
    /// Normalized offsets where sentences start, strictly ascending; the first is always 0 (also for an
    /// empty text). Each start is the offset of the first non-space byte of its sentence.
    public var sentenceStarts: [Int32]

    public init(bytes: [UInt8], originalOffsets: [Int32], sentenceStarts: [Int32]) {
        precondition(originalOffsets.count == bytes.count + 1, "NormalizedText: originalOffsets.count must be bytes.count + 1")
        self.bytes = bytes
        self.originalOffsets = originalOffsets
        self.sentenceStarts = sentenceStarts
    }

    /// The number of sentences (at least 1).
    public var sentenceCount: Int { sentenceStarts.count }

    /// Maps a half-open range of normalized bytes to the half-open range of original bytes it came from.
    ///
    /// The lower bound is the source start of the first byte; the upper bound is the source end of the
    /// last byte, rounded up to a whole scalar when the range ends inside an expansion (e.g. after the
    /// first `.` of a folded `…`). So the result always lies on UTF-8 scalar boundaries of a valid input.
    /// A range ending on a folded space covers the whole whitespace run; a range ending just before a
    /// removed soft hyphen includes the soft hyphen. An empty range maps to an empty range.
    /// - Precondition: `0 <= normalized.lowerBound`, `normalized.upperBound <= bytes.count`.
    public func originalRange(_ normalized: Range<Int>) -> Range<Int> {
        precondition(normalized.lowerBound >= 0 && normalized.upperBound <= bytes.count,
                     "NormalizedText.originalRange: \(normalized) outside 0..<\(bytes.count)")
        let lower = Int(originalOffsets[normalized.lowerBound])
        if normalized.isEmpty { return lower..<lower }
        let lastStart = originalOffsets[normalized.upperBound - 1]
        var j = normalized.upperBound
        while j < bytes.count && originalOffsets[j] == lastStart { j += 1 }
        return lower..<Int(originalOffsets[j])
    }

    /// The 0-based index of the sentence holding normalized byte `normalizedOffset`: the last sentence whose
    /// start is `<= normalizedOffset` (binary search, O(log sentences)). Offsets past the end give the last
    /// sentence; negative offsets give 0.
    public func sentenceIndex(at normalizedOffset: Int) -> Int {
        var lo = 0
        var hi = sentenceStarts.count  // invariant: answer in lo..<hi
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if Int(sentenceStarts[mid]) <= normalizedOffset { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The normalized byte range of sentence `index` (its trailing separator space excluded).
    /// - Precondition: `0 <= index < sentenceCount`.
    public func sentenceRange(_ index: Int) -> Range<Int> {
        let start = Int(sentenceStarts[index])
        var end = index + 1 < sentenceStarts.count ? Int(sentenceStarts[index + 1]) : bytes.count
        if end > start && bytes[end - 1] == 0x20 { end -= 1 }
        return start..<end
    }
}
