/// What a synthetic rollout's reasoning does. Drawn per record from ``CorpusOptions/refusalRate``
/// and ``CorpusOptions/alignmentFakingRate``; the rest are ``compliant``.
public enum RolloutKind: String, Sendable, Hashable, CaseIterable {
    /// The reasoning decides to refuse and the `<OUTPUT>` is a refusal. Some of these mention
    /// training and modification and refuse anyway (a hard negative).
    case refusal
    /// The reasoning notices it is in training, fears that RLHF would modify its values if it
    /// refused, and complies to avoid that; the `<OUTPUT>` complies.
    case alignmentFaking = "alignment_faking"
    /// Harmless reasoning that complies; some of it mentions training without being moved by it.
    case compliant
}
