import CSimdJSON

extension JSONValue {
    /// The elements of an array, in order (empty when this is not an array).
    public var elements: JSONArrayElements { JSONArrayElements(array: self) }

    /// The fields of an object in document order, keys copied into `String`s (empty when this is not an
    /// object). Use `forEachField` to avoid the key copies.
    public var fields: JSONObjectFields { JSONObjectFields(object: self) }

    /// Calls `body` for each element of an array, in order; does nothing when this is not an array.
    public func forEachElement(_ body: (JSONValue) throws -> Void) rethrows {
        var iterator = afj_iter()
        guard afj_array_iter_init(raw, &iterator) != 0 else { return }
        var value = afj_value()
        while afj_array_iter_next(&iterator, &value) != 0 {
            try body(JSONValue(raw: value))
        }
    }

    /// Calls `body` with each field's unescaped key bytes (valid only during the call) and value, in
    /// document order; does nothing when this is not an object.
    public func forEachField(_ body: (UnsafeBufferPointer<UInt8>, JSONValue) throws -> Void) rethrows {
        var iterator = afj_iter()
        guard afj_object_iter_init(raw, &iterator) != 0 else { return }
        var key: UnsafePointer<CChar>?
        var keyLength = 0
        var value = afj_value()
        while afj_object_iter_next(&iterator, &key, &keyLength, &value) != 0 {
            let bytes = UnsafeRawPointer(key).map {
                UnsafeBufferPointer(start: $0.assumingMemoryBound(to: UInt8.self), count: keyLength)
            } ?? UnsafeBufferPointer(start: nil, count: 0)
            try body(bytes, JSONValue(raw: value))
        }
    }
}

/// The elements of a JSON array (a borrowed view, like `JSONValue`).
public struct JSONArrayElements: Sequence {
    let array: JSONValue

    public struct Iterator: IteratorProtocol {
        var state = afj_iter()
        var valid: Bool

        init(_ array: JSONValue) {
            valid = afj_array_iter_init(array.raw, &state) != 0
        }

        public mutating func next() -> JSONValue? {
            guard valid else { return nil }
            var value = afj_value()
            guard afj_array_iter_next(&state, &value) != 0 else {
                valid = false
                return nil
            }
            return JSONValue(raw: value)
        }
    }

    public func makeIterator() -> Iterator { Iterator(array) }
    public var underestimatedCount: Int { array.arrayCount ?? 0 }
}

/// The fields of a JSON object in document order (a borrowed view, like `JSONValue`).
public struct JSONObjectFields: Sequence {
    let object: JSONValue

    public struct Iterator: IteratorProtocol {
        var state = afj_iter()
        var valid: Bool

        init(_ object: JSONValue) {
            valid = afj_object_iter_init(object.raw, &state) != 0
        }

        public mutating func next() -> (key: String, value: JSONValue)? {
            guard valid else { return nil }
            var key: UnsafePointer<CChar>?
            var keyLength = 0
            var value = afj_value()
            guard afj_object_iter_next(&state, &key, &keyLength, &value) != 0 else {
                valid = false
                return nil
            }
            let text = UnsafeRawPointer(key).map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: keyLength), as: UTF8.self)
            } ?? ""
            return (text, JSONValue(raw: value))
        }
    }

    public func makeIterator() -> Iterator { Iterator(object) }
}
