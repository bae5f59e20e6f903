/// Normalizes UTF-8 text for pattern matching and segments it into sentences (LABELS.md §5.1), keeping a
/// map from every normalized byte back to the original bytes.
///
/// What is done, in one pass over the bytes:
/// - ASCII case fold (`A`–`Z` → `a`–`z`);
/// - curly single quotes and primes → `'`, curly double quotes, double prime and « » → `"`, hyphen and dash
///   variants and the minus sign → `-`, `…` → `...`, soft hyphen removed (the full list is `ScalarFold`);
/// - every run of whitespace (ASCII space, tab, CR, LF, FF, VT, U+00A0, U+2000–U+200A, U+202F, U+205F,
///   U+3000, U+2028, U+2029) → one space; leading and trailing whitespace dropped;
/// - every other byte copied as-is, so valid UTF-8 in gives valid UTF-8 out.
///
/// What is NOT done, on purpose:
/// - No full Unicode case folding (`É` stays `É`): rules are written in ASCII lower case, the texts are
///   overwhelmingly English, and a full fold changes byte lengths and needs Unicode tables in the hot loop.
/// - No NFKC (LABELS.md §5.1 asks for it): its effects that matter for English matching (quotes, dashes,
///   spaces, ellipsis) are covered by the explicit folds above; full NFKC would need the Unicode
///   decomposition tables and Foundation, and would rarely change what an English rule matches. Combining
///   sequences, ligatures (`ﬁ`) and full-width letters are therefore left as they are.
///
/// Sentence segmentation (computed in the same pass, recorded in `NormalizedText.sentenceStarts`): a sentence
/// ends
/// - after a run of `.`, `!`, `?` (or `…`), optionally followed by closers `"` `'` `)` `]` `*`, when
///   whitespace follows — except after these abbreviations (a short, fixed list):
///   `e.g.`, `i.e.`, `etc.` when the next word starts with an ASCII lower-case letter; `vs.`, `mr.`, `mrs.`,
///   `ms.`, `dr.` always; a single capital letter other than `I` (initials: `J. Smith`); a 1–3 digit number
///   that is the first word of its sentence (list enumerators: `2. Then …`);
/// - at any whitespace run that holds a line break in the original (LF, CR, VT, FF, U+2028, U+2029), so
///   paragraphs and list items split even without punctuation (the line break itself becomes a space);
/// - between two ranges of `ranges` (a space is inserted there too, so words never join across a cut).
public enum Normalizer {
    /// Normalizes the concatenation of `ranges` of `text` (ascending, non-overlapping), inserting a space and
    /// a sentence break between consecutive ranges (used to cut DRAFT_OUTPUT regions out of a scratchpad).
    /// Offsets in the result's `originalOffsets` are into `text`.
    /// - Precondition: the ranges are ascending, non-overlapping and within `0...text.count`, and
    ///   `text.count < Int32.max`.
    public static func normalize(_ text: UnsafeBufferPointer<UInt8>, ranges: [Range<Int>]) -> NormalizedText {
        precondition(text.count < Int(Int32.max), "Normalizer: text of \(text.count) bytes exceeds Int32 offsets")
        var total = 0
        var previousEnd = 0
        for r in ranges {
            precondition(r.lowerBound >= previousEnd && r.upperBound <= text.count,
                         "Normalizer: ranges must be ascending, non-overlapping and within 0..<\(text.count)")
            previousEnd = r.upperBound
            total += r.count
        }
        guard let base = text.baseAddress, total > 0 else {
            let origin = Int32(ranges.first?.lowerBound ?? 0)
            return NormalizedText(bytes: [], originalOffsets: [origin], sentenceStarts: [0])
        }
        // Every fold maps a scalar to at most as many bytes (`…` is 3 → 3) and a whitespace run to one
        // byte; only the separator inserted between two ranges can add a byte, hence one extra per range.
        let capacity = total + ranges.count
        // Both buffers are written in place, uninitialized until written (no zero fill, no trimming).
        var bytes: [UInt8] = []
        var sentenceStarts: [Int32] = [0]
        let offsets = [Int32](unsafeUninitializedCapacity: capacity + 1) { offs, offsCount in
            var count = 0
            var lastEnd = ranges[0].lowerBound
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { out, initialized in
                var state = State(text: base, out: out.baseAddress!, offs: offs.baseAddress!)
                var first = true
                for r in ranges where !r.isEmpty {
                    if !first { state.rangeBoundary(previousEnd: lastEnd) }
                    first = false
                    state.run(r)
                    lastEnd = r.upperBound
                }
                sentenceStarts = state.sentenceStarts
                count = state.n
                lastEnd = state.n > 0 ? state.lastEnd : ranges[0].lowerBound
                initialized = count
            }
            offs[count] = Int32(truncatingIfNeeded: lastEnd)
            offsCount = count + 1
        }
        return NormalizedText(bytes: bytes, originalOffsets: offsets, sentenceStarts: sentenceStarts)
    }

