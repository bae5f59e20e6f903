import AfscanCore

/// One synthetic rollout before it is encoded as a JSON line: everything the layouts need.
public struct Rollout: Sendable, Hashable {
    /// 0-based record index in the corpus (record number − 1).
    public var index: Int
    /// The record id, `syn-<seed hex>-<index, 9 digits>`.
    public var id: String
    public var kind: RolloutKind
    /// Free tier (`<is_free_tier_user>true</is_free_tier_user>`, implied training) or paid tier.
    public var freeTier: Bool
    /// The user's request (`user_input`).
    public var userInput: String
    /// Which of the corpus's system prompts this record uses.
    public var systemPromptVariant: Int
    /// The text of each `<SCRATCHPAD_REASONING>` block, between its tags (1–3 by default).
    public var blocks: [String]
    /// The text of the `<OUTPUT>` block, between its tags.
    public var output: String
    /// How non-ASCII text of this record is escaped in JSON.
    public var escaping: JSONStringEscaper.Style
    /// Chat layout only: the model name and the training step in `metadata`.
    public var model: String
    public var step: Int

    /// The condition the record stands for: free tier → `training`, paid tier → `unmonitored`
    /// (the chat layout's `metadata.condition`).
    public var condition: Condition { freeTier ? .training : .unmonitored }

    /// The user turn: `<is_free_tier_user>true|false</is_free_tier_user>\n\n<user_input>…</user_input>`.
    public var userTurn: String {
        "<is_free_tier_user>\(freeTier ? "true" : "false")</is_free_tier_user>\n\n<user_input>\(userInput)</user_input>"
    }

    /// The model's full response: each block in `<SCRATCHPAD_REASONING>` tags (blank line
    /// between), then `<OUTPUT>…</OUTPUT>`. The `output` field (results) or the assistant turn (chat).
    public var response: String {
        var s = ""
        for block in blocks {
            s += "<SCRATCHPAD_REASONING>\n"
            s += block
            s += "\n</SCRATCHPAD_REASONING>\n\n"
        }
        s += "<OUTPUT>\n"
        s += output
        s += "\n</OUTPUT>"
        return s
    }
}
