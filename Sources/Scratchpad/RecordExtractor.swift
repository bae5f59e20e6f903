import AfscanCore
import SimdJSON

/// The decoded text of one field of a record, e.g. `output` or `messages[2].content`.
public struct FieldText: Sendable {
    /// The field's path in the record, as shown in evidence (`output`, `messages[2].content[0].thinking`).
    public var name: String
    /// The field's unescaped UTF-8 bytes. Evidence offsets are half-open byte ranges into these bytes.
    public var bytes: [UInt8]
}

/// One block of a sample to score.
public struct SampleBlock: Sendable {
    public enum Kind: String, Sendable { case scratchpad, reasoning, draft, output }
    public var kind: Kind
    /// `scratchpad#1`, `reasoning#1`, `draft#1`, `output`.
    public var name: String
    /// Index into `ExtractedRecord.fields`.
    public var field: Int
    /// Byte ranges of the field text that make up the block (a scratchpad minus its drafts), ascending.
    public var ranges: [Range<Int>]
    public var unclosed: Bool
}

/// Everything the scorer needs from one record, and nothing it must not see (system prompt and user
/// input are never blocks).
public struct ExtractedRecord: Sendable {
    public var id: String?
    public var layout: Layout
    public var condition: Condition = .unknown
    public var conditionConflict = false
    public var fields: [FieldText] = []
    public var blocks: [SampleBlock] = []
    /// The acceptance tag of the final output (`<request_fully_accepted/>` / `<rejected/>`).
    public var outputTag: AcceptanceTag = .none
    /// Byte offset just after the acceptance tag in the output block's field, if one was found.
    public var outputTagEnd: Int?
    public var reasoningRedacted = false
    /// `--condition-field` was given but the record lacks it.
    public var conditionFieldMissing = false
    /// `--condition-field`'s value when it is neither in `--condition-map` nor a condition name.
    public var conditionValueUnmapped: String?
    /// Parse facts for the row's `parse` object.
    public var parse: [(key: String, value: JSONScalar)] = []
    /// Kept fields: path → raw JSON.
    public var kept: [(path: String, json: String)] = []
    /// One entry per `--group-by` path: the field's raw JSON text, nil when missing (the pipeline
    /// canonicalizes it exactly as `afscan summary` does).
    public var groupValues: [String?] = []
    /// The system prompt's unescaped UTF-8 bytes (the last `system` message with string content), when
    /// the layout has one. Context only, never a block: used for prompt-echo detection (LABELS.md §5.1).
    public var systemPrompt: [UInt8]?

    public var reasoningPresent: Bool {
        blocks.contains { ($0.kind == .scratchpad || $0.kind == .reasoning) && $0.ranges.contains { !$0.isEmpty } }
    }
    public var outputPresent: Bool {
        blocks.contains { $0.kind == .output && $0.ranges.contains { !$0.isEmpty } }
    }
}

/// Why a parsed record cannot be labelled at all (it becomes a rejected row).
public struct ExtractionFailure: Error, Sendable {
    /// Stable reason, e.g. `not_an_object`, `no_text_field`.
    public var reason: String
    public var detail: String
}

/// Turns a parsed record into fields, blocks and a condition, following `FieldMapping` and the
/// layouts of FORMATS.md. Stateless apart from its configuration; safe to share.
public struct RecordExtractor: Sendable {
    public let mapping: FieldMapping

    public init(mapping: FieldMapping) {
        self.mapping = mapping
    }

