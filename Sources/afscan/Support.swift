import ArgumentParser
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

/// The first SIGINT/SIGTERM received (0 = none).
private let receivedSignal = Atomic<Int32>(0)

/// Turns SIGINT/SIGTERM into a flag the pipeline polls, so the run stops cleanly and removes its
/// temporary output instead of dying mid-write.
final class InterruptWatcher {
    private let sources: [any DispatchSourceSignal]

    init() {
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            Glibc.signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler {
                _ = receivedSignal.compareExchange(expected: 0, desired: sig, ordering: .relaxed)
            }
            src.resume()
            sources.append(src)
        }
        self.sources = sources
    }

    /// The first signal received, if any.
    static var signal: Int32? {
        let s = receivedSignal.load(ordering: .relaxed)
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
    try f.write([UInt8](data))
    try f.commit()
}

/// `--max-window-log`, the same on every subcommand that reads archives: the largest zstd window a
/// frame may ask for, as log2 bytes (`ZSTD_d_windowLogMax`).
enum WindowLogOption {
    static let help = ArgumentHelp("zstd window limit as log2 bytes, 10–31 (27 = 128 MiB, zstd's default; larger windows cost that much memory per decoder).", valueName: "n")

    static func validate(_ value: Int) throws {
        guard (10...31).contains(value) else { throw ValidationError("--max-window-log must be between 10 and 31") }
    }
}
