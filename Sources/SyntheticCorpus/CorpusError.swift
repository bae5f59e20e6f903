import LabelSinks

/// Errors thrown by the corpus generator and its archive writer.
public enum CorpusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An option is out of range; the string says which and why.
    case invalidOption(String)
    /// A size text such as `1GB` or `10-30` could not be parsed.
    case invalidSize(String)
    /// The output could not be created, written or committed (the sink's error names the path and
    /// the reason).
    case output(SinkError)
    /// libzstd reported an error (its `ZSTD_getErrorName` text).
    case zstd(String)
    /// The caller's cancellation check returned true; the temporary file was removed.
    case cancelled

    public var description: String {
        switch self {
        case .invalidOption(let s): return "invalid option: \(s)"
        case .invalidSize(let s): return "invalid size: \(s)"
        case .output(let error): return error.message
        case .zstd(let s): return "zstd: \(s)"
        case .cancelled: return "cancelled"
        }
    }
}
