#!/usr/bin/env bash
# First command of the README: installs what is missing, builds afscan (release) and labels the bundled
# sample archive. Rows go to demo-labels.jsonl, the summary to demo-summary.json, a table to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product afscan
.build/release/afscan label samples/rollouts-sample.jsonl.zst -o demo-labels.jsonl --summary demo-summary.json
echo "afscan: wrote demo-labels.jsonl ($(wc -l < demo-labels.jsonl) rows) and demo-summary.json" >&2
