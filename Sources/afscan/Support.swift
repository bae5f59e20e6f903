import ArchiveIO
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

/// The first SIGINT/SIGTERM/SIGHUP received (0 = none).
private let receivedSignal = Atomic<Int32>(0)

/// Turns SIGINT, SIGTERM and SIGHUP into a flag the pipeline polls, so the run stops cleanly and removes
/// its temporary outputs instead of dying mid-write. Create it before any output file exists.
///
/// The flag is polled between records and reads. A thread blocked in `read(2)` on a slow pipe or FIFO
/// does not see it, so a watchdog gives the run `gracePeriod` seconds to stop on its own; after that it
/// removes every temporary output (`TemporaryOutputs.removeAll()`) and exits with 128 + the signal.
final class InterruptWatcher {
    /// Seconds between the signal and the forced exit.
    static let gracePeriod = 2.0

    private let sources: [any DispatchSourceSignal]

    init() {
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            Glibc.signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler {
                guard receivedSignal.compareExchange(expected: 0, desired: sig, ordering: .relaxed).exchanged else { return }
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.gracePeriod) {
                    TemporaryOutputs.removeAll()
                    Stderr.line("afscan: interrupted (\(Self.name(sig))); the run did not stop within \(Int(Self.gracePeriod)) s (blocked on input?), so it was ended; no output file was written")
                    _exit(128 + sig)
                }
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

    /// The exit code for `signal`: 128 + its number (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
    static func exitCode(_ signal: Int32) -> Int32 { 128 + signal }

    static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }
}

/// Standard input, output and error as the process found them.
enum StandardStreams {
    /// True when file descriptor 1 was closed at start-up (`afscan … >&-`).
    nonisolated(unsafe) private(set) static var outputWasClosed = false

    /// Occupies every closed descriptor among 0, 1 and 2 with `/dev/null` opened read-only, before any
    /// file is opened. Otherwise the first output file would get descriptor 1 and receive whatever is
    /// meant for standard output (rows into the summary file). Writes to an occupied 1 fail (EBADF),
    /// and `OutputSink` refuses standard output up front. Call once, first thing in `main`.
    static func secure() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", O_RDONLY)
            if null >= 0 && null != fd { dup2(null, fd); close(null) }
            if fd == 1 { outputWasClosed = true }
        }
    }
}

/// Where rows, reports and archives go: an atomic file (zstd when the name ends in `.zst`) or
/// standard output (`-` or no name).
/// A broken pipe on standard output ends the run quietly with exit 0, as ripgrep does, after removing
/// every temporary output (the run did not finish, so none of its files is published).
final class OutputSink: Sendable {
    private let sink: any ByteSink
    private let isStandardOutput: Bool

    /// - Throws: `SinkError` (`.open`, …) from the file, or a `ValidationError`-style message when
    ///   standard output is asked for but was closed at start-up.
    init(path: String?, compressed: Bool? = nil) throws {
        if let path, path != "-" {
            sink = try AtomicOutputFile(path: path, compressed: compressed ?? path.hasSuffix(".zst"))
            isStandardOutput = false
        } else {
            if StandardStreams.outputWasClosed {
                throw SinkError(code: .open, message: "standard output is closed; name an output file with -o", path: StandardOutputSink.displayName)
            }
            signal(SIGPIPE, SIG_IGN)
            sink = try StandardOutputSink(compressed: compressed ?? false)
            isStandardOutput = true
        }
    }

    /// The file's path, or nil for standard output.
    var filePath: String? { (sink as? AtomicOutputFile)?.path }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        do { try sink.write(bytes) } catch { try handle(error) }
    }

    func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Flushes and syncs; nothing is replaced yet (see `AtomicOutputFile.prepare()`).
    func prepare() throws {
        do {
            if let file = sink as? AtomicOutputFile { try file.prepare() } else { try sink.commit() }
        } catch { try handle(error) }
    }

    /// Makes a prepared file final (renames it over its target).
    func publish() throws {
        do { try (sink as? AtomicOutputFile)?.publish() } catch { try handle(error) }
    }

    func commit() throws {
        try prepare()
        try publish()
    }

    func abort() {
        sink.abort()
    }

    private func handle(_ error: SinkError) throws {
        if error.code == .brokenPipe && isStandardOutput {
            TemporaryOutputs.removeAll()
            Foundation.exit(0)
        }
        throw error
    }
}

/// Writes `data` to standard output and flushes it (broken pipe: exit 0; closed or failing stdout: fatal).
func writeToStandardOutput(_ data: Data) {
    do {
        let out = try OutputSink(path: nil)
        try out.write(data)
        try out.commit()
    } catch {
        fatal("cannot write to standard output: \(error)")
    }
}

/// Writes `data` to `path` through a temporary file and a rename (`-`: standard output).
func writeAtomically(_ data: Data, to path: String) throws {
    let f = try OutputSink(path: path, compressed: false)
    try f.write(data)
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

/// The inputs of `operands`, each operand expanded on its own (as given, so naming a directory twice
/// reads it twice). An operand that cannot be opened and a directory that cannot be listed are printed
/// (`afscan: PATH: REASON`) and returned as faults; every other input is taken.
func expandInputs(_ operands: [String], notes: inout [String]) -> (specs: [InputSpec], faults: [ArchiveError]) {
    var specs: [InputSpec] = [], faults: [ArchiveError] = []
    for operand in operands { specs += InputEnumerator.expand([operand], notes: &notes, faults: &faults) }
    for fault in faults { Stderr.line("afscan: \(fault.description)") }
    return (specs, faults)
}
