import CSimdJSON

/// A borrowed view of one value in a `JSONParser`'s current document.
///
/// A 16-byte handle (no allocation, no reference counting). It is valid only until the next `parse` on
/// the parser that produced it, or until that parser is released; using it afterwards is undefined
/// behaviour. It is therefore deliberately not `Sendable`: copy what you need out (`string`,
/// `rawJSON()`) before handing data to another thread or parsing the next record.
///
/// String accessors give the *unescaped* UTF-8 text (`"\u00e9"` → the two bytes `C3 A9`).
public struct JSONValue {
    @usableFromInline let raw: afj_value

    init(raw: afj_value) {
        self.raw = raw
    }

    /// The value's type.
    public var kind: JSONKind {
        switch afj_type(raw) {
        case AFJ_OBJECT: return .object
        case AFJ_ARRAY: return .array
        case AFJ_STRING: return .string
        case AFJ_INT64: return .int
        case AFJ_UINT64: return .uint
        case AFJ_DOUBLE: return .double
        case AFJ_BOOL: return .bool
        default: return .null
        }
    }

    /// True for JSON `null`.
    public var isNull: Bool { kind == .null }

    // MARK: Objects

    /// The value of the field whose key equals `key` byte for byte (after unescaping), or nil when this
    /// is not an object or has no such field. With duplicate keys, the first one wins.
    public subscript(key: String) -> JSONValue? {
        var key = key
        return key.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                var found = afj_value()
                // A nil address (empty key) becomes an empty std::string_view in the shim.
                let ok = afj_object_find(raw, chars.baseAddress, chars.count, &found)
                return ok != 0 ? JSONValue(raw: found) : nil
            }
        }
    }

    /// The number of fields of an object; nil when this is not an object.
    public var fieldCount: Int? {
        kind == .object ? Int(afj_object_count(raw)) : nil
    }

    // MARK: Arrays

    /// The number of elements of an array; nil when this is not an array.
    public var arrayCount: Int? {
        kind == .array ? Int(afj_array_count(raw)) : nil
    }

    /// Element `i` (0-based) of an array; nil when out of bounds or not an array. Linear in `i`: use
    /// `elements`/`forEachElement` to visit all elements.
    public func element(_ i: Int) -> JSONValue? {
        guard i >= 0 else { return nil }
        var found = afj_value()
        return afj_array_at(raw, i, &found) != 0 ? JSONValue(raw: found) : nil
    }

    // MARK: Scalars

    /// Calls `body` with the unescaped UTF-8 bytes of a string value (valid only during the call); returns
    /// nil without calling it when this is not a string. The bytes may contain U+0000.
    public func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        var bytes: UnsafePointer<CChar>?
        var length = 0
        guard afj_get_string(raw, &bytes, &length) != 0 else { return nil }
        guard let bytes else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try bytes.withMemoryRebound(to: UInt8.self, capacity: length) { start in
            try body(UnsafeBufferPointer(start: start, count: length))
        }
    }

    /// The string's text (a copy); nil when this is not a string.
    public var string: String? {
        withStringBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The boolean; nil when this is not `true`/`false`.
    public var bool: Bool? {
        var out: Int32 = 0
        return afj_get_bool(raw, &out) != 0 ? out != 0 : nil
    }

    /// The value of any number as a `Double` (integers converted, possibly rounding); nil when this is not
    /// a number.
    public var double: Double? {
        var out = 0.0
        return afj_get_double(raw, &out) != 0 ? out : nil
    }

    /// The value of an integer that fits in `Int64` (kind `.int`, or `.uint` ≤ `Int64.max`); nil for
    /// doubles (even integral ones such as `1.0`), larger integers and non-numbers.
    public var int: Int64? {
        var out: Int64 = 0
        return afj_get_int64(raw, &out) != 0 ? out : nil
    }

    /// The value of a non-negative integer that fits in `UInt64`; nil otherwise (including doubles).
    public var uint: UInt64? {
        var out: UInt64 = 0
        return afj_get_uint64(raw, &out) != 0 ? out : nil
    }
}

/// A `JSONValue` borrows its parser's document, which another thread's parse would overwrite.
@available(*, unavailable, message: "JSONValue borrows its parser's document; copy data out before sharing")
extension JSONValue: Sendable {}
