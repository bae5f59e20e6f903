// The literal-prefilter design for afscan's first pass, measured outside afscan against the one-database
// first pass it would replace (docs/BENCHMARKS.md, "Why the 1-core target is out of reach").
// Built and fed by `scripts/pattern_sweep.sh ARCHIVE prefilter [MAX_SET]`. Inputs in the current directory:
// patterns.txt (one expression per line), text.bin (normalized text blocks, each ended by a NUL byte) and
// literals.tsv ("INDEX<TAB>LITERAL" from scripts/literal_factors.py: every match of pattern INDEX contains
// one of its literals; an empty LITERAL means the pattern has none and is always scanned).
// Prints, best of 5 scans of all blocks each:
//   full        one database of all patterns (afscan's first pass today)
//   literals    one database of all the literals alone (the prefilter without any confirmation)
//   exact       literals, then each pattern with a literal hit in a block scanned over that block alone,
//               plus the always-scanned patterns; checked block by block against `full` (same match count)
//   windowed    literals, then each hit's pattern scanned over the 256 bytes around the hit only: an
//               optimistic floor for any confirm-in-a-window design (not exact, so not checked)
#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_PATTERNS = 1024, MAX_BLOCKS = 1 << 20, MAX_LITERALS = 1 << 16, REPS = 5, HALF_WINDOW = 128 };
static char *patterns[MAX_PATTERNS];
static int pattern_count;
static hs_database_t *single[MAX_PATTERNS];
static int always[MAX_PATTERNS];
static char *literals[MAX_LITERALS];
static unsigned literal_pattern[MAX_LITERALS];
static int literal_count;
static char *text;
static size_t text_length, starts[MAX_BLOCKS], lengths[MAX_BLOCKS];
static int block_count;
static long full_matches[MAX_BLOCKS];
static long matches, literal_hits, confirms;
// Per block: the candidate patterns (a literal of theirs was seen), deduplicated by `is_candidate`.
static unsigned char is_candidate[MAX_PATTERNS];
static int candidates[MAX_PATTERNS], candidate_count;
// Windowed variant: every literal hit (pattern, end offset) of the block.
static unsigned hit_pattern[1 << 20];
static unsigned long long hit_end[1 << 20];
static int hit_count;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
    (void)id; (void)from; (void)to; (void)flags; (void)ctx;
    matches++;
    return 0;
}

static int on_literal(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
    (void)from; (void)flags; (void)ctx;
    literal_hits++;
    unsigned p = literal_pattern[id];
    if (!is_candidate[p]) { is_candidate[p] = 1; candidates[candidate_count++] = (int)p; }
    if (hit_count < (int)(sizeof hit_end / sizeof hit_end[0])) { hit_pattern[hit_count] = p; hit_end[hit_count] = to; hit_count++; }
    return 0;
}

static hs_database_t *compile(const char **expressions, unsigned count, const unsigned *ids) {
    unsigned *flags = malloc(count * sizeof *flags);
    for (unsigned i = 0; i < count; i++) flags[i] = HS_FLAG_CASELESS;
    hs_database_t *db;
    hs_compile_error_t *error;
    if (hs_compile_multi(expressions, flags, ids, count, HS_MODE_BLOCK, NULL, &db, &error) != HS_SUCCESS) {
        fprintf(stderr, "hs_compile_multi: %s (expression %d)\n", error->message, error->expression);
        exit(1);
    }
    free(flags);
    return db;
}

// A literal as an expression: ASCII letters and digits as they are, every other byte as \xHH.
static char *escaped(const char *s) {
    char *out = malloc(strlen(s) * 4 + 1), *p = out;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) *p++ = (char)c;
        else p += sprintf(p, "\\x%02x", c);
    }
    *p = 0;
    return out;
}

static char *read_file(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END); *length = (size_t)ftell(f); fseek(f, 0, SEEK_SET);
    char *bytes = malloc(*length + 1);
    if (fread(bytes, 1, *length, f) != *length) { perror(path); exit(1); }
    bytes[*length] = 0;
    fclose(f);
    return bytes;
}

