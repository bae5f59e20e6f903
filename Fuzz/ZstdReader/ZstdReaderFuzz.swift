import ArchiveIO
import FuzzSupport
import Foundation

// Surface: the zstd reader (ArchiveIO): sniffing, InputReader's streaming decode and
// FrameParallelReader's frame index and pool decode, over a temporary file holding the input.
// Windows are capped at 2^20 bytes and at most 8 MiB are decoded per input (a small zstd frame can
// promise far more), so each input stays fast.
// Properties: never a crash or trap; an error's compressed offset lies inside the file and its
// decompressed offset is the number of bytes delivered before it; the two readers agree
// byte for byte on everything both delivered, and when neither failed they deliver the same bytes.

private let maxWindowLog = 20
private let maxDecoded = 8 << 20
private let pool = FrameDecodePool(threads: 2, maxWindowLog: maxWindowLog)
private let path: String = {
    let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    return "\(dir)/afscan-fuzz-zstd-\(getpid()).bin"
}()

private func sequential(_ spec: InputSpec) -> (bytes: [UInt8], error: ArchiveError?) {
    var out: [UInt8] = []
    do {
        let reader = try InputReader(spec, maxWindowLog: maxWindowLog)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while out.count < maxDecoded {
            let n = try buffer.withUnsafeMutableBytes { b throws(ArchiveError) in try reader.read(into: b) }
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return (out, nil)
    } catch let error as ArchiveError {
        return (out, error)
    } catch {
        fuzzFailure("ZstdReader", "an error that is not an ArchiveError: \(type(of: error))")
    }
}

private func parallel(_ spec: InputSpec) -> (bytes: [UInt8], error: ArchiveError?)? {
    var out: [UInt8] = []
    do {
        guard let reader = try FrameParallelReader.open(spec, pool: pool, lookahead: 2, maxFrameBytes: 1 << 20) else { return nil }
        while out.count < maxDecoded {
            let more = try reader.next { piece in
                out += piece
                return out.count < maxDecoded
            }
            if !more { break }
        }
        return (out, nil)
    } catch {
        return (out, error)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZstdReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Data(FuzzInput(data, size).rest)
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { fuzzFailure("ZstdReader", "cannot write \(path)") }
    defer { unlink(path) }
    let spec = InputSpec(path: path)
    let seq = sequential(spec)
    if let e = seq.error, let c = e.compressedOffset, c > Int64(size) {
        fuzzFailure("ZstdReader", "InputReader error at compressed offset \(c) of a \(size)-byte file")
    }
    if let e = seq.error, e.decompressedOffset != Int64(seq.bytes.count) {
        fuzzFailure("ZstdReader", "InputReader error at decompressed offset \(e.decompressedOffset) after \(seq.bytes.count) bytes")
    }
    guard let par = parallel(spec) else { return 0 }
    if let e = par.error, let c = e.compressedOffset, c > Int64(size) {
        fuzzFailure("ZstdReader", "FrameParallelReader error at compressed offset \(c) of a \(size)-byte file")
    }
    if let e = par.error, e.decompressedOffset != Int64(par.bytes.count) {
        fuzzFailure("ZstdReader", "FrameParallelReader error at decompressed offset \(e.decompressedOffset) after \(par.bytes.count) bytes")
    }
    let common = min(seq.bytes.count, par.bytes.count)
    if seq.bytes[0..<common] != par.bytes[0..<common] {
        let i = (0..<common).first { seq.bytes[$0] != par.bytes[$0] } ?? 0
        fuzzFailure("ZstdReader", "readers differ at decompressed byte \(i)")
    }
    let capped = seq.bytes.count >= maxDecoded || par.bytes.count >= maxDecoded
    if seq.error == nil, par.error == nil, !capped, seq.bytes.count != par.bytes.count {
        fuzzFailure("ZstdReader", "InputReader delivered \(seq.bytes.count) bytes, FrameParallelReader \(par.bytes.count)")
    }
    return 0
}
