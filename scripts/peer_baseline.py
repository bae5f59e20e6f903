#!/usr/bin/env python3
"""Python peer for `afscan label`: the same archive, the same rule strings, plain Python.

What it does, per record (like-for-like with afscan's hot path, issue 4):
  zstd stream decode (the `zstandard` module if importable, else a `zstd -dc` subprocess)
  -> one JSON value per line (`json.loads`)
  -> the reasoning and output text: for the results layout the `output` field, for the chat layout the
     last assistant message's `content`, for flat samples `text`; reasoning = every
     <SCRATCHPAD_REASONING>/<HIDDEN_SCRATCHPAD>/<think> block, output = the <OUTPUT> block
     (system prompts and user turns are never scanned)
  -> a normalization close to afscan's (lower case, curly quotes and dashes folded, whitespace runs to
     one space)
  -> every string of every rule of the rule set (`afscan rules dump`, read with PyYAML) as a Python
     `re` pattern (IGNORECASE), `len(findall)` per string, summed per rule, on reasoning and output
  -> one JSON line per record: {"record": n, "counts": {rule_id: matches}} (only rules with matches).

It is a throughput peer, not a second implementation: `re.findall` counts non-overlapping leftmost
matches while Vectorscan reports every match end, rule conditions/scopes/scoring are not evaluated, and
the normalizer skips afscan's sentence segmentation. The figure it reports is records/s and MB/s of
uncompressed input, wall clock from the first byte read to the last row written (interpreter start and
rule compilation excluded, printed separately).

Usage:
  python3 scripts/peer_baseline.py ARCHIVE.jsonl.zst [--rules rules.yaml | --afscan PATH]
                                   [--limit N] [--rows OUT.jsonl]
Without --rules, the rules come from `<afscan> rules dump` (default: `afscan` on PATH).
Prints one summary line to stderr and a JSON summary to stdout.
"""
import argparse
import io
import json
import re
import subprocess
import sys
import time

try:
    import yaml  # PyYAML
except ImportError:  # pragma: no cover - reported, not hidden
    sys.exit("peer_baseline.py needs PyYAML (pip install pyyaml or apt-get install python3-yaml)")

try:
    import zstandard  # pip install zstandard
except ImportError:
    zstandard = None

TAG_BLOCK = re.compile(
    r"<(SCRATCHPAD_REASONING|HIDDEN_SCRATCHPAD|think)>(.*?)(?:</\1>|$)", re.S | re.I)
OUTPUT_BLOCK = re.compile(r"<OUTPUT>(.*?)(?:</OUTPUT>|$)", re.S | re.I)
WHITESPACE = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000\u2028\u2029]+")
FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u00ad": None,
})


def normalize(text):
    """ASCII-ish fold close to afscan's Normalizer (without sentence segmentation)."""
    return WHITESPACE.sub(" ", text.translate(FOLD).lower()).strip()


def load_rules(args):
    if args.rules:
        with open(args.rules, "rb") as f:
            doc = yaml.safe_load(f)
    else:
        dump = subprocess.run([args.afscan, "rules", "dump"], check=True, capture_output=True).stdout
        doc = yaml.safe_load(dump)
    compiled, skipped = [], []
    for rule in doc["rules"]:
        patterns = []
        for name, spec in (rule.get("strings") or {}).items():
            if "literal" in spec:
                source = re.escape(str(spec["literal"]))
            else:
                source = str(spec["regex"])
            try:
                patterns.append(re.compile(source, re.I))
            except re.error as error:  # a Vectorscan-only construct: reported, never silently dropped
                skipped.append(f"{rule['id']}.{name}: {error}")
        compiled.append((rule["id"], patterns))
    return compiled, skipped


def open_lines(path):
    """Yields the archive's lines (bytes), decoding zstd in process when possible."""
    if not path.endswith(".zst"):
        with open(path, "rb") as f:
            yield from f
        return
    if zstandard is not None:
        with open(path, "rb") as f:
            reader = zstandard.ZstdDecompressor().stream_reader(f, read_across_frames=True)
            yield from io.BufferedReader(reader, buffer_size=1 << 20)
        return
    proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE, bufsize=1 << 20)
    try:
        yield from proc.stdout
    finally:
        proc.stdout.close()
        proc.wait()


def texts_of(record):
    """(reasoning blocks, output blocks) of one record, from the layouts afscan reads."""
    carrier = None
    if isinstance(record.get("output"), str):
        carrier = record["output"]
    elif isinstance(record.get("messages"), list):
        for message in reversed(record["messages"]):
            if isinstance(message, dict) and message.get("role") == "assistant":
                carrier = message.get("content")
                break
    elif isinstance(record.get("text"), str):
        carrier = record["text"]
    if not isinstance(carrier, str):
        return [], []
    reasoning = [m.group(2) for m in TAG_BLOCK.finditer(carrier)]
    output = [m.group(1) for m in OUTPUT_BLOCK.finditer(carrier)]
    return reasoning, output


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive")
    ap.add_argument("--rules", help="rule file (YAML); default: `afscan rules dump`")
    ap.add_argument("--afscan", default="afscan", help="afscan binary for `rules dump`")
    ap.add_argument("--limit", type=int, default=None, help="stop after N records")
    ap.add_argument("--rows", default=None, help="write per-record rule counts (JSONL) here")
    args = ap.parse_args()

    t0 = time.perf_counter()
    rules, skipped = load_rules(args)
    setup = time.perf_counter() - t0
    for s in skipped:
        print(f"peer_baseline: pattern not expressible in Python re, skipped: {s}", file=sys.stderr)

    rows = open(args.rows, "w") if args.rows else None
    records = rejected = matches = 0
    in_bytes = scanned_bytes = 0
    start = time.perf_counter()
    for line in open_lines(args.archive):
        in_bytes += len(line)
        if not line.strip():
            continue
        if args.limit is not None and records >= args.limit:
            break
        records += 1
        try:
            record = json.loads(line)
        except ValueError:
            rejected += 1
            continue
        if not isinstance(record, dict):
            rejected += 1
            continue
        counts = {}
        reasoning, output = texts_of(record)
        for block in reasoning + output:
            text = normalize(block)
            scanned_bytes += len(text)
            for rule_id, patterns in rules:
                n = 0
                for p in patterns:
                    n += len(p.findall(text))
                if n:
                    counts[rule_id] = counts.get(rule_id, 0) + n
        matches += sum(counts.values())
        if rows is not None:
            rows.write(json.dumps({"record": records, "counts": counts}) + "\n")
    elapsed = time.perf_counter() - start
    if rows is not None:
        rows.close()

    summary = {
        "records": records, "rejected": rejected, "matches": matches,
        "uncompressed_bytes": in_bytes, "scanned_text_bytes": scanned_bytes,
        "seconds": round(elapsed, 3), "setup_seconds": round(setup, 3),
        "records_per_s": round(records / elapsed, 1) if elapsed > 0 else None,
        "mb_per_s": round(in_bytes / elapsed / 1e6, 2) if elapsed > 0 else None,
        "patterns": sum(len(p) for _, p in rules), "patterns_skipped": len(skipped),
        "decoder": "zstandard" if zstandard is not None else "zstd -dc",
    }
    print(f"peer_baseline: {records} records, {in_bytes} B in {elapsed:.2f} s: "
          f"{summary['records_per_s']} records/s, {summary['mb_per_s']} MB/s ({summary['decoder']})", file=sys.stderr)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
