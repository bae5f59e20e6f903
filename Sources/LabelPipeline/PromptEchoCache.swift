import PatternScoring
import Scratchpad

/// The shingles (`PromptEcho`) of the system prompts a worker saw last, most recent first: the records
/// of a run or a sweep share a handful of system prompts, so each worker normalizes and hashes each
/// prompt about once instead of once per record.
///
/// Bounded two ways: at most `capacity` prompts, and at most `byteBudget` bytes of prompts plus shingle
/// tables (least recently used dropped first). A prompt whose own cost exceeds the budget is hashed
/// for every record that has it and never kept, so a worker's memory stays bounded whatever the prompts.
/// Not thread-safe: one per worker (owned by its `RecordLabeler`).
struct PromptEchoCache {
    /// Most prompts remembered (a sweep over prompt variants).
    let capacity: Int
    /// Most bytes of prompts plus shingle tables remembered: 12 prompts of 30 KB take ~1 MB.
    let byteBudget: Int
    private var entries: [(prompt: [UInt8], echo: PromptEcho?, bytes: Int)] = []
    /// Bytes held: the sum of the entries' prompt sizes and shingle-table sizes.
    private(set) var bytes = 0

    init(capacity: Int = 32, byteBudget: Int = 4 << 20) {
        self.capacity = capacity
        self.byteBudget = byteBudget
    }

    /// Prompts remembered.
    var count: Int { entries.count }

    /// The shingles of `prompt` (raw UTF-8 bytes of a system prompt, normalized here), remembered or
    /// computed; nil when the prompt has fewer than `PromptEcho.shingleLength` tokens.
    mutating func echo(for prompt: [UInt8]) -> PromptEcho? {
        if let i = entries.firstIndex(where: { $0.prompt == prompt }) {
            let entry = entries[i]
            if i > 0 {
                entries.remove(at: i)
                entries.insert(entry, at: 0)
            }
            return entry.echo
        }
        let norm = prompt.withUnsafeBufferPointer { Normalizer.normalize($0, ranges: [0..<prompt.count]) }
        let computed = norm.bytes.withUnsafeBufferPointer { PromptEcho(prompt: $0) }
        let echo = computed.isEmpty ? nil : computed
        let cost = prompt.count + computed.byteCount
        guard cost <= byteBudget, capacity > 0 else { return echo }
        while let last = entries.last, entries.count >= capacity || bytes + cost > byteBudget {
            bytes -= last.bytes
            entries.removeLast()
        }
        entries.insert((prompt, echo, cost), at: 0)
        bytes += cost
        return echo
    }

    /// Whether `prompt` is remembered (for tests).
    func contains(_ prompt: [UInt8]) -> Bool { entries.contains { $0.prompt == prompt } }
}
