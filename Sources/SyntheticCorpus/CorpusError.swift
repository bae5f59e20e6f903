#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors thrown by the corpus generator and its archive writer.
public enum CorpusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An option is out of range; the string says which and why.
    case invalidOption(String)
    /// A size text such as `1GB` or `10-30` could not be parsed.
    case invalidSize(String)
    /// A system call on `path` failed with `errno`.
    case io(path: String, operation: String, errno: Int32)
    /// libzstd reported an error (its `ZSTD_getErrorName` text).
    case zstd(String)
    /// The caller's cancellation check returned true; the temporary file was removed.
    case cancelled

    public var description: String {
        switch self {
        case .invalidOption(let s): return "invalid option: \(s)"
        case .invalidSize(let s): return "invalid size: \(s)"
        case .io(let path, let op, let e): return "\(path): \(op) failed: \(String(cString: strerror(e)))"
        case .zstd(let s): return "zstd: \(s)"
        case .cancelled: return "cancelled"
        }
    }
}
