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

    /// Decodes the single frame `compressed` (at compressed offset `start`) in place into `frame`
    /// (emptied first), with the same libzstd calls as `decode` (at most 128 KiB of output per call).
    /// - Parameters:
    ///   - limit: the most decoded bytes kept, in bytes; a larger frame returns `.stopped`.
    ///   - abandoned: polled between calls; when it returns true decoding stops (`.stopped`).
    /// - Returns: the bytes decoded (all of them, or those delivered before a fault) and the outcome.
    func decodeFrame(_ compressed: UnsafeRawBufferPointer, at start: Int64, input: String, into frame: DecodedFrame,
                     limit: Int, abandoned: () -> Bool) -> (DecodedFrame, Outcome) {
        ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)
        guard let src = compressed.baseAddress, !compressed.isEmpty else { return (frame, .complete) }
        var inb = ZSTD_inBuffer(src: src, size: compressed.count, pos: 0)
        let step = scratch.count
        while true {
            if abandoned() { return (frame, .stopped) }
            let room = frame.room(step, maxCapacity: limit)
            // A full block at the limit: ask libzstd for one more byte through the scratch buffer to
            // tell a frame that ends exactly here from a larger one.
            let target = room.isEmpty ? UnsafeMutableRawBufferPointer(rebasing: scratch[0..<1]) : room
            var out = ZSTD_outBuffer(dst: target.baseAddress!, size: target.count, pos: 0)
            let before = inb.pos
            let ret = ZSTD_decompressStream(dctx, &out, &inb)
            if ZSTD_isError(ret) != 0 {
                let header = UnsafeRawBufferPointer(rebasing: compressed[0..<min(compressed.count, 18)])
                return (frame, .failed(ZstdFault.decodeError(ret, maxWindowLog: maxWindowLog, frameStart: start,
                                                             frameHeader: header, input: input,
                                                             compressedOffset: start + Int64(before),
                                                             decodedBefore: Int64(frame.count))))
            }
            if room.isEmpty {
                if out.pos > 0 { return (frame, .stopped) }
            } else {
                frame.commit(out.pos)
            }
            if ret == 0 && inb.pos == inb.size { return (frame, .complete) }
            if ret == 0 {
                // Bytes after the end of the frame: the index hands whole frames only, so this is a bug
                // or a file changed under us; say so rather than drop them.
                return (frame, .failed(ArchiveError(
                    code: .corrupt,
                    message: "zstd frame at compressed offset \(start) ends before the \(compressed.count) bytes indexed for it (was the file modified while being read?)",
                    input: input, compressedOffset: start + Int64(inb.pos), decompressedOffset: Int64(frame.count))))
            }
            if inb.pos == inb.size && out.pos < out.size {
                return (frame, .failed(ZstdFault.truncated(frameStart: start, input: input,
                                                           compressedOffset: start + Int64(inb.pos),
                                                           decodedBefore: Int64(frame.count))))
            }
        }
    }
}
