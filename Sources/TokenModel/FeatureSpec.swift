import CTokenStream
import Scratchpad

/// Which n-grams of which blocks a model reads, and how they are weighted. Stored in the model file.
///
/// Features are word n-grams of orders `minOrder...maxOrder`, taken within one sentence of one block
/// kind (never across a sentence start), over the token stream (`TokenStream`). A feature's value in a
/// sample is sublinear TF-IDF, L2-normalised over the sample's in-vocabulary features
/// (`(1 + ln tf) · idf / ‖·‖₂`; Salton & Buckley 1988; scikit-learn's `TfidfVectorizer(sublinear_tf=True)`).
public struct FeatureSpec: Codable, Sendable, Hashable {
    /// The block kinds whose text becomes features.
    public enum Block: String, Codable, Sendable, Hashable, CaseIterable {
        /// Scratchpad and untagged reasoning text, without `DRAFT_OUTPUT` regions.
        case reasoning
        /// The final output (`<OUTPUT>` or the assistant's answer).
        case output
    }

    /// Smallest n-gram order (1 = single tokens).
    public var minOrder: Int
    /// Largest n-gram order.
    public var maxOrder: Int
    /// Whether punctuation tokens take part in n-grams (when false they are skipped, and n-grams span them).
    public var punctuation: Bool
    /// Whether every number token reads as the token `0` (so `2024` and `17` are one feature).
    public var foldNumbers: Bool
    /// Blocks read, in order; features of different blocks never mix.
    public var blocks: [Block]

    public init(minOrder: Int = 1, maxOrder: Int = 3, punctuation: Bool = false, foldNumbers: Bool = true,
                blocks: [Block] = [.reasoning]) {
        self.minOrder = minOrder
        self.maxOrder = maxOrder
        self.punctuation = punctuation
        self.foldNumbers = foldNumbers
        self.blocks = blocks
    }

    /// Checks the spec; returns a message naming the field at fault, or nil.
    public var problem: String? {
        if minOrder < 1 || maxOrder < minOrder || maxOrder > 5 { return "n-gram orders must satisfy 1 ≤ min ≤ max ≤ 5 (got \(minOrder)...\(maxOrder))" }
        if blocks.isEmpty { return "the feature spec reads no block" }
        if Set(blocks).count != blocks.count { return "a block is listed twice in the feature spec" }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case minOrder = "min_order", maxOrder = "max_order", punctuation, foldNumbers = "fold_numbers", blocks
    }
}

/// Hash salts that keep the features of different blocks apart.
enum BlockSalt {
    static func salt(_ block: FeatureSpec.Block) -> UInt64 {
        switch block {
        case .reasoning: return 0
        case .output: return 0x6F75_7470_7574_2121   // "output!!"
        }
    }
}