int main(void) {
    if (hs_valid_platform() != HS_SUCCESS) { fprintf(stderr, "hs_prefilter: Vectorscan needs SSE4.2\n"); return 2; }
    size_t n;
    for (char *line = strtok(read_file("patterns.txt", &n), "\n"); line && pattern_count < MAX_PATTERNS; line = strtok(NULL, "\n"))
        patterns[pattern_count++] = line;
    char *tsv = read_file("literals.tsv", &n);
    for (char *line = tsv; *line;) {
        char *end = strchr(line, '\n'), *tab = strchr(line, '\t');
        if (end) *end = 0;
        if (!tab) break;
        *tab = 0;
        int p = atoi(line);
        if (!tab[1]) always[p] = 1;
        else if (literal_count < MAX_LITERALS) { literals[literal_count] = escaped(tab + 1); literal_pattern[literal_count++] = (unsigned)p; }
        if (!end) break;
        line = end + 1;
    }
    text = read_file("text.bin", &text_length);
    size_t start = 0;
    for (size_t i = 0; i < text_length && block_count < MAX_BLOCKS; i++)
        if (text[i] == 0) { starts[block_count] = start; lengths[block_count] = i - start; block_count++; start = i + 1; }

    unsigned ids[MAX_PATTERNS];
    const char *always_expressions[MAX_PATTERNS];
    unsigned always_ids[MAX_PATTERNS], always_count = 0;
    for (int i = 0; i < pattern_count; i++) {
        ids[i] = (unsigned)i;
        single[i] = compile((const char **)&patterns[i], 1, &ids[i]);
        if (always[i]) { always_expressions[always_count] = patterns[i]; always_ids[always_count++] = (unsigned)i; }
    }
    hs_database_t *full = compile((const char **)patterns, (unsigned)pattern_count, ids);
    hs_database_t *always_db = always_count ? compile(always_expressions, always_count, always_ids) : NULL;
    unsigned *literal_ids = malloc((size_t)literal_count * sizeof *literal_ids);
    for (int i = 0; i < literal_count; i++) literal_ids[i] = (unsigned)i;
    hs_database_t *literal_db = compile((const char **)literals, (unsigned)literal_count, literal_ids);
    hs_scratch_t *scratch = NULL;
    hs_alloc_scratch(full, &scratch);
    hs_alloc_scratch(literal_db, &scratch);
    if (always_db) hs_alloc_scratch(always_db, &scratch);
    for (int i = 0; i < pattern_count; i++) hs_alloc_scratch(single[i], &scratch);
    printf("%d patterns (%u without a required literal), %d literals, %zu bytes of text in %d blocks\n",
           pattern_count, always_count, literal_count, text_length, block_count);

    for (int mode = 0; mode < 4; mode++) {
        double best = 1e30;
        long differing = 0;
        for (int rep = 0; rep < REPS; rep++) {
            matches = literal_hits = confirms = differing = 0;
            double t0 = now();
            for (int b = 0; b < block_count; b++) {
                const char *block = text + starts[b];
                unsigned length = (unsigned)lengths[b];
                long before = matches;
                if (mode == 0) { hs_scan(full, block, length, 0, scratch, on_match, NULL); full_matches[b] = matches - before; continue; }
                candidate_count = hit_count = 0;
                hs_scan(literal_db, block, length, 0, scratch, on_literal, NULL);
                for (int k = 0; k < candidate_count; k++) is_candidate[candidates[k]] = 0;
                if (mode == 1) continue;
                if (always_db) hs_scan(always_db, block, length, 0, scratch, on_match, NULL);
                if (mode == 2) {
                    for (int k = 0; k < candidate_count; k++) { confirms++; hs_scan(single[candidates[k]], block, length, 0, scratch, on_match, NULL); }
                    if (matches - before != full_matches[b]) differing++;
                } else {
                    for (int k = 0; k < hit_count; k++) {
                        unsigned long long lo = hit_end[k] > HALF_WINDOW ? hit_end[k] - HALF_WINDOW : 0;
                        unsigned long long hi = hit_end[k] + HALF_WINDOW < length ? hit_end[k] + HALF_WINDOW : length;
                        confirms++;
                        hs_scan(single[hit_pattern[k]], block + lo, (unsigned)(hi - lo), 0, scratch, on_match, NULL);
                    }
                }
            }
            double dt = now() - t0;
            if (dt < best) best = dt;
        }
        static const char *names[] = {"full", "literals", "exact", "windowed"};
        printf("%-9s %.4f s  %7.1f MB/s of text", names[mode], best, text_length / best / 1e6);
        if (mode == 0) printf("  %ld matches\n", matches);
        else if (mode == 1) printf("  %ld literal hits\n", literal_hits);
        else if (mode == 2) printf("  %ld matches, %.1f candidate patterns per block, %ld blocks differ from full\n", matches, (double)confirms / block_count, differing);
        else printf("  %ld confirmations of %d-byte windows\n", confirms, 2 * HALF_WINDOW);
    }
    return 0;
}
