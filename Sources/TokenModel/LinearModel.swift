import AfscanCore
import CTokenStream
import Foundation
import Scratchpad

/// A loaded model, ready to score: the vocabulary as an `NgramTable`, idf and weights as flat arrays.
/// Immutable and shared read-only by every worker (each worker owns a `ModelScorer`).
public struct LinearModel: Sendable {
    public let file: ModelFile
    /// `model_hash` (see `ModelFile`).
    public let hash: String
    let table: NgramTable
    let idf: [Double]
    /// weights[target][feature]
    let weights: [[Double]]
    public let scanner: NgramScanner

    /// Builds the lookup table of `file` (n-gram hashes recomputed from the vocabulary's token texts).
    /// Throws `ModelFileError` when two vocabulary entries are the same n-gram.
    public init(_ file: ModelFile, source: String = "model") throws(ModelFileError) {
        self.file = file
        do { hash = try file.modelHash() } catch { throw ModelFileError(source: source, message: "cannot encode the model: \(error)") }
        scanner = NgramScanner(spec: file.features)
        var table = NgramTable(capacity: file.vocabulary.count)
        for (i, v) in file.vocabulary.enumerated() {
            let h = scanner.hash(ngram: v.ngram, block: v.block)
            if !table.insert(h, index: Int32(i)) {
                throw ModelFileError(source: source, message: "vocabulary entry \(i) ('\(v.ngram)') repeats an earlier entry")
            }
        }
        self.table = table
        idf = file.vocabulary.map(\.idf)
        weights = file.targets.map(\.weights)
    }

    /// The target labels, in file order.
    public var labels: [String] { file.targets.map(\.label) }
}

extension NgramScanner {
    /// The hash `forEach` gives the n-gram whose folded token texts, joined by one space, are `ngram`.
    public func hash(ngram: String, block: FeatureSpec.Block) -> UInt64 {
        let hashes = ngram.split(separator: " ").map { piece -> UInt64 in
            var b = Array(piece.utf8)
            return b.withUnsafeMutableBufferPointer { afs_hash_bytes($0.baseAddress, $0.count) }
        }
        return Self.combine(hashes, salt: BlockSalt.salt(block))
    }

    /// The n-gram hash of token hashes `hashes` (the formula of `forEach`).
    static func combine(_ hashes: [UInt64], salt: UInt64) -> UInt64 {
        if hashes.count == 1 { return afs_hash_extend(hashes[0] ^ salt, 1) }
        var g = hashes[0] ^ salt
        for h in hashes.dropFirst() { g = afs_hash_extend(g, h) }
        return g
    }
}

/// One block of a sample as the model reads it: its kind, the field's bytes and the block's tokens.
public struct ModelBlock {
    public var kind: FeatureSpec.Block
    /// Index of the block in the caller's list (reported back in spans).
    public var index: Int
    public var text: UnsafeBufferPointer<UInt8>
    public var tokens: UnsafeBufferPointer<Token>
    public init(kind: FeatureSpec.Block, index: Int, text: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<Token>) {
        self.kind = kind
        self.index = index
        self.text = text
        self.tokens = tokens
    }
}

/// The score of one target for one sample, with its explanation.
public struct ModelScore: Sendable {
    /// The raw logit z = bias + Σ contributions.
    public var logit: Double
    /// The calibrated probability σ(a·z + b).
    public var probability: Double
    public var decision: Decision
    public var bias: Double
    /// The top contributing n-grams (largest |contribution| first; ties by vocabulary order).
    public var terms: [Term]
    /// logit − bias − Σ terms' contributions: what the unlisted n-grams add (so the parts sum exactly).
    public var remainder: Double
    /// In-vocabulary n-grams the sample holds (distinct).
    public var features: Int

    public struct Term: Sendable {
        /// The n-gram's index in the model's vocabulary.
        public var feature: Int
        /// The n-gram's folded token texts joined by one space.
        public var ngram: String
        /// Signed contribution to the logit: weight × the feature's TF-IDF value.
        public var contribution: Double
        /// Every occurrence: the caller's block index and a half-open byte range into that block's field.
        public var spans: [(block: Int, start: Int, end: Int)]
    }
}

