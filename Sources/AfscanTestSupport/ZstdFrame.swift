import CZstd
import Foundation

/// One zstd frame of `data` at `level`, made in process with libzstd's one-shot `ZSTD_compress`
/// (content size in the frame header, no checksum). For tests that build multi-frame archives frame by
/// frame; `zstdCompress` runs the zstd CLI instead.
public func zstdFrame(_ data: Data, level: Int32 = 1) -> Data {
    var out = Data(count: ZSTD_compressBound(data.count))
    let n = out.withUnsafeMutableBytes { o in
        data.withUnsafeBytes { i in ZSTD_compress(o.baseAddress, o.count, i.baseAddress, i.count, level) }
    }
    precondition(ZSTD_isError(n) == 0, "ZSTD_compress failed")
    return out.prefix(n)
}
