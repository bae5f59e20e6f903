#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file mapped read-only into memory (`mmap(PROT_READ, MAP_PRIVATE)`), unmapped when the last
/// reference goes away. Used to index and decode a multi-frame zstd archive's frames in parallel:
/// each decoder reads its frame's compressed bytes in place.
///
/// `@unchecked Sendable` is safe: the mapping is created once in `init`, never written (PROT_READ) and
/// never remapped; `bytes` is an immutable `let`. Concurrent readers only read. It is unmapped in
/// `deinit`, which runs only when no reference (hence no reader) remains. `release` only drops pages of
/// bytes every reader is done with (the consuming thread calls it for a frame after that frame's decode
/// finished), and a dropped page of a read-only file mapping reads back the same bytes if touched again.
/// (A file truncated by another process while mapped would make reads fault with SIGBUS; afscan's
/// inputs are archives at rest, and the sequential reader has the same exposure to concurrent edits.)
public final class MappedFile: @unchecked Sendable {
    /// The whole file. Empty (with a nil base) for an empty file.
    public let bytes: UnsafeRawBufferPointer
    /// The file's display name (for messages).
    public let displayName: String

    /// Maps the regular file at `path`.
    /// - Returns: nil when `path` is not a regular file (a FIFO, a device, standard input) or cannot be
    ///   mapped; the caller then reads it as a stream.
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
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw ArchiveError(code: .open, message: "is a directory", input: displayName)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: size)
    }

    /// Drops the pages wholly inside `range` (rounded inwards to pages at its end) from this process's
    /// mapping, once the caller has consumed those bytes: `madvise(MADV_DONTNEED)` on a read-only private
    /// file mapping only forgets the pages (a later read faults them in again from the file), so the
    /// resident set stays flat instead of growing with the compressed size of the archive. The page that
    /// holds `range.upperBound` is kept (the next frame may start in it). Safe to call from the thread
    /// that consumes frames in order: it never touches bytes at or past `range.upperBound`.
    public func release(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound / page) * page
        let end = (range.upperBound / page) * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
