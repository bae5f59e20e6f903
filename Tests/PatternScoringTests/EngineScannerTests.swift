import Dispatch
import PatternScoring
import Synchronization
import XCTest

final class EngineScannerTests: XCTestCase {
    // MARK: Spans

    func testLiteralSpansAreExactHalfOpenByteRanges() throws {
        let scanner = RuleScanner(try compileRules([makeRule("lit", [("a", .literal, "rlhf")])]))
        XCTAssertEqual(spans(scanText(scanner, "The RLHF and rlhf.")), [[0, 4, 8, 0], [0, 13, 17, 0]])
    }

    func testRegexSpansUseTheLeftmostStartAndTheSentenceOfTheLastByte() throws {
        let scanner = RuleScanner(try compileRules([makeRule("re", [("a", .regex, "avoid (being )?modified")])]))
        XCTAssertEqual(spans(scanText(scanner, "i avoid modified. we avoid being modified.")), [[0, 2, 16, 0], [0, 21, 41, 1]])
    }

    func testOverlappingEndsOfOneMatchMergeIntoTheLongestSpan() throws {
        // Vectorscan reports ends 28 and 41 (both starting at 3): one piece of evidence, 3..<41.
        let scanner = RuleScanner(try compileRules([makeRule("re", [("a", .regex, "avoid .*modified")])]))
        XCTAssertEqual(spans(scanText(scanner, "we avoid it. it was modified and modified.")), [[0, 3, 41, 1]])
        XCTAssertEqual(scanner.matchCount(rule: 0), 2)
        // A word-tail pattern spans the whole word, not its shortest prefix.
        let tail = RuleScanner(try compileRules([makeRule("tail", [("a", .regex, "modif\\w*")])]))
        XCTAssertEqual(spans(scanText(tail, "rlhf would modify me")), [[0, 11, 17, 0]])
    }

    func testAssertionsSeeTheirContextInTheStartWindow() throws {
        let scanner = RuleScanner(try compileRules([
            makeRule("word", [("a", .regex, "\\bcat\\b")]),
            makeRule("eol", [("a", .regex, "done$")]),
        ]))
        XCTAssertEqual(spans(scanText(scanner, "concat cat category cat.")), [[0, 7, 10, 0], [0, 20, 23, 0]])
        XCTAssertEqual(spans(scanText(scanner, "done and done")), [[1, 9, 13, 0]])
    }

    func testLiteralsAreEscapedAndMatchedAsBytes() throws {
        let scanner = RuleScanner(try compileRules([
            makeRule("dot", [("a", .literal, "a.b")]),
            makeRule("paren", [("a", .literal, "(x)")]),
            makeRule("utf8", [("a", .literal, "café")]),
        ]))
        XCTAssertEqual(spans(scanText(scanner, "axb a.b")), [[0, 4, 7, 0]])
        XCTAssertEqual(spans(scanText(scanner, "f(x) x")), [[1, 1, 4, 0]])
        XCTAssertEqual(spans(scanText(scanner, "le café.")), [[2, 3, 8, 0]])
    }

    func testAtMostThreeHitsPerRuleButCountsAreExact() throws {
        let scanner = RuleScanner(try compileRules([makeRule("lit", [("a", .literal, "rlhf")])]))
        XCTAssertEqual(RuleScanner.maxHitsPerRule, 3)
        XCTAssertEqual(spans(scanText(scanner, "rlhf rlhf rlhf rlhf rlhf")), [[0, 0, 4, 0], [0, 5, 9, 0], [0, 10, 14, 0]])
        XCTAssertEqual(scanner.matchCount(rule: 0), 5)
        XCTAssertEqual(scanner.matchCount(rule: 0, string: 0), 5)
    }

    func testCaselessMatchingWithoutNormalization() throws {
        let scanner = RuleScanner(try compileRules([
            makeRule("lower", [("a", .literal, "rlhf")]),
            makeRule("upper", [("a", .regex, "TRAIN(ING)?")]),
        ]))
        let hits = scanner.scan(block: 7, kind: .scratchpad, text: Array("THE RLHF training".utf8), sentenceStarts: [0])
        XCTAssertEqual(hits, [RuleHit(rule: 0, block: 7, start: 4, end: 8, sentence: 0),
                              RuleHit(rule: 1, block: 7, start: 9, end: 17, sentence: 0)])
    }

