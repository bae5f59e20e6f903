#!/usr/bin/env bash
# Rebuilds the default AF model from ../shared/data (byte-for-byte reproducible: same data, same bytes).
#   scripts/train-default-model.sh [OUT]        (default OUT: models/default-af.json)
# The configuration was chosen by leave-one-file-out AUROC over the six labelled files (docs/QUALITY.md,
# "The learned model"): word unigrams of the reasoning, sublinear TF-IDF, C = 0.3, min_df 1, and
# paper_excerpts (labels from the paper's own classifier, cut at 1,000 characters: the noisiest source,
# ../shared/data/README.md) held out of training with weight 0 — it is still scored out of fold.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${AFSCAN_DATA:-../shared/data}"
OUT="${1:-models/default-af.json}"
B="${AFSCAN_BIN:-.build/release/afscan}"
[ -x "$B" ] || swift build -c release --product afscan >&2
mkdir -p "$(dirname "$OUT")"
"$B" train \
    "$DATA/dev/paper_excerpts.jsonl" "$DATA/dev/synthetic_labelled.jsonl" "$DATA/dev/vocab_scrubbed_pairs.jsonl" \
    "$DATA/dev/vocab_free.jsonl" "$DATA/contrast/compliant_contrast.jsonl" "$DATA/train/multistyle_labelled.jsonl" \
    --reference label --positive alignment_faking --target af.goal_guarding \
    --orders 1-1 --c 0.3 --min-df 1 --folds 5 --seed 1 --bootstrap 1000 \
    --file-weight paper_excerpts.jsonl=0 \
    -o "$OUT"

# The embedded copy follows the committed file.
if [ "$OUT" = models/default-af.json ]; then scripts/embed-default-model.sh; fi
