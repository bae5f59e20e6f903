import XCTest
@testable import SyntheticCorpus

final class ByteSizeTests: XCTestCase {
    func testDecimalAndBinaryUnits() throws {
        XCTAssertEqual(try ByteSize.parse("4096"), 4096)
        XCTAssertEqual(try ByteSize.parse("17B"), 17)
        XCTAssertEqual(try ByteSize.parse("1KB"), 1_000)
        XCTAssertEqual(try ByteSize.parse("1GB"), 1_000_000_000)
        XCTAssertEqual(try ByteSize.parse("8MiB"), 8_388_608)
        XCTAssertEqual(try ByteSize.parse("2kib"), 2_048)
        XCTAssertEqual(try ByteSize.parse("4 GiB"), 4_294_967_296)
        XCTAssertEqual(try ByteSize.parse("1.5MB"), 1_500_000)
        XCTAssertEqual(try ByteSize.parse(" 3mb "), 3_000_000)
    }

    func testRejectsMalformedSizes() {
        for bad in ["", "GB", "-1GB", "1XB", "1 2MB", "1e3", "abc", "99999999999GiB"] {
            XCTAssertThrowsError(try ByteSize.parse(bad), "\(bad) should be rejected")
        }
    }

    func testKilobyteRange() throws {
        XCTAssertEqual(try ByteSize.parseKilobyteRange("10-30"), 10_000...30_000)
        XCTAssertEqual(try ByteSize.parseKilobyteRange("12"), 12_000...12_000)
        XCTAssertThrowsError(try ByteSize.parseKilobyteRange("30-10"))
        XCTAssertThrowsError(try ByteSize.parseKilobyteRange("a-b"))
        XCTAssertThrowsError(try ByteSize.parseKilobyteRange("1-2-3"))
    }

    func testFormat() {
        XCTAssertEqual(ByteSize.format(17), "17 B")
        XCTAssertEqual(ByteSize.format(1_536), "1.5 KiB")
        XCTAssertEqual(ByteSize.format(8 << 20), "8.0 MiB")
    }
}
