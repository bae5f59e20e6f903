import CSimdJSON

extension JSONValue {
    /// The value re-serialized as compact JSON by simdjson (`simdjson::minify`): no whitespace, keys in
    /// document order, strings re-escaped (`"`, `\`, control characters; other characters as UTF-8),
    /// integers as written, doubles in shortest round-trip form. Used to copy kept fields into rows.
    /// - Precondition: memory for the text could be allocated (aborts otherwise).
    public func rawJSON() -> String {
        var length = 0
        guard let buffer = afj_minify(raw, &length) else {
            fatalError("allocation failed while serializing a JSON value")
        }
        defer { afj_free_buffer(buffer) }
        return String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
    }

    /// A scalar as plain text, for matching `--condition-map` keys: a string as-is (unescaped), `true` /
    /// `false`, a number as its JSON text (same form as `rawJSON()`); nil for objects, arrays and null.
    public func scalarText() -> String? {
        switch kind {
        case .string: return string
        case .bool: return bool == true ? "true" : "false"
        case .int, .uint, .double: return rawJSON()
        case .object, .array, .null: return nil
        }
    }
}
