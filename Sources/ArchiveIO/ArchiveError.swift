/// A fault while opening or decoding an input. Carries enough to find the fault: the input's display
/// name, the compressed byte offset (when the input is zstd and it is known) and the decompressed
/// byte offset reached (every byte before it was delivered intact).
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The input could not be opened (missing, permission, a directory where a file was expected).
        public static let open = Code(rawValue: "open_failed")
        /// read(2) failed.
        public static let read = Code(rawValue: "read_failed")
        /// libzstd reported corrupt data (bad magic inside a stream, checksum, corrupted block).
        public static let corrupt = Code(rawValue: "corrupt_archive")
        /// The stream ended inside a zstd frame.
        public static let truncated = Code(rawValue: "truncated_archive")
        /// A frame's window exceeds `--max-window-log`.
        public static let windowTooLarge = Code(rawValue: "window_too_large")
        /// The content is neither text, zstd nor gzip (a ZIP, xz, Parquet, binary data…): one fault for the
        /// whole input, whose message names what it looks like and what to do.
        public static let unsupportedFormat = Code(rawValue: "unsupported_format")
    }

    public var code: Code
    /// What went wrong and how to remedy it.
    public var message: String
    /// The input's display name (path, or `-` for standard input).
    public var input: String
    /// Offset into the compressed input, when the input is zstd and the offset is known.
    public var compressedOffset: Int64?
    /// Decompressed bytes delivered before the fault.
    public var decompressedOffset: Int64

    public init(code: Code, message: String, input: String, compressedOffset: Int64? = nil, decompressedOffset: Int64 = 0) {
        self.code = code
        self.message = message
        self.input = input
        self.compressedOffset = compressedOffset
        self.decompressedOffset = decompressedOffset
    }

    /// `INPUT: MESSAGE (compressed offset C, decompressed offset D)`; an `.open` or `.unsupportedFormat`
    /// fault (no record was read) is `INPUT: MESSAGE` alone.
    public var description: String {
        var s = "\(input): \(message)"
        if code == .open || code == .unsupportedFormat { return s }
        if let c = compressedOffset { s += " (compressed offset \(c)" } else { s += " (" }
        s += (compressedOffset == nil ? "" : ", ") + "decompressed offset \(decompressedOffset))"
        return s
    }
}
