/// 8-byte SWAR ("SIMD within a register") helpers over little-endian `UInt64` words.
///
/// PERF.md measured that Swift's `SIMD32<UInt8>` made a byte loop 2x slower while 8-byte SWAR on `UInt64`
/// made it fast, so the byte scanners of this module use these helpers. Byte `k` of a loaded word is the
/// byte at offset `k` of the buffer (little-endian load); a "mask" has `0x80` set in the lanes that hold.
enum SWAR {
    /// `0x01` in every lane.
    static let ones: UInt64 = 0x0101_0101_0101_0101
    /// `0x80` in every lane.
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Loads 8 bytes starting at `base + offset` (no alignment needed). The caller guarantees that
    /// `offset + 8 <= count` of the underlying buffer.
    @inline(__always)
    static func load(_ base: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// Whether any lane of `word` equals `byte`. Exact for the "any" question (the classic `haszero`
    /// expression can flag extra lanes above a true match, never without one).
    @inline(__always)
    static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let v = word ^ (ones &* UInt64(byte))
        return ((v &- ones) & ~v & highs) != 0
    }

    /// Mask of the lanes `>= c`, for words whose lanes are all ASCII (`< 0x80`); `c <= 0x80`.
    /// Each lane computes `b + (0x80 - c)` which is at most `0xFF`, so no carry crosses lanes.
    @inline(__always)
    static func atLeast(_ word: UInt64, _ c: UInt8) -> UInt64 {
        (word &+ ones &* UInt64(0x80 &- c)) & highs
    }

    /// Mask of the lanes in `lo...hi` for an all-ASCII word.
    @inline(__always)
    static func inRange(_ word: UInt64, _ lo: UInt8, _ hi: UInt8) -> UInt64 {
        atLeast(word, lo) & ~atLeast(word, hi &+ 1)
    }

    /// Mask of the lanes equal to `c` for an all-ASCII word (exact per lane).
    @inline(__always)
    static func equal(_ word: UInt64, _ c: UInt8) -> UInt64 {
        inRange(word, c, c)
    }
}
