import AfscanCore
import Foundation

/// The parts of one label row (README "row keys") that `afscan show` and `afscan report` display: where the
/// record came from, its labels, its evidence spans and the model's explanation. Built from a row parsed by
/// `JSONSerialization`; unknown keys are ignored, malformed entries skipped.
public struct SampleRow: Sendable {
    /// One entry of `labels`.
    public struct LabelEntry: Sendable, Hashable {
        public var name: String
        /// The calibrated, gated score in [0, 1] that decides the band.
        public var score: Double?
        public var rank: Double?
        /// `yes` / `maybe` / `no` / `unknown`.
        public var decision: String
        /// The categorical value (`out.compliance`, `crit.decision`), if any.
        public var value: String?
        /// `model`, `rules` or `judge` when the row names it.
        public var engine: String?
    }

    /// A half-open byte range `start..<end` into the decoded UTF-8 text of the record's field `field`.
    public struct Span: Sendable, Hashable {
        public var block: String
        public var field: String
        public var start: Int
        public var end: Int
    }

    /// One entry of `evidence`: a rule hit supporting (`+`) or countering (`-`) a label.
    public struct EvidenceEntry: Sendable, Hashable {
        public var label: String
        public var rule: String
        public var span: Span
        /// At most 160 bytes of the span's text, as the row holds it.
        public var snippet: String
        /// `+` (supports) or `-` (counter-evidence).
        public var polarity: String
    }

    /// One model term of `explanation.LABEL.terms`: an n-gram, its signed contribution to the logit, and
    /// every span where it occurs.
    public struct Term: Sendable, Hashable {
        public var ngram: String
        public var contribution: Double
        public var spans: [Span]
    }

    /// `explanation.LABEL`: bias + Σ contributions + remainder = logit.
    public struct Explanation: Sendable, Hashable {
        public var logit: Double
        public var bias: Double
        public var remainder: Double
        public var terms: [Term]
    }

    public var source: SourceRef?
    public var id: String?
    /// `ok` or `rejected`.
    public var status: String
    public var reason: String?
    public var detail: String?
    public var condition: Condition
    /// Sorted by name.
    public var labels: [LabelEntry]
    public var evidence: [EvidenceEntry]
    /// Model label → explanation.
    public var explanations: [String: Explanation]

    /// The entry of `label`, if the row has one.
    public func label(_ name: String) -> LabelEntry? { labels.first { $0.name == name } }

    /// Reads a row as written by `afscan label`. Returns nil when `row` is not a label row (no `status`
    /// of `ok` or `rejected`).
    public init?(json row: [String: Any]) {
        guard let status = row["status"] as? String, status == "ok" || status == "rejected" else { return nil }
        self.status = status
        reason = row["reason"] as? String
        detail = row["detail"] as? String
        condition = (row["condition"] as? String).flatMap(Condition.init(rawValue:)) ?? .unknown
        if let src = row["source"] as? [String: Any], let file = src["file"] as? String, let record = Self.int(src["record"]) {
            source = SourceRef(file: file, record: record, byteOffset: Int64(Self.int(src["byte_offset"]) ?? -1))
        }
        if let s = row["id"] as? String { id = s } else if let n = row["id"] as? NSNumber { id = n.stringValue }
        var labels: [LabelEntry] = []
        for (name, entry) in (row["labels"] as? [String: Any]) ?? [:] {
            guard let e = entry as? [String: Any], let decision = e["decision"] as? String else { continue }
            labels.append(LabelEntry(name: name, score: Self.double(e["score"]), rank: Self.double(e["rank"]), decision: decision,
                                     value: e["value"] as? String, engine: e["engine"] as? String))
        }
        self.labels = labels.sorted { $0.name < $1.name }
        evidence = ((row["evidence"] as? [Any]) ?? []).compactMap { item in
            guard let e = item as? [String: Any], let span = Self.span(e) else { return nil }
            return EvidenceEntry(label: e["label"] as? String ?? "", rule: e["rule"] as? String ?? "", span: span,
                                 snippet: e["snippet"] as? String ?? "", polarity: e["polarity"] as? String ?? "+")
        }
        var explanations: [String: Explanation] = [:]
        for (name, entry) in (row["explanation"] as? [String: Any]) ?? [:] {
            guard let e = entry as? [String: Any] else { continue }
            let terms: [Term] = ((e["terms"] as? [Any]) ?? []).compactMap { item in
                guard let t = item as? [String: Any], let ngram = t["ngram"] as? String, let c = Self.double(t["contribution"]) else { return nil }
                return Term(ngram: ngram, contribution: c, spans: ((t["spans"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any]).flatMap(Self.span) })
            }
            explanations[name] = Explanation(logit: Self.double(e["logit"]) ?? 0, bias: Self.double(e["bias"]) ?? 0,
                                             remainder: Self.double(e["remainder"]) ?? 0, terms: terms)
        }
        self.explanations = explanations
    }

    private static func span(_ e: [String: Any]) -> Span? {
        guard let block = e["block"] as? String, let field = e["field"] as? String,
              let start = int(e["start"]), let end = int(e["end"]), start >= 0, end >= start else { return nil }
        return Span(block: block, field: field, start: start, end: end)
    }

    private static func int(_ v: Any?) -> Int? {
        (v as? NSNumber)?.intValue
    }

    private static func double(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue }
}
