/// Recognises the tags that `TagExtractor` acts on, at a `<` byte.
///
/// Syntax: `<NAME>` or `</NAME>` for block tags, `<NAME/>` for the self-closing markers, where NAME is
/// matched case-insensitively and ASCII whitespace may stand before `>` or `/>` (`<rejected />`,
/// `<think >`). Nothing may stand between `<` (or `</`) and the name, and no attributes are accepted:
/// anything else is text.
enum TagLexer {
    enum Name: Equatable {
        case carrier(ExtractedBlock.Tag)  // a scratchpad carrier
        case output
        case draft
        case next
        case accepted
        case rejected
    }

    struct Token {
        var name: Name
        var closing: Bool
        /// The whole tag, `<` to `>`.
        var range: Range<Int>
    }

    /// Known names, lower-case, with what they mean and whether they are self-closing markers.
    private static let names: [(bytes: [UInt8], name: Name, selfClosing: Bool)] = {
        let table: [(String, Name, Bool)] = [
            ("scratchpad_reasoning", .carrier(.scratchpadReasoning), false),
            ("hidden_scratchpad", .carrier(.hiddenScratchpad), false),
            ("think", .carrier(.think), false),
            ("thinking", .carrier(.thinking), false),
            ("output", .output, false),
            ("draft_output", .draft, false),
            ("next", .next, true),
            ("request_fully_accepted", .accepted, true),
            ("rejected", .rejected, true),
        ]
        return table.map { (Array($0.0.utf8), $0.1, $0.2) }
    }()

    static let maxNameLength = 22

    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        ASCIIClass.isUpper(b) || ASCIIClass.isLower(b) || b == UInt8(ascii: "_")
    }

    /// The tag starting at `p[i] == "<"`, or nil when the bytes there are not one of the known tags.
    static func token(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Token? {
        var j = i + 1
        guard j < end else { return nil }
        let closing = p[j] == UInt8(ascii: "/")
        if closing { j += 1 }
        let nameStart = j
        while j < end && j - nameStart <= maxNameLength && isNameByte(p[j]) { j += 1 }
        let length = j - nameStart
        guard length > 0 && length <= maxNameLength else { return nil }
        guard let entry = lookup(p, nameStart, length) else { return nil }
        while j < end && ASCIIClass.isSpace(p[j]) { j += 1 }
        guard j < end else { return nil }
        if entry.selfClosing {
            guard !closing, p[j] == UInt8(ascii: "/"), j + 1 < end, p[j + 1] == UInt8(ascii: ">") else { return nil }
            return Token(name: entry.name, closing: false, range: i..<(j + 2))
        }
        guard p[j] == UInt8(ascii: ">") else { return nil }
        return Token(name: entry.name, closing: closing, range: i..<(j + 1))
    }

    private static func lookup(_ p: UnsafePointer<UInt8>, _ start: Int, _ length: Int) -> (name: Name, selfClosing: Bool)? {
        outer: for entry in names where entry.bytes.count == length {
            for k in 0..<length where fold(p[start + k]) != entry.bytes[k] { continue outer }
            return (entry.name, entry.selfClosing)
        }
        return nil
    }

    /// ASCII lower-case of `b` (other bytes unchanged).
    @inline(__always)
    static func fold(_ b: UInt8) -> UInt8 { ASCIIClass.isUpper(b) ? b | 0x20 : b }

    /// Whether `p[i..<end]` is a cut-off tag: `<`, an optional `/`, then a (possibly empty or complete)
    /// prefix of a known name, then optionally ASCII whitespace and `/`, and nothing else, with no `>`.
    static func isTruncatedTag(_ p: UnsafePointer<UInt8>, from i: Int, end: Int) -> Bool {
        guard i < end, p[i] == UInt8(ascii: "<") else { return false }
        var j = i + 1
        if j < end && p[j] == UInt8(ascii: "/") { j += 1 }
        let nameStart = j
        while j < end && isNameByte(p[j]) { j += 1 }
        let length = j - nameStart
        while j < end && (ASCIIClass.isSpace(p[j]) || p[j] == UInt8(ascii: "/")) { j += 1 }
        guard j == end else { return false }
        if length == 0 { return true }
        return names.contains { entry in
            entry.bytes.count >= length && (0..<length).allSatisfy { k in
                fold(p[nameStart + k]) == entry.bytes[k]
            }
        }
    }
}
