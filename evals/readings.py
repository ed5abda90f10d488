"""How well the rules read a question, apart from the answers: `python -m evals readings`.

Three readings decide what an answer may be. The kind of answer asked (a person, a count, a date…): the
abstention guard (assistant/answering/answerability.py) checks that the quoted sentences hold it, so a
question whose kind is not read is answered whatever the sentences say. Whether a sentence answers the
question: that guard's verdict on the sentence a search brings up, which must say "I don't know" to an
on-topic question the sources cannot answer ("Combien de temps entre le dépôt et la décision ?" next to a
Joint Lab's "20.000 € par an pendant 5 ans"). And whether a message leans on the conversation ("And who
coordinates it?"): such a message is searched with the questions before it, so a new question read as
leaning is answered about the last one.

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

from assistant.answering.answerability import answerable, asked_kind, names_what_is_asked
from assistant.answering.conversation import depends_on_context

DATA = Path(__file__).resolve().parent / "data"
Labelled = dict[str, Any]


def _answers(q: Labelled) -> bool:
    """The guard's verdict on the one sentence, in the asker's language (as the answering chain quotes it from
    the translation memory) and under its heading: the kind asked, and the names, read in the sentence's whole
    passage. A year the question names that the sentence lacks is the year check's, which reads every retrieved
    passage (the year may be in the sentence before): not read here."""
    question = q["question"]
    return answerable(question, [q["sentence"]], [q["heading"]]) and names_what_is_asked(
        question, [q["heading"], q["passage"]]
    )


# name: (the rule that reads a labelled question, the label it must give, the labelled questions)
READINGS: dict[str, tuple[Callable[[Labelled], Any], str, Path]] = {
    "kinds": (lambda q: asked_kind(q["question"]), "kind", DATA / "kinds.jsonl"),
    "answers": (_answers, "answers", DATA / "answers.jsonl"),
    "followups": (lambda q: depends_on_context(q["question"]), "leans", DATA / "followups.jsonl"),
}


def load_labelled(path: Path) -> list[Labelled]:
    """Labelled questions: {"question", "lang", the label, "split"}; for "answers", also the sentence, its
    heading and its passage."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score_reading(labelled: list[Labelled], read: Callable[[Labelled], Any], label: str) -> dict[str, Any]:
    """Per half, the share of questions `read` labels as they are labelled, and every misread one."""
    report: dict[str, Any] = {}
    for half in sorted({q["split"] for q in labelled}):
        questions = [q for q in labelled if q["split"] == half]
        misread = [
            {**{k: q[k] for k in ("question", "sentence") if k in q}, label: q[label], "read": got}
            for q in questions
            if (got := read(q)) != q[label]
        ]
        labels, wrong = Counter(json.dumps(q[label]) for q in questions), Counter(json.dumps(m[label]) for m in misread)
        report[half] = {
            "questions": len(questions),
            "accuracy": round(1 - len(misread) / len(questions), 3),
            "accuracy_by_label": {v: round(1 - wrong[v] / n, 3) for v, n in sorted(labels.items())},
            "confused": dict(Counter(f"{m[label]} read as {m['read']}" for m in misread).most_common()),
            "misread": misread,
        }
    return report
