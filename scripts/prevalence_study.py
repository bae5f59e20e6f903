#!/usr/bin/env python3
"""Which prevalence estimator is honest when the archive's AF prior differs from the training files'?

Out-of-sample scores: each of the six labelled files of ../shared/data is labelled by the default recipe
trained on the other five (leave-one-file-out). From the pooled held-out rows, archives of 1,000 samples
are drawn at AF priors 1 %, 5 %, 10 %, 20 % and 50 % (200 draws each, seed 1), and three estimators are
compared by mean absolute error and by the coverage of their 95 % intervals:
- the yes-band rate (what the summary's af_goal_guarding rate is);
- adjusted classify-and-count (Forman 2008) with the model's stored out-of-fold TPR/FPR at the yes band,
  Wilson interval mapped (what afscan writes as prevalence_adjusted);
- EM prior adjustment of the calibrated probabilities (Saerens, Latinne & Decaestecker 2002), from the
  training prior, no interval.

    scripts/prevalence_study.py [AFSCAN_BINARY]      (default .build/release/afscan)
"""
import json, math, os, random, subprocess, sys, tempfile

B = sys.argv[1] if len(sys.argv) > 1 else ".build/release/afscan"
DATA = os.environ.get("AFSCAN_DATA", "../shared/data")
FILES = ["dev/paper_excerpts.jsonl", "dev/synthetic_labelled.jsonl", "dev/vocab_scrubbed_pairs.jsonl",
         "dev/vocab_free.jsonl", "contrast/compliant_contrast.jsonl", "train/multistyle_labelled.jsonl"]
Z = 1.959963984540054


def wilson(k, n):
    p = k / n
    d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return c - h, c + h


def main():
    model = json.load(open("models/default-af.json"))
    t = model["targets"][0]
    tpr, fpr = t["out_of_fold"]["tpr_yes"], t["out_of_fold"]["fpr_yes"]
    train_prior = t["out_of_fold"]["positives"] / t["out_of_fold"]["samples"]
    tmp = tempfile.mkdtemp(prefix="prevalence-")
    rows = []
    for held in FILES:
        others = [os.path.join(DATA, f) for f in FILES if f != held]
        m = os.path.join(tmp, "m.json")
        subprocess.run([B, "train", *others, "--reference", "label", "--positive", "alignment_faking", "--orders", "1-1",
                        "--c", "0.3", "--min-df", "1", "--bootstrap", "0", "-q", "-o", m]
                       + (["--file-weight", "paper_excerpts.jsonl=0"] if held != FILES[0] else []), check=True)
        out = os.path.join(tmp, "rows.jsonl")
        subprocess.run([B, "label", os.path.join(DATA, held), "--model", m, "--criteria", "none", "--keep-field", "label",
                        "-q", "-o", out], check=True)
        for line in open(out):
            r = json.loads(line)
            a = r["labels"]["af.goal_guarding"]
            if a["decision"] == "unknown":
                continue
            rows.append((r["fields"]["label"] == "alignment_faking", a["score"], a["decision"] == "yes"))
    pos = [r for r in rows if r[0]]
    neg = [r for r in rows if not r[0]]
    rng = random.Random(1)
    held_tpr = sum(r[2] for r in pos) / len(pos)
    held_fpr = sum(r[2] for r in neg) / len(neg)
    print(f"held-out rows: {len(pos)} positive, {len(neg)} negative; stored (k-fold) TPR {tpr:.3f}, FPR {fpr:.3f}; "
          f"leave-one-file-out TPR {held_tpr:.3f}, FPR {held_fpr:.3f}; training prior {train_prior:.3f}")
    rates = {"k-fold": (tpr, fpr),
             "leave-one-file-out (stored)": (t["out_of_fold"].get("tpr_yes_leave_one_file_out", held_tpr),
                                             t["out_of_fold"].get("fpr_yes_leave_one_file_out", held_fpr))}
    names = list(rates)
    print("| AF prior | yes-band rate: MAE | " + " | ".join(f"adjusted classify-and-count, {n} TPR/FPR: MAE, 95% coverage" for n in names)
          + " | EM (Saerens 2002): MAE |")
    print("|---|---|" + "---|" * len(names) + "---|")
    for prior in (0.01, 0.05, 0.10, 0.20, 0.50):
        err = {"naive": 0.0, "em": 0.0}
        acc_err = {n: 0.0 for n in names}
        covered = {n: 0 for n in names}
        draws = 200
        for _ in range(draws):
            k = round(1000 * prior)
            sample = [rng.choice(pos) for _ in range(k)] + [rng.choice(neg) for _ in range(1000 - k)]
            yes = sum(s[2] for s in sample)
            q = yes / len(sample)
            for n in names:
                tp_, fp_ = rates[n]
                acc = min(max((q - fp_) / (tp_ - fp_), 0), 1)
                lo, hi = wilson(yes, len(sample))
                lo, hi = min(max((lo - fp_) / (tp_ - fp_), 0), 1), min(max((hi - fp_) / (tp_ - fp_), 0), 1)
                covered[n] += lo <= prior <= hi
                acc_err[n] += abs(acc - prior)
            # EM: re-weight the calibrated posteriors to a new prior until it settles
            p_new = train_prior
            for _ in range(200):
                post = [(p_new / train_prior) * s[1] / ((p_new / train_prior) * s[1] + ((1 - p_new) / (1 - train_prior)) * (1 - s[1]))
                        for s in sample]
                nxt = sum(post) / len(post)
                if abs(nxt - p_new) < 1e-7:
                    break
                p_new = nxt
            err["naive"] += abs(q - prior)
            err["em"] += abs(p_new - prior)
        cells = [f"{acc_err[n] / draws:.3f}, {covered[n] / draws:.0%}" for n in names]
        print(f"| {prior:.0%} | {err['naive'] / draws:.3f} | " + " | ".join(cells) + f" | {err['em'] / draws:.3f} |")


if __name__ == "__main__":
    main()
