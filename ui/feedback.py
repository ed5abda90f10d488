"""Users' thumbs up/down on answers: stored in SQLite, exported as gold cases for the evals to curate."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.answering.grounding import MARKER
from assistant.text import fold, normalize_spaces, sentence_spans

RATINGS = ("up", "down")
REVIEW = {
    "up": "Thumbs up: check `must` and `evidence` before adding this case to the gold set.",
    "down": "Thumbs down: write `must` (what a right answer says) and `evidence` (the source text that holds it) "
    "before adding this case to the gold set.",
}
# Thousands separated by spaces ("20 000") or points/commas, then decimals ("1,5"); \b skips "1er" and "U1059".
_NUMBER = re.compile(r"\b\d+(?:[ .,]\d{3})*(?:[.,]\d+)?\b")
_WORD = re.compile(r"\w+")
_BUSY_TIMEOUT_S = 30.0  # a writer waits this long for another thread's write instead of failing
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL,
    comment TEXT NOT NULL,
    language TEXT NOT NULL,
    turns TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    responder TEXT NOT NULL,
    citations TEXT NOT NULL
)
"""
_COLUMNS = "id, created_at, rating, comment, language, turns, question, answer, abstained, responder, citations"


@dataclass(frozen=True)
class FeedbackEntry:
    id: int
    created_at: str  # UTC, ISO 8601
    rating: str
    comment: str
    language: str
    turns: list[str]  # the user's messages up to and including the rated question
    question: str
    answer: str
    abstained: bool
    responder: str
    citations: list[dict[str, Any]]  # as in `Answer.to_json()`


class FeedbackStore:
    """One SQLite file; a connection per operation, so Gradio's worker threads can share a store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            # WAL lets readers go on while one thread writes; the setting is kept in the file.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)

    def record(self, turns: list[str], answer: dict[str, Any], rating: str, comment: str = "") -> int:
        """Store the rating of `answer` (an `Answer.to_json()` dict) and return its id."""
        _check_rating(rating)
        if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            raise ValueError("turns must be the user's messages, at least one, none of them empty")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            rating,
            comment,
            answer["language"],
            json.dumps(turns, ensure_ascii=False),
            answer["question"],
            answer["answer"],
            bool(answer["abstained"]),
            answer["responder"],
            json.dumps(answer["citations"], ensure_ascii=False),
        )
        with self._connect() as connection:
            cursor = connection.execute(
                "INSERT INTO feedback (created_at, rating, comment, language, turns, question, answer, abstained,"
                " responder, citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        assert cursor.lastrowid is not None  # always set after an INSERT
        return cursor.lastrowid

    def set_comment(self, feedback_id: int, comment: str) -> None:
        self._update(feedback_id, "comment", comment)

    def set_rating(self, feedback_id: int, rating: str) -> None:
        _check_rating(rating)
        self._update(feedback_id, "rating", rating)

    def entries(self, rating: str | None = None) -> list[FeedbackEntry]:
        """All entries, or those with `rating`, oldest first."""
        if rating is not None:
            _check_rating(rating)
        with self._connect() as connection:
            rows = connection.execute(
                f"SELECT {_COLUMNS} FROM feedback WHERE ? IS NULL OR rating = ? ORDER BY id", (rating, rating)
            ).fetchall()
        return [
            FeedbackEntry(
                id_,
                created_at,
                rating_,
                comment,
                language,
                json.loads(turns),
                question,
                answer,
                bool(abstained),
                responder,
                json.loads(citations),
            )
            for (
                id_,
                created_at,
                rating_,
                comment,
                language,
                turns,
                question,
                answer,
                abstained,
                responder,
                citations,
            ) in rows
        ]

    def export(self, out: Path, rating: str | None = None) -> int:
        """Write the entries as gold cases (JSON lines) to `out`, replacing it at once; return how many."""
        lines = [json.dumps(to_gold_case(entry), ensure_ascii=False) + "\n" for entry in self.entries(rating)]
        out.parent.mkdir(parents=True, exist_ok=True)
        # A temporary file in the same folder, then os.replace: a reader never sees a half-written file.
        descriptor, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.writelines(lines)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, out)
        except BaseException:
            os.unlink(temporary)
            raise
        return len(lines)

    def _update(self, feedback_id: int, column: str, value: str) -> None:
        with self._connect() as connection:
            cursor = connection.execute(f"UPDATE feedback SET {column} = ? WHERE id = ?", (value, feedback_id))
        if cursor.rowcount == 0:
            raise KeyError(f"no feedback with id {feedback_id}")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection: sqlite3 connections must not be shared between threads."""
        connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)
        try:
            with connection:  # commits, or rolls back on an error
                yield connection
        finally:
            connection.close()


def to_gold_case(entry: FeedbackEntry) -> dict[str, Any]:
    """The entry as a case of `evals/data/gold.jsonl`, plus a `feedback` key for whoever curates it."""
    confirmed = entry.rating == "up" and not entry.abstained
    return {
        "id": f"feedback-{entry.id}",
        "kind": _kind(entry),
        "lang": entry.language,
        "turns": entry.turns,
        "must": _number_groups(entry.answer) if confirmed else [],
        # null marks an unanswerable case: right for an approved abstention, a placeholder for a thumbs down.
        "evidence": _evidence(entry) if confirmed else None,
        "feedback": {
            "rating": entry.rating,
            "comment": entry.comment,
            "answer": entry.answer,
            "created_at": entry.created_at,
            "review": REVIEW[entry.rating],
        },
    }


def _check_rating(rating: str) -> None:
    if rating not in RATINGS:
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")


def _kind(entry: FeedbackEntry) -> str:
    if len(entry.turns) > 1:
        return "followup"
    if entry.abstained and entry.rating == "up":
        return "unanswerable"
    languages = [c["language"] for c in entry.citations]
    return "cross" if languages and entry.language not in languages else "mono"


def _number_groups(answer: str) -> list[list[str]]:
    """One group per distinct number of the answer, so that an answer which loses a figure fails the case."""
    numbers = dict.fromkeys(_NUMBER.findall(normalize_spaces(MARKER.sub("", answer))))
    return [[r"\b" + r"\s?".join(re.escape(part) for part in number.split(" ")) + r"\b"] for number in numbers]


def _evidence(entry: FeedbackEntry) -> str:
    """The sentence of the first cited passage that shares the most words with the answer (the first on a tie).

    Empty when nothing is cited: the case stays answerable, and the evals then skip its retrieval checks.
    """
    if not entry.citations:
        return ""
    text = entry.citations[0]["text"]
    answer_words = _words(MARKER.sub("", entry.answer))
    sentences = [text[start:end].strip() for start, end in sentence_spans(text)]
    return max(sentences, key=lambda s: len(_words(s) & answer_words), default="")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))
