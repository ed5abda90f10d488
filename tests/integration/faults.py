"""Helpers for the fault tests (test_faults_*.py): clients that keep asking while a part fails.

Every request loop is bounded in count and time and talks only to 127.0.0.1. What the tests observed
(times to 503, error counts) is printed, so that `pytest -s` shows the numbers docs/deployment.md quotes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import httpx

CLIENT_TIMEOUT_S = 30  # a request that takes longer than this counts as a hang


@dataclass
class Reply:
    started: float  # time.monotonic() when sent
    elapsed: float
    status: int  # 0: no HTTP answer (connection refused, reset, timeout)
    body: dict[str, object] | None  # the JSON body, None when it was not JSON
    error: str = ""


@dataclass
class Load:
    """Clients that ask `question` in a loop until stopped; every reply is kept."""

    url: str
    question: str
    clients: int
    replies: list[Reply] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _client(self) -> None:
        with httpx.Client(timeout=CLIENT_TIMEOUT_S) as client:
            for _ in range(10_000):  # bounded; stopped long before
                if self._stop.is_set():
                    return
                self.add(ask(client, self.url, self.question))

    def add(self, reply: Reply) -> None:
        with self._lock:
            self.replies.append(reply)

    @contextmanager
    def running(self) -> Iterator[Load]:
        threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            for thread in threads:
                thread.join(CLIENT_TIMEOUT_S + 5)

    def since(self, moment: float) -> list[Reply]:
        with self._lock:
            return [r for r in self.replies if r.started >= moment]

    def statuses(self) -> Counter[int]:
        with self._lock:
            return Counter(r.status for r in self.replies)


def ask(client: httpx.Client, url: str, question: str) -> Reply:
    started = time.monotonic()
    try:
        response = client.post(f"{url}/api/ask", json={"question": question})
    except httpx.HTTPError as error:
        return Reply(started, time.monotonic() - started, 0, None, f"{type(error).__name__}: {error}")
    try:
        body = response.json()
    except json.JSONDecodeError:
        body = None
    return Reply(started, time.monotonic() - started, response.status_code, body)


def cited_sources(reply: Reply) -> set[str]:
    citations = (reply.body or {}).get("citations") or []
    return {str(c["source_id"]) for c in cast(list[dict[str, object]], citations)}


def report(name: str, **numbers: object) -> None:
    """One line of observations, shown by `pytest -s` and kept in the test log."""
    print(f"\n[fault] {name}: " + ", ".join(f"{k}={v}" for k, v in numbers.items()), flush=True)


def feedback_rows(database: Path) -> int:
    """Thumbs up/down stored so far in a feedback file (0 before the first)."""
    if not database.exists():
        return 0
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT count(*) FROM feedback").fetchone()[0])
