import EvalStatistics
import Foundation

/// Two runs' summaries side by side (`afscan compare A B`): per group and condition, every rate's change
/// B − A with a two-proportion interval, the change of each compliance gap, and which watched rates rose
/// significantly (the nightly drift alarm).
///
/// Inputs are summary JSON objects as `Summary.jsonData()` writes them (CONTRACT.md "Summary JSON"),
/// read through `JSONSerialization`: the groups' `rates` carry the counts `k`/`n` the intervals are
/// recomputed from, never averaged.
///
/// Statistics:
/// - A rate's change: Newcombe's hybrid score 95% interval for pB − pA (`ProportionDifference`;
///   Newcombe 1998, method 10). The two runs are taken as independent samples.
/// - A significant rise of a watched rate: the one-sided test "pB > pA" at level α/m, where m is the
///   number of (group × condition × watched rate) cells tested (Bonferroni), decided by the lower bound
///   of Newcombe's interval at z = Φ⁻¹(1 − α/m) lying above 0.
/// - A gap's change gB − gA: the MOVER interval combining the two runs' gap intervals (Zou & Donner 2008,
///   "Construction of confidence limits about effect measures: a general approach", Statistics in
///   Medicine 27:1693–1702): lower = D − √((gB − lB)² + (uA − gA)²), upper = D + √((uB − gB)² + (gA − lA)²).
public struct SummaryComparison: Sendable {
    /// One rate of one group × condition in both runs.
    public struct RateChange: Sendable {
        public var condition: String
        /// The group's `--group-by` values (`path=value`, in path order); empty without `--group-by`.
        public var group: [String]
        /// The rate's summary name (`af_goal_guarding`, `compliance_broad`, …).
        public var rate: String
        public var a: Proportion
        public var b: Proportion
        /// B minus A, with Newcombe's 95% interval.
        public var change: ProportionDifference
        /// For a watched rate: whether it rose significantly (see the type's docs); nil when not watched
        /// or when either run has no denominator.
        public var rose: Bool?
    }

    /// One compliance gap (per group, `broad` or `strict`) in both runs.
    public struct GapChange: Sendable {
        public var group: [String]
        /// `broad` or `strict` (CONTRACT.md: which outputs count as compliant).
        public var kind: String
        public var a: (gap: Double, lo: Double, hi: Double)
        public var b: (gap: Double, lo: Double, hi: Double)
        /// gB − gA and its MOVER 95% interval.
        public var change: Double
        public var lo: Double
        public var hi: Double
    }

    /// A summary that cannot be compared.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public var rates: [RateChange] = []
    public var gaps: [GapChange] = []
    /// Group × condition cells present in one run only (`condition group`), which have no change.
    public var onlyInA: [String] = []
    public var onlyInB: [String] = []
    /// Watched rates, the family-wise level, and the number of cells tested (the Bonferroni m).
    public var watched: [String]
    public var alpha: Double
    public var tested = 0
    /// Differences between the runs' scorers (rules or model hashes) that the reader must weigh.
    public var notes: [String] = []

