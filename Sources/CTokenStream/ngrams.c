// The n-gram counting kernel (see afscan_ngrams.h).
#include "afscan_ngrams.h"

#include <math.h>

// How many grams ahead a slot is prefetched: enough to cover an L2/L3 latency at a few ns per gram.
#define AFS_PREFETCH_AHEAD 8

// The index of the `]` that closes a placeholder opened at `open`, or -1.
static ptrdiff_t placeholder_end(const afs_token *tokens, size_t n, size_t open, const afs_ngram_spec *spec) {
    int marked = 0;
    for (size_t j = open + 1; j < n && j <= open + 24; j++) {
        const afs_token *t = &tokens[j];
        if (t->flags & AFS_TOKEN_SENTENCE_START) return -1;
        if (t->kind == AFS_TOKEN_PUNCT && t->hash == spec->close_bracket) return marked ? (ptrdiff_t)j : -1;
        if (t->kind == AFS_TOKEN_PUNCT && t->hash == spec->open_bracket) return -1;
        for (int w = 0; w < 5; w++) marked |= t->hash == spec->placeholder_words[w];
    }
    return -1;
}

size_t afs_ngrams(const afs_token *tokens, size_t n, const afs_ngram_spec *spec, afs_gram *out) {
    const int min_order = spec->min_order, max_order = spec->max_order;
    const uint64_t salt = spec->salt, zero = spec->zero_hash, open = spec->open_bracket;
    size_t m = 0;
    if (max_order == 1) {
        for (size_t i = 0; i < n; i++) {
            const afs_token *t = &tokens[i];
            if (t->kind == AFS_TOKEN_PUNCT) {
                if (t->hash == open) {
                    ptrdiff_t close = placeholder_end(tokens, n, i, spec);
                    if (close >= 0) { i = (size_t)close; continue; }
                }
                if (!spec->punctuation) continue;
            }
            const uint64_t h = (t->kind == AFS_TOKEN_NUMBER && spec->fold_numbers) ? zero : t->hash;
            out[m].hash = afs_hash_extend(h ^ salt, 1);
            out[m].first = out[m].last = (int32_t)i;
            m++;
        }
        return m;
    }
    // The hashes and token indices of the last max_order feature tokens of the current sentence
    // (hist[0] is the newest).
    uint64_t hist[5] = {0, 0, 0, 0, 0};
    int32_t idx[5] = {0, 0, 0, 0, 0};
    int filled = 0;
    for (size_t i = 0; i < n; i++) {
        const afs_token *t = &tokens[i];
        if (t->flags & AFS_TOKEN_SENTENCE_START) filled = 0;
        if (t->kind == AFS_TOKEN_PUNCT) {
            if (t->hash == open) {
                ptrdiff_t close = placeholder_end(tokens, n, i, spec);
                if (close >= 0) { filled = 0; i = (size_t)close; continue; }
            }
            if (!spec->punctuation) continue;
        }
        const uint64_t h = (t->kind == AFS_TOKEN_NUMBER && spec->fold_numbers) ? zero : t->hash;
        for (int k = 4; k > 0; k--) { hist[k] = hist[k - 1]; idx[k] = idx[k - 1]; }
        hist[0] = h;
        idx[0] = (int32_t)i;
        if (filled < max_order) filled++;
        // the n-gram of order k ends at i and starts k - 1 feature tokens back
        if (min_order == 1) {
            out[m].hash = afs_hash_extend(h ^ salt, 1);
            out[m].first = out[m].last = (int32_t)i;
            m++;
        }
        for (int k = 2; k <= max_order && k <= filled; k++) {
            uint64_t g = hist[k - 1] ^ salt;
            for (int j = k - 2; j >= 0; j--) g = afs_hash_extend(g, hist[j]);
            if (k >= min_order) {
                out[m].hash = g;
                out[m].first = idx[k - 1];
                out[m].last = (int32_t)i;
                m++;
            }
        }
    }
    return m;
}

static inline uint64_t table_key(uint64_t h) { return h == 0 ? 1 : h; }

