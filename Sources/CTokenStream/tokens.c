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
#define LEN_MIX 0xD6E8FEB86659FD93ULL
static inline uint64_t finish_mixed_len(uint64_t h, uint64_t nk) {
    h ^= nk;
    h ^= h >> 30; h *= 0xBF58476D1CE4E5B9ULL; h ^= h >> 27; h *= 0x94D049BB133111EBULL; h ^= h >> 31;
    return h;
}
static inline uint64_t finish(uint64_t h, uint64_t n) { return finish_mixed_len(h, n * LEN_MIX); }

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

typedef struct { uint64_t word, letter, brk, space, high; } masks;

// Classifies the 64 bytes at p and writes them, ASCII-lower-cased, to low[0, 64) (the window's words are
// hashed from that copy: no per-chunk case folding, and no load can run past the text).
__attribute__((always_inline)) static inline void classify64(const uint8_t *p, masks *m, uint8_t *low) {
    __m128i v[4];
    for (int k = 0; k < 4; k++) v[k] = _mm_loadu_si128((const __m128i *)(p + 16 * k));
    __m128i w[4], l[4], br[4], sp[4];
    for (int k = 0; k < 4; k++) {
        __m128i lower = _mm_or_si128(v[k], _mm_set1_epi8(0x20));
        __m128i d = in_range(v[k], '0', '9');
        __m128i u = in_range(v[k], 'A', 'Z');
        l[k] = in_range(lower, 'a', 'z');
        w[k] = _mm_or_si128(d, l[k]);
        br[k] = in_range(v[k], 0x0A, 0x0D);
        // spaces and control bytes: b <= 0x20 (as signed, 0x00..0x20) or 0x7F; high bytes are negative
        sp[k] = _mm_or_si128(_mm_and_si128(_mm_cmplt_epi8(v[k], _mm_set1_epi8(0x21)), _mm_cmpgt_epi8(v[k], _mm_set1_epi8(-1))),
                             _mm_cmpeq_epi8(v[k], _mm_set1_epi8(0x7F)));
        _mm_storeu_si128((__m128i *)(low + 16 * k), _mm_or_si128(v[k], _mm_and_si128(u, _mm_set1_epi8(0x20))));
    }
    m->word = movemask64(w[0], w[1], w[2], w[3]);
    m->letter = movemask64(l[0], l[1], l[2], l[3]);
    m->brk = movemask64(br[0], br[1], br[2], br[3]);
    m->space = movemask64(sp[0], sp[1], sp[2], sp[3]);
    m->high = movemask64(v[0], v[1], v[2], v[3]);
}

// The bytes of chunk 0 and chunk 1 of a token of `len` bytes: mask_lo[len] keeps min(len, 8) bytes,
// mask_hi[len] keeps min(max(len - 8, 0), 8) bytes.
#define MASK_BYTES(k) ((k) >= 8 ? ~0ULL : (k) <= 0 ? 0ULL : (~0ULL >> ((64 - 8 * (k)) & 63)))
#define ML(n) MASK_BYTES(n)
#define MH(n) MASK_BYTES((n) - 8)
#define ROW8(F, b) F(b), F(b + 1), F(b + 2), F(b + 3), F(b + 4), F(b + 5), F(b + 6), F(b + 7)
static const uint64_t mask_lo[65] = { ROW8(ML, 0), ROW8(ML, 8), ROW8(ML, 16), ROW8(ML, 24), ROW8(ML, 32), ROW8(ML, 40), ROW8(ML, 48), ROW8(ML, 56), ML(64) };
#define LK(n) ((uint64_t)(n) * LEN_MIX)
static const uint64_t len_mixed[65] = { ROW8(LK, 0), ROW8(LK, 8), ROW8(LK, 16), ROW8(LK, 24), ROW8(LK, 32), ROW8(LK, 40), ROW8(LK, 48), ROW8(LK, 56), LK(64) };
static const uint64_t mask_hi[65] = { ROW8(MH, 0), ROW8(MH, 8), ROW8(MH, 16), ROW8(MH, 24), ROW8(MH, 32), ROW8(MH, 40), ROW8(MH, 48), ROW8(MH, 56), MH(64) };

// Sentence classes of punctuation folds: 1 ends a sentence ('.', '!', '?'), 2 a closer.
static const uint8_t punct_class[256] = { ['.'] = 1, ['!'] = 1, ['?'] = 1, ['"'] = 2, ['\''] = 2, [')'] = 2, [']'] = 2, ['*'] = 2 };

