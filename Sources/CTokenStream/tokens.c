// afscan's token stream (see include/afscan_tokens.h for the rules). Two paths produce identical tokens:
// a scalar path that handles every byte, and, on x86-64, an SSE2 path that classifies 64 bytes at a time
// into bit masks and emits the tokens of an all-ASCII window with bit scans (most scratchpad text is
// ASCII). `force_scalar` makes tests compare the two.
#include "afscan_tokens.h"
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define M1 0x9E3779B97F4A7C15ULL
#define SEED 0x243F6A8885A308D3ULL

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t mix_chunk(uint64_t h, uint64_t c) { return rotl64((h ^ c) * M1, 29); }
static inline uint64_t finish(uint64_t h, uint64_t n) {
    h ^= n * 0xD6E8FEB86659FD93ULL;
    h ^= h >> 30; h *= 0xBF58476D1CE4E5B9ULL; h ^= h >> 27; h *= 0x94D049BB133111EBULL; h ^= h >> 31;
    return h;
}

uint64_t afs_hash_bytes(const uint8_t *p, size_t n) {
    uint64_t h = SEED;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) { uint64_t c; memcpy(&c, p + i, 8); h = mix_chunk(h, c); }
    if (i < n) { uint64_t c = 0; memcpy(&c, p + i, n - i); h = mix_chunk(h, c); }
    return finish(h, n);
}

// Streaming form of afs_hash_bytes for the scalar path (bytes arrive one at a time).
typedef struct { uint64_t h, chunk; uint32_t fill, n; } hasher;
static inline void hasher_init(hasher *s) { s->h = SEED; s->chunk = 0; s->fill = 0; s->n = 0; }
static inline void hasher_byte(hasher *s, uint8_t b) {
    s->chunk |= (uint64_t)b << (8 * s->fill);
    s->n++;
    if (++s->fill == 8) { s->h = mix_chunk(s->h, s->chunk); s->chunk = 0; s->fill = 0; }
}
static inline uint64_t hasher_done(hasher *s) {
    uint64_t h = s->h;
    if (s->fill) h = mix_chunk(h, s->chunk);
    return finish(h, s->n);
}

// ---- classification of non-ASCII scalars (mirrors Scratchpad's ScalarFold) ----
enum { F_KEEP, F_SPACE, F_BREAK, F_PUNCT, F_REMOVE };
static inline int classify(const uint8_t *p, size_t i, size_t end, size_t *len, uint8_t *fold) {
    uint8_t b0 = p[i];
    size_t l = b0 < 0xC0 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
    if (i + l > end) { *len = end - i; return F_KEEP; }
    *len = l;
    if (b0 == 0xC2) {
        uint8_t b1 = p[i + 1];
        if (b1 == 0xA0) return F_SPACE;
        if (b1 == 0xAD) return F_REMOVE;
        if (b1 == 0x85) return F_BREAK;
        if (b1 == 0xAB || b1 == 0xBB) { *fold = '"'; return F_PUNCT; }
        return F_KEEP;
    }
    if (b0 == 0xE2) {
        uint8_t b1 = p[i + 1], b2 = p[i + 2];
        if (b1 == 0x80) {
            if ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xAF) return F_SPACE;
            if (b2 == 0xA8 || b2 == 0xA9) return F_BREAK;
            if (b2 >= 0x90 && b2 <= 0x95) { *fold = '-'; return F_PUNCT; }
            if ((b2 >= 0x98 && b2 <= 0x9B) || b2 == 0xB2) { *fold = '\''; return F_PUNCT; }
            if ((b2 >= 0x9C && b2 <= 0x9F) || b2 == 0xB3) { *fold = '"'; return F_PUNCT; }
            if (b2 == 0xA6) { *fold = '.'; return F_PUNCT; }
            return F_KEEP;
        }
        if (b1 == 0x81 && b2 == 0x9F) return F_SPACE;
        if (b1 == 0x88 && b2 == 0x92) { *fold = '-'; return F_PUNCT; }
        return F_KEEP;
    }
    if (b0 == 0xE3) return (p[i + 1] == 0x80 && p[i + 2] == 0x80) ? F_SPACE : F_KEEP;
    if (b0 == 0xEF) {
        uint8_t b1 = p[i + 1], b2 = p[i + 2];
        if ((b1 == 0xB9 && (b2 == 0x98 || b2 == 0xA3)) || (b1 == 0xBC && b2 == 0x8D)) { *fold = '-'; return F_PUNCT; }
    }
    return F_KEEP;
}

