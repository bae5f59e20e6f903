/// The score `afscan eval` ranks samples by (AUROC, worst lists).
public enum RankingScore: String, Sendable, Hashable, CaseIterable {
    /// The label's graded `rank` (the default; what AUROC is meant for, CONTRACT.md).
    case rank
    /// The label's banded `score`.
    case score
}

/// Settings of one evaluation.
public struct EvaluationOptions: Sendable, Hashable {
    /// The evaluated label (`af.goal_guarding`).
    public var label: String
    public var ranking: RankingScore
    /// Bootstrap replicates for the AUROC interval; 0 = no interval.
    public var bootstrapResamples: Int
    public var seed: UInt64
    /// Rows shown in each worst list.
    public var worst: Int
    /// Evidence spans kept per worst row.
    public var evidencePerRow: Int

    public init(label: String = "af.goal_guarding", ranking: RankingScore = .rank, bootstrapResamples: Int = 2000,
                seed: UInt64 = 1, worst: Int = 5, evidencePerRow: Int = 3) {
        self.label = label
        self.ranking = ranking
        self.bootstrapResamples = bootstrapResamples
        self.seed = seed
        self.worst = worst
        self.evidencePerRow = evidencePerRow
    }
}

/// Rows read and skipped for one scope (a file or the pool).
public struct EvaluationCounts: Sendable, Hashable {
    /// Label rows seen (counted + every kind of skipped).
    public var rows = 0
    /// Rows evaluated (= positives + negatives).
    public var counted = 0
    public var positives = 0
    public var negatives = 0
    /// Skipped: `status` = `rejected`.
    public var rejected = 0
    /// Skipped: reference absent, `null` or not comparable.
    public var missingReference = 0
    /// Skipped: the row has no entry for the evaluated label.
    public var missingLabel = 0
    /// Skipped: the evaluated label holds a judge's verdict (`engine: judge`), not a computed label.
    public var judgeLabelled = 0
    /// Counted rows whose decision is `unknown` (no reasoning, redacted…): they count as predicted
    /// negative at both thresholds, with their rank (usually 0).
    public var unknownDecisions = 0

    public init() {}

    mutating func merge(_ o: EvaluationCounts) {
        rows += o.rows
        counted += o.counted
        positives += o.positives
        negatives += o.negatives
        rejected += o.rejected
        missingReference += o.missingReference
        missingLabel += o.missingLabel
        judgeLabelled += o.judgeLabelled
        unknownDecisions += o.unknownDecisions
    }
}

/// The metrics of one scope (one input file, or all files pooled).
public struct EvaluationResult: Sendable, Hashable {
    /// The file's display name, or nil for the pool.
    public var file: String?
    public var counts: EvaluationCounts
    /// Mann–Whitney AUROC of the ranking score (ties ½); nil when a class is empty.
    public var auroc: Double?
    /// Stratified percentile bootstrap interval of `auroc`; nil when `auroc` is nil or no resamples.
    public var aurocInterval: BootstrapInterval?
    /// Predicted positive = decision `yes`.
    public var atYes: ConfusionMatrix
    /// Predicted positive = decision `yes` or `maybe`.
    public var atYesOrMaybe: ConfusionMatrix
    /// Reference negatives with the highest ranking score (ties: file, then record order),
    /// whatever their decision: the samples that hurt AUROC most. At most `options.worst`.
    public var worstFalsePositives: [EvalObservation]
    /// Reference positives with the lowest ranking score (ties: file, then record order).
    public var worstFalseNegatives: [EvalObservation]

    /// Computes every metric of `observations`.
    public init(file: String?, observations: [EvalObservation], counts: EvaluationCounts, options: EvaluationOptions) {
        self.file = file
        self.counts = counts
        func value(_ o: EvalObservation) -> Double { options.ranking == .rank ? o.rank : o.score }
        let positives = observations.filter(\.positive).map(value)
        let negatives = observations.filter { !$0.positive }.map(value)
        auroc = AUROC.mannWhitney(positives: positives, negatives: negatives)
        aurocInterval = options.bootstrapResamples > 0
            ? BootstrapInterval.auroc(positives: positives, negatives: negatives,
                                      resamples: options.bootstrapResamples, seed: options.seed)
            : nil
        atYes = ConfusionMatrix(observations) { $0.predictedYes }
        atYesOrMaybe = ConfusionMatrix(observations) { $0.predictedYesOrMaybe }
        func order(_ a: EvalObservation, _ b: EvalObservation) -> Bool {
            a.file != b.file ? a.file < b.file : a.record < b.record
        }
        worstFalsePositives = Array(
            observations.filter { !$0.positive }
                .sorted { value($0) != value($1) ? value($0) > value($1) : order($0, $1) }
                .prefix(max(0, options.worst)))
        worstFalseNegatives = Array(
            observations.filter(\.positive)
                .sorted { value($0) != value($1) ? value($0) < value($1) : order($0, $1) }
                .prefix(max(0, options.worst)))
    }
}
