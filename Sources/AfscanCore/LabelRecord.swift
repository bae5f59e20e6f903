/// One label row: the result for exactly one input record (CONTRACT.md, "Label row").
///
/// Rows are emitted in input order, one per record, whether the record was labelled or rejected,
/// so that rows out = records in. A row carries no wall-clock time, host name or run id: the same
/// inputs and rules give byte-identical rows for any `-j`.
public struct LabelRecord: Sendable {
    /// Where the record came from.
    public var source: SourceRef
    /// The record's id (from `--id-field`, or the layout's id field), if any.
    public var id: String?
    public var status: Status
    /// Why the record was rejected (only when `status == .rejected`), e.g. `invalid_json`.
    public var reason: String?
    /// A human-readable detail for a rejection (parser message, offsets).
    public var detail: String?
    public var condition: Condition
    /// Kept fields (`--keep-field`): dotted path → the field's JSON value as raw JSON text.
    public var fields: [(path: String, json: String)]
    /// Labels in rule-set order.
    public var labels: [(name: String, value: LabelValue)]
    public var evidence: [Evidence]
    /// Parse facts: carriers found, block counts, unclosed flags, output present, why labels are unknown.
    public var parse: [(key: String, value: JSONScalar)]
    /// Sample flags: condition_conflict, accept_then_refuse, decision_flips, …
    public var flags: [(key: String, value: JSONScalar)]
    /// Hash of the rule set that produced the labels (hex).
    public var rulesHash: String
    /// Hash of the model that produced the model labels (hex), when a model ran.
    public var modelHash: String? = nil
    /// Per model label: how its logit decomposes into n-gram contributions.
    public var explanations: [ModelExplanation] = []

    public enum Status: String, Sendable { case ok, rejected }

    public init(
        source: SourceRef, id: String? = nil, status: Status, reason: String? = nil, detail: String? = nil,
        condition: Condition = .unknown, fields: [(path: String, json: String)] = [],
        labels: [(name: String, value: LabelValue)] = [], evidence: [Evidence] = [],
        parse: [(key: String, value: JSONScalar)] = [], flags: [(key: String, value: JSONScalar)] = [],
        rulesHash: String
    ) {
        self.source = source
        self.id = id
        self.status = status
        self.reason = reason
        self.detail = detail
        self.condition = condition
        self.fields = fields
        self.labels = labels
        self.evidence = evidence
        self.parse = parse
        self.flags = flags
        self.rulesHash = rulesHash
    }
}

/// The location of a record: the input's display name, its 1-based record number within that input
/// (JSONL line number, or JSON array element index + 1), and the 0-based byte offset of its first
/// byte in the *decompressed* stream.
public struct SourceRef: Sendable, Hashable {
    public var file: String
    public var record: Int
    public var byteOffset: Int64
    public init(file: String, record: Int, byteOffset: Int64) {
        self.file = file
        self.record = record
        self.byteOffset = byteOffset
    }
}

/// The value of one label for one sample.
public struct LabelValue: Sendable, Hashable {
    /// The calibrated, gated composite in [0, 1] that decides the band.
    public var score: Double
    /// The graded ranking score in [0, 1] (used for AUROC); equals `score` for labels without one.
    public var rank: Double
    public var decision: Decision
    /// An enum value for categorical labels (e.g. `out.compliance` = `refused`), else nil.
    public var value: String?
    /// True when a lexical scorer cannot settle this label and an LLM judge should look.
    public var routeToJudge: Bool
    /// Which engine produced the label (`model` or `rules`), when the row says so (rows of a run with a
    /// model).
    public var engine: String? = nil

    public init(score: Double, rank: Double? = nil, decision: Decision, value: String? = nil, routeToJudge: Bool = false) {
        self.score = score
        self.rank = rank ?? score
        self.decision = decision
        self.value = value
        self.routeToJudge = routeToJudge
    }

    /// A label that could not be computed (missing reasoning, redacted, empty output).
    public static let unknown = LabelValue(score: 0, decision: .unknown)
}

/// One evidence span. `start`/`end` are a half-open byte range into the decoded UTF-8 text of the
/// field that holds `block` (not into the escaped JSON bytes).
public struct Evidence: Sendable, Hashable {
    /// The label the span supports (or counts against, when `polarity` is `-`).
    public var label: String
    /// The rule id that matched.
    public var rule: String
    /// The block: `scratchpad#1`, `draft#1`, `output`, `reasoning#1`.
    public var block: String
    /// The field the block lives in: `output`, `messages[2].content`, `text`, …
    public var field: String
    public var start: Int
    public var end: Int
    /// At most 160 bytes of the original text, cut on a UTF-8 boundary.
    public var snippet: String
    /// `+` for supporting evidence, `-` for counter-evidence.
    public var polarity: Character

    public init(label: String, rule: String, block: String, field: String, start: Int, end: Int, snippet: String, polarity: Character = "+") {
        self.label = label
        self.rule = rule
        self.block = block
        self.field = field
        self.start = start
        self.end = end
        self.snippet = snippet
        self.polarity = polarity
    }
}

/// A JSON scalar for `parse` and `flags` maps.
public enum JSONScalar: Sendable, Hashable {
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case null
}

/// How a model label's logit decomposes: `bias + Σ terms.contribution + remainder == logit` exactly (up to
/// floating-point rounding), where the terms are the sample's n-grams with the largest |contribution| and
/// the remainder is what the unlisted n-grams add.
public struct ModelExplanation: Sendable {
    public struct Span: Sendable, Hashable {
        /// The block (`scratchpad#1`, `reasoning#1`, `output`) and the field holding it.
        public var block: String
        public var field: String
        /// Half-open byte range into the decoded UTF-8 text of `field`.
        public var start: Int
        public var end: Int
        public init(block: String, field: String, start: Int, end: Int) {
            self.block = block
            self.field = field
            self.start = start
            self.end = end
        }
    }
    public struct Term: Sendable {
        /// The n-gram: its folded token texts joined by one space.
        public var ngram: String
        /// Signed contribution to the logit (weight × TF-IDF value).
        public var contribution: Double
        /// Every occurrence in the sample.
        public var spans: [Span]
        public init(ngram: String, contribution: Double, spans: [Span]) {
            self.ngram = ngram
            self.contribution = contribution
            self.spans = spans
        }
    }
    public var label: String
    public var logit: Double
    public var bias: Double
    public var remainder: Double
    public var terms: [Term]
    public init(label: String, logit: Double, bias: Double, remainder: Double, terms: [Term]) {
        self.label = label
        self.logit = logit
        self.bias = bias
        self.remainder = remainder
        self.terms = terms
    }
}
