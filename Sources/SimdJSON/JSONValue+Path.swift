extension JSONValue {
    /// Follows a path of components from this value: on an object a component is a key; on an array a
    /// component made only of ASCII digits is a 0-based index. Returns nil as soon as a step is missing
    /// (absent key, index out of bounds, a scalar in the middle). An empty path returns this value.
    ///
    /// Example: `root.value(atPath: "prompt.messages.0.role".split(separator: ".", omittingEmptySubsequences: false))`.
    public func value(atPath components: some Collection<Substring>) -> JSONValue? {
        var current = self
        for component in components {
            switch current.kind {
            case .object:
                guard let next = current[String(component)] else { return nil }
                current = next
            case .array:
                guard let index = Self.arrayIndex(component), let next = current.element(index) else { return nil }
                current = next
            default:
                return nil
            }
        }
        return current
    }

    /// `value(atPath:)` with a dotted path such as `metadata.observed` or `prompt.messages.1.content`.
    /// Keys that themselves contain `.` cannot be addressed this way.
    public func value(atDottedPath path: String) -> JSONValue? {
        value(atPath: path.split(separator: ".", omittingEmptySubsequences: false))
    }

    /// A non-negative decimal index (ASCII digits only, no sign), or nil.
    private static func arrayIndex(_ component: Substring) -> Int? {
        guard !component.isEmpty, component.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(component)
    }
}
