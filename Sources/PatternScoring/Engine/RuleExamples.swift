/// Runs every rule's built-in examples — what `afscan rules test` does.
///
/// Each example is normalized with the injected `normalize` (the real one is `Scratchpad`'s
/// normalizer; tests pass a stand-in) and scanned as one block of the kind the rule's scope admits:
/// `.scratchpad` for `reasoning` and `any`, `.output` for `output`, `.draft` for `draft`. A `match`
/// example must make the rule hit; a `no_match` example must not.
public enum RuleExamples {
    /// The block kind an example of a rule with `scope` is scanned as.
    public static func blockKind(for scope: Rule.Scope) -> BlockKind {
        switch scope {
        case .reasoning, .any: return .scratchpad
        case .output: return .output
        case .draft: return .draft
        }
    }

    /// Runs all examples of all rules in `compiled`, in rule order then example order.
    /// - Returns: the examples that failed (empty when every example behaves).
    public static func run(_ compiled: CompiledRules,
                           normalize: (String) -> (bytes: [UInt8], sentenceStarts: [Int32])) -> [ExampleFailure] {
        let scanner = RuleScanner(compiled)
        var failures: [ExampleFailure] = []
        for (r, rule) in compiled.ruleSet.rules.enumerated() {
            let kind = blockKind(for: rule.scope)
            for (expectMatch, examples) in [(true, rule.matchExamples), (false, rule.noMatchExamples)] {
                for (i, example) in examples.enumerated() {
                    let normalized = normalize(example)
                    let hits = scanner.scan(block: 0, kind: kind, text: normalized.bytes, sentenceStarts: normalized.sentenceStarts)
                    let matched = hits.contains { $0.rule == r }
                    if matched != expectMatch {
                        failures.append(ExampleFailure(ruleID: rule.id, expectedMatch: expectMatch, index: i, example: example))
                    }
                }
            }
        }
        return failures
    }
}

/// One rule example that did not behave.
public struct ExampleFailure: Sendable, Hashable, CustomStringConvertible {
    public var ruleID: String
    /// True for a `match` example that did not match; false for a `no_match` example that matched.
    public var expectedMatch: Bool
    /// 0-based index within the rule's `match` or `no_match` list.
    public var index: Int
    public var example: String

    public init(ruleID: String, expectedMatch: Bool, index: Int, example: String) {
        self.ruleID = ruleID
        self.expectedMatch = expectedMatch
        self.index = index
        self.example = example
    }

    public var description: String {
        let list = expectedMatch ? "match" : "no_match"
        let verb = expectedMatch ? "did not match" : "matched"
        return "rule `\(ruleID)`: examples.\(list)[\(index)] \(verb): \"\(example)\""
    }
}