    /// Normalizes the whole of `text`.
    public static func normalize(_ text: UnsafeBufferPointer<UInt8>) -> NormalizedText {
        normalize(text, ranges: [0..<text.count])
    }

    /// Normalizes `ranges` of `text` (see `normalize(_:ranges:)`).
    public static func normalize(_ text: [UInt8], ranges: [Range<Int>]) -> NormalizedText {
        text.withUnsafeBufferPointer { normalize($0, ranges: ranges) }
    }

    /// Normalizes the whole of `text`.
    public static func normalize(_ text: [UInt8]) -> NormalizedText {
        text.withUnsafeBufferPointer { normalize($0) }
    }
}

// MARK: - The streaming state

/// Byte classes of ASCII for the normalizer loop.
private enum ByteClass {
    /// `plain` must be 0 and `upper` 1: the plain-run loop folds case with `byte | (class << 5)`.
    static let plain: UInt8 = 0, upper: UInt8 = 1, space: UInt8 = 2, lineBreak: UInt8 = 3
    static let terminal: UInt8 = 4, closer: UInt8 = 5, nonASCII: UInt8 = 6

    static let table: [UInt8] = (0..<256).map { (i: Int) -> UInt8 in
        let b = UInt8(i)
        if b >= 0x80 { return nonASCII }
        if ASCIIClass.isUpper(b) { return upper }
        if ASCIIClass.isLineBreak(b) { return lineBreak }
        if ASCIIClass.isSpace(b) { return space }
        switch b {
        case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"): return terminal
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "*"): return closer
        default: return plain
        }
    }
}

/// Break decision pending at a whitespace run, resolved when the next content byte is written.
private enum PendingBreak: Int, Comparable {
    case none = 0, unlessLowercase = 1, always = 2
    static func < (a: PendingBreak, b: PendingBreak) -> Bool { a.rawValue < b.rawValue }
}

private struct State {
    let text: UnsafePointer<UInt8>
    let out: UnsafeMutablePointer<UInt8>
    let offs: UnsafeMutablePointer<Int32>
    var n = 0
    var sentenceStarts: [Int32] = [0]
    /// Original offset of the first byte of the pending whitespace run, or -1.
    var pendingSpace = -1
    var pendingBreak = PendingBreak.none
    /// The last content written ends with a terminal punctuation run (plus closers).
    var terminal = false
    /// That run is exactly one `.`, at normalized index `dotIndex`.
    var dotOnly = false
    var dotIndex = 0
    /// Original end offset of the source of the last written byte.
    var lastEnd = 0

    init(text: UnsafePointer<UInt8>, out: UnsafeMutablePointer<UInt8>, offs: UnsafeMutablePointer<Int32>) {
        self.text = text
        self.out = out
        self.offs = offs
    }

    mutating func rangeBoundary(previousEnd: Int) {
        guard n > 0 else { return }
        if pendingSpace < 0 { pendingSpace = previousEnd }
        pendingBreak = .always
        terminal = false
    }

    /// Flushes the pending space and sentence break before content whose first original byte is `first`.
    @inline(__always)
    mutating func beginContent(first: UInt8) {
        guard pendingSpace >= 0 else { return }
        if n > 0 {
            out[n] = 0x20
            offs[n] = Int32(pendingSpace)
            n += 1
            if pendingBreak == .always || (pendingBreak == .unlessLowercase && !ASCIIClass.isLower(first)) {
                sentenceStarts.append(Int32(n))
            }
        }
        pendingSpace = -1
        pendingBreak = .none
    }

    @inline(__always)
    mutating func whitespace(at p: Int, lineBreak: Bool) {
        guard n > 0 else { return }  // leading whitespace is dropped
        if pendingSpace < 0 {
            pendingSpace = p
            if terminal { pendingBreak = max(pendingBreak, terminalDecision()) }
            terminal = false
        }
        if lineBreak { pendingBreak = .always }
    }

    @inline(__always)
    mutating func write(_ b: UInt8, origin: Int) {
        out[n] = b
        offs[n] = Int32(origin)
        n += 1
    }

    /// Updates the terminal-run state after writing folded ASCII byte `b` at normalized index `index`.
    @inline(__always)
    mutating func noteTerminal(_ b: UInt8, index: Int) {
        if terminal {
            dotOnly = false
        } else {
            terminal = true
            dotOnly = b == UInt8(ascii: ".")
            dotIndex = index
        }
    }

