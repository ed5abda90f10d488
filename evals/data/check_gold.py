"""Check every gold case against the source texts: `python -m evals.data.check_gold [GOLD.jsonl]`.

`load_gold` checks what the evals need to run (kinds, languages, regexes compile, unique ids);
this checks that the cases say what the sources say, as `README.md` here requires: exactly the
six keys, regexes written in folded form, evidence found verbatim (after folding) in the source
the kind implies and inside one paragraph or list item (never a heading), every `must` group
matching the evidence's paragraph (a list counts as one paragraph), no answerable case passed by
echoing its own question, and unanswerable cases with no `must` and no evidence. Cases whose id
holds `-mix-` ask for facts from both pages: a group that the evidence's paragraph does not match
must then match a paragraph of the other text.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.text import fold
from evals.gold import DEFAULT_GOLD, Case, load_gold
from evals.metrics.correctness import answer_correct

KEYS = {"id", "kind", "lang", "turns", "must", "evidence"}
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
_BULLET = "•"
_CLOSING = tuple(".,;:!?…")
_HEADING_MAX_WORDS = 10


@dataclass(frozen=True)
class Paragraph:
    """A block of a source text between blank lines; a list's units are its items."""

    lang: str
    text: str  # folded, whitespace collapsed
    units: tuple[str, ...]  # where evidence may lie: the paragraph itself, or each list item
    heading: bool


def _squash(text: str) -> str:
    return " ".join(fold(text).split())


def paragraphs(text: str, lang: str) -> list[Paragraph]:
    """The blocks of a plain text; a short line standing alone without closing punctuation is a heading."""
    found: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        items: list[list[str]] = []
        for line in lines:
            # A list item continues on the indented lines that follow its bullet (the Joint Labs).
            if line.startswith(_BULLET) or not items:
                items.append([line.removeprefix(_BULLET)])
            else:
                items[-1].append(line)
        is_list = lines[0].startswith(_BULLET)
        units = tuple(_squash(" ".join(item)) for item in items) if is_list else (_squash(" ".join(lines)),)
        heading = (
            len(lines) == 1
            and not is_list
            and not lines[0].endswith(_CLOSING)
            and len(lines[0].split()) <= _HEADING_MAX_WORDS
        )
        found.append(Paragraph(lang, _squash(" ".join(lines)), units, heading))
    return found


def load_sources(corpus: Path = CORPUS) -> list[Paragraph]:
    """The paragraphs of every text listed in the corpus manifest, with its language."""
    manifest = json.loads((corpus / "sources.json").read_text(encoding="utf-8"))
    return [
        paragraph
        for entry in manifest
        for paragraph in paragraphs((corpus / entry["file"]).read_text(encoding="utf-8"), entry["language"])
    ]


def _other(lang: str) -> str:
    return "en" if lang == "fr" else "fr"


def _matches(group: list[str], text: str) -> bool:
    return any(re.search(pattern, text) for pattern in group)


def case_problems(case: Case, sources: list[Paragraph]) -> list[str]:
    problems = [f"pattern {p!r} is not in folded form" for group in case.must for p in group if fold(p) != p]
    if case.kind == "unanswerable" and (case.must or case.evidence is not None):
        problems.append("an unanswerable case has must [] and evidence null")
    if (case.evidence is None) != (not case.must):
        problems.append("must and evidence are both given or both empty")
    if case.kind in ("mono", "cross", "followup") and case.evidence is None:
        problems.append(f"a {case.kind} case needs evidence")
    if case.must and answer_correct(" ".join(case.turns), case.must):
        problems.append("the question alone passes its own must groups")
    if case.evidence is None:
        return problems
    wanted = {"mono": {case.lang}, "cross": {_other(case.lang)}}.get(case.kind, {"fr", "en"})
    evidence = _squash(case.evidence)
    homes = [p for p in sources if p.lang in wanted and not p.heading and any(evidence in u for u in p.units)]
    if not homes:
        problems.append(f"evidence not found in one paragraph or list item of the {'/'.join(sorted(wanted))} text")
        return problems
    for group in case.must:
        if any(_matches(group, home.text) for home in homes):
            continue
        elsewhere = [p for p in sources if p.lang == _other(homes[0].lang) and _matches(group, p.text)]
        if "-mix-" not in case.id or not elsewhere:
            problems.append(f"must group {group} does not match the evidence's paragraph")
    return problems


def check(path: Path = DEFAULT_GOLD, corpus: Path = CORPUS) -> list[str]:
    """Every problem of the gold file, one line each, prefixed by the case id."""
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not KEYS <= set(json.loads(line)) <= KEYS | {"off_topic"}:
            problems.append(f"line {number}: keys must be exactly {sorted(KEYS)}, and off_topic if wanted")
    try:
        cases = load_gold(path)
    except ValueError as error:
        return [*problems, str(error)]
    sources = load_sources(corpus)
    return problems + [f"{case.id}: {problem}" for case in cases for problem in case_problems(case, sources)]


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_GOLD
    problems = check(path)
    print("\n".join(problems) or f"{path}: all cases check out")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