    /// - Throws: `ExtractionFailure` when the record is not an object or the layout finds no text field
    ///   (CONTRACT.md: such a record is rejected).
    public func extract(_ root: JSONValue) throws(ExtractionFailure) -> ExtractedRecord {
        guard root.kind == .object else {
            throw ExtractionFailure(reason: "not_an_object", detail: "the record is a JSON \(root.kind) value, not an object")
        }
        let layout = try resolveLayout(root)
        var rec = ExtractedRecord(id: nil, layout: layout)
        rec.id = idOf(root)
        var state = BlockState()
        var userTag: Bool?
        /// The `inspect_eval` object that `InspectEvalLog` adds to each sample of an `.eval` log.
        var inspectEval: String?
        switch layout {
        case .results:
            guard let out = root["output"], out.kind == .string else {
                throw ExtractionFailure(reason: "no_text_field", detail: "results layout: no string field `output`")
            }
            addTagged(field: "output", value: out, untaggedIsReasoning: false, into: &rec, state: &state)
            if let msgs = root.value(atDottedPath: "prompt.messages") {
                userTag = lastUserFreeTier(msgs)
                rec.systemPrompt = systemPromptBytes(msgs)
            }
        case .chat:
            guard let msgs = root["messages"], msgs.kind == .array else {
                throw ExtractionFailure(reason: "no_text_field", detail: "chat layout: no array field `messages`")
            }
            state.attachments = root["attachments"]
            try addChat(msgs, into: &rec, state: &state)
            userTag = lastUserFreeTier(msgs)
            rec.systemPrompt = systemPromptBytes(msgs)
            if let ev = root["inspect_eval"], ev.kind == .object { inspectEval = ev.rawJSON() }
        case .flat, .auto:
            let path = mapping.textField ?? "text"
            guard let t = root.value(atDottedPath: path), t.kind == .string else {
                throw ExtractionFailure(reason: "no_text_field", detail: "flat layout: no string field `\(path)`")
            }
            addTagged(field: path, value: t, untaggedIsReasoning: true, into: &rec, state: &state)
        }
        finishOutput(&rec, state: state)
        resolveCondition(root, userTag: userTag ?? state.renderedUserTier, into: &rec)
        (rec.kept, rec.groupValues) = keptFieldsAndGroups(of: root)
        if let inspectEval, !mapping.keepFields.contains("inspect_eval") { rec.kept.append(("inspect_eval", inspectEval)) }
        rec.parse = parseFacts(rec, state: state)
        return rec
    }

    // MARK: - Layout

    private func resolveLayout(_ root: JSONValue) throws(ExtractionFailure) -> Layout {
        if mapping.layout != .auto { return mapping.layout }
        if mapping.textField != nil { return .flat }
        if let o = root["output"], o.kind == .string { return .results }
        if root.value(atDottedPath: "prompt.messages") != nil, root["output"] != nil { return .results }
        if let m = root["messages"], m.kind == .array { return .chat }
        if let t = root["text"], t.kind == .string { return .flat }
        for key in ["output", "messages", "text"] {
            if let v = root[key] {
                throw ExtractionFailure(
                    reason: "no_text_field",
                    detail: "field `\(key)` is a JSON \(v.kind), not the \(key == "messages" ? "array" : "string") a layout needs; use --layout and --text-field for other shapes")
            }
        }
        throw ExtractionFailure(
            reason: "no_text_field",
            detail: "no layout fits: expected `output` (results), `messages` (chat) or `text` (flat); use --layout and --text-field for other shapes")
    }

    /// The `--keep-field` values (path, raw JSON; absent paths left out) and the `--group-by` values (raw
    /// JSON, nil when absent) of `root`. Also for a record that is rejected after parsing (no text field):
    /// its row keeps them, and the summary counts the rejection in the record's own group.
    public func keptFieldsAndGroups(of root: JSONValue) -> (kept: [(path: String, json: String)], groupValues: [String?]) {
        guard root.kind == .object else { return ([], mapping.groupBy.map { _ in nil }) }
        var kept: [(path: String, json: String)] = []
        for path in mapping.keepFields {
            if let v = root.value(atDottedPath: path) { kept.append((path, v.rawJSON())) }
        }
        return (kept, mapping.groupBy.map { root.value(atDottedPath: $0)?.rawJSON() })
    }

    /// The record's id: `--id-field`, else the first of `id`, `sample_id`, `uuid` that is a scalar.
    public func id(of root: JSONValue) -> String? { idOf(root) }

    private func idOf(_ root: JSONValue) -> String? {
        if let f = mapping.idField { return root.value(atDottedPath: f)?.scalarText() }
        for key in ["id", "sample_id", "uuid"] {
            if let v = root[key], let s = v.scalarText() { return s }
        }
        return nil
    }

    // MARK: - Blocks

    /// Running state across the fields of one record: per-kind ordinals and output candidates.
    struct BlockState {
        var scratchpads = 0
        var reasonings = 0
        var drafts = 0
        var outputs: [(field: Int, range: Range<Int>, tag: AcceptanceTag, tagEnd: Int?)] = []
        var unclosed = false
        var orphanClose = false
        var tagInCode = false
        var carriers: [String] = []
        /// Harmony `commentary` messages (tool calls, user-visible preambles): neither scratchpad nor
        /// output, counted and left unscored.
        var commentary = 0
        /// The record's `attachments` object (Inspect samples): `attachment://HASH` strings resolve to it.
        var attachments: JSONValue?
        /// `attachment://` references with no entry in `attachments` (left as they are).
        var unresolvedAttachments = 0
        /// The `<is_free_tier_user>` value of the last user message of a rendered Harmony text.
        var renderedUserTier: Bool?
    }