static inline int is_alnum(uint8_t b) { return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'); }
static inline int is_space(uint8_t b) { return b <= 0x20 || b == 0x7F; }   // spaces and control bytes
static inline int is_break(uint8_t b) { return b >= 0x0A && b <= 0x0D; }
static inline int is_terminal(uint8_t b) { return b == '.' || b == '!' || b == '?'; }
static inline int is_closer(uint8_t b) { return b == '"' || b == '\'' || b == ')' || b == ']' || b == '*'; }

// ---- sentence state, shared by both paths ----
// State fields: sentence_pending (a line break or a range start was seen), terminal_run (0 none, 1 the
// run ends a sentence if whitespace follows, 2 the run follows an abbreviation), last token end (for
// adjacency) kept in last_word_len's sibling fields below.

typedef struct { size_t prev_end; int have_prev; } adj_state;

// Is the word text[s, e) an abbreviation that a following '.' does not end a sentence after?
static int abbreviation(const uint8_t *text, size_t s, size_t e, int first_in_sentence) {
    size_t n = e - s;
    if (n == 1) {
        uint8_t c = text[s];
        if (c >= 'A' && c <= 'Z' && c != 'I') return 1;               // initials
        if (c == 'e' || c == 'E' || c == 'g' || c == 'G' || c == 'i') return 1;  // e.g. i.e.
    }
    if (first_in_sentence && n <= 3) {                                 // list enumerators: "2. Then"
        int digits = 1;
        for (size_t k = s; k < e; k++) if (text[k] < '0' || text[k] > '9') digits = 0;
        if (digits) return 1;
    }
    if (n >= 2 && n <= 3) {
        char w[4] = {0};
        for (size_t k = 0; k < n; k++) w[k] = (char)(text[s + k] | 0x20);
        if (!strcmp(w, "vs") || !strcmp(w, "mr") || !strcmp(w, "mrs") || !strcmp(w, "ms") || !strcmp(w, "dr") || !strcmp(w, "etc"))
            return 1;
    }
    return 0;
}

// Private fields live in the public struct's spare members: we reuse last_word_hash for the previous
// token end and last_word_len/last_word_capital for the last word's range.
#define PREV_END(t) ((t)->last_word_hash)
#define WORD_START(t) ((t)->last_word_len)
#define WORD_INFO(t) ((t)->last_word_capital)   // bit 0: a word was seen; bit 1: it began a sentence; bit 2: the previous token was that word

typedef struct { const uint8_t *text; uint64_t prev_end; uint32_t word_start; int word_info, sentence_pending, terminal_run; } sstate;
static inline void load_state(sstate *q, const afs_tokenizer *t) {
    q->text = t->text; q->prev_end = PREV_END(t); q->word_start = WORD_START(t); q->word_info = WORD_INFO(t);
    q->sentence_pending = t->sentence_pending; q->terminal_run = t->terminal_run;
}
static inline void store_state(const sstate *q, afs_tokenizer *t) {
    PREV_END(t) = q->prev_end; WORD_START(t) = q->word_start; WORD_INFO(t) = q->word_info;
    t->sentence_pending = q->sentence_pending; t->terminal_run = q->terminal_run;
}
static inline void emit(sstate *t, afs_token *out, size_t s, size_t e, uint64_t h, uint8_t kind, uint8_t fold) {
    int adjacent = (t->prev_end == s) && !t->sentence_pending;
    uint8_t flags = 0;
    if (t->sentence_pending || (t->terminal_run == 1 && !adjacent)) flags |= AFS_TOKEN_SENTENCE_START;
    t->sentence_pending = 0;
    if (flags) t->terminal_run = 0;
    int prev_was_word = (t->word_info & 4) != 0;
    if (kind == AFS_TOKEN_PUNCT) {
        if (fold == '.' || fold == '!' || fold == '?') {
            flags |= AFS_TOKEN_TERMINAL;
            if (t->terminal_run && adjacent) {
                // still inside the run
            } else if (prev_was_word && adjacent && abbreviation(t->text, t->word_start, (size_t)t->prev_end, (t->word_info & 2) != 0)) {
                t->terminal_run = 2;
            } else {
                t->terminal_run = 1;
            }
        } else if (is_closer(fold) && t->terminal_run && adjacent) {
            // closers after a terminal run keep it
        } else {
            t->terminal_run = 0;
        }
        t->word_info &= ~4;
    } else {
        t->terminal_run = 0;
        t->word_start = (uint32_t)s;
        t->word_info = 1 | 4 | ((flags & AFS_TOKEN_SENTENCE_START) ? 2 : 0);
    }
    out->hash = h; out->start = (uint32_t)s; out->end = (uint32_t)e;
    out->kind = kind; out->flags = flags; out->fold = fold; out->reserved = 0;
    t->prev_end = e;
}

void afs_tokenizer_init(afs_tokenizer *t, const uint8_t *text, size_t begin, size_t end) {
    memset(t, 0, sizeof *t);
    t->text = text;
    afs_tokenizer_next_range(t, begin, end);
}

void afs_tokenizer_next_range(afs_tokenizer *t, size_t begin, size_t end) {
    t->pos = begin;
    t->end = end;
    t->sentence_pending = 1;
    t->terminal_run = 0;
    WORD_INFO(t) = 0;
    PREV_END(t) = (uint64_t)-1;
}

static inline uint64_t punct_hash(uint8_t b) { return finish(mix_chunk(SEED, b), 1); }

// One token (or the rest of the range's separators) on the scalar path. Returns 1 when a token was written.
static inline void emit_t(afs_tokenizer *t, afs_token *out, size_t s, size_t e, uint64_t h, uint8_t kind, uint8_t fold) {
    sstate q; load_state(&q, t); emit(&q, out, s, e, h, kind, fold); store_state(&q, t);
}

static int scalar_one(afs_tokenizer *t, afs_token *out) {
    const uint8_t *p = t->text;
    size_t i = t->pos, end = t->end;
    while (i < end) {
        uint8_t b = p[i];
        if (b < 0x80) {
            if (!is_space(b)) break;
            if (is_break(b)) t->sentence_pending = 1;
            i++;
            continue;
        }
        size_t len; uint8_t fold = 0;
        int c = classify(p, i, end, &len, &fold);
        if (c == F_SPACE) { i += len; PREV_END(t) = (uint64_t)-1; continue; }
        if (c == F_BREAK) { i += len; t->sentence_pending = 1; continue; }
        if (c == F_REMOVE) { i += len; continue; }
        break;
    }
    if (i >= end) { t->pos = i; return 0; }
    size_t s = i;
    uint8_t b = p[i];
    if (b < 0x80 && !is_alnum(b)) {
        t->pos = i + 1;
        emit_t(t, out, s, i + 1, punct_hash(b), AFS_TOKEN_PUNCT, b);
        return 1;
    }
    if (b >= 0x80) {
        size_t len; uint8_t fold = 0;
        if (classify(p, i, end, &len, &fold) == F_PUNCT) {
            t->pos = i + len;
            emit_t(t, out, s, i + len, punct_hash(fold), AFS_TOKEN_PUNCT, fold);
            return 1;
        }
    }
    // a word
    hasher hs; hasher_init(&hs);
    int digits = 1;
    size_t last = i;   // end of the last hashed byte (a trailing soft hyphen is not part of the word)
    while (i < end) {
        b = p[i];
        if (b < 0x80) {
            if (!is_alnum(b)) break;
            if (b < '0' || b > '9') digits = 0;
            hasher_byte(&hs, (b >= 'A' && b <= 'Z') ? (uint8_t)(b | 0x20) : b);
            i++; last = i;
            continue;
        }
        size_t len; uint8_t fold = 0;
        int c = classify(p, i, end, &len, &fold);
        if (c == F_REMOVE) { i += len; continue; }
        if (c != F_KEEP) break;
        digits = 0;
        for (size_t k = 0; k < len; k++) hasher_byte(&hs, p[i + k]);
        i += len; last = i;
    }
    t->pos = i;
    emit_t(t, out, s, last, hasher_done(&hs), digits ? AFS_TOKEN_NUMBER : AFS_TOKEN_WORD, 0);
    return 1;
}

#if defined(__SSE2__)
static inline uint64_t movemask64(__m128i a, __m128i b, __m128i c, __m128i d) {
    return (uint64_t)(uint16_t)_mm_movemask_epi8(a) | ((uint64_t)(uint16_t)_mm_movemask_epi8(b) << 16) |
           ((uint64_t)(uint16_t)_mm_movemask_epi8(c) << 32) | ((uint64_t)(uint16_t)_mm_movemask_epi8(d) << 48);
}

// Bytes in [lo, hi] (signed compares: all bytes here are ASCII, < 0x80).
static inline __m128i in_range(__m128i v, char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)(lo - 1))), _mm_cmplt_epi8(v, _mm_set1_epi8((char)(hi + 1))));
}