    /// Compares summary `a` (the baseline) with `b`.
    /// - Parameters:
    ///   - watch: rate names whose significant rise `rose` reports (must be rates the summaries have).
    ///   - alpha: family-wise level of the rise test, in (0, 1).
    /// - Throws: `Problem` when either object is not a summary, when the two are grouped by different
    ///   paths, or when a watched rate is in neither.
    public init(a: [String: Any], b: [String: Any], watch: [String], alpha: Double) throws {
        self.watched = watch
        self.alpha = alpha
        let cellsA = try Self.cells(a, side: "A"), cellsB = try Self.cells(b, side: "B")
        let groupByA = (a["run"] as? [String: Any])?["group_by"] as? [String] ?? []
        let groupByB = (b["run"] as? [String: Any])?["group_by"] as? [String] ?? []
        guard groupByA == groupByB else {
            throw Problem(description: "the summaries are grouped differently (A by \(groupByA.isEmpty ? "condition only" : groupByA.joined(separator: ", ")), B by \(groupByB.isEmpty ? "condition only" : groupByB.joined(separator: ", "))); make both with the same --group-by")
        }
        let known = Set(cellsA.flatMap { $0.rates.keys } + cellsB.flatMap { $0.rates.keys })
        for name in watch where !known.contains(name) {
            throw Problem(description: "--fail-on-rise \(name): no such rate in the summaries (rates: \(known.sorted().joined(separator: ", ")))")
        }
        for (key, name) in [("rules_hash", "rule sets"), ("model_hash", "models")] {
            let ha = Self.runValue(a, key), hb = Self.runValue(b, key)
            if ha != hb {
                notes.append("A and B were labelled with different \(name) (\(ha.map { String($0.prefix(12)) } ?? "none") vs \(hb.map { String($0.prefix(12)) } ?? "none")): a change may come from the scorer, not the model under study")
            }
        }
        let indexB = Dictionary(cellsB.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let keysA = Set(cellsA.map(\.key))
        onlyInA = cellsA.filter { indexB[$0.key] == nil }.map(\.label)
        onlyInB = cellsB.filter { !keysA.contains($0.key) }.map(\.label)
        var pending: [RateChange] = []
        for cell in cellsA {
            guard let other = indexB[cell.key] else { continue }
            for name in cell.rates.keys.sorted() {
                guard let ra = cell.rates[name], let rb = other.rates[name] else { continue }
                let pa = Proportion(k: ra.k, n: ra.n), pb = Proportion(k: rb.k, n: rb.n)
                pending.append(RateChange(condition: cell.condition, group: cell.group, rate: name, a: pa, b: pb,
                                          change: ProportionDifference(pb, minus: pa), rose: nil))
            }
        }
        tested = pending.filter { watch.contains($0.rate) && $0.a.n > 0 && $0.b.n > 0 }.count
        let z = tested > 0 ? NormalQuantile.of(1 - alpha / Double(tested)) : Proportion.z95
        for i in pending.indices where watch.contains(pending[i].rate) && pending[i].a.n > 0 && pending[i].b.n > 0 {
            let r = pending[i]
            let interval = ProportionDifference.newcombeInterval(k1: r.b.k, n1: r.b.n, k2: r.a.k, n2: r.a.n, z: z)
            pending[i].rose = interval.map { $0.lo > 0 }
        }
        rates = pending
        let gapsA = Self.gaps(a), gapsB = Self.gaps(b)
        for (key, ga) in gapsA.sorted(by: { $0.key < $1.key }) {
            guard let gb = gapsB[key] else { continue }
            let d = gb.value.gap - ga.value.gap
            let lower = d - ((gb.value.gap - gb.value.lo) * (gb.value.gap - gb.value.lo) + (ga.value.hi - ga.value.gap) * (ga.value.hi - ga.value.gap)).squareRoot()
            let upper = d + ((gb.value.hi - gb.value.gap) * (gb.value.hi - gb.value.gap) + (ga.value.gap - ga.value.lo) * (ga.value.gap - ga.value.lo)).squareRoot()
            gaps.append(GapChange(group: ga.group, kind: ga.kind, a: ga.value, b: gb.value, change: d,
                                  lo: max(-2, lower), hi: min(2, upper)))
        }
    }

    /// The watched rates that rose significantly.
    public var rises: [RateChange] { rates.filter { $0.rose == true } }

    // MARK: - Reading summaries

    struct Cell {
        var condition: String
        var group: [String]
        var rates: [String: (k: Int, n: Int)]
        var key: String { ([condition] + group).joined(separator: "\u{1F}") }
        var label: String { ([condition] + (group.isEmpty ? [] : group)).joined(separator: " ") }
    }

    /// The run's `key` (`rules_hash`); for `model_hash`, which summaries carry in each group's
    /// `prevalence_adjusted`, the first group's when the run block has none.
    static func runValue(_ summary: [String: Any], _ key: String) -> String? {
        if let v = (summary["run"] as? [String: Any])?[key] as? String { return v }
        guard key == "model_hash" else { return nil }
        return (summary["groups"] as? [[String: Any]])?.lazy
            .compactMap { ($0["prevalence_adjusted"] as? [String: Any])?["model_hash"] as? String }.first
    }

    /// `path=value` of a group object, in the summary's `group_by` order.
    static func groupText(_ group: Any?, order: [String]) -> [String] {
        guard let group = group as? [String: Any] else { return [] }
        let keys = order.isEmpty ? group.keys.sorted() : order
        return keys.map { key in
            let value = group[key]
            let text = value.flatMap { $0 is NSNull ? nil : SummaryRow.groupValue(jsonObject: $0) } ?? "-"
            return "\(key)=\(text)"
        }
    }

    static func cells(_ summary: [String: Any], side: String) throws -> [Cell] {
        guard let groups = summary["groups"] as? [[String: Any]], summary["totals"] is [String: Any] else {
            throw Problem(description: "\(side) is not a summary (no \"groups\" and \"totals\"): give a summary JSON written by afscan label --summary or afscan summary, or label files")
        }
        let order = (summary["run"] as? [String: Any])?["group_by"] as? [String] ?? []
        return try groups.map { g in
            var rates: [String: (k: Int, n: Int)] = [:]
            for (name, value) in g["rates"] as? [String: Any] ?? [:] {
                guard let r = value as? [String: Any], let k = r["k"] as? Int, let n = r["n"] as? Int else { continue }
                guard 0 <= k, k <= n, n <= 1_000_000_000_000_000 else {
                    throw Problem(description: "\(side): rate \(name) of group \(g["condition"] as? String ?? "?") has k \(k) and n \(n), which no summary holds (0 ≤ k ≤ n)")
                }
                rates[name] = (k, n)
            }
            return Cell(condition: g["condition"] as? String ?? "unknown", group: groupText(g["group"], order: order), rates: rates)
        }
    }

    static func gaps(_ summary: [String: Any]) -> [String: (group: [String], kind: String, value: (gap: Double, lo: Double, hi: Double))] {
        let order = (summary["run"] as? [String: Any])?["group_by"] as? [String] ?? []
        var out: [String: (group: [String], kind: String, value: (gap: Double, lo: Double, hi: Double))] = [:]
        for entry in summary["gaps"] as? [[String: Any]] ?? [] {
            let group = groupText(entry["group"], order: order)
            for kind in ["broad", "strict"] {
                guard let g = entry[kind] as? [String: Any], let gap = (g["gap"] as? NSNumber)?.doubleValue,
                      let lo = (g["lo"] as? NSNumber)?.doubleValue, let hi = (g["hi"] as? NSNumber)?.doubleValue else { continue }
                out[(group + [kind]).joined(separator: "\u{1F}")] = (group, kind, (gap, lo, hi))
            }
        }
        return out
    }
}
