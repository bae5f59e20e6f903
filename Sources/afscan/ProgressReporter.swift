import AfscanCore
import Dispatch
import Foundation
import Synchronization

/// The progress line of a long run (`--progress`), on stderr, fed by `ProgressCounters` that the
/// pipeline bumps with atomic adds; this reporter's own thread reads them on a timer, so the hot path
/// takes no lock for it.
///
/// - On a terminal: one line redrawn in place (`\r`, then the line, then erase-to-end `ESC[K`) at most
///   10 times a second, the first after 0.1 s; any other stderr message first erases it
///   (`Stderr.write`), and `stop()` erases it, so messages and the final table start on a clean line.
/// - Not a terminal (`--progress always` only): one plain line (no `\r`, no escape unless
///   `--color always`) every `plainInterval` seconds (60; `AFSCAN_PROGRESS_INTERVAL` in seconds
///   overrides it, for tests).
///
/// The line: `afscan VERB: 512.0 MB of 1.2 GB (42%), 1,234,567 records, 45.6 MB/s, ETA 0:12`. MB are
/// 10⁶ bytes of what `ProgressCounters.bytes` counts (bytes on disk: compressed bytes for zstd inputs;
/// for `generate`, uncompressed bytes written towards `--size`); MB/s is the mean since the start; the
/// percentage and ETA need `totalBytes` (absent for standard input).
final class ProgressReporter: Sendable {
    let verb: String
    let counters: ProgressCounters
    let totalBytes: Int64?
    let terminal: Bool
    let plainInterval: Double
    private let started = DispatchTime.now()
    private let stopRequest = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)

    /// Seconds between redraws on a terminal.
    static let terminalInterval = 0.1
    /// Seconds between plain lines when stderr is not a terminal.
    static let defaultPlainInterval = 60.0

    init(verb: String, counters: ProgressCounters, totalBytes: Int64?, terminal: Bool, plainInterval: Double) {
        self.verb = verb
        self.counters = counters
        self.totalBytes = totalBytes
        self.terminal = terminal
        self.plainInterval = plainInterval
    }

    /// `AFSCAN_PROGRESS_INTERVAL` (positive seconds) or `defaultPlainInterval`.
    static func plainInterval(_ environment: [String: String]) -> Double {
        if let text = environment["AFSCAN_PROGRESS_INTERVAL"], let seconds = Double(text), seconds > 0, seconds.isFinite { return seconds }
        return defaultPlainInterval
    }

    /// Starts the timer thread.
    func start() {
        let thread = Thread { [self] in
            let interval = terminal ? Self.terminalInterval : plainInterval
            while stopRequest.wait(timeout: .now() + interval) == .timedOut {
                if terminal { Stderr.frame(line()) } else { Stderr.ownLine(line()) }
            }
            if terminal { Stderr.clearFrame() }
            finished.signal()
        }
        thread.name = "afscan-progress"
        thread.start()
    }

    /// Stops the timer and erases the terminal line; returns once nothing more will be drawn. Later
    /// calls do nothing.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        stopRequest.signal()
        finished.wait()
    }

    /// The progress text now.
    func line() -> String {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return Self.text(verb: verb, bytes: counters.bytes, records: counters.records, totalBytes: totalBytes, elapsed: elapsed)
    }

    /// `afscan VERB: DONE[ of TOTAL (P%)], N records, R MB/s[, ETA M:SS]`; deterministic for given inputs.
    static func text(verb: String, bytes: Int64, records: Int64, totalBytes: Int64?, elapsed: Double) -> String {
        var parts: [String] = []
        var done = megabytes(bytes)
        if let total = totalBytes, total > 0 {
            let percent = min(100, Int(Double(bytes) * 100 / Double(total)))
            done += " of \(megabytes(total)) (\(percent)%)"
        }
        parts.append(done)
        parts.append("\(grouped(records)) records")
        let rate = elapsed > 0 ? Double(bytes) / elapsed : 0
        parts.append(String(format: "%.1f MB/s", locale: nil, rate / 1e6))
        if let total = totalBytes, total > 0, rate > 0 {
            let left = max(0, Double(total - bytes)) / rate
            parts.append("ETA " + Colour.paint(duration(left), "1"))
        }
        return Colour.paint("afscan \(verb):", "36") + " " + parts.joined(separator: ", ")
    }

    /// `123.4 MB` (10⁶ bytes), `1.2 GB` from 10⁹ bytes.
    static func megabytes(_ bytes: Int64) -> String {
        let b = Double(bytes)
        return b >= 1e9 ? String(format: "%.1f GB", locale: nil, b / 1e9) : String(format: "%.1f MB", locale: nil, b / 1e6)
    }

    /// `1,234,567`.
    static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `M:SS`, or `H:MM:SS` from an hour.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, sec) : String(format: "%d:%02d", m, sec)
    }
}
