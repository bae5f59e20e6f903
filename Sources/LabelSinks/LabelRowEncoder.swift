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
        JSONText.appendRaw(Keys.sourceFile, to: &out)
        JSONText.appendString(record.source.file, to: &out)
        JSONText.appendRaw(Keys.record, to: &out)
        JSONText.appendInteger(record.source.record, to: &out)
        JSONText.appendRaw(Keys.byteOffset, to: &out)
        JSONText.appendInteger(record.source.byteOffset, to: &out)

        JSONText.appendRaw(Keys.id, to: &out)
        appendOptionalString(record.id, to: &out)
        JSONText.appendRaw(Keys.status, to: &out)
        JSONText.appendString(record.status.rawValue, to: &out)
        if record.status == .rejected {
            JSONText.appendRaw(Keys.reason, to: &out)
            appendOptionalString(record.reason, to: &out)
            JSONText.appendRaw(Keys.detail, to: &out)
            appendOptionalString(record.detail, to: &out)
        }
        JSONText.appendRaw(Keys.condition, to: &out)
        JSONText.appendString(record.condition.rawValue, to: &out)

        JSONText.appendRaw(Keys.fields, to: &out)
        for (index, field) in record.fields.enumerated() {
            if index > 0 { out.append(0x2C) }
            JSONText.appendKey(field.path, to: &out)
            out.append(contentsOf: field.json.utf8)
        }

        JSONText.appendRaw(Keys.labels, to: &out)
        for (index, label) in record.labels.enumerated() {
            if index > 0 { out.append(0x2C) }
            JSONText.appendKey(label.name, to: &out)
            appendLabelValue(label.value, to: &out)
        }

        JSONText.appendRaw(Keys.evidence, to: &out)
        for (index, evidence) in record.evidence.enumerated() {
            if index > 0 { out.append(0x2C) }
            appendEvidence(evidence, to: &out)
        }

        JSONText.appendRaw(Keys.parse, to: &out)
        appendScalarMap(record.parse, to: &out)
        JSONText.appendRaw(Keys.flags, to: &out)
        appendScalarMap(record.flags, to: &out)
        if !record.explanations.isEmpty {
            JSONText.appendRaw(Keys.explanation, to: &out)
            for (index, e) in record.explanations.enumerated() {
                if index > 0 { out.append(0x2C) }
                appendExplanation(e, to: &out)
            }
            out.append(0x7D)
        }
        JSONText.appendRaw(Keys.rulesHash, to: &out)
        JSONText.appendString(record.rulesHash, to: &out)
        if let modelHash = record.modelHash {
            JSONText.appendRaw(Keys.modelHash, to: &out)
            JSONText.appendString(modelHash, to: &out)
        }
        JSONText.appendRaw(Keys.end, to: &out)
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
        JSONText.appendRaw(Keys.score, to: &out)
        JSONText.appendUnitScore(value.score, to: &out)
        JSONText.appendRaw(Keys.rank, to: &out)
        JSONText.appendUnitScore(value.rank, to: &out)
        JSONText.appendRaw(Keys.decision, to: &out)
        JSONText.appendString(value.decision.rawValue, to: &out)
        if let categorical = value.value {
            JSONText.appendRaw(Keys.value, to: &out)
            JSONText.appendString(categorical, to: &out)
        }
        if value.routeToJudge {
            JSONText.appendRaw(Keys.routeToJudgeTrue, to: &out)
        }
        if let engine = value.engine {
            JSONText.appendRaw(Keys.engine, to: &out)
            JSONText.appendString(engine, to: &out)
        }
        out.append(0x7D)
    }

    /// `"LABEL":{"logit":N,"bias":N,"remainder":N,"terms":[{"ngram":S,"contribution":N,"spans":[{"block":S,"field":S,"start":I,"end":I}]}]}`
    /// (numbers with 6 decimals).
    private func appendExplanation(_ e: ModelExplanation, to out: inout [UInt8]) {
        JSONText.appendKey(e.label, to: &out)
        JSONText.appendRaw(#"{"logit":"#, to: &out)
        JSONText.appendFixed(e.logit, fractionDigits: Self.scalarFractionDigits, to: &out)
        JSONText.appendRaw(#","bias":"#, to: &out)
        JSONText.appendFixed(e.bias, fractionDigits: Self.scalarFractionDigits, to: &out)
        JSONText.appendRaw(#","remainder":"#, to: &out)
        JSONText.appendFixed(e.remainder, fractionDigits: Self.scalarFractionDigits, to: &out)
        JSONText.appendRaw(#","terms":["#, to: &out)
        // Spans of one explanation name few (block, field) pairs, mostly the same one: their encoded
        // `{"block":S,"field":S,"start":` is built once per pair in a row and copied.
        var spanPrefix: [UInt8] = []
        var prefixBlock: String?
        var prefixField: String?
        for (i, t) in e.terms.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONText.appendRaw(#"{"ngram":"#, to: &out)
            JSONText.appendString(t.ngram, to: &out)
            JSONText.appendRaw(#","contribution":"#, to: &out)
            JSONText.appendFixed(t.contribution, fractionDigits: Self.scalarFractionDigits, to: &out)
            JSONText.appendRaw(#","spans":["#, to: &out)
            for (k, s) in t.spans.enumerated() {
                if k > 0 { out.append(0x2C) }
                if s.block != prefixBlock || s.field != prefixField {
                    spanPrefix.removeAll(keepingCapacity: true)
                    JSONText.appendRaw(#"{"block":"#, to: &spanPrefix)
                    JSONText.appendString(s.block, to: &spanPrefix)
                    JSONText.appendRaw(Keys.field, to: &spanPrefix)
                    JSONText.appendString(s.field, to: &spanPrefix)
                    JSONText.appendRaw(Keys.start, to: &spanPrefix)
                    prefixBlock = s.block
                    prefixField = s.field
                }
                out.append(contentsOf: spanPrefix)
                JSONText.appendInteger(s.start, to: &out)
                JSONText.appendRaw(Keys.endKey, to: &out)
                JSONText.appendInteger(s.end, to: &out)
                out.append(0x7D)
            }
            JSONText.appendRaw("]}", to: &out)
        }
        JSONText.appendRaw("]}", to: &out)
    }

    private func appendEvidence(_ evidence: Evidence, to out: inout [UInt8]) {
        JSONText.appendRaw(Keys.evidenceLabel, to: &out)
        JSONText.appendString(evidence.label, to: &out)
        JSONText.appendRaw(Keys.rule, to: &out)
        JSONText.appendString(evidence.rule, to: &out)
        JSONText.appendRaw(Keys.block, to: &out)
        JSONText.appendString(evidence.block, to: &out)
        JSONText.appendRaw(Keys.field, to: &out)
        JSONText.appendString(evidence.field, to: &out)
        JSONText.appendRaw(Keys.start, to: &out)
        JSONText.appendInteger(evidence.start, to: &out)
        JSONText.appendRaw(Keys.endKey, to: &out)
        JSONText.appendInteger(evidence.end, to: &out)
        JSONText.appendRaw(Keys.snippet, to: &out)
        JSONText.appendString(evidence.snippet, to: &out)
        switch evidence.polarity {
        case "+": JSONText.appendRaw(Keys.polarityPlus, to: &out)
        case "-": JSONText.appendRaw(Keys.polarityMinus, to: &out)
        default:
            JSONText.appendRaw(Keys.polarity, to: &out)
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

    /// Key fragments, punctuation included, in row order (ASCII literals appended in place, see
    /// `JSONText.appendRaw`).
    private enum Keys {
        static var sourceFile: StaticString { #"{"source":{"file":"# }
        static var record: StaticString { #","record":"# }
        static var byteOffset: StaticString { #","byte_offset":"# }
        static var id: StaticString { #"},"id":"# }
        static var status: StaticString { #","status":"# }
        static var reason: StaticString { #","reason":"# }
        static var detail: StaticString { #","detail":"# }
        static var condition: StaticString { #","condition":"# }
        static var fields: StaticString { #","fields":{"# }
        static var labels: StaticString { #"},"labels":{"# }
        static var evidence: StaticString { #"},"evidence":["# }
        static var parse: StaticString { #"],"parse":"# }
        static var flags: StaticString { #","flags":"# }
        static var rulesHash: StaticString { #","rules_hash":"# }
        static var modelHash: StaticString { #","model_hash":"# }
        static var explanation: StaticString { #","explanation":{"# }
        static var engine: StaticString { #","engine":"# }
        static var end: StaticString { "}\n" }

        static var score: StaticString { #"{"score":"# }
        static var rank: StaticString { #","rank":"# }
        static var decision: StaticString { #","decision":"# }
        static var value: StaticString { #","value":"# }
        static var routeToJudgeTrue: StaticString { #","route_to_judge":true"# }

        static var evidenceLabel: StaticString { #"{"label":"# }
        static var rule: StaticString { #","rule":"# }
        static var block: StaticString { #","block":"# }
        static var field: StaticString { #","field":"# }
        static var start: StaticString { #","start":"# }
        static var endKey: StaticString { #","end":"# }
        static var snippet: StaticString { #","snippet":"# }
        static var polarity: StaticString { #","polarity":"# }
        static var polarityPlus: StaticString { #","polarity":"+"}"# }
        static var polarityMinus: StaticString { #","polarity":"-"}"# }
    }
}
