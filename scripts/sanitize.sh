#!/usr/bin/env bash
# The whole test suite under a sanitizer, niced, in its own scratch path (docs/FUZZING.md records the
# results):
#
#   bash scripts/sanitize.sh address     # AddressSanitizer (+ LeakSanitizer) in .build-asan
#   bash scripts/sanitize.sh thread      # ThreadSanitizer in .build-tsan
#
# Extra arguments go to `swift test` (e.g. --filter RecordFramingTests). Exit status: swift test's.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
address) scratch=.build-asan ;;
thread) scratch=.build-tsan ;;
*)
    echo "usage: bash scripts/sanitize.sh address|thread [swift test arguments]" >&2
    exit 2
    ;;
esac
sanitizer="$1"
shift

nice -n 19 swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" 2>&1 \
    | grep -v 'ld.gold: warning: Cannot export local symbol' | tail -5
export AFSCAN_CACHE_DIR="${AFSCAN_TEST_CACHE_DIR:-$(mktemp -d)}"
[ -n "${AFSCAN_TEST_CACHE_DIR:-}" ] || trap 'rm -rf "$AFSCAN_CACHE_DIR"' EXIT
# check_printf=0: Debian's libvectorscan5 5.4.9 calls snprintf(buf, 255, "%s", data) on the scanned
# text in its AVX-512 scan path, reading past the text until a NUL byte (docs/FUZZING.md); ASan's printf
# interceptor reports that as a heap-buffer-overflow in libhs and ends the run. libhs is not afscan's code
# and is not instrumented; every other check stays on.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:check_printf=0}"
# Leaks LeakSanitizer gets wrong or that are not afscan's (see the file). print_suppressions=0: the
# "Suppressions used:" table would end the standard error of afscan processes that CLI tests compare
# exactly (as with TSan below).
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0}"
# TSan reports every race and exits 66 at the end when there was one. The false positives in the file are
# suppressed (Mutex critical sections, zero-sized values sharing an address). print_suppressions=0: with
# it on, every afscan process a CLI test starts ends its standard error with "ThreadSanitizer: Matched N
# suppressions", and the tests that require an exact or empty standard error (`-q`) fail on that line.
export TSAN_OPTIONS="${TSAN_OPTIONS:-suppressions=$PWD/scripts/tsan-suppressions.txt:print_suppressions=0}"
nice -n 19 swift test --skip-build --disable-swift-testing --sanitize="$sanitizer" --scratch-path "$scratch" "$@"
