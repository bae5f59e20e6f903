#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An output file that is never seen half-written: bytes go to a temporary file in the target's
/// directory, and `commit()` renames it over the target.
///
/// ```
/// write ─► buffer (─► zstd when compressed) ─► .<name>.tmp.<pid>.<random> ──commit: fsync, rename──► <name>
///                                                                         ──abort/deinit: unlink──► (nothing)
/// ```
/// - The temporary file is created with `O_CREAT | O_EXCL` and mode 0666 (less the umask), or the
///   permission bits (rwx, not setuid/setgid/sticky) of the regular file it will replace, in the same
///   directory so that `rename(2)` is atomic (same file system); its name holds at most 100 bytes of the
///   target's name. Until `commit()` returns, the target is untouched (absent, or its previous content).
/// - `commit()` is `prepare()` then `publish()`. `prepare()` ends the zstd frame, flushes, `fsync(2)`s
///   and closes the file: every write error (a full disk) surfaces here, and the target is still
///   untouched. `publish()` `rename(2)`s it over the target, then `fsync`s the directory (best effort)
///   so the rename itself is durable. A run with several outputs prepares them all before publishing
///   any, so a failure in one leaves none of them replaced.
/// - While a temporary file exists it is listed in `TemporaryOutputs`, so a process that must exit at
///   once can remove it. Once that removal has run (`TemporaryOutputs.removeAllBeforeExit()`), `init`
///   creates nothing and blocks until the process exits.
/// - `abort()` — or dropping the last reference without `commit()` — closes and unlinks the
///   temporary file.
/// - A symlink at `path` is followed: the temporary file is made beside its referent and renamed over
///   the referent, so the link stays. A path that names a character device, FIFO or socket
///   (`/dev/null`, `/dev/stdout` behind its link, a named pipe) is written directly — there is no file
///   to replace, and renaming over a device node would destroy it; such outputs are not atomic.
/// - When `compressed`, the bytes are one zstd frame (`ZSTD_compressStream2`, level 3, content
///   checksum). The caller decides (CLI: the path ends in `.zst`).
///
/// Thread-safe (`Mutex`); one ordered writer is expected.
public final class AtomicOutputFile: ByteSink {
    /// The final path.
    public let path: String
    /// The temporary path the bytes go to before `commit()`.
    public let temporaryPath: String
    public let compressed: Bool
    /// True when `path` is a device, FIFO or socket written in place (no temporary file, no rename).
    public let isDirect: Bool

    private enum Phase { case open, prepared, committed, aborted }
    private struct State: ~Copyable {
        var output: OutputBuffer
        var phase: Phase
    }
    private let state: Mutex<State>

    /// Creates the temporary file.
    ///
    /// - Parameters:
    ///   - path: the target path; its directory must exist and be writable.
    ///   - compressed: zstd-compress the bytes.
    ///   - bufferCapacity: bytes of pending output before a `write(2)` (default 1 MiB: few system
    ///     calls, bounded memory).
    /// - Throws: `SinkError` `.open` (naming the temporary path and the errno text), or
    ///   `.compression` when libzstd cannot start.
    public init(path: String, compressed: Bool, bufferCapacity: Int = 1 << 20) throws(SinkError) {
        guard !path.isEmpty else {
            throw SinkError(code: .open, message: "the output path is empty", path: path)
        }
        self.compressed = compressed
        // Follow a symlink to its referent, also a dangling one (the referent is created).
        let target = Self.followingSymlinks(path)
        self.path = target
        var st = stat()
        let exists = stat(target, &st) == 0
        let kind = st.st_mode & S_IFMT
        let fd: Int32
        if exists && (kind == S_IFCHR || kind == S_IFIFO || kind == S_IFSOCK) {
            isDirect = true
            temporaryPath = target
            fd = open(target, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw SinkError.system(.open, "opening", path: target, errno: errno)
            }
        } else {
            if exists && kind == S_IFDIR {
                throw SinkError(code: .open, message: "\(target) is a directory; name a file for the output", path: target)
            }
            isDirect = false
            let (directory, name) = Self.split(target)
            // Refused now rather than by rename(2) after the whole run.
            if name.utf8.count > Int(NAME_MAX) {
                throw SinkError(code: .open, message: "\(target): file name too long (\(name.utf8.count) bytes; at most \(NAME_MAX))", path: target)
            }
            let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            // At most 100 bytes of the name: the suffix adds ~30, and a name near NAME_MAX (255) must
            // still get a temporary file (the name is only a hint for whoever lists the directory).
            var stem = name
            while stem.utf8.count > 100 { stem.removeLast() }
            temporaryPath = (directory.map { $0 + "/" } ?? "") + ".\(stem).tmp.\(getpid()).\(random)"
            let path = temporaryPath
            switch TemporaryOutputs.create(path, { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }) {
            case .created(let created): fd = created
            case .failed(let error): throw SinkError.system(.open, "creating", path: temporaryPath, errno: error)
            case .processEnding: TemporaryOutputs.waitForExit()   // another thread is exiting; create nothing
            }
            // Replacing a file keeps its rwx bits (a 0600 output stays 0600), not setuid/setgid/sticky:
            // those belong to the old file's owner, and the new file is ours.
            if exists && kind == S_IFREG { _ = fchmod(fd, st.st_mode & 0o777) }
        }
        let temporaryPath = temporaryPath
        let isDirect = isDirect
        let output: OutputBuffer
        do throws(SinkError) {
            output = try OutputBuffer(fileDescriptor: fd, path: path, compressed: compressed, capacity: bufferCapacity)
        } catch {
            close(fd)
            if !isDirect { Self.remove(temporaryPath) }
            throw error
        }
        state = Mutex(State(output: output, phase: .open))
    }

