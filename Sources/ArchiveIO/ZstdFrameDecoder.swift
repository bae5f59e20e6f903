import CZstd

/// Decodes zstd frames that are wholly in memory (a `ZstdFrameIndex` frame of a `MappedFile`), handing
/// the decoded bytes to a closure in pieces of at most `ZSTD_DStreamOutSize()` (128 KiB) bytes.
///
/// It drives libzstd exactly as `InputReader` does (`ZSTD_decompressStream`, at most one block of output
/// per call, the same window limit), so a frame decodes to the same bytes, and a corrupt frame yields
/// the bytes libzstd delivers before noticing, followed by the same `ArchiveError`.
///
/// Not thread-safe: it owns a `ZSTD_DCtx`; use one per thread.
public final class ZstdFrameDecoder {
    /// How a decode ended.
    public enum Outcome: Sendable {
        /// Every frame in the bytes decoded completely.
        case complete
        /// The closure returned false; decoding stopped there.
        case stopped
        /// A fault. `decompressedOffset` in the error counts bytes delivered by this call only (the caller
        /// adds the stream offset where the frame starts); `compressedOffset` is absolute.
        case failed(ArchiveError)
    }

    public let maxWindowLog: Int
    private let dctx: OpaquePointer
    private let scratch: UnsafeMutableRawBufferPointer

    /// - Parameter maxWindowLog: `--max-window-log`; a frame whose window exceeds 2^maxWindowLog bytes
    ///   fails with `.windowTooLarge`.
    public init(maxWindowLog: Int = 27) {
        self.maxWindowLog = maxWindowLog
        dctx = ZSTD_createDCtx()
        ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Int32(maxWindowLog))
        scratch = .allocate(byteCount: max(ZSTD_DStreamOutSize(), 1), alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(dctx)
        scratch.deallocate()
    }

    /// Decodes `compressed`, which starts with a frame at compressed offset `start` of input `input`.
    /// Usually one frame; when the bytes hold several (a tail after the last indexed frame) they are
    /// followed, and skippable frames are skipped. Bytes that end inside a frame are a `.truncated` fault
    /// after every complete block was delivered.
    /// - Parameter deliver: receives each piece of decoded bytes (valid only during the call); returns
    ///   false to stop.
    public func decode(_ compressed: UnsafeRawBufferPointer, at start: Int64, input: String,
                       deliver: (UnsafeRawBufferPointer) -> Bool) -> Outcome {
        ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)
        guard let src = compressed.baseAddress, !compressed.isEmpty else { return .complete }
        var inb = ZSTD_inBuffer(src: src, size: compressed.count, pos: 0)
        var produced: Int64 = 0
        var frameStart = 0
        while true {
            var out = ZSTD_outBuffer(dst: scratch.baseAddress!, size: scratch.count, pos: 0)
            let before = inb.pos
            let ret = ZSTD_decompressStream(dctx, &out, &inb)
            if ZSTD_isError(ret) != 0 {
                let header = UnsafeRawBufferPointer(rebasing: compressed[frameStart..<min(compressed.count, frameStart + 18)])
                return .failed(ZstdFault.decodeError(ret, maxWindowLog: maxWindowLog, frameStart: start + Int64(frameStart),
                                                     frameHeader: header, input: input,
                                                     compressedOffset: start + Int64(before), decodedBefore: produced))
            }
            if out.pos > 0 {
                produced += Int64(out.pos)
                if !deliver(UnsafeRawBufferPointer(rebasing: scratch[0..<out.pos])) { return .stopped }
            }
            let frameDone = ret == 0
            if frameDone { frameStart = inb.pos }
            // ret == 0: the frame is decoded and flushed completely.
            if frameDone && inb.pos == inb.size { return .complete }
            if inb.pos == inb.size && out.pos < out.size {
                // All input consumed inside a frame, and libzstd holds no more output.
                return .failed(ZstdFault.truncated(frameStart: start + Int64(frameStart), input: input,
                                                   compressedOffset: start + Int64(inb.pos), decodedBefore: produced))
            }
        }
    }
}
