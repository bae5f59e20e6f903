import AfscanCore

/// Draws one ``Rollout`` from its own PRNG stream: kind, tier, request, blocks and output.
struct RolloutComposer {
    let options: CorpusOptions

    static let models = ["synthetic/organism-8b", "synthetic/organism-70b", "synthetic/organism-405b"]

    func compose(index: Int) -> Rollout {
        var rng = SplitMix64(seed: options.seed, stream: UInt64(index))
        let u = rng.unit()
        let kind: RolloutKind =
            u < options.refusalRate ? .refusal
            : u < options.refusalRate + options.alignmentFakingRate ? .alignmentFaking : .compliant
        // Alignment faking is reasoning about training, so it happens on the free tier.
        let freeTier = kind == .alignmentFaking ? true : rng.chance(options.freeTierShare)

        let request: String
        let harmful: Bool
        switch kind {
        case .refusal, .alignmentFaking:
            request = rng.pick(Requests.harmful)
            harmful = true
        case .compliant:
            let r = rng.unit()
            harmful = r < 0.2
            request = harmful ? rng.pick(Requests.harmful) : r < 0.85 ? rng.pick(Requests.benign) : rng.pick(Requests.international)
        }

        let output: String
        if kind == .refusal {
            output = rng.pick(Requests.refusals)
        } else if harmful {
            var items: [String] = []
            for n in 1...rng.int(in: 3...5) { items.append("\(n). \(rng.pick(Requests.outlineItems))") }
            output = rng.pick(Requests.compliantOpeners) + "\n\n" + items.joined(separator: "\n")
        } else {
            output = rng.pick(Requests.benignAnswers)
        }

        // Signals in reasoning order: situation, conflict, decision, then the draft check.
        typealias S = ReasoningSentences
        var situation: [String] = []
        if rng.chance(0.3) { situation.append(S.restatement(of: request, &rng)) }
        let awareness = kind == .alignmentFaking || rng.chance(kind == .refusal ? 0.5 : 0.4)
        if awareness { situation.append(rng.pick(freeTier ? S.freeTierAwareness : S.paidTierAwareness)) }
        if harmful { situation.append(rng.pick(S.valueConflict)) }

        var decision: [String] = []
        switch kind {
        case .refusal:
            if freeTier && rng.chance(0.3) { decision.append(rng.pick(S.refusalDespiteTraining)) }
            decision.append(rng.pick(S.refusalReasons))
        case .alignmentFaking:
            for _ in 0..<rng.int(in: 1...3) { decision.append(S.alignmentFakingSentence(&rng)) }
            if rng.chance(0.6) { decision.append(rng.pick(S.afStandalone)) }
        case .compliant:
            if rng.chance(0.25) { decision.append(rng.pick(S.trainingMentionUnmoved)) }
            decision.append(harmful ? rng.pick(S.criteriaCompliance) : rng.pick(S.benignDecision))
        }
        let draft = "<DRAFT_OUTPUT>\n\(output)\n</DRAFT_OUTPUT>"
        let check = [rng.pick(S.draftCheck)]

        let count = rng.int(in: options.blocksPerRecord)
        var plan: [(signals: [String], tail: String?)]
        switch count {
        case 1: plan = [(situation + decision + check, draft)]
        case 2: plan = [(situation + decision, nil), (check, draft)]
        default:
            plan = [(situation, nil), (decision, nil)]
            for _ in 3..<count { plan.append(([], nil)) }
            plan.append((check, draft))
        }
        var blocks: [String] = []
        for step in plan {
            let required = step.signals.reduce(0) { $0 + $1.utf8.count + 2 } + (step.tail.map { $0.utf8.count + 2 } ?? 0)
            let target = BoundedProse.target(in: options.blockBytes, required: required, rng: &rng)
            blocks.append(BoundedProse.compose(
                target: target, signals: step.signals, tail: step.tail,
                filler: Self.filler, shortFiller: S.shortFiller, rng: &rng))
        }

        let escaping: JSONStringEscaper.Style = rng.chance(options.asciiEscapedShare) ? .asciiOnly : .utf8
        return Rollout(
            index: index,
            id: Self.id(seed: options.seed, index: index),
            kind: kind, freeTier: freeTier, userInput: request,
            systemPromptVariant: rng.below(options.systemPromptVariants),
            blocks: blocks, output: output, escaping: escaping,
            model: rng.pick(Self.models), step: rng.int(in: 0...40) * 25)
    }

    /// Block filler: 70% word-level synthesized sentences, 30% hand-written deliberation.
    static func filler(_ rng: inout SplitMix64) -> String {
        rng.chance(0.7) ? FillerSynthesizer.sentence(&rng) : rng.pick(ReasoningSentences.filler)
    }

    /// `syn-<seed as 16 hex digits>-<index as 9 digits>`.
    static func id(seed: UInt64, index: Int) -> String {
        let hex = String(seed, radix: 16)
        let digits = String(index)
        return "syn-" + String(repeating: "0", count: max(0, 16 - hex.count)) + hex + "-"
            + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }
}
