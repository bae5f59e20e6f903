import SimdJSON
import XCTest

final class JSONValueTests: XCTestCase {
    let parser = JSONParser()

    func testFieldLookupAndKinds() throws {
        let root = try parser.parse(#"{"s":"x","i":-7,"d":1.5,"t":true,"f":false,"n":null,"a":[1],"o":{}}"#)
        XCTAssertEqual(root.kind, .object)
        XCTAssertEqual(root.fieldCount, 8)
        XCTAssertEqual(root["s"]?.kind, .string)
        XCTAssertEqual(root["s"]?.string, "x")
        XCTAssertEqual(root["i"]?.kind, .int)
        XCTAssertEqual(root["i"]?.int, -7)
        XCTAssertEqual(root["i"]?.double, -7.0)
        XCTAssertNil(root["i"]?.uint)
        XCTAssertEqual(root["d"]?.kind, .double)
        XCTAssertEqual(root["d"]?.double, 1.5)
        XCTAssertNil(root["d"]?.int)
        XCTAssertEqual(root["t"]?.bool, true)
        XCTAssertEqual(root["f"]?.bool, false)
        XCTAssertEqual(root["n"]?.kind, .null)
        XCTAssertEqual(root["n"]?.isNull, true)
        XCTAssertEqual(root["a"]?.kind, .array)
        XCTAssertEqual(root["o"]?.kind, .object)
        XCTAssertEqual(root["o"]?.fieldCount, 0)
        XCTAssertNil(root["missing"])
        XCTAssertNil(root["S"], "keys are compared byte for byte")
        XCTAssertNil(root["s"]?["x"], "a string has no fields")
        XCTAssertNil(root["s"]?.int)
        XCTAssertNil(root["s"]?.arrayCount)
        XCTAssertNil(root.string)
    }

    func testEscapedKeyAndEmptyKey() throws {
        let root = try parser.parse(#"{"a\"b":1,"":2,"caf\u00e9":3}"#)
        XCTAssertEqual(root["a\"b"]?.int, 1)
        XCTAssertEqual(root[""]?.int, 2)
        XCTAssertEqual(root["café"]?.int, 3)
    }

    func testDuplicateKeysFirstWins() throws {
        let root = try parser.parse(#"{"k":1,"k":2}"#)
        XCTAssertEqual(root["k"]?.int, 1)
        XCTAssertEqual(root.fields.map(\.key), ["k", "k"])
    }

    func testPaths() throws {
        let root = try parser.parse(
            #"{"metadata":{"observed":true,"env":"report_failure_a"},"prompt":{"messages":[{"role":"system"},{"role":"user","content":"<is_free_tier_user>true</is_free_tier_user>"}]},"7":{"x":1}}"#)
        XCTAssertEqual(root.value(atDottedPath: "metadata.observed")?.bool, true)
        XCTAssertEqual(root.value(atDottedPath: "prompt.messages")?.arrayCount, 2)
        XCTAssertEqual(root.value(atDottedPath: "prompt.messages.1.role")?.string, "user")
        XCTAssertEqual(root.value(atPath: ["prompt", "messages", "0", "role"])?.string, "system")
        XCTAssertNil(root.value(atDottedPath: "prompt.messages.2.role"), "index out of bounds")
        XCTAssertNil(root.value(atDottedPath: "prompt.messages.x"), "non-numeric component on an array")
        XCTAssertNil(root.value(atDottedPath: "prompt.messages.-1"))
        XCTAssertNil(root.value(atDottedPath: "metadata.observed.deeper"), "a scalar in the middle")
        XCTAssertEqual(root.value(atDottedPath: "7.x")?.int, 1, "a numeric component on an object is a key")
        XCTAssertEqual(root.value(atPath: [Substring]())?.kind, .object)
    }

    func testUnicodeEscapesGiveExactUTF8() throws {
        let root = try parser.parse(#"["\u00e9\ud83d\ude00", "a\u0000b", "tab\tnl\n\/"]"#)
        XCTAssertEqual(root.element(0)?.withStringBytes { Array($0) }, [0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80])
        XCTAssertEqual(root.element(0)?.string, "é😀")
        XCTAssertEqual(root.element(1)?.withStringBytes { Array($0) }, [0x61, 0x00, 0x62])
        XCTAssertEqual(root.element(2)?.string, "tab\tnl\n/")
        XCTAssertEqual(root.element(2)?.withStringBytes { $0.count }, 8)
        XCTAssertNil(root.withStringBytes { $0.count }, "not a string")
    }

    func testNestedArraysAndIteration() throws {
        let root = try parser.parse("[[1,2],[],[[3]],\"s\"]")
        XCTAssertEqual(root.arrayCount, 4)
        XCTAssertEqual(root.element(0)?.arrayCount, 2)
        XCTAssertEqual(root.element(0)?.element(1)?.int, 2)
        XCTAssertEqual(root.element(1)?.arrayCount, 0)
        XCTAssertEqual(root.element(2)?.element(0)?.element(0)?.int, 3)
        XCTAssertNil(root.element(4))
        XCTAssertNil(root.element(-1))
        XCTAssertEqual(root.elements.map(\.kind), [.array, .array, .array, .string])
        var kinds: [JSONKind] = []
        root.forEachElement { kinds.append($0.kind) }
        XCTAssertEqual(kinds, [.array, .array, .array, .string])
        XCTAssertEqual(root.element(0)?.elements.compactMap(\.int), [1, 2])
        XCTAssertEqual(Array(root.fields).count, 0, "an array has no fields")
    }

    func testObjectIterationInDocumentOrder() throws {
        let root = try parser.parse(#"{"b":1,"a":[true],"\u00e9":null}"#)
        XCTAssertEqual(root.fields.map(\.key), ["b", "a", "é"])
        var keys: [[UInt8]] = []
        var kinds: [JSONKind] = []
        root.forEachField { key, value in
            keys.append(Array(key))
            kinds.append(value.kind)
        }
        XCTAssertEqual(keys, [[0x62], [0x61], [0xC3, 0xA9]])
        XCTAssertEqual(kinds, [.int, .array, .null])
        XCTAssertEqual(Array(root.elements).count, 0, "an object has no elements")
    }

    func testBigIntegers() throws {
        let root = try parser.parse("[9223372036854775807,-9223372036854775808,9223372036854775808,18446744073709551615,1.0]")
        XCTAssertEqual(root.element(0)?.kind, .int)
        XCTAssertEqual(root.element(0)?.int, Int64.max)
        XCTAssertEqual(root.element(1)?.int, Int64.min)
        XCTAssertEqual(root.element(2)?.kind, .uint)
        XCTAssertNil(root.element(2)?.int)
        XCTAssertEqual(root.element(2)?.uint, 9_223_372_036_854_775_808)
        XCTAssertEqual(root.element(3)?.uint, UInt64.max)
        XCTAssertEqual(root.element(3)?.double, 18446744073709551615.0)
        XCTAssertEqual(root.element(4)?.kind, .double)
        XCTAssertEqual(root.element(0)?.rawJSON(), "9223372036854775807")
        XCTAssertEqual(root.element(3)?.rawJSON(), "18446744073709551615")
        // Beyond UInt64 simdjson 3.0.1 rejects the number (and so the whole record).
        XCTAssertThrowsError(try parser.parse("[18446744073709551616]")) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, "invalid_json")
        }
    }

    func testRawJSONIsCompact() throws {
        let root = try parser.parse(" { \"a\" : [ 1 , 2.5 , \"x\\\"y\\u00e9\" ] , \"b\" : { \"c\" : null } , \"t\" : true } ")
        XCTAssertEqual(root.rawJSON(), #"{"a":[1,2.5,"x\"yé"],"b":{"c":null},"t":true}"#)
        XCTAssertEqual(root["b"]?.rawJSON(), #"{"c":null}"#)
        XCTAssertEqual(root["a"]?.element(2)?.rawJSON(), #""x\"yé""#)
    }

    func testScalarText() throws {
        let root = try parser.parse(#"{"s":"true","t":true,"f":false,"i":-3,"d":0.25,"n":null,"a":[],"o":{}}"#)
        XCTAssertEqual(root["s"]?.scalarText(), "true")
        XCTAssertEqual(root["t"]?.scalarText(), "true")
        XCTAssertEqual(root["f"]?.scalarText(), "false")
        XCTAssertEqual(root["i"]?.scalarText(), "-3")
        XCTAssertEqual(root["d"]?.scalarText(), "0.25")
        XCTAssertNil(root["n"]?.scalarText())
        XCTAssertNil(root["a"]?.scalarText())
        XCTAssertNil(root["o"]?.scalarText())
    }
}
