import AfscanCore
import Foundation

/// One evidence span shown beside a worst false positive / negative. `start`/`end` are a half-open
/// byte range into the decoded UTF-8 text of `field` (as in the label row).
public struct EvidenceSnippet: Sendable, Hashable {
    public var rule: String
    public var block: String
    public var field: String
    public var start: Int
    public var end: Int
    /// At most 160 bytes of the original text (as in the label row).
    public var snippet: String
    /// `+` supporting, `-` counter-evidence.
    public var polarity: String

    public init(rule: String, block: String, field: String, start: Int, end: Int, snippet: String, polarity: String) {
        self.rule = rule
        self.block = block
        self.field = field
        self.start = start
        self.end = end
        self.snippet = snippet
        self.polarity = polarity
    }
}

/// One labelled sample with a reference: what `afscan eval` scores.
public struct EvalObservation: Sendable, Hashable {
    /// `source.file` of the label row (the input's display name).
    public var file: String
    /// `source.record` (1-based within the file).
    public var record: Int
    public var id: String?
    /// The reference: true for a reference positive.
    public var positive: Bool
    /// The label's `rank` (graded ranking score in [0, 1]).
    public var rank: Double
    /// The label's `score` (calibrated score in [0, 1] that decides the band).
    public var score: Double
    public var decision: Decision
    /// Up to a few evidence spans (see `EvalObservation.selectEvidence`).
    public var evidence: [EvidenceSnippet]

    public init(file: String, record: Int, id: String? = nil, positive: Bool, rank: Double, score: Double? = nil,
                decision: Decision, evidence: [EvidenceSnippet] = []) {
        self.file = file
        self.record = record
        self.id = id
        self.positive = positive
        self.rank = rank
        self.score = score ?? rank
        self.decision = decision
        self.evidence = evidence
    }

    /// Predicted positive at the `yes` threshold.
    public var predictedYes: Bool { decision == .yes }
    /// Predicted positive at the `yes ∪ maybe` threshold.
    public var predictedYesOrMaybe: Bool { decision == .yes || decision == .maybe }
}

/// What one label row gives `afscan eval`.
public enum EvalRowReading: Sendable, Hashable {
    /// A counted sample.
    case observation(EvalObservation)
    /// `status` is `rejected`: skipped and counted.
    case rejected(file: String)
    /// The reference field is absent, `null`, or not comparable: skipped and counted.
    case missingReference(file: String)
    /// The row has no entry for the evaluated label: skipped and counted.
    case missingLabel(file: String)
    /// The evaluated label is a judge's verdict folded in by `label --verdicts` (`engine: judge`):
    /// evaluating it against a judge would compare the judge with itself. Skipped and counted.
    case judgeLabel(file: String)
    /// Not a valid label row: not a JSON object, no `source` object or no `status`, or the evaluated
    /// label's `score` or `rank` is not a finite number in [0, 1]. Skipped and counted; `reason` says
    /// why, for the message that names the line.
    case notLabelRow(reason: String)
}

extension EvalObservation {
    /// Reads one parsed label row (as written by `LabelRowEncoder`, parsed by `JSONSerialization`).
    ///
    /// The reference is looked up first under the row's `fields` (where `--keep-field PATH` puts it,
    /// flat dotted key or nested objects, longest dotted key first) and then from the row's root (so
    /// `--reference condition --positive training` also works).
    ///
    /// The label's `score` must be a finite number in [0, 1] (not a boolean), and so must its `rank` when
    /// present (a label without `rank` ranks by `score`); the label itself must be an object with a known
    /// `decision`. Otherwise the row is `.notLabelRow` with the reason. A row without the label at all is
    /// `.missingLabel`.
    /// - Parameters:
    ///   - label: the evaluated label, e.g. `af.goal_guarding`.
    ///   - evidenceLimit: at most this many evidence spans of that label are kept.
    public static func read(labelRowJSON row: [String: Any], label: String, reference: ReferenceRule,
                            evidenceLimit: Int = 3) -> EvalRowReading {
        read(labelRowJSON: row, label: label, evidenceLimit: evidenceLimit) { row, _ in
            referenceValue(in: row, path: reference.path).flatMap { reference.isPositive(jsonValue: $0) }
        }
    }

