// afscan's n-gram counting kernel: looks up a sample's n-gram hashes in a model's vocabulary table and
// counts the distinct in-vocabulary n-grams, with software prefetching (the table is larger than L1/L2
// caches hold next to a record's other data; a probe is a likely cache miss, and independent probes can
// overlap when their slots are requested ahead).
#ifndef AFSCAN_NGRAMS_H
#define AFSCAN_NGRAMS_H

#include <stddef.h>
#include <stdint.h>

#include "afscan_tokens.h"

#ifdef __cplusplus
extern "C" {
#endif

/// One n-gram occurrence: its hash (as `NgramScanner` computes it) and its first and last token index.
typedef struct afs_gram {
    uint64_t hash;
    int32_t first;
    int32_t last;
} afs_gram;

/// Which n-grams `afs_ngrams` takes (`FeatureSpec`, plus the hashes it needs).
typedef struct afs_ngram_spec {
    int min_order;          // 1...5
    int max_order;          // min_order...5
    int punctuation;        // punctuation tokens take part (else they are skipped and n-grams span them)
    int fold_numbers;       // a number token reads as the token "0"
    uint64_t salt;          // XORed into the first token's hash (keeps blocks apart)
    uint64_t zero_hash;     // the token hash of "0"
    uint64_t open_bracket;  // the token hashes of "[" and "]"
    uint64_t close_bracket;
    uint64_t placeholder_words[5];   // token hashes that mark a bracketed placeholder
} afs_ngram_spec;

/// Writes the n-gram occurrences of `tokens[0, n)` to `out` (room for `n * (max_order - min_order + 1)`),
/// in order of the last token, shorter n-grams first, and returns how many. An n-gram is a run of
/// consecutive feature tokens (words and numbers, plus punctuation when asked) within one sentence; a
/// placeholder — `[` … `]` within one sentence, at most 24 tokens after the `[`, holding one of the
/// placeholder words — is skipped whole and n-grams do not span it. Hashes: a unigram is
/// `afs_hash_extend(h ^ salt, 1)`; an n-gram of n ≥ 2 is `afs_hash_extend(… afs_hash_extend(h1 ^ salt, h2) …, hn)`.
size_t afs_ngrams(const afs_token *tokens, size_t n, const afs_ngram_spec *spec, afs_gram *out);

/// One slot of a worker's counting table: the vocabulary key (0 = empty; a hash of 0 is stored as 1), and
/// the count of the key in the sample whose generation is `gen` (a slot whose `gen` differs counts 0).
typedef struct afs_count_slot {
    uint64_t key;
    uint32_t gen;
    uint32_t count;
} afs_count_slot;

/// An in-vocabulary occurrence: the slot of its n-gram, the caller's block number and its token range.
typedef struct afs_gram_hit {
    uint32_t slot;
    int32_t block;
    int32_t first;
    int32_t last;
} afs_gram_hit;

/// Counts `grams[0, n)` into `slots` (a power-of-two table, `mask` = slot count − 1, linear probing from
/// slot `(key >> 7) & mask`, at least one empty slot). A found slot whose `gen` is not `gen` starts at count
/// 1 and its index is appended to `present` (first occurrence order); otherwise its count grows by one
/// (saturating at UINT32_MAX). When `hits` is not NULL, every found occurrence is appended to it with
/// `block`. The caller provides room: `present` for every slot, `hits` for `n` more entries.
/// `*present_count` and `*hit_count` are advanced.
void afs_count_grams(const afs_gram *grams, size_t n, afs_count_slot *slots, size_t mask, uint32_t gen,
                     uint32_t *present, size_t *present_count,
                     afs_gram_hit *hits, size_t *hit_count, int32_t block);

/// The TF-IDF values of a sample's features: for k < n, `features[k]` = the feature index of slot
/// `present[k]` (`slot_feature`), `values[k]` = (1 + ln count) · idf[feature] (`sublinear[count]` for
/// count < 256, which must hold 1 + ln c). Returns Σ values[k]², summed in k order.
double afs_tfidf(const uint32_t *present, size_t n, const afs_count_slot *slots, const int32_t *slot_feature,
                 const double *idf, const double *sublinear, int32_t *features, double *values);

/// One target's logit: `bias + Σ (w[features[k]] · values[k]) · scale`, summed in k order (no fused
/// multiply-add: the same doubles as the scalar Swift expression); `contributions[k]` = w[features[k]] · values[k].
double afs_linear(const int32_t *features, const double *values, size_t n, const double *w, double scale, double bias,
                  double *contributions);

/// Membership of `hashes[0, n)` in a set of 64-bit hashes kept as an open-addressing table (`slots`,
/// `mask` = slot count − 1, key 0 = empty, home slot `(h · 0x9E3779B97F4A7C15) >> shift`, linear probing;
/// the hash 0 is a member iff `has_zero`): `found[i]` = 1 or 0, with the slots of later hashes prefetched
/// (the prompt-echo sets of recent system prompts are rarely in cache).
void afs_set_probe(const uint64_t *hashes, size_t n, const uint64_t *slots, size_t mask, unsigned shift, int has_zero,
                   uint8_t *found);

#ifdef __cplusplus
}
#endif
#endif
