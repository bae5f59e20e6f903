import AfscanCore
import XCTest
@testable import SyntheticCorpus

final class SplitMix64Tests: XCTestCase {
    func testReferenceSequenceForSeedZero() {
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(rng.next(), 0x06C4_5D18_8009_454F)
    }

    func testStreamsDifferByIndexAndSeed() {
        var a = SplitMix64(seed: 42, stream: 0)
        var b = SplitMix64(seed: 42, stream: 1)
        var c = SplitMix64(seed: 43, stream: 0)
        var a2 = SplitMix64(seed: 42, stream: 0)
        let first = a.next()
        XCTAssertEqual(first, a2.next())
        XCTAssertNotEqual(first, b.next())
        XCTAssertNotEqual(first, c.next())
    }

    func testBoundedDrawsStayInRange() {
        var rng = SplitMix64(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<1_000 {
            let v = rng.int(in: 3...5)
            XCTAssertTrue((3...5).contains(v))
            seen.insert(v)
            let u = rng.unit()
            XCTAssertTrue(u >= 0 && u < 1)
        }
        XCTAssertEqual(seen, [3, 4, 5])
    }
}
