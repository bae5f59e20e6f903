import AfscanCore
import ArchiveIO
import Dispatch
import Foundation
import LabelSinks
import PatternScoring
import RecordFraming
import Scratchpad
import Synchronization

/// Options of one labelling run (the `afscan label` flags that shape the pipeline).
public struct LabelOptions: Sendable {
    public var mapping: FieldMapping
    /// Scoring workers; 0 = one per core. The reader thread is extra.
    public var threads: Int
    /// `--max-window-log`: zstd window limit (log2 bytes).
    public var maxWindowLog: Int
    /// `--max-record-bytes`: a record (line, array element) above this is rejected unread.
    public var maxRecordBytes: Int
    /// Target bytes per batch handed to a worker.
    public var batchBytes: Int
    /// At most this many rejection messages per input go to stderr (all are in the rows).
    public var maxMessagesPerInput: Int

    public init(mapping: FieldMapping = FieldMapping(), threads: Int = 0, maxWindowLog: Int = 27,
                maxRecordBytes: Int = 64 << 20, batchBytes: Int = 1 << 20, maxMessagesPerInput: Int = 20) {
        self.mapping = mapping
        self.threads = threads
        self.maxWindowLog = maxWindowLog
        self.maxRecordBytes = maxRecordBytes
        self.batchBytes = batchBytes
        self.maxMessagesPerInput = maxMessagesPerInput
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
}

/// The labelling pipeline:
/// ```
///  reader thread: input ─► InputReader (zstd) ─► RecordFramer ─► batches ──┐ (≤ inFlight batches)
///                                                                          ▼
///  N workers (DispatchQueue.concurrentPerform): RecordLabeler per batch ─► encoded rows
///                                                                          ▼
///  OrderedWriter: rows in input order ─► sink (stdout / atomic file / .zst)
/// ```
/// Memory stays flat: at most `2·N + 2` batches (≈ `batchBytes` each) exist at once, whatever the
/// archive size; a batch's slot is freed only when its rows are written.
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
        var seq: Int
        var input: String
        var batch: RecordBatch
    }

    /// Runs over `inputs` in order, writing rows to `sink` and messages to `diagnostics`.
    /// - Parameters:
    ///   - sink: receives encoded rows in input order, from whichever worker flushes; calls are serialized.
    ///   - diagnostics: one line per message (rejected records, input faults), serialized.
    ///   - cancelled: polled between chunks; when it returns true the reader stops (interrupt).
    public func run(inputs: [InputSpec],
                    sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void,
                    diagnostics: @escaping @Sendable (String) -> Void,
                    cancelled: @escaping @Sendable () -> Bool = { false }) -> RunOutcome {
        let workers = options.resolvedThreads
        let inFlight = DispatchSemaphore(value: 2 * workers + 2)
        let queue = WorkQueue<WorkItem>()
        let writer = OrderedWriter(sink: sink, diagnostics: diagnostics, inFlight: inFlight,
                                   maxMessagesPerInput: options.maxMessagesPerInput)
        let readerState = Mutex<(faults: [ArchiveError], bytes: Int64)>(([], 0))
        let options = self.options

        let reader = Thread {
            var seq = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            for spec in inputs {
                if cancelled() || writer.failed { break }
                let framer = RecordFramer(mode: nil, maxRecordBytes: options.maxRecordBytes, batchBytes: options.batchBytes)
                func emit(_ batches: [RecordBatch]) {
                    for b in batches where !b.records.isEmpty {
                        inFlight.wait()
                        queue.push(WorkItem(seq: seq, input: spec.displayName, batch: b))
                        seq += 1
                    }
                }
                var fault: ArchiveError?
                var read: Int64 = 0
                do {
                    let r = try InputReader(spec, maxWindowLog: options.maxWindowLog)
                    while !cancelled() && !writer.failed {
                        let n = try chunk.withUnsafeMutableBytes { try r.read(into: $0) }
                        if n == 0 { break }
                        read += Int64(n)
                        emit(chunk.withUnsafeBytes { framer.push(UnsafeRawBufferPointer(rebasing: $0[0..<n])) })
                    }
                } catch let e as ArchiveError {
                    fault = e
                } catch {
                    fault = ArchiveError(code: .read, message: "\(error)", input: spec.displayName, decompressedOffset: read)
                }
                // Records decoded before a fault are kept; a record cut by the fault is framed and
                // rejected. An interrupted run stops here: a record cut by the interrupt is not a fault
                // of the input, so it is dropped rather than reported as invalid.
                if cancelled() { break }
                emit(framer.finish())
                if let fault {
                    diagnostics("afscan: \(fault.description)")
                }
                readerState.withLock { s in
                    if let fault { s.faults.append(fault) }
                    s.bytes += read
                }
            }
            queue.close(consumers: workers)
        }
        reader.stackSize = 1 << 22
        reader.start()

        let accumulators = Mutex<[SummaryAccumulator]>([])
        let conditionNotes = Mutex<(missing: Int, unmapped: Int, values: [String])>((0, 0, []))
        let ruleSet = self.ruleSet, compiled = self.compiled, scorer = self.scorer
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var acc = SummaryAccumulator(groupBy: options.mapping.groupBy)
            let labeler = RecordLabeler(ruleSet: ruleSet, compiled: compiled, scorer: scorer,
                                        mapping: options.mapping, maxRecordBytes: options.maxRecordBytes)
            let encoder = LabelRowEncoder()
            var out: [UInt8] = []
            while let item = queue.pop() {
                out.removeAll(keepingCapacity: true)
                var messages: [String] = []
                var labelled = 0, rejected = 0
                for rec in item.batch.records {
                    let (row, groups) = labeler.label(rec, in: item.batch, file: item.input)
                    encoder.append(row, to: &out)
                    acc.add(SummaryRow(record: row, groupValues: groups))
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
                        messages.append("afscan: \(item.input): record \(row.source.record) (byte offset \(row.source.byteOffset)): rejected: \(row.reason ?? "?")\(row.detail.map { ": " + $0 } ?? "")")
                    }
                }
                writer.submit(seq: item.seq, input: item.input, rows: out, messages: messages, labelled: labelled, rejected: rejected)
            }
            accumulators.withLock { $0.append(acc) }
        }
        reader.cancel()
        // The reader has closed the queue before the workers could finish, so it is done or stopping.
        var outcome = RunOutcome(summary: SummaryAccumulator(groupBy: options.mapping.groupBy))
        for acc in accumulators.withLock({ $0 }) { outcome.summary.merge(acc) }
        let counts = writer.counts
        outcome.labelled = counts.labelled
        outcome.rejected = counts.rejected
        outcome.records = counts.labelled + counts.rejected
        outcome.sinkError = writer.errorMessage
        let notes = conditionNotes.withLock { $0 }
        outcome.conditionFieldMissing = notes.missing
        outcome.conditionValueUnmapped = notes.unmapped
        outcome.unmappedConditionValues = notes.values.sorted()
        outcome.interrupted = cancelled()
        let rs = readerState.withLock { $0 }
        outcome.inputFaults = rs.faults
        outcome.bytes = rs.bytes
        return outcome
    }
}