typedef struct { uint64_t word, digit, upper, brk, space, high; } masks;

static inline void classify64(const uint8_t *p, masks *m) {
    __m128i v[4];
    for (int k = 0; k < 4; k++) v[k] = _mm_loadu_si128((const __m128i *)(p + 16 * k));
    __m128i w[4], d[4], u[4], br[4], sp[4];
    for (int k = 0; k < 4; k++) {
        __m128i lower = _mm_or_si128(v[k], _mm_set1_epi8(0x20));
        d[k] = in_range(v[k], '0', '9');
        u[k] = in_range(v[k], 'A', 'Z');
        w[k] = _mm_or_si128(d[k], in_range(lower, 'a', 'z'));
        br[k] = in_range(v[k], 0x0A, 0x0D);
        // spaces and control bytes: b <= 0x20 (as signed, 0x00..0x20) or 0x7F; high bytes are negative
        sp[k] = _mm_or_si128(_mm_and_si128(_mm_cmplt_epi8(v[k], _mm_set1_epi8(0x21)), _mm_cmpgt_epi8(v[k], _mm_set1_epi8(-1))),
                             _mm_cmpeq_epi8(v[k], _mm_set1_epi8(0x7F)));
    }
    m->word = movemask64(w[0], w[1], w[2], w[3]);
    m->digit = movemask64(d[0], d[1], d[2], d[3]);
    m->upper = movemask64(u[0], u[1], u[2], u[3]);
    m->brk = movemask64(br[0], br[1], br[2], br[3]);
    m->space = movemask64(sp[0], sp[1], sp[2], sp[3]);
    m->high = movemask64(v[0], v[1], v[2], v[3]);
}