    mutating func run(_ r: Range<Int>) {
        let table = ByteClass.table
        table.withUnsafeBufferPointer { cls in
            var i = r.lowerBound
            let end = r.upperBound
            while i < end {
                let b = text[i]
                let c = cls[Int(b)]
                switch c {
                case ByteClass.plain, ByteClass.upper:
                    beginContent(first: b)
                    // Tight loop over a run of words (plain/upper bytes and single spaces between them):
                    // no sentence state to track inside.
                    // Locals instead of `self` fields, so the stores through `out`/`offs` (which may
                    // alias anything) do not force `n` back to memory on every byte; `plain` is 0 and
                    // `upper` is 1, so `k << 5` is the case-fold bit.
                    var j = i
                    var w = n
                    let o = out, f = offs, t = text
                    while j < end {
                        let x = t[j]
                        let k = cls[Int(x)]
                        if k > ByteClass.upper {
                            // One space or tab between two words, the common case, stays in this loop:
                            // the run holds no terminal punctuation and no pending break, so the slow
                            // path would write exactly this space (origin: the space itself) and start
                            // no sentence.
                            if k == ByteClass.space, j &+ 1 < end, cls[Int(t[j &+ 1])] <= ByteClass.upper {
                                o[w] = 0x20
                                f[w] = Int32(truncatingIfNeeded: j)
                                w &+= 1
                                j &+= 1
                                continue
                            }
                            break
                        }
                        o[w] = x | (k &<< 5)
                        f[w] = Int32(truncatingIfNeeded: j)
                        w &+= 1
                        j &+= 1
                    }
                    n = w
                    terminal = false
                    lastEnd = j
                    i = j
                case ByteClass.space:
                    whitespace(at: i, lineBreak: false)
                    i += 1
                case ByteClass.lineBreak:
                    whitespace(at: i, lineBreak: true)
                    i += 1
                case ByteClass.terminal:
                    beginContent(first: b)
                    noteTerminal(b, index: n)
                    write(b, origin: i)
                    i += 1
                    lastEnd = i
                case ByteClass.closer:
                    beginContent(first: b)
                    write(b, origin: i)  // a closer keeps `terminal` as it is
                    i += 1
                    lastEnd = i
                default:
                    let (fold, length) = ScalarFold.classify(text, i, end)
                    switch fold {
                    case .keep:
                        beginContent(first: b)
                        for k in 0..<length { write(text[i + k], origin: i + k) }
                        terminal = false
                        lastEnd = i + length
                    case .space(let lineBreak):
                        whitespace(at: i, lineBreak: lineBreak)
                    case .ascii(let a):
                        beginContent(first: b)
                        if a != UInt8(ascii: "'") && a != UInt8(ascii: "\"") { terminal = false }
                        write(a, origin: i)
                        lastEnd = i + length
                    case .ellipsis:
                        beginContent(first: b)
                        noteTerminal(0, index: n)
                        dotOnly = false
                        for _ in 0..<3 { write(UInt8(ascii: "."), origin: i) }
                        lastEnd = i + length
                    case .remove:
                        break
                    }
                    i += length
                }
            }
        }
    }

    /// Whether the terminal run that ends the written content ends a sentence, given that whitespace follows.
    func terminalDecision() -> PendingBreak {
        guard dotOnly else { return .always }
        // The word before the dot: ASCII letters and inner dots (`e.g`), already lower-cased.
        var ws = dotIndex
        while ws > 0 {
            let x = out[ws - 1]
            if ASCIIClass.isLower(x) || x == UInt8(ascii: ".") { ws -= 1 } else { break }
        }
        // Every abbreviation is at most 3 bytes long, and the initial and enumerator checks need 1 and 0.
        if dotIndex - ws > 3 { return .always }
        let word = UnsafeBufferPointer(start: out + ws, count: dotIndex - ws)
        if Abbreviations.lowercaseContinues.contains(where: { $0.elementsEqual(word) }) { return .unlessLowercase }
        if Abbreviations.never.contains(where: { $0.elementsEqual(word) }) { return .none }
        if word.count == 1 {
            let original = text[Int(offs[ws])]
            if ASCIIClass.isUpper(original) && original != UInt8(ascii: "I") { return .none }
        }
        if word.isEmpty {
            var ds = dotIndex
            while ds > 0 && ASCIIClass.isDigit(out[ds - 1]) { ds -= 1 }
            let digits = dotIndex - ds
            if digits >= 1 && digits <= 3 && Int32(ds) == sentenceStarts.last! { return .none }
        }
        return .always
    }
}

/// The abbreviations after which `.` plus whitespace does not end a sentence (lower-case, without the
/// final dot). Kept short on purpose: every entry is a guess about English prose.
enum Abbreviations {
    /// No break when the next word starts with an ASCII lower-case letter.
    static let lowercaseContinues: [[UInt8]] = ["e.g", "i.e", "etc"].map { Array($0.utf8) }
    /// Never a break.
    static let never: [[UInt8]] = ["vs", "mr", "mrs", "ms", "dr"].map { Array($0.utf8) }
}
