import AfscanCore
import ArchiveIO
import Dispatch
import Foundation
import LabelSinks
import PatternScoring
import RecordFraming
import TokenModel
import Scratchpad
import Synchronization

/// Options of one labelling run (the `afscan label` flags that shape the pipeline).
public struct LabelOptions: Sendable {
    public var mapping: FieldMapping
    /// Scoring workers; 0 = one per core. Reader and decoder threads are extra.
    public var threads: Int
    /// `--max-window-log`: zstd window limit (log2 bytes).
    public var maxWindowLog: Int
    /// `--max-record-bytes`: a record (line, array element) above this is rejected unread.
    public var maxRecordBytes: Int
    /// Target bytes per batch handed to a worker.
    public var batchBytes: Int
    /// At most this many rejection messages per input go to stderr (all are in the rows).
    public var maxMessagesPerInput: Int
    /// Decode the frames of a multi-frame zstd file (pzstd, split+zstd, `afscan generate --frame-bytes`)
    /// on a pool of decoder threads (as many as workers, extra like the reader threads). False reads
    /// every input with one streaming decoder. Rows are byte-identical either way.
    public var parallelFrames: Bool
    /// Inputs read (decoded and framed) at once; 0 = as many as workers. Rows stay in input order.
    public var concurrentInputs: Int
    /// The largest decoded frame the parallel decoder holds in memory, in bytes; a larger frame is
    /// decoded by its reader thread, streaming.
    public var maxFrameBytes: Int
    /// Samples to export for an LLM judge (`--route`); nil = no export.
    public var route: TriageRoute? = nil
    /// With `--budget`: routed rows go here (selected at the end) instead of the streaming export.
    public var budgetedExport: BudgetedExport? = nil
    /// With `--audit N`: the uniform random sample of labelled rows.
    public var audit: AuditSample? = nil
    /// With `--verdicts FILE`: judge verdicts that win over the computed labels.
    public var verdicts: VerdictFold? = nil
    /// A learned model whose targets replace the rule labels of the same name (`--model`); nil = rules only.
    public var model: LinearModel? = nil
    /// With a model: when the reasoning rules run (`--criteria`).
    public var criteria: CriteriaMode = .candidates
    /// With a model: n-grams listed per model label in a row's explanation (`--explain-terms`).
    public var explainTerms = LabelOptions.defaultExplainTerms
    public static let defaultExplainTerms = 8
    /// With `--shard`: for input number i (in `run(inputs:)`) that is split by frames, the frames whose
    /// records this run labels (`ShardPlan.Part.frames`); inputs not listed are labelled whole. Honoured
    /// only on the frame-parallel path (`parallelFrames`), which `ShardPlan` assumes when it splits.
    public var frameRanges: [Int: Range<Int>] = [:]
    /// When set, the run adds the on-disk bytes it reads (compressed bytes of zstd inputs) per chunk
    /// and the records it labels per batch, for the progress line; nil = not counted.
    public var progress: ProgressCounters? = nil

    public init(mapping: FieldMapping = FieldMapping(), threads: Int = 0, maxWindowLog: Int = 27,
                maxRecordBytes: Int = 64 << 20, batchBytes: Int = 1 << 20, maxMessagesPerInput: Int = 20,
                parallelFrames: Bool = true, concurrentInputs: Int = 0, maxFrameBytes: Int = 32 << 20) {
        self.mapping = mapping
        self.threads = threads
        self.maxWindowLog = maxWindowLog
        self.maxRecordBytes = maxRecordBytes
        self.batchBytes = batchBytes
        self.maxMessagesPerInput = maxMessagesPerInput
        self.parallelFrames = parallelFrames
        self.concurrentInputs = concurrentInputs
        self.maxFrameBytes = maxFrameBytes
    }

