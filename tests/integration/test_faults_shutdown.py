"""SIGTERM sent to a real `python -m ui` while answers are in flight (a rolling restart, a scale-down).

The questions the server has read finish; new questions and /healthz get 503 while they do; the process
then exits within the grace period; the feedback given in the chat (a real Chromium) is intact in SQLite.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from assistant.settings import Settings
from tests.helpers import CORPUS, cli_env, free_port
from tests.integration.conftest import wait_for_health
from tests.integration.faults import CLIENT_TIMEOUT_S, Reply, ask, feedback_rows, report
from tests.integration.test_chat_browser import language_settled
from tests.integration.test_widget_browser import final_answer
from ui.strings import STRINGS

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

QUESTION = "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?"
GRACE_S = 30
ASKED = 200  # questions in flight, answered one at a time: 20 ms each on an idle machine, so a drain of seconds


def test_sigterm_finishes_the_answers_in_flight_refuses_new_ones_and_keeps_feedback(
    indexed: Settings,
    tmp_path: Path,
    browser: Browser,
) -> None:
    port, log, feedback_db = free_port(), tmp_path / "ui.log", tmp_path / "feedback.sqlite3"
    env = cli_env(indexed) | {
        "ASSISTANT_UI__FEEDBACK_DB": str(feedback_db),
        "ASSISTANT_UI__CONCURRENCY_LIMIT": "1",  # the answers queue up: most are still in flight at SIGTERM
        "ASSISTANT_UI__MAX_QUEUE": str(ASKED),
        "ASSISTANT_UI__SHUTDOWN_GRACE_S": str(GRACE_S),
    }
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "ui", "--port", str(port), "--responder", "extractive"],
            cwd=CORPUS.parent,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_health(url, server, log)
        # A user rates an answer in the chat: the server writes it to SQLite.
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.goto(url + "/")
        page.locator("#question textarea").fill(QUESTION)
        page.locator("#question textarea").press("Enter")
        final_answer(page.locator("body"), 0)  # type: ignore[arg-type]
        # The page follows the question's language (French here): the rating buttons are named in it once
        # it has; before, they may still carry the English names.
        language_settled(page, "fr")
        # The rating buttons come with the final answer: on a loaded machine, later than Playwright's 30 s.
        page.get_by_role("button", name=STRINGS["fr"].buttons["like"], exact=True).last.click(timeout=60_000)
        deadline = time.monotonic() + 20
        while not feedback_rows(feedback_db) and time.monotonic() < deadline:
            time.sleep(0.2)
        context.close()

        in_flight: list[Reply] = []
        lock = threading.Lock()

        def one() -> None:
            with httpx.Client(timeout=CLIENT_TIMEOUT_S + GRACE_S) as client:
                reply = ask(client, url, QUESTION)
            with lock:
                in_flight.append(reply)

        threads = [threading.Thread(target=one) for _ in range(ASKED)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + CLIENT_TIMEOUT_S
        while not in_flight and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.5)  # every question sent by now; most still waiting for their turn
        server.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        try:
            health = httpx.get(f"{url}/healthz", timeout=CLIENT_TIMEOUT_S).status_code
        except httpx.HTTPError:
            health = 0  # the port was closed already
        with httpx.Client(timeout=CLIENT_TIMEOUT_S) as client:
            refused = ask(client, url, QUESTION)
        for thread in threads:
            thread.join(GRACE_S + CLIENT_TIMEOUT_S)
        answered = time.monotonic()
        exit_code = server.wait(timeout=GRACE_S + 15)
        exited = time.monotonic()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    finished_after = sorted(round(r.started + r.elapsed - signalled, 2) for r in in_flight)
    report(
        f"SIGTERM with {ASKED} questions asked",
        statuses=dict(Counter(r.status for r in in_flight)),
        answers_after_sigterm=sum(1 for t in finished_after if t > 0),
        last_answer_after_s=finished_after[-1],
        exited_after_s=round(exited - signalled, 2),
        new_request=refused.status,
        healthz=health,
        exit_code=exit_code,
    )
    # A question the server had read before the signal is answered; one still unread (in the socket, while the
    # answers hold the interpreter) is refused cleanly, as new. None is dropped, none fails.
    late = [r for r in in_flight if r.status != 200]
    assert all(r.status == 503 and "restarting" in str((r.body or {}).get("error")) for r in late), late[:3]
    assert sum(1 for t in finished_after if t > 0) >= 10, "too few answers were in flight at SIGTERM to tell"
    assert refused.status == 503 and "restarting" in str((refused.body or {}).get("error"))
    assert health == 503
    assert answered - signalled < GRACE_S and exited - signalled < GRACE_S + 10
    with sqlite3.connect(feedback_db) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert feedback_rows(feedback_db) == 1