    deinit { abort() }

    /// Buffers `bytes` (compressing them when `compressed`).
    /// - Throws: `SinkError` `.write`/`.compression`, or `.finished` after `commit()`/`abort()`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SinkError) {
        let path = path
        try state.withLock { (state) throws(SinkError) in
            guard state.phase == .open else {
                throw SinkError(code: .finished, message: "writing \(path): output already closed", path: path)
            }
            try state.output.write(bytes)
        }
    }

    /// Flushes, syncs and renames the temporary file over `path`: `prepare()` then `publish()`.
    /// - Throws: `SinkError` (`.write`, `.compression`, `.sync`, `.close`, `.rename`, or `.finished`
    ///   when already committed or aborted). On failure the temporary file is removed and the
    ///   target is left as it was.
    public func commit() throws(SinkError) {
        try prepare()
        try publish()
    }

    /// Ends the zstd frame, flushes, `fsync`s and closes the temporary file; the target is untouched.
    /// For a device or FIFO (`isDirect`) this flushes and closes, and the output is final.
    /// - Throws: `SinkError` (`.write`, `.compression`, `.sync`, `.close`, `.finished` when not open).
    ///   On failure the temporary file is removed.
    public func prepare() throws(SinkError) {
        let path = path
        let temporaryPath = temporaryPath
        let isDirect = isDirect
        try state.withLock { (state) throws(SinkError) in
            guard state.phase == .open else {
                throw SinkError(code: .finished, message: "committing \(path): output already closed", path: path)
            }
            let fd = state.output.fileDescriptor
            if isDirect {
                state.phase = .committed
                defer { close(fd) }
                try state.output.finish()
                return
            }
            state.phase = .aborted  // until prepared, any exit below leaves nothing behind
            do throws(SinkError) {
                try state.output.finish()
                if fsync(fd) != 0 {
                    throw SinkError.system(.sync, "syncing", path: temporaryPath, errno: errno)
                }
            } catch {
                close(fd)
                Self.remove(temporaryPath)
                throw error
            }
            if close(fd) != 0 {
                let error = errno
                Self.remove(temporaryPath)
                throw SinkError.system(.close, "closing", path: temporaryPath, errno: error)
            }
            state.phase = .prepared
        }
    }

    /// Renames the prepared temporary file over `path` (a no-op for a device or FIFO).
    /// - Throws: `SinkError` `.rename` (the temporary file is removed, the target left as it was), or
    ///   `.finished` when `prepare()` has not succeeded.
    public func publish() throws(SinkError) {
        let path = path
        let temporaryPath = temporaryPath
        try state.withLock { (state) throws(SinkError) in
            if state.phase == .committed && isDirect { return }
            guard state.phase == .prepared else {
                throw SinkError(code: .finished, message: "publishing \(path): output not prepared", path: path)
            }
            state.phase = .aborted
            if rename(temporaryPath, path) != 0 {
                let error = errno
                Self.remove(temporaryPath)
                throw SinkError.system(.rename, "renaming \(temporaryPath) to", path: path, errno: error)
            }
            TemporaryOutputs.unregister(temporaryPath)
            state.phase = .committed
            Self.syncDirectory(of: path)
        }
    }

    /// Closes and removes the temporary file; a no-op after `commit()` or a previous `abort()`.
    public func abort() {
        let temporaryPath = temporaryPath
        let isDirect = isDirect
        state.withLock { state in
            switch state.phase {
            case .open:
                state.phase = .aborted
                state.output.discard()
                close(state.output.fileDescriptor)
                if !isDirect { Self.remove(temporaryPath) }   // never unlink a device or FIFO
            case .prepared:
                state.phase = .aborted
                Self.remove(temporaryPath)
            case .committed, .aborted:
                return
            }
        }
    }

    private static func remove(_ temporaryPath: String) {
        unlink(temporaryPath)
        TemporaryOutputs.unregister(temporaryPath)
    }

    /// (bytes accepted, bytes written to the file so far).
    public var byteCounts: (accepted: Int64, written: Int64) {
        state.withLock { ($0.output.bytesIn, $0.output.bytesOut) }
    }

    /// `path` with symlinks in its last component followed, also when the final referent does not
    /// exist yet (a dangling link names the file to create); relative links resolve against the
    /// link's directory. At most 40 links (ELOOP's limit); a loop or an unreadable link gives the
    /// last path reached.
    public static func followingSymlinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { return current }
            let referent = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if referent.hasPrefix("/") {
                current = referent
            } else {
                let directory = split(current).directory
                current = (directory.map { $0 == "/" ? "/" : $0 + "/" } ?? "") + referent
            }
        }
        return current
    }

    /// (directory or nil for the current one, last path component).
    static func split(_ path: String) -> (directory: String?, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (nil, path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// `fsync(2)` on the directory holding `path`, so a completed rename survives a crash. Best
    /// effort: some file systems refuse to sync directories, and the data itself is already synced.
    private static func syncDirectory(of path: String) {
        let directory = split(path).directory ?? "."
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
