"""What a user waits for: `python -m ui` started as the README does, questions sent to
`POST /api/ask/stream` one at a time, and the time to each server-sent event as the client reads it.

    python -m benchmarks.first_token [--limit 20] [--out docs/benchmarks/first_token.json]

The questions are the single-turn answerable ones of the gold set's test split (no setting was
tuned on them), both languages; one warm-up question first. "First text" is the first `token`
event, or the `final` one when nothing was streamed (an abstention, a fallback to quoting): the
moment the answer starts to appear. The server uses the environment's settings, so that a lever
(`ASSISTANT_ANSWER__FOCUS_SENTENCES=3`) is measured by setting it for one run.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.provenance import provenance
from evals.gold import load_gold
from evals.split import select

REPO = Path(__file__).resolve().parents[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed_answer(url: str, question: str) -> dict[str, Any]:
    """Seconds from sending the question to the sources, the first text and the final answer."""
    started = time.perf_counter()
    seen: dict[str, Any] = {}
    event = ""
    with httpx.stream("POST", f"{url}/api/ask/stream", json={"question": question}, timeout=300) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
                elapsed = time.perf_counter() - started
                if event == "sources":
                    seen.setdefault("sources_s", elapsed)
                if event in ("token", "final"):
                    seen.setdefault("first_text_s", elapsed)
                if event == "final":
                    seen["final_s"] = elapsed
            elif line.startswith("data:") and event == "final":
                final = json.loads(line[5:])
                seen |= {"responder": final["responder"], "abstained": final["abstained"]}
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20, help="questions asked (0: all)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks" / "first_token.json")
    args = parser.parse_args()
    questions = [c.turns[0] for c in select(load_gold(), "test") if len(c.turns) == 1 and c.answerable]
    questions = questions[: args.limit] if args.limit else questions

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(REPO / "first_token-ui.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen([sys.executable, "-m", "ui", "--port", str(port)], stdout=log, stderr=log, cwd=REPO)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"python -m ui did not start: see {log.name}")
            time.sleep(1)
        timed_answer(url, questions[0])  # warm-up: loading the model is not a per-question cost
        runs = [timed_answer(url, q) for q in questions]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        Path(log.name).unlink(missing_ok=True)

    settings = {k: v for k, v in os.environ.items() if k.startswith("ASSISTANT_")}
    results = provenance("benchmarks.first_token", settings=settings)
    results["questions"] = len(runs)
    for key in ("sources_s", "first_text_s", "final_s"):
        values = [r[key] for r in runs if key in r]
        results[f"{key}_p50"], results[f"{key}_p95"] = percentile(values, 0.5), percentile(values, 0.95)
    results["answers_by_responder"] = {
        name: sum(r.get("responder") == name for r in runs) for name in {r.get("responder") for r in runs}
    }
    results["abstained"] = sum(bool(r.get("abstained")) for r in runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
