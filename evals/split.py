"""A fixed dev/test split of the gold set: `python -m evals split [--gold FILE] [--out FILE]`.

Settings are tuned on `dev` only, so that `test` measures what a new question would get. The
halves are stratified by (kind, language): each stratum's cases go half to each side.

The split is stable as the gold set grows: an id already in the split file keeps its half, and
only new ids are assigned, each to the half that has fewer cases of its stratum. New ids are
sorted, then shuffled with a seed fixed per stratum, so that where a case lands does not follow
the order in which the cases were written. A follow-up is one case holding all its turns, so a
conversation is never cut between the halves. Ids no longer in the gold file are dropped.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from evals.gold import Case

HALVES = ("dev", "test")
SPLITS = (*HALVES, "all")
DEFAULT_SPLIT = Path(__file__).resolve().parent / "data" / "split.json"
SEED = 15  # issue 15, "Honest measurement first"


def assign(cases: Sequence[Case], previous: Mapping[str, Sequence[str]], seed: int = SEED) -> dict[str, list[str]]:
    """Each case's half: `previous` ({"dev": ids, "test": ids}) kept, new ids balanced per stratum."""
    present = {c.id for c in cases}
    half = {i: name for name in HALVES for i in previous.get(name, ()) if i in present}
    totals = Counter(half.values())
    strata: dict[tuple[str, str], list[str]] = {}
    for case in cases:
        strata.setdefault((case.kind, case.lang), []).append(case.id)
    for (kind, lang), ids in sorted(strata.items()):
        counts = Counter(half[i] for i in ids if i in half)
        new = sorted(i for i in ids if i not in half)
        random.Random(f"{seed}:{kind}:{lang}").shuffle(new)
        for case_id in new:
            # the half with fewer cases of this stratum; on a tie, the one with fewer cases in all
            name = min(HALVES, key=lambda h: (counts[h], totals[h], HALVES.index(h)))
            half[case_id] = name
            counts[name] += 1
            totals[name] += 1
    return {name: sorted(i for i, h in half.items() if h == name) for name in HALVES}


def load_split(path: Path = DEFAULT_SPLIT) -> dict[str, list[str]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        split = {name: [str(i) for i in raw[name]] for name in HALVES}
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a split file ({error}); write it with `python -m evals split`") from error
    if both := set(split["dev"]) & set(split["test"]):
        raise ValueError(f"{path}: ids in both halves: {', '.join(sorted(both))}")
    return split


def write_split(cases: Sequence[Case], path: Path = DEFAULT_SPLIT, seed: int = SEED) -> dict[str, list[str]]:
    """Assign the cases not yet in `path` (all of them if it does not exist) and write it."""
    split = assign(cases, load_split(path) if path.exists() else {}, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(split, indent=2) + "\n", encoding="utf-8")
    return split


def select(cases: Sequence[Case], name: str, path: Path = DEFAULT_SPLIT) -> list[Case]:
    """The cases of one half (`dev`, `test`), or all of them (`all`), in the gold file's order."""
    if name == "all":
        return list(cases)
    if name not in HALVES:
        raise ValueError(f"unknown split {name!r}: choose one of {', '.join(SPLITS)}")
    split = load_split(path)
    assigned = {i for half in HALVES for i in split[half]}
    if missing := [c.id for c in cases if c.id not in assigned]:
        raise ValueError(
            f"{path}: {len(missing)} gold cases are in neither half ({', '.join(missing[:5])}"
            f"{', …' if len(missing) > 5 else ''}); assign them with `python -m evals split`"
        )
    wanted = set(split[name])
    return [c for c in cases if c.id in wanted]


def strata_table(cases: Sequence[Case], split: Mapping[str, Sequence[str]]) -> list[str]:
    """Cases per stratum and half, for the command's output."""
    half = {i: name for name in HALVES for i in split[name]}
    counts = Counter((c.kind, c.lang, half[c.id]) for c in cases)
    rows = [f"{'kind':<13} {'lang':<4} {'dev':>4} {'test':>4}"]
    for kind, lang in sorted({(c.kind, c.lang) for c in cases}):
        rows.append(f"{kind:<13} {lang:<4} {counts[kind, lang, 'dev']:>4} {counts[kind, lang, 'test']:>4}")
    rows.append(f"{'total':<18} {len(split['dev']):>4} {len(split['test']):>4}")
    return rows
