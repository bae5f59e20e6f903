import CTokenStream
import Scratchpad

/// The samples a model is trained on: each sample's distinct n-gram hashes with their counts, its file
/// and its reference label; and the text of every n-gram hash seen (for the vocabulary).
public struct TrainingSet: Sendable {
    public struct Sample: Sendable {
        /// Index into `files`.
        public var file: Int
        public var positive: Bool
        /// Distinct n-gram hashes of the sample, ascending, with their counts.
        public var hashes: [UInt64]
        public var counts: [UInt32]
    }

    public let spec: FeatureSpec
    public private(set) var files: [String] = []
    public private(set) var samples: [Sample] = []
    /// hash → (block, n-gram text)
    var texts: [UInt64: (FeatureSpec.Block, String)] = [:]
    private let scanner: NgramScanner
    private let zero = "0"

    public init(spec: FeatureSpec) {
        self.spec = spec
        scanner = NgramScanner(spec: spec)
    }

    /// The index of file `name`, added when new.
    public mutating func fileIndex(_ name: String) -> Int {
        if let i = files.firstIndex(of: name) { return i }
        files.append(name)
        return files.count - 1
    }

    /// Adds one sample made of `blocks` (tokens of each block with the text they index).
    public mutating func add(file: Int, positive: Bool, blocks: [ModelBlock]) {
        var counts: [UInt64: UInt32] = [:]
        for b in blocks where spec.blocks.contains(b.kind) {
            let salt = BlockSalt.salt(b.kind)
            scanner.forEach(b.tokens, salt: salt) { h, first, last in
                counts[h, default: 0] += 1
                if texts[h] == nil { texts[h] = (b.kind, ngramText(b, first, last)) }
            }
        }
        let hashes = counts.keys.sorted()
        samples.append(Sample(file: file, positive: positive, hashes: hashes, counts: hashes.map { counts[$0]! }))
    }

    /// The folded texts of the feature tokens first...last, joined by one space.
    private func ngramText(_ b: ModelBlock, _ first: Int, _ last: Int) -> String {
        var parts: [String] = []
        for i in first...last {
            let t = b.tokens[i]
            if t.isPunctuation && !spec.punctuation { continue }
            if t.isNumber && spec.foldNumbers { parts.append(zero); continue }
            parts.append(TokenStream.foldedText(of: t, in: b.text))
        }
        return parts.joined(separator: " ")
    }

    /// The block and text of an n-gram hash seen in this set.
    public func text(of hash: UInt64) -> (block: FeatureSpec.Block, ngram: String)? {
        texts[hash].map { ($0.0, $0.1) }
    }

    public var positives: Int { samples.reduce(0) { $0 + ($1.positive ? 1 : 0) } }
}
