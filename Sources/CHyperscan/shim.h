// Vectorscan (Debian libvectorscan-dev) exposes the Hyperscan 5.4 API; pkg-config libhs adds -I/usr/include/hs.
#include <hs.h>

// afs_hs_scan: hs_scan, except on a CPU whose fat-runtime dispatch would pick Vectorscan's AVX-512 scan.
//
// Debian's libvectorscan5 5.4.9 dispatches hs_scan to avx512_hs_scan on CPUs with AVX-512, and that path
// misses matches depending on the text's address: the regex "[^"\n]{12,400}" over a 1,618-byte text
// from ../shared/data/contrast finds both matches at 47 of 64 buffer alignments and only one at the other
// 17, whatever the database's target features (tests: VectorscanAlignmentTests). It also reads the text as
// a C string through a leftover snprintf (docs/FUZZING.md). The library's AVX2 scan (exported by the
// same fat runtime as avx2_hs_scan) finds every match at every alignment, so afscan scans with it where
// the CPU has AVX2; elsewhere, and with a libhs that does not export it (a weak reference resolves to
// NULL), hs_scan as usual. AFSCAN_VECTORSCAN_DISPATCH=library (read once) keeps the library's choice.
#include <stdlib.h>
#include <string.h>

hs_error_t avx2_hs_scan(const hs_database_t *db, const char *data, unsigned int length, unsigned int flags,
                        hs_scratch_t *scratch, match_event_handler onEvent, void *context) __attribute__((weak));

typedef hs_error_t (*afs_hs_scan_fn)(const hs_database_t *, const char *, unsigned int, unsigned int, hs_scratch_t *,
                                     match_event_handler, void *);

static inline afs_hs_scan_fn afs_hs_scan_choice(void) {
    static afs_hs_scan_fn chosen;
    afs_hs_scan_fn f = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);
    if (f) return f;
    f = hs_scan;
#if defined(__x86_64__)
    const char *dispatch = getenv("AFSCAN_VECTORSCAN_DISPATCH");
    __builtin_cpu_init();
    if (avx2_hs_scan && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2")
        && !(dispatch && strcmp(dispatch, "library") == 0)) {
        f = avx2_hs_scan;
    }
#endif
    __atomic_store_n(&chosen, f, __ATOMIC_RELEASE);
    return f;
}

/// Whether afs_hs_scan avoids the library's AVX-512 scan on this machine (for `afscan bench` and tests).
static inline int afs_hs_scan_uses_avx2_workaround(void) { return afs_hs_scan_choice() != hs_scan; }

/// The platform afscan compiles databases for: this host's, without the AVX-512 features when afs_hs_scan
/// avoids the library's AVX-512 scan (the AVX2 scan must not be handed a database built for AVX-512: it
/// then misses matches, e.g. the default rules' example for ctx.echo.values_goals_motivations).
static inline void afs_hs_platform(hs_platform_info_t *platform) {
    hs_populate_platform(platform);
    if (afs_hs_scan_uses_avx2_workaround()) {
        platform->cpu_features &= ~(unsigned long long)(HS_CPU_FEATURES_AVX512 | HS_CPU_FEATURES_AVX512VBMI);
    }
}

/// hs_scan with the dispatch above; same arguments, same results and errors.
static inline hs_error_t afs_hs_scan(const hs_database_t *db, const char *data, unsigned int length, unsigned int flags,
                                     hs_scratch_t *scratch, match_event_handler onEvent, void *context) {
    return afs_hs_scan_choice()(db, data, length, flags, scratch, onEvent, context);
}
