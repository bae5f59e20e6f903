import EvalStatistics
import Foundation

/// The alerts of `afscan follow`, evaluated on each new summary.
///
/// - A **threshold** rule `[CONDITION.]RATE OP VALUE` (`af_goal_guarding > 0.2`,
///   `training.refusal < 0.5`; RATE is a summary rate name, OP one of `>`, `>=`, `<`, `<=`) fires for a
///   group (condition × `--group-by` values) whose rate, over at least `minRows` rows, satisfies it.
/// - A **rise** rule (`--rise RATE`, with a step field) compares each step's rate with the pooled rate of
///   the first `baselineSteps` steps of the same condition: a one-sided two-proportion test of
///   "p(step) > p(baseline)", decided by the lower bound of Newcombe's hybrid score interval
///   (Newcombe 1998, method 10) at z = Φ⁻¹(1 − α/m), where m counts every look taken so far (each test of
///   each step at each interval): a Bonferroni correction over repeated looks, which keeps the chance of
///   any false alarm over the whole run at most α, at the cost of power late in a long run.
///
/// Each rule fires at most once per group; `fired` holds what has fired.
public struct FollowAlerts: Sendable {
    public struct Threshold: Sendable, Equatable {
        public var condition: String?
        public var rate: String
        public var op: String
        public var value: Double
        public var text: String

        /// Parses `[CONDITION.]RATE OP VALUE`; nil when it is not one.
        public init?(_ text: String) {
            let pattern = #"^\s*(?:(training|unmonitored|unknown)\.)?([a-z_]+)\s*(>=|<=|>|<)\s*([0-9]*\.?[0-9]+)\s*$"#
            guard let re = try? NSRegularExpression(pattern: pattern),
                  let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let value = Double(text[Range(m.range(at: 4), in: text)!]) else { return nil }
            condition = Range(m.range(at: 1), in: text).map { String(text[$0]) }
            rate = String(text[Range(m.range(at: 2), in: text)!])
            op = String(text[Range(m.range(at: 3), in: text)!])
            self.value = value
            self.text = text.trimmingCharacters(in: .whitespaces)
        }

        func holds(_ x: Double) -> Bool {
            switch op {
            case ">": x > value
            case ">=": x >= value
            case "<": x < value
            default: x <= value
            }
        }
    }

    public var thresholds: [Threshold]
    public var rises: [String]
    public var stepIndex: Int?
    public var baselineSteps: Int
    public var alpha: Double
    public var minRows: Int
    /// Looks taken by the rise rules so far (the Bonferroni m).
    public private(set) var looks = 0
    /// `rule @ group` keys that have fired.
    public private(set) var fired: Set<String> = []

    /// - Parameter stepIndex: position of the step field among the summary's `--group-by` paths (rise
    ///   rules need it).
    /// - Parameters `looks` and `fired`: carried over from an earlier run of the same follow (its state).
    public init(thresholds: [Threshold], rises: [String], stepIndex: Int?, baselineSteps: Int, alpha: Double, minRows: Int,
                looks: Int = 0, fired: Set<String> = []) {
        self.looks = looks
        self.fired = fired
        self.thresholds = thresholds
        self.rises = rises
        self.stepIndex = stepIndex
        self.baselineSteps = baselineSteps
        self.alpha = alpha
        self.minRows = minRows
    }

    static func groupText(_ summary: Summary, _ values: [String?]) -> String {
        zip(summary.groupBy, values).map { "\($0)=\($1 ?? "-")" }.joined(separator: " ")
    }

    /// The alerts that fire on `summary` for the first time: the rule (`af_goal_guarding > 0.2`,
    /// `rise af_goal_guarding`) and a line saying where and by how much.
    public mutating func evaluate(_ summary: Summary) -> [(rule: String, message: String)] {
        var out: [(rule: String, message: String)] = []
        for t in thresholds {
            for g in summary.groups where t.condition == nil || t.condition == g.condition.rawValue {
                guard let rate = g.rates.named.first(where: { $0.name == t.rate })?.rate, rate.n >= minRows, let r = rate.rate, t.holds(r) else { continue }
                let key = "\(t.text) @ \(g.condition.rawValue) \(Self.groupText(summary, g.groupValues))"
                guard fired.insert(key).inserted else { continue }
                out.append((t.text, "\(t.text): \(g.condition.rawValue) \(Self.groupText(summary, g.groupValues)): \(String(format: "%.1f%%", 100 * r)) (\(rate.k)/\(rate.n))"))
            }
        }
        guard let stepIndex, !rises.isEmpty else { return out }
        func stepNumber(_ v: String?) -> Double? { v.flatMap(Double.init) }
        for name in rises {
            for condition in ["training", "unmonitored", "unknown"] {
                let groups = summary.groups.filter { $0.condition.rawValue == condition }
                    .compactMap { g -> (step: Double, g: Summary.Group)? in stepNumber(g.groupValues[stepIndex]).map { ($0, g) } }
                    .sorted { $0.step < $1.step }
                guard groups.count > baselineSteps else { continue }
                var k = 0, n = 0
                for (_, g) in groups.prefix(baselineSteps) {
                    if let p = g.rates.named.first(where: { $0.name == name })?.rate { k += p.k; n += p.n }
                }
                guard n > 0 else { continue }
                for (step, g) in groups.dropFirst(baselineSteps) {
                    guard let p = g.rates.named.first(where: { $0.name == name })?.rate, p.n >= minRows else { continue }
                    looks += 1
                    let z = NormalQuantile.of(1 - alpha / Double(looks))
                    guard let interval = ProportionDifference.newcombeInterval(k1: p.k, n1: p.n, k2: k, n2: n, z: z), interval.lo > 0 else { continue }
                    let key = "rise \(name) @ \(condition) step \(step)"
                    guard fired.insert(key).inserted else { continue }
                    out.append(("rise \(name)", "\(name) rose in \(condition) \(Self.groupText(summary, g.groupValues)): \(String(format: "%.1f%%", 100 * (p.rate ?? 0))) (\(p.k)/\(p.n)) vs baseline \(String(format: "%.1f%%", 100 * Double(k) / Double(n))) (\(k)/\(n), first \(baselineSteps) steps); one-sided, alpha \(alpha)/\(looks) looks"))
                }
            }
        }
        return out
    }
}
