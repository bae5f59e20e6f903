#!/usr/bin/env bash
# Builds the libFuzzer targets (docs/FUZZING.md) with --sanitize=fuzzer --sanitize=address in .build-fuzz
# and runs each for SECONDS (default 10), niced, one after the other.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]     TARGET: ZstdReader RecordFramer JSONParser
#                                                          Extraction RuleFile ModelFile TokenModel
#                                                          (default: all)
#
# Seeds: the committed Fuzz/Seeds/<TARGET>/ files, samples/, models/ and DefaultRules' YAML, plus
# ../shared/data when it is present (copied into the work directory at run time, never committed).
# FUZZ_WORK=DIR keeps corpora, crash artifacts and logs in DIR (default: a temporary directory, removed
# unless something was found). Exit status 1 when any target found a crash, a hang or a broken property;
# its reproducer is FUZZ_WORK/artifacts/<TARGET>/crash-* (or timeout-*, oom-*).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-10}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(ZstdReader RecordFramer JSONParser Extraction RuleFile ModelFile TokenModel)
SHARED=../shared/data

WORK="${FUZZ_WORK:-}"
KEEP=1
if [ -z "$WORK" ]; then
    WORK="$(mktemp -d)"
    KEEP=0
fi
mkdir -p "$WORK"

# swiftc keeps only the last -sanitize= flag it is given (Swift 6.3: `-sanitize=fuzzer -sanitize=address`
# compiles Swift code with AddressSanitizer but without coverage), so the coverage libFuzzer needs is
# asked for explicitly; clang merges the flags for the C/C++ targets.
build() {
    local t="$1"
    AFSCAN_FUZZ=1 nice -n 19 swift build --scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address \
        -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp --product "Fuzz$t" 2>&1 | grep -v 'ld.gold: warning: Cannot export local symbol' | tail -3
    [ -x ".build-fuzz/debug/Fuzz$t" ] || { echo "fuzz.sh: Fuzz$t did not build" >&2; exit 2; }
}

# The JSONL sources every target draws records from: the committed sample, then ../shared/data.
jsonl_sources() {
    echo samples/rollouts-sample.jsonl
    if [ -d "$SHARED" ]; then
        find "$SHARED" -name '*.jsonl' | sort
    fi
}

# Writes the first N lines of each JSONL source, one record per file, each prefixed with PREFIX bytes
# (printf format) that the target reads as its choices; with CYCLE, the prefix is instead one byte
# counting 0, 1, …, CYCLE - 1 over the records.
split_records() {
    local dir="$1" n="$2" prefix="$3" cycle="${4:-0}" i=0
    while read -r src; do
        while IFS= read -r line; do
            i=$((i + 1))
            [ "$cycle" -eq 0 ] || prefix="\\$(printf '%03o' $((i % cycle)))"
            { printf "$prefix"; printf '%s' "$line"; } >"$dir/record-$i"
        done < <(head -n "$n" "$src")
    done < <(jsonl_sources)
}