    /// The value at dotted `path` of a label row: under its `fields` first (where `--keep-field PATH`
    /// puts it), then from the row's root; nil when neither has it.
    public static func referenceValue(in row: [String: Any], path: String) -> Any? {
        let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)[...]
        if let fields = row["fields"], let value = SummaryRow.resolve(fields, path: components) { return value }
        return SummaryRow.resolve(row, path: components)
    }

    /// Reads one parsed label row, taking its reference from `positive`, which is given the row and its
    /// `(id, source.file, source.record)` and returns nil when the row has no reference (then the row is
    /// `.missingReference`). `positive` is called only for rows whose `status` is `ok`, before the label
    /// is read. Otherwise as `read(labelRowJSON:label:reference:evidenceLimit:)`.
    public static func read(labelRowJSON row: [String: Any], label: String, evidenceLimit: Int = 3,
                            positive referenceOf: ([String: Any], (id: String?, file: String, record: Int)) -> Bool?) -> EvalRowReading {
        guard let source = row["source"] as? [String: Any], let status = row["status"] as? String else {
            return .notLabelRow(reason: "no \"source\" object or no \"status\"")
        }
        let file = source["file"] as? String ?? "-"
        guard status == "ok" else { return .rejected(file: file) }
        let record = (source["record"] as? NSNumber)?.intValue ?? 0
        guard let positive = referenceOf(row, (row["id"] as? String, file, record)) else { return .missingReference(file: file) }
        guard let labels = row["labels"] as? [String: Any], let present = labels[label] else { return .missingLabel(file: file) }
        if let entry = present as? [String: Any], entry["engine"] as? String == "judge" { return .judgeLabel(file: file) }
        guard let entry = present as? [String: Any], let decisionText = entry["decision"] as? String,
            let decision = Decision(rawValue: decisionText)
        else {
            return .notLabelRow(reason: "\(label) is not an object with a decision yes, maybe, no or unknown (got \(jsonText(present)))")
        }
        guard let score = unitInterval(entry["score"]) else {
            return .notLabelRow(reason: "\(label) score \(jsonText(entry["score"])) is not a number in [0, 1]")
        }
        let rank: Double
        if entry["rank"] == nil {
            rank = score
        } else if let r = unitInterval(entry["rank"]) {
            rank = r
        } else {
            return .notLabelRow(reason: "\(label) rank \(jsonText(entry["rank"])) is not a number in [0, 1]")
        }
        let evidence = selectEvidence(row["evidence"] as? [Any] ?? [], label: label, limit: evidenceLimit)
        return .observation(
            EvalObservation(
                file: file, record: record, id: row["id"] as? String,
                positive: positive, rank: rank, score: score, decision: decision,
                evidence: evidence))
    }

    /// `value` as a Double when it is a JSON number in [0, 1] (NaN and ±infinity are not; nor is a JSON
    /// `true`/`false`, which Foundation hands over as a boolean NSNumber, objCType "c"), else nil.
    private static func unitInterval(_ value: Any?) -> Double? {
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        let x = n.doubleValue
        guard (0...1).contains(x) else { return nil }
        return x
    }

    /// A short rendering of a parsed JSON value for messages: `1e+20`, `true`, `"high"`, `null`, `missing`.
    private static func jsonText(_ value: Any?) -> String {
        switch value {
        case nil: "missing"
        case let n as NSNumber where String(cString: n.objCType) == "c": n.boolValue ? "true" : "false"
        case let n as NSNumber: "\(n.doubleValue)"
        case let s as String: "\"\(s.prefix(40))\""
        case is NSNull: "null"
        case is [Any]: "(an array)"
        default: "(an object)"
        }
    }

    /// Picks up to `limit` evidence spans of a row to show beside a sample.
    ///
    /// The evaluated label's own spans come first, supporting (`+`) before counter (`-`), in row order.
    /// A composite label (`af.goal_guarding`) has no spans of its own: then the spans of the other
    /// labels are taken round-robin, one per label in order of first appearance (supporting spans
    /// first), so the snippets show different criteria rather than five hits of one.
    public static func selectEvidence(_ spans: [Any], label: String, limit: Int) -> [EvidenceSnippet] {
        guard limit > 0 else { return [] }
        var own: [EvidenceSnippet] = []
        var byLabel: [(label: String, spans: [EvidenceSnippet])] = []
        for case let span as [String: Any] in spans {
            let snippet = EvidenceSnippet(
                rule: span["rule"] as? String ?? "", block: span["block"] as? String ?? "",
                field: span["field"] as? String ?? "", start: (span["start"] as? NSNumber)?.intValue ?? 0,
                end: (span["end"] as? NSNumber)?.intValue ?? 0, snippet: span["snippet"] as? String ?? "",
                polarity: span["polarity"] as? String ?? "+")
            let spanLabel = span["label"] as? String ?? ""
            if spanLabel == label {
                own.append(snippet)
            } else if let i = byLabel.firstIndex(where: { $0.label == spanLabel }) {
                byLabel[i].spans.append(snippet)
            } else {
                byLabel.append((spanLabel, [snippet]))
            }
        }
        func supportingFirst(_ list: [EvidenceSnippet]) -> [EvidenceSnippet] {
            list.filter { $0.polarity != "-" } + list.filter { $0.polarity == "-" }
        }
        if !own.isEmpty { return Array(supportingFirst(own).prefix(limit)) }
        let queues = byLabel.map { supportingFirst($0.spans) }
        var picked: [EvidenceSnippet] = []
        var depth = 0
        while picked.count < limit {
            var any = false
            for q in queues where depth < q.count {
                any = true
                picked.append(q[depth])
                if picked.count == limit { break }
            }
            if !any { break }
            depth += 1
        }
        return picked
    }
}
