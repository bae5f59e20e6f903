#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file opened read-only and read with `pread(2)` at explicit offsets, so several threads can
/// read it at once (there is no shared file position). Closed when the last reference goes away.
///
/// Used by the frame-parallel path (`ZstdFrameIndex`, `ZstdFrameDecoder`, `FrameParallelReader`) instead
/// of a memory mapping: a mapped file that another process truncates raises SIGBUS when a page past its
/// new end is touched, which kills the run. A `pread` past the new end returns fewer bytes (0 at the
/// end of file), which the readers report as a truncated archive at that byte offset, as the streaming
/// `InputReader` does.
///
/// Checked `Sendable`: every stored property is an immutable `let` of a `Sendable` type; the descriptor
/// is closed in `deinit`, which runs only when no reference (hence no reader) remains.
public final class ArchiveFile: Sendable {
    /// The file's display name (for messages).
    public let displayName: String
    /// The file's size when it was opened, in bytes. The file may shrink or grow afterwards: reads
    /// report what is there when they run.
    public let size: Int
    private let fd: Int32

    /// Opens the regular file at `path`.
    /// - Returns: nil when `path` is not a regular file (a FIFO, a device, standard input): the caller
    ///   then reads it as a stream.
    /// - Throws: `ArchiveError.Code.open` when the file cannot be opened or is a directory.
    public init?(path: String, displayName: String) throws(ArchiveError) {
        self.displayName = displayName
        // Look before opening: opening a FIFO would block for a writer (and closing it again could
        // lose what the writer sent), so anything but a regular file is left to the streaming reader.
        var before = stat()
        if stat(path, &before) == 0, (before.st_mode & S_IFMT) != S_IFREG, (before.st_mode & S_IFMT) != S_IFDIR { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ArchiveError(code: .open, message: "cannot open input: \(errnoText())", input: displayName)
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
            close(fd)
            if isDirectory { throw ArchiveError(code: .open, message: "is a directory", input: displayName) }
            return nil
        }
        self.fd = fd
        size = Int(st.st_size)
    }

    deinit { close(fd) }

    /// Reads up to `buffer.count` bytes starting at byte `offset` of the file.
    /// - Returns: the number of bytes read, in bytes: `buffer.count`, or fewer only when the file ends
    ///   before `offset + buffer.count` (0 when it ends at or before `offset`).
    /// - Throws: `ArchiveError.Code.read` when `pread` fails (an I/O error); `compressedOffset` is the
    ///   file offset of the failed read.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(ArchiveError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                throw ArchiveError(code: .read, message: "read failed: \(errnoText())", input: displayName,
                                   compressedOffset: Int64(offset + done))
            }
        }
        return done
    }
}
