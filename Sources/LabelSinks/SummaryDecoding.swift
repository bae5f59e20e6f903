import AfscanCore
import EvalStatistics
import Foundation

/// Reading a summary JSON back into counts, so that summaries of shards merge exactly (`afscan merge`):
/// every count a `SummaryAccumulator` keeps is written in each group of the summary (records, labelled,
/// rejected by reason, decisions per label, `out.compliance` values, rows routed to a judge, label
/// sources); rates and intervals are recomputed from the merged counts, never averaged.
extension SummaryAccumulator {
    /// A summary that cannot be read back.
    public struct DecodingError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The largest count a summary may hold (10^15 rows): larger ones are refused as no run's.
    static let largestCount = 1_000_000_000_000_000

    /// The counts of a summary JSON object (as `Summary.jsonData()` writes it).
    /// - Throws: `DecodingError` naming the first group or field that is missing or not a count.
    public init(summaryJSON summary: [String: Any]) throws {
        guard let groups = summary["groups"] as? [[String: Any]], summary["totals"] is [String: Any] else {
            throw DecodingError(description: "not a summary: no \"groups\" and \"totals\"")
        }
        let groupBy = (summary["run"] as? [String: Any])?["group_by"] as? [String] ?? []
        self.init(groupBy: groupBy)
        for (i, g) in groups.enumerated() {
            // Counts above 10^15 are no run's: refused, so that sums of shards cannot overflow.
            func count(_ key: String) throws -> Int {
                guard let n = g[key] as? Int, (0...Self.largestCount).contains(n) else { throw DecodingError(description: "group \(i + 1): \"\(key)\" is not a count") }
                return n
            }
            func counts(_ value: Any?, _ key: String) throws -> [String: Int] {
                guard let object = value as? [String: Any] else { throw DecodingError(description: "group \(i + 1): \"\(key)\" is not an object of counts") }
                return try object.mapValues { v in
                    guard let n = v as? Int, (0...Self.largestCount).contains(n) else { throw DecodingError(description: "group \(i + 1): \"\(key)\" holds a value that is not a count") }
                    return n
                }
            }
            guard let conditionText = g["condition"] as? String, let condition = Condition(rawValue: conditionText) else {
                throw DecodingError(description: "group \(i + 1): no known \"condition\"")
            }
            let groupObject = g["group"] as? [String: Any] ?? [:]
            let values: [String?] = groupBy.map { path in
                guard let v = groupObject[path], !(v is NSNull) else { return nil }
                return v as? String ?? SummaryRow.groupValue(jsonObject: v)
            }
            var c = GroupCounts()
            c.records = try count("records")
            c.labelled = try count("labelled")
            c.rejected = try count("rejected")
            c.routedToJudge = try count("routed_to_judge")
            c.rejectedByReason = try counts(g["rejected_by_reason"], "rejected_by_reason")
            c.compliance = try counts(g["compliance"], "compliance")
            guard let decisions = g["decisions"] as? [String: Any] else { throw DecodingError(description: "group \(i + 1): no \"decisions\"") }
            for (label, value) in decisions {
                let d = try counts(value, "decisions.\(label)")
                c.decisions[label] = DecisionCounts(yes: d["yes"] ?? 0, maybe: d["maybe"] ?? 0, no: d["no"] ?? 0, unknown: d["unknown"] ?? 0)
            }
            if let sources = g["label_sources"] as? [String: Any] {
                for (label, value) in sources { c.labelSources[label] = try counts(value, "label_sources.\(label)") }
            }
            guard c.records == c.labelled + c.rejected else {
                throw DecodingError(description: "group \(i + 1): records \(c.records) is not labelled \(c.labelled) + rejected \(c.rejected)")
            }
            // Every labelled row has one decision per label it carries, and one out.compliance value.
            for (label, d) in c.decisions where d.yes + d.maybe + d.no + d.unknown > c.labelled {
                throw DecodingError(description: "group \(i + 1): \(label) has more decisions than the \(c.labelled) labelled rows")
            }
            guard c.compliance.values.reduce(0, +) <= c.labelled, c.rejectedByReason.values.reduce(0, +) == c.rejected,
                  c.routedToJudge <= c.labelled else {
                throw DecodingError(description: "group \(i + 1): compliance, rejection or routing counts do not add up to its labelled and rejected rows")
            }
            self.groups[GroupKey(condition: condition, values: values), default: GroupCounts()].merge(c)
        }
    }
}

extension Summary {
    /// The sensitivity and specificity a summary's groups used for `key` (`prevalence_corrected` or
    /// `prevalence_adjusted`, with the latter's `model_hash`), when every group that has the key agrees;
    /// nil when no group has it.
    /// - Throws: `SummaryAccumulator.DecodingError` when groups disagree.
    public static func accuracy(in summary: [String: Any], key: String) throws -> (accuracy: ClassifierAccuracy, modelHash: String?)? {
        var found: (accuracy: ClassifierAccuracy, modelHash: String?)?
        for g in summary["groups"] as? [[String: Any]] ?? [] {
            guard let p = g[key] as? [String: Any] else { continue }
            guard let se = (p["sensitivity"] as? NSNumber)?.doubleValue, let sp = (p["specificity"] as? NSNumber)?.doubleValue,
                  let a = ClassifierAccuracy(sensitivity: se, specificity: sp) else {
                throw SummaryAccumulator.DecodingError(description: "\(key) without a valid sensitivity and specificity")
            }
            let entry = (a, p["model_hash"] as? String)
            if let f = found, f.accuracy != entry.0 || f.modelHash != entry.1 {
                throw SummaryAccumulator.DecodingError(description: "groups hold different \(key) inputs")
            }
            found = entry
        }
        return found
    }
}
