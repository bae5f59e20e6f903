import ArchiveIO
import Foundation
import LabelPipeline
import LabelSinks
import RunReports

/// Writes `label`'s `--manifest` and `--metrics` (atomically): for a completed run, for one that
/// stopped on a signal, and — through `Interrupts.lastWords` — for one the watchdog ends while it is
/// blocked reading (then the per-input counts are unknown, and the manifest says so).
///
/// Checked `Sendable`: every stored property is an immutable value of a `Sendable` type.
struct RunReportWriter: Sendable {
    var manifest: String?
    var metrics: String?
    var command: [String]
    var rulesHash: String?
    var rulesName: String?
    var modelHash: String?
    var started: Date
    var threads: Int
    var shard: String?
    var specs: [InputSpec]
    var frameRanges: [Int: Range<Int>]
    var operandFaults: [ArchiveError]
    var outputs: [String: String]

    var wanted: Bool { manifest != nil || metrics != nil }

    /// Writes both files. `counts` are the run's per-input counts (nil when unknown); `summary` feeds the
    /// rates and gaps of the metrics.
    /// - Throws: the write error of either file.
    /// - Parameter lastWords: true on the watchdog's thread (see `writeAtomically(_:to:committing:)`).
    func write(status: Int32, published: Bool, counts: [RunOutcome.InputCounts]?, summary: LabelSinks.Summary?,
               note: String? = nil, lastWords: Bool = false) throws {
        guard wanted else { return }
        var inputs = specs.enumerated().map { i, spec in
            var st = stat()
            let ok = spec.path.map { stat($0, &st) == 0 } ?? false
            let c = counts.flatMap { i < $0.count ? $0[i] : nil } ?? RunOutcome.InputCounts()
            return RunManifest.Input(name: spec.displayName, sizeBytes: ok ? Int(st.st_size) : nil,
                                     modified: ok ? Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec)) : nil,
                                     decompressedBytes: c.bytes, labelled: c.labelled, rejected: c.rejected,
                                     fault: c.fault?.description,
                                     frames: frameRanges[i].map { "\($0.lowerBound)..\($0.upperBound == Int.max ? "end" : String($0.upperBound - 1))" })
        }
        inputs += operandFaults.map {
            RunManifest.Input(name: $0.input, sizeBytes: nil, modified: nil, decompressedBytes: 0, labelled: 0, rejected: 0,
                              fault: $0.description, frames: nil)
        }
        var m = RunManifest(command: command, afscanVersion: AfscanVersion.string, rulesHash: rulesHash, rulesName: rulesName,
                            modelHash: modelHash, started: started, finished: Date(), threads: threads, shard: shard,
                            inputs: inputs, rejectedByReason: summary?.totals.rejectedByReason ?? [:], outputs: outputs,
                            exitStatus: status, published: published)
        m.note = note
        if let manifest { try writeAtomically(try m.jsonData(), to: manifest, committing: !lastWords) }
        if let metrics { try writeAtomically(Data(RunMetrics.render(m, summary: summary).utf8), to: metrics, committing: !lastWords) }
    }
}
