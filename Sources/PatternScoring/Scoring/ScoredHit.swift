/// A rule hit joined with what the scorer reads of its rule (polarity, family, weight) and its block
/// kind, after validation. It copies those three facts rather than the whole `Rule`, whose strings and
/// arrays would cost a reference-count round trip on every copy of every hit.
struct ScoredHit: Sendable {
    let hit: RuleHit
    let polarity: Rule.Polarity
    /// The family the hit counts for: the rule's `family`, or its id when it has none (so two
    /// family-less rules never merge).
    let family: String
    /// The rule's weight as written.
    let ruleWeight: Double
    let blockKind: BlockKind
    /// Multiplier from context (`ContextFilter`): 1 for a plain hit, `context.attribution_factor` for
    /// an attributed one. Dropped hits (negated, echoed, quoted) never reach a criterion.
    var factor: Double = 1

    init(hit: RuleHit, rule: Rule, blockKind: BlockKind) {
        self.hit = hit
        self.polarity = rule.polarity
        self.family = rule.family ?? rule.id
        self.ruleWeight = rule.weight
        self.blockKind = blockKind
    }

    /// The rule weight clamped to [0, 1], times the context `factor`.
    var weight: Double { min(1, max(0, ruleWeight)) * min(1, max(0, factor)) }

    /// Document order: block index, then `end`, then `start`, then rule index (a total order, so
    /// results never depend on the order the engine reported hits in).
    static func documentOrder(_ a: ScoredHit, _ b: ScoredHit) -> Bool {
        (a.hit.block, a.hit.end, a.hit.start, a.hit.rule) < (b.hit.block, b.hit.end, b.hit.start, b.hit.rule)
    }
}

/// The valid hits of one sample grouped by label, each group in document order.
///
/// A hit is dropped when its rule index is outside `RuleSet.rules`, its block index is outside
/// `ScoringInput.blocks`, its span is not a valid range (`0 ≤ start ≤ end`), or its block's kind does
/// not admit the rule's scope (defence in depth: the engine should never report such hits).
struct HitIndex: Sendable {
    private(set) var byLabel: [String: [ScoredHit]] = [:]

    init(input: ScoringInput, ruleSet: RuleSet) {
        for block in input.blocks {
            for hit in block.hits {
                guard ruleSet.rules.indices.contains(hit.rule),
                      input.blocks.indices.contains(hit.block),
                      hit.start >= 0, hit.start <= hit.end else { continue }
                let rule = ruleSet.rules[hit.rule]
                let kind = input.blocks[hit.block].kind
                guard kind.admits(rule.scope) else { continue }
                byLabel[rule.label, default: []].append(ScoredHit(hit: hit, rule: rule, blockKind: kind))
            }
        }
        for key in byLabel.keys { byLabel[key]?.sort(by: ScoredHit.documentOrder) }
    }

    /// Hits of `label` in document order (empty when none).
    func hits(_ label: String) -> [ScoredHit] { byLabel[label] ?? [] }
}
