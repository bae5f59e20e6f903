import AfscanCore
import ArchiveIO
import ArgumentParser
import Foundation
import Synchronization

/// `--progress auto|always|never` and `--color auto|always|never`, shared by `label`, `eval`, `train`,
/// `generate` and `bench`.
struct DisplayOptions: ParsableArguments {
    enum ProgressMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }
    enum ColorMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    @Option(help: ArgumentHelp("Progress on stderr: auto (a line redrawn at most 10 times a second when stderr is a terminal, nothing otherwise), always (also when stderr is not a terminal: then one plain line a minute), never.", valueName: "when"))
    var progress: ProgressMode = .auto

    @Option(help: ArgumentHelp("Colour on stderr (progress line, warning and note prefixes): auto (when stderr is a terminal and NO_COLOR is unset or empty), always, never. JSON, JSONL and CSV outputs never hold colour.", valueName: "when"))
    var color: ColorMode = .auto

    /// Sets `Colour.enabled` for this process: call once, first thing in `run()`.
    func apply() {
        Colour.enabled = Colour.decide(color, stderrIsTerminal: isatty(2) != 0, environment: ProcessInfo.processInfo.environment)
    }

    /// The progress line for `verb` over `counters`, or nil when none is to be shown (`quiet`,
    /// `--progress never`, or `auto` with stderr not a terminal). Started; call `stop()` when the work ends.
    /// - Parameter totalBytes: what `counters.bytes` counts up to (the inputs' sizes on disk), nil when
    ///   unknown (standard input): then no percentage and no ETA.
    /// - Parameter rowsOnStandardOutput: the command writes rows to standard output; with `auto`, a
    ///   terminal there (usually the same as stderr's) gets no progress line between its rows.
    func startProgress(_ verb: String, counters: ProgressCounters, totalBytes: Int64?, quiet: Bool,
                       rowsOnStandardOutput: Bool = false) -> ProgressReporter? {
        let terminal = isatty(2) != 0
        if quiet || progress == .never || (progress == .auto && !terminal) { return nil }
        if progress == .auto && rowsOnStandardOutput && isatty(1) != 0 { return nil }
        let reporter = ProgressReporter(verb: verb, counters: counters, totalBytes: totalBytes, terminal: terminal,
                                        plainInterval: ProgressReporter.plainInterval(ProcessInfo.processInfo.environment))
        reporter.start()
        return reporter
    }
}

/// ANSI colour on stderr (SGR codes: afscan's own text only, never transcript text, never JSON/JSONL/CSV).
enum Colour {
    private static let on = Atomic<Bool>(false)

    /// Whether stderr gets colour in this process (`DisplayOptions.apply()`).
    static var enabled: Bool {
        get { on.load(ordering: .relaxed) }
        set { on.store(newValue, ordering: .relaxed) }
    }

    /// `never` → false; `always` → true; `auto` → stderr is a terminal, `NO_COLOR` is unset or empty
    /// (no-color.org: a non-empty value turns colour off) and `TERM` is not `dumb`.
    static func decide(_ mode: DisplayOptions.ColorMode, stderrIsTerminal: Bool, environment: [String: String]) -> Bool {
        switch mode {
        case .never: return false
        case .always: return true
        case .auto:
            return stderrIsTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
    }

    /// `text` in the SGR colour `code` (e.g. "33" yellow) when colour is on; `text` otherwise.
    static func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// A stderr message with its `warning:` (yellow) or `note:` (cyan) prefix coloured when colour is on.
    static func message(_ line: String) -> String {
        guard enabled else { return line }
        for (prefix, code) in [("afscan: warning:", "33"), ("afscan: note:", "36")] where line.hasPrefix(prefix) {
            return "afscan: " + paint(String(prefix.dropFirst(8)), code) + line.dropFirst(prefix.count)
        }
        return line
    }
}

extension DisplayOptions {
    /// The inputs' sizes on disk in bytes (compressed sizes for zstd files: what `ProgressCounters`
    /// counts for the ETA), or nil when one is standard input or cannot be measured.
    static func inputBytes(_ specs: [InputSpec]) -> Int64? {
        var total: Int64 = 0
        for spec in specs {
            guard let path = spec.path else { return nil }
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
            total += Int64(st.st_size)
        }
        return total
    }
}
