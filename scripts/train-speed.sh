#!/usr/bin/env bash
# Times `afscan train` on 10,000 samples of ~2.8 KB (issue 9: "10,000 samples of ~3 KB train in under a
# minute on one core"). The samples are spliced from ../shared/data texts (seeded), so they are realistic
# in vocabulary and length; the labels are those of the first text's source.
#   scripts/train-speed.sh [AFSCAN_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
B="${1:-.build/release/afscan}"
DATA="${AFSCAN_DATA:-../shared/data}"
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
python3 - "$DATA" "$T/train10k.jsonl" <<'PY'
import json, random, sys
data, out = sys.argv[1], sys.argv[2]
rng = random.Random(7)
texts = []
for f in ["train/multistyle_labelled.jsonl", "contrast/compliant_contrast.jsonl", "dev/synthetic_labelled.jsonl", "dev/vocab_scrubbed_pairs.jsonl"]:
    for line in open(f"{data}/{f}"):
        r = json.loads(line); texts.append((r["text"], r["label"]))
size = 0
with open(out, "w") as o:
    for i in range(10000):
        (a, la), (b, _) = rng.choice(texts), rng.choice(texts)
        t = a[:2000] + "\n" + b[len(b) // 3:][:1200]
        size += len(t.encode())
        o.write(json.dumps({"id": f"s{i}", "text": t, "label": la}) + "\n")
print(f"10000 samples, mean {size / 10000:.0f} bytes", file=sys.stderr)
PY
for args in "" "--orders 1-1 --c 0.3 --min-df 1"; do
    echo "afscan train (defaults${args:+ + $args}):" >&2
    /usr/bin/time -f "  %e s wall, %U s user, peak RSS %M KB" taskset -c 0 "$B" train "$T/train10k.jsonl" \
        --reference label --positive alignment_faking -o "$T/m.json" -q $args
done
