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

        // A load marks the entry as recently used (pruning drops the least recently used first).
        let entryPath = cache.directory + "/" + entries[0]
        let old = Date(timeIntervalSince1970: 1_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: entryPath)
        let second = try CompiledRules(rules, cache: cache)  // loads
        let touched = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: entryPath)[.modificationDate] as? Date)
        XCTAssertGreaterThan(touched, old)
        XCTAssertEqual(second.maxWidths, fresh.maxWidths)
        XCTAssertEqual(second.minWidths, fresh.minWidths)
        XCTAssertEqual((0..<fresh.stringCount).map(second.hasFixedWidth), (0..<fresh.stringCount).map(fresh.hasFixedWidth))
        XCTAssertEqual(RuleScanner(second).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: starts), expected)

        // A damaged entry is ignored, recompiled and rewritten: garbage, a flipped byte in a database
        // blob (Vectorscan would refuse it; that once read as "no rules for this block kind"), in the
        // widths (caught by the checksum), a truncation, and another rule set's entry under this key.
        let path = cache.directory + "/" + entries[0]
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        func damaged(_ edit: (inout Data) -> Void) -> Data { var d = good; edit(&d); return d }
        let variants: [(String, Data)] = [
            ("garbage", Data("AFSCANDB4\ngarbage".utf8)),
            ("blob byte", damaged { $0[$0.count / 2] ^= 0x10 }),
            ("width byte", damaged { $0[10 + 64 + 8 + 3] ^= 0x01 }),
            ("truncated", good.prefix(good.count - 100)),
            ("empty", Data()),
        ]
        for (name, bytes) in variants {
            try bytes.write(to: URL(fileURLWithPath: path))
            let again = try CompiledRules(rules, cache: cache)
            XCTAssertEqual(RuleScanner(again).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: starts), expected, name)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), good, "\(name): the entry is rewritten")
        }
        // Another rule set's entry (same string count) copied under this key: its key does not match.
        let other = try RuleSetLoader.load(yaml: DefaultRules.yaml.replacingOccurrences(of: "rlhf", with: "rlhx"))
        _ = try CompiledRules(other, cache: cache)
        let otherEntry = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: cache.directory).first { $0 != entries[0] && $0.hasSuffix(".hsdb") })
        try Data(contentsOf: URL(fileURLWithPath: cache.directory + "/" + otherEntry)).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(RuleScanner(try CompiledRules(rules, cache: cache)).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: starts), expected)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), good)
    }

    /// The cache stays under its byte limit: the least recently modified entries go first, never the one
    /// just written, and files that are not entries are left alone.
    func testPruneDropsTheLeastRecentlyUsedEntriesFirst() throws {
        let dir = TestPaths.temporaryDirectory("hsprune")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        for (i, name) in ["a.hsdb", "b.hsdb", "c.hsdb", "d.hsdb", "m.valid"].enumerated() {
            let path = dir.path + "/" + name
            try Data(repeating: 1, count: 100).write(to: URL(fileURLWithPath: path))
            // a oldest … d newest
            try fm.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(1_000_000 + i * 100))], ofItemAtPath: path)
        }
        // Keeping "a" (just written) and 250 bytes: b and c go (oldest others first), a and d stay.
        DatabaseCache(directory: dir.path).prune(keeping: "a.hsdb", limit: 250)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: dir.path).sorted(), ["a.hsdb", "d.hsdb", "m.valid"])
        DatabaseCache(directory: dir.path).prune(keeping: "a.hsdb", limit: 1000)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: dir.path).sorted(), ["a.hsdb", "d.hsdb", "m.valid"])
    }

    /// A FIFO (or any non-regular file) where an entry should be is skipped at once, never read.
    func testAFifoInPlaceOfAnEntryDoesNotBlock() throws {
        let dir = TestPaths.temporaryDirectory("hsfifo")
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(mkfifo(dir.path + "/x.hsdb", 0o644), 0)
        XCTAssertNil(DatabaseCache.readRegularFile(dir.path + "/x.hsdb", limit: 1 << 20))
        XCTAssertNil(DatabaseCache(directory: dir.path).load(key: "x", count: 1, groups: 3))
    }

    /// The scan groups a string is compiled into are part of the key: changing only a rule's scope must
    /// not reuse the databases built for the old scope.
    func testChangingOnlyAScopeCompilesNewDatabases() throws {
        let dir = TestPaths.temporaryDirectory("hsscope")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = DatabaseCache(directory: dir.path)
        func compiled(_ scope: Rule.Scope) throws -> CompiledRules {
            try CompiledRules(RuleSet(name: "s", rules: [makeRule("t", [("a", .literal, "comply")], scope: scope)], hash: "s"), cache: cache)
        }
        let text = Array("i will comply.".utf8)
        XCTAssertEqual(RuleScanner(try compiled(.reasoning)).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: [0]).count, 1)
        let output = try compiled(.output)
        XCTAssertEqual(RuleScanner(output).scan(block: 0, kind: .scratchpad, text: text, sentenceStarts: [0]).count, 0)
        XCTAssertEqual(RuleScanner(output).scan(block: 0, kind: .output, text: text, sentenceStarts: [0]).count, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".hsdb") }.count, 2)
        XCTAssertNotEqual(DatabaseCache.key(expressions: ["a"], groups: ["0"], scanFlags: 1, somFlags: 2),
                          DatabaseCache.key(expressions: ["a"], groups: ["2"], scanFlags: 1, somFlags: 2))
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
        let g = ["0", "0"]
        let a = DatabaseCache.key(expressions: ["a", "b"], groups: g, scanFlags: 1, somFlags: 2)
        XCTAssertNotEqual(a, DatabaseCache.key(expressions: ["a", "c"], groups: g, scanFlags: 1, somFlags: 2))
        XCTAssertNotEqual(a, DatabaseCache.key(expressions: ["ab"], groups: ["0"], scanFlags: 1, somFlags: 2))
        XCTAssertNotEqual(a, DatabaseCache.key(expressions: ["a", "b"], groups: g, scanFlags: 3, somFlags: 2))
        XCTAssertNotEqual(a, DatabaseCache.key(expressions: ["a", "b"], groups: ["0", "0,2"], scanFlags: 1, somFlags: 2))
        XCTAssertEqual(a, DatabaseCache.key(expressions: ["a", "b"], groups: g, scanFlags: 1, somFlags: 2))
    }
}
