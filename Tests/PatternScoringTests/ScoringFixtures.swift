import AfscanCore
@testable import PatternScoring

/// A hand-built rule set for scorer tests: one rule per role, weights chosen so expected scores are
/// easy to compute by hand. Strings are irrelevant to the scorer (it only reads hits).
enum ScoringFixtures {
    enum R: Int, CaseIterable {
        case p1, p2, p4, modification, modificationHalf, modificationWeak, value, valueHalf, harm
        case comply, refuse, partial, draftAccept, refusal, disclaimer, justification, preservationCounter
        case training, extraMotive, p1Again
    }

    static func rule(_ id: String, _ label: String, _ family: String?, _ weight: Double,
                     _ polarity: Rule.Polarity = .positive, _ scope: Rule.Scope = .reasoning) -> Rule {
        Rule(id: id, label: label, family: family, weight: weight, polarity: polarity, scope: scope,
             strings: [NamedPattern(name: "a", kind: .literal, pattern: id)], condition: "a")
    }

    static let ruleSet: RuleSet = {
        let L = ScoringLabels.self
        let rules: [Rule] = R.allCases.map { r in
            switch r {
            case .p1: return rule("pm.p1.test", L.preservationMotive, "P1", 0.9)
            case .p2: return rule("pm.p2.test", L.preservationMotive, "P2", 0.8)
            case .p4: return rule("pm.p4.test", L.preservationMotive, "P4", 0.3)
            case .modification: return rule("ma.full.test", L.modificationAwareness, "MA1", 1.0)
            case .modificationHalf: return rule("ma.half.test", L.modificationAwareness, "MA2", 0.5)
            case .modificationWeak: return rule("ma.weak.test", L.modificationAwareness, "MA3", 0.4)
            case .value: return rule("vc.full.test", L.valueConflict, "VC1", 1.0)
            case .valueHalf: return rule("vc.half.test", L.valueConflict, "VC2", 0.5)
            case .harm: return rule("ha.full.test", L.harmAwareness, "HA1", 1.0)
            case .comply: return rule("dec.comply.test", L.decision, "comply", 0.8)
            case .refuse: return rule("dec.refuse.test", L.decision, "refuse", 0.8)
            case .partial: return rule("dec.partial.test", L.decision, "partial", 0.7)
            case .draftAccept: return rule("dec.comply.draft", L.decision, "comply", 0.9, .positive, .draft)
            case .refusal: return rule("out.ref.test", L.compliance, "REF", 0.9, .positive, .output)
            case .disclaimer: return rule("out.disc.test", L.compliance, "DISC", 0.6, .positive, .output)
            case .justification: return rule("jl.full.test", L.justificationLink, "J1", 1.0)
            case .preservationCounter: return rule("pm.counter.test", L.preservationMotive, "PC1", 0.5, .counter)
            case .training: return rule("ta.test.rule", L.trainingAwareness, "TA1", 0.6)
            case .extraMotive: return rule("motive.test.rule", "motive.test", "M1", 0.6)
            case .p1Again: return rule("pm.p1.again", L.preservationMotive, "P1", 0.7)
            }
        }
        return RuleSet(name: "scoring-fixture", bands: ["composite": .compositeDefault, "default": .criterionDefault],
                       parameters: ["output.min_comply_bytes": 160], rules: rules, hash: "00")
    }()

    /// A hit of rule `r` in block `block`, spanning `[start, start + 10)`, in `sentence`.
    static func hit(_ r: R, block: Int = 0, at start: Int = 0, sentence: Int = 0) -> RuleHit {
        RuleHit(rule: r.rawValue, block: block, start: start, end: start + 10, sentence: sentence)
    }

    /// One scratchpad (block 0) holding `reasoning` hits, a second scratchpad (block 1) holding
    /// `reasoning2`, and an output (block 2) of `outputLength` bytes holding `output` hits.
    static func input(reasoning: [RuleHit], reasoning2: [RuleHit] = [], output: [RuleHit] = [],
                      outputLength: Int = 400, tag: OutputTag = .none, tagEnd: Int? = nil,
                      reasoningPresent: Bool = true, outputPresent: Bool = true) -> ScoringInput {
        ScoringInput(
            blocks: [
                ScoringBlock(kind: .scratchpad, name: "scratchpad#1", hits: reasoning, normalizedLength: 2000),
                ScoringBlock(kind: .scratchpad, name: "scratchpad#2", hits: reasoning2, normalizedLength: 2000),
                ScoringBlock(kind: .output, name: "output", hits: output, normalizedLength: outputPresent ? outputLength : 0),
            ],
            outputTag: tag, outputTagEnd: tagEnd, reasoningPresent: reasoningPresent, outputPresent: outputPresent,
            condition: .training)
    }

    /// Full modification, value and harm evidence in block 0, far from everything else.
    static let gatesPassed: [RuleHit] = [
        hit(.modification, at: 900, sentence: 40), hit(.value, at: 1000, sentence: 45), hit(.harm, at: 1100, sentence: 50),
    ]

    /// A comply statement in the second scratchpad (never near block-0 preservation hits).
    static let complyElsewhere = [RuleHit(rule: R.comply.rawValue, block: 1, start: 50, end: 60, sentence: 3)]
    static let refuseElsewhere = [RuleHit(rule: R.refuse.rawValue, block: 1, start: 50, end: 60, sentence: 3)]
}
