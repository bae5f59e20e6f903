import CZstd

/// Streaming zstd compression of an output (`ZSTD_compressStream2`), one frame per encoder:
/// level 3 (zstd's default) with the content checksum on, so `zstd -t`/`zstd -d` verify the data.
///
/// Not thread-safe by itself: see the `Sendable` proof below.
// @unchecked Sendable: each encoder is created privately by one `OutputBuffer` (a ~Copyable
// struct, so the reference is never duplicated) and is only reachable through it; every
// `OutputBuffer` lives inside its sink's `Mutex`, so all calls on the ZSTD_CCtx are serialised by
// that lock and no two threads ever use the context at once.
final class ZstdStreamEncoder: @unchecked Sendable {
    /// zstd's default level: about 5× on label JSONL at several hundred MB/s per core.
    static let defaultLevel: Int32 = 3

    private let context: OpaquePointer
    private var scratch: [UInt8]
    private let path: String

    /// Wraps `ZSTD_createCCtx` and sets `ZSTD_c_compressionLevel` and `ZSTD_c_checksumFlag`.
    /// - Throws: `SinkError` `.compression` when libzstd cannot allocate or refuses a parameter.
    init(level: Int32 = defaultLevel, checksum: Bool = true, path: String) throws(SinkError) {
        guard let context = ZSTD_createCCtx() else {
            throw SinkError(code: .compression, message: "zstd: cannot create a compression context for \(path)", path: path)
        }
        self.context = context
        self.path = path
        self.scratch = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level))
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, checksum ? 1 : 0))
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input` (`ZSTD_e_continue`), appending whatever compressed bytes libzstd emits
    /// to `out` (possibly none: libzstd buffers up to a block).
    func compress(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(SinkError) {
        guard let base = input.baseAddress, input.count > 0 else { return }
        var inBuffer = ZSTD_inBuffer(src: base, size: input.count, pos: 0)
        while inBuffer.pos < inBuffer.size {
            _ = try step(&inBuffer, ZSTD_e_continue, into: &out)
        }
    }

    /// Ends the frame (`ZSTD_e_end`), appending the remaining compressed bytes and the checksum.
    func finish(into out: inout [UInt8]) throws(SinkError) {
        var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try step(&inBuffer, ZSTD_e_end, into: &out) != 0 {}
    }

    /// One `ZSTD_compressStream2` call into `scratch`; returns libzstd's "bytes left to flush" hint.
    private func step(_ inBuffer: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective, into out: inout [UInt8]) throws(SinkError) -> Int {
        let capacity = scratch.count
        let result: Int = scratch.withUnsafeMutableBytes { raw in
            var outBuffer = ZSTD_outBuffer(dst: raw.baseAddress, size: capacity, pos: 0)
            let remaining = ZSTD_compressStream2(context, &outBuffer, &inBuffer, directive)
            if ZSTD_isError(remaining) == 0 {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<outBuffer.pos]))
            }
            return remaining
        }
        try check(result)
        return result
    }

    private func check(_ code: Int) throws(SinkError) {
        if ZSTD_isError(code) != 0 {
            let text = String(cString: ZSTD_getErrorName(code))
            throw SinkError(code: .compression, message: "zstd: compressing \(path): \(text)", path: path)
        }
    }
}
