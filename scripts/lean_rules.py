#!/usr/bin/env python3
"""A smaller rule set cut from the default rules, to weigh first-pass speed against label quality.

    afscan rules dump > rules.yaml
    lean_rules.py rules.yaml N > lean.yaml

Keeps every output- and draft-scope rule (they have their own small databases) and reasoning rules up to
N reasoning patterns in all: round-robin over the labels, those with the most rules first (crit.preservation_motive,
crit.modification_awareness, crit.decision, ...), each label's rules taken by descending weight, a rule kept only if all its strings fit. So every
criterion the composite needs keeps its strongest evidence first. Conditions and examples are kept as they
are (a rule is never cut in part). docs/BENCHMARKS.md, "Why the 1-core target is out of reach", has what
this gave.
"""
import re
import sys
import yaml


class Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false, so the band keys `yes` and `maybe` stay strings."""


Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
                                  for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


class Dumper(yaml.SafeDumper):
    """Quotes `yes`/`no` strings as PyYAML always does; nothing else to change."""


rules_file = yaml.load(open(sys.argv[1]), Loader=Loader)
budget = int(sys.argv[2])
rules = rules_file["rules"]
reasoning = [r for r in rules if r.get("scope", "reasoning") in ("reasoning", "any")]
by_label = {}
for r in sorted(reasoning, key=lambda r: -r.get("weight", 0)):
    by_label.setdefault(r["label"], []).append(r)
labels = sorted(by_label, key=lambda label: (-len(by_label[label]), label))   # most-used criteria first
kept, used = set(), 0
progress = True
while progress:
    progress = False
    for label in labels:
        queue = by_label[label]
        while queue:
            r = queue.pop(0)
            if used + len(r["strings"]) <= budget:
                kept.add(r["id"])
                used += len(r["strings"])
                progress = True
                break
rules_file["rules"] = [r for r in rules if r["id"] in kept or r.get("scope", "reasoning") not in ("reasoning", "any")]
rules_file["name"] = f"{rules_file.get('name', 'rules')}-lean-{budget}"
print(f"# {sys.argv[0]}: {len(kept)} reasoning rules, {used} reasoning patterns (budget {budget})")
yaml.dump(rules_file, sys.stdout, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000)
