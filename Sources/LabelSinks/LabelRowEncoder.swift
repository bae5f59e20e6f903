import AfscanCore

/// Encodes a `LabelRecord` as one JSON line (UTF-8 bytes ending in `\n`): the label row of
/// CONTRACT.md "Label row".
///
/// Row schema, keys in this fixed order (every key is always present unless marked *only when*):
/// ```
/// {"source":{"file":STRING,"record":INT,"byte_offset":INT},
///  "id":STRING|null,
///  "status":"ok"|"rejected",
///  "reason":STRING|null,"detail":STRING|null,        -- only when status is "rejected"
///  "condition":"training"|"unmonitored"|"unknown",
///  "fields":{PATH:RAW_JSON,...},                      -- --keep-field paths, flat keys, raw JSON values
///  "labels":{NAME:{"score":NUM,"rank":NUM,"decision":"yes"|"maybe"|"no"|"unknown"
///                  [,"value":STRING]                  -- only for categorical labels
///                  [,"route_to_judge":true]           -- only when true
///                  [,"engine":"model"|"rules"]},...}, -- only when a model ran
///  "evidence":[{"label":STRING,"rule":STRING,"block":STRING,"field":STRING,
///               "start":INT,"end":INT,"snippet":STRING,"polarity":"+"|"-"},...],
///  "parse":{KEY:SCALAR,...},"flags":{KEY:SCALAR,...},
///  "explanation":{LABEL:{"logit":NUM,"bias":NUM,"remainder":NUM,     -- only when a model ran
///                 "terms":[{"ngram":STRING,"contribution":NUM,"spans":[{"block":STRING,"field":STRING,"start":INT,"end":INT},...]},...]}},
///  "rules_hash":STRING,
///  "model_hash":STRING}                                -- only when a model ran
/// ```
/// - `source.record` is 1-based within the input; `source.byte_offset` is 0-based into the
///   decompressed stream.
/// - Map keys (`fields`, `labels`, `parse`, `flags`) keep the order of the record's arrays (labels in
///   rule-set order); duplicate keys are the caller's error and are written as given.
/// - `fields` values are inserted verbatim: the caller guarantees each is one valid JSON value. Keys
///   are the kept dotted paths as flat strings (`"metadata.environment"`), which
///   `SummaryRow(labelRowJSON:groupBy:)` resolves for `--group-by fields.metadata.environment`.
/// - `score`/`rank` are clamped to [0, 1] (NaN → 0) and rounded to 4 decimals (`JSONText.appendUnitScore`);
///   `JSONScalar.double` values in `parse`/`flags` are rounded to 6 decimals (`JSONText.appendFixed`),
///   NaN → 0, infinities clamped. No exponent form, no NaN, no locale.
/// - `evidence.start`/`end` are a half-open byte range into the decoded UTF-8 text of `field`.
/// - Strings are escaped per RFC 8259 plus `\u2028`/`\u2029` (`JSONText.appendString`).
/// - A row never carries wall-clock time or run identity: the same `LabelRecord` always gives the
///   same bytes.
public struct LabelRowEncoder: Sendable {
    /// Decimals for `JSONScalar.double` values in `parse` and `flags`.
    public static let scalarFractionDigits = 6

    public init() {}

    /// Appends the row for `record`, followed by `\n`, to `out`.
    ///
    /// Reuse one `out` buffer across rows (`removeAll(keepingCapacity: true)` between batches) to
    /// avoid per-row allocation.
    /// - Complexity: O(size of the row).
    public func append(_ record: LabelRecord, to out: inout [UInt8]) {
        out.append(contentsOf: Keys.sourceFile)
        JSONText.appendString(record.source.file, to: &out)
        out.append(contentsOf: Keys.record)
        JSONText.appendInteger(record.source.record, to: &out)
        out.append(contentsOf: Keys.byteOffset)
        JSONText.appendInteger(record.source.byteOffset, to: &out)

        out.append(contentsOf: Keys.id)
        appendOptionalString(record.id, to: &out)
        out.append(contentsOf: Keys.status)
        JSONText.appendString(record.status.rawValue, to: &out)
        if record.status == .rejected {
            out.append(contentsOf: Keys.reason)
            appendOptionalString(record.reason, to: &out)
            out.append(contentsOf: Keys.detail)
            appendOptionalString(record.detail, to: &out)
        }
        out.append(contentsOf: Keys.condition)
        JSONText.appendString(record.condition.rawValue, to: &out)

        out.append(contentsOf: Keys.fields)
        for (index, field) in record.fields.enumerated() {
            if index > 0 { out.append(0x2C) }
            JSONText.appendKey(field.path, to: &out)
            out.append(contentsOf: field.json.utf8)
        }

        out.append(contentsOf: Keys.labels)
        for (index, label) in record.labels.enumerated() {
            if index > 0 { out.append(0x2C) }
            JSONText.appendKey(label.name, to: &out)
            appendLabelValue(label.value, to: &out)
        }

        out.append(contentsOf: Keys.evidence)
        for (index, evidence) in record.evidence.enumerated() {
            if index > 0 { out.append(0x2C) }
            appendEvidence(evidence, to: &out)
        }

        out.append(contentsOf: Keys.parse)
        appendScalarMap(record.parse, to: &out)
        out.append(contentsOf: Keys.flags)
        appendScalarMap(record.flags, to: &out)
        if !record.explanations.isEmpty {
            out.append(contentsOf: Keys.explanation)
            for (index, e) in record.explanations.enumerated() {
                if index > 0 { out.append(0x2C) }
                appendExplanation(e, to: &out)
            }
            out.append(0x7D)
        }
        out.append(contentsOf: Keys.rulesHash)
        JSONText.appendString(record.rulesHash, to: &out)
        if let modelHash = record.modelHash {
            out.append(contentsOf: Keys.modelHash)
            JSONText.appendString(modelHash, to: &out)
        }
        out.append(contentsOf: Keys.end)
    }

