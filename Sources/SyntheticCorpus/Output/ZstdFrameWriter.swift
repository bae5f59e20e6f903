import CZstd

/// Streams bytes through one `ZSTD_CCtx` (`ZSTD_compressStream2`) into a byte sink, ending the
/// current frame on request so that a file can hold several independent frames, each decodable
/// alone (as `split -C N --filter='zstd'` produces). Frames carry a content checksum, like the
/// zstd CLI's default. Memory: one compression context plus a `ZSTD_CStreamOutSize()` buffer.
///
/// Single-owner: not `Sendable`.
final class ZstdFrameWriter {
    private let cctx: OpaquePointer
    private var out: [UInt8]
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    /// Uncompressed bytes in the frame being written (0 when no frame is open).
    private(set) var frameBytes: Int64 = 0
    /// Frames ended so far.
    private(set) var frames = 0
    private var frameOpen = false

    /// - Parameters:
    ///   - level: zstd compression level (`ZSTD_minCLevel()...ZSTD_maxCLevel()`).
    ///   - sink: receives compressed bytes; the buffer is valid only during the call.
    /// - Throws: ``CorpusError/zstd(_:)`` when the context cannot be created or the level is refused.
    init(level: Int32, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let cctx = ZSTD_createCCtx() else { throw CorpusError.zstd("cannot create a compression context") }
        self.cctx = cctx
        self.sink = sink
        out = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1))
    }

    deinit {
        ZSTD_freeCCtx(cctx)
    }

    /// Compresses `input` into the open frame (opening one if needed).
    /// - Throws: ``CorpusError/zstd(_:)``, or whatever the sink throws.
    func write(_ input: UnsafeRawBufferPointer) throws {
        guard input.count > 0 else { return }
        frameOpen = true
        frameBytes += Int64(input.count)
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while inBuf.pos < inBuf.size {
            _ = try step(&inBuf, ZSTD_e_continue)
        }
    }

    /// Ends the open frame (writing an empty frame if none is open and `force` is true).
    /// - Throws: ``CorpusError/zstd(_:)``, or whatever the sink throws.
    func endFrame(force: Bool = false) throws {
        guard frameOpen || force else { return }
        var inBuf = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try step(&inBuf, ZSTD_e_end) != 0 {}
        frames += 1
        frameBytes = 0
        frameOpen = false
    }

    /// One `ZSTD_compressStream2` call; hands produced bytes to the sink. Returns zstd's
    /// "remaining to flush" hint.
    private func step(_ inBuf: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective) throws -> Int {
        let capacity = out.count
        let (remaining, produced): (Int, Int) = try out.withUnsafeMutableBytes { raw in
            var outBuf = ZSTD_outBuffer(dst: raw.baseAddress, size: capacity, pos: 0)
            let r = ZSTD_compressStream2(cctx, &outBuf, &inBuf, directive)
            try check(r)
            return (r, outBuf.pos)
        }
        if produced > 0 {
            try out.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
        }
        return remaining
    }
}

private func check(_ code: Int) throws {
    if ZSTD_isError(code) != 0 { throw CorpusError.zstd(String(cString: ZSTD_getErrorName(code))) }
}
