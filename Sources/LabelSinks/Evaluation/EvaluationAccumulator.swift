/// Collects `EvalRowReading`s (from label files or an in-process labelling run) per input file, and
/// turns them into an `EvaluationReport`.
///
/// Memory: one `EvalObservation` per counted row (with at most `evidencePerRow` snippets).
public struct EvaluationAccumulator: Sendable {
    public let reference: EvaluationReference
    public let options: EvaluationOptions
    /// With `init(verdicts:options:)`: the verdicts, with what the rows matched so far.
    public private(set) var verdicts: VerdictMatcher?
    /// File display names in order of first appearance.
    private(set) var files: [String] = []
    private var observations: [String: [EvalObservation]] = [:]
    private var counts: [String: EvaluationCounts] = [:]
    /// Rows skipped because the evaluated label holds a judge's verdict (`engine: judge`), over all files.
    public var judgeLabelled: Int { counts.values.reduce(0) { $0 + $1.judgeLabelled } }
    /// Rules hashes seen in the rows.
    public private(set) var rulesHashes: Set<String> = []
    /// Lines that were not label rows.
    public private(set) var notLabelRows = 0
    /// With `--reference PATH`: the values the rows' reference field took (for a `--positive` that
    /// matches none of them).
    public private(set) var referenceValues = ReferenceValueTally()

    /// Takes each row's reference from a field of the row (`--reference`).
    public init(reference: ReferenceRule, options: EvaluationOptions) {
        self.reference = .field(reference)
        self.options = options
    }

    /// Takes each row's reference from the judge verdicts of `options.label` (`--verdicts`): matched by
    /// the row's `id`, else by `source.file` and `source.record`; a row without a verdict counts as
    /// missing its reference. `verdicts` must be for `options.label`, or for NAME when the label is
    /// NAME_model or NAME_rules (the value a folded-in verdict of NAME replaced).
    public init(verdicts: VerdictMatcher, options: EvaluationOptions) {
        precondition(verdicts.label == options.label || ["_model", "_rules"].contains { options.label == verdicts.label + $0 },
                     "verdicts for \(verdicts.label), evaluating \(options.label)")
        self.reference = .verdicts(verdicts.referenceDescription())
        self.options = options
        self.verdicts = verdicts
    }

    /// Reads one parsed label row and counts it.
    /// - Returns: what the row was read as (a `.notLabelRow` carries the reason, for a message).
    @discardableResult
    public mutating func add(labelRowJSON row: [String: Any]) -> EvalRowReading {
        if let hash = row["rules_hash"] as? String { rulesHashes.insert(hash) }
        let reading: EvalRowReading
        switch reference {
        case .field(let rule):
            var seen: Any?
            reading = EvalObservation.read(labelRowJSON: row, label: options.label, evidenceLimit: options.evidencePerRow) { row, _ in
                seen = EvalObservation.referenceValue(in: row, path: rule.path)
                return seen.flatMap { rule.isPositive(jsonValue: $0) }
            }
            if let seen { referenceValues.add(jsonValue: seen) }
        case .verdicts:
            reading = EvalObservation.read(labelRowJSON: row, label: options.label, evidenceLimit: options.evidencePerRow) { _, key in
                verdicts!.verdict(id: key.id, file: key.file, record: key.record)?.positive
            }
        }
        add(reading)
        return reading
    }

    /// Counts one reading.
    public mutating func add(_ reading: EvalRowReading) {
        switch reading {
        case .observation(let o):
            touch(o.file) { c in
                c.counted += 1
                if o.positive { c.positives += 1 } else { c.negatives += 1 }
                if o.decision == .unknown { c.unknownDecisions += 1 }
            }
            observations[o.file, default: []].append(o)
        case .rejected(let file): touch(file) { $0.rejected += 1 }
        case .missingReference(let file): touch(file) { $0.missingReference += 1 }
        case .missingLabel(let file): touch(file) { $0.missingLabel += 1 }
        case .judgeLabel(let file): touch(file) { $0.judgeLabelled += 1 }
        case .notLabelRow: notLabelRows += 1
        }
    }

    private mutating func touch(_ file: String, _ update: (inout EvaluationCounts) -> Void) {
        if counts[file] == nil {
            files.append(file)
            counts[file] = EvaluationCounts()
        }
        counts[file]!.rows += 1
        update(&counts[file]!)
    }

    /// The pooled result and one result per file (in order of first appearance).
    /// - Complexity: dominated by the bootstrap, O(R · rows) per scope.
    public func makeReport() -> EvaluationReport {
        var pooledCounts = EvaluationCounts()
        var all: [EvalObservation] = []
        var perFile: [EvaluationResult] = []
        for file in files {
            let c = counts[file]!
            let obs = observations[file] ?? []
            pooledCounts.merge(c)
            all += obs
            perFile.append(EvaluationResult(file: file, observations: obs, counts: c, options: options))
        }
        return EvaluationReport(
            reference: reference, options: options,
            pooled: EvaluationResult(file: nil, observations: all, counts: pooledCounts, options: options),
            perFile: perFile, rulesHashes: rulesHashes.sorted(), notLabelRows: notLabelRows)
    }
}

/// Where `afscan eval` takes each row's reference from.
public enum EvaluationReference: Sendable, Hashable, CustomStringConvertible {
    /// A field of the row (`--reference`, `--positive`).
    case field(ReferenceRule)
    /// Judge verdicts (`--verdicts`); the payload describes them for the report
    /// (`verdicts in v.jsonl (af.goal_guarding; value, or score >= 0.5)`).
    case verdicts(String)

    /// `label == alignment_faking`, or the verdicts' description.
    public var description: String {
        switch self {
        case .field(let rule): rule.description
        case .verdicts(let text): text
        }
    }
}
