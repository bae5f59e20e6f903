#!/usr/bin/env bash
# Submits an afscan run as a Slurm job array of N shards plus a merge job that runs after all of them
# succeed (--dependency=afterok), and prints the two job ids ("ARRAYJOB MERGEJOB") on stdout.
#
#   deploy/slurm/submit.sh [--wait] N OUTDIR [label options] INPUT...
#
# OUTDIR (created; must hold no part-* files) gets part-K.{jsonl.zst,json,status}, shard-K.log,
# merged.jsonl.zst, merged.json and merge.log; it and the inputs must be on a file system every node
# sees. --wait blocks until the merge job ends and exits with its status (sbatch --wait: 0 merged,
# 1 merged but a shard rejected records or inputs); if a shard fails the merge is cancelled
# (--kill-on-invalid-dep) and this exits 2. AFSCAN names the
# binary the jobs run (default: afscan on PATH; exported to the jobs); SBATCH_* variables and
# AFSCAN_SBATCH_OPTS (word-split: e.g. "--partition=cpu --time=2:00:00") reach both sbatch calls.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wait=()
if [ "${1:-}" = --wait ]; then wait=(--wait); shift; fi
[ $# -ge 3 ] || { echo "usage: $0 [--wait] N OUTDIR [label options] INPUT..." >&2; exit 64; }
n=$1 out=$2
shift 2
case $n in '' | *[!0-9]* | 0) echo "submit: N must be a positive integer, not '$n'" >&2; exit 64 ;; esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
if compgen -G "$out/part-*" >/dev/null; then
  echo "submit: $out already holds part-* files from another run; give an empty OUTDIR" >&2
  exit 64
fi
# shellcheck disable=SC2206 # word-splitting of the user's extra sbatch options is intended
extra=(${AFSCAN_SBATCH_OPTS:-})
export AFSCAN=${AFSCAN:-afscan}
array=$(sbatch --parsable "${extra[@]}" --array="0-$((n - 1))" --output="$out/shard-%a.log" \
  "$here/afscan-shard.sbatch" "$n" "$out" "$@")
array=${array%%;*}
echo "submit: array job $array: $n shard(s) of $*" >&2
merge_args=(--parsable "${extra[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes
  --output="$out/merge.log" "$here/afscan-merge.sbatch" "$n" "$out")
if [ ${#wait[@]} -eq 0 ]; then
  merge=$(sbatch "${merge_args[@]}")
  echo "$array ${merge%%;*}"
  exit 0
fi
# With --wait, sbatch prints the job id first, then blocks until the job ends. A merge cancelled
# because a shard failed (its dependency can never be satisfied) ends without running, and sbatch
# --wait then exits 0: its state tells (slurmctld keeps ended jobs for MinJobAge, 300 s by default).
status=0
sbatch "${wait[@]}" "${merge_args[@]}" > "$out/merge.jobid" || status=$?
merge=$(head -n 1 "$out/merge.jobid" | cut -d';' -f1)
echo "$array $merge"
if [ "$status" -eq 0 ]; then
  state=$(scontrol show job -o "$merge" 2>/dev/null | grep -o 'JobState=[A-Z_]*' || true)
  if [ "$state" != JobState=COMPLETED ] || [ ! -f "$out/merged.json" ]; then
    echo "submit: merge job $merge did not merge (${state:-state unknown}): a shard failed; see $out/shard-*.log" >&2
    status=2
  fi
fi
exit "$status"