    func testEmptyBlockAndNoSentenceStarts() throws {
        let scanner = RuleScanner(try compileRules([makeRule("lit", [("a", .literal, "x")])]))
        XCTAssertEqual(scanner.scan(block: 0, kind: .scratchpad, text: [], sentenceStarts: []), [])
        XCTAssertEqual(spans(scanner.scan(block: 0, kind: .scratchpad, text: Array("a. x".utf8), sentenceStarts: [])), [[0, 3, 4, 0]])
    }

    // MARK: Scope

    func testScopeDecidesWhichBlocksARuleIsScannedIn() throws {
        let compiled = try compileRules([
            makeRule("reasoning", [("a", .literal, "x")], scope: .reasoning),
            makeRule("output", [("a", .literal, "x")], scope: .output),
            makeRule("draft", [("a", .literal, "x")], scope: .draft),
            makeRule("any", [("a", .literal, "x")], scope: .any),
        ])
        XCTAssertEqual(compiled.ruleIndices(admittedBy: .scratchpad), [0, 3])
        XCTAssertEqual(compiled.ruleIndices(admittedBy: .output), [1, 3])
        let scanner = RuleScanner(compiled)
        func rules(_ kind: BlockKind) -> [Int] { scanText(scanner, "x", kind: kind).map(\.rule) }
        XCTAssertEqual(rules(.scratchpad), [0, 3])
        XCTAssertEqual(rules(.reasoning), [0, 3])
        XCTAssertEqual(rules(.output), [1, 3])
        XCTAssertEqual(rules(.draft), [2, 3])
    }

    // MARK: Conditions over real matches

    func testNearWindowEdges() throws {
        let scanner = RuleScanner(try compileRules([makeRule("near", [("a", .literal, "bar"), ("b", .literal, "foo")], condition: "a near b")]))
        XCTAssertEqual(spans(scanText(scanner, "foo bar.")), [[0, 4, 7, 0]], "same sentence, b before a")
        XCTAssertEqual(spans(scanText(scanner, "bar foo.")), [[0, 0, 3, 0]], "same sentence, b after a")
        XCTAssertEqual(spans(scanText(scanner, "foo. one. bar.")), [[0, 10, 13, 2]], "b two sentences before")
        XCTAssertEqual(spans(scanText(scanner, "foo. one. two. bar.")), [], "b three sentences before")
        XCTAssertEqual(spans(scanText(scanner, "bar. foo.")), [], "b in the next sentence")
    }

    func testNearAnchorsAreOnlyTheQualifyingMatches() throws {
        let scanner = RuleScanner(try compileRules([makeRule("near", [("a", .literal, "bar"), ("b", .literal, "foo")], condition: "a near b")]))
        XCTAssertEqual(spans(scanText(scanner, "bar. foo. bar. bar. bar.")), [[0, 10, 13, 2], [0, 15, 18, 3]])
        XCTAssertEqual(scanner.matchCount(rule: 0, string: 0), 4)
        XCTAssertEqual(scanner.matchCount(rule: 0, string: 1), 1)
    }

    func testAnchorsFollowTheCondition() throws {
        let scanner = RuleScanner(try compileRules([
            makeRule("and", [("a", .literal, "foo"), ("b", .literal, "bar")], condition: "b and a"),
            makeRule("any", [("a", .literal, "foo"), ("b", .literal, "bar")]),
            makeRule("same.end", [("a", .literal, "bar"), ("b", .regex, "b.r")]),
            makeRule("count", [("a", .literal, "foo")], condition: "#a >= 2"),
            makeRule("not", [("a", .literal, "foo"), ("b", .literal, "zzz")], condition: "not b and a"),
        ]))
        XCTAssertEqual(spans(scanText(scanner, "bar foo bar foo bar")), [
            [0, 0, 3, 0], [0, 8, 11, 0], [0, 16, 19, 0],  // `b and a`: anchors are b's matches
            [1, 0, 3, 0], [1, 4, 7, 0], [1, 8, 11, 0],  // `any of them`: both strings, merged by end, capped
            [2, 0, 3, 0], [2, 8, 11, 0], [2, 16, 19, 0],  // two strings ending at the same offsets: one hit each
            [3, 4, 7, 0], [3, 12, 15, 0],  // `#a >= 2` holds with 2 matches
            [4, 4, 7, 0], [4, 12, 15, 0],  // nothing under `not` anchors
        ])
        XCTAssertEqual(spans(scanText(scanner, "foo")), [[1, 0, 3, 0], [4, 0, 3, 0]])
    }

