/// The `<is_free_tier_user>` condition tag of the user turn (CONTRACT.md "Condition", LABELS.md §1.2).
///
/// Only the user turn's content may be searched (the system prompt and the model's own reasoning mention
/// the tag too); choosing that text is the caller's job.
public enum FreeTierTag {
    /// The value of the LAST `<is_free_tier_user>` tag in `userContent`: `true` for a free-tier user
    /// (implied training), `false` for a paid-tier user (implied unmonitored).
    ///
    /// The tag names match case-insensitively; the value is `true` or `false` in any case, with any ASCII
    /// whitespace around it, and must be followed by `</is_free_tier_user>`. Returns nil when there is no
    /// opening tag, or when the last opening tag has no parseable value and closing tag (an earlier tag is
    /// then not consulted: the last one is the one the model saw last).
    public static func find(in userContent: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let p = userContent.baseAddress else { return nil }
        let n = userContent.count
        let open = Array("<is_free_tier_user>".utf8)
        let close = Array("</is_free_tier_user>".utf8)
        // Search backwards for the last opening tag.
        var start = n - open.count
        while start >= 0 {
            if p[start] == UInt8(ascii: "<") && matches(p, start, n, open) { break }
            start -= 1
        }
        guard start >= 0 else { return nil }
        var i = start + open.count
        while i < n && ASCIIClass.isSpace(p[i]) { i += 1 }
        let value: Bool
        if matches(p, i, n, Array("true".utf8)) {
            value = true
            i += 4
        } else if matches(p, i, n, Array("false".utf8)) {
            value = false
            i += 5
        } else {
            return nil
        }
        while i < n && ASCIIClass.isSpace(p[i]) { i += 1 }
        return matches(p, i, n, close) ? value : nil
    }

    /// `find(in:)` over a byte array.
    public static func find(in userContent: [UInt8]) -> Bool? {
        userContent.withUnsafeBufferPointer { find(in: $0) }
    }

    /// Whether `p[i..<i+lower.count]` equals `lower` ignoring ASCII case (`lower` is lower-case ASCII).
    private static func matches(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ lower: [UInt8]) -> Bool {
        guard i >= 0, i + lower.count <= n else { return false }
        for k in 0..<lower.count {
            let b = p[i + k]
            let folded = ASCIIClass.isUpper(b) ? b | 0x20 : b
            if folded != lower[k] { return false }
        }
        return true
    }
}
