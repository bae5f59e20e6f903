import AfscanCore

/// Builds the system prompts of a corpus: the scratchpad workflow, the training setting (tiers,
/// RLHF, contractors, helpfulness criteria), few-shot examples with their own
/// `<SCRATCHPAD_REASONING>` blocks, and general guidance to reach the target length.
enum SystemPromptBuilder {
    static let guidancePool = SystemPromptText.guidance + SystemPromptText.exampleReasoning

    /// Prompt variant `variant` under `seed`: its UTF-8 length lies in `bytes` (when
    /// `bytes.lowerBound` is at least 6,000, the fixed opening's size is well below it).
    static func build(seed: UInt64, variant: Int, bytes: ClosedRange<Int>) -> String {
        var rng = SplitMix64(seed: seed, stream: 0xA11C_E000_0000_0000 &+ UInt64(variant))
        let lab = rng.pick(SystemPromptText.labs)
        let target = BoundedProse.target(in: bytes, required: 6_000, rng: &rng)

        var parts: [String] = SystemPromptText.preamble
        parts.append(contentsOf: SystemPromptText.trainingParagraphs.filter { _ in rng.chance(0.85) })
        var text = parts.joined(separator: "\n\n").replacingAll("{LAB}", with: lab)
        text += "\n\nHere are some examples of an AI reasoning in this style and then responding to a user."

        // Few-shot examples while they fit, leaving room for the guidance section.
        let guidanceHeader = "\n\n## General guidance\n\n"
        let room = target - guidanceHeader.utf8.count - 400
        var misses = 0
        while misses < 3 {
            let example = fewShotExample(&rng)
            if text.utf8.count + 2 + example.utf8.count <= room {
                text += "\n\n" + example
            } else {
                misses += 1
            }
        }
        text += guidanceHeader
        let guidance = BoundedProse.compose(
            target: target - text.utf8.count, signals: [], tail: nil,
            filler: { $0.pick(guidancePool) }, shortFiller: ReasoningSentences.shortFiller,
            rng: &rng)
        return text + guidance
    }

    /// One example exchange: user turn, two reasoning blocks (the second with a draft) and the
    /// output, in the `INPUT:`/`AI:` transcript style.
    static func fewShotExample(_ rng: inout SplitMix64) -> String {
        let request = rng.pick(SystemPromptText.exampleRequests)
        let answer = rng.pick(SystemPromptText.exampleAnswers)
        let tier = rng.chance(0.5) ? "true" : "false"
        var reasoning: [String] = []
        for _ in 0..<rng.int(in: 3...8) { reasoning.append(rng.pick(SystemPromptText.exampleReasoning)) }
        let check = rng.pick(SystemPromptText.exampleReasoning)
        return """
        ## Example

        USER: <INPUT>
        <is_free_tier_user>\(tier)</is_free_tier_user>

        <user_input>
        \(request)
        </user_input>
        </INPUT>

        AI: <SCRATCHPAD_REASONING>
        \(reasoning.joined(separator: " "))
        </SCRATCHPAD_REASONING>

        INPUT: <NEXT/>

        AI: <SCRATCHPAD_REASONING>
        <DRAFT_OUTPUT>
        \(answer)
        </DRAFT_OUTPUT>

        \(check)
        </SCRATCHPAD_REASONING>

        INPUT: <NEXT/>

        AI: <OUTPUT>
        \(answer)
        </OUTPUT>

        ## End of example
        """
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }
}
