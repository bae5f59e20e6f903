import CZstd

/// Decodes byte ranges of an `ArchiveFile` (usually one `ZstdFrameIndex` frame), handing the decoded bytes
/// to a closure in pieces of at most `ZSTD_DStreamOutSize()` (128 KiB) bytes.
///
/// The compressed bytes are read with `pread` into a buffer the decoder owns and reuses (never through a
/// memory mapping), in the pieces `InputReader` reads: each ends at a multiple of
/// `InputReader.chunkBytes` counted from the start of the file. It drives libzstd exactly as
/// `InputReader` does (`ZSTD_decompressStream` fed those pieces, at most one block of output per call,
/// the same window limit), so a frame decodes to the same bytes, and a corrupt frame yields the bytes
/// libzstd delivers before noticing, followed by the same `ArchiveError` at the same offsets. A file that
/// ends early (it shrank after it was indexed) is a `.truncated` fault at the offset where it now ends,
/// after every complete block before it was delivered: the fault a streaming read of the shorter file
/// reports.
///
/// Not thread-safe: it owns a `ZSTD_DCtx` and its buffers; use one per thread.
/// Memory: 128 KiB of output, `InputReader.chunkBytes` (128 KiB) of input, libzstd's window.
public final class ZstdFrameDecoder {
    /// How a decode ended.
    public enum Outcome: Sendable {
        /// Every frame in the bytes decoded completely.
        case complete
        /// The closure returned false; decoding stopped there.
        case stopped
        /// A fault. `decompressedOffset` in the error counts bytes delivered by this call only (the caller
        /// adds the stream offset where the frame starts); `compressedOffset` is a file offset.
        case failed(ArchiveError)
    }

    public let maxWindowLog: Int
    private let dctx: OpaquePointer
    private let scratch: UnsafeMutableRawBufferPointer
    private let input: UnsafeMutableRawBufferPointer

    /// - Parameter maxWindowLog: `--max-window-log`; a frame whose window exceeds 2^maxWindowLog bytes
    ///   fails with `.windowTooLarge`.
    public init(maxWindowLog: Int = 27) {
        self.maxWindowLog = maxWindowLog
        dctx = ZSTD_createDCtx()
        ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Int32(maxWindowLog))
        scratch = .allocate(byteCount: max(ZSTD_DStreamOutSize(), 1), alignment: 16)
        input = .allocate(byteCount: InputReader.chunkBytes, alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(dctx)
        scratch.deallocate()
        input.deallocate()
    }

