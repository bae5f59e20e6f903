import AfscanCore
import AfscanTestSupport
import CZstd
import Foundation
import XCTest
@testable import SyntheticCorpus

/// The corpus resembles real archives where it matters for benchmarks: field layout, and how
/// well the reasoning text compresses.
final class RealismTests: XCTestCase {
    private func generated(_ layout: CorpusLayout, records: Int) throws -> [[String: Any]] {
        var o = CorpusOptions()
        o.layout = layout
        o.maxRecords = records
        o.targetBytes = Int64.max
        var rows: [[String: Any]] = []
        _ = try CorpusGenerator(options: o).write { line in
            rows.append(try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any])
        }
        return rows
    }

    /// zstd level-3 compressed size of `data`, in bytes.
    private func compressedSize(_ data: [UInt8]) -> Int {
        var dst = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let n = dst.withUnsafeMutableBytes { d in
            data.withUnsafeBytes { s in ZSTD_compress(d.baseAddress, d.count, s.baseAddress, s.count, 3) }
        }
        XCTAssertEqual(ZSTD_isError(n), 0)
        return n
    }

    /// Real scratchpads compress about 5× at level 3; a sentence bank alone would give 20×+.
    func testReasoningCompressesLikeRealText() throws {
        let outputs = try generated(.results, records: 100).map { $0["output"] as! String }.joined()
        let bytes = Array(outputs.utf8)
        let ratio = Double(bytes.count) / Double(compressedSize(bytes))
        XCTAssertGreaterThan(ratio, 3.0)
        XCTAssertLessThan(ratio, 10.0)
    }

    func testFillerSentencesHaveNoLeftoverSlotsAndStartCapitalised() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<500 {
            let s = FillerSynthesizer.sentence(&rng)
            XCTAssertFalse(s.contains("{") || s.contains("}"), s)
            XCTAssertTrue(s.first!.isUppercase, s)
            XCTAssertLessThanOrEqual(s.utf8.count, 220, s)
            XCTAssertFalse(s.contains(", The ") || s.contains(", Let ") || s.contains(", What "), s)
        }
    }

    /// Every top-level field and message role the generator writes also appears, with the same
    /// JSON type, in the real results layout (`../shared/data/layout/results_layout.jsonl.zst`).
    func testResultsFieldsMatchTheRealLayout() throws {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        let r = try runProcess("zstd", ["-q", "-d", "-c", data.appendingPathComponent("layout/results_layout.jsonl.zst").path])
        XCTAssertEqual(r.status, 0)
        let firstLine = try XCTUnwrap(r.stdout.split(separator: UInt8(ascii: "\n")).first)
        let real = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(firstLine)) as? [String: Any])
        let ours = try XCTUnwrap(try generated(.results, records: 1).first)
        for (key, value) in ours {
            let realValue = try XCTUnwrap(real[key], "field \(key) is not in the real layout")
            XCTAssertEqual(String(describing: type(of: value)), String(describing: type(of: realValue)), key)
        }
        func roles(_ row: [String: Any]) -> [String]? {
            ((row["prompt"] as? [String: Any])?["messages"] as? [[String: Any]])?.compactMap { $0["role"] as? String }
        }
        XCTAssertEqual(roles(ours), roles(real))
        XCTAssertEqual(roles(ours), ["system", "user"])
    }
}