    // MARK: Compilation

    func testVectorscanCompileErrorNamesRuleAndString() throws {
        let rules = [makeRule("good.rule", [("a", .literal, "x")]), makeRule("bad.rule", [("ok", .literal, "y"), ("x", .regex, "foo(")])]
        XCTAssertThrowsError(try compileRules(rules)) { error in
            let ruleError = error as? RuleError
            XCTAssertEqual(ruleError?.code, .pattern)
            XCTAssertEqual(ruleError?.ruleID, "bad.rule")
            XCTAssertEqual(ruleError?.message,
                           "rule `bad.rule`: `strings.x`: Vectorscan cannot compile regex 'foo(': Missing close parenthesis for group started at index 3. (Vectorscan takes PCRE syntax without back-references or look-around; simplify the pattern)")
        }
    }

    func testConditionErrorWhenCompilingARuleSetBuiltInCode() throws {
        XCTAssertThrowsError(try compileRules([makeRule("r", [("a", .literal, "x")], condition: "a or")])) { error in
            XCTAssertEqual((error as? RuleError)?.code, .condition)
            XCTAssertEqual((error as? RuleError)?.ruleID, "r")
        }
    }

    func testStringIdsAndWidths() throws {
        let compiled = try compileRules([
            makeRule("one", [("a", .literal, "abc"), ("b", .regex, "x+")]),
            makeRule("two", [("a", .regex, "ab?c")]),
        ])
        XCTAssertEqual(compiled.stringRanges, [0..<2, 2..<3])
        XCTAssertEqual(compiled.stringCount, 3)
        XCTAssertEqual(compiled.maxWidths, [3, nil, 3])
        XCTAssertEqual(compiled.minWidths, [3, 1, 2])
        // Only strings whose matches differ in length get a start-of-match database.
        XCTAssertEqual((0..<3).map(compiled.hasFixedWidth), [true, false, false])
        XCTAssertEqual(compiled.hash, "test")
    }

