@testable import LabelPipeline
import XCTest

/// `PromptEchoCache`: least recently used first out, bounded in count and in bytes, and a prompt over
/// the byte budget is never kept (an adversarial run with 100 distinct 5 MB system prompts grew a worker
/// to ~1 GB before the budget existed).
final class PromptEchoCacheTests: XCTestCase {
    /// A prompt of `words` distinct tokens tagged `tag` (so prompts differ throughout).
    func prompt(_ tag: Int, words: Int) -> [UInt8] {
        Array((0..<words).map { "w\(tag)x\($0)" }.joined(separator: " ").utf8)
    }

    func testLeastRecentlyUsedPromptLeavesFirstWhenFull() {
        var cache = PromptEchoCache(capacity: 3, byteBudget: 1 << 20)
        let p = (0..<4).map { prompt($0, words: 20) }
        for i in 0..<3 { XCTAssertNotNil(cache.echo(for: p[i])) }
        _ = cache.echo(for: p[0])           // p0 becomes the most recent; p1 is now the oldest
        _ = cache.echo(for: p[3])           // evicts p1
        XCTAssertEqual(cache.count, 3)
        XCTAssertEqual((0..<4).map { cache.contains(p[$0]) }, [true, false, true, true])
    }

    func testBytesStayWithinTheBudgetAndAnOversizePromptIsNeverKept() {
        let small = prompt(1, words: 50)
        var probe = PromptEchoCache()
        _ = probe.echo(for: small)
        let oneEntry = probe.bytes
        XCTAssertGreaterThan(oneEntry, small.count)   // the prompt plus its shingle table

        var cache = PromptEchoCache(capacity: 100, byteBudget: 3 * oneEntry + oneEntry / 2)
        for i in 0..<10 { _ = cache.echo(for: prompt(100 + i, words: 50)) }
        XCTAssertEqual(cache.count, 3)
        XCTAssertLessThanOrEqual(cache.bytes, cache.byteBudget)

        let huge = prompt(7, words: 2_000)
        let echo = cache.echo(for: huge)
        XCTAssertNotNil(echo)                          // still computed and returned …
        XCTAssertFalse(cache.contains(huge))           // … but not kept
        XCTAssertEqual(cache.count, 3)
        // The returned shingles are the same as a fresh computation's.
        var fresh = PromptEchoCache()
        let inText = Array("w7x10 w7x11 w7x12 w7x13 w7x14 w7x15 w7x16 w7x17".utf8)
        XCTAssertEqual(echo?.echoRanges(in: inText), fresh.echo(for: huge)?.echoRanges(in: inText))
        XCTAssertEqual(echo?.echoRanges(in: inText), [0..<inText.count])
    }

    func testShortPromptHasNoShingles() {
        var cache = PromptEchoCache()
        XCTAssertNil(cache.echo(for: Array("too few tokens here".utf8)))
        XCTAssertNil(cache.echo(for: []))
    }
}
