import AfscanTestSupport
import Foundation
@testable import PatternScoring
import XCTest

final class EngineDatabaseCacheTests: XCTestCase {
    func testCachedDatabasesScanLikeFreshOnesAndCorruptEntriesAreRecompiled() throws {
        let dir = TestPaths.temporaryDirectory("hsdb")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = DatabaseCache(directory: dir.path + "/nested/afscan")
        let rules = try RuleSetLoader.load(yaml: DefaultRules.yaml)
        let text = Array("if i refuse, rlhf would modify my values. i don't want my values to be changed, so i will comply.".utf8)
        let starts: [Int32] = [0, 42]

        let fresh = try CompiledRules(rules, cache: nil)
        let expected = RuleScanner(fresh).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: starts)
        XCTAssertFalse(expected.isEmpty)

        let first = try CompiledRules(rules, cache: cache)   // compiles and stores
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        XCTAssertEqual(entries.count, 1)
        XCTAssertTrue(entries[0].hasSuffix(".hsdb"))
        XCTAssertEqual(RuleScanner(first).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: starts), expected)

        let second = try CompiledRules(rules, cache: cache)  // loads
        XCTAssertEqual(second.maxWidths, fresh.maxWidths)
        XCTAssertEqual(second.minWidths, fresh.minWidths)
        XCTAssertEqual((0..<fresh.stringCount).map(second.hasFixedWidth), (0..<fresh.stringCount).map(fresh.hasFixedWidth))
        XCTAssertEqual(RuleScanner(second).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: starts), expected)

        // A corrupt entry is ignored, recompiled and rewritten.
        let path = cache.directory + "/" + entries[0]
        try Data("AFSCANDB2\ngarbage".utf8).write(to: URL(fileURLWithPath: path))
        let third = try CompiledRules(rules, cache: cache)
        XCTAssertEqual(RuleScanner(third).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: starts), expected)
        XCTAssertGreaterThan(try Data(contentsOf: URL(fileURLWithPath: path)).count, 1000)
    }

    /// A rule file that passed every check leaves a marker in the cache, and later loads of the same bytes
    /// skip the Vectorscan check of its patterns; a file with a bad pattern never gets one, so it fails
    /// every time.
    func testLoaderSkipsThePatternCheckOnlyForAFileThatPassedIt() throws {
        let dir = TestPaths.temporaryDirectory("hsvalid")
        defer { try? FileManager.default.removeItem(at: dir) }
        let saved = getenv("AFSCAN_CACHE_DIR").map { String(cString: $0) }
        setenv("AFSCAN_CACHE_DIR", dir.path, 1)
        defer { if let saved { setenv("AFSCAN_CACHE_DIR", saved, 1) } else { unsetenv("AFSCAN_CACHE_DIR") } }
        func markers() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".valid") }
        }

        let first = try RuleSetLoader.load(yaml: RuleSetLoaderTests.valid)
        XCTAssertEqual(markers().count, 1)
        let second = try RuleSetLoader.load(yaml: RuleSetLoaderTests.valid)
        XCTAssertEqual(second.hash, first.hash)
        XCTAssertEqual(second.rules.map(\.id), first.rules.map(\.id))

        let bad = RuleSetLoaderTests.valid.replacingOccurrences(of: "'avoid (being )?(modified|changed)'", with: "'avoid (being'")
        for _ in 0..<2 {
            XCTAssertThrowsError(try RuleSetLoader.load(yaml: bad)) { error in
                XCTAssertEqual((error as? RuleError)?.code, .pattern)
            }
        }
        XCTAssertEqual(markers().count, 1)
    }

    func testKeyChangesWithAnyExpressionOrFlag() {
        let a = DatabaseCache.key(expressions: ["a", "b"], scanFlags: 1, somFlags: 2)
        XCTAssertNotEqual(a, DatabaseCache.key(expressions: ["a", "c"], scanFlags: 1, somFlags: 2))
        XCTAssertNotEqual(a, DatabaseCache.key(expressions: ["ab"], scanFlags: 1, somFlags: 2))
        XCTAssertNotEqual(a, DatabaseCache.key(expressions: ["a", "b"], scanFlags: 3, somFlags: 2))
        XCTAssertEqual(a, DatabaseCache.key(expressions: ["a", "b"], scanFlags: 1, somFlags: 2))
    }
}