static inline uint64_t load64(const uint8_t *p) { uint64_t c; memcpy(&c, p, 8); return c; }

// The sentence state after token `last` (emit's word fields depend only on the last token: bit 4 of
// word_info says it is a word, bit 2 that it began a sentence, word_start is its start).
static inline void state_after(sstate *q, const afs_token *last, uint32_t prev_info) {
    q->prev_end = last->end;
    if (last->kind == AFS_TOKEN_PUNCT) {
        q->word_info = (int)(prev_info & ~4u);
    } else {
        q->word_start = last->start;
        q->word_info = 1 | 4 | ((last->flags & AFS_TOKEN_SENTENCE_START) ? 2 : 0);
    }
}

// emit() for a token of a window that the fast path does not take, with the state rebuilt from the
// window's previous token (out[-1]) when there is one.
__attribute__((noinline)) static void emit_slow(sstate *q, afs_token *out, int have_prev, size_t s, size_t e, uint64_t h,
                                                uint8_t kind, uint8_t fold) {
    if (have_prev) state_after(q, out - 1, (uint32_t)q->word_info);
    emit(q, out, s, e, h, kind, fold);
}

// Emits the tokens of the all-ASCII window [pos, pos+64) whose lower-cased bytes are low[0, 64) (low has
// 16 more readable bytes after them). Returns the number written; advances pos to the window's end
// (at most t->end), or to the start of a word that runs past it (the next window starts there).
//
// A punctuation token is hashed as a one-byte word (punct_hash(b) = afs_hash_bytes(&b, 1), and case
// folding leaves punctuation alone), so words and punctuation share one branch-free path; words of up
// to 16 bytes hash without a loop. The sentence state machine (emit) runs only when a sentence is
// pending, a terminal run is open or the token is '.', '!' or '?': for every other token emit() would
// write flags 0 and keep "nothing pending, no run", and its word fields follow from the last token
// written, so the fast path only writes the token (state_after rebuilds the fields when needed).
__attribute__((always_inline)) static inline size_t window(afs_tokenizer *t, const masks *m, const uint8_t *low, afs_token *out) {
    const uint64_t nonword = ~m->word;
    uint64_t toks = (m->word & (nonword << 1 | 1)) | (nonword & ~m->space);
    uint64_t brk = m->brk;
    const uint64_t letters = m->letter;
    const size_t base = t->pos;
    sstate q; load_state(&q, t);
    int pending = q.sentence_pending, run = q.terminal_run;
    afs_token *o = out;
    while (toks) {
        unsigned s = (unsigned)__builtin_ctzll(toks);
        uint64_t upto = toks ^ (toks - 1);   // bits 0...s (a line break is never at a token's first byte)
        toks &= toks - 1;
        pending |= (brk & upto) != 0;
        brk &= ~upto;
        uint64_t rest = nonword >> s;
        if (__builtin_expect(rest == 0, 0)) {   // the word runs past the window: the next window starts at it
            t->pos = base + s;
            goto done;
        }
        unsigned isp = (unsigned)(rest & 1);
        unsigned len = (unsigned)__builtin_ctzll(rest) + isp;   // 1 for punctuation (ctz is 0 there)
        const uint8_t *w = low + s;
        uint64_t c0 = load64(w);
        uint64_t h = mix_chunk(SEED, c0 & mask_lo[len]);
        uint64_t h2 = mix_chunk(h, load64(w + 8) & mask_hi[len]);
        h = len > 8 ? h2 : h;
        if (__builtin_expect(len > 16, 0))
            for (unsigned k = 16; k < len; k += 8) h = mix_chunk(h, load64(w + k) & mask_lo[len - k]);
        h = finish_mixed_len(h, len_mixed[len]);   // = finish(h, len)
        unsigned number = ((letters >> s) & ((1ULL << len) - 1)) == 0;   // len < 64 here
        uint8_t kind = (uint8_t)(number + isp);   // punctuation has no letter: 1 + 1 = AFS_TOKEN_PUNCT
        uint8_t fold = (uint8_t)((uint8_t)c0 & (0u - isp));
        size_t abs_s = base + s, abs_e = abs_s + len;
        if (__builtin_expect((pending | run | (punct_class[fold] & 1)) == 0, 1)) {
            // one store per field group: hash; start and end; kind, flags 0, fold, reserved 0
            uint64_t range = (uint64_t)(uint32_t)abs_s | (uint64_t)abs_e << 32;
            uint32_t tail = (uint32_t)kind | (uint32_t)fold << 16;
            o->hash = h;
            memcpy(&o->start, &range, 8);
            memcpy(&o->kind, &tail, 4);
        } else {
            q.sentence_pending = pending; q.terminal_run = run;
            emit_slow(&q, o, o != out, abs_s, abs_e, h, kind, fold);
            pending = q.sentence_pending; run = q.terminal_run;
        }
        o++;
    }
    // separators after the last token
    if (brk) pending = 1;
    t->pos = base + 64 < t->end ? base + 64 : t->end;
done:
    q.sentence_pending = pending; q.terminal_run = run;
    if (o != out) state_after(&q, o - 1, (uint32_t)q.word_info);
    store_state(&q, t);
    return (size_t)(o - out);
}

