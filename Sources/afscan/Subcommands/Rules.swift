import ArgumentParser
import Foundation
import PatternScoring
import Scratchpad

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check, test and print rule files.",
        subcommands: [Test.self, Dump.self]
    )

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every rule's built-in match/no_match examples; exit 1 on any miss.")

        @Option(help: ArgumentHelp("A YAML rule file (default: the built-in rules).", valueName: "file"))
        var rules: String?

        func run() throws {
            let ruleSet = try loadRules(rules)
            let compiled = compileRules(ruleSet, from: rules)
            let failures = RuleExamples.run(compiled, normalize: { text in
                let bytes = Array(text.utf8)
                let n = bytes.withUnsafeBufferPointer { Normalizer.normalize($0, ranges: [0..<bytes.count]) }
                return (n.bytes, n.sentenceStarts)
            })
            let examples = ruleSet.rules.reduce(0) { $0 + $1.matchExamples.count + $1.noMatchExamples.count }
            for f in failures { print("FAIL \(f)") }
            print("\(ruleSet.name) (\(ruleSet.hash.prefix(12))): \(ruleSet.rules.count) rules, \(examples) examples, \(failures.count) failed")
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the built-in rule file (YAML), to copy and edit.",
            discussion: "The bytes are exactly the built-in file's, so `afscan rules dump > my.yaml; afscan label --rules my.yaml` stamps the same rules_hash.")
        func run() throws {
            writeToStandardOutput(Data(DefaultRules.yaml.utf8))
        }
    }
}
