#!/usr/bin/env python3
"""Required literals of each pattern, for the literal-prefilter probe (scripts/pattern_sweep.sh prefilter).

    literal_factors.py PATTERNS OUT [MAX_SET]

PATTERNS has one Vectorscan expression per line (as pattern_sweep.sh writes them). For each pattern this
derives a set of literals such that every match of the pattern contains at least one of them (the
"required factor" idea of Russ Cox, "Regular Expression Matching with a Trigram Index", 2012), preferring
sets whose shortest literal is longest, then smaller sets; sets are capped at MAX_SET strings (default
64). OUT gets one "INDEX<TAB>LITERAL" line per literal, and "INDEX<TAB>" for a pattern with no such set
(it must be scanned in full). Literals are lower case: the text is lower-cased by afscan's normalizer.
Python's own regex parser reads the patterns; the subset afscan's rules use (groups, alternation, ?, *,
+, {m,n}, classes, \\b, \\w) parses the same way in both dialects.
"""
import sys
try:
    from re import _parser as sre_parse, _constants as sre
except ImportError:  # Python < 3.11
    import sre_parse, sre_constants as sre

MAX_SET = int(sys.argv[3]) if len(sys.argv) > 3 else 64
MAX_LITERAL = 40


def rank(s):
    """Higher is better: longer shortest literal, then fewer literals. None (no set) ranks lowest."""
    return (0, 0) if s is None else (min(len(x) for x in s), -len(s))


def cross(a, b):
    if a is None or b is None or len(a) * len(b) > MAX_SET:
        return None
    return {x + y for x in a for y in b}


def required(s):
    """A finite language usable as a required set: not None and without the empty string."""
    return None if s is None or "" in s else s


def better(a, b):
    return a if rank(a) >= rank(b) else b


def sequence(items):
    """(exact, best): the finite language of the sequence if small, and its best required set."""
    exact, best, run = {""}, None, {""}
    for op, av in items:
        e, r = atom(op, av)
        if e is not None:
            joined = cross(run, e)
            if joined is None or max(map(len, joined)) > MAX_LITERAL:
                best, run = better(best, required(run)), e   # the run so far is contiguous: usable
            else:
                run = joined
            exact = cross(exact, e)
        else:
            exact = None
            best, run = better(better(best, required(run)), r), {""}
    return exact, better(best, required(run))


def atom(op, av):
    if op == sre.LITERAL:
        return {chr(av).lower()}, None
    if op == sre.AT:                      # \b, ^, $: zero width
        return {""}, None
    if op == sre.SUBPATTERN:
        return sequence(av[-1])
    if op == sre.BRANCH:
        exacts, reqs = [], []
        for branch in av[1]:
            e, r = sequence(branch)
            exacts.append(e)
            reqs.append(r if r is not None else required(e))
        exact = set().union(*exacts) if all(e is not None for e in exacts) else None
        if exact is not None and len(exact) > MAX_SET:
            exact = None
        req = None if any(r is None for r in reqs) else set().union(*reqs)
        return exact, (req if req is not None and len(req) <= MAX_SET else None)
    if op == sre.IN:                      # small positive classes only, e.g. [sz]
        chars = set()
        for o, a in av:
            if o == sre.LITERAL:
                chars.add(chr(a).lower())
            elif o == sre.RANGE:
                chars.update(chr(c).lower() for c in range(a[0], a[1] + 1))
            else:                         # negation, \w, \d ...
                return None, None
        return (chars, None) if len(chars) <= 4 else (None, None)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, sub = av
        e, r = sequence(sub)
        if low == 0:
            return ((e | {""}) if high == 1 and e is not None else None), None
        if low == high and e is not None and low <= 3:
            x = {""}
            for _ in range(low):
                x = cross(x, e)
            return x, None
        return None, (r if r is not None else required(e))   # the body occurs at least once
    return None, None                     # ., \w, [^...], back-references ...


def main():
    patterns = [line.rstrip("\n") for line in open(sys.argv[1])]
    with open(sys.argv[2], "w") as out:
        for i, pattern in enumerate(patterns):
            e, r = sequence(sre_parse.parse(pattern))
            best = better(r, required(e))
            if best:
                for literal in sorted(best):
                    out.write(f"{i}\t{literal}\n")
            else:
                out.write(f"{i}\t\n")


if __name__ == "__main__":
    main()
