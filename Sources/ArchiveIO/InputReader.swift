import CSystemZlib
import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one input as a stream of *decompressed* bytes: plain bytes pass through; zstd is detected by
/// its first bytes (`ZstdMagic`) and decoded with libzstd's streaming API (`ZSTD_decompressStream`),
/// following concatenated frames and skipping skippable frames; gzip (`1F 8B 08`) is decoded with zlib's
/// `inflate`, following concatenated members (`cat a.gz b.gz`). Offsets are the same for both codecs:
/// `decompressedOffset` counts bytes of the decoded stream (the offsets of label rows), `compressedOffset`
/// bytes of the file. An input `InputFormat.sniff` finds unreadable (a ZIP, xz, binary data…) fails at
/// `init` with one `.unsupportedFormat` fault that names what it looks like and what to do.
///
/// Not thread-safe: one reader thread owns it. Memory is bounded by the read buffer (128 KiB) plus
/// libzstd's window (at most 2^`maxWindowLog` bytes).
///
/// A fault mid-stream (`read` throws) happens only after every byte decoded before it has been
/// returned, so callers keep every record before the fault.
public final class InputReader {
    public let spec: InputSpec
    /// True when the content is compressed (zstd or gzip).
    public private(set) var isCompressed = false
    /// What the first bytes said the input is (`.plain`, `.zstd` or `.gzip` once `init` succeeded).
    public private(set) var format: InputFormat = .plain
    /// Decompressed bytes returned so far.
    public private(set) var decompressedOffset: Int64 = 0
    /// Compressed (raw file) bytes consumed by the decoder so far.
    public private(set) var compressedOffset: Int64 = 0

    /// Bytes asked of each `read(2)` (one zstd block with its header, at least 128 KiB). A regular file's
    /// reads therefore end at multiples of this from its start; `ZstdFrameDecoder` reads in the same
    /// pieces so that libzstd meets a fault at the same offset whichever reader decodes the frame.
    static let chunkBytes = max(ZSTD_DStreamInSize(), 128 << 10)

    private let fd: Int32
    private let ownsFD: Bool
    private let maxWindowLog: Int
    private let raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0   // next unread byte in `raw`
    private var rawEnd = 0     // bytes valid in `raw`
    private var rawEOF = false
    private var dctx: OpaquePointer?
    /// libzstd's hint from the last ZSTD_decompressStream call: 0 means a frame just ended.
    private var frameRemaining = 0
    /// Compressed offset where the frame being decoded started (for window-size messages).
    private var frameStart: Int64 = 0
    private var frameHeader: [UInt8] = []
    private var finished = false
    /// A decoding fault met after some bytes of the current `read` were decoded: those bytes are
    /// returned first, and the next `read` throws this.
    private var pendingError: ArchiveError?
    /// The last ZSTD_decompressStream call filled its output: libzstd may hold more decoded bytes even
    /// when all input is consumed, so it must be called again before concluding anything at EOF.
    private var outputWasFull = false
    /// zlib's stream state, for gzip inputs.
    private var zstream: UnsafeMutablePointer<z_stream>?
    /// zlib is inside a gzip member (false before the first one and after each member's end).
    private var inMember = false

