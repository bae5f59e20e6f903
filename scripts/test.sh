#!/usr/bin/env bash
# Second command of the README (and what CI runs): installs what is missing, then builds and runs every
# test. Tests that read ../shared/data skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
# The tests compile many small rule sets: keep their compiled databases out of the user's cache.
export AFSCAN_CACHE_DIR="${AFSCAN_TEST_CACHE_DIR:-$(mktemp -d)}"
[ -n "${AFSCAN_TEST_CACHE_DIR:-}" ] || trap 'rm -rf "$AFSCAN_CACHE_DIR"' EXIT
# Every test is XCTest; without --disable-swift-testing, swift test ends with a second, empty run
# ("Test run with 0 tests in 0 suites passed") that reads as if nothing ran.
swift test --skip-build --disable-swift-testing