// The window loop; compiled twice (baseline x86-64 and AVX2+BMI2, chosen at run time) through the
// always-inline helpers above. Both compile the same C, so they produce the same tokens.
__attribute__((always_inline)) static inline size_t tokenize_windows(afs_tokenizer *t, afs_token *out, size_t capacity) {
    size_t n = 0;
    uint8_t low[64 + 16] = {0};
    uint8_t pad[64];
    while (t->pos < t->end && n + 64 <= capacity) {
        const uint8_t *src = t->text + t->pos;
        size_t avail = t->end - t->pos;
        if (avail < 64) {   // the range's last bytes, padded with spaces (which end a word and make no token)
            memcpy(pad, src, avail);
            memset(pad + avail, ' ', 64 - avail);
            src = pad;
        }
        masks m;
        classify64(src, &m, low);
        // A window never starts inside a word that began before it.
        if (m.high != 0) {
            // Non-ASCII at byte L: the window path takes the ASCII tokens before it. Bytes from L on
            // read as one word, so the token that reaches L "runs past the window" and the window stops
            // at its start; the scalar path takes that token (with its non-ASCII scalars) next.
            unsigned first_high = (unsigned)__builtin_ctzll(m.high);
            if (first_high == 0) {
                if (scalar_one(t, out + n)) n++;
                continue;
            }
            uint64_t below = (1ULL << first_high) - 1;
            m.word = (m.word & below) | ~below;
            m.space &= below;
            m.brk &= below;
        }
        size_t before = t->pos;
        size_t k = window(t, &m, low, out + n);
        n += k;
        // k == 0 with pos unchanged: a word starts at pos and runs past the window (or reaches the
        // non-ASCII byte): the scalar path takes it
        if (k == 0 && t->pos == before && scalar_one(t, out + n)) n++;
    }
    return n;
}

static size_t tokenize_baseline(afs_tokenizer *t, afs_token *out, size_t capacity) {
    return tokenize_windows(t, out, capacity);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define AFS_HAVE_AVX2_PATH 1
__attribute__((target("avx2,bmi,bmi2,lzcnt,popcnt"))) static size_t tokenize_avx2(afs_tokenizer *t, afs_token *out, size_t capacity) {
    return tokenize_windows(t, out, capacity);
}
#endif

// 0 unknown, 1 baseline, 2 AVX2+BMI2
static int simd_level;

static size_t tokenize_simd(afs_tokenizer *t, afs_token *out, size_t capacity) {
#if defined(AFS_HAVE_AVX2_PATH)
    int level = __atomic_load_n(&simd_level, __ATOMIC_RELAXED);
    if (level == 0) {
        __builtin_cpu_init();
        level = (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2")) ? 2 : 1;
        __atomic_store_n(&simd_level, level, __ATOMIC_RELAXED);
    }
    if (level == 2 && t->force_scalar != 2) return tokenize_avx2(t, out, capacity);
#endif
    return tokenize_baseline(t, out, capacity);
}
#endif

size_t afs_tokenize(afs_tokenizer *t, afs_token *out, size_t capacity) {
#if defined(__SSE2__)
    if (t->force_scalar != 1) return tokenize_simd(t, out, capacity);
#endif
    size_t n = 0;
    while (t->pos < t->end && n + 64 <= capacity)
        if (scalar_one(t, out + n)) n++;
    return n;
}
