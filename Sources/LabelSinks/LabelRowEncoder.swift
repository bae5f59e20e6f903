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
    /// (numbers with 6 decimals), written with one `JSONWriter` reservation.
    private func appendExplanation(_ e: ModelExplanation, to out: inout [UInt8]) {
        // The bound: each name's escaped maximum, each number's maximum, and the key text around them
        // (`Self.explanationKeys` bytes per explanation, `termKeys` per term, `spanKeys` per span).
        let number = JSONWriter.fixedBound, integer = JSONWriter.integerBound
        var bound = JSONWriter.stringBound(utf8Count: e.label.utf8.count) + 3 * number + Self.explanationKeys
        for t in e.terms {
            bound += JSONWriter.stringBound(utf8Count: t.ngram.utf8.count) + number + Self.termKeys
            for s in t.spans {
                bound += JSONWriter.stringBound(utf8Count: s.block.utf8.count) + JSONWriter.stringBound(utf8Count: s.field.utf8.count)
                    + 2 * integer + Self.spanKeys
            }
        }
        JSONText.append(to: &out, atMost: bound) { w in
            w.string(e.label)
            w.raw(#":{"logit":"#)
            w.fixed(e.logit, fractionDigits: Self.scalarFractionDigits)
            w.raw(#","bias":"#)
            w.fixed(e.bias, fractionDigits: Self.scalarFractionDigits)
            w.raw(#","remainder":"#)
            w.fixed(e.remainder, fractionDigits: Self.scalarFractionDigits)
            w.raw(#","terms":["#)
            // Spans of one explanation name few (block, field) pairs, mostly the same one: a span whose
            // names equal the previous span's copies that span's encoded `{"block":S,"field":S,"start":`.
            var prefix = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            var prefixNames: (block: String, field: String)?
            for (i, t) in e.terms.enumerated() {
                if i > 0 { w.byte(0x2C) }
                w.raw(#"{"ngram":"#)
                w.string(t.ngram)
                w.raw(#","contribution":"#)
                w.fixed(t.contribution, fractionDigits: Self.scalarFractionDigits)
                w.raw(#","spans":["#)
                for (k, s) in t.spans.enumerated() {
                    if k > 0 { w.byte(0x2C) }
                    if let names = prefixNames, names.block == s.block, names.field == s.field {
                        w.bytes(prefix)
                    } else {
                        let start = w.cursor
                        w.raw(#"{"block":"#)
                        w.string(s.block)
                        w.raw(Keys.field)
                        w.string(s.field)
                        w.raw(Keys.start)
                        prefix = UnsafeBufferPointer(start: start, count: w.cursor - start)
                        prefixNames = (s.block, s.field)
                    }
                    w.integer(Int64(s.start))
                    w.raw(Keys.endKey)
                    w.integer(Int64(s.end))
                    w.byte(0x7D)
                }
                w.raw("]}")
            }
            w.raw("]}")
        }
    }

    /// Bytes of fixed text in an explanation around its label and three numbers
    /// (`:{"logit":` `,"bias":` `,"remainder":` `,"terms":[` `]}`), per term around its n-gram and
    /// contribution (`,` `{"ngram":` `,"contribution":` `,"spans":[` `]}`) and per span around its names
    /// and offsets (`,` `{"block":` `,"field":` `,"start":` `,"end":` `}`), rounded up.
    static let explanationKeys = 48, termKeys = 48, spanKeys = 48

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
