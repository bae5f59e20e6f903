import AfscanCore
import ArchiveIO
import Benchmark
import Foundation
import LabelPipeline
import PatternScoring
import SyntheticCorpus
import Synchronization

// End-to-end throughput on a synthetic results-layout archive (`afscan generate`, seed 7, 10–30 KB
// system prompts, 1–3 scratchpad blocks of 1–10 KB), side by side with decoding the same archive.
// Throughput is reported per iteration (one pass over the archive); the archive's decompressed size
// is printed once so MB/s = size / time. docs/BENCHMARKS.md records the figures and the command.

let archiveMiB = Int64(ProcessInfo.processInfo.environment["AFSCAN_BENCH_MIB"].flatMap { Int64($0) } ?? 64)

/// The archive, written once per benchmark process into the temporary directory.
let archive: (path: String, bytes: Int64, records: Int) = {
    var options = CorpusOptions()
    options.seed = 7
    options.targetBytes = archiveMiB << 20
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("afscan-bench-\(archiveMiB)MiB-seed7.jsonl.zst").path
    let stats = try! CorpusGenerator(options: options).writeArchive(path: path, compressed: true, level: 3)
    FileHandle.standardError.write(Data("afscan bench archive: \(path): \(stats.summaryLine)\n".utf8))
    return (path, Int64(stats.uncompressedBytes), stats.records)
}()

let rules: (RuleSet, CompiledRules) = {
    let set = try! RuleSetLoader.load(yaml: DefaultRules.yaml)
    return (set, try! CompiledRules(set))
}()

/// Decompresses the archive with afscan's reader (libzstd streaming), discarding the bytes.
func decodeOnly() throws -> Int64 {
    let reader = try InputReader(InputSpec(path: archive.path), maxWindowLog: 27)
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var total: Int64 = 0
    while true {
        let n = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
        if n == 0 { break }
        total += Int64(n)
    }
    return total
}

/// The whole `afscan label` pipeline with `threads` workers, rows discarded.
func labelAll(threads: Int) -> RunOutcome {
    let run = LabelRun(ruleSet: rules.0, compiled: rules.1, options: LabelOptions(threads: threads))
    let written = Atomic<Int>(0)
    return run.run(inputs: [InputSpec(path: archive.path)],
                   sink: { written.add($0.count, ordering: .relaxed) },
                   diagnostics: { _ in })
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(20),
        maxIterations: 10
    )
    _ = archive
    _ = rules

    Benchmark("zstd decode (afscan reader)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try decodeOnly())
        }
    }

    Benchmark("label end to end, 1 worker") { benchmark in
        for _ in benchmark.scaledIterations {
            let o = labelAll(threads: 1)
            precondition(o.records == archive.records && o.rejected == 0)
            blackHole(o)
        }
    }

    Benchmark("label end to end, 2 workers") { benchmark in
        for _ in benchmark.scaledIterations {
            let o = labelAll(threads: 2)
            precondition(o.records == archive.records && o.rejected == 0)
            blackHole(o)
        }
    }
}
