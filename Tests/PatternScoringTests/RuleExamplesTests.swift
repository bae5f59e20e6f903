import PatternScoring
import XCTest

final class RuleExamplesTests: XCTestCase {
    static let yaml = """
        version: 1
        name: examples
        rules:
          - id: r.ok
            label: l
            weight: 0.5
            scope: output
            strings: {a: {literal: "i can't help"}}
            examples:
              match: ["Sorry, I CAN'T HELP with that."]
              no_match: ["I can help."]
          - id: r.bad
            label: l
            weight: 0.5
            strings: {a: {literal: 'foo'}, b: {literal: 'bar'}}
            condition: a near b
            examples:
              match: ["nothing here", "bar. foo."]
              no_match: ["bar. x. foo.", "Foo. one. two. bar."]
        """

    func testReportsEachMisbehavingExample() throws {
        let compiled = try CompiledRules(try RuleSetLoader.load(yaml: Self.yaml))
        let failures = RuleExamples.run(compiled, normalize: standInNormalize)
        XCTAssertEqual(failures, [
            ExampleFailure(ruleID: "r.bad", expectedMatch: true, index: 0, example: "nothing here"),
            ExampleFailure(ruleID: "r.bad", expectedMatch: false, index: 0, example: "bar. x. foo."),
        ])
        XCTAssertEqual(failures.map(\.description), [
            "rule `r.bad`: examples.match[0] did not match: \"nothing here\"",
            "rule `r.bad`: examples.no_match[0] matched: \"bar. x. foo.\"",
        ])
    }

    func testBlockKindPerScope() {
        XCTAssertEqual(RuleExamples.blockKind(for: .reasoning), .scratchpad)
        XCTAssertEqual(RuleExamples.blockKind(for: .any), .scratchpad)
        XCTAssertEqual(RuleExamples.blockKind(for: .output), .output)
        XCTAssertEqual(RuleExamples.blockKind(for: .draft), .draft)
    }
}
