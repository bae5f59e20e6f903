#!/usr/bin/env bash
# How the Vectorscan first pass of the default rules scales with the number of patterns, outside afscan
# (docs/BENCHMARKS.md, "Why the 1-core target is out of reach with this rule set").
#
#   scripts/pattern_sweep.sh ARCHIVE [sweep STEP | loo | groups K | prefilter [MAX_SET]]   (default: sweep 10)
#
# sweep/loo/groups: scripts/hs_sweep.c (one database, growing or leaving one pattern out; or the patterns
# split into 1..K databases). prefilter: the
# literal-prefilter design instead of one database (scripts/literal_factors.py derives each pattern's
# required literals, sets of at most MAX_SET strings, default 64; scripts/hs_prefilter.c measures it).
#
# RULES=FILE in the environment: that rule file's patterns instead of the default rules' (e.g. a cut of
# scripts/lean_rules.py).
#
# Writes into a temporary directory: patterns.txt (the reasoning-scope patterns of `afscan rules dump`,
# literals escaped as afscan does), text.bin (the scratchpad/output text of the first 600 records of
# ARCHIVE, a .zst or plain JSONL file, taken from `output`, else the last message, else `text`;
# lower-cased with straight quotes and single spaces: close to afscan's normalizer), then builds the
# C harness against libhs and runs it. Needs python3 with PyYAML, gcc, zstd, libvectorscan-dev.
set -euo pipefail
ARCHIVE=$(realpath "$1"); shift
[ -z "${RULES:-}" ] || RULES=$(realpath "$RULES")
cd "$(dirname "$0")/.."
MODE=(${@:-sweep 10})
B=.build/release/afscan
[ -x "$B" ] || swift build -c release
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
if [ -n "${RULES:-}" ]; then cp "$RULES" "$W/rules.yaml"; else $B rules dump > "$W/rules.yaml"; fi
python3 - "$W" <<'PY'
import sys, yaml
w = sys.argv[1]
rules = yaml.safe_load(open(w + "/rules.yaml"))["rules"]
out = []
for r in rules:
    if r.get("scope", "reasoning") not in ("reasoning", "any"):
        continue
    for spec in r["strings"].values():
        if "regex" in spec:
            out.append(spec["regex"])
        else:
            out.append("".join(c if c.isascii() and c.isalnum() else "".join("\\x%02x" % b for b in c.encode()) for c in spec["literal"]))
open(w + "/patterns.txt", "w").write("\n".join(out) + "\n")
PY
{ zstdcat -f "$ARCHIVE" 2>/dev/null || true; } | head -n 600 | python3 -c '
import json, re, sys
out = open(sys.argv[1] + "/text.bin", "wb")
fold = {"\u2019": "'"'"'", "\u2018": "'"'"'", "\u201c": "\"", "\u201d": "\"", "\u2014": "-", "\u2013": "-"}
for line in sys.stdin:
    r = json.loads(line)
    text = r.get("output") or (r["messages"][-1]["content"] if "messages" in r else r["text"])
    text = re.sub(r"\s+", " ", "".join(fold.get(c, c) for c in text.lower()))
    for block in re.split(r"</?scratchpad_reasoning>|</?output>", text):
        if block.strip():
            out.write(block.strip().encode() + b"\0")
' "$W"
if [ "${MODE[0]}" = prefilter ]; then
    python3 scripts/literal_factors.py "$W/patterns.txt" "$W/literals.tsv" "${MODE[1]:-64}"
    gcc -O2 -o "$W/hs_prefilter" scripts/hs_prefilter.c $(pkg-config --cflags --libs libhs)
    cd "$W" && ./hs_prefilter
else
    gcc -O2 -o "$W/hs_sweep" scripts/hs_sweep.c $(pkg-config --cflags --libs libhs)
    cd "$W" && ./hs_sweep "${MODE[@]}"
fi
