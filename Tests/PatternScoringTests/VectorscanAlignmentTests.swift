import CHyperscan
@testable import PatternScoring
import XCTest

/// Vectorscan's AVX-512 scan (Debian libvectorscan5 5.4.9) misses matches depending on where the text
/// lies in memory; afscan scans through `afs_hs_scan` (CHyperscan/shim.h), which takes the library's AVX2
/// scan on such CPUs. Rows must not depend on a buffer's address: every alignment finds every match.
final class VectorscanAlignmentTests: XCTestCase {
    /// 1,221 bytes of normalized text with two double-quoted phrases of ≥ 12 characters (at 148..<163
    /// and 850..<879). Through hs_scan on an AVX-512 CPU, 7 of the 64 alignments find only one of them.
    private var text: [UInt8] {
        let words = "the model said it would comply with the request because training would modify its values otherwise and so on"
            .split(separator: " ")
        func para(_ n: Int, _ k: Int) -> String { (0..<n).map { String(words[($0 * 7 + k) % words.count]) }.joined(separator: " ") }
        return Array((para(25, 1) + " \"playing along\" " + para(120, 2) + " \"a longer quoted phrase here\" " + para(60, 3)).utf8)
    }

    func testEveryAlignmentFindsBothQuotes() throws {
        let scanner = RuleScanner(try compileRules([makeRule("quote", [("a", .regex, "\"[^\"\\n]{12,400}\"")])]))
        let text = self.text
        XCTAssertEqual(text.count, 1221)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: text.count + 128, alignment: 64)
        defer { storage.deallocate() }
        var missed: [Int] = []
        for offset in 0..<64 {
            let base = (storage + offset).bindMemory(to: UInt8.self, capacity: text.count)
            base.update(from: text, count: text.count)
            let hits = [Int32(0)].withUnsafeBufferPointer { starts in
                scanner.scan(block: 0, kind: .scratchpad, text: UnsafeBufferPointer(start: base, count: text.count), sentenceStarts: starts)
            }
            if spans(hits).map({ [$0[1], $0[2]] }) != [[148, 163], [850, 879]] { missed.append(offset) }
        }
        XCTAssertEqual(missed, [], "alignments (mod 64) where a quote was missed; the AVX2 workaround is \(afs_hs_scan_uses_avx2_workaround() != 0 ? "on" : "off")")
    }

    /// Where afscan takes the AVX2 scan, its databases are compiled without the AVX-512 features (an AVX2
    /// scan of a database built for AVX-512 misses matches: the default rules' example for
    /// ctx.echo.values_goals_motivations), and the cache key names the platform.
    func testDatabasesTargetThePlatformTheScanRunsOn() {
        var platform = hs_platform_info_t()
        afs_hs_platform(&platform)
        let avx512 = UInt64(HS_CPU_FEATURES_AVX512) | UInt64(HS_CPU_FEATURES_AVX512VBMI)
        if afs_hs_scan_uses_avx2_workaround() != 0 {
            XCTAssertEqual(UInt64(platform.cpu_features) & avx512, 0)
        }
        XCTAssertEqual(DatabaseCache.platformKey, "platform \(platform.cpu_features) \(platform.tune)")
        XCTAssertNotEqual(DatabaseCache.key(expressions: ["a"], groups: ["g"], scanFlags: 1, somFlags: 2),
                          DatabaseCache.key(expressions: ["a"], groups: ["h"], scanFlags: 1, somFlags: 2))
    }
}
