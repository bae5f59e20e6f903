import CZstd

/// The frames of a zstd archive, found by walking frame and block headers
/// (`ZSTD_findFrameCompressedSize`) over the compressed bytes without decoding anything.
///
/// Skippable frames (pzstd writes one before each data frame) are walked over and not listed. The walk
/// stops at the first bytes that are not a complete frame (a truncated last frame, garbage after the last
/// frame, a corrupt frame or block header): `tailStart` is then where those bytes start, and a decoder
/// must decode them sequentially to report the fault exactly as a streaming read would.
public struct ZstdFrameIndex: Sendable, Equatable {
    /// One data frame.
    public struct Frame: Sendable, Equatable {
        /// The frame's compressed bytes: a half-open byte range into the archive (header to checksum).
        public var compressed: Range<Int>
        /// The decompressed size from the frame header, in bytes; nil when the header does not say
        /// (frames written from a pipe by `zstd -c` usually do not).
        public var contentSize: Int?
    }

    /// Data frames in archive order.
    public var frames: [Frame]
    /// Offset of the first archive byte that is not part of a complete frame (data or skippable);
    /// nil when the frames cover the archive exactly.
    public var tailStart: Int?

    /// Walks the frames of `archive` (the whole compressed file). Cost: one header read per block, about
    /// 3 bytes per 128 KiB block; no decoding.
    /// - Parameter release: called with byte ranges already walked (at most every 16 MiB), so a caller
    ///   that mapped the archive can drop those pages at once (`MappedFile.release`): walking block
    ///   headers touches every page, and the peak resident set would otherwise hold the whole archive.
    public init(scanning archive: UnsafeRawBufferPointer, release: ((Range<Int>) -> Void)? = nil) {
        frames = []
        tailStart = nil
        guard let base = archive.baseAddress else { return }
        var offset = 0
        var released = 0
        while offset < archive.count {
            if let release, offset - released >= 16 << 20 {
                release(released..<offset)
                released = offset
            }
            let p = base + offset
            let remaining = archive.count - offset
            let size = ZSTD_findFrameCompressedSize(p, remaining)
            if ZSTD_isError(size) != 0 || size == 0 {
                tailStart = offset
                return
            }
            if ZSTD_isSkippableFrame(p, remaining) == 0 {
                let declared = ZSTD_getFrameContentSize(p, remaining)
                let known = declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR && declared <= UInt64(Int.max)
                frames.append(Frame(compressed: offset..<(offset + size), contentSize: known ? Int(declared) : nil))
            }
            offset += size
        }
    }
}
