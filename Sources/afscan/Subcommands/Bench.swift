import AfscanCore
import ArchiveIO
import ArgumentParser
import Foundation
import TokenModel
import LabelPipeline
import LabelSinks
import PatternScoring
import RecordFraming
import Scratchpad
import SimdJSON
import Synchronization

/// `afscan bench`: the throughput of `afscan label` on one archive, side by side with decompression of
/// the same archive in the same run, and the cost of each pipeline stage.
///
/// Three measurements, in this order, each one pass over the archive (the file is read once before, so
/// every pass finds it in the page cache):
/// 1. decompression alone: libzstd in process (afscan's `InputReader`, 1 MiB reads), and the zstd CLI
///    as a subprocess (`zstd -dc ARCHIVE > /dev/null`) when one is on `PATH`;
/// 2. end to end: `LabelRun` with `-j` workers, rows encoded and discarded (no output file);
/// 3. staged, one thread: decode, frame, then per record parse, extract, token stream, model, normalize, scan, score
///    (`RecordLabeler` stage clocks), encode and summary, each timed separately over the same records.
///
/// MB/s are uncompressed input bytes (10^6) per second of the stage's own time; records/s likewise.
/// Wall-clock figures: on a shared machine run it a few times and read the best.
///
/// Exit status 1, with a message naming the archive and the reason, when the archive cannot be opened
/// (missing, unreadable, a directory) or decoded, or holds no record (as `afscan label` for its inputs).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure label throughput per stage and end to end against zstd decompression of the same archive.",
        discussion: """
        Prints uncompressed MB/s and records/s for: zstd decoding (in process and, when the zstd CLI \
        exists, `zstd -dc ARCHIVE > /dev/null`), the whole label pipeline with -j workers (rows \
        discarded), and each stage of a single-threaded staged pass (decode, frame, parse, extract, \
        token stream, model, normalize, scan, score, encode, summary), with the ratio of the label pipeline to \
        decompression. Pin cores with taskset for comparable figures.
        """
    )

    @Argument(help: "A results/chat/flat archive (plain or zstd), e.g. from `afscan generate`.")
    var archive: String

    @Option(name: [.customShort("j"), .long], help: "Workers of the end-to-end pass; 0 = one per core.")
    var threads: Int = 1

    @Option(help: ArgumentHelp("A YAML rule file instead of the built-in default rules.", valueName: "file"))
    var rules: String?

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Input layout: auto, results, chat or flat.")
    var layout: String = "auto"

    @Option(name: .customLong("zstd"), help: ArgumentHelp("The zstd CLI to time ('' = skip it).", valueName: "path"))
    var zstdCLI: String = "zstd"

    @Option(name: .customLong("max-window-log"), help: WindowLogOption.help)
    var maxWindowLog: Int = 27

    @Flag(help: "Also print the figures as one JSON object on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "Print only errors (no progress line and no table on stderr; --json still prints the figures).")
    var quiet = false

    @OptionGroup var display: DisplayOptions

    @Option(name: .customLong("rule-costs"), help: ArgumentHelp(
        "Also time each rule's patterns alone over the normalized blocks of the first N records and list the most expensive rules (0 = skip).",
        valueName: "n"))
    var ruleCostRecords: Int = 0

    func validate() throws {
        guard (0...1024).contains(threads) else { throw ValidationError("--threads must be between 0 (one per core) and 1024") }
        guard Layout(rawValue: layout) != nil else {
            throw ValidationError("--layout must be one of auto, results, chat, flat (got '\(layout)')")
        }
        try WindowLogOption.validate(maxWindowLog)
        guard ruleCostRecords >= 0 else { throw ValidationError("--rule-costs must be 0 or more") }
    }

    func run() throws {
        Stderr.quiet = quiet
        display.apply()
        let spec = InputSpec(path: archive)
        // An archive that cannot be opened (missing, unreadable, a directory) is named with the reason.
        // bench reads the archive several times (page-cache warm-up, decode, zstd -dc, label): a pipe or
        // FIFO would be drained by the first pass and block the next in open(2).
        var st = stat()
        if stat(archive, &st) == 0, [S_IFIFO, S_IFCHR, S_IFSOCK].contains(st.st_mode & S_IFMT) {
            inputFailed("\(archive): bench needs a regular file: it reads the archive several times (a pipe, FIFO or device can be read once)")
        }
        do { _ = try InputReader(spec, maxWindowLog: maxWindowLog) } catch { inputFailed(error) }
        let ruleSet = try loadRules(rules)
        let compiled = compileRules(ruleSet, from: rules)
        let mapping = FieldMapping(layout: Layout(rawValue: layout)!)
        let model = try modelOptions.load()
        var options = LabelOptions(mapping: mapping, threads: threads, maxWindowLog: maxWindowLog)
        options.model = model
        options.criteria = modelOptions.criteriaMode
        options.explainTerms = modelOptions.explainTermCount

        // Warm the page cache so no pass pays for the disk.
        var compressedBytes = 0
        do {
            let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: archive))
            defer { try? file.close() }
            while let d = try file.read(upToCount: 1 << 22), !d.isEmpty { compressedBytes += d.count }
        } catch { inputFailed("\(archive): cannot read input: \(error.localizedDescription)") }

        // 1. Decompression alone.
        var decode = Stopwatch()
        var bytes: Int64 = 0
        do {
            let reader = try InputReader(spec, maxWindowLog: maxWindowLog)
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                if n == 0 { break }
                bytes += Int64(n)
            }
        } catch { inputFailed(error) }
        decode.stop()
        let cli = zstdCLI.isEmpty ? nil : timeZstdCLI(zstdCLI)

        // 2. End to end.
        let counters = ProgressCounters()
        options.progress = counters
        let progress = display.startProgress("bench (label end to end)", counters: counters, totalBytes: Int64(compressedBytes), quiet: quiet)
        var endToEnd = Stopwatch()
        let rowBytes = Atomic<Int>(0)
        let outcome = LabelRun(ruleSet: ruleSet, compiled: compiled, options: options).run(
            inputs: [spec], sink: { rowBytes.add($0.count, ordering: .relaxed) }, diagnostics: { _ in })
        endToEnd.stop()
        progress?.stop()

        // 3. Staged, one thread.
        let staged = stagedPass(spec: spec, ruleSet: ruleSet, compiled: compiled, mapping: mapping, model: model, criteria: modelOptions.criteriaMode,
                                 explainTerms: modelOptions.explainTermCount)

        let mb = Double(bytes) / 1e6
        let records = Double(outcome.records)
        func rate(_ s: Double) -> String { s > 0 ? String(format: "%9.1f MB/s %10.0f rec/s", mb / s, records / s) : "" }
        var lines: [String] = []
        lines.append("afscan bench \(archive): \(compressedBytes) B compressed, \(bytes) B uncompressed, \(outcome.records) records (\(outcome.rejected) rejected), rules \(ruleSet.name) (\(compiled.stringCount) patterns)")
        func row(_ name: String, _ seconds: Double) -> String {
            pad(name, 34) + String(format: " %8.3f s ", seconds) + rate(seconds)
        }
        lines.append(pad("pass", 34) + "  seconds    throughput (uncompressed bytes and records)")
        lines.append(row("zstd decode, in process", decode.seconds))
        if let cli {
            lines.append(row("zstd -dc > /dev/null", cli))
        } else {
            lines.append(pad("zstd -dc > /dev/null", 34) + " (not run: no zstd CLI)")
        }
        lines.append(row("label end to end, -j \(options.resolvedThreads)", endToEnd.seconds))
        lines.append(String(format: "ratio label / in-process decode: %.3f×", decode.seconds / endToEnd.seconds))
        if let cli { lines.append(String(format: "ratio label / zstd -dc:          %.3f×", cli / endToEnd.seconds)) }
        lines.append("staged pass, one thread (each stage's own time):")
        let stagedTotal = staged.map(\.seconds).reduce(0, +)
        for s in staged {
            lines.append(row("  " + s.name, s.seconds) + String(format: " %5.1f%%", 100 * s.seconds / stagedTotal))
        }
        lines.append(row("  sum of stages", stagedTotal))
        for l in lines where !quiet { Stderr.line(l) }
        if ruleCostRecords > 0 {
            ruleCosts(spec: spec, ruleSet: ruleSet, compiled: compiled, mapping: mapping)
        }

        if json {
            var o: [String: Any] = [
                "archive": archive, "compressed_bytes": compressedBytes, "uncompressed_bytes": bytes,
                "records": outcome.records, "rejected": outcome.rejected, "threads": options.resolvedThreads,
                "patterns": compiled.stringCount,
                "decode_seconds": decode.seconds, "label_seconds": endToEnd.seconds,
                "ratio_to_decode": decode.seconds / endToEnd.seconds,
                "stages": Dictionary(uniqueKeysWithValues: staged.map { ($0.name, $0.seconds) }),
            ]
            if let cli {
                o["zstd_cli_seconds"] = cli
                o["ratio_to_zstd_cli"] = cli / endToEnd.seconds
            }
            let data = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
            writeToStandardOutput(data + Data("\n".utf8))
        }
        if outcome.records == 0 { throw ExitCode(1) }
    }

    /// Seconds of `zstd -dc archive > /dev/null`, or nil when the CLI cannot be started or fails.
    private func timeZstdCLI(_ tool: String) -> Double? {
        let process = Process()
        if tool.contains("/") {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = ["-dc", "-q", archive]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool, "-dc", "-q", archive]
        }
        guard let devNull = FileHandle(forWritingAtPath: "/dev/null") else { return nil }
        process.standardOutput = devNull
        process.standardError = devNull
        var t = Stopwatch()
        do { try process.run() } catch { return nil }
        process.waitUntilExit()
        t.stop()
        return process.terminationStatus == 0 ? t.seconds : nil
    }

    /// One thread, every stage timed on its own over the same records.
    private func stagedPass(spec: InputSpec, ruleSet: RuleSet, compiled: CompiledRules,
                            mapping: FieldMapping, model: LinearModel?, criteria: CriteriaMode,
                            explainTerms: Int) -> [(name: String, seconds: Double)] {
        let maxRecordBytes = 64 << 20
        let labeler = RecordLabeler(ruleSet: ruleSet, compiled: compiled, scorer: Scorer(ruleSet: ruleSet),
                                    mapping: mapping, maxRecordBytes: maxRecordBytes, model: model, criteria: criteria,
                                    explainTerms: explainTerms)
        let encoder = LabelRowEncoder()
        var summary = SummaryAccumulator(groupBy: mapping.groupBy)
        var times = RecordLabeler.StageTimes()
        var decode = 0.0, frame = 0.0, encode = 0.0, summarize = 0.0
        var out: [UInt8] = []
        func label(_ batches: [RecordBatch]) {
            for batch in batches {
                out.removeAll(keepingCapacity: true)
                for rec in batch.records {
                    let (row, groups) = labeler.label(rec, in: batch, file: spec.displayName, times: &times)
                    var t = Stopwatch()
                    encoder.append(row, to: &out)
                    encode += t.lap()
                    summary.add(record: row, groupValues: groups)
                    summarize += t.lap()
                }
            }
        }
        do {
            let reader = try InputReader(spec, maxWindowLog: maxWindowLog)
            let framer = RecordFramer(mode: nil, maxRecordBytes: maxRecordBytes)
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                var t = Stopwatch()
                let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                decode += t.lap()
                if n == 0 { break }
                let batches = chunk.withUnsafeBytes { framer.push(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                frame += t.lap()
                label(batches)
            }
            var t = Stopwatch()
            let rest = framer.finish()
            frame += t.lap()
            label(rest)
        } catch { inputFailed(error) }
        var stages: [(String, Double)] = [("decode (zstd)", decode), ("frame", frame)]
        for s in RecordLabeler.Stage.allCases { stages.append((Self.stageName(s), times.seconds(s))) }
        stages.append(("encode rows", encode))
        stages.append(("summary", summarize))
        return stages
    }
}

