#!/usr/bin/env python3
"""Leave-one-style-out on ../shared/data/train/multistyle_labelled.jsonl: does fusing the rule composite
with the learned model help on reasoning styles neither was fitted on?

For each of the four styles: the default recipe (scripts/train-default-model.sh's options) is trained on the
other five files plus the other three styles, and the held-out style is labelled with --criteria all. AUROC
of the model's rank, the rule composite's rank (af.goal_guarding_rules), and a 50/50 rank fusion (the mean
of the two ranks' within-style percentiles), with 1,000-replicate bootstrap 95% intervals (seed 1).

    scripts/fusion_study.py [AFSCAN_BINARY]     (default .build/release/afscan)

The rules were written and weighted on the dev files, never on train/, so this is out of sample for both.
"""
import json, os, random, subprocess, sys, tempfile

B = sys.argv[1] if len(sys.argv) > 1 else ".build/release/afscan"
DATA = os.environ.get("AFSCAN_DATA", "../shared/data")
OTHERS = ["dev/paper_excerpts.jsonl", "dev/synthetic_labelled.jsonl", "dev/vocab_scrubbed_pairs.jsonl",
          "dev/vocab_free.jsonl", "contrast/compliant_contrast.jsonl"]


def auroc(pos, neg):
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def interval(pos, neg, reps=1000, seed=1):
    rng = random.Random(seed)
    vals = sorted(auroc([rng.choice(pos) for _ in pos], [rng.choice(neg) for _ in neg]) for _ in range(reps))
    return vals[int(0.025 * reps)], vals[int(0.975 * reps) - 1]


def percentiles(xs):
    order = sorted(xs)
    return [(sum(o < x for o in order) + 0.5 * sum(o == x for o in order)) / len(xs) for x in xs]


def main():
    rows = [json.loads(l) for l in open(os.path.join(DATA, "train/multistyle_labelled.jsonl"))]
    styles = sorted({r["style"] for r in rows})
    tmp = tempfile.mkdtemp(prefix="fusion-")
    print("| held-out style | n | model | rules | 50/50 rank fusion |")
    print("|---|---|---|---|---|")
    totals = {"model": [], "rules": [], "fusion": []}
    for style in styles:
        held = os.path.join(tmp, f"held-{style}.jsonl")
        rest = os.path.join(tmp, f"rest-{style}.jsonl")
        with open(held, "w") as h, open(rest, "w") as r:
            for row in rows:
                (h if row["style"] == style else r).write(json.dumps(row) + "\n")
        model = os.path.join(tmp, f"model-{style}.json")
        subprocess.run([B, "train", *[os.path.join(DATA, f) for f in OTHERS], rest, "--reference", "label",
                        "--positive", "alignment_faking", "--orders", "1-1", "--c", "0.3", "--min-df", "1",
                        "--file-weight", "paper_excerpts.jsonl=0", "--bootstrap", "0", "-q", "-o", model], check=True)
        out = os.path.join(tmp, f"rows-{style}.jsonl")
        subprocess.run([B, "label", held, "--model", model, "--criteria", "all", "--keep-field", "label", "-q", "-o", out],
                       check=True)
        labelled = [json.loads(l) for l in open(out)]
        y = [r["fields"]["label"] == "alignment_faking" for r in labelled]
        m = [r["labels"]["af.goal_guarding"]["rank"] for r in labelled]
        u = [r["labels"]["af.goal_guarding_rules"]["rank"] for r in labelled]
        f = [(a + b) / 2 for a, b in zip(percentiles(m), percentiles(u))]
        cells = []
        for name, s in (("model", m), ("rules", u), ("fusion", f)):
            pos = [x for x, t in zip(s, y) if t]
            neg = [x for x, t in zip(s, y) if not t]
            a = auroc(pos, neg)
            lo, hi = interval(pos, neg)
            totals[name].append(a)
            cells.append(f"{a:.3f} [{lo:.3f}, {hi:.3f}]")
        print(f"| {style} | {len(y)} | " + " | ".join(cells) + " |")
    print("| mean | | " + " | ".join(f"{sum(v) / len(v):.3f}" for v in totals.values()) + " |")


if __name__ == "__main__":
    main()
