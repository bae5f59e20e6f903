import SimdJSON
import XCTest

final class JSONParserTests: XCTestCase {
    func reason(_ bytes: [UInt8], parser: JSONParser = JSONParser()) -> String? {
        do {
            _ = try parser.parse(bytes)
            return nil
        } catch {
            return error.reason
        }
    }

    func testPaddingIsSimdjsons() {
        XCTAssertEqual(JSONParser.padding, 64)
    }

    func testInvalidUTF8IsRejectedEvenOutsideUsedFields() {
        // 0xFF never occurs in UTF-8; it sits inside a field nobody reads.
        XCTAssertEqual(reason(Array(#"{"skip":""#.utf8) + [0xFF] + Array(#"","text":"ok"}"#.utf8)), "invalid_utf8")
        // An overlong encoding of '/'.
        XCTAssertEqual(reason(Array(#"[""#.utf8) + [0xC0, 0xAF] + Array(#""]"#.utf8)), "invalid_utf8")
    }

    func testStableReasons() {
        XCTAssertEqual(reason([]), "empty")
        XCTAssertEqual(reason(Array("   \n".utf8)), "empty")
        XCTAssertEqual(reason(Array(#"{"a":1} x"#.utf8)), "invalid_json", "trailing content")
        XCTAssertEqual(reason(Array("{} {}".utf8)), "invalid_json", "two documents")
        XCTAssertEqual(reason(Array(#"{"a":tru}"#.utf8)), "invalid_json")
        XCTAssertEqual(reason(Array(#"["\ud800"]"#.utf8)), "invalid_json", "lone surrogate")
        XCTAssertEqual(reason(Array("[1e400]".utf8)), "invalid_json", "not representable as a double")
        XCTAssertEqual(reason(Array(repeating: UInt8(ascii: "["), count: 1025) + Array(repeating: UInt8(ascii: "]"), count: 1025)), "depth_exceeded")
        XCTAssertNil(reason(Array(repeating: UInt8(ascii: "["), count: 1024) + Array(repeating: UInt8(ascii: "]"), count: 1024)))
        XCTAssertEqual(reason(Array(#"{"a":"0123456789"}"#.utf8), parser: JSONParser(maxCapacity: 8)), "capacity")
    }

    func testErrorCarriesSimdjsonMessage() {
        XCTAssertThrowsError(try JSONParser().parse(Array("[1,]".utf8))) { error in
            let failure = error as? JSONParseError
            XCTAssertEqual(failure?.reason, "invalid_json")
            XCTAssertEqual(failure?.message.isEmpty, false)
        }
    }

    func testZeroCopyParseOfARangeInsideAPaddedBuffer() throws {
        // Two records back to back, then 64 padding bytes: the first is parsed in place although the
        // bytes after it are the second record's.
        let storage = Array(#"{"a":1}{"b":"two"}"#.utf8) + [UInt8](repeating: 0, count: JSONParser.padding)
        let parser = JSONParser()
        try storage.withUnsafeBytes { buffer in
            let first = try parser.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<7]), hasPadding: true)
            XCTAssertEqual(first["a"]?.int, 1)
            XCTAssertNil(first["b"])
            let second = try parser.parse(UnsafeRawBufferPointer(rebasing: buffer[7..<18]), hasPadding: true)
            XCTAssertEqual(second["b"]?.string, "two")
        }
    }

    func testParserIsReusableAfterAnError() throws {
        let parser = JSONParser()
        XCTAssertThrowsError(try parser.parse("{"))
        XCTAssertEqual(try parser.parse(#"{"k":"v"}"#)["k"]?.string, "v")
    }

    func testStringsOutliveTheInputBuffer() throws {
        let parser = JSONParser()
        var input: [UInt8]? = Array(#"{"k":"value"}"#.utf8)
        let root = try parser.parse(input!)
        input = nil
        XCTAssertEqual(root["k"]?.string, "value")
    }
}
