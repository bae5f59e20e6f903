import Dispatch
import Synchronization

/// Reads a multi-frame zstd file (pzstd output, `split --filter='zstd -c'` concatenations, `afscan
/// generate --frame-bytes`) by decoding its independent frames on a `FrameDecodePool` while delivering
/// the decoded bytes strictly in stream order.
///
/// The delivered bytes are exactly those `InputReader` returns for the same file, so record numbers and
/// byte offsets framed from them are those of a sequential read. Frames need not end at record
/// boundaries: the caller frames the bytes sequentially, so a record cut by a frame boundary is stitched.
///
/// Faults, as in a sequential read, end the stream after every byte decoded before them:
/// - a corrupt or window-too-large frame: its bytes that libzstd delivers before noticing, then the
///   error; later frames are not delivered (their decompressed offsets would no longer be those of a
///   sequential read, which stops there too);
/// - a truncated last frame or garbage after the last frame (bytes `ZstdFrameIndex` could not walk): they
///   are decoded sequentially after every earlier frame, then the error;
/// - a file that shrinks after it was indexed (another process truncates it while it is read): the frame
///   the file now ends in delivers its complete blocks, then a `.truncated` fault at the offset where the
///   file ends, as a sequential read of the shorter file reports it (a file that now ends exactly where
///   an indexed frame starts is a `.truncated` fault there too); later frames are not delivered. The
///   compressed bytes are read with `pread` (`ArchiveFile`), never mapped, so a shrinking file cannot
///   raise SIGBUS.
///
/// Memory: at most `lookahead + 1` frame buffers (decoded frames in flight, and emptied ones kept for
/// reuse so their pages are touched once), each at most `maxFrameBytes` bytes; a frame larger than that
/// (declared in its header, or found while decoding) is decoded again by the calling thread, streaming,
/// in 128 KiB pieces. Compressed bytes pass through each decoder's 128 KiB input buffer.
///
/// Not thread-safe: one thread calls `next`. Decoding runs on the pool's threads.
public final class FrameParallelReader {
    public let spec: InputSpec
    public let index: ZstdFrameIndex
    /// Decompressed bytes delivered so far.
    public private(set) var decompressedOffset: Int64 = 0
    /// Compressed bytes covered by the frames delivered so far (skippable frames included).
    public private(set) var compressedOffset: Int64 = 0
    /// Frames delivered as decoded by the pool (the others, too large for `maxFrameBytes`, were decoded
    /// by the calling thread).
    public private(set) var framesFromPool = 0

    private let file: ArchiveFile
    private let pool: FrameDecodePool
    private let lookahead: Int
    private let maxFrameBytes: Int
    private let abandoned = AbandonFlag()
    private let bin: FrameBufferBin
    private var slots: [Int: FrameSlot] = [:]
    private var nextFrame = 0
    private var submitted = 0
    private var tailDone = false
    private var finished = false
    private var localDecoder: ZstdFrameDecoder?

    /// Opens `spec` for frame-parallel reading when that can help.
    /// - Parameters:
    ///   - lookahead: frames decoded ahead of the one being delivered (at least 1); e.g. 2 × pool threads.
    ///   - maxFrameBytes: the largest decoded frame held in memory, in bytes.
    /// - Returns: nil when the input is standard input, not a regular file, not zstd, or has fewer than
    ///   two data frames: read it with `InputReader`.
    /// - Throws: `ArchiveError.Code.open` when the file cannot be opened or is a directory.
    public static func open(_ spec: InputSpec, pool: FrameDecodePool, lookahead: Int, maxFrameBytes: Int) throws(ArchiveError) -> FrameParallelReader? {
        guard let path = spec.path, let file = try ArchiveFile(path: path, displayName: spec.displayName) else { return nil }
        // Not zstd (plain text has no frame header) or a single frame: nothing to decode in parallel.
        let index = ZstdFrameIndex(scanning: file)
        guard index.frames.count >= 2 else { return nil }
        return FrameParallelReader(spec: spec, file: file, index: index, pool: pool, lookahead: lookahead, maxFrameBytes: maxFrameBytes)
    }

    private init(spec: InputSpec, file: ArchiveFile, index: ZstdFrameIndex, pool: FrameDecodePool, lookahead: Int, maxFrameBytes: Int) {
        self.spec = spec
        self.file = file
        self.index = index
        self.pool = pool
        self.lookahead = max(1, lookahead)
        self.maxFrameBytes = max(1, maxFrameBytes)
        self.bin = FrameBufferBin(limit: self.lookahead)
    }

    deinit {
        // Queued decodes of frames nobody will read skip their work.
        abandoned.set()
    }

