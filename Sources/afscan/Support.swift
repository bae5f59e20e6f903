import Dispatch
import Foundation
import LabelSinks
import Synchronization

/// Unbuffered, serialized writes to standard error.
enum Stderr {
    private static let lock = Mutex(())
    static func write(_ s: String) {
        lock.withLock { _ in
            var s = s
            s.withUTF8 { buf in
                var off = 0
                while off < buf.count {
                    let n = Foundation.write(2, buf.baseAddress! + off, buf.count - off)
                    if n <= 0 { if errno == EINTR { continue }; return }
                    off += n
                }
            }
        }
    }
    static func line(_ s: String) { write(s + "\n") }
}

/// Turns SIGINT/SIGTERM into a flag the pipeline polls, so the run stops cleanly and removes its
/// temporary output instead of dying mid-write.
final class InterruptWatcher: Sendable {
    private let received = Atomic<Int32>(0)
    private let sources: Mutex<[DispatchSourceSignal]> = Mutex([])

    init() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler { [received] in
                _ = received.compareExchange(expected: 0, desired: sig, ordering: .relaxed)
            }
            src.resume()
            sources.withLock { $0.append(src) }
        }
    }

    /// The first signal received, if any.
    var signal: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }
}

/// Where label rows go: an atomic file (zstd when the name ends in `.zst`) or standard output.
/// A broken pipe on standard output ends the run quietly with exit 0, as ripgrep does.
final class OutputSink: Sendable {
    private let sink: any ByteSink
    private let isStandardOutput: Bool

    init(path: String?) throws {
        if let path, path != "-" {
            sink = try AtomicOutputFile(path: path, compressed: path.hasSuffix(".zst"))
            isStandardOutput = false
        } else {
            signal(SIGPIPE, SIG_IGN)
            sink = try StandardOutputSink()
            isStandardOutput = true
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        do { try sink.write(bytes) } catch { try handle(error) }
    }

    func commit() throws {
        do { try sink.commit() } catch { try handle(error) }
    }

    func abort() {
        sink.abort()
    }

    private func handle(_ error: SinkError) throws {
        if error.code == .brokenPipe && isStandardOutput { Foundation.exit(0) }
        throw error
    }
}

/// Writes `data` to `path` through a temporary file and a rename.
func writeAtomically(_ data: Data, to path: String) throws {
    let f = try AtomicOutputFile(path: path, compressed: false)
    try data.withUnsafeBytes { (b: UnsafeRawBufferPointer) throws(SinkError) in try f.write(b) }
    try f.commit()
}
