import PatternScoring
import XCTest

/// A hand-made environment: match counts per string and the (a, b) pairs for which `a near b` holds.
private struct FakeEnvironment: ConditionEnvironment {
    var counts: [Int]
    var nearPairs: Set<[Int]> = []
    func matchCount(of string: Int) -> Int { counts[string] }
    func hasNearMatch(of a: Int, near b: Int) -> Bool { nearPairs.contains([a, b]) }
}

final class RuleConditionTests: XCTestCase {
    private let abc = ["a", "b", "c"]

    private func parse(_ text: String) throws -> ConditionExpression {
        try ConditionExpression.parse(text, names: abc)
    }

    private func syntaxError(_ text: String) -> ConditionSyntaxError? {
        do {
            _ = try ConditionExpression.parse(text, names: abc)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Parsing

    func testParsesEachAtom() throws {
        XCTAssertEqual(try parse("b"), .present(1))
        XCTAssertEqual(try parse("a near c"), .near(0, 2))
        XCTAssertEqual(try parse("any of them"), .quantified(.any, strings: [0, 1, 2]))
        XCTAssertEqual(try parse("all of them"), .quantified(.all, strings: [0, 1, 2]))
        XCTAssertEqual(try parse("2 of them"), .quantified(.atLeast(2), strings: [0, 1, 2]))
        XCTAssertEqual(try parse("any of (c, a)"), .quantified(.any, strings: [2, 0]))
        XCTAssertEqual(try parse("all of (a,b)"), .quantified(.all, strings: [0, 1]))
        XCTAssertEqual(try parse("1 of (b)"), .quantified(.atLeast(1), strings: [1]))
        XCTAssertEqual(try parse("#a >= 2"), .count(0, .greaterOrEqual, 2))
        XCTAssertEqual(try parse("#b>1"), .count(1, .greater, 1))
        XCTAssertEqual(try parse("#c <= 3"), .count(2, .lessOrEqual, 3))
        XCTAssertEqual(try parse("#a < 4"), .count(0, .less, 4))
        XCTAssertEqual(try parse("#a == 1"), .count(0, .equal, 1))
    }

    func testPrecedenceNotOverAndOverOr() throws {
        XCTAssertEqual(try parse("a or b and c"), .or([.present(0), .and([.present(1), .present(2)])]))
        XCTAssertEqual(try parse("not a and b"), .and([.not(.present(0)), .present(1)]))
        XCTAssertEqual(try parse("(a or b) and not not c"),
                       .and([.or([.present(0), .present(1)]), .not(.not(.present(2)))]))
        XCTAssertEqual(try parse("not a near b"), .not(.near(0, 1)))
        XCTAssertEqual(try parse("a and b and c"), .and([.present(0), .present(1), .present(2)]))
    }

    func testSyntaxErrorsNameTheProblemAndColumn() {
        XCTAssertEqual(syntaxError("a and"), ConditionSyntaxError(
            message: "expected a string name, `(`, `not`, `any`, `all`, a number or `#`, found the end of the condition", column: 6))
        XCTAssertEqual(syntaxError("a and d"), ConditionSyntaxError(
            message: "`d` is not a declared string (declared: a, b, c)", column: 7))
        XCTAssertEqual(syntaxError("#a = 2"), ConditionSyntaxError(message: "`=` is not an operator (use `==`)", column: 4))
        XCTAssertEqual(syntaxError("(a or b"), ConditionSyntaxError(message: "expected `)`, found the end of the condition", column: 8))
        XCTAssertEqual(syntaxError("4 of them"), ConditionSyntaxError(message: "`4 of …` can never hold: only 3 string(s) to count", column: 6))
        XCTAssertEqual(syntaxError("a b"), ConditionSyntaxError(
            message: "expected `and`, `or` or the end of the condition, found `b`", column: 3))
        XCTAssertEqual(syntaxError("any them"), ConditionSyntaxError(message: "expected `of` after `any`, found `them`", column: 5))
        XCTAssertEqual(syntaxError(""), ConditionSyntaxError(message: "empty condition (write e.g. `any of them`)", column: 1))
        XCTAssertEqual(syntaxError("a & b"), ConditionSyntaxError(message: "unexpected character `&`", column: 3))
        XCTAssertEqual(syntaxError("a near not"), ConditionSyntaxError(message: "expected a string name, found `not`", column: 8))
    }

    // MARK: Evaluation

    func testEvaluatesEachOperator() throws {
        let env = FakeEnvironment(counts: [2, 0, 1], nearPairs: [[0, 2]])
        let expectations: [(String, Bool)] = [
            ("a", true), ("b", false),
            ("a and c", true), ("a and b", false),
            ("b or c", true), ("b or not a", false),
            ("not b", true), ("not a", false),
            ("a near c", true), ("c near a", false),
            ("any of them", true), ("all of them", false), ("all of (a, c)", true),
            ("2 of them", true), ("3 of them", false), ("1 of (b)", false), ("any of (b)", false),
            ("#a >= 2", true), ("#a > 2", false), ("#a <= 2", true), ("#a < 2", false), ("#a == 2", true), ("#c == 2", false),
        ]
        for (text, expected) in expectations {
            XCTAssertEqual(try parse(text).evaluate(in: env), expected, text)
        }
    }

    func testEmptyEnvironmentHoldsOnlyForMatchFreeConditions() throws {
        let empty = EmptyConditionEnvironment()
        XCTAssertFalse(try parse("any of them").evaluate(in: empty))
        XCTAssertTrue(try parse("not a").evaluate(in: empty))
        XCTAssertTrue(try parse("#a < 1").evaluate(in: empty))
    }

    // MARK: Anchors

    func testAnchorSelection() throws {
        let env = FakeEnvironment(counts: [2, 0, 1], nearPairs: [[0, 2]])
        XCTAssertEqual(try parse("a near c").anchors(in: env), .nearMatches(of: 0, near: 2))
        XCTAssertEqual(try parse("c and a").anchors(in: env), .matches(of: 2))
        XCTAssertEqual(try parse("not b and a").anchors(in: env), .matches(of: 0))
        XCTAssertEqual(try parse("b or c").anchors(in: env), .matches(of: 2))
        XCTAssertEqual(try parse("(b and a) or c").anchors(in: env), .matches(of: 2))
        XCTAssertEqual(try parse("any of them").anchors(in: env), .matchesOfAny([0, 2]))
        XCTAssertEqual(try parse("#c == 1").anchors(in: env), .matches(of: 2))
        XCTAssertNil(try parse("not not a").anchors(in: env))
        XCTAssertNil(try parse("b").anchors(in: env))
    }

    func testReferencedStrings() throws {
        XCTAssertEqual(try parse("c near a or #b > 1").referencedStrings, [2, 0, 1])
        XCTAssertEqual(try parse("not c").referencedStrings, [2])
    }
}
