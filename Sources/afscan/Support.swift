import ArchiveIO
import ArgumentParser
import Dispatch
import Foundation
import LabelSinks
import Synchronization

/// Unbuffered, serialized writes to standard error.
enum Stderr {
    /// True while a progress frame (`frame(_:)`) is on the terminal's current line.
    private static let lock = Mutex(false)
    /// Writes `s` with every control character but line breaks and tabs escaped (`terminalSafe`): messages
    /// quote record ids, verdict values and group values, which may hold terminal escape sequences. A
    /// progress frame on the line is erased first; `warning:`/`note:` prefixes are coloured when
    /// `Colour.enabled`.
    static func write(_ s: String) {
        lock.withLock { frameShown in
            if frameShown { raw("\r\u{1B}[K"); frameShown = false }
            raw(Colour.message(terminalSafe(s, keepNewlines: true)))
        }
    }
    static func line(_ s: String) {
        // -q: only errors (warnings and notes are dropped).
        if quietFlag.load(ordering: .relaxed) && (s.hasPrefix("afscan: warning:") || s.hasPrefix("afscan: note:")) { return }
        write(s + "\n")
    }

    /// Set by a command's `-q`: `line` drops `afscan: warning:` and `afscan: note:` lines (errors stay).
    static var quiet: Bool {
        get { quietFlag.load(ordering: .relaxed) }
        set { quietFlag.store(newValue, ordering: .relaxed) }
    }
    private static let quietFlag = Atomic<Bool>(false)

    /// Draws `text` (afscan's own progress text: no transcript content) over the current terminal line:
    /// `\r`, the text, erase to the end of the line.
    static func frame(_ text: String) {
        lock.withLock { frameShown in
            raw("\r" + text + "\u{1B}[K")
            frameShown = true
        }
    }

    /// Writes `text` (afscan's own progress text, which may hold colour codes: no transcript content)
    /// and a line feed as it is.
    static func ownLine(_ text: String) {
        lock.withLock { frameShown in
            if frameShown { raw("\r\u{1B}[K"); frameShown = false }
            raw(text + "\n")
        }
    }

    /// Erases a progress frame still on the line.
    static func clearFrame() {
        lock.withLock { frameShown in
            if frameShown { raw("\r\u{1B}[K"); frameShown = false }
        }
    }

