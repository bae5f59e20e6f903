import Scratchpad
import TokenModel

/// The token streams of one record's blocks, in per-block buffers reused from record to record (one per
/// worker: not thread-safe). `label` and `train` tokenize a record through it, once, and hand the model
/// the same `ModelBlock`s.
public final class BlockTokens {
    private var buffers: [TokenBuffer] = []
    /// Which blocks of the current record were tokenized.
    private var tokenized: [Bool] = []

    public init() {}

    /// Tokenizes the scratchpad and reasoning blocks of `ex` (never drafts) and, when `output` is true,
    /// its output blocks. Returns the reasoning blocks' token count (`reasoning_tokens`).
    @discardableResult
    public func tokenize(_ ex: ExtractedRecord, output: Bool) -> Int {
        while buffers.count < ex.blocks.count { buffers.append(TokenBuffer()) }
        tokenized.removeAll(keepingCapacity: true)
        tokenized.append(contentsOf: repeatElement(false, count: ex.blocks.count))
        var reasoningTokens = 0
        for (i, b) in ex.blocks.enumerated() {
            switch b.kind {
            case .draft: continue
            case .output: if !output { continue }
            case .scratchpad, .reasoning: break
            }
            ex.fields[b.field].bytes.withUnsafeBufferPointer { buffers[i].tokenize($0, ranges: b.ranges) }
            tokenized[i] = true
            if b.kind == .scratchpad || b.kind == .reasoning { reasoningTokens += buffers[i].count }
        }
        return reasoningTokens
    }

    /// Calls `body` with a `ModelBlock` for every block of `ex` that the last `tokenize` took, in block
    /// order (`ModelBlock.index` is the block's index in `ex.blocks`). The blocks are valid inside `body` only.
    public func withModelBlocks<R>(_ ex: ExtractedRecord, _ body: ([ModelBlock]) -> R) -> R {
        var blocks: [ModelBlock] = []
        func go(_ i: Int) -> R {
            if i == ex.blocks.count { return body(blocks) }
            guard i < tokenized.count, tokenized[i] else { return go(i + 1) }
            let b = ex.blocks[i]
            let kind: FeatureSpec.Block = b.kind == .output ? .output : .reasoning
            return ex.fields[b.field].bytes.withUnsafeBufferPointer { text in
                blocks.append(ModelBlock(kind: kind, index: i, text: text, tokens: buffers[i].tokens))
                defer { blocks.removeLast() }
                return go(i + 1)
            }
        }
        return go(0)
    }
}
