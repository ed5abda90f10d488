"""How well the rules read a question, apart from the answers: `python -m evals readings`.

Two readings decide what an answer may be. The kind of answer asked (a person, a count, a date…): the
abstention guard (assistant/answering/answerability.py) checks that the quoted sentences hold it, so a
question whose kind is not read is answered whatever the sentences say. And whether a message leans on
the conversation ("And who coordinates it?"): such a message is searched with the questions before it,
so a new question read as leaning is answered about the last one.

Each reading has its labelled questions in `data/`, written from the two texts by a session that saw
neither the gold set nor the code, split in two halves: patterns are written on `dev`, and `test` says
how far they carry to new wordings.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.answering.answerability import asked_kind
from assistant.answering.conversation import depends_on_context

DATA = Path(__file__).resolve().parent / "data"
# name: (the rule that reads a question, the label it must give, the labelled questions)
READINGS: dict[str, tuple[Callable[[str], Any], str, Path]] = {
    "kinds": (asked_kind, "kind", DATA / "kinds.jsonl"),
    "followups": (depends_on_context, "leans", DATA / "followups.jsonl"),
}


def load_labelled(path: Path) -> list[dict[str, Any]]:
    """Labelled questions: {"question", "lang", the label, "split"}."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score_reading(labelled: list[dict[str, Any]], read: Callable[[str], Any], label: str) -> dict[str, Any]:
    """Per half, the share of questions `read` labels as they are labelled, and every misread one."""
    report: dict[str, Any] = {}
    for half in sorted({q["split"] for q in labelled}):
        questions = [q for q in labelled if q["split"] == half]
        misread = [
            {"question": q["question"], label: q[label], "read": got}
            for q in questions
            if (got := read(q["question"])) != q[label]
        ]
        report[half] = {
            "questions": len(questions),
            "accuracy": round(1 - len(misread) / len(questions), 3),
            "confused": dict(Counter(f"{m[label]} read as {m['read']}" for m in misread).most_common()),
            "misread": misread,
        }
    return report