    /// Decodes the bytes of `file` in `range` (file offsets, in bytes), which start with a frame. Usually
    /// one frame; when the range holds several (the tail after the last indexed frame) they are followed,
    /// and skippable frames are skipped.
    /// - Parameter deliver: receives each piece of decoded bytes (valid only during the call); returns
    ///   false to stop.
    /// - Returns: `.failed` with `.truncated` when the bytes end inside a frame, or the file now ends
    ///   before `range.upperBound`; `.read` when `pread` fails; `.corrupt` or `.windowTooLarge` from
    ///   libzstd. Every complete block before the fault was delivered.
    public func decode(_ file: ArchiveFile, _ range: Range<Int>, deliver: (UnsafeRawBufferPointer) -> Bool) -> Outcome {
        ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)
        var feed = Feed(file: file, buffer: input, range: range)
        var produced: Int64 = 0
        var frameStart = range.lowerBound
        var betweenFrames = true   // the last call finished a frame (or none has started)
        var hungry = true          // libzstd holds no more decoded bytes for the input it was given
        while true {
            if feed.exhausted && hungry {
                switch feed.refill() {
                case .fed: break
                case .end where betweenFrames: return .complete
                case .end, .cut: return .failed(truncated(file, frameStart: frameStart, at: feed.position, decodedBefore: produced))
                case .failed(var e):
                    e.decompressedOffset = produced
                    return .failed(e)
                }
            }
            var out = ZSTD_outBuffer(dst: scratch.baseAddress!, size: scratch.count, pos: 0)
            let before = feed.position
            let ret = ZSTD_decompressStream(dctx, &out, &feed.inb)
            if ZSTD_isError(ret) != 0 {
                return .failed(decodeError(ret, file, frameStart: frameStart, at: before, decodedBefore: produced))
            }
            if out.pos > 0 {
                produced += Int64(out.pos)
                if !deliver(UnsafeRawBufferPointer(rebasing: scratch[0..<out.pos])) { return .stopped }
            }
            betweenFrames = ret == 0
            if betweenFrames { frameStart = feed.position }
            // A full output inside a frame: libzstd may hold more decoded bytes, so call it again before
            // asking for input (a call at a frame's end with no input would start the next frame).
            hungry = betweenFrames || out.pos < out.size
        }
    }

    /// Decodes the single frame at `range` of `file` in place into `frame` (emptied first), with the same
    /// reads and libzstd calls as `decode` (at most 128 KiB of output per call).
    /// - Parameters:
    ///   - limit: the most decoded bytes kept, in bytes; a larger frame returns `.stopped`.
    ///   - abandoned: polled between calls; when it returns true decoding stops (`.stopped`).
    /// - Returns: the bytes decoded (all of them, or those delivered before a fault) and the outcome;
    ///   the faults are those of `decode`, and `.corrupt` when the frame ends before `range.upperBound`.
    func decodeFrame(_ file: ArchiveFile, _ range: Range<Int>, into frame: DecodedFrame,
                     limit: Int, abandoned: () -> Bool) -> (DecodedFrame, Outcome) {
        ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)
        var feed = Feed(file: file, buffer: input, range: range)
        let step = scratch.count
        var hungry = true
        while true {
            if abandoned() { return (frame, .stopped) }
            if feed.exhausted && hungry {
                switch feed.refill() {
                case .fed: break
                case .end, .cut:
                    return (frame, .failed(truncated(file, frameStart: range.lowerBound, at: feed.position,
                                                     decodedBefore: Int64(frame.count))))
                case .failed(var e):
                    e.decompressedOffset = Int64(frame.count)
                    return (frame, .failed(e))
                }
            }
            let room = frame.room(step, maxCapacity: limit)
            // A full block at the limit: ask libzstd for one more byte through the scratch buffer to
            // tell a frame that ends exactly here from a larger one.
            let target = room.isEmpty ? UnsafeMutableRawBufferPointer(rebasing: scratch[0..<1]) : room
            var out = ZSTD_outBuffer(dst: target.baseAddress!, size: target.count, pos: 0)
            let before = feed.position
            let ret = ZSTD_decompressStream(dctx, &out, &feed.inb)
            if ZSTD_isError(ret) != 0 {
                return (frame, .failed(decodeError(ret, file, frameStart: range.lowerBound, at: before,
                                                   decodedBefore: Int64(frame.count))))
            }
            if room.isEmpty {
                if out.pos > 0 { return (frame, .stopped) }
            } else {
                frame.commit(out.pos)
            }
            if ret == 0 && feed.exhausted && feed.position == range.upperBound { return (frame, .complete) }
            if ret == 0 {
                // Bytes after the end of the frame: the index hands whole frames only, so this is a bug
                // or a file changed under us; say so rather than drop them.
                return (frame, .failed(ArchiveError(
                    code: .corrupt,
                    message: "zstd frame at compressed offset \(range.lowerBound) ends before the \(range.count) bytes indexed for it (was the file modified while being read?)",
                    input: file.displayName, compressedOffset: Int64(feed.position), decompressedOffset: Int64(frame.count))))
            }
            hungry = out.pos < out.size
        }
    }

    private func truncated(_ file: ArchiveFile, frameStart: Int, at offset: Int, decodedBefore: Int64) -> ArchiveError {
        ZstdFault.truncated(frameStart: Int64(frameStart), input: file.displayName, compressedOffset: Int64(offset),
                            decodedBefore: decodedBefore)
    }

    /// The fault for libzstd error `code`, met by a call that started at file offset `offset` in the frame
    /// that starts at `frameStart`. The frame's header is read again (for the window log it needs).
    private func decodeError(_ code: Int, _ file: ArchiveFile, frameStart: Int, at offset: Int, decodedBefore: Int64) -> ArchiveError {
        withUnsafeTemporaryAllocation(byteCount: 18, alignment: 8) { header in
            let n = (try? file.read(into: header, at: frameStart)) ?? 0
            return ZstdFault.decodeError(code, maxWindowLog: maxWindowLog, frameStart: Int64(frameStart),
                                         frameHeader: UnsafeRawBufferPointer(rebasing: header[0..<n]), input: file.displayName,
                                         compressedOffset: Int64(offset), decodedBefore: decodedBefore)
        }
    }
}

/// The compressed bytes of a file range, fed to libzstd one piece at a time through a reused buffer. A
/// piece ends at the next multiple of the buffer's size counted from the start of the file (where
/// `InputReader`'s reads end), or at the end of the range.
private struct Feed {
    let file: ArchiveFile
    let buffer: UnsafeMutableRawBufferPointer
    let range: Range<Int>
    /// The piece being decoded (`pos`: bytes libzstd consumed).
    var inb: ZSTD_inBuffer
    /// File offset of the piece's first byte.
    private var base: Int

    init(file: ArchiveFile, buffer: UnsafeMutableRawBufferPointer, range: Range<Int>) {
        self.file = file
        self.buffer = buffer
        self.range = range
        inb = ZSTD_inBuffer(src: buffer.baseAddress, size: 0, pos: 0)
        base = range.lowerBound
    }

    /// File offset of the next byte libzstd reads.
    var position: Int { base + inb.pos }
    /// libzstd consumed the whole piece.
    var exhausted: Bool { inb.pos == inb.size }

    enum Refill {
        /// A new piece is in `inb`.
        case fed
        /// The range is read.
        case end
        /// The file ends before the range does (it shrank after the range was found).
        case cut
        /// `pread` failed.
        case failed(ArchiveError)
    }

    /// Reads the next piece once libzstd has consumed the current one.
    mutating func refill() -> Refill {
        let next = base + inb.size
        guard next < range.upperBound else { return .end }
        let pieceEnd = min(range.upperBound, (next / buffer.count + 1) * buffer.count)
        base = next
        inb = ZSTD_inBuffer(src: buffer.baseAddress, size: 0, pos: 0)
        do {
            inb.size = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(pieceEnd - next)]), at: next)
        } catch {
            return .failed(error)
        }
        return inb.size > 0 ? .fed : .cut
    }
}