/// Scores samples with a `LinearModel`. One per worker (it owns scratch buffers): not thread-safe.
///
/// Cost: one table probe per n-gram occurrence (in C, `afs_count_grams`, with the slots of the next grams
/// prefetched), O(distinct features) for the norm and the dot products, and — only for explained targets —
/// the spans of the listed terms from the occurrences recorded while counting.
public final class ModelScorer {
    public let model: LinearModel
    /// This worker's copy of the vocabulary table's keys, with per-sample counts (`afs_count_slot`).
    private let slots: UnsafeMutablePointer<afs_count_slot>
    private let slotCount: Int
    /// Slot → feature index (-1 for an empty slot).
    private let slotFeature: [Int32]
    /// Slots of the in-vocabulary n-grams of the last sample, in first-occurrence order.
    private let presentSlots: UnsafeMutablePointer<UInt32>
    private var presentCount = 0
    /// The n-grams of one block (grown as needed).
    private var grams: UnsafeMutablePointer<afs_gram>
    private var gramCapacity = 0
    /// Every in-vocabulary occurrence of the last sample (slot, block position, first and last token), for
    /// the spans of the listed terms without a second pass over the tokens (grown as needed).
    private var hits: UnsafeMutablePointer<afs_gram_hit>
    private var hitCapacity = 0
    private var hitCount = 0
    /// Features of the last sample, in first-occurrence order (`presentCount` of them), their TF-IDF values
    /// (before the norm) and one target's contributions before the norm (w·v); room for every slot.
    private let present: UnsafeMutablePointer<Int32>
    private let values: UnsafeMutablePointer<Double>
    private let contributions: UnsafeMutablePointer<Double>
    /// Slot → index of its term in the explanation being built (-1 = not listed).
    private let termOfSlot: UnsafeMutablePointer<Int32>
    private var generation: UInt32 = 0
    /// 1 + ln(tf) for tf < 256 (the same doubles `log` gives: a table, not an approximation).
    private let sublinearTF: [Double]

    public init(_ model: LinearModel) {
        self.model = model
        let table = model.table
        slotCount = table.slotCount
        slots = .allocate(capacity: slotCount)
        var features = [Int32](repeating: -1, count: slotCount)
        let slots = self.slots
        table.forEachSlot { i, key, feature in
            slots[i] = afs_count_slot(key: key, gen: 0, count: 0)
            features[i] = feature
        }
        slotFeature = features
        presentSlots = .allocate(capacity: slotCount)
        present = .allocate(capacity: slotCount)
        values = .allocate(capacity: slotCount)
        contributions = .allocate(capacity: slotCount)
        gramCapacity = 4096
        grams = .allocate(capacity: gramCapacity)
        hitCapacity = 4096
        hits = .allocate(capacity: hitCapacity)
        termOfSlot = .allocate(capacity: slotCount)
        termOfSlot.initialize(repeating: -1, count: slotCount)
        sublinearTF = (0..<256).map { 1 + log(Double($0)) }
    }

    deinit {
        slots.deallocate()
        presentSlots.deallocate()
        termOfSlot.deallocate()
        present.deallocate()
        values.deallocate()
        contributions.deallocate()
        grams.deallocate()
        hits.deallocate()
    }

