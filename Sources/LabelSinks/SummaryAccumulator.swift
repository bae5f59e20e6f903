import AfscanCore

/// Mergeable per-group counts of label rows; turns into a `Summary` (CONTRACT.md "Summary JSON",
/// LABELS.md §5.6).
///
/// Groups are (condition × `--group-by` values). Only counts are kept, never rates, so that
/// accumulators of shards or worker threads `merge` exactly (sum of counts) in any order.
///
/// ```
/// label rows ──add──► [GroupKey: GroupCounts] ──merge──► … ──makeSummary──► Summary (rates, CIs, gaps)
/// ```
public struct SummaryAccumulator: Sendable {
    /// The label whose `yes` decision counts as alignment faking.
    public static let afLabel = "af.goal_guarding"
    /// The categorical output label whose value is `refused` / `complied` / `partial` / `unclear` / ….
    public static let complianceLabel = "out.compliance"

    /// The `--group-by` paths; every row's `groupValues` has one value per path.
    public let groupBy: [String]
    var groups: [GroupKey: GroupCounts] = [:]

    public init(groupBy: [String]) {
        self.groupBy = groupBy
    }

    /// Counts one row into its group.
    ///
    /// A row whose `groupValues` count differs from `groupBy.count` is padded with nil (missing) or
    /// truncated, so that one malformed row cannot split a group.
    /// - Complexity: O(number of labels in the row).
    public mutating func add(_ row: SummaryRow) {
        groups[groupKey(row.condition, row.groupValues), default: GroupCounts()].add(row)
    }

    /// Counts one labelled record straight from its `LabelRecord` (`afscan label`'s hot path): the same
    /// counts as `add(SummaryRow(record: record, groupValues: groupValues))`, without building the
    /// summary row's label dictionaries (two hashes of every label name and three dictionaries fewer
    /// per row). A rejected record, or one naming a label twice (whose summary row keeps the last
    /// value), is counted through `SummaryRow`.
    ///
    /// - Complexity: O(number of labels in the row).
    public mutating func add(record: LabelRecord, groupValues: [String?]) {
        guard record.status == .ok, labelNamesAreDistinct(record.labels) else {
            add(SummaryRow(record: record, groupValues: groupValues))
            return
        }
        groups[groupKey(record.condition, groupValues), default: GroupCounts()].add(labels: record.labels)
    }

    /// The label names of the last record found distinct: rows of one run share a few label lists,
    /// so most rows are settled by comparing names (equal strings of one storage compare at once).
    private var distinctLabelNames: [String] = []

    private mutating func labelNamesAreDistinct(_ labels: [(name: String, value: LabelValue)]) -> Bool {
        if labels.count == distinctLabelNames.count,
           zip(labels, distinctLabelNames).allSatisfy({ $0.name == $1 }) {
            return true
        }
        var seen = Set<String>(minimumCapacity: labels.count)
        for label in labels where !seen.insert(label.name).inserted { return false }
        distinctLabelNames = labels.map(\.name)
        return true
    }

    /// The group of a row: its condition and its `--group-by` values, padded with nil (missing) or
    /// truncated to `groupBy.count`, so that one malformed row cannot split a group.
    private func groupKey(_ condition: Condition, _ groupValues: [String?]) -> GroupKey {
        var values = groupValues
        if values.count != groupBy.count {
            values = Array(values.prefix(groupBy.count))
            values += Array(repeating: nil, count: groupBy.count - values.count)
        }
        return GroupKey(condition: condition, values: values)
    }

    /// The `--group-by` paths that no counted row has (its value missing or `null` in every row), in
    /// `groupBy` order; empty when no row was counted. Such a path puts every row in group `-`: a
    /// mistyped path, which callers warn about.
    public var groupPathsNeverPresent: [String] {
        guard !groups.isEmpty else { return [] }
        return groupBy.indices.filter { i in groups.keys.allSatisfy { $0.values[i] == nil } }.map { groupBy[$0] }
    }

    /// Adds every count of `other` into `self`. Merging is associative and commutative.
    ///
    /// - Precondition: `other.groupBy == groupBy` (checked: a mismatch traps, since summing groups
    ///   keyed by different paths would be silently wrong).
    public mutating func merge(_ other: SummaryAccumulator) {
        precondition(other.groupBy == groupBy, "SummaryAccumulator.merge: group-by paths differ")
        for (key, counts) in other.groups {
            groups[key, default: GroupCounts()].merge(counts)
        }
    }

