/// Markdown code regions, inside which tags are text (CONTRACT.md "Tags").
///
/// A subset of CommonMark, chosen so that a stray backtick can never hide the rest of a field:
/// - **Fenced block**: a line whose first non-space byte (after at most 3 spaces) starts a run of at least
///   3 backticks opens a fence; it closes at the next line made of at most 3 spaces, a run of at least as
///   many backticks, and only whitespace after it. Unlike CommonMark, a fence with no closing line is not a
///   fence (its backticks are text), so a truncated or unbalanced fence cannot swallow a closing tag.
/// - **Code span**: a run of `n` backticks opens a span that closes at the next run of exactly `n`
///   backticks; the span may cross single line breaks but not a blank line (a paragraph break). With no
///   closing run the backticks are text.
///
/// Cost: a failed search for a span closer stops at the paragraph end, and afterwards no other run of the
/// same length exists in that paragraph (or it would have closed the span), so each paragraph is searched
/// at most once per distinct run length. A failed fence search records its length; later fence openers at
/// least as long fail without searching (their candidates are a subset).
struct CodeSpans {
    /// The shortest fence run length whose closer search has failed (later openers of at least this
    /// length cannot close either).
    private var fenceFailMin = Int.max

    /// At a backtick `p[i]` (the first of its run): the end of the code region opened there, or nil when
    /// the run is text; and the end of the backtick run.
    mutating func region(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> (codeEnd: Int?, runEnd: Int) {
        var runEnd = i
        while runEnd < end && p[runEnd] == UInt8(ascii: "`") { runEnd += 1 }
        let n = runEnd - i
        if n >= 3 && Self.atLineStart(p, i) {
            if n >= fenceFailMin { return (nil, runEnd) }
            if let close = Self.fenceClose(p, from: runEnd, end: end, length: n) { return (close, runEnd) }
            fenceFailMin = n
            return (nil, runEnd)
        }
        return (Self.spanClose(p, from: runEnd, end: end, length: n), runEnd)
    }

    /// Whether `i` is preceded on its line by at most 3 spaces only.
    private static func atLineStart(_ p: UnsafePointer<UInt8>, _ i: Int) -> Bool {
        var j = i
        var spaces = 0
        while j > 0 {
            let b = p[j - 1]
            if b == UInt8(ascii: "\n") { return true }
            guard b == UInt8(ascii: " "), spaces < 3 else { return false }
            spaces += 1
            j -= 1
        }
        return true
    }

    /// The end of the closing fence line's backtick run, searching the lines after the opener's line.
    private static func fenceClose(_ p: UnsafePointer<UInt8>, from start: Int, end: Int, length: Int) -> Int? {
        var i = start
        // Skip the rest of the opening line (its info string).
        while i < end && p[i] != UInt8(ascii: "\n") { i += 1 }
        while i < end {
            i += 1  // past "\n"
            var j = i
            var spaces = 0
            while j < end && p[j] == UInt8(ascii: " ") && spaces < 3 { j += 1; spaces += 1 }
            var k = j
            while k < end && p[k] == UInt8(ascii: "`") { k += 1 }
            if k - j >= length {
                var m = k
                while m < end && (p[m] == UInt8(ascii: " ") || p[m] == UInt8(ascii: "\t") || p[m] == UInt8(ascii: "\r")) { m += 1 }
                if m == end || p[m] == UInt8(ascii: "\n") { return k }
            }
            i = k
            while i < end && p[i] != UInt8(ascii: "\n") { i += 1 }
        }
        return nil
    }

    /// The end of the next run of exactly `length` backticks after `start`, not crossing a blank line.
    private static func spanClose(_ p: UnsafePointer<UInt8>, from start: Int, end: Int, length: Int) -> Int? {
        var i = start
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "`") {
                var j = i
                while j < end && p[j] == UInt8(ascii: "`") { j += 1 }
                if j - i == length { return j }
                i = j
            } else if b == UInt8(ascii: "\n") {
                var j = i + 1
                while j < end && (p[j] == UInt8(ascii: " ") || p[j] == UInt8(ascii: "\t") || p[j] == UInt8(ascii: "\r")) { j += 1 }
                if j < end && p[j] == UInt8(ascii: "\n") { return nil }
                i += 1
            } else {
                i += 1
            }
        }
        return nil
    }
}
