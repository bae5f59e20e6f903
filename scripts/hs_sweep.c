// First-pass cost of the default rules' patterns in one Vectorscan block-mode database, outside afscan:
// how it grows with the number of patterns, and what leaving each pattern out saves.
// Built and fed by scripts/pattern_sweep.sh (see docs/BENCHMARKS.md, "Why the 1-core target is out of
// reach"). Input: patterns.txt (one expression per line, compiled HS_FLAG_CASELESS like afscan's first
// pass) and text.bin (blocks of normalized text, each ended by a NUL byte) in the current directory.
// Usage: hs_sweep sweep STEP | hs_sweep loo | hs_sweep groups K      Times are the best of 5 scans of all
// blocks. `groups K`: the patterns split into 1..K databases (contiguous or interleaved), each block
// scanned by every one of them, to see whether several smaller databases beat one large one.
#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_PATTERNS = 1024, MAX_BLOCKS = 1 << 20, REPS = 5 };
static char *patterns[MAX_PATTERNS];
static int pattern_count;
static char *text;
static size_t text_length, starts[MAX_BLOCKS], lengths[MAX_BLOCKS];
static int block_count;
static long matches;

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
    (void)id; (void)from; (void)to; (void)flags; (void)ctx;
    matches++;
    return 0;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Best-of-REPS seconds to scan every block with patterns [0, count) minus `skip` (-1: none).
static double scan_seconds(int count, int skip) {
    const char *expressions[MAX_PATTERNS];
    unsigned flags[MAX_PATTERNS], ids[MAX_PATTERNS];
    int n = 0;
    for (int i = 0; i < count; i++) {
        if (i == skip) continue;
        expressions[n] = patterns[i]; flags[n] = HS_FLAG_CASELESS; ids[n] = (unsigned)i; n++;
    }
    hs_database_t *db; hs_compile_error_t *error;
    if (hs_compile_multi(expressions, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &error) != HS_SUCCESS) {
        fprintf(stderr, "hs_compile_multi: %s\n", error->message);
        exit(1);
    }
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) { fprintf(stderr, "hs_alloc_scratch failed\n"); exit(1); }
    double best = 1e30;
    for (int rep = 0; rep < REPS; rep++) {
        matches = 0;
        double t0 = now();
        for (int b = 0; b < block_count; b++) hs_scan(db, text + starts[b], (unsigned)lengths[b], 0, scratch, on_match, NULL);
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    hs_free_scratch(scratch);
    hs_free_database(db);
    return best;
}

// Best-of-REPS seconds to scan every block with the patterns split into `k` databases: pattern i goes to
// database i % k (`interleave`) or to the i-th of k contiguous runs.
static double group_seconds(int k, int interleave) {
    hs_database_t *dbs[64];
    hs_scratch_t *scratch = NULL;
    for (int g = 0; g < k; g++) {
        const char *expressions[MAX_PATTERNS];
        unsigned flags[MAX_PATTERNS], ids[MAX_PATTERNS];
        int n = 0;
        for (int i = 0; i < pattern_count; i++) {
            int group = interleave ? i % k : (int)((long)i * k / pattern_count);
            if (group != g) continue;
            expressions[n] = patterns[i]; flags[n] = HS_FLAG_CASELESS; ids[n] = (unsigned)i; n++;
        }
        hs_compile_error_t *error;
        if (hs_compile_multi(expressions, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &dbs[g], &error) != HS_SUCCESS) {
            fprintf(stderr, "hs_compile_multi: %s\n", error->message);
            exit(1);
        }
        if (hs_alloc_scratch(dbs[g], &scratch) != HS_SUCCESS) { fprintf(stderr, "hs_alloc_scratch failed\n"); exit(1); }
    }
    double best = 1e30;
    for (int rep = 0; rep < REPS; rep++) {
        matches = 0;
        double t0 = now();
        for (int b = 0; b < block_count; b++)
            for (int g = 0; g < k; g++) hs_scan(dbs[g], text + starts[b], (unsigned)lengths[b], 0, scratch, on_match, NULL);
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    for (int g = 0; g < k; g++) hs_free_database(dbs[g]);
    hs_free_scratch(scratch);
    return best;
}

int main(int argc, char **argv) {
    if (argc < 2 || hs_valid_platform() != HS_SUCCESS) { fprintf(stderr, "usage: hs_sweep sweep STEP | loo | groups K (needs SSE4.2)\n"); return 2; }
    FILE *f = fopen("patterns.txt", "r");
    if (!f) { perror("patterns.txt"); return 1; }
    static char line[1 << 16];
    while (pattern_count < MAX_PATTERNS && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        patterns[pattern_count++] = strdup(line);
    }
    fclose(f);
    f = fopen("text.bin", "rb");
    if (!f) { perror("text.bin"); return 1; }
    fseek(f, 0, SEEK_END); text_length = (size_t)ftell(f); fseek(f, 0, SEEK_SET);
    text = malloc(text_length);
    if (fread(text, 1, text_length, f) != text_length) { perror("text.bin"); return 1; }
    fclose(f);
    size_t start = 0;
    for (size_t i = 0; i < text_length && block_count < MAX_BLOCKS; i++)
        if (text[i] == 0) { starts[block_count] = start; lengths[block_count] = i - start; block_count++; start = i + 1; }

    double all = scan_seconds(pattern_count, -1);
    printf("all %d patterns: %.4f s, %.1f MB/s of text (%zu bytes, %d blocks), %ld matches\n",
           pattern_count, all, text_length / all / 1e6, text_length, block_count, matches);
    if (strcmp(argv[1], "sweep") == 0 && argc > 2) {
        int step = atoi(argv[2]);
        for (int n = step; n < pattern_count; n += step) {
            double t = scan_seconds(n, -1);
            printf("first %d patterns: %.4f s, %.1f MB/s\n", n, t, text_length / t / 1e6);
        }
    } else if (strcmp(argv[1], "groups") == 0 && argc > 2) {
        int most = atoi(argv[2]);
        for (int k = 1; k <= most && k <= 64; k++) {
            double contiguous = group_seconds(k, 0), interleaved = group_seconds(k, 1);
            printf("%d databases: contiguous %.1f MB/s, interleaved %.1f MB/s\n", k,
                   text_length / contiguous / 1e6, text_length / interleaved / 1e6);
            fflush(stdout);
        }
    } else if (strcmp(argv[1], "loo") == 0) {
        // The full database is re-measured next to each leave-one-out database, so a noisy stretch of
        // the machine affects both sides of each difference alike.
        for (int i = 0; i < pattern_count; i++) {
            double base = scan_seconds(pattern_count, -1);
            double t = scan_seconds(pattern_count, i);
            printf("without pattern %d: saves %.4f s (%.1f %%)\n", i, base - t, 100 * (base - t) / base);
            fflush(stdout);
        }
    }
    return 0;
}
