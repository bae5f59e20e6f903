#!/usr/bin/env bash
# The measurements behind docs/BENCHMARKS.md "Latest figures" (issues 4 and 9), in one sequential run.
# Run it on an idle machine; it takes ~15 minutes and writes nothing into the repository.
#
#   scripts/bench-report.sh [DIR]     # archives are generated into DIR (default /tmp) when missing
#
# Prints: `afscan bench` on the scratchpad-heavy and the long-system-prompt archive (1 core, ratio to
# zstd -dc, per-stage split), 3 alternating 1-core / 2-core / zstd -dc runs (wall, CPU, peak RSS), the
# two-processes-at-once control for the 2-core figure, peak RSS at 4 GB, and the Python peer.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp}
B=.build/release/afscan
[ -x "$B" ] || swift build -c release
SP1G=$DIR/sp1g.jsonl.zst LONG1G=$DIR/long1g.jsonl.zst SP4G=$DIR/sp4g.jsonl.zst
[ -f "$SP1G" ] || $B generate -o "$SP1G" --size 1GB --seed 7 --system-prompt-kb 6-8 --frame-bytes 8MB
[ -f "$LONG1G" ] || $B generate -o "$LONG1G" --size 1GB --seed 7
[ -f "$SP4G" ] || $B generate -o "$SP4G" --size 4GB --seed 9 --system-prompt-kb 6-8 --frame-bytes 8MB
T="/usr/bin/time -f"
echo "== $(date -u) $(git log --oneline -1) load: $(cat /proc/loadavg)"
echo "== bench, scratchpad-heavy, 1 core (default: built-in model, --criteria candidates)"; taskset -c 0 $B bench "$SP1G" -j 1
echo "== bench, scratchpad-heavy, 1 core, --criteria none"; taskset -c 0 $B bench "$SP1G" -j 1 --criteria none
echo "== bench, scratchpad-heavy, 1 core, --criteria none --explain-terms 0 (rows without the n-gram list)"
taskset -c 0 $B bench "$SP1G" -j 1 --criteria none --explain-terms 0
echo "== share of records that reach the criteria (default mode)"
$B label -j 2 -q "$SP1G" -o - | python3 -c 'import json,sys
n=r=0
for l in sys.stdin:
    n+=1; r+=json.loads(l).get("flags",{}).get("criteria")=="ran"
print(f"criteria ran on {r} of {n} records ({100*r/max(n,1):.1f}%)")'
echo "== bench, long system prompts, 1 core"; taskset -c 0 $B bench "$LONG1G" -j 1
for i in 1 2 3; do
  $T "label-j1-1core %e s wall %U s user %S s sys %M KB peak" taskset -c 0 $B label -j 1 -q "$SP1G" -o /dev/null
  $T "label-j2-2cores %e s wall %U s user %S s sys %M KB peak" taskset -c 0,1 $B label -j 2 -q "$SP1G" -o /dev/null
  $T "zstd-dc-1core %e s wall %U s user %S s sys" taskset -c 0 zstd -qdc "$SP1G" -o /dev/null
done
echo "== control: two independent 1-core label processes at once (cross-core interference)"
$T "A %e s wall %U s user" taskset -c 0 $B label -j 1 -q "$SP1G" -o /dev/null &
$T "B %e s wall %U s user" taskset -c 1 $B label -j 1 -q "$SP1G" -o /dev/null
wait
echo "== peak RSS at 4 GB"; $T "label-4GB-j2 %e s wall %U s user %M KB peak" $B label -j 2 -q "$SP4G" -o /dev/null
echo "== Python peer (zstandard + json + re)"; python3 scripts/peer_baseline.py "$SP1G" --afscan "$B" --limit 1000