    /// Delivers the next frame's decoded bytes (or the undecodable tail's), in one or more pieces, each
    /// valid only during the call. `deliver` returns false to stop reading: the reader is then finished.
    /// - Returns: false at the end of the input (nothing delivered).
    /// - Throws: `ArchiveError` (`.corrupt`, `.truncated`, `.windowTooLarge`, `.read`) after delivering every byte
    ///   decoded before the fault; `decompressedOffset` in the error is a stream offset. Later calls
    ///   return false.
    public func next(_ deliver: (UnsafeRawBufferPointer) -> Bool) throws(ArchiveError) -> Bool {
        if finished { return false }
        let count = index.frames.count
        if nextFrame == count {
            return try decodeTail(deliver)
        }
        while submitted < count && submitted < nextFrame + lookahead { submit(submitted) }
        let i = nextFrame
        let slot = slots.removeValue(forKey: i)!
        let result = slot.take()
        nextFrame += 1
        let frame = index.frames[i]
        let base = decompressedOffset
        switch result {
        case .decoded(let bytes):
            framesFromPool += 1
            let go = withExtendedLifetime(bytes) { deliverSliced(bytes.bytes, deliver) }
            bin.put(bytes)
            if !go { return stop() }
        case .partial(let bytes, var error):
            _ = withExtendedLifetime(bytes) { deliverSliced(bytes.bytes, deliver) }
            error.decompressedOffset += base
            finished = true
            abandoned.set()
            throw error
        case .tooLarge:
            // Decode it here, streaming.
            let decoder = localDecoder ?? ZstdFrameDecoder(maxWindowLog: pool.maxWindowLog)
            localDecoder = decoder
            var stopped = false
            let outcome = decoder.decode(file, frame.compressed) { piece in
                stopped = !deliverCounted(piece, deliver)
                return !stopped
            }
            if case .failed(var error) = outcome {
                error.decompressedOffset += base
                finished = true
                abandoned.set()
                throw error
            }
            if stopped { return stop() }
        }
        compressedOffset = Int64(i + 1 < count ? index.frames[i + 1].compressed.lowerBound : (index.tailStart ?? file.size))
        return true
    }

    private func stop() -> Bool {
        finished = true
        abandoned.set()
        return true
    }

    /// Delivers a decoded frame in pieces of at most 1 MiB (so a stop request is honoured promptly).
    private func deliverSliced(_ bytes: UnsafeRawBufferPointer, _ deliver: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = min(1 << 20, bytes.count - offset)
            if !deliverCounted(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), deliver) { return false }
            offset += n
        }
        return true
    }

    private func deliverCounted(_ piece: UnsafeRawBufferPointer, _ deliver: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard !piece.isEmpty else { return true }
        decompressedOffset += Int64(piece.count)
        return deliver(piece)
    }

    /// The bytes after the last indexed frame (up to the size the file had when opened), decoded here:
    /// their bytes, then the fault they hold.
    private func decodeTail(_ deliver: (UnsafeRawBufferPointer) -> Bool) throws(ArchiveError) -> Bool {
        finished = true
        guard let tail = index.tailStart, !tailDone else { return false }
        tailDone = true
        let decoder = localDecoder ?? ZstdFrameDecoder(maxWindowLog: pool.maxWindowLog)
        localDecoder = decoder
        let base = decompressedOffset
        let outcome = decoder.decode(file, tail..<file.size) { deliverCounted($0, deliver) }
        compressedOffset = Int64(file.size)
        if case .failed(var error) = outcome {
            error.decompressedOffset += base
            throw error
        }
        return true
    }

    private func submit(_ i: Int) {
        submitted = i + 1
        let slot = FrameSlot()
        slots[i] = slot
        let frame = index.frames[i]
        let file = self.file, abandoned = self.abandoned, limit = maxFrameBytes, bin = self.bin
        if let declared = frame.contentSize, declared > limit {
            slot.fill(.tooLarge)
            return
        }
        pool.submit { decoder in
            let buffer = bin.take(capacity: min(limit, frame.contentSize ?? (1 << 20)))
            let (bytes, outcome) = decoder.decodeFrame(file, frame.compressed, into: buffer, limit: limit) { abandoned.isSet }
            switch outcome {
            case .complete: slot.fill(.decoded(bytes))
            case .stopped:
                bin.put(bytes)
                slot.fill(.tooLarge)
            case .failed(let e): slot.fill(.partial(bytes, e))
            }
        }
    }
}

/// What a pool thread made of one frame.
enum FrameResult: Sendable {
    /// The whole frame.
    case decoded(DecodedFrame)
    /// The bytes libzstd delivered before a fault (the error's `decompressedOffset` is frame-relative).
    case partial(DecodedFrame, ArchiveError)
    /// Larger than `maxFrameBytes` (or abandoned): the reader decodes it itself.
    case tooLarge
}

/// One frame's result, filled once by a pool thread and taken once by the reader.
final class FrameSlot: Sendable {
    private let value = Mutex<FrameResult?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func fill(_ result: FrameResult) {
        value.withLock { $0 = result }
        ready.signal()
    }

    /// Waits for the result.
    func take() -> FrameResult {
        ready.wait()
        return value.withLock { v in
            defer { v = nil }
            return v!
        }
    }
}

/// Set when a reader stops early, so its queued decodes skip their work.
final class AbandonFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