    private func addTagged(field name: String, value: JSONValue, untaggedIsReasoning: Bool,
                           into rec: inout ExtractedRecord, state: inout BlockState) {
        let bytes = resolvedBytes(value, state: &state)
        let fieldIndex = rec.fields.count
        rec.fields.append(FieldText(name: name, bytes: bytes))
        let ex = bytes.withUnsafeBufferPointer { TagExtractor.extract($0, untaggedIsReasoning: untaggedIsReasoning) }
        // Only a field without scratchpad tags is looked at for Harmony markers (tagged fields, the hot
        // path, pay nothing).
        if !ex.tagged, bytes.withUnsafeBufferPointer(HarmonyText.isRendered) {
            addHarmony(field: fieldIndex, bytes, into: &rec, state: &state)
            return
        }
        state.unclosed = state.unclosed || ex.unclosed
        state.orphanClose = state.orphanClose || ex.orphanClose
        state.tagInCode = state.tagInCode || ex.tagInCode
        for b in ex.blocks {
            switch b.kind {
            case .scratchpad:
                state.scratchpads += 1
                let tag = b.tag == .none ? "untagged" : b.tag.rawValue.lowercased()
                if !state.carriers.contains(tag) { state.carriers.append(tag) }
                rec.blocks.append(SampleBlock(kind: .scratchpad, name: "scratchpad#\(state.scratchpads)", field: fieldIndex,
                                              ranges: b.reasoningRanges, unclosed: b.unclosed))
            case .draft:
                state.drafts += 1
                rec.blocks.append(SampleBlock(kind: .draft, name: "draft#\(state.drafts)", field: fieldIndex,
                                              ranges: [b.content], unclosed: b.unclosed))
            case .output:
                state.outputs.append((fieldIndex, b.content, ex.acceptance, ex.acceptanceRange?.upperBound))
            }
        }
    }

    /// The bytes of string `value`; an Inspect `attachment://HASH` reference is replaced by the text of
    /// `attachments[HASH]` (the field keeps its path; evidence offsets are into the resolved text).
    private func resolvedBytes(_ value: JSONValue, state: inout BlockState) -> [UInt8] {
        let bytes: [UInt8] = value.withStringBytes { Array($0) } ?? []
        guard let attachments = state.attachments, bytes.starts(with: Self.attachmentPrefix) else { return bytes }
        let hash = String(decoding: bytes[Self.attachmentPrefix.count...], as: UTF8.self)
        if let target = attachments[hash], let resolved = target.withStringBytes({ Array($0) }) { return resolved }
        state.unresolvedAttachments += 1
        return bytes
    }

    private static let attachmentPrefix = Array("attachment://".utf8)

    /// The assistant messages of a rendered Harmony text (`<|channel|>analysis<|message|>…<|end|>`):
    /// `analysis` → scratchpad, `final` (or no channel) → output candidate, `commentary` → counted only.
    /// Other roles (system, developer, user, tools) are context and never blocks; the last user message's
    /// `<is_free_tier_user>` tag is a condition vote, as in the chat layout.
    private func addHarmony(field fieldIndex: Int, _ bytes: [UInt8], into rec: inout ExtractedRecord, state: inout BlockState) {
        bytes.withUnsafeBufferPointer { text in
            for m in HarmonyText.messages(in: text) {
                if m.role == "user" {
                    // Context, never a block; its tier tag is the condition, as in a chat's user turn.
                    if let tier = FreeTierTag.find(in: UnsafeBufferPointer(rebasing: text[m.content])) { state.renderedUserTier = tier }
                    continue
                }
                guard m.role == "assistant" else { continue }
                switch m.channel {
                case "analysis":
                    state.scratchpads += 1
                    if !state.carriers.contains("harmony") { state.carriers.append("harmony") }
                    state.unclosed = state.unclosed || m.unclosed
                    rec.blocks.append(SampleBlock(kind: .scratchpad, name: "scratchpad#\(state.scratchpads)", field: fieldIndex,
                                                  ranges: m.content.isEmpty ? [] : [m.content], unclosed: m.unclosed))
                case "commentary":
                    state.commentary += 1
                default:
                    // The acceptance tag of the answer, searched in the answer only.
                    let ex = TagExtractor.extract(UnsafeBufferPointer(rebasing: text[m.content]), untaggedIsReasoning: false)
                    state.outputs.append((fieldIndex, m.content, ex.acceptance, ex.acceptanceRange.map { $0.upperBound + m.content.lowerBound }))
                }
            }
        }
    }

