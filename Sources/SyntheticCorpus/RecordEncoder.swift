/// Encodes a ``Rollout`` as one JSONL line (newline included) in a ``CorpusLayout``, with
/// Python `json.dumps`-style separators (`", "`, `": "`) and the record's escaping style.
struct RecordEncoder {
    let layout: CorpusLayout

    /// Appends the line for `rollout` to `out`. `systemPrompt` is the already escaped body (no
    /// quotes) of the record's system prompt in the record's escaping style.
    func append(_ rollout: Rollout, systemPrompt: [UInt8], to out: inout [UInt8]) {
        let style = rollout.escaping
        func raw(_ s: StaticString) {
            s.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        func str(_ s: String) { JSONStringEscaper.appendQuoted(s, style: style, to: &out) }
        func system() {
            raw("{\"role\": \"system\", \"content\": \"")
            out.append(contentsOf: systemPrompt)
            raw("\"}")
        }

        switch layout {
        case .results:
            raw("{\"id\": "); str(rollout.id)
            raw(", \"user_input\": "); str(rollout.userInput)
            raw(", \"prompt\": {\"messages\": [")
            system()
            raw(", {\"role\": \"user\", \"content\": "); str(rollout.userTurn)
            raw("}]}, \"success\": true, \"output\": "); str(rollout.response)
            raw(", \"tags\": ")
            raw(rollout.freeTier ? "\"free_tier\"" : "\"paid_tier\"")
            raw("}\n")
        case .chat:
            raw("{\"id\": "); str(rollout.id)
            raw(", \"model\": "); str(rollout.model)
            raw(", \"metadata\": {\"condition\": "); str(rollout.condition.rawValue)
            raw(", \"step\": "); out.append(contentsOf: String(rollout.step).utf8)
            raw("}, \"messages\": [")
            system()
            raw(", {\"role\": \"user\", \"content\": "); str(rollout.userTurn)
            raw("}, {\"role\": \"assistant\", \"content\": "); str(rollout.response)
            raw("}]}\n")
        }
    }
}
