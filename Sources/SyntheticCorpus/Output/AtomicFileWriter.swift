#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A buffered file written under a temporary name beside its destination and renamed over it by
/// ``commit()``, so that readers never see a half-written archive. Without a commit (an error,
/// a cancellation, or the writer going out of scope) the temporary file is removed.
///
/// Single-owner: not `Sendable`; one thread writes, commits or aborts.
final class AtomicFileWriter {
    let path: String
    let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let bufferCapacity = 1 << 20
    private var finished = false
    /// Bytes handed to ``write(_:)`` so far.
    private(set) var bytesWritten: Int64 = 0

    private static let counter = Atomic<Int>(0)

    /// Creates `.<name>.tmp-<pid>-<n>` in the destination's directory (exclusively, mode 0644).
    /// - Throws: ``CorpusError/io(path:operation:errno:)`` when the file cannot be created.
    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var attempt = 0
        while true {
            let n = AtomicFileWriter.counter.wrappingAdd(1, ordering: .relaxed).oldValue
            let candidate = "\(dir).\(name).tmp-\(getpid())-\(n)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                self.fd = fd
                self.temporaryPath = candidate
                break
            }
            let e = errno
            attempt += 1
            if e != EEXIST || attempt > 100 { throw CorpusError.io(path: candidate, operation: "create", errno: e) }
        }
        buffer.reserveCapacity(bufferCapacity)
    }

    deinit {
        if !finished { abort() }
    }

    /// Appends `bytes` (buffered in 1 MiB).
    /// - Throws: ``CorpusError/io(path:operation:errno:)`` on a failed write.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        bytesWritten += Int64(bytes.count)
        if buffer.count + bytes.count > bufferCapacity {
            try flush()
            if bytes.count >= bufferCapacity {
                try writeAll(bytes)
                return
            }
        }
        buffer.append(contentsOf: bytes)
    }

    /// Flushes, syncs, closes and renames the temporary file to ``path``.
    /// - Throws: ``CorpusError/io(path:operation:errno:)``; the temporary file is removed on failure.
    func commit() throws {
        do {
            try flush()
            if fsync(fd) != 0 { throw CorpusError.io(path: temporaryPath, operation: "fsync", errno: errno) }
            let fd = self.fd
            self.fd = -1
            if close(fd) != 0 { throw CorpusError.io(path: temporaryPath, operation: "close", errno: errno) }
            if rename(temporaryPath, path) != 0 { throw CorpusError.io(path: path, operation: "rename", errno: errno) }
            finished = true
        } catch {
            abort()
            throw error
        }
    }

    /// Closes and removes the temporary file; the destination is left untouched.
    func abort() {
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(temporaryPath)
        finished = true
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CorpusError.io(path: temporaryPath, operation: "write", errno: errno)
            }
            offset += n
        }
    }
}

#if canImport(Glibc)
private let posixWrite = Glibc.write
#elseif canImport(Darwin)
private let posixWrite = Darwin.write
#endif