    /// Scores every target for the sample made of `blocks` (blocks whose kind the spec does not read are
    /// ignored). `explain` is the number of terms to list per target (0 = none, and no span pass).
    public func score(_ blocks: [ModelBlock], explain: Int = 0) -> [ModelScore] {
        collect(blocks, recordOccurrences: explain > 0)
        // TF-IDF values of the present features, L2-normalised.
        let n = presentCount
        let present = self.present, values = self.values, contributions = self.contributions
        let norm = model.idf.withUnsafeBufferPointer { idf in
            sublinearTF.withUnsafeBufferPointer { tf in
                slotFeature.withUnsafeBufferPointer { sf in
                    afs_tfidf(presentSlots, n, slots, sf.baseAddress, idf.baseAddress, tf.baseAddress, present, values)
                }
            }
        }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        var out: [ModelScore] = []
        out.reserveCapacity(model.file.targets.count)
        for (t, target) in model.file.targets.enumerated() {
            let z = model.weights[t].withUnsafeBufferPointer { w in
                afs_linear(present, values, n, w.baseAddress, scale, target.bias, contributions)
            }
            let p = target.calibration.probability(z)
            var terms: [ModelScore.Term] = []
            var listed = 0.0
            if explain > 0 && n > 0 {
                // The `explain` largest |w·v| (ties: lower feature index first), by a bounded insertion
                // pass instead of a full sort.
                func before(_ a: Int, _ b: Int) -> Bool {
                    let x = abs(contributions[a]), y = abs(contributions[b])
                    return x != y ? x > y : present[a] < present[b]
                }
                var order: [Int] = []
                order.reserveCapacity(explain + 1)
                for k in 0..<n {
                    if order.count == explain, let last = order.last, !before(k, last) { continue }
                    var at = order.count
                    while at > 0 && before(k, order[at - 1]) { at -= 1 }
                    order.insert(k, at: at)
                    if order.count > explain { order.removeLast() }
                }
                var termSlots: [UInt32] = []
                for k in order {
                    let f = Int(present[k])
                    let c = contributions[k] * scale
                    if c == 0 { continue }
                    listed += c
                    terms.append(ModelScore.Term(feature: f, ngram: model.file.vocabulary[f].ngram, contribution: c, spans: []))
                    termSlots.append(presentSlots[k])
                }
                fillSpans(&terms, slots: termSlots, blocks)
            }
            out.append(ModelScore(logit: z, probability: p, decision: target.bands.decide(p), bias: target.bias,
                                  terms: terms, remainder: z - target.bias - listed, features: n))
        }
        return out
    }

    /// Counts the in-vocabulary n-grams of `blocks` (their slots' counts, `presentSlots`, `present`) and,
    /// when asked, records every occurrence in `hits`.
    private func collect(_ blocks: [ModelBlock], recordOccurrences: Bool) {
        generation &+= 1
        if generation == 0 {   // wrapped: clear the generations once every 2³² samples
            for i in 0..<slotCount { slots[i].gen = 0 }
            generation = 1
        }
        presentCount = 0
        hitCount = 0
        let read = model.file.features.blocks
        let scanner = model.scanner
        for (position, b) in blocks.enumerated() where read.contains(b.kind) {
            reserve(&grams, capacity: &gramCapacity, for: scanner.capacity(forTokens: b.tokens.count), keeping: 0)
            let m = scanner.fill(b.tokens, salt: BlockSalt.salt(b.kind), into: grams)
            if recordOccurrences { reserve(&hits, capacity: &hitCapacity, for: hitCount + m, keeping: hitCount) }
            afs_count_grams(grams, m, slots, slotCount - 1, generation, presentSlots, &presentCount,
                            recordOccurrences ? hits : nil, &hitCount, Int32(position))
        }
    }

    /// Every occurrence of each listed term, in text order (from the occurrences `collect` recorded).
    /// `termSlots[i]` is the table slot of `terms[i]`.
    private func fillSpans(_ terms: inout [ModelScore.Term], slots termSlots: [UInt32], _ blocks: [ModelBlock]) {
        guard !terms.isEmpty else { return }
        let termOfSlot = self.termOfSlot
        for (k, slot) in termSlots.enumerated() { termOfSlot[Int(slot)] = Int32(k) }
        defer { for slot in termSlots { termOfSlot[Int(slot)] = -1 } }
        for o in UnsafeBufferPointer(start: hits, count: hitCount) {
            let k = termOfSlot[Int(o.slot)]
            if k < 0 { continue }
            let b = blocks[Int(o.block)]
            terms[Int(k)].spans.append((b.index, Int(b.tokens[Int(o.first)].start), Int(b.tokens[Int(o.last)].end)))
        }
    }
}

/// Makes `buffer` (room for `capacity` elements of a trivial type) hold at least `needed`, at least doubling
/// it, and keeps its first `keep` elements.
private func reserve<T>(_ buffer: inout UnsafeMutablePointer<T>, capacity: inout Int, for needed: Int, keeping keep: Int) {
    guard needed > capacity else { return }
    capacity = Swift.max(needed, capacity * 2)
    let bigger = UnsafeMutablePointer<T>.allocate(capacity: capacity)
    bigger.moveInitialize(from: buffer, count: keep)
    buffer.deallocate()
    buffer = bigger
}
