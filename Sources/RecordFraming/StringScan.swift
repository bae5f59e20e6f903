/// Where a structural scanner stands with respect to JSON strings: inside one or not, and whether the
/// previous byte inside it was a backslash (so a `"` after it does not close the string). Shared by
/// `ValueScanner` and `InspectLogScanner`.
struct StringScan {
    private(set) var inString = false
    private var escaped = false

    /// The opening quote was read.
    mutating func open() {
        inString = true
        escaped = false
    }

    /// Takes byte `c` of the string; true when it is the closing quote.
    mutating func closes(_ c: UInt8) -> Bool {
        if escaped {
            escaped = false
        } else if c == UInt8(ascii: "\\") {
            escaped = true
        } else if c == UInt8(ascii: "\"") {
            inString = false
            return true
        }
        return false
    }
}