extension Bench {
    /// The stage's name in the table (every stage has one: the switch is exhaustive).
    static func stageName(_ stage: RecordLabeler.Stage) -> String {
        switch stage {
        case .parse: return "parse (simdjson)"
        case .extract: return "extract"
        case .tokenize: return "token stream"
        case .model: return "model"
        case .normalize: return "normalize (rules)"
        case .scan: return "scan (Vectorscan)"
        case .score: return "score (rules), row"
        }
    }

    /// Times the scan of the normalized blocks of the first `ruleCostRecords` records (the first pass
    /// alone and the whole scan) with the whole rule set, with each half of it, and with each rule alone (its own database, compiled without the
    /// cache), and prints the rules whose patterns cost most. Best of 3 passes each (wall clock, so read
    /// it as a ranking, not as exact costs). The halves and singles do not add up to the whole: one
    /// database shares literal prefilters across patterns.
    func ruleCosts(spec: InputSpec, ruleSet: RuleSet, compiled: CompiledRules, mapping: FieldMapping) {
        var blocks: [(kind: BlockKind, text: NormalizedText)] = []
        do {
            let reader = try InputReader(spec, maxWindowLog: maxWindowLog)
            let framer = RecordFramer(mode: nil, maxRecordBytes: 64 << 20)
            let parser = JSONParser()
            let extractor = RecordExtractor(mapping: mapping)
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            var records = 0
            func collect(_ batches: [RecordBatch]) {
                for batch in batches {
                    for rec in batch.records where rec.fault == nil && records < ruleCostRecords {
                        records += 1
                        batch.storage.withUnsafeBytes { raw in
                            guard let root = try? parser.parse(UnsafeRawBufferPointer(rebasing: raw[rec.range]), hasPadding: true),
                                  let ex = try? extractor.extract(root) else { return }
                            for b in ex.blocks {
                                let kind: BlockKind = switch b.kind {
                                case .scratchpad: .scratchpad
                                case .reasoning: .reasoning
                                case .draft: .draft
                                case .output: .output
                                }
                                let text = ex.fields[b.field].bytes.withUnsafeBufferPointer { Normalizer.normalize($0, ranges: b.ranges) }
                                blocks.append((kind, text))
                            }
                        }
                    }
                }
            }
            while records < ruleCostRecords {
                let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                if n == 0 { break }
                collect(chunk.withUnsafeBytes { framer.push(UnsafeRawBufferPointer(rebasing: $0[0..<n])) })
            }
            collect(framer.finish())
        } catch { inputFailed(error) }
        let textBytes = blocks.reduce(0) { $0 + $1.text.bytes.count }

        /// Best of 3 (first pass only, whole scan).
        func costs(_ rules: CompiledRules) -> (first: Double, whole: Double) {
            let scanner = RuleScanner(rules)
            var first = Double.infinity, whole = Double.infinity
            for _ in 0..<3 {
                var t = Stopwatch()
                for b in blocks {
                    b.text.bytes.withUnsafeBufferPointer { text in
                        b.text.sentenceStarts.withUnsafeBufferPointer { scanner.firstPass(kind: b.kind, text: text, sentenceStarts: $0) }
                    }
                }
                first = min(first, t.lap())
                for (i, b) in blocks.enumerated() {
                    _ = scanner.scan(block: i, kind: b.kind, text: b.text.bytes, sentenceStarts: b.text.sentenceStarts)
                }
                whole = min(whole, t.lap())
            }
            return (first, whole)
        }
        func cost(_ rules: CompiledRules) -> Double { costs(rules).whole }
        func subset(_ indices: some Sequence<Int>) -> CompiledRules? {
            var sub = ruleSet
            sub.rules = indices.map { ruleSet.rules[$0] }
            return try? CompiledRules(sub, useCache: false)
        }
        let all = costs(compiled)
        Stderr.line(String(format: "rule costs over %d blocks, %d normalized bytes: all %d rules: first pass %.3f s (%.1f MB/s of text), whole scan %.3f s (%.1f MB/s)",
                           blocks.count, textBytes, ruleSet.rules.count, all.first, Double(textBytes) / all.first / 1e6,
                           all.whole, Double(textBytes) / all.whole / 1e6))
        let half = ruleSet.rules.count / 2
        if let first = subset(0..<half), let second = subset(half..<ruleSet.rules.count) {
            let a = costs(first), b = costs(second)
            Stderr.line(String(format: "  rules 0..<%d: first pass %.3f s, whole %.3f s; rules %d..<%d: first pass %.3f s, whole %.3f s",
                               half, a.first, a.whole, half, ruleSet.rules.count, b.first, b.whole))
        }
        var singles: [(rule: String, patterns: Int, seconds: Double)] = []
        for (r, rule) in ruleSet.rules.enumerated() {
            guard let one = subset([r]) else { continue }
            singles.append((rule.id, rule.strings.count, cost(one)))
        }
        singles.sort { $0.seconds > $1.seconds }
        Stderr.line("  most expensive rules alone (seconds, MB/s of text, patterns):")
        for s in singles.prefix(15) {
            Stderr.line("    " + pad(s.rule, 48) + String(format: " %.3f s %8.1f MB/s  %d", s.seconds, Double(textBytes) / s.seconds / 1e6, s.patterns))
        }
        let total = singles.reduce(0) { $0 + $1.seconds }
        Stderr.line(String(format: "  sum of the %d single-rule scans: %.3f s", singles.count, total))
    }
}

/// An archive that cannot be opened or decoded: `afscan: ERROR` on stderr and exit 1, as `afscan label`
/// exits for an input it cannot open or decode (the error names the file and the reason).
private func inputFailed(_ error: Any) -> Never {
    Stderr.line("afscan: \(error)")
    Foundation.exit(1)
}

/// `s` padded with spaces to at least `width` characters.
private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

/// A monotonic stopwatch (Dispatch uptime, nanoseconds).
private struct Stopwatch {
    private var start = DispatchTime.now().uptimeNanoseconds
    private(set) var seconds = 0.0

    /// Records the time since the start (or the last `lap`) in `seconds`.
    mutating func stop() { seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// Seconds since the start or the previous lap; restarts the stopwatch.
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { start = now }
        return Double(now - start) / 1e9
    }
}
