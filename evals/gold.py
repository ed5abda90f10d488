"""The gold set: one JSON case per line, validated with messages that name the line."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

KINDS = ("mono", "cross", "followup", "unanswerable", "injection")
DEFAULT_GOLD = Path(__file__).resolve().parent / "data" / "gold.jsonl"


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    lang: str
    turns: list[str]
    must: list[list[str]]  # every group must match; any alternative of a group may
    evidence: str | None  # a piece of source text a cited passage must contain
    off_topic: bool = False  # an unanswerable question about something else than the sources' subject

    @property
    def answerable(self) -> bool:
        return self.evidence is not None


def load_gold(path: Path = DEFAULT_GOLD) -> list[Case]:
    cases: list[Case] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            case = Case(
                str(raw["id"]),
                raw["kind"],
                raw["lang"],
                list(raw["turns"]),
                [list(group) for group in raw["must"]],
                raw["evidence"],
                raw.get("off_topic", False),
            )
            problem = _problem(case)
        except (ValueError, KeyError, TypeError) as error:
            problem = f"not a valid case ({error})"
        if problem:
            raise ValueError(f"{path}:{number}: {problem}")
        cases.append(case)
    if len({c.id for c in cases}) != len(cases):
        raise ValueError(f"{path}: case ids must be unique")
    return cases


def _problem(case: Case) -> str:
    if case.kind not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    if case.lang not in ("fr", "en"):
        return "lang must be fr or en"
    if case.off_topic is not False and (case.off_topic is not True or case.answerable):
        return "off_topic must be true or false, and true only for an unanswerable case"
    if not case.turns or not all(isinstance(t, str) and t.strip() for t in case.turns):
        return "turns must be non-empty strings"
    for group in case.must:
        for pattern in group:
            try:
                re.compile(pattern)
            except re.error as error:
                return f"must pattern {pattern!r} does not compile ({error})"
    return ""
