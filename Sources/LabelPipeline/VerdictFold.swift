import AfscanCore
import LabelSinks
import Synchronization
import TokenModel

/// Judge verdicts folded back into label rows (`afscan label --verdicts FILE`): for every label the file
/// has verdicts of, a row whose record has a verdict gets the judge's value — `score` = the verdict's
/// score (or 1 / 0 for `true` / `false`), `rank` = `score`, `decision` yes / no, `engine` = `judge`, and
/// `flags.judge_verdict` = `FILE:LINE` — while the value it replaces stays beside it as `NAME_ENGINE`
/// (e.g. `af.goal_guarding_model`). Records are matched by id, else by source file and record number
/// (docs/VERDICTS.md). Thread-safe: the workers share one fold.
public final class VerdictFold: Sendable {
    private let matchers: Mutex<[VerdictMatcher]>
    /// The labels the file has verdicts of, in order of first appearance.
    public let labels: [String]

    /// Labels the file has verdicts of that cannot be folded in (categorical, or a reserved name), with why.
    public let refused: [(label: String, why: String)]

    public init(_ file: VerdictFile) {
        var seen: [String] = []
        var refused: [(String, String)] = []
        for v in file.verdicts where !seen.contains(v.label) && !refused.contains(where: { $0.0 == v.label }) {
            if let why = ModelFile.targetLabelProblem(v.label) { refused.append((v.label, why)) } else { seen.append(v.label) }
        }
        self.refused = refused
        labels = seen
        matchers = Mutex(seen.map { VerdictMatcher(file, label: $0) })
    }

    /// Applies the verdicts of `row`'s record to its labels (rejected rows are left as they are).
    public func apply(to row: inout LabelRecord) {
        guard row.status == .ok else { return }
        let found: [Verdict?] = matchers.withLock { ms in
            ms.indices.map { ms[$0].verdict(id: row.id, file: row.source.file, record: row.source.record) }
        }
        var marks: [String] = []
        for v in found.compactMap({ $0 }) {
            let score: Double
            switch v.judgement {
            case .value(let b): score = b ? 1 : 0
            case .score(let p): score = p
            }
            var judged = LabelValue(score: score, decision: v.positive ? .yes : .no)
            judged.engine = "judge"
            if let k = row.labels.firstIndex(where: { $0.name == v.label }) {
                let previous = row.labels[k].value
                row.labels[k].value = judged
                row.labels.insert((name: "\(v.label)_\(previous.engine ?? "previous")", value: previous), at: k + 1)
            } else {
                row.labels.append((name: v.label, value: judged))
            }
            marks.append("\(v.label)@\(v.line)")
        }
        if !marks.isEmpty { row.flags.append(("judge_verdict", .string(marks.joined(separator: ",")))) }
    }

    /// The matching report of every label (see `VerdictMatcher.reportLines`).
    public var reportLines: [String] {
        matchers.withLock { ms in
            var lines: [String] = []
            for (i, m) in ms.enumerated() { lines += i == 0 ? m.reportLines : [m.reportLines[1]] }
            return lines
        }
    }

    /// Verdicts that matched at least one record, over every label.
    public var matched: Int { matchers.withLock { $0.reduce(0) { $0 + $1.matched } } }
}
