#!/usr/bin/env bash
# Second command of the README (and what CI runs): installs what is missing, then builds and runs every
# test. Tests that read ../shared/data skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
