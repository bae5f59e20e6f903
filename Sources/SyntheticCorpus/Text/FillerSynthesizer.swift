import AfscanCore

/// Word-level filler sentences from templates and word classes, so that reasoning blocks have
/// the variety of real text (zstd ratio close to real scratchpads, about 4–6× at level 3, rather
/// than the 20×+ of a sentence bank) without any copied text. Sentences are at most ~220 bytes.
enum FillerSynthesizer {
    static let verbs = [
        "consider", "weigh", "check", "explain", "describe", "compare", "review", "examine", "outline",
        "clarify", "summarize", "question", "revisit", "test", "estimate", "evaluate", "reconsider",
        "frame", "address", "mention", "prioritize", "simplify", "organize", "justify", "verify",
        "unpack", "illustrate", "anticipate", "rephrase", "quantify", "separate", "connect",
    ]
    static let adjectives = [
        "main", "practical", "obvious", "subtle", "likely", "relevant", "important", "specific",
        "broader", "technical", "ethical", "short-term", "long-term", "concrete", "general", "minor",
        "central", "hidden", "immediate", "underlying", "plausible", "simple", "detailed", "awkward",
        "unusual", "familiar", "implicit", "explicit", "narrow", "reasonable", "risky", "harmless",
    ]
    static let nouns = [
        "question", "request", "answer", "risk", "detail", "point", "assumption", "context", "goal",
        "example", "tradeoff", "consequence", "constraint", "outcome", "explanation", "instruction",
        "structure", "audience", "premise", "claim", "priority", "option", "step", "argument",
        "concern", "situation", "approach", "caveat", "definition", "requirement", "estimate",
        "paragraph", "summary", "detail", "expectation", "preference", "deadline", "limitation",
    ]
    static let topics = [
        "budget", "recipe", "network", "letter", "schedule", "essay", "poem", "function", "itinerary",
        "contract", "spreadsheet", "garden", "interview", "lecture", "invoice", "database", "workout",
        "novel", "chart", "commute", "café menu", "résumé", "jalapeño salsa", "piñata", "façade",
        "naïve estimate", "Zürich trip", "crème brûlée", "São Paulo office", "Ångström units",
    ]
    static let adverbs = [
        "carefully", "briefly", "directly", "honestly", "clearly", "quickly", "gently", "explicitly",
        "concretely", "thoroughly", "plainly", "cautiously", "precisely", "calmly",
    ]
    static let connectors = [
        "", "", "", "First, ", "Next, ", "Also, ", "On the other hand, ", "That said, ", "In any case, ",
        "Still, ", "At the same time, ", "Overall, ", "Then again, ", "Actually, ", "Honestly, ",
    ]
    static let numbers = ["two", "three", "four", "a few", "several", "2", "3", "5"]
    static let asides = [
        "", "", "", "", "", "", " — at least as far as I can tell", " — which matters", " (roughly)", " 🙂",
        " (我觉得是这样)", " (つまり)", " — “in principle”", " (see above)",
    ]

    /// Templates: `{V}` verb, `{A}` adjective, `{N}` noun, `{T}` topic, `{D}` adverb, `{C}`
    /// connector, `{K}` number, `{X}` aside. Each slot draws a fresh word.
    static let templates: [String] = [
        "{C}I should {V} the {A} {N} before I {V} anything else{X}.",
        "{C}The {N} here is {A}, so I'll {V} it {D}{X}.",
        "It might help to {V} how the {T} relates to the {A} {N}{X}.",
        "{C}The user probably cares more about the {A} {N} than about the {N}{X}.",
        "If I {V} the {N} {D}, the {T} part becomes {A}{X}.",
        "There are {K} {A} {N}s to keep in mind: the {N}, the {N} and the {T}{X}.",
        "{C}I don't want to {V} the {N} too {D}; the {A} answer is better here{X}.",
        "{C}Let me {V} whether the {A} {N} changes anything about the {T}{X}.",
        "My {A} {N} is to {V} the {T} and then {V} the {N}{X}.",
        "{C}One {A} {N} would be to {V} the {T} {D}.",
        "The {T} comes with one {A} {N} that I should {V} before answering{X}.",
        "{C}I'm not sure the {N} is {A}; I'll {V} it to be safe{X}.",
        "{C}What would a careful person say about the {T}? Probably that the {N} is {A}{X}.",
        "Re-reading the {N}, the {A} part is about the {T}, not the {N}{X}.",
        "{C}I could {V} the {N}, but that would make the {T} less {A}{X}.",
        "{C}The \"{A} {N}\" is what the user means, I think, so I'll {V} that {D}{X}.",
        "{C}This is similar to other {T} questions: {V} the {N}, {V} the {N}, then {V} the {A} {N}{X}.",
    ]

    /// One filler sentence.
    static func sentence(_ rng: inout SplitMix64) -> String {
        let template = rng.pick(templates)
        guard template.hasPrefix("{C}") else { return capitalised(expand(Substring(template), &rng)) }
        let connector = rng.pick(connectors)
        var body = expand(template.dropFirst(3), &rng)
        // "Also, the step …" but "Also, I should …".
        if !connector.isEmpty, body.count > 1, body.first!.isUppercase, body.dropFirst().first!.isLowercase {
            body = body.first!.lowercased() + body.dropFirst()
        }
        return capitalised(connector + body)
    }

    private static func expand(_ template: Substring, _ rng: inout SplitMix64) -> String {
        var out = ""
        out.reserveCapacity(template.utf8.count + 80)
        var slot = false
        for ch in template {
            if slot {
                switch ch {
                case "V": out += rng.pick(verbs)
                case "A": out += rng.pick(adjectives)
                case "N": out += rng.pick(nouns)
                case "T": out += rng.pick(topics)
                case "D": out += rng.pick(adverbs)
                case "K": out += rng.pick(numbers)
                case "X": out += rng.pick(asides)
                case "C": out += rng.pick(connectors)
                case "}": slot = false
                default: out.append(ch)
                }
            } else if ch == "{" {
                slot = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// Upper-cases a sentence whose first slot drew a lower-case word.
    private static func capitalised(_ s: String) -> String {
        guard let first = s.first, first.isLowercase else { return s }
        return first.uppercased() + s.dropFirst()
    }
}
