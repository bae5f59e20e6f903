import PatternScoring

/// Stand-in for the real normalizer (Scratchpad module): lower-cases, and starts a sentence at 0 and
/// after every ". ".
func standInNormalize(_ text: String) -> (bytes: [UInt8], sentenceStarts: [Int32]) {
    let bytes = Array(text.lowercased().utf8)
    var starts: [Int32] = [0]
    var i = 0
    while i + 1 < bytes.count {
        if bytes[i] == UInt8(ascii: "."), bytes[i + 1] == UInt8(ascii: " ") { starts.append(Int32(i + 2)) }
        i += 1
    }
    return (bytes, starts)
}

/// A rule built in code (bypasses the loader's checks).
func makeRule(_ id: String, _ strings: [(String, NamedPattern.Kind, String)], condition: String = "any of them",
              scope: Rule.Scope = .reasoning) -> Rule {
    Rule(id: id, label: "test.label", weight: 0.5, scope: scope,
         strings: strings.map { NamedPattern(name: $0.0, kind: $0.1, pattern: $0.2) }, condition: condition,
         matchExamples: ["x"], noMatchExamples: ["y"])
}

func compileRules(_ rules: [Rule]) throws -> CompiledRules {
    try CompiledRules(RuleSet(name: "test", rules: rules, hash: "test"))
}

/// Scans `text` (through the stand-in normalizer) as one block of `kind`.
func scanText(_ scanner: RuleScanner, _ text: String, kind: BlockKind = .scratchpad) -> [RuleHit] {
    let n = standInNormalize(text)
    return scanner.scan(block: 0, kind: kind, text: n.bytes, sentenceStarts: n.sentenceStarts)
}

/// (rule, start, end, sentence) of each hit, for compact exact assertions.
func spans(_ hits: [RuleHit]) -> [[Int]] {
    hits.map { [$0.rule, $0.start, $0.end, $0.sentence] }
}
