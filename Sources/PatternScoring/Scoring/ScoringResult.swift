import AfscanCore

/// One evidence span chosen by the scorer, still in *normalized* coordinates: the pipeline maps
/// `start`/`end` back to original bytes and names the rule and block when it builds `Evidence`.
public struct ScoredEvidence: Sendable, Hashable {
    /// The label the span supports (or counts against, when `polarity` is `.counter`).
    public var label: String
    /// Index into `RuleSet.rules`.
    public var rule: Int
    /// Index into `ScoringInput.blocks`.
    public var block: Int
    /// Half-open byte range into the block's normalized UTF-8 text.
    public var start: Int
    public var end: Int
    public var polarity: Rule.Polarity

    public init(label: String, rule: Int, block: Int, start: Int, end: Int, polarity: Rule.Polarity) {
        self.label = label
        self.rule = rule
        self.block = block
        self.start = start
        self.end = end
        self.polarity = polarity
    }
}

/// The scorer's output for one sample.
public struct ScoringResult: Sendable {
    /// Labels in the fixed order of `ScoringLabels.order`, followed by any other label the rule set
    /// feeds (in order of first appearance in the rule set).
    public var labels: [(name: String, value: LabelValue)]
    /// Per label: up to `Scorer.maxPositiveEvidence` positive spans, plus every counter span; ordered
    /// by label (as in `labels`), then polarity (positive first), then block and `start`.
    public var evidence: [ScoredEvidence]
    /// Sample flags, in this order: `decision_flips` (int), `decision_source` (string: `reasoning`,
    /// `output` or `none`), `accept_then_refuse` (bool), `decision_output_mismatch` (bool),
    /// `gates_failed` (string, comma-separated gate names; empty when none failed).
    public var flags: [(key: String, value: JSONScalar)]

    public init(labels: [(name: String, value: LabelValue)], evidence: [ScoredEvidence], flags: [(key: String, value: JSONScalar)]) {
        self.labels = labels
        self.evidence = evidence
        self.flags = flags
    }

    /// The value of the label named `name`, if present.
    public func label(_ name: String) -> LabelValue? {
        labels.first { $0.name == name }?.value
    }

    /// The value of the flag `key`, if present.
    public func flag(_ key: String) -> JSONScalar? {
        flags.first { $0.key == key }?.value
    }
}