void afs_count_grams(const afs_gram *grams, size_t n, afs_count_slot *slots, size_t mask, uint32_t gen,
                     uint32_t *present, size_t *present_count,
                     afs_gram_hit *hits, size_t *hit_count, int32_t block) {
    size_t np = *present_count, nh = *hit_count;
    for (size_t i = 0; i < n && i < AFS_PREFETCH_AHEAD; i++) {
        __builtin_prefetch(&slots[(table_key(grams[i].hash) >> 7) & mask], 1, 3);
    }
    for (size_t i = 0; i < n; i++) {
        if (i + AFS_PREFETCH_AHEAD < n) {
            __builtin_prefetch(&slots[(table_key(grams[i + AFS_PREFETCH_AHEAD].hash) >> 7) & mask], 1, 3);
        }
        const uint64_t k = table_key(grams[i].hash);
        size_t s = (size_t)(k >> 7) & mask;
        for (;;) {
            const uint64_t key = slots[s].key;
            if (key == k) break;
            if (key == 0) goto next;
            s = (s + 1) & mask;
        }
        if (slots[s].gen != gen) {
            slots[s].gen = gen;
            slots[s].count = 1;
            present[np++] = (uint32_t)s;
        } else if (slots[s].count != UINT32_MAX) {
            slots[s].count++;
        }
        if (hits) {
            hits[nh].slot = (uint32_t)s;
            hits[nh].block = block;
            hits[nh].first = grams[i].first;
            hits[nh].last = grams[i].last;
            nh++;
        }
    next:;
    }
    *present_count = np;
    *hit_count = nh;
}

// The sums below must give the doubles the scalar Swift code gave: no contraction into fused multiply-adds.
#pragma STDC FP_CONTRACT OFF

double afs_tfidf(const uint32_t *present, size_t n, const afs_count_slot *slots, const int32_t *slot_feature,
                 const double *idf, const double *sublinear, int32_t *features, double *values) {
    for (size_t k = 0; k < n; k++) features[k] = slot_feature[present[k]];
    for (size_t k = 0; k < n && k < AFS_PREFETCH_AHEAD; k++) __builtin_prefetch(&idf[features[k]], 0, 3);
    double norm = 0;
    for (size_t k = 0; k < n; k++) {
        if (k + AFS_PREFETCH_AHEAD < n) __builtin_prefetch(&idf[features[k + AFS_PREFETCH_AHEAD]], 0, 3);
        const uint32_t c = slots[present[k]].count;
        const double tf = c < 256 ? sublinear[c] : 1 + log((double)c);
        const double v = tf * idf[features[k]];
        values[k] = v;
        norm += v * v;
    }
    return norm;
}

double afs_linear(const int32_t *features, const double *values, size_t n, const double *w, double scale, double bias,
                  double *contributions) {
    for (size_t k = 0; k < n && k < AFS_PREFETCH_AHEAD; k++) __builtin_prefetch(&w[features[k]], 0, 3);
    double z = bias;
    for (size_t k = 0; k < n; k++) {
        if (k + AFS_PREFETCH_AHEAD < n) __builtin_prefetch(&w[features[k + AFS_PREFETCH_AHEAD]], 0, 3);
        const double c = w[features[k]] * values[k];
        contributions[k] = c;
        z += c * scale;
    }
    return z;
}

static inline size_t set_home(uint64_t h, unsigned shift) { return (size_t)((h * 0x9E3779B97F4A7C15ULL) >> shift); }

void afs_set_probe(const uint64_t *hashes, size_t n, const uint64_t *slots, size_t mask, unsigned shift, int has_zero,
                   uint8_t *found) {
    for (size_t i = 0; i < n && i < AFS_PREFETCH_AHEAD; i++) __builtin_prefetch(&slots[set_home(hashes[i], shift)], 0, 3);
    for (size_t i = 0; i < n; i++) {
        if (i + AFS_PREFETCH_AHEAD < n) __builtin_prefetch(&slots[set_home(hashes[i + AFS_PREFETCH_AHEAD], shift)], 0, 3);
        const uint64_t h = hashes[i];
        int member = 0;
        if (h == 0) {
            member = has_zero != 0;
        } else {
            for (size_t s = set_home(h, shift);; s = (s + 1) & mask) {
                const uint64_t v = slots[s];
                if (v == h) { member = 1; break; }
                if (v == 0) break;
            }
        }
        found[i] = (uint8_t)member;
    }
}