    /// The row for `record` as a fresh byte array (convenience for tests and cold paths).
    public func encode(_ record: LabelRecord) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        append(record, to: &out)
        return out
    }

    // MARK: Pieces

    private func appendLabelValue(_ value: LabelValue, to out: inout [UInt8]) {
        out.append(contentsOf: Keys.score)
        JSONText.appendUnitScore(value.score, to: &out)
        out.append(contentsOf: Keys.rank)
        JSONText.appendUnitScore(value.rank, to: &out)
        out.append(contentsOf: Keys.decision)
        JSONText.appendString(value.decision.rawValue, to: &out)
        if let categorical = value.value {
            out.append(contentsOf: Keys.value)
            JSONText.appendString(categorical, to: &out)
        }
        if value.routeToJudge {
            out.append(contentsOf: Keys.routeToJudgeTrue)
        }
        if let engine = value.engine {
            out.append(contentsOf: Keys.engine)
            JSONText.appendString(engine, to: &out)
        }
        out.append(0x7D)
    }

    /// `"LABEL":{"logit":N,"bias":N,"remainder":N,"terms":[{"ngram":S,"contribution":N,"spans":[{"block":S,"field":S,"start":I,"end":I}]}]}`
    /// (numbers with 6 decimals).
    private func appendExplanation(_ e: ModelExplanation, to out: inout [UInt8]) {
        JSONText.appendKey(e.label, to: &out)
        out.append(contentsOf: Array(#"{"logit":"#.utf8))
        JSONText.appendFixed(e.logit, fractionDigits: Self.scalarFractionDigits, to: &out)
        out.append(contentsOf: Array(#","bias":"#.utf8))
        JSONText.appendFixed(e.bias, fractionDigits: Self.scalarFractionDigits, to: &out)
        out.append(contentsOf: Array(#","remainder":"#.utf8))
        JSONText.appendFixed(e.remainder, fractionDigits: Self.scalarFractionDigits, to: &out)
        out.append(contentsOf: Array(#","terms":["#.utf8))
        for (i, t) in e.terms.enumerated() {
            if i > 0 { out.append(0x2C) }
            out.append(contentsOf: Array(#"{"ngram":"#.utf8))
            JSONText.appendString(t.ngram, to: &out)
            out.append(contentsOf: Array(#","contribution":"#.utf8))
            JSONText.appendFixed(t.contribution, fractionDigits: Self.scalarFractionDigits, to: &out)
            out.append(contentsOf: Array(#","spans":["#.utf8))
            for (k, s) in t.spans.enumerated() {
                if k > 0 { out.append(0x2C) }
                out.append(contentsOf: Array(#"{"block":"#.utf8))
                JSONText.appendString(s.block, to: &out)
                out.append(contentsOf: Keys.field)
                JSONText.appendString(s.field, to: &out)
                out.append(contentsOf: Keys.start)
                JSONText.appendInteger(s.start, to: &out)
                out.append(contentsOf: Keys.endKey)
                JSONText.appendInteger(s.end, to: &out)
                out.append(0x7D)
            }
            out.append(contentsOf: Array("]}".utf8))
        }
        out.append(contentsOf: Array("]}".utf8))
    }

    private func appendEvidence(_ evidence: Evidence, to out: inout [UInt8]) {
        out.append(contentsOf: Keys.evidenceLabel)
        JSONText.appendString(evidence.label, to: &out)
        out.append(contentsOf: Keys.rule)
        JSONText.appendString(evidence.rule, to: &out)
        out.append(contentsOf: Keys.block)
        JSONText.appendString(evidence.block, to: &out)
        out.append(contentsOf: Keys.field)
        JSONText.appendString(evidence.field, to: &out)
        out.append(contentsOf: Keys.start)
        JSONText.appendInteger(evidence.start, to: &out)
        out.append(contentsOf: Keys.endKey)
        JSONText.appendInteger(evidence.end, to: &out)
        out.append(contentsOf: Keys.snippet)
        JSONText.appendString(evidence.snippet, to: &out)
        switch evidence.polarity {
        case "+": out.append(contentsOf: Keys.polarityPlus)
        case "-": out.append(contentsOf: Keys.polarityMinus)
        default:
            out.append(contentsOf: Keys.polarity)
            JSONText.appendString(String(evidence.polarity), to: &out)
            out.append(0x7D)
        }
    }

    private func appendScalarMap(_ entries: [(key: String, value: JSONScalar)], to out: inout [UInt8]) {
        out.append(0x7B)
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(0x2C) }
            JSONText.appendKey(entry.key, to: &out)
            switch entry.value {
            case .bool(let flag): JSONText.appendBool(flag, to: &out)
            case .int(let number): JSONText.appendInteger(number, to: &out)
            case .double(let number):
                JSONText.appendFixed(number, fractionDigits: Self.scalarFractionDigits, to: &out)
            case .string(let text): JSONText.appendString(text, to: &out)
            case .null: JSONText.appendNull(to: &out)
            }
        }
        out.append(0x7D)
    }

    private func appendOptionalString(_ string: String?, to out: inout [UInt8]) {
        if let string {
            JSONText.appendString(string, to: &out)
        } else {
            JSONText.appendNull(to: &out)
        }
    }

    /// Pre-encoded key fragments, punctuation included, in row order.
    private enum Keys {
        static let sourceFile: [UInt8] = Array(#"{"source":{"file":"#.utf8)
        static let record: [UInt8] = Array(#","record":"#.utf8)
        static let byteOffset: [UInt8] = Array(#","byte_offset":"#.utf8)
        static let id: [UInt8] = Array(#"},"id":"#.utf8)
        static let status: [UInt8] = Array(#","status":"#.utf8)
        static let reason: [UInt8] = Array(#","reason":"#.utf8)
        static let detail: [UInt8] = Array(#","detail":"#.utf8)
        static let condition: [UInt8] = Array(#","condition":"#.utf8)
        static let fields: [UInt8] = Array(#","fields":{"#.utf8)
        static let labels: [UInt8] = Array(#"},"labels":{"#.utf8)
        static let evidence: [UInt8] = Array(#"},"evidence":["#.utf8)
        static let parse: [UInt8] = Array(#"],"parse":"#.utf8)
        static let flags: [UInt8] = Array(#","flags":"#.utf8)
        static let rulesHash: [UInt8] = Array(#","rules_hash":"#.utf8)
        static let modelHash: [UInt8] = Array(#","model_hash":"#.utf8)
        static let explanation: [UInt8] = Array(#","explanation":{"#.utf8)
        static let engine: [UInt8] = Array(#","engine":"#.utf8)
        static let end: [UInt8] = Array("}\n".utf8)

        static let score: [UInt8] = Array(#"{"score":"#.utf8)
        static let rank: [UInt8] = Array(#","rank":"#.utf8)
        static let decision: [UInt8] = Array(#","decision":"#.utf8)
        static let value: [UInt8] = Array(#","value":"#.utf8)
        static let routeToJudgeTrue: [UInt8] = Array(#","route_to_judge":true"#.utf8)

        static let evidenceLabel: [UInt8] = Array(#"{"label":"#.utf8)
        static let rule: [UInt8] = Array(#","rule":"#.utf8)
        static let block: [UInt8] = Array(#","block":"#.utf8)
        static let field: [UInt8] = Array(#","field":"#.utf8)
        static let start: [UInt8] = Array(#","start":"#.utf8)
        static let endKey: [UInt8] = Array(#","end":"#.utf8)
        static let snippet: [UInt8] = Array(#","snippet":"#.utf8)
        static let polarity: [UInt8] = Array(#","polarity":"#.utf8)
        static let polarityPlus: [UInt8] = Array(#","polarity":"+"}"#.utf8)
        static let polarityMinus: [UInt8] = Array(#","polarity":"-"}"#.utf8)
    }
}
