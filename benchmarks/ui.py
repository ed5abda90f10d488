"""UI benchmark: page load and first visible answer in a real browser, then 1 and 10 simultaneous users.

    python -m benchmarks.ui [--quick] [--out docs/benchmarks/ui.json]

Starts the real server (`python -m ui --responder extractive`, default UI settings) on a free
port over a temporary index built by `python -m ingest` (the models come from the default data
folder), and stops it at the end. Pages are loaded by Debian's headless Chromium, each time in a
fresh browser context (nothing cached), after one uncounted load. The simultaneous users ask the
gold set's single-turn questions back to back, through `/api/ask` and through the chat's Gradio
event `/ask`. `--quick` runs a much smaller version and writes nothing unless `--out` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
from gradio_client import Client
from playwright.sync_api import Browser, sync_playwright

from assistant.settings import UISettings
from benchmarks.answering import percentile
from benchmarks.provenance import provenance
from evals.gold import load_gold

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"  # Debian's; playwright never downloads a browser here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Truthy (the time since navigation start) once the question box can be typed in.
READY = """() => { const box = document.querySelector('#question textarea');
  return box !== null && !box.disabled && box.offsetParent !== null && performance.now(); }"""
# Timestamps taken in the page, so that Playwright's polling is not part of the measure: `sent` at the
# Enter key, `shown` when the last bot message holds text instead of a pending mark (Gradio's dots while
# the event is queued, then our "…"), `final` when the draft's "▍" cursor is gone (the checked answer).
WATCH = """() => {
  const marks = window.marks = {}, chat = document.querySelector('#chat');
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') marks.sent ??= performance.now(); }, true);
  const observer = new MutationObserver(() => {
    const bots = chat.querySelectorAll('.bot'), last = bots[bots.length - 1];
    if (!last || marks.sent === undefined || last.querySelector('.pending, .dots')) return;
    const text = last.innerText.trim();
    if (!text) return;
    marks.shown ??= performance.now();
    if (!text.endsWith('▍')) {
      marks.final = performance.now();
      marks.cites = last.querySelectorAll('a.cite').length;
      observer.disconnect();
    }
  });
  observer.observe(chat, {subtree: true, childList: true, characterData: true});
}"""


@dataclass(frozen=True)
class Sizes:
    page_loads: int
    browser_questions: int
    users: int
    questions_per_user: int


FULL, QUICK = Sizes(10, 10, 10, 10), Sizes(1, 2, 3, 2)


def spread(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "max": round(max(values), 1)}


def gold_questions() -> list[str]:
    """Single-turn same- and cross-language questions, alternating French and English."""
    cases = [c for c in load_gold() if c.kind in ("mono", "cross") and len(c.turns) == 1]
    french, english = ([c.turns[0] for c in cases if c.lang == lang] for lang in ("fr", "en"))
    return [q for pair in zip(french, english, strict=False) for q in pair]


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def running_server(
    folder: Path, responder: str = "extractive", settings: dict[str, str] | None = None
) -> Iterator[Server]:
    """The real server over a fresh index in `folder`; inherited ASSISTANT_* settings are dropped but the data dir
    and those in `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") or k == "ASSISTANT_DATA_DIR"}
    env.update(settings or {})
    env.update(
        ASSISTANT_STORE__PATH=str(folder / "index"),
        ASSISTANT_UI__FEEDBACK_DB=str(folder / "feedback.db"),
        HF_HUB_OFFLINE="1",
        GRADIO_ANALYTICS_ENABLED="False",
    )
    subprocess.run([sys.executable, "-m", "ingest"], env=env, cwd=REPO, capture_output=True, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with open(folder / "server.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "ui", "--port", str(port), "--responder", responder],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 180
            while not _healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: see {folder / 'server.log'}")
                time.sleep(0.5)
            yield Server(url, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def load_once(browser: Browser, url: str) -> tuple[float, list[str]]:
    """Milliseconds from navigation start until the question box can be typed in, and the URLs the page asked for."""
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("websocket", lambda socket: urls.append(socket.url))
    page.goto(url, wait_until="commit")
    ready = float(page.wait_for_function(READY).json_value())
    context.close()
    return ready, urls


def page_loads(browser: Browser, url: str, count: int) -> dict[str, Any]:
    load_once(browser, url)  # warms the server's caches
    loads = [load_once(browser, url) for _ in range(count)]
    outside = {
        u
        for _, urls in loads
        for u in urls
        if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname not in LOOPBACK
    }
    return {
        "loads": count,
        "interactive_ms": spread([ready for ready, _ in loads]),
        "requests_per_load": max(len(urls) for _, urls in loads),
        "non_loopback_requests": sorted(outside),
    }


def first_answers(browser: Browser, url: str, questions: list[str]) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    shown, final, cited = [], [], 0
    for question in questions:
        page.goto(url)  # a new conversation each time: these are single-turn questions
        page.wait_for_function(READY)
        page.evaluate(WATCH)
        page.fill("#question textarea", question)
        page.press("#question textarea", "Enter")
        page.wait_for_function("() => window.marks.final !== undefined", timeout=60_000)
        marks = page.evaluate("window.marks")
        shown.append(marks["shown"] - marks["sent"])
        final.append(marks["final"] - marks["sent"])
        cited += marks["cites"] > 0
    context.close()
    return {
        "questions": len(questions),
        "first_text_ms": spread(shown),
        "final_answer_ms": spread(final),
        "answers_with_citations": cited,
    }


Asker = Callable[[str], None]  # asks one question; raises when the answer is an error


@contextmanager
def api_user(url: str) -> Iterator[Asker]:
    with httpx.Client(base_url=url, timeout=120) as client:

        def ask(question: str) -> None:
            response = client.post("/api/ask", json={"question": question, "history": [], "language": None})
            response.raise_for_status()

        yield ask


@contextmanager
def chat_user(url: str) -> Iterator[Asker]:
    client = Client(url, verbose=False)

    def ask(question: str) -> None:
        client.reset_session()  # the chat keeps its turns per session: a new one keeps the question single-turn
        chat = client.submit(question, "auto", [], api_name="/ask").result()[0]
        if len(chat) < 2 or 'class="error"' in str(chat[-1]["content"]):
            raise RuntimeError(f"error answer: {chat[-1:]}")

    try:
        yield ask
    finally:
        client.close()


def simultaneous(
    user: Callable[[str], AbstractContextManager[Asker]], url: str, users: int, per_user: int, questions: list[str]
) -> dict[str, Any]:
    """`users` threads, each with its own client, asking `per_user` questions back to back from a common start."""
    started: list[float] = []
    start_line = threading.Barrier(users, action=lambda: started.append(time.perf_counter()))
    latencies: list[float] = []
    errors: list[str] = []
    finished: list[float] = []  # not the end of the pool, which includes closing the clients

    def run(number: int) -> None:
        with user(url) as ask:
            start_line.wait()
            for i in range(per_user):
                question = questions[(number * per_user + i) % len(questions)]
                before = time.perf_counter()
                try:
                    ask(question)
                    latencies.append((time.perf_counter() - before) * 1000)
                except Exception as error:
                    errors.append(f"{type(error).__name__}: {error}"[:200])
            finished.append(time.perf_counter())

    with ThreadPoolExecutor(users) as pool:
        list(pool.map(run, range(users)))
    wall = max(finished) - started[0]
    return {
        "users": users,
        "requests": users * per_user,
        "errors": len(errors),
        "error_samples": errors[:3],
        "wall_s": round(wall, 2),
        "answers_per_s": round(len(latencies) / wall, 2),
        "latency_ms": spread(latencies) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a much smaller run, as a smoke test")
    parser.add_argument("--out", type=Path, help="default: docs/benchmarks/ui.json (nothing with --quick)")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    out = args.out or (None if args.quick else REPO / "docs" / "benchmarks" / "ui.json")
    questions = gold_questions()
    defaults = UISettings()
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as server, sync_playwright() as playwright:
        url = server.url
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results: dict[str, Any] = {
            **provenance("benchmarks.ui", chromium=browser.version),
            "sizes": asdict(sizes),
            "responder": "extractive",
            "server": {"concurrency_limit": defaults.concurrency_limit, "max_queue": defaults.max_queue},
            "page_load": {path: page_loads(browser, url + path, sizes.page_loads) for path in ("/", "/widget/")},
            "browser_answer": first_answers(browser, url + "/", questions[: sizes.browser_questions]),
        }
        browser.close()
        results["users"] = {
            path: {str(n): simultaneous(user, url, n, sizes.questions_per_user, questions) for n in (1, sizes.users)}
            for path, user in (("api_ask", api_user), ("chat_ask", chat_user))
        }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