    /// Opens `spec` and sniffs its first bytes.
    /// - Parameter maxWindowLog: `--max-window-log`; frames whose window exceeds 2^maxWindowLog fail
    ///   with `.windowTooLarge` and a message naming the flag and the value needed.
    /// - Throws: `ArchiveError.Code.open`, `.read`; `.unsupportedFormat` when the content is not text,
    ///   zstd or gzip (the message names what it looks like and what to do).
    public init(_ spec: InputSpec, maxWindowLog: Int = 27) throws(ArchiveError) {
        self.spec = spec
        self.maxWindowLog = maxWindowLog
        if let path = spec.path {
            let f = open(path, O_RDONLY | O_CLOEXEC)
            guard f >= 0 else {
                throw ArchiveError(code: .open, message: "cannot open input: \(errnoText())", input: spec.displayName)
            }
            var st = stat()
            if fstat(f, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                close(f)
                throw ArchiveError(code: .open, message: "is a directory", input: spec.displayName)
            }
            fd = f
            ownsFD = true
        } else {
            fd = 0
            ownsFD = false
        }
        raw = .allocate(byteCount: Self.chunkBytes, alignment: 16)
        // Fill enough to sniff the format.
        while rawEnd < InputFormat.sniffBytes && !rawEOF { try fill() }
        if rawEOF && rawEnd > 0 && rawEnd < 4 && ZstdMagic.isPrefixOfFrameMagic(UnsafeRawBufferPointer(rebasing: raw[0..<rawEnd])) {
            // A zstd archive cut inside its magic number: say so rather than reading it as text.
            isCompressed = true
            finished = true
            pendingError = ArchiveError(code: .truncated, message: "archive is truncated: only \(rawEnd) byte(s) of a zstd magic number",
                                        input: spec.displayName, compressedOffset: 0, decompressedOffset: 0)
        } else if ZstdMagic.isZstd(UnsafeRawBufferPointer(rebasing: raw[0..<rawEnd])) {
            isCompressed = true
            dctx = ZSTD_createDCtx()
            ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Int32(maxWindowLog))
            captureFrameHeader()
        } else {
            format = InputFormat.sniff(UnsafeRawBufferPointer(rebasing: raw[0..<rawEnd]))
            switch format {
            case .gzip:
                isCompressed = true
                let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
                z.initialize(to: z_stream())
                zstream = z
            case .unreadable(let what, let remedy):
                throw ArchiveError(code: .unsupportedFormat, message: "cannot read this input: it is \(what); \(remedy)",
                                   input: spec.displayName)
            case .plain, .zstd:
                break
            }
        }
        if isCompressed && zstream == nil { format = .zstd }
    }

    deinit {
        if let z = zstream {
            if inMember { inflateEnd(z) }
            z.deallocate()
        }
        if let d = dctx { ZSTD_freeDCtx(d) }
        if ownsFD { close(fd) }
        raw.deallocate()
    }

    /// Reads up to `buffer.count` decompressed bytes. Returns 0 at the end of the input.
    /// - Throws: `ArchiveError` (`.read`, `.corrupt`, `.truncated`, `.windowTooLarge`) after all bytes
    ///   decoded before the fault were returned by earlier calls.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        if let e = pendingError {
            pendingError = nil
            throw e
        }
        if finished || buffer.count == 0 { return 0 }
        if !isCompressed {
            if rawStart < rawEnd {
                let n = min(buffer.count, rawEnd - rawStart)
                buffer.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: n)
                rawStart += n
                decompressedOffset += Int64(n)
                compressedOffset += Int64(n)
                return n
            }
            let n = try readFD(buffer)
            if n == 0 { finished = true }
            decompressedOffset += Int64(n)
            compressedOffset += Int64(n)
            return n
        }
        if zstream != nil { return try readGzip(buffer) }
        return try readCompressed(buffer)
    }

    /// Inflates gzip members into `buffer`; a member's end is followed by the next member (if any).
    private func readGzip(_ buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        let z = zstream!
        var produced = 0
        while produced == 0 {
            if rawStart == rawEnd {
                if rawEOF {
                    finished = true
                    if inMember {
                        throw ArchiveError(code: .truncated, message: "gzip stream is truncated: it ends inside a member",
                                           input: spec.displayName, compressedOffset: compressedOffset, decompressedOffset: decompressedOffset)
                    }
                    return 0
                }
                try fill()
                continue
            }
            if !inMember {
                // 15 + 16: a gzip wrapper and the largest window.
                guard inflateInit2_(z, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                    throw ArchiveError(code: .read, message: "zlib could not start (out of memory?)", input: spec.displayName,
                                       compressedOffset: compressedOffset, decompressedOffset: decompressedOffset)
                }
                inMember = true
            }
            let before = rawStart
            z.pointee.next_in = (raw.baseAddress! + rawStart).assumingMemoryBound(to: Bytef.self)
            z.pointee.avail_in = uInt(rawEnd - rawStart)
            let room = min(buffer.count - produced, Int(UInt32.max))
            z.pointee.next_out = (buffer.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
            z.pointee.avail_out = uInt(room)
            let ret = inflate(z, Z_NO_FLUSH)
            rawStart = rawEnd - Int(z.pointee.avail_in)
            compressedOffset += Int64(rawStart - before)
            produced += room - Int(z.pointee.avail_out)
            switch ret {
            case Z_STREAM_END:
                inflateEnd(z)
                inMember = false
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                finished = true
                let reason = z.pointee.msg.map { String(cString: $0) } ?? "error \(ret)"
                inflateEnd(z)
                inMember = false
                let error = ArchiveError(code: .corrupt, message: "gzip data is corrupt: \(reason)", input: spec.displayName,
                                         compressedOffset: compressedOffset, decompressedOffset: decompressedOffset + Int64(produced))
                if produced > 0 {
                    decompressedOffset += Int64(produced)
                    pendingError = error
                    return produced
                }
                throw error
            }
            if !inMember && rawStart == rawEnd && rawEOF { break }
        }
        decompressedOffset += Int64(produced)
        return produced
    }

    private func readCompressed(_ buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        // Decode at most one block's worth per ZSTD_decompressStream call: libzstd does not report
        // output it produced in a call that ends in an error, so small steps lose at most one block
        // before a corrupt one (the zstd CLI behaves the same way).
        let step = max(ZSTD_DStreamOutSize(), 1)
        var produced = 0
        while produced == 0 || (produced < buffer.count && (rawStart < rawEnd || outputWasFull)) {
            if rawStart == rawEnd && !outputWasFull {
                if produced > 0 { break }
                if rawEOF {
                    finished = true
                    if frameRemaining != 0 {
                        throw ZstdFault.truncated(frameStart: frameStart, input: spec.displayName,
                                                  compressedOffset: compressedOffset, decodedBefore: decompressedOffset)
                    }
                    return 0
                }
                try fill()
                if frameRemaining == 0 { captureFrameHeader() }
                continue
            }
            let room = min(step, buffer.count - produced)
            var out = ZSTD_outBuffer(dst: buffer.baseAddress! + produced, size: room, pos: 0)
            let before = rawStart
            var inb = ZSTD_inBuffer(src: raw.baseAddress! + rawStart, size: rawEnd - rawStart, pos: 0)
            let ret = ZSTD_decompressStream(dctx, &out, &inb)
            if ZSTD_isError(ret) != 0 {
                finished = true
                let error = decodeError(ret, decodedBefore: decompressedOffset + Int64(produced))
                if produced > 0 {
                    decompressedOffset += Int64(produced)
                    pendingError = error
                    return produced
                }
                throw error
            }
            rawStart += inb.pos
            compressedOffset += Int64(rawStart - before)
            produced += out.pos
            if inb.size == 0 && out.pos == 0 {
                // A flush call that found nothing buffered: the frame state is unchanged.
                outputWasFull = false
                continue
            }
            outputWasFull = out.pos == out.size && ret != 0
            frameRemaining = ret
            if ret == 0 {
                // A frame ended; the next one (if any) starts here.
                frameStart = compressedOffset
                captureFrameHeader()
            }
        }
        decompressedOffset += Int64(produced)
        return produced
    }

    private func decodeError(_ code: Int, decodedBefore: Int64) -> ArchiveError {
        frameHeader.withUnsafeBytes { header in
            ZstdFault.decodeError(code, maxWindowLog: maxWindowLog, frameStart: frameStart, frameHeader: header,
                                  input: spec.displayName, compressedOffset: compressedOffset, decodedBefore: decodedBefore)
        }
    }

    /// Keeps the first bytes of the frame that starts at `rawStart`, for window-size messages.
    private func captureFrameHeader() {
        let n = min(rawEnd - rawStart, 18)
        frameHeader = Array(UnsafeRawBufferPointer(rebasing: raw[rawStart..<(rawStart + n)]))
    }

    /// Moves unread bytes to the front and reads more from the descriptor.
    private func fill() throws(ArchiveError) {
        if rawStart > 0 {
            let pending = rawEnd - rawStart
            if pending > 0 {
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: pending)
            }
            rawEnd = pending
            rawStart = 0
        }
        let space = raw.count - rawEnd
        if space == 0 { return }
        let n = try readFD(UnsafeMutableRawBufferPointer(rebasing: raw[rawEnd...]))
        if n == 0 { rawEOF = true }
        rawEnd += n
    }

    private func readFD(_ buf: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        while true {
            let n = Glibc.read(fd, buf.baseAddress, buf.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ArchiveError(code: .read, message: "read failed: \(errnoText())", input: spec.displayName,
                               compressedOffset: isCompressed ? compressedOffset : nil, decompressedOffset: decompressedOffset)
        }
    }
}
