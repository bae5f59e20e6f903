#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of an output sink: which operation failed, on which path, and why.
///
/// Output failures abort a run (exit 2), except `brokenPipe`, which the CLI treats as a clean stop
/// (exit 0, as ripgrep does when its reader goes away).
public struct SinkError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Creating or opening the (temporary) output file failed.
        case open
        /// `write(2)` failed (other than `EPIPE`).
        case write
        /// The reader of a pipe went away (`EPIPE`); not an error for a CLI writing to stdout.
        case brokenPipe
        /// `fsync(2)` failed: the data may not be on disk.
        case sync
        /// `close(2)` failed.
        case close
        /// `rename(2)` of the temporary file over the target failed.
        case rename
        /// libzstd reported an error while compressing.
        case compression
        /// `write`/`commit` after the sink was committed or aborted.
        case finished
    }

    public var code: Code
    /// A one-line message naming the path and the cause (errno text or libzstd's message).
    public var message: String
    /// The path concerned (`<stdout>` for standard output).
    public var path: String
    /// The `errno` value, when a system call failed.
    public var errno: Int32?

    public init(code: Code, message: String, path: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.errno = errno
    }

    /// An error for a failed system call: `"<what> <path>: <strerror(errnoValue)>"`.
    static func system(_ code: Code, _ what: String, path: String, errno errnoValue: Int32) -> SinkError {
        let text = String(cString: strerror(errnoValue))
        return SinkError(code: code, message: "\(what) \(path): \(text)", path: path, errno: errnoValue)
    }

    public var description: String { message }
}