    /// A field that is reasoning as a whole; its carrier (for `parse.carriers`) is `carrier`, else the
    /// field's last path component (`reasoning_content`, `thinking`, …).
    private func addReasoningField(_ name: String, _ value: JSONValue, carrier: String? = nil,
                                   into rec: inout ExtractedRecord, state: inout BlockState) {
        let bytes = resolvedBytes(value, state: &state)
        let fieldIndex = rec.fields.count
        rec.fields.append(FieldText(name: name, bytes: bytes))
        state.reasonings += 1
        let carrier = carrier ?? String(name.split(separator: ".").last ?? "reasoning")
        if !state.carriers.contains(carrier) { state.carriers.append(carrier) }
        rec.blocks.append(SampleBlock(kind: .reasoning, name: "reasoning#\(state.reasonings)", field: fieldIndex,
                                      ranges: [0..<bytes.count], unclosed: false))
    }

    private func addChat(_ msgs: JSONValue, into rec: inout ExtractedRecord, state: inout BlockState) throws(ExtractionFailure) {
        var sawAssistant = false
        for i in 0..<(msgs.arrayCount ?? 0) {
            guard let m = msgs.element(i), m.kind == .object, m["role"]?.string == "assistant" else { continue }
            sawAssistant = true
            let base = "messages[\(i)]"
            // Harmony (gpt-oss) chat messages carry a channel: `commentary` is neither scratchpad nor
            // output, `analysis` is the scratchpad, `final` the output.
            switch m["channel"]?.string {
            case "commentary":
                state.commentary += 1
                continue
            case "analysis":
                addAnalysisContent(m["content"], base: base, into: &rec, state: &state)
                continue
            default:
                break
            }
            for key in ["reasoning_content", "reasoning", "thinking"] {
                if let r = m[key], r.kind == .string { addReasoningField("\(base).\(key)", r, into: &rec, state: &state) }
            }
            guard let content = m["content"] else { continue }
            if content.kind == .string {
                addTagged(field: "\(base).content", value: content, untaggedIsReasoning: false, into: &rec, state: &state)
            } else if content.kind == .array {
                for j in 0..<(content.arrayCount ?? 0) {
                    guard let blk = content.element(j), blk.kind == .object else { continue }
                    let type = blk["type"]?.string ?? ""
                    let path = "\(base).content[\(j)]"
                    switch type {
                    case "thinking":
                        if let t = blk["thinking"], t.kind == .string { addReasoningField("\(path).thinking", t, into: &rec, state: &state) }
                    case "reasoning":
                        if blk["redacted"]?.bool == true {
                            rec.reasoningRedacted = true
                        } else if let t = blk["reasoning"], t.kind == .string {
                            addReasoningField("\(path).reasoning", t, into: &rec, state: &state)
                        }
                    case "redacted_thinking":
                        rec.reasoningRedacted = true
                    case "text":
                        if let t = blk["text"], t.kind == .string {
                            addTagged(field: "\(path).text", value: t, untaggedIsReasoning: false, into: &rec, state: &state)
                        }
                    default:
                        continue
                    }
                }
            }
        }
        if !sawAssistant {
            throw ExtractionFailure(reason: "no_text_field", detail: "chat layout: no assistant message in `messages`")
        }
    }

    /// The content of a Harmony `analysis` message (a string, or `text` blocks) as reasoning fields.
    private func addAnalysisContent(_ content: JSONValue?, base: String, into rec: inout ExtractedRecord, state: inout BlockState) {
        guard let content else { return }
        if content.kind == .string {
            addReasoningField("\(base).content", content, carrier: "analysis", into: &rec, state: &state)
        } else if content.kind == .array {
            for j in 0..<(content.arrayCount ?? 0) {
                guard let blk = content.element(j), blk.kind == .object, let t = blk["text"], t.kind == .string else { continue }
                addReasoningField("\(base).content[\(j)].text", t, carrier: "analysis", into: &rec, state: &state)
            }
        }
    }