    /// Writes `s` to descriptor 2 as it is (callers hold `lock`).
    private static func raw(_ s: String) {
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

/// The first SIGINT/SIGTERM/SIGHUP received (0 = none). Written by the signal handler (a lock-free atomic
/// store is async-signal-safe), read by the pipeline and the watchdog.
private let receivedSignal = Atomic<Int32>(0)
/// Milliseconds the watchdog waits after a signal before it ends the process itself; 0 = at once.
private let graceMilliseconds = Atomic<Int>(0)
/// True once a command has begun making its outputs final (`Interrupts.beginFinalCommit()`); guarded so
/// that either the watchdog ends the process first (nothing published) or the command publishes and
/// ends normally (the signal is then ignored): never both.
private let finalCommit = Mutex<Bool>(false)
/// What the watchdog does right before it ends a run that did not stop by itself (`Interrupts.setLastWords`).
private let lastWords = Mutex<(@Sendable (Int32) -> Void)?>(nil)
/// Posted by the signal handler (`sem_post` is async-signal-safe) to wake the watchdog.
nonisolated(unsafe) private let signalSemaphore: UnsafeMutablePointer<sem_t> = {
    let s = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    sem_init(s, 0, 0)
    return s
}()

/// SIGINT, SIGTERM and SIGHUP for the whole process: a `sigaction` handler (installed synchronously, first
/// thing in `main`, so no signal is ever lost or left to its default action) records the first signal and
/// wakes a watchdog thread. A signal the process inherited as ignored (`nohup`, a background job of a
/// script) is left ignored.
///
/// - Commands that poll the flag (`label`, `generate`: between records and reads) hold an
///   `InterruptWatcher` while they run: the watchdog then gives them `gracePeriod` seconds to stop by
///   themselves (exit 128 + signal, temporary outputs removed, a message). A thread blocked in `read(2)`
///   on a slow pipe or FIFO never sees the flag (reads restart, `SA_RESTART`), so after the grace period
///   the watchdog removes every temporary output (`TemporaryOutputs.removeAllBeforeExit()`) and exits with
///   128 + the signal.
/// - Everything else (start-up, rule compilation, `summary`, `eval`, `bench`, `rules`) is ended by the
///   watchdog at once, after removing temporary outputs.
enum Interrupts {
    static func install() {
        _ = receivedSignal.load(ordering: .relaxed)   // initialise the globals outside the handler
        _ = signalSemaphore
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            // A signal the parent set to be ignored stays ignored: `nohup afscan …` must survive a hang-up,
            // and a shell's background job must not stop on the terminal's Ctrl-C.
            var inherited = sigaction()
            if sigaction(sig, nil, &inherited) == 0,
               unsafeBitCast(inherited.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                continue
            }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                if receivedSignal.compareExchange(expected: 0, desired: sig, ordering: .relaxed).exchanged {
                    sem_post(signalSemaphore)
                }
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
        let watchdog = Thread {
            while sem_wait(signalSemaphore) != 0 {}
            let sig = receivedSignal.load(ordering: .relaxed)
            let grace = graceMilliseconds.load(ordering: .relaxed)
            if grace > 0 { usleep(UInt32(grace) * 1000) }
            finalCommit.withLock { committing in
                // Outputs are being made final: let the command finish and exit as it would have.
                if committing { return }
                // The interrupted run's report first: it is itself written through a temporary file,
                // and none can be created once the temporaries are removed for the exit.
                if grace > 0, let words = lastWords.withLock({ $0 }) { words(sig) }
                // Removes the temporaries and refuses new ones: a command thread still running (a
                // `summary` about to create its output) can no longer leave one between here and `_exit`.
                TemporaryOutputs.removeAllBeforeExit()
                if grace > 0 {
                    Stderr.line("afscan: interrupted (\(InterruptWatcher.name(sig))); the run did not stop within \(grace / 1000) s (blocked reading or writing?), so it was ended; no output file was written")
                }
                _exit(InterruptWatcher.exitCode(sig))
            }
        }
        watchdog.start()
    }

    /// `body` runs (on the watchdog thread, with the signal) right before the watchdog ends a run that
    /// held an `InterruptWatcher` but did not stop within the grace period: `label` writes its
    /// interrupted `--manifest` there.
    static func setLastWords(_ body: @escaping @Sendable (Int32) -> Void) {
        lastWords.withLock { $0 = body }
    }

    /// Call right before renaming outputs into place: from here on a signal no longer ends the process
    /// (it finishes and exits as it would have), so an exit of 128 + signal always means nothing was
    /// published. Blocks while the watchdog is ending the process.
    static func beginFinalCommit() {
        finalCommit.withLock { $0 = true }
    }
}

/// Held by a command while it polls `InterruptWatcher.signal` (see `Interrupts`): a signal then stops the
/// run cleanly, and the watchdog ends the process itself only after `gracePeriod` seconds.
final class InterruptWatcher {
    /// Seconds between the signal and the forced exit while a watcher is held.
    static let gracePeriod = 2.0

    init() {
        graceMilliseconds.store(Int(Self.gracePeriod * 1000), ordering: .relaxed)
    }

    deinit {
        graceMilliseconds.store(0, ordering: .relaxed)
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

    /// - Throws: `SinkError` (`.open`, …) from the file, or `.open` when standard output is asked for
    ///   but was closed at start-up.
    init(path: String?, compressed: Bool? = nil) throws {
        if let path, path != "-" {
            sink = try AtomicOutputFile(path: path, compressed: compressed ?? path.hasSuffix(".zst"))
            isStandardOutput = false
        } else {
            if StandardStreams.outputWasClosed {
                throw SinkError(code: .open, message: "standard output is closed; name an output file instead", path: StandardOutputSink.displayName)
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
            TemporaryOutputs.removeAllBeforeExit()
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

/// Fails now (usage error) when an output written only at the end of a run (`--manifest`, `--metrics`)
/// could not be created there: a missing or read-only directory would otherwise be found after hours of
/// labelling, with the other outputs already published.
func checkWritableLater(_ outputs: [(flag: String, path: String?)]) throws {
    for (flag, path) in outputs {
        guard let path, path != "-" else { continue }
        let dir = URL(fileURLWithPath: AtomicOutputFile.followingSymlinks(path)).deletingLastPathComponent().path
        guard isDirectory(dir), access(dir, W_OK) == 0 else {
            throw ValidationError("\(flag) \(path): its directory \(dir) does not exist or is not writable")
        }
    }
}

/// Writes `data` to `path` through a temporary file and a rename (`-`: standard output).
/// - Parameter committing: false only on the watchdog's own thread (`Interrupts.setLastWords`), which
///   already holds the commit lock.
func writeAtomically(_ data: Data, to path: String, committing: Bool = true) throws {
    let f = try OutputSink(path: path, compressed: false)
    try f.write(data)
    try f.prepare()
    if committing { Interrupts.beginFinalCommit() }
    try f.publish()
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
func expandInputs(_ operands: [String], outputs: [(flag: String, path: String?)], notes: inout [String]) throws -> (specs: [InputSpec], faults: [ArchiveError]) {
    if operands.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    var specs: [InputSpec] = [], faults: [ArchiveError] = []
    for operand in operands { specs += InputEnumerator.expand([operand], notes: &notes, faults: &faults) }
    // The walk follows symlinks: an output reached through one (`dir/link.jsonl -> ../out.jsonl`, a linked
    // subdirectory) is an input too, which `checkOutputs` cannot see from the operands' text.
    for output in outputs {
        guard let path = output.path, path != "-" else { continue }
        if let spec = specs.first(where: { $0.path.map { samePath($0, path) } ?? false }) {
            throw ValidationError("\(output.flag) \(path) is also an input (\(spec.displayName), reached through the directory walk); it would be replaced")
        }
    }
    for fault in faults { Stderr.line("afscan: \(fault.description)") }
    // Both copies are still read (shards stay simple), but a rate over them counts each record twice.
    for pair in DuplicateInputs.find(specs) {
        Stderr.line("afscan: warning: \(pair.message); leave one out to count each record once")
    }
    return (specs, faults)
}

/// `text` with every control character (C0 but, with `keepNewlines`, line feed and tab; DEL; C1), every
/// bidirectional override, embedding, isolate and mark, and the line and paragraph separators written as
/// `\u{XXXX}`. Transcript-derived text (ids, n-grams, verdict values, group values) passes through this
/// before it reaches a terminal, so it cannot move the cursor, recolour or reorder what is shown.
func terminalSafe(_ text: String, keepNewlines: Bool = false) -> String {
    func unsafe(_ v: UInt32) -> Bool {
        if keepNewlines && (v == 0x0A || v == 0x09) { return false }
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x2028 || v == 0x2029 || v == 0x200E || v == 0x200F || v == 0x061C
    }
    guard text.unicodeScalars.contains(where: { unsafe($0.value) }) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        if unsafe(scalar.value) {
            out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
        } else {
            out.append(scalar)
        }
    }
    return String(out)
}
