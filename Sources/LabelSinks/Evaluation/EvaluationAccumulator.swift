/// Collects `EvalRowReading`s (from label files or an in-process labelling run) per input file, and
/// turns them into an `EvaluationReport`.
///
/// Memory: one `EvalObservation` per counted row (with at most `evidencePerRow` snippets).
public struct EvaluationAccumulator: Sendable {
    public let reference: ReferenceRule
    public let options: EvaluationOptions
    /// File display names in order of first appearance.
    private(set) var files: [String] = []
    private var observations: [String: [EvalObservation]] = [:]
    private var counts: [String: EvaluationCounts] = [:]
    /// Rules hashes seen in the rows.
    public private(set) var rulesHashes: Set<String> = []
    /// Lines that were not label rows.
    public private(set) var notLabelRows = 0

    public init(reference: ReferenceRule, options: EvaluationOptions) {
        self.reference = reference
        self.options = options
    }

    /// Reads one parsed label row and counts it.
    /// - Returns: what the row was read as (a `.notLabelRow` carries the reason, for a message).
    @discardableResult
    public mutating func add(labelRowJSON row: [String: Any]) -> EvalRowReading {
        if let hash = row["rules_hash"] as? String { rulesHashes.insert(hash) }
        let reading = EvalObservation.read(labelRowJSON: row, label: options.label, reference: reference,
                                           evidenceLimit: options.evidencePerRow)
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