    /// The worker count after resolving 0 to the number of active cores.
    public var resolvedThreads: Int {
        threads > 0 ? threads : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// What a run did: counts, input faults and the summary accumulator. `records == labelled + rejected`.
public struct RunOutcome: Sendable {
    public var records = 0
    public var labelled = 0
    public var rejected = 0
    /// Decompressed bytes read over all inputs.
    public var bytes: Int64 = 0
    /// Rows written to the triage export (`--route`/`--export`).
    public var exported = 0
    /// Inputs that could not be opened or whose stream failed mid-way (records before the fault are labelled).
    public var inputFaults: [ArchiveError] = []
    public var summary: SummaryAccumulator
    /// A fatal sink error (the output could not be written); the run stopped.
    public var sinkError: String?
    /// Labelled records that lacked `--condition-field`.
    public var conditionFieldMissing = 0
    /// Labelled records whose `--condition-field` value was not in `--condition-map`, and up to five such values.
    public var conditionValueUnmapped = 0
    public var unmappedConditionValues: [String] = []
    /// True when the run stopped early because `cancelled` returned true.
    public var interrupted = false
    /// Zstd frames decoded on the frame pool (`LabelOptions.parallelFrames`), over all inputs; 0 when
    /// every input was read by one streaming decoder (single-frame, plain, standard input).
    public var parallelFrames = 0
    /// One entry per input of the run, in input order (for the run manifest).
    public var inputs: [InputCounts] = []

    /// An empty outcome (no record yet) whose summary groups by `summary`'s paths.
    public init(summary: SummaryAccumulator) {
        self.summary = summary
    }

    /// What one input came to.
    public struct InputCounts: Sendable {
        /// Rows written for it (`records == labelled + rejected`).
        public var labelled = 0
        public var rejected = 0
        public var records: Int { labelled + rejected }
        /// Decompressed bytes read, in bytes.
        public var bytes: Int64 = 0
        /// The fault that ended it early, if any.
        public var fault: ArchiveError?

        public init(labelled: Int = 0, rejected: Int = 0, bytes: Int64 = 0, fault: ArchiveError? = nil) {
            self.labelled = labelled
            self.rejected = rejected
            self.bytes = bytes
            self.fault = fault
        }
    }
}

/// The labelling pipeline:
/// ```
///  L lane threads, one input each at a time (inputs taken in order):
///    input ─► InputReader, or FrameParallelReader (frames decoded on a D-thread pool, delivered in order)
///          ─► RecordFramer ─► batches numbered (input, batch) ──┐ (≤ slots per lane)
///                                                               ▼
///  N workers (DispatchQueue.concurrentPerform): RecordLabeler per batch ─► encoded rows
///                                                               ▼
///  OrderedWriter: rows in input order, batch order ─► sink (stdout / atomic file / .zst)
/// ```
/// `L = min(inputs, concurrentInputs or N)`, `D = N` (only with `parallelFrames`).
///
/// Determinism: every input is framed sequentially from exactly the bytes a streaming read gives, so
/// rows (record numbers, byte offsets, faults) are byte-identical for any N, L and D.
///
/// Memory stays flat whatever the archive size: each lane holds at most `max(2, (2·N + 2) / L)` batches
/// (≈ `batchBytes` each) in flight, freed when their rows are written, plus, while it reads a
/// multi-frame file, `max(2, 2·D / L) + 1` frame buffers (each at most `maxFrameBytes`). Lanes have their
/// own budgets so that a lane ahead of the writer never starves the lane whose input is being written.
public final class LabelRun: Sendable {
    public let ruleSet: RuleSet
    public let compiled: CompiledRules
    public let scorer: Scorer
    public let options: LabelOptions

    public init(ruleSet: RuleSet, compiled: CompiledRules, options: LabelOptions) {
        self.ruleSet = ruleSet
        self.compiled = compiled
        self.scorer = Scorer(ruleSet: ruleSet)
        self.options = options
    }

    struct WorkItem: Sendable {
        /// 0-based position of the input in the run.
        var input: Int
        /// 0-based batch number within the input.
        var number: Int
        var name: String
        var batch: RecordBatch
        /// The in-flight budget of the lane that made the batch.
        var slot: DispatchSemaphore
    }

    /// Runs over `inputs` in order, writing rows to `sink` and messages to `diagnostics`.
    /// - Parameters:
    ///   - sink: receives encoded rows in input order, from whichever worker flushes; calls are serialized.
    ///   - diagnostics: one line per message (rejected records, input faults), serialized; in input order.
    ///   - cancelled: polled between chunks; when it returns true the readers stop (interrupt).
    public func run(inputs: [InputSpec],
                    sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void,
                    exportSink: (@Sendable (UnsafeRawBufferPointer) throws -> Void)? = nil,
                    diagnostics: @escaping @Sendable (String) -> Void,
                    cancelled: @escaping @Sendable () -> Bool = { false }) -> RunOutcome {
        let workers = options.resolvedThreads
        let options = self.options
        let lanes = max(1, min(inputs.count, options.concurrentInputs > 0 ? options.concurrentInputs : workers))
        let queue = WorkQueue<WorkItem>()
        let writer = OrderedWriter(sink: sink, exportSink: exportSink, diagnostics: diagnostics,
                                   maxMessagesPerInput: options.maxMessagesPerInput)
        let pool = options.parallelFrames && !inputs.isEmpty ? FrameDecodePool(threads: workers, maxWindowLog: options.maxWindowLog) : nil
        let results = Mutex<[Int: InputFeeder.Result]>([:])
        let nextInput = Atomic<Int>(0)
        let lanesLeft = Atomic<Int>(lanes)

        for _ in 0..<lanes {
            let feeder = InputFeeder(options: options, queue: queue, writer: writer, pool: pool,
                                     lookahead: max(2, 2 * workers / lanes),
                                     slots: DispatchSemaphore(value: max(2, (2 * workers + 2) / lanes)),
                                     cancelled: cancelled)
            let lane = Thread {
                while !cancelled() && !writer.failed {
                    let i = nextInput.add(1, ordering: .relaxed).oldValue
                    guard i < inputs.count else { break }
                    let r = feeder.feed(inputs[i], index: i)
                    results.withLock { $0[i] = r }
                    if r.stopped { break }
                }
                if lanesLeft.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                    queue.close(consumers: workers)
                }
            }
            lane.name = "afscan-reader"
            lane.stackSize = 1 << 22
            lane.start()
        }

        let accumulators = Mutex<[SummaryAccumulator]>([])
        let conditionNotes = Mutex<(missing: Int, unmapped: Int, values: [String])>((0, 0, []))
        let ruleSet = self.ruleSet, compiled = self.compiled, scorer = self.scorer
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var acc = SummaryAccumulator(groupBy: options.mapping.groupBy)
            let labeler = RecordLabeler(ruleSet: ruleSet, compiled: compiled, scorer: scorer,
                                        mapping: options.mapping, maxRecordBytes: options.maxRecordBytes, model: options.model,
                                        criteria: options.criteria, explainTerms: options.explainTerms)
            let encoder = LabelRowEncoder()
            var out: [UInt8] = []
            var exportOut: [UInt8] = []
            let route = (exportSink == nil && options.budgetedExport == nil) ? nil : options.route
            let budgeted = options.budgetedExport, audit = options.audit, verdicts = options.verdicts
            while let item = queue.pop() {
                out.removeAll(keepingCapacity: true)
                exportOut.removeAll(keepingCapacity: true)
                var exported = 0
                var messages: [String] = []
                var labelled = 0, rejected = 0
                for rec in item.batch.records {
                    var (row, groups) = labeler.label(rec, in: item.batch, file: item.name)
                    verdicts?.apply(to: &row)
                    encoder.append(row, to: &out)
                    if let route, let (reasons, uncertainty) = route.route(row) {
                        var routed = row
                        routed.flags.append(("routed_by", .string(reasons)))
                        routed.flags.append(("margin", .double(uncertainty)))
                        if let budgeted {
                            budgeted.add(uncertainty: uncertainty, input: item.input, record: row.source.record,
                                         bytes: encoder.encode(routed))
                        } else {
                            encoder.append(routed, to: &exportOut)
                            exported += 1
                        }
                    }
                    if let audit, row.status == .ok {
                        // encoded only when the row enters the sample
                        audit.add(file: item.name, input: item.input, record: row.source.record,
                                  bytes: encoder.encode(Self.audited(row)))
                    }
                    acc.add(record: row, groupValues: groups)
                    if row.status == .ok {
                        labelled += 1
                        for (key, value) in row.flags {
                            if key == "condition_field_missing" {
                                conditionNotes.withLock { $0.missing += 1 }
                            } else if key == "condition_value_unmapped", case .string(let v) = value {
                                conditionNotes.withLock { n in
                                    n.unmapped += 1
                                    if n.values.count < 5 && !n.values.contains(v) { n.values.append(v) }
                                }
                            }
                        }
                    } else {
                        rejected += 1
                        messages.append("afscan: \(item.name): record \(row.source.record) (byte offset \(row.source.byteOffset)): rejected: \(row.reason ?? "?")\(row.detail.map { ": " + $0 } ?? "")")
                    }
                }
                options.progress?.add(records: item.batch.records.count)
                writer.submit(input: item.input, batch: item.number, name: item.name, rows: out, exportRows: exportOut,
                              exported: exported, messages: messages, labelled: labelled, rejected: rejected, slot: item.slot)
            }
            accumulators.withLock { $0.append(acc) }
        }
        // The last lane closed the queue before the workers could finish, so every lane is done.
        pool?.shutdown()
        writer.discardPending()
        var outcome = RunOutcome(summary: SummaryAccumulator(groupBy: options.mapping.groupBy))
        for acc in accumulators.withLock({ $0 }) { outcome.summary.merge(acc) }
        let counts = writer.counts
        outcome.labelled = counts.labelled
        outcome.rejected = counts.rejected
        outcome.records = counts.labelled + counts.rejected
        outcome.sinkError = writer.errorMessage
        outcome.exported = writer.exported
        let notes = conditionNotes.withLock { $0 }
        outcome.conditionFieldMissing = notes.missing
        outcome.conditionValueUnmapped = notes.unmapped
        outcome.unmappedConditionValues = notes.values.sorted()
        outcome.interrupted = cancelled()
        let read = results.withLock { $0 }
        for i in read.keys.sorted() {
            if let fault = read[i]!.fault { outcome.inputFaults.append(fault) }
            outcome.bytes += read[i]!.bytes
            outcome.parallelFrames += read[i]!.parallelFrames
        }
        let byInput = writer.countsByInput
        outcome.inputs = inputs.indices.map { i in
            RunOutcome.InputCounts(labelled: byInput[i]?.labelled ?? 0, rejected: byInput[i]?.rejected ?? 0,
                                   bytes: read[i]?.bytes ?? 0, fault: read[i]?.fault)
        }
        return outcome
    }
}

extension LabelRun {
    /// `row` as the audit export writes it (`flags.routed_by = "audit"`).
    static func audited(_ row: LabelRecord) -> LabelRecord {
        var sampled = row
        sampled.flags.append(("routed_by", .string("audit")))
        return sampled
    }
}