/// Writes batch results in sequence order, whichever worker finishes first, and frees a batch's
/// in-flight slot once its rows are written.
final class OrderedWriter: Sendable {
    struct Pending: Sendable {
        var input: String
        var rows: [UInt8]
        var messages: [String]
        var labelled: Int
        var rejected: Int
    }
    struct State {
        var next = 0
        var pending: [Int: Pending] = [:]
        var labelled = 0
        var rejected = 0
        var messagesByInput: [String: Int] = [:]
        var error: String?
    }
    private let state = Mutex(State())
    private let sink: @Sendable (UnsafeRawBufferPointer) throws -> Void
    private let diagnostics: @Sendable (String) -> Void
    private let inFlight: DispatchSemaphore
    private let maxMessages: Int
    private let failedFlag = Atomic<Bool>(false)

    init(sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void, diagnostics: @escaping @Sendable (String) -> Void,
         inFlight: DispatchSemaphore, maxMessagesPerInput: Int) {
        self.sink = sink
        self.diagnostics = diagnostics
        self.inFlight = inFlight
        self.maxMessages = maxMessagesPerInput
    }

    var failed: Bool { failedFlag.load(ordering: .relaxed) }
    var counts: (labelled: Int, rejected: Int) { state.withLock { ($0.labelled, $0.rejected) } }
    var errorMessage: String? { state.withLock { $0.error } }

    func fail(_ message: String) {
        state.withLock { if $0.error == nil { $0.error = message } }
        failedFlag.store(true, ordering: .relaxed)
    }

    func submit(seq: Int, input: String, rows: [UInt8], messages: [String], labelled: Int, rejected: Int) {
        state.withLock { s in
            s.pending[seq] = Pending(input: input, rows: rows, messages: messages, labelled: labelled, rejected: rejected)
            while let p = s.pending.removeValue(forKey: s.next) {
                s.next += 1
                s.labelled += p.labelled
                s.rejected += p.rejected
                if s.error == nil {
                    do {
                        try p.rows.withUnsafeBytes { try sink($0) }
                    } catch {
                        s.error = "\(error)"
                        failedFlag.store(true, ordering: .relaxed)
                    }
                }
                var shown = s.messagesByInput[p.input, default: 0]
                for m in p.messages {
                    if shown < maxMessages { diagnostics(m) }
                    else if shown == maxMessages { diagnostics("afscan: \(p.input): further rejections are not shown here; every one is a row with \"status\": \"rejected\"") }
                    shown += 1
                }
                s.messagesByInput[p.input] = shown
                inFlight.signal()
            }
        }
    }
}
