import CZstd

/// The `ArchiveError`s a zstd decode can end with, worded the same whichever reader (the streaming
/// `InputReader` or the frame-parallel `FrameParallelReader`) met them.
enum ZstdFault {
    /// The largest `--max-window-log` afscan accepts (2 GiB windows; zstd's own limit on 64-bit is 31).
    static let largestWindowLog = 31

    /// A libzstd error `code` while decoding the frame that starts at compressed offset `frameStart`.
    /// - Parameters:
    ///   - frameHeader: the frame's first bytes (up to 18), used to name the window log a too-large
    ///     window needs.
    ///   - compressedOffset: compressed bytes consumed when the error was met.
    ///   - decodedBefore: decompressed bytes delivered intact before the error.
    static func decodeError(_ code: Int, maxWindowLog: Int, frameStart: Int64, frameHeader: UnsafeRawBufferPointer,
                            input: String, compressedOffset: Int64, decodedBefore: Int64) -> ArchiveError {
        let err = ZSTD_getErrorCode(code)
        let name = String(cString: ZSTD_getErrorName(code))
        if err == ZSTD_error_frameParameter_windowTooLarge {
            var needed = "more than \(maxWindowLog)"
            var advice = "rerun with --max-window-log 31"
            var hdr = ZSTD_frameHeader()
            let r = ZSTD_getFrameHeader(&hdr, frameHeader.baseAddress, frameHeader.count)
            if r == 0, hdr.windowSize > 0 {
                // The smallest log ≥ 10 with 2^log ≥ windowSize (a corrupt header can claim up to 2^64 − 1).
                let log = hdr.windowSize <= 1024 ? 10 : 64 - (hdr.windowSize - 1).leadingZeroBitCount
                needed = "\(log)"
                advice = log <= Self.largestWindowLog
                    ? "rerun with --max-window-log \(log)"
                    : "that is above the largest afscan accepts (\(Self.largestWindowLog)): the frame header is corrupt, or the archive needs more memory than a decoder here may use"
            }
            return ArchiveError(
                code: .windowTooLarge,
                message: "zstd frame at compressed offset \(frameStart) needs a window log of \(needed), above the limit of \(maxWindowLog); \(advice) (libzstd: \(name))",
                input: input, compressedOffset: frameStart, decompressedOffset: decodedBefore)
        }
        return ArchiveError(
            code: .corrupt,
            message: "corrupt zstd data in the frame that starts at compressed offset \(frameStart): \(name); every record decoded before it was kept",
            input: input, compressedOffset: compressedOffset, decompressedOffset: decodedBefore)
    }

    /// The input ended inside the frame that starts at `frameStart`.
    static func truncated(frameStart: Int64, input: String, compressedOffset: Int64, decodedBefore: Int64) -> ArchiveError {
        ArchiveError(
            code: .truncated,
            message: "archive is truncated: the stream ends inside a zstd frame (the frame started at compressed offset \(frameStart))",
            input: input, compressedOffset: compressedOffset, decompressedOffset: decodedBefore)
    }
}