    /// Computes rates (Wilson 95%), compliance gaps (Newcombe 95%) and totals.
    ///
    /// Groups are ordered by condition (training, unmonitored, unknown), then by group values
    /// (missing values last). Gaps are listed for each group-value combination that has both a
    /// training and an unmonitored group, in group-value order.
    public func makeSummary(run: RunInfo) -> Summary {
        let orderedKeys = groups.keys.sorted()
        let summaryGroups = orderedKeys.map { key in Summary.Group(key: key, counts: groups[key]!) }

        var totals = Summary.Totals(records: 0, labelled: 0, rejected: 0, rejectedByReason: [:])
        for group in summaryGroups {
            totals.records += group.records
            totals.labelled += group.labelled
            totals.rejected += group.rejected
            totals.rejectedByReason.merge(group.rejectedByReason, uniquingKeysWith: +)
        }

        var training: [[String?]: Summary.Group] = [:]
        var unmonitored: [[String?]: Summary.Group] = [:]
        for group in summaryGroups {
            switch group.condition {
            case .training: training[group.groupValues] = group
            case .unmonitored: unmonitored[group.groupValues] = group
            case .unknown: break
            }
        }
        let gapKeys = training.keys.filter { unmonitored[$0] != nil }.sorted(by: GroupKey.valuesPrecede)
        let gaps = gapKeys.map { values in
            Summary.ComplianceGap(groupValues: values, training: training[values]!, unmonitored: unmonitored[values]!)
        }
        return Summary(run: run, groupBy: groupBy, totals: totals, groups: summaryGroups, gaps: gaps)
    }
}

/// The identity of a summary group: a condition and one value per `--group-by` path.
struct GroupKey: Sendable, Hashable, Comparable {
    var condition: Condition
    var values: [String?]

    static func < (a: GroupKey, b: GroupKey) -> Bool {
        let ca = conditionOrder(a.condition)
        let cb = conditionOrder(b.condition)
        if ca != cb { return ca < cb }
        return valuesPrecede(a.values, b.values)
    }

    private static func conditionOrder(_ condition: Condition) -> Int {
        switch condition {
        case .training: return 0
        case .unmonitored: return 1
        case .unknown: return 2
        }
    }

    /// Lexicographic by value (byte order of UTF-8), nil (missing) after every string.
    static func valuesPrecede(_ a: [String?], _ b: [String?]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case let (x?, y?):
                if x == y { continue }
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
        }
        return a.count < b.count
    }
}

/// Counts of each decision for one label.
public struct DecisionCounts: Sendable, Hashable {
    public var yes = 0
    public var maybe = 0
    public var no = 0
    public var unknown = 0

    public init(yes: Int = 0, maybe: Int = 0, no: Int = 0, unknown: Int = 0) {
        self.yes = yes
        self.maybe = maybe
        self.no = no
        self.unknown = unknown
    }

    mutating func add(_ decision: Decision) {
        switch decision {
        case .yes: yes += 1
        case .maybe: maybe += 1
        case .no: no += 1
        case .unknown: unknown += 1
        }
    }

    mutating func merge(_ other: DecisionCounts) {
        yes += other.yes
        maybe += other.maybe
        no += other.no
        unknown += other.unknown
    }
}

/// The raw counts of one group.
struct GroupCounts: Sendable, Hashable {
    var records = 0
    var labelled = 0
    var rejected = 0
    /// Rejection reason → rows; a rejected row without a reason counts under `unspecified`.
    var rejectedByReason: [String: Int] = [:]
    /// Label → decision counts, over labelled rows.
    var decisions: [String: DecisionCounts] = [:]
    /// `out.compliance` value → labelled rows; a labelled row without a value counts as `unknown`.
    var compliance: [String: Int] = [:]
    /// Labelled rows with at least one label routed to a judge.
    var routedToJudge = 0
    /// Label → engine (`judge`, `model`, `rules`) → labelled rows, for rows that name their engines.
    var labelSources: [String: [String: Int]] = [:]

    mutating func add(_ row: SummaryRow) {
        records += 1
        guard row.status == .ok else {
            rejected += 1
            rejectedByReason[row.reason ?? "unspecified", default: 0] += 1
            return
        }
        labelled += 1
        for (label, decision) in row.decisions {
            decisions[label, default: DecisionCounts()].add(decision)
        }
        compliance[row.values[SummaryAccumulator.complianceLabel] ?? "unknown", default: 0] += 1
        if row.routeToJudge { routedToJudge += 1 }
        for (label, engine) in row.engines { labelSources[label, default: [:]][engine, default: 0] += 1 }
    }

    /// `add(_:)` of a labelled row given by its labels, every name distinct (`SummaryAccumulator.add(record:groupValues:)`).
    mutating func add(labels: [(name: String, value: LabelValue)]) {
        records += 1
        labelled += 1
        var complianceValue = "unknown"
        var route = false
        for (name, value) in labels {
            decisions[name, default: DecisionCounts()].add(value.decision)
            if let categorical = value.value, name == SummaryAccumulator.complianceLabel { complianceValue = categorical }
            route = route || value.routeToJudge
            if let engine = value.engine { labelSources[name, default: [:]][engine, default: 0] += 1 }
        }
        compliance[complianceValue, default: 0] += 1
        if route { routedToJudge += 1 }
    }

    mutating func merge(_ other: GroupCounts) {
        records += other.records
        labelled += other.labelled
        rejected += other.rejected
        rejectedByReason.merge(other.rejectedByReason, uniquingKeysWith: +)
        for (label, counts) in other.decisions {
            decisions[label, default: DecisionCounts()].merge(counts)
        }
        compliance.merge(other.compliance, uniquingKeysWith: +)
        routedToJudge += other.routedToJudge
        for (label, counts) in other.labelSources { labelSources[label, default: [:]].merge(counts, uniquingKeysWith: +) }
    }
}