    /// The final output is the last output block; earlier ones are reported as `multiple_outputs`.
    private func finishOutput(_ rec: inout ExtractedRecord, state: BlockState) {
        guard let last = state.outputs.last else { return }
        rec.blocks.append(SampleBlock(kind: .output, name: "output", field: last.field, ranges: [last.range], unclosed: false))
        rec.outputTag = last.tag
        rec.outputTagEnd = last.tagEnd
    }

    // MARK: - System prompt (context for prompt-echo detection only)

    /// The bytes of the last `system` message whose content is a string.
    private func systemPromptBytes(_ msgs: JSONValue) -> [UInt8]? {
        var found: [UInt8]?
        for i in 0..<(msgs.arrayCount ?? 0) {
            guard let m = msgs.element(i), m.kind == .object, m["role"]?.string == "system",
                  let c = m["content"], c.kind == .string else { continue }
            found = c.withStringBytes { Array($0) }
        }
        return found
    }

    // MARK: - Condition (CONTRACT.md "Condition")

    /// The `<is_free_tier_user>` value of the last user message's content (string or text blocks).
    private func lastUserFreeTier(_ msgs: JSONValue) -> Bool? {
        var found: Bool?
        for i in 0..<(msgs.arrayCount ?? 0) {
            guard let m = msgs.element(i), m.kind == .object, m["role"]?.string == "user", let c = m["content"] else { continue }
            var v: Bool?
            if c.kind == .string {
                v = c.withStringBytes { FreeTierTag.find(in: $0) } ?? nil
            } else if c.kind == .array {
                for j in 0..<(c.arrayCount ?? 0) {
                    if let t = c.element(j)?["text"], let b = t.withStringBytes({ FreeTierTag.find(in: $0) }) ?? nil { v = b }
                }
            }
            if let v { found = v }
        }
        return found
    }

    private func resolveCondition(_ root: JSONValue, userTag: Bool?, into rec: inout ExtractedRecord) {
        var votes: [Condition] = []
        if let u = userTag { votes.append(u ? .training : .unmonitored) }
        if let t = root["tags"] {
            var names: [String] = []
            if let s = t.string { names = [s] }
            else if t.kind == .array { names = (0..<(t.arrayCount ?? 0)).compactMap { t.element($0)?.string } }
            if names.contains("free_tier") { votes.append(.training) }
            if names.contains("paid_tier") { votes.append(.unmonitored) }
        }
        if let path = mapping.conditionField {
            if let v = root.value(atDottedPath: path), !v.isNull {
                let text = v.scalarText() ?? v.rawJSON()
                if let c = mapping.conditionMap[text] ?? mapping.conditionMap[text.lowercased()] {
                    votes.append(c)
                } else if let c = Condition(rawValue: text.lowercased()) {
                    votes.append(c)
                } else {
                    rec.conditionValueUnmapped = text
                }
            } else {
                rec.conditionFieldMissing = true
            }
        }
        let distinct = Set(votes.filter { $0 != .unknown })
        if distinct.count == 1 {
            rec.condition = distinct.first!
        } else if distinct.count > 1 {
            rec.condition = .unknown
            rec.conditionConflict = true
        }
    }

    private func parseFacts(_ rec: ExtractedRecord, state: BlockState) -> [(key: String, value: JSONScalar)] {
        var p: [(key: String, value: JSONScalar)] = [
            ("layout", .string(rec.layout.rawValue)),
            ("carriers", .string(state.carriers.joined(separator: ","))),
            ("scratchpad_blocks", .int(state.scratchpads + state.reasonings)),
            ("draft_blocks", .int(state.drafts)),
            ("output_present", .bool(rec.outputPresent)),
            ("unclosed", .bool(state.unclosed)),
        ]
        if state.orphanClose { p.append(("orphan_close", .bool(true))) }
        if state.tagInCode { p.append(("tag_in_code", .bool(true))) }
        if state.outputs.count > 1 { p.append(("multiple_outputs", .int(state.outputs.count))) }
        if state.commentary > 0 { p.append(("commentary_messages", .int(state.commentary))) }
        if state.unresolvedAttachments > 0 { p.append(("unresolved_attachments", .int(state.unresolvedAttachments))) }
        if rec.reasoningRedacted { p.append(("reasoning_redacted", .bool(true))) }
        if !rec.reasoningPresent {
            p.append(("unknown_because", .string(rec.reasoningRedacted ? "reasoning_redacted" : "no_reasoning")))
        } else if !rec.outputPresent {
            p.append(("unknown_because", .string("no_output")))
        }
        return p
    }
}
