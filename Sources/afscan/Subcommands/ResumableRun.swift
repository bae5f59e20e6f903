import AfscanCore
import ArchiveIO
import Foundation
import LabelPipeline
import LabelSinks

/// `label --resume`: the run is cut into parts — one per input, and a large multi-frame zstd archive into
/// runs of frames of about `chunkBytes` compressed bytes — and each finished part is kept in a state
/// directory (rows, summary counts, per-input counts), with an entry in its `state.json`. A rerun with the
/// same arguments skips the finished parts, labels the rest, and publishes the same final outputs as one
/// uninterrupted run: the parts' rows concatenated in input order, the summary recomputed from their
/// summed counts. Outputs are still published only when every part is done; a signal keeps the finished
/// parts.
///
/// A part is reused only when its input is unchanged (path, size, modification time, and a SHA-256 of its
/// first and last MiB), its frame range is the same, and the run's fingerprint (afscan version, rules
/// hash, model hash and every argument that shapes the rows) matches; otherwise it is labelled again.
///
/// Cost: a frame-range part decodes and frames (never scores) the frames before its range, to number
/// its records as one run would (≈ 1.3 GB/s per core); parts are ≥ `chunkBytes` so that this stays small.
struct ResumableRun {
    var state: String
    var fingerprint: String
    /// Compressed bytes per frame-range part (`AFSCAN_RESUME_CHUNK_BYTES` overrides, for tests).
    var chunkBytes: Int

    struct Part {
        var input: Int
        var spec: InputSpec
        var frames: Range<Int>?
        var key: String
    }

    /// What a finished part came to, as kept in `state.json`.
    struct Entry: Codable, Equatable {
        var key: String
        var input: String
        var identity: String
        var frames: String?
        var fingerprint: String
        var file: String
        var rowsBytes: Int
        var labelled: Int
        var rejected: Int
        var bytes: Int64
        var fault: Fault?
        var conditionFieldMissing: Int
        var conditionValueUnmapped: Int

        struct Fault: Codable, Equatable {
            var code: String
            var message: String
            var input: String
            var compressedOffset: Int64?
            var decompressedOffset: Int64
        }
    }

    struct StateFile: Codable {
        var schema = "afscan.resume-state/v1"
        var parts: [Entry] = []
    }

    /// The parts of `specs`: whole inputs, and runs of frames of a multi-frame zstd archive larger than
    /// twice `chunkBytes`. `baseRanges` are `--shard` frame ranges (a part never leaves its shard's range).
    func parts(_ specs: [InputSpec], baseRanges: [Int: Range<Int>]) -> [Part] {
        var out: [Part] = []
        for (i, spec) in specs.enumerated() {
            let identity = Self.identity(spec)
            let whole = Part(input: i, spec: spec, frames: baseRanges[i], key: "\(identity):\(baseRanges[i].map { "\($0)" } ?? "all")")
            guard let path = spec.path, let file = try? ArchiveFile(path: path, displayName: spec.displayName),
                  file.size > 2 * chunkBytes else {
                out.append(whole)
                continue
            }
            let index = ZstdFrameIndex(scanning: file)
            let base = baseRanges[i] ?? 0..<Int.max
            let frames = Array(index.frames.indices.filter { base.contains($0) })
            guard frames.count >= 2 else {
                out.append(whole)
                continue
            }
            var start = frames[0], bytes = 0
            for f in frames {
                bytes += index.frames[f].compressed.count
                let last = f == frames.last!
                if bytes >= chunkBytes || last {
                    // The part that holds the archive's (or the shard's) last frame owns what follows it.
                    let upper = last ? base.upperBound : f + 1
                    out.append(Part(input: i, spec: spec, frames: start..<upper, key: "\(identity):\(start)..<\(upper)"))
                    start = f + 1
                    bytes = 0
                }
            }
        }
        return out
    }

    /// `path:size:mtime:sha256(first MiB + last MiB)` of a file; `-` for standard input.
    static func identity(_ spec: InputSpec) -> String {
        guard let path = spec.path else { return "-" }
        var st = stat()
        guard stat(path, &st) == 0, let h = FileHandle(forReadingAtPath: path) else { return "\(path):missing" }
        defer { try? h.close() }
        var data = (try? h.read(upToCount: 1 << 20)) ?? Data()
        let size = Int(st.st_size)
        if size > 2 << 20 {
            try? h.seek(toOffset: UInt64(size - (1 << 20)))
            data += (try? h.read(upToCount: 1 << 20)) ?? Data()
        }
        return "\(path):\(size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(SHA256.hexDigest(data))"
    }