seed() {
    local t="$1" dir="$WORK/seeds/$t"
    rm -rf "$dir"
    mkdir -p "$dir"
    [ -d "Fuzz/Seeds/$t" ] && cp Fuzz/Seeds/"$t"/* "$dir"/
    case "$t" in
    ZstdReader)
        cp samples/rollouts-sample.jsonl.zst "$dir/sample.zst"
        head -c 3000 samples/rollouts-sample.jsonl >"$dir/plain.jsonl"
        if command -v zstd >/dev/null; then
            # Multi-frame archives (the frame-parallel path): two and three small frames.
            head -c 2000 samples/rollouts-sample.jsonl | zstd -q -c >"$dir/multi2.zst"
            tail -c 1500 samples/rollouts-sample.jsonl | zstd -q -c --no-check >>"$dir/multi2.zst"
            for k in 1 2 3; do head -c $((k * 700)) samples/rollouts-sample.jsonl | zstd -q -c -19; done >"$dir/multi3.zst"
        fi
        if [ -d "$SHARED" ]; then
            find "$SHARED" -name '*.zst' -size -100k -exec cp {} "$dir"/ \;
        fi
        ;;
    RecordFramer)
        # Choices: mode byte (0 sniff, 1 lines, 2 array, 3 document), record limit, batch size, chunk size.
        split_records "$dir" 3 '\000\100\040\007'
        head -c 4000 samples/rollouts-sample.jsonl | { printf '\001\377\010\003'; cat; } >"$dir/lines"
        printf '\002\020\004\005[{"a": [1, "]"]}, 2, "x\\"y", {"b": {}} ]' >"$dir/array"
        printf '\003\020\004\005{"a": 1}\n{"b": [2]}  "s" 3 null' >"$dir/documents"
        printf '\000\001\001\001\357\273\277{"bom": true}\r\n\n{"x": 1}' >"$dir/bom"
        if [ -d "$SHARED" ]; then
            head -c 6000 "$SHARED/layout/results_layout_array.json" | { printf '\000\200\100\011'; cat; } >"$dir/results-array"
        fi
        ;;
    JSONParser)
        split_records "$dir" 10 ''
        if [ -d "$SHARED/json-test-suite/test_parsing" ]; then
            cp "$SHARED"/json-test-suite/test_parsing/*.json "$dir"/
        fi
        ;;
    Extraction)
        # Choice byte: the field mapping (layouts auto, results, chat, flat; plain or with every option).
        split_records "$dir" 10 '' 8
        ;;
    RuleFile)
        # The default rule set's YAML, taken from its Swift raw string literal.
        awk '/yaml: String = #"""/{on=1; next} /^"""#/{on=0} on' Sources/PatternScoring/Rules/DefaultRules.swift >"$dir/default-rules.yaml"
        ;;
    ModelFile)
        cp models/default-af.json "$dir/default-af.json"
        ;;
    TokenModel)
        # Choice byte: the n-gram spec and one or two ranges (cycled over the records); the rest is text.
        split_records "$dir" 10 '' 128
        ;;
    esac
    if [ ! -d "$SHARED" ]; then
        echo "fuzz.sh: $SHARED is absent: $t is seeded from the repository only"
    fi
}

# FuzzZstdReader decodes on FrameDecodePool threads, so an input's mallocs and frees do not balance
# within the call: libFuzzer would stop the world for a leak scan after most inputs (10 execs/s instead
# of hundreds). Leaks there are left to the AddressSanitizer test run (scripts/sanitize.sh address).
leak_flag() {
    case "$1" in
    ZstdReader) echo -detect_leaks=0 ;;
    *) echo -detect_leaks=1 ;;
    esac
}

max_len() {
    case "$1" in
    ZstdReader) echo 65536 ;;
    ModelFile) echo 8192 ;;
    *) echo 16384 ;;
    esac
}

status=0
summary=()
for t in "${TARGETS[@]}"; do
    build "$t"
    seed "$t"
    corpus="$WORK/corpus/$t" artifacts="$WORK/artifacts/$t/"
    mkdir -p "$corpus" "$artifacts"
    log="$WORK/$t.log"
    echo "fuzz.sh: Fuzz$t for ${SECONDS_PER_TARGET}s (corpus $corpus, log $log)"
    set +e
    TMPDIR="$WORK" nice -n 19 ".build-fuzz/debug/Fuzz$t" -max_total_time="$SECONDS_PER_TARGET" -max_len="$(max_len "$t")" "$(leak_flag "$t")" \
        -timeout=30 -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$artifacts" \
        "$corpus" "$WORK/seeds/$t" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    cov=$(echo "$last" | grep -Eo 'cov: [0-9]+' || echo 'cov: ?')
    ft=$(echo "$last" | grep -Eo 'ft: [0-9]+' || echo 'ft: ?')
    corp=$(echo "$last" | grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' || echo 'corp: ?')
    # slow-unit-* files (inputs over 10 s, kept for a look) are not failures.
    found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    line="Fuzz$t: ${SECONDS_PER_TARGET}s, $execs execs, $cov, $ft, $corp, exit $rc, $found artifact(s)"
    summary+=("$line")
    echo "$line"
    if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
        status=1
        grep -E 'ERROR|property broken|Fatal error|SUMMARY|Test unit written' "$log" | head -20 || true
    fi
done

echo "fuzz.sh: summary"
printf '  %s\n' "${summary[@]}"
if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: something was found; reproducers and logs are in $WORK" >&2
elif [ "$KEEP" -eq 0 ]; then
    rm -rf "$WORK"
fi
exit "$status"
