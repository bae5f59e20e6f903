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
    // Only touched from the pipeline's serialized writer callback and then from the main thread after
    // the run has finished, never concurrently; Mutex makes that explicit.
    private let file: Mutex<AtomicOutputFile?>
    private let stdout: Mutex<StandardOutputSink?>

    init(path: String?) throws {
        if let path, path != "-" {
            file = Mutex(try AtomicOutputFile(path: path, compressed: path.hasSuffix(".zst")))
            stdout = Mutex(nil)
        } else {
            file = Mutex(nil)
            stdout = Mutex(StandardOutputSink())
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try file.withLock { f in try f?.write(bytes) }
        do {
            try stdout.withLock { s in try s?.write(bytes) }
        } catch let e as SinkError where e.code == .brokenPipe {
            Foundation.exit(0)
        }
    }

    func commit() throws {
        try file.withLock { f in try f?.commit() }
        do {
            try stdout.withLock { s in try s?.flush() }
        } catch let e as SinkError where e.code == .brokenPipe {
            Foundation.exit(0)
        }
    }

    func abort() {
        file.withLock { f in f?.abort() }
    }
}

/// Writes `data` to `path` through a temporary file and a rename.
func writeAtomically(_ data: Data, to path: String) throws {
    let f = try AtomicOutputFile(path: path, compressed: false)
    try data.withUnsafeBytes { try f.write($0) }
    try f.commit()
}
