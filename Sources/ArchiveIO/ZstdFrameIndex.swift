import CZstd

/// The frames of a zstd archive, found by walking frame and block headers without decoding anything.
///
/// The walk reads the headers with `pread` (`ArchiveFile`), never through a memory mapping, and accepts
/// exactly what `ZSTD_findFrameCompressedSize` accepts over the file's bytes: a frame header that
/// `ZSTD_getFrameHeader` parses, blocks whose headers (RFC 8878: last-block bit, type, size) and bytes lie
/// within the file, then the 4-byte checksum when the header announces one.
///
/// Skippable frames (pzstd writes one before each data frame) are walked over and not listed. The walk
/// stops at the first bytes that are not a complete frame (a truncated last frame, garbage after the last
/// frame, a corrupt frame or block header, a legacy-format frame, or a header that cannot be read because
/// the file shrank or a read failed): `tailStart` is then where those bytes start, and a decoder must
/// decode them sequentially to report the fault exactly as a streaming read would.
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
    /// Offset of the first archive byte that is not part of a complete frame (data or skippable), in
    /// bytes; nil when the frames cover the archive exactly.
    public var tailStart: Int?

    /// Walks the frames of `file`, up to the size it had when it was opened (`ArchiveFile.size`). Cost: one
    /// `pread` of at most 18 bytes per frame header and of 3 bytes per block header (a block holds at
    /// most 128 KiB decoded); no decoding, nothing mapped, nothing kept but the index. Never throws: bytes
    /// it cannot read end the walk (`tailStart`), and the decoder reading them reports the fault.
    public init(scanning file: ArchiveFile) {
        frames = []
        tailStart = nil
        var offset = 0
        while offset < file.size {
            switch Self.frame(at: offset, in: file) {
            case .data(let frame):
                frames.append(frame)
                offset = frame.compressed.upperBound
            case .skippable(let size):
                offset += size
            case nil:
                tailStart = offset
                return
            }
        }
    }

    /// A complete frame found by the walk.
    private enum Walked {
        case data(Frame)
        /// A skippable frame of this many bytes.
        case skippable(Int)
    }

    /// The frame at `offset`; nil when the bytes there are not a complete frame within `file.size`.
    private static func frame(at offset: Int, in file: ArchiveFile) -> Walked? {
        let end = file.size
        var header = ZSTD_frameHeader()
        let headerBytes = withUnsafeTemporaryAllocation(byteCount: 18, alignment: 8) { buffer -> Int? in
            let want = min(buffer.count, end - offset)
            guard let n = try? file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: offset),
                  n == want else { return nil }
            // 0: parsed; an error or "needs more bytes" (> 0) is not a frame.
            return ZSTD_getFrameHeader(&header, buffer.baseAddress, n) == 0 ? Int(header.headerSize) : nil
        }
        guard let headerBytes else { return nil }
        if header.frameType == ZSTD_skippableFrame {
            // libzstd's readSkippableFrameSize: 8 header bytes plus a 32-bit payload size that must fit.
            let size = 8 + Int(header.frameContentSize)
            return header.frameContentSize <= UInt64(UInt32.max - 8) && size <= end - offset ? .skippable(size) : nil
        }
        var position = offset + headerBytes
        while true {
            guard end - position >= 3 else { return nil }
            var block: (UInt8, UInt8, UInt8) = (0, 0, 0)
            let n = withUnsafeMutableBytes(of: &block) { try? file.read(into: $0, at: position) }
            guard n == 3 else { return nil }
            let bits = Int(block.0) | Int(block.1) << 8 | Int(block.2) << 16
            let last = bits & 1 == 1, type = (bits >> 1) & 3, declared = bits >> 3
            guard type != 3 else { return nil }   // reserved block type: corrupt
            let stored = type == 1 ? 1 : declared   // an RLE block stores one byte
            guard stored <= end - position - 3 else { return nil }
            position += 3 + stored
            if last { break }
        }
        if header.checksumFlag != 0 {
            guard end - position >= 4 else { return nil }
            position += 4
        }
        let declared = header.frameContentSize
        let known = declared != ZSTD_CONTENTSIZE_UNKNOWN && declared <= UInt64(Int.max)
        return .data(Frame(compressed: offset..<position, contentSize: known ? Int(declared) : nil))
    }
}
