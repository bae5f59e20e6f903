import CTokenStream

/// One token of a `TokenStream`: a word, number or punctuation token with its byte range and the hash of
/// its folded text.
public typealias Token = afs_token

extension Token {
    /// Half-open byte range into the text that was tokenized (the field's decoded UTF-8, never a
    /// normalized copy).
    @inlinable public var range: Range<Int> { Int(start)..<Int(end) }
    /// A maximal run of word characters that is not all ASCII digits.
    @inlinable public var isWord: Bool { kind == UInt8(AFS_TOKEN_WORD) }
    /// A maximal run of ASCII digits.
    @inlinable public var isNumber: Bool { kind == UInt8(AFS_TOKEN_NUMBER) }
    /// One punctuation scalar (`fold` holds its ASCII fold).
    @inlinable public var isPunctuation: Bool { kind == UInt8(AFS_TOKEN_PUNCT) }
    /// The first token of a sentence.
    @inlinable public var startsSentence: Bool { flags & UInt8(AFS_TOKEN_SENTENCE_START) != 0 }
}

/// The token stream of a block: one pass over UTF-8 text (a C shim: SSE2 bit masks over 64-byte windows
/// of ASCII text, a scalar path for the rest) that yields word, number and punctuation tokens with byte
/// offsets into the field, sentence starts and a 64-bit hash of each token's folded text.
///
/// Folding (the `Normalizer`'s, token by token): ASCII letters to lower case; curly quotes, primes and
/// « » to `'` / `"`; dashes and the minus sign to `-`; `…` to one `.` token; soft hyphens are transparent.
/// Spaces are ASCII whitespace, other control bytes and the Unicode spaces of `Normalizer`. A word token
/// is a maximal run of ASCII letters/digits and non-ASCII scalars that fold to neither space nor
/// punctuation; a word of ASCII digits only is a number token.
///
/// Sentences: a token starts a sentence when it is the first of a range, when a line break lies between
/// it and the previous token, or after a run of `.` `!` `?` (plus closers `"` `'` `)` `]` `*`) followed by
/// whitespace — unless the word before the run is `e`, `g`, `i`, `vs`, `mr`, `mrs`, `ms`, `dr`, `etc`, a
/// single capital letter other than `I`, or a 1–3 digit number that begins its sentence.
///
/// Memory: tokens are 24 bytes each, in a `TokenBuffer` reused per worker.
public enum TokenStream {
    /// The tokens of `ranges` of `text` (see `TokenBuffer.tokenize`), as an array.
    public static func tokens(_ text: [UInt8], ranges: [Range<Int>]? = nil, path: TokenPath = .fastest) -> [Token] {
        let buffer = TokenBuffer()
        text.withUnsafeBufferPointer { buffer.tokenize($0, ranges: ranges ?? [0..<text.count], path: path) }
        return Array(buffer.tokens)
    }

    /// The hash `TokenStream` gives a token whose folded text is `text` (ASCII lower case, one word or one
    /// punctuation character), e.g. to look up a known word.
    public static func hash(_ text: String) -> UInt64 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { afs_hash_bytes($0.baseAddress, $0.count) }
    }

    /// The folded text of `token` in `text`: the bytes ASCII-lower-cased with soft hyphens removed, or the
    /// fold of a punctuation token.
    public static func foldedText(of token: Token, in text: UnsafeBufferPointer<UInt8>) -> String {
        if token.isPunctuation { return String(UnicodeScalar(token.fold)) }
        var out: [UInt8] = []
        out.reserveCapacity(Int(token.end - token.start))
        var i = Int(token.start)
        let end = Int(token.end)
        while i < end {
            let b = text[i]
            if b == 0xC2, i + 1 < end, text[i + 1] == 0xAD { i += 2; continue }
            out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Which implementation of the token stream runs; all give the same tokens.
public enum TokenPath: Int32, Sendable, CaseIterable {
    /// The fastest this CPU has (AVX2+BMI2 windows on x86-64 where available, else SSE2 windows).
    case fastest = 0
    /// Byte by byte (the reference).
    case scalar = 1
    /// SSE2 windows (the x86-64 baseline: what a CPU without AVX2 runs).
    case baselineSIMD = 2
}

/// A reusable, growable token array (one per worker: not thread-safe).
public final class TokenBuffer {
    private var storage: UnsafeMutablePointer<Token>
    private var capacity: Int
    /// Tokens written by the last `tokenize`.
    public private(set) var count = 0

    public init(capacity: Int = 4096) {
        self.capacity = Swift.max(capacity, 256)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// The tokens of the last `tokenize`, valid until the next call.
    public var tokens: UnsafeBufferPointer<Token> { UnsafeBufferPointer(start: storage, count: count) }

    /// Replaces the contents with the tokens of `ranges` of `text` (ascending, non-overlapping), in order.
    /// Each range starts a new sentence; words never join across two ranges.
    /// - Precondition: every range lies within `0...text.count`, and `text.count < UInt32.max`.
    /// `path` chooses the implementation (every path gives the same tokens; tests compare them).
    public func tokenize(_ text: UnsafeBufferPointer<UInt8>, ranges: [Range<Int>], path: TokenPath = .fastest) {
        count = 0
        guard let base = text.baseAddress else { return }
        precondition(text.count < Int(UInt32.max), "TokenStream: text of \(text.count) bytes exceeds 32-bit offsets")
        var state = afs_tokenizer()
        var first = true
        for r in ranges where !r.isEmpty {
            precondition(r.lowerBound >= 0 && r.upperBound <= text.count, "TokenStream: range \(r) outside 0..<\(text.count)")
            if first {
                afs_tokenizer_init(&state, base, r.lowerBound, r.upperBound)
                state.force_scalar = path.rawValue
                first = false
            } else {
                afs_tokenizer_next_range(&state, r.lowerBound, r.upperBound)
            }
            while true {
                if capacity - count < 256 { grow() }
                let written = afs_tokenize(&state, storage + count, capacity - count)
                if written == 0 { break }
                count += written
            }
        }
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Token>.allocate(capacity: capacity * 2)
        bigger.initialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}