static inline uint64_t load_lower(const uint8_t *p, size_t n, const uint8_t *limit) {
    uint64_t c = 0;
    if (p + 8 <= limit) { memcpy(&c, p, 8); } else { memcpy(&c, p, (size_t)(limit - p) < 8 ? (size_t)(limit - p) : 8); }
    if (n < 8) c &= (1ULL << (8 * n)) - 1;
    // ASCII upper case -> lower case: lanes in 'A'..'Z' get 0x20
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t ge_a = (c + ones * (0x80 - 'A')) & highs;
    uint64_t gt_z = (c + ones * (0x80 - 'Z' - 1)) & highs;
    c |= (ge_a & ~gt_z) >> 2;
    return c;
}

// Emits the tokens of the all-ASCII window [pos, pos+64). Returns the number written; advances pos to the
// window's end, or to the start of a word that runs past it (the scalar path finishes that word).
static size_t window(afs_tokenizer *t, const masks *m, afs_token *out) {
    const uint8_t *p = t->text + t->pos;
    const uint8_t *limit = t->text + t->end;
    uint64_t W = m->word;
    uint64_t starts = W & ~(W << 1);
    uint64_t punct = ~W & ~m->space;
    uint64_t toks = starts | punct;
    size_t n = 0;
    size_t gap_from = 0;   // window-relative start of the current gap
    sstate q; load_state(&q, t);
    const size_t base = t->pos;
    while (toks) {
        unsigned s = (unsigned)__builtin_ctzll(toks);
        toks &= toks - 1;
        uint64_t below = (s == 0) ? 0 : (~0ULL >> (64 - s));
        uint64_t gap = below & ~((gap_from == 0) ? 0 : (~0ULL >> (64 - gap_from)));
        if (m->brk & gap) q.sentence_pending = 1;
        size_t abs_s = base + s;
        if (punct >> s & 1) {
            uint8_t b = p[s];
            emit(&q, out + n, abs_s, abs_s + 1, punct_hash(b), AFS_TOKEN_PUNCT, b);
            n++;
            gap_from = s + 1;
            continue;
        }
        uint64_t rest = ~W >> s;
        if (rest == 0) {   // the word runs past the window: leave it to the scalar path
            store_state(&q, t);
            t->pos = abs_s;
            return n;
        }
        unsigned len = (unsigned)__builtin_ctzll(rest);
        uint64_t h = SEED;
        for (unsigned k = 0; k < len; k += 8) h = mix_chunk(h, load_lower(p + s + k, len - k, limit));
        h = finish(h, len);
        uint64_t lenmask = (len == 64) ? ~0ULL : ((1ULL << len) - 1);
        int number = ((m->digit >> s) & lenmask) == lenmask;
        emit(&q, out + n, abs_s, abs_s + len, h, number ? AFS_TOKEN_NUMBER : AFS_TOKEN_WORD, 0);
        n++;
        gap_from = s + len;
    }
    // separators after the last token
    uint64_t tail = (gap_from >= 64) ? 0 : (~0ULL << gap_from);
    if (m->brk & tail) q.sentence_pending = 1;
    store_state(&q, t);
    t->pos = base + 64;
    return n;
}
#endif

size_t afs_tokenize(afs_tokenizer *t, afs_token *out, size_t capacity) {
    size_t n = 0;
    while (t->pos < t->end && n + 64 <= capacity) {
#if defined(__SSE2__)
        if (!t->force_scalar && t->pos + 64 <= t->end) {
            masks m;
            classify64(t->text + t->pos, &m);
            // A window is taken when it is all ASCII and does not start inside a word that began before it.
            if (m.high == 0) {
                size_t before = t->pos;
                size_t k = window(t, &m, out + n);
                n += k;
                // k == 0 with pos unchanged: a word starts at pos and runs past the window
                if (k == 0 && t->pos == before && scalar_one(t, out + n)) n++;
                continue;
            }
        }
#endif
        if (scalar_one(t, out + n)) n++;
    }
    return n;
}
