// afscan's token stream: one pass over UTF-8 text that finds word, number and punctuation tokens, folds
// them (ASCII case, curly quotes, dashes, spaces) and hashes each token's folded text, with sentence
// boundaries. Offsets are half-open byte ranges into the text given, never into a normalized copy.
//
// The rules are those of `Normalizer` (Sources/Scratchpad) applied token by token:
// - a word token is a maximal run of word bytes: ASCII letters and digits, and every non-ASCII scalar that
//   is not folded to a space or to punctuation; U+00AD (soft hyphen) is transparent inside a word (it is
//   neither hashed nor a boundary); a byte that is not valid UTF-8 is a one-byte word character;
// - a word made only of ASCII digits is a number token (kind AFS_TOKEN_NUMBER);
// - every other non-space byte is one punctuation token; a folded scalar (curly quotes -> ' or ",
//   dashes and minus -> -, U+2026 -> "...") is one punctuation token whose hash is that of its fold;
// - spaces: ASCII space, tab, CR, LF, VT, FF, other control bytes, and the Unicode spaces of Normalizer.
// Sentences: a token starts a sentence when it is the first token, when a line break (LF, CR, VT, FF,
// U+2028, U+2029) lies between it and the previous token, or when the previous tokens end a sentence: a run
// of `.`, `!`, `?` (or `...`) optionally followed by closers `"` `'` `)` `]` `*`, then whitespace, unless
// the word before the run is a known abbreviation (e g i vs mr mrs ms dr etc) or one capital letter
// other than I (initials).
#ifndef AFSCAN_TOKENS_H
#define AFSCAN_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    AFS_TOKEN_WORD = 0,
    AFS_TOKEN_NUMBER = 1,
    AFS_TOKEN_PUNCT = 2,
};

enum {
    /// The token is the first of a sentence.
    AFS_TOKEN_SENTENCE_START = 1,
    /// Punctuation that ends a sentence when whitespace follows (`.`, `!`, `?`, `...`).
    AFS_TOKEN_TERMINAL = 2,
};

/// One token: `[start, end)` is a byte range into the text; `hash` is a 64-bit hash of the folded text
/// (`afs_hash_bytes` of the folded bytes); `kind` is an AFS_TOKEN_* kind; `flags` AFS_TOKEN_* flags.
typedef struct afs_token {
    uint64_t hash;
    uint32_t start;
    uint32_t end;
    uint8_t kind;
    uint8_t flags;
    uint8_t fold;      // for punctuation: the folded ASCII byte ('.' for "..."), else 0
    uint8_t reserved;
} afs_token;

/// Resumable tokenizer state over one text (a block may be several ranges of one field).
typedef struct afs_tokenizer {
    const uint8_t *text;
    size_t pos;        // next byte to read
    size_t end;        // end of the current range
    int sentence_pending;   // the next token starts a sentence
    int terminal_run;       // the tokens since the last word end a sentence if whitespace follows
    uint64_t last_word_hash;
    uint32_t last_word_len;
    int last_word_capital;  // the last word is a single ASCII capital letter other than I
    int force_scalar;       // tests: 1 takes the scalar path everywhere, 2 the baseline (SSE2) window path
                            // where an AVX2 one would be chosen
} afs_tokenizer;

/// Starts tokenizing `text[begin, end)`; the first token starts a sentence.
void afs_tokenizer_init(afs_tokenizer *t, const uint8_t *text, size_t begin, size_t end);

/// Continues with another range of the same text (e.g. after a cut-out region). The next token starts a
/// sentence (ranges never join words or sentences).
void afs_tokenizer_next_range(afs_tokenizer *t, size_t begin, size_t end);

/// Writes at most `capacity` tokens (capacity >= 64) into `out` and returns how many were written; 0 means
/// the range is exhausted. Tokens are in text order.
size_t afs_tokenize(afs_tokenizer *t, afs_token *out, size_t capacity);

/// The hash of `n` bytes as a token hash (the bytes must already be folded: ASCII lower case).
uint64_t afs_hash_bytes(const uint8_t *p, size_t n);

/// The hash of an n-gram whose previous (n-1)-gram hash is `prefix` and whose last token hash is `next`.
static inline uint64_t afs_hash_extend(uint64_t prefix, uint64_t next) {
    uint64_t x = (prefix ^ 0x2545F4914F6CDD1DULL) * 0x9E3779B97F4A7C15ULL + next;
    x ^= x >> 31; x *= 0xBF58476D1CE4E5B9ULL; x ^= x >> 27; x *= 0x94D049BB133111EBULL; x ^= x >> 31;
    return x;
}

#ifdef __cplusplus
}
#endif
#endif