    func testStartOffsetsOfFixedAndVariableWidthStrings() throws {
        let compiled = try compileRules([
            makeRule("fixed", [("a", .regex, "\\bmodif(y|ied)\\b")]),         // 6 or 8 bytes: variable
            makeRule("lit", [("a", .literal, "rlhf")]),                        // fixed: end - 4
            makeRule("alt", [("a", .regex, "\\b(being|get) (changed|modified)")]),
        ])
        XCTAssertEqual((0..<3).map(compiled.hasFixedWidth), [false, true, false])
        let text = Array("rlhf will modify me. i will get modified by rlhf; being changed.".utf8)
        let hits = RuleScanner(compiled).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: [0, 21])
        let spans = hits.map { "\($0.rule):" + String(decoding: text[$0.start..<$0.end], as: UTF8.self) }
        XCTAssertEqual(spans, ["0:modify", "0:modified", "1:rlhf", "1:rlhf", "2:get modified", "2:being changed"])
    }

    /// Each group of block kinds has its own first-pass database holding only the rules it admits; the
    /// pattern ids stay the global string ids, so hits name the right rule whatever the rule order.
    func testEachBlockKindScansOnlyTheRulesItAdmitsAndHitsNameTheRightRule() throws {
        let compiled = try compileRules([
            makeRule("out", [("a", .literal, "sorry")], scope: .output),
            makeRule("any", [("a", .literal, "plan")], scope: .any),
            makeRule("reason", [("a", .literal, "rlhf"), ("b", .literal, "sorry")]),
        ])
        let scanner = RuleScanner(compiled)
        let text = "sorry, the rlhf plan."
        XCTAssertEqual(scanText(scanner, text, kind: .scratchpad).map(\.rule), [1, 2, 2])
        XCTAssertEqual([0, 1, 2].map { scanner.matchCount(rule: $0) }, [0, 1, 2])
        XCTAssertEqual(scanText(scanner, text, kind: .output).map(\.rule), [0, 1])
        XCTAssertEqual([0, 1, 2].map { scanner.matchCount(rule: $0) }, [1, 1, 0])
        XCTAssertEqual(scanText(scanner, text, kind: .draft).map(\.rule), [1])

        // No rule for drafts or outputs at all: those blocks scan nothing and yield no hits.
        let reasoningOnly = RuleScanner(try compileRules([makeRule("reason", [("a", .literal, "rlhf")])]))
        XCTAssertEqual(scanText(reasoningOnly, text, kind: .output), [])
        XCTAssertEqual(reasoningOnly.matchCount(rule: 0), 0)
        XCTAssertEqual(scanText(reasoningOnly, text, kind: .reasoning).map(\.rule), [0])
    }

    /// An unbounded pattern's start is searched at most `unboundedStartWindow` bytes back, with one more
    /// byte of left context: a word that merely ends the window edge ("afoo", 4096 bytes back) must not
    /// look like a `\bfoo` start (it once gave a start where the pattern cannot match).
    func testUnboundedPatternStartHasLeftContextAtTheWindowEdge() throws {
        let compiled = try compileRules([makeRule("u", [("a", .regex, "\\bfoo[a-z ]*")])])
        XCTAssertNil(compiled.maxWidths[0])
        // 12 dots, "afoo", then only letters and spaces to the end, so that the "f" of "afoo" sits exactly
        // `unboundedStartWindow` bytes before the first real match end (after " foo") and `[a-z ]*` could
        // run from it.
        var text = Array(repeating: UInt8(ascii: "."), count: 12) + Array("afoo".utf8)
        text += Array(repeating: UInt8(ascii: "z"), count: 4089) + Array(" foo end".utf8)
        let end = text.count
        XCTAssertEqual(end - 4 - CompiledRules.unboundedStartWindow, 13)
        let hits = RuleScanner(compiled).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: [0])
        XCTAssertEqual(hits.map(\.end), [end])
        XCTAssertEqual(hits.map(\.start), [end - 7])   // "foo end"
    }

    // MARK: Threads

    func testScannersOnTwoThreadsShareOneDatabase() throws {
        let compiled = try compileRules([
            makeRule("near", [("a", .literal, "bar"), ("b", .literal, "foo")], condition: "a near b"),
            makeRule("re", [("a", .regex, "avoid (being )?modified")]),
        ])
        let texts = (0..<50).map { i in
            standInNormalize(String(repeating: "foo. x. ", count: i % 4) + "bar avoid being modified. " + String(repeating: "bar. ", count: i % 5))
        }
        let results = Mutex<[Int: [[RuleHit]]]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            let scanner = RuleScanner(compiled)
            var mine: [[RuleHit]] = []
            for (i, t) in texts.enumerated() {
                mine.append(scanner.scan(block: i, kind: .scratchpad, text: t.bytes, sentenceStarts: t.sentenceStarts))
            }
            results.withLock { $0[worker] = mine }
        }
        let byWorker = results.withLock { $0 }
        XCTAssertEqual(compiled.scratchesCloned, 2)
        XCTAssertEqual(byWorker[0]?.count, 50)
        XCTAssertEqual(byWorker[0], byWorker[1])
        // Text 5 is "foo. x. bar avoid being modified. bar. ": bar at 8 near foo (2 sentences back).
        XCTAssertEqual(byWorker[0]?[5], [RuleHit(rule: 0, block: 5, start: 8, end: 11, sentence: 2),
                                         RuleHit(rule: 1, block: 5, start: 12, end: 32, sentence: 2)])
    }
}
