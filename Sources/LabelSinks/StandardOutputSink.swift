#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Output to standard output (`-o -`, or no `-o`): buffered `write(2)` calls on file descriptor 1
/// (or another descriptor, for tests), optionally zstd-compressed.
///
/// A reader that goes away (`afscan label … | head`) gives `SinkError.Code.brokenPipe`, which the CLI
/// maps to exit 0 as ripgrep does. That needs `signal(SIGPIPE, SIG_IGN)` at process start-up;
/// otherwise the kernel kills the process before `write(2)` can return `EPIPE`.
///
/// `commit()` flushes (and ends the zstd frame); nothing is synced or closed. `abort()` drops the
/// buffered bytes; bytes already written cannot be taken back.
public final class StandardOutputSink: ByteSink {
    /// The name used in error messages.
    public static let displayName = "<stdout>"

    private enum Phase { case open, finished }
    private struct State: ~Copyable {
        var output: OutputBuffer
        var phase: Phase
    }
    private let state: Mutex<State>

    /// - Parameters:
    ///   - fileDescriptor: where to write; not closed by the sink.
    ///   - compressed: zstd-compress the stream (one frame).
    ///   - bufferCapacity: bytes of pending output before a `write(2)` (default 64 KiB, the pipe
    ///     buffer size on Linux, so a reader sees rows promptly).
    /// - Throws: `SinkError` `.compression` when libzstd cannot start.
    public init(fileDescriptor: Int32 = STDOUT_FILENO, compressed: Bool = false, bufferCapacity: Int = 1 << 16) throws(SinkError) {
        let output = try OutputBuffer(
            fileDescriptor: fileDescriptor, path: Self.displayName, compressed: compressed, capacity: bufferCapacity)
        state = Mutex(State(output: output, phase: .open))
    }

    /// Buffers `bytes`, writing out full buffers.
    /// - Throws: `SinkError` `.brokenPipe`, `.write`, `.compression`, or `.finished` after
    ///   `commit()`/`abort()`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SinkError) {
        try state.withLock { (state) throws(SinkError) in
            guard state.phase == .open else {
                throw SinkError(code: .finished, message: "writing \(Self.displayName): output already closed", path: Self.displayName)
            }
            try state.output.write(bytes)
        }
    }

    /// Writes out everything buffered (ending the zstd frame when compressing).
    /// - Throws: `SinkError` `.brokenPipe`, `.write`, `.compression`, or `.finished`.
    public func commit() throws(SinkError) {
        try state.withLock { (state) throws(SinkError) in
            guard state.phase == .open else {
                throw SinkError(code: .finished, message: "flushing \(Self.displayName): output already closed", path: Self.displayName)
            }
            state.phase = .finished
            try state.output.finish()
        }
    }

    /// Drops buffered bytes; later writes fail with `.finished`.
    public func abort() {
        state.withLock { state in
            state.phase = .finished
            state.output.discard()
        }
    }
}
