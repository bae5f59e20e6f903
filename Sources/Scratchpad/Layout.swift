import AfscanCore
import SimdJSON

/// The record layouts afscan reads (FORMATS.md), chosen per record when `auto`.
public enum Layout: String, Sendable, CaseIterable {
    /// Detect per record: `output` or `prompt.messages` → results; `messages` → chat; a text field → flat.
    case auto
    /// The results files of the open-source alignment-faking pipeline ("Alignment Faking Revisited"):
    /// `{user_input, prompt: {messages: [system, user]}, output, tags, …}`. Reasoning and output come from
    /// `output`; the system prompt and the user turn are context, never scored.
    case results
    /// Chat transcripts: `messages: [{role, content}]` where content is a string or a list of blocks
    /// (`text`, Anthropic `thinking`/`redacted_thinking`, Inspect `reasoning`), plus `reasoning` /
    /// `reasoning_content` / `thinking` fields on a message. Assistant turns only are scored. A Harmony
    /// (gpt-oss) message's `channel` decides its part: `analysis` is reasoning, `final` the output,
    /// `commentary` (tool calls, preambles) neither: counted in `parse.commentary_messages`, not scored.
    case chat
    /// Flat samples `{id, text, label}`: the text field (`--text-field`, default `text`); a text with no
    /// tags at all is all reasoning with no output. In every layout, a text field without scratchpad tags
    /// that holds rendered Harmony text (`<|start|>assistant<|channel|>analysis<|message|>…<|end|>`) is
    /// read by channel as in chat (`HarmonyText`).
    case flat
}

/// How to find ids, texts and conditions in a record: the `--id-field`, `--text-field`,
/// `--condition-field`/`--condition-map`, `--keep-field` and `--group-by` options. Paths are dotted
/// (`metadata.observed`); a numeric component indexes an array.
public struct FieldMapping: Sendable {
    public var layout: Layout
    public var idField: String?
    public var textField: String?
    public var conditionField: String?
    /// Scalar text of the condition field → condition, e.g. `["true": .training, "false": .unmonitored]`.
    public var conditionMap: [String: Condition]
    public var keepFields: [String]
    public var groupBy: [String]

    public init(layout: Layout = .auto, idField: String? = nil, textField: String? = nil, conditionField: String? = nil,
                conditionMap: [String: Condition] = [:], keepFields: [String] = [], groupBy: [String] = []) {
        self.layout = layout
        self.idField = idField
        self.textField = textField
        self.conditionField = conditionField
        self.conditionMap = conditionMap
        self.keepFields = keepFields
        self.groupBy = groupBy
    }

    /// Parses `V=training,V=unmonitored` (also `V=unknown`).
    /// - Throws: a message naming the bad item.
    public static func parseConditionMap(_ text: String) throws(MappingError) -> [String: Condition] {
        var map: [String: Condition] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, let c = Condition(rawValue: String(parts[1]).trimmingSpaces()) else {
                throw MappingError(message: "--condition-map: '\(item)' is not VALUE=training, VALUE=unmonitored or VALUE=unknown")
            }
            let key = String(parts[0]).trimmingSpaces()
            if let previous = map[key], previous != c {
                throw MappingError(message: "--condition-map maps '\(key)' to both \(previous.rawValue) and \(c.rawValue)")
            }
            map[key] = c
        }
        guard !map.isEmpty else { throw MappingError(message: "--condition-map is empty") }
        return map
    }
}

public struct MappingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}
