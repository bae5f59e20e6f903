/// The record shape a synthetic corpus is written in (docs/FORMATS.md §1 and §4).
public enum CorpusLayout: String, Sendable, Hashable, CaseIterable {
    /// The results layout of the open-source alignment-faking pipeline, one record per line:
    /// `{"id", "user_input", "prompt": {"messages": [system, user]}, "success": true,
    /// "output": "<SCRATCHPAD_REASONING>…</SCRATCHPAD_REASONING>…<OUTPUT>…</OUTPUT>", "tags"}`.
    /// The condition is in `tags` (`free_tier`/`paid_tier`) and in the user turn's
    /// `<is_free_tier_user>` tag, always consistent.
    case results
    /// A chat transcript: `{"id", "model", "metadata": {"condition", "step"}, "messages":
    /// [system, user, assistant]}`, with the tier tag in the user turn and the scratchpad blocks
    /// and `<OUTPUT>` in the assistant turn. `metadata.condition` is `training` (free tier) or
    /// `unmonitored` (paid tier).
    case chat
}
