#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The buffering, optional compression and `write(2)` loop shared by `AtomicOutputFile` and
/// `StandardOutputSink`. Not thread-safe: each sink keeps one inside a `Mutex`. ~Copyable so that
/// its zstd encoder has exactly one owner.
struct OutputBuffer: ~Copyable {
    let fileDescriptor: Int32
    /// The name used in error messages.
    let path: String
    /// Flush threshold in bytes of pending (already compressed, when compressing) output.
    let capacity: Int
    private var pending: [UInt8] = []
    private let encoder: ZstdStreamEncoder?
    /// Bytes accepted from callers (uncompressed).
    private(set) var bytesIn: Int64 = 0
    /// Bytes handed to `write(2)` (compressed, when compressing).
    private(set) var bytesOut: Int64 = 0

    init(fileDescriptor: Int32, path: String, compressed: Bool, capacity: Int) throws(SinkError) {
        self.fileDescriptor = fileDescriptor
        self.path = path
        self.capacity = max(capacity, 4096)
        self.encoder = compressed ? try ZstdStreamEncoder(path: path) : nil
        pending.reserveCapacity(self.capacity)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(SinkError) {
        bytesIn += Int64(bytes.count)
        if let encoder {
            try encoder.compress(bytes, into: &pending)
            if pending.count >= capacity { try flush() }
        } else if pending.count + bytes.count <= capacity {
            pending.append(contentsOf: bytes)
        } else {
            // Large write: drain what is pending, then pass the bytes through unbuffered.
            try flush()
            if bytes.count >= capacity {
                try Self.writeAll(fileDescriptor, bytes, path: path)
                bytesOut += Int64(bytes.count)
            } else {
                pending.append(contentsOf: bytes)
            }
        }
    }

    /// Ends the zstd frame (when compressing) and writes out every pending byte.
    mutating func finish() throws(SinkError) {
        if let encoder { try encoder.finish(into: &pending) }
        try flush()
    }

    mutating func flush() throws(SinkError) {
        guard !pending.isEmpty else { return }
        let fd = fileDescriptor
        let path = path
        try pending.withUnsafeBytes { raw in Result { () throws(SinkError) in try Self.writeAll(fd, raw, path: path) } }.get()
        bytesOut += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    /// Drops pending bytes (after which the sink must not be committed).
    mutating func discard() {
        pending.removeAll()
    }

    /// `write(2)` until every byte is written, retrying on `EINTR` and short writes.
    /// - Throws: `SinkError` `.brokenPipe` on `EPIPE` (SIGPIPE must be ignored by the process for
    ///   this to be seen), else `.write` with the errno text.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SinkError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = posixWrite(fd, base + offset, bytes.count - offset)
            if n < 0 {
                let error = errno
                if error == EINTR { continue }
                if error == EPIPE {
                    throw SinkError(code: .brokenPipe, message: "writing \(path): broken pipe", path: path, errno: error)
                }
                throw SinkError.system(.write, "writing", path: path, errno: error)
            }
            offset += n
        }
    }
}

/// `write(2)`, named apart from the `write` methods in this module.
@inline(__always)
func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
