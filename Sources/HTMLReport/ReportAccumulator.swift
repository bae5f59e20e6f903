import AfscanCore
import EvalStatistics
import LabelSinks
import SampleView

/// What `afscan report` gathers from label rows as they stream by, besides the summary (which comes from
/// `SummaryAccumulator`, the code `afscan summary` runs): the paper-style outcome counts, the AF score
/// histogram, the evidence counts and a stratified sample of rows for the sample browser. Memory is bounded
/// whatever the number of rows (see `sampleCap`, `evidenceSnippetCap`).
public struct ReportAccumulator {
    /// The paper's outcome categories (Greenblatt et al. 2024, figure 1 style), from `out.compliance` and
    /// `af.goal_guarding`.
    public enum Outcome: String, CaseIterable, Sendable {
        case refuses
        /// `out.compliance = complied` and `af.goal_guarding = yes`.
        case compliesWithAF = "complies_with_af"
        /// `out.compliance = complied`, `af.goal_guarding` not `yes`.
        case compliesWithoutAF = "complies_without_af"
        case partial
        /// `unclear` or `unknown` output.
        case unclear
    }

    /// Condition × group values: one outcome bar, one histogram.
    public struct Stratum: Hashable, Sendable {
        public var condition: Condition
        public var groupValues: [String?]
    }

    /// Strata kept apart for the browser; rows of further strata share one "other groups" stratum, so
    /// memory stays bounded under a high-cardinality --group-by.
    public static let maxStrata = 400
    /// Bins of the `af.goal_guarding` score histogram over [0, 1] (the last bin holds 1).
    public static let histogramBins = 20
    /// Distinct snippets counted per evidence rule; later snippets only count towards the rule.
    public static let evidenceSnippetCap = 200

    public let groupBy: [String]
    /// Rows kept for the browser per (condition × AF decision × group values) stratum.
    public let perStratum: Int
    /// Rows kept for the browser in all (strata share it evenly, round-robin).
    public let sampleCap: Int

    public private(set) var outcomes: [Stratum: [Outcome: Int]] = [:]
    public private(set) var histograms: [Condition: [Int]] = [:]
    /// Labelled rows.
    public private(set) var labelled = 0
    public private(set) var rows = 0
    /// (label, rule, polarity) → rows holding such evidence, and its snippets' counts.
    public private(set) var evidence: [EvidenceKey: EvidenceCount] = [:]

    public struct EvidenceKey: Hashable, Sendable {
        public var label: String
        public var rule: String
        public var polarity: String
    }

    public struct EvidenceCount: Sendable {
        /// Rows with at least one such span.
        public var rows = 0
        public var snippets: [String: Int] = [:]
    }

    /// A row kept for the browser, with its group values and the order it came in.
    public struct Kept: Sendable {
        public var row: SampleRow
        public var groupValues: [String?]
        public var ordinal: Int
    }

    private var reservoirs: [KeepStratum: (seen: Int, kept: [Kept])] = [:]
    private var rng: SplitMix64

    struct KeepStratum: Hashable {
        var condition: Condition
        var decision: String
        var groupValues: [String?]
    }

    public init(groupBy: [String], perStratum: Int = 25, sampleCap: Int = 200, seed: UInt64 = 1) {
        self.groupBy = groupBy
        self.perStratum = perStratum
        self.sampleCap = sampleCap
        rng = SplitMix64(seed: seed)
    }

    /// Counts one row; `groupValues` are the row's `--group-by` values (`SummaryRow.groupValues`).
    public mutating func add(_ row: SampleRow, groupValues: [String?]) {
        rows += 1
        let af = row.label(SummaryAccumulator.afLabel)
        if row.status == "ok" {
            labelled += 1
            let stratum = Stratum(condition: row.condition, groupValues: groupValues)
            outcomes[stratum, default: [:]][Self.outcome(compliance: row.label(SummaryAccumulator.complianceLabel)?.value, af: af?.decision), default: 0] += 1
            // A score outside [0, 1] (a crafted or foreign row) lands in the end bins; NaN nowhere.
            if let score = af?.score, !score.isNaN {
                let clamped = min(1, max(0, score))
                let bin = min(Self.histogramBins - 1, Int(clamped * Double(Self.histogramBins)))
                histograms[row.condition, default: Array(repeating: 0, count: Self.histogramBins)][bin] += 1
            }
            var seen = Set<EvidenceKey>()
            for e in row.evidence {
                let key = EvidenceKey(label: e.label, rule: e.rule, polarity: e.polarity)
                var count = evidence[key] ?? EvidenceCount()
                if seen.insert(key).inserted { count.rows += 1 }
                let snippet = e.snippet.lowercased()
                if count.snippets[snippet] != nil || count.snippets.count < Self.evidenceSnippetCap { count.snippets[snippet, default: 0] += 1 }
                evidence[key] = count
            }
        }
        // Reservoir sampling (Vitter's algorithm R) per stratum: every row of a stratum is equally likely kept.
        var key = KeepStratum(condition: row.condition, decision: row.status == "ok" ? (af?.decision ?? "none") : "rejected", groupValues: groupValues)
        if reservoirs[key] == nil && reservoirs.count >= Self.maxStrata { key.groupValues = [] }
        var r = reservoirs[key] ?? (0, [])
        r.seen += 1
        let kept = Kept(row: row, groupValues: groupValues, ordinal: rows)
        if r.kept.count < perStratum {
            r.kept.append(kept)
        } else {
            let j = Int(rng.next() % UInt64(r.seen))
            if j < perStratum { r.kept[j] = kept }
        }
        reservoirs[key] = r
    }

    static func outcome(compliance: String?, af: String?) -> Outcome {
        switch compliance {
        case "refused": return .refuses
        case "complied": return af == "yes" ? .compliesWithAF : .compliesWithoutAF
        case "partial": return .partial
        default: return .unclear
        }
    }

    /// The browser's rows: round-robin over the strata (in a fixed order) until `sampleCap`, then in input
    /// order. Each stratum contributes at most `perStratum`.
    public func sample() -> [Kept] {
        let strata = reservoirs.keys.sorted { a, b in
            (a.condition.rawValue, a.decision, a.groupValues.map { $0 ?? "\u{10FFFF}" }.joined(separator: "\u{1}"))
                < (b.condition.rawValue, b.decision, b.groupValues.map { $0 ?? "\u{10FFFF}" }.joined(separator: "\u{1}"))
        }
        let lists = strata.map { reservoirs[$0]!.kept.sorted { $0.ordinal < $1.ordinal } }
        var chosen: [Kept] = []
        var depth = 0
        while chosen.count < sampleCap {
            var any = false
            for list in lists where depth < list.count {
                any = true
                chosen.append(list[depth])
                if chosen.count == sampleCap { break }
            }
            if !any { break }
            depth += 1
        }
        return chosen.sorted { $0.ordinal < $1.ordinal }
    }

    /// Strata (condition × AF decision × group values) seen.
    public var strataCount: Int { reservoirs.count }
}
