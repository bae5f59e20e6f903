import Dispatch
import Synchronization

/// Writes batch results in input order — input by input, and within an input batch by batch — whichever
/// worker finishes first, even while several inputs are read at once.
///
/// Each batch carries the in-flight semaphore of the reader that made it; the writer signals it once
/// the batch's rows are written (or dropped after a sink error), which is what bounds memory. An input's
/// end (its batch count and any fault message) is announced with `endInput`; the fault message is
/// printed after the input's last rows and rejection messages, so stderr is in input order too.
final class OrderedWriter: Sendable {
    struct Pending: Sendable {
        var input: String
        var rows: [UInt8]
        var exportRows: [UInt8]
        var exported: Int
        var messages: [String]
        var labelled: Int
        var rejected: Int
        var slot: DispatchSemaphore
    }
    struct Key: Hashable {
        var input: Int
        var batch: Int
    }
    struct State {
        var nextInput = 0
        var nextBatch = 0
        var pending: [Key: Pending] = [:]
        /// Inputs whose reader finished: batch count and fault message.
        var ends: [Int: (batches: Int, fault: String?)] = [:]
        var labelled = 0
        var rejected = 0
        /// Input index → records of its batches written (or passed over after a sink error).
        var perInput: [Int: (labelled: Int, rejected: Int)] = [:]
        var exported = 0
        var messagesByInput: [String: Int] = [:]
        var error: String?
    }
    private let state = Mutex(State())
    private let sink: @Sendable (UnsafeRawBufferPointer) throws -> Void
    private let exportSink: (@Sendable (UnsafeRawBufferPointer) throws -> Void)?
    private let diagnostics: @Sendable (String) -> Void
    private let maxMessages: Int
    private let failedFlag = Atomic<Bool>(false)

    init(sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void,
         exportSink: (@Sendable (UnsafeRawBufferPointer) throws -> Void)? = nil,
         diagnostics: @escaping @Sendable (String) -> Void, maxMessagesPerInput: Int) {
        self.sink = sink
        self.exportSink = exportSink
        self.diagnostics = diagnostics
        self.maxMessages = maxMessagesPerInput
    }

    /// True once the sink threw: readers stop, rows are no longer written.
    var failed: Bool { failedFlag.load(ordering: .relaxed) }
    /// Records of the batches written (or passed over after a sink error) so far.
    var counts: (labelled: Int, rejected: Int) { state.withLock { ($0.labelled, $0.rejected) } }
    /// The same per input (0-based position in the run's inputs); inputs with no batch are absent.
    var countsByInput: [Int: (labelled: Int, rejected: Int)] { state.withLock { $0.perInput } }
    /// Rows written to the triage export so far.
    var exported: Int { state.withLock { $0.exported } }
    var errorMessage: String? { state.withLock { $0.error } }

    /// Batch `batch` (0-based) of input `input` (0-based position in the run's inputs) is labelled.
    func submit(input: Int, batch: Int, name: String, rows: [UInt8], exportRows: [UInt8] = [], exported: Int = 0,
                messages: [String], labelled: Int, rejected: Int, slot: DispatchSemaphore) {
        state.withLock { s in
            s.pending[Key(input: input, batch: batch)] = Pending(input: name, rows: rows, exportRows: exportRows, exported: exported,
                                                                 messages: messages, labelled: labelled, rejected: rejected, slot: slot)
            drain(&s)
        }
    }

    /// Input `input` made `batches` batches and ended with `fault` (a message line) or cleanly.
    func endInput(_ input: Int, batches: Int, fault: String?) {
        state.withLock { s in
            s.ends[input] = (batches, fault)
            drain(&s)
        }
    }

    /// Drops the batches still waiting for an earlier input whose end will never be announced (the run
    /// stopped: interrupted, or the sink failed), unwritten and uncounted, and returns their in-flight
    /// permits. Call once every reader and worker is done: libdispatch traps when a semaphore is freed
    /// with permits still taken.
    func discardPending() {
        state.withLock { s in
            for p in s.pending.values { p.slot.signal() }
            s.pending.removeAll()
        }
    }

    private func drain(_ s: inout State) {
        while true {
            if let p = s.pending.removeValue(forKey: Key(input: s.nextInput, batch: s.nextBatch)) {
                s.nextBatch += 1
                s.perInput[s.nextInput, default: (0, 0)].labelled += p.labelled
                s.perInput[s.nextInput, default: (0, 0)].rejected += p.rejected
                write(p, &s)
                p.slot.signal()
            } else if let end = s.ends[s.nextInput], end.batches == s.nextBatch {
                s.ends[s.nextInput] = nil
                if let fault = end.fault { diagnostics(fault) }
                s.nextInput += 1
                s.nextBatch = 0
            } else {
                return
            }
        }
    }

    private func write(_ p: Pending, _ s: inout State) {
        s.labelled += p.labelled
        s.rejected += p.rejected
        if s.error == nil {
            do {
                try p.rows.withUnsafeBytes { try sink($0) }
                if let exportSink, !p.exportRows.isEmpty {
                    try p.exportRows.withUnsafeBytes { try exportSink($0) }
                }
                s.exported += p.exported
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
    }
}
