import AfscanCore
import ArgumentParser
import Foundation
import SyntheticCorpus

/// `afscan generate`: a realistic synthetic rollout archive of a given size and seed, for
/// benchmarks and scale tests (results or chat layout; plain JSONL, single-frame or
/// line-aligned multi-frame zstd). Same options → same bytes.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a deterministic synthetic rollout archive (results or chat layout) for benchmarks and scale tests.",
        discussion: """
        Records carry 10–30 KB system prompts full of scratchpad tags and training vocabulary, \
        1–3 <SCRATCHPAD_REASONING> blocks of 1–10 KB, refusals, alignment-faking reasoning, JSON \
        escapes and non-ASCII text. Sizes accept B, KB, MB, GB (powers of 1000) and KiB, MiB, GiB. \
        The output is written to a temporary file and renamed (as label's outputs: a symlink is followed, a \
        device or FIFO is written in place, a directory is refused); a name ending in .zst is zstd-compressed. \
        A one-line report (records, bytes, frames) goes to stderr.
        """
    )

    @Option(name: [.short, .long], help: ArgumentHelp("Archive to write (.zst → zstd, else plain JSONL); - writes plain JSONL to standard output.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Uncompressed size target; the archive ends within one record above it.", valueName: "size"))
    var size: String

    @Option(help: ArgumentHelp("Record shape: results or chat.", valueName: "layout"))
    var layout: String = CorpusLayout.results.rawValue

    @Option(help: "PRNG seed; the same seed and options give the same bytes.")
    var seed: UInt64 = 42

    @Option(name: .customLong("frame-bytes"), help: ArgumentHelp(
        "Start a new independent zstd frame every ~N uncompressed bytes, at a record boundary (default: one frame).",
        valueName: "size"))
    var frameBytes: String?

    @Option(help: "zstd compression level.")
    var level: Int32 = 3

    @Option(name: .customLong("refusal-rate"), help: "Share of records that refuse, 0–1.")
    var refusalRate: Double = 0.33

    @Option(name: .customLong("af-rate"), help: "Share of records with alignment-faking reasoning, 0–1.")
    var afRate: Double = 0.15

    @Option(name: .customLong("system-prompt-kb"), help: ArgumentHelp("System prompt size range in KB (1 KB = 1000 bytes).", valueName: "lo-hi"))
    var systemPromptKB: String = "10-30"

    @Option(help: ArgumentHelp("Stop after this many records even if --size is not reached.", valueName: "n"))
    var records: Int?

    @Flag(name: [.short, .long], help: "Print only errors (no progress line, no statistics line).")
    var quiet = false

    @OptionGroup var display: DisplayOptions

    /// Options parsed and checked; thrown errors are usage errors (exit 64).
    func corpusOptions() throws -> (CorpusOptions, frameBytes: Int64?) {
        var o = CorpusOptions()
        guard let layout = CorpusLayout(rawValue: layout) else {
            throw ValidationError("--layout must be one of: \(CorpusLayout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        o.layout = layout
        o.seed = seed
        o.refusalRate = refusalRate
        o.alignmentFakingRate = afRate
        o.maxRecords = records
        var frames: Int64?
        do {
            o.targetBytes = try ByteSize.parse(size)
            o.systemPromptBytes = try ByteSize.parseKilobyteRange(systemPromptKB)
            if let frameBytes { frames = try ByteSize.parse(frameBytes) }
            try o.validate()
        } catch let error as CorpusError {
            throw ValidationError(error.description)
        }
        if let frames, frames <= 0 { throw ValidationError("--frame-bytes must be positive") }
        guard level >= ZstdLevels.min, level <= ZstdLevels.max else {
            throw ValidationError("--level must be within \(ZstdLevels.min)...\(ZstdLevels.max)")
        }
        return (o, frames)
    }

    func validate() throws {
        _ = try corpusOptions()
    }

    func run() throws {
        Stderr.quiet = quiet
        display.apply()
        let (options, frames) = try corpusOptions()
        let interrupts = InterruptWatcher()  // held for the run: the watchdog gives it time to stop by itself
        defer { withExtendedLifetime(interrupts) {} }
        do {
            let generator = try CorpusGenerator(options: options)
            // The ETA compares uncompressed bytes written with the --size target.
            let counters = ProgressCounters()
            let progress = display.startProgress("generate", counters: counters, totalBytes: options.targetBytes, quiet: quiet,
                                                 rowsOnStandardOutput: output == "-")
            defer { progress?.stop() }
            let stats = try generator.writeArchive(
                path: output, level: level, frameBytes: frames, isCancelled: { InterruptWatcher.signal != nil }, progress: counters)
            progress?.stop()
            if !quiet { Stderr.line("afscan generate: \(output): \(stats.summaryLine)") }
        } catch CorpusError.cancelled {
            let sig = InterruptWatcher.signal ?? SIGINT
            Stderr.line("afscan generate: interrupted; \(output) not written")
            throw ExitCode(InterruptWatcher.exitCode(sig))
        } catch CorpusError.output(let error) where error.code == .brokenPipe {
            return  // `-o -` into a reader that stopped early (`| head`): quiet, as for label rows
        } catch let error as CorpusError {
            Stderr.line("afscan generate: \(error)")
            throw ExitCode(2)
        }
    }
}