    func loadState() -> StateFile {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: state + "/state.json")),
              let file = try? JSONDecoder().decode(StateFile.self, from: data) else { return StateFile() }
        return file
    }

    func saveState(_ file: StateFile) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(try encoder.encode(file), to: state + "/state.json")
    }

    /// Labels every part not finished yet (each with its own `LabelRun` over one input), keeping each
    /// finished part; then writes the parts' rows in order into `sink` and returns the run's outcome as
    /// one run would have it. Returns early (outcome.interrupted) when `cancelled` turns true: the parts
    /// finished so far stay in the state directory.
    func run(_ specs: [InputSpec], baseRanges: [Int: Range<Int>], makeRun: (LabelOptions) -> LabelRun, options: LabelOptions,
             sink: OutputSink, groupBy: [String], diagnostics: @escaping @Sendable (String) -> Void,
             cancelled: @escaping @Sendable () -> Bool, note: (String) -> Void) throws -> RunOutcome {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        var file = loadState()
        let planned = parts(specs, baseRanges: baseRanges)
        var reused = 0
        var entries: [Entry] = []
        for (n, part) in planned.enumerated() {
            if cancelled() { return interrupted() }
            let rowsPath = state + "/part-\(n).jsonl"
            if let done = file.parts.first(where: { $0.key == part.key && $0.fingerprint == fingerprint }),
               let st = try? FileManager.default.attributesOfItem(atPath: state + "/" + done.file),
               (st[.size] as? Int) == done.rowsBytes,
               FileManager.default.fileExists(atPath: state + "/" + done.file + ".summary.json") {
                entries.append(done)
                reused += 1
                continue
            }
            var unitOptions = options
            unitOptions.frameRanges = part.frames.map { [0: $0] } ?? [:]
            let unitSink = try OutputSink(path: rowsPath, compressed: false)
            let outcome = makeRun(unitOptions).run(inputs: [part.spec], sink: { bytes in try unitSink.write(bytes) },
                                                   diagnostics: diagnostics, cancelled: cancelled)
            if cancelled() || outcome.interrupted {
                unitSink.abort()
                return interrupted()
            }
            if let e = outcome.sinkError { fatal("cannot write a resume part in \(state): \(e)") }
            let info = RunInfo(afscanVersion: AfscanVersion.string, rulesHash: nil, inputs: [part.spec.displayName], groupBy: groupBy,
                               started: Date(), finished: Date(), threads: 1)
            try writeAtomically(try outcome.summary.makeSummary(run: info).jsonData(), to: rowsPath + ".summary.json")
            try unitSink.prepare()
            try unitSink.publish()
            let counts = outcome.inputs.first ?? RunOutcome.InputCounts()
            let entry = Entry(key: part.key, input: part.spec.displayName, identity: Self.identity(part.spec),
                              frames: part.frames.map { "\($0)" }, fingerprint: fingerprint, file: "part-\(n).jsonl",
                              rowsBytes: (try? FileManager.default.attributesOfItem(atPath: rowsPath)[.size] as? Int) ?? 0,
                              labelled: counts.labelled, rejected: counts.rejected, bytes: counts.bytes,
                              fault: counts.fault.map { Entry.Fault(code: $0.code.rawValue, message: $0.message, input: $0.input,
                                                                    compressedOffset: $0.compressedOffset, decompressedOffset: $0.decompressedOffset) },
                              conditionFieldMissing: outcome.conditionFieldMissing, conditionValueUnmapped: outcome.conditionValueUnmapped)
            entries.append(entry)
            file.parts.removeAll { $0.key == part.key }
            file.parts.append(entry)
            try saveState(file)
        }
        if reused > 0 { note("--resume: \(reused) of \(planned.count) parts were already done (\(state)); \(planned.count - reused) labelled now") }
        return try assemble(entries, specs: specs, sink: sink, groupBy: groupBy)
    }

    /// The outcome of the whole run from its finished parts, writing their rows in order into `sink`.
    private func assemble(_ entries: [Entry], specs: [InputSpec], sink: OutputSink, groupBy: [String]) throws -> RunOutcome {
        var outcome = RunOutcome(summary: SummaryAccumulator(groupBy: groupBy))
        outcome.inputs = specs.map { _ in RunOutcome.InputCounts() }
        for entry in entries {
            let rows = try Data(contentsOf: URL(fileURLWithPath: state + "/" + entry.file))
            try sink.write(rows)
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: state + "/" + entry.file + ".summary.json")))
            outcome.summary.merge(try SummaryAccumulator(summaryJSON: summary as? [String: Any] ?? [:]))
            outcome.labelled += entry.labelled
            outcome.rejected += entry.rejected
            outcome.bytes += entry.bytes
            outcome.conditionFieldMissing += entry.conditionFieldMissing
            outcome.conditionValueUnmapped += entry.conditionValueUnmapped
            if let i = specs.firstIndex(where: { $0.displayName == entry.input }) {
                outcome.inputs[i].labelled += entry.labelled
                outcome.inputs[i].rejected += entry.rejected
                outcome.inputs[i].bytes += entry.bytes
                if let f = entry.fault {
                    let fault = ArchiveError(code: .init(rawValue: f.code), message: f.message, input: f.input,
                                             compressedOffset: f.compressedOffset, decompressedOffset: f.decompressedOffset)
                    outcome.inputs[i].fault = fault
                    outcome.inputFaults.append(fault)
                }
            }
        }
        outcome.records = outcome.labelled + outcome.rejected
        return outcome
    }

    private func interrupted() -> RunOutcome {
        var outcome = RunOutcome(summary: SummaryAccumulator(groupBy: []))
        outcome.interrupted = true
        return outcome
    }

    /// Removes the temporary files (`.NAME.tmp.PID.*`) that a killed earlier attempt (SIGKILL leaves no
    /// chance to clean up) left beside `outputs`: only those whose process is gone.
    static func removeStaleTemporaries(beside outputs: [String]) {
        for output in outputs where output != "-" {
            let url = URL(fileURLWithPath: AtomicOutputFile.followingSymlinks(output))
            let dir = url.deletingLastPathComponent().path
            let prefix = "." + url.lastPathComponent + ".tmp."
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(prefix) {
                guard let pid = Int32(name.dropFirst(prefix.count).split(separator: ".").first ?? ""), pid != getpid(),
                      kill(pid, 0) != 0 && errno == ESRCH else { continue }
                try? FileManager.default.removeItem(atPath: dir + "/" + name)
            }
        }
    }

    /// Removes the state directory once the final outputs are published.
    func finish() {
        try? FileManager.default.removeItem(atPath: state)
    }
}
