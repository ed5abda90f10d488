"""What a user waits for: `python -m ui --responder local` over a fresh index, questions sent to
`POST /api/ask/stream` one at a time, and the time to each server-sent event as the client reads it.

    python -m benchmarks.first_token [--limit 20] [--followups] [--out docs/benchmarks/first_token.json]

The questions are the single-turn answerable ones of the gold set's test split (no setting was
tuned on them), both languages; one warm-up question (from the dev split) first. With `--followups`,
the test split's conversations: their earlier turns are asked first, and the last one is timed.

"First text" is the first `token` event, or the `final` one when nothing was streamed (an
abstention, a fallback to quoting): the moment the answer starts to appear. "First words" is when
the streamed text first holds a word beyond the assistant's fixed introduction ("Here is what the
sources say…", which a quoting answer sends at once), or the final event: the moment the answer
itself starts. The server uses the environment's settings, so that a lever
(`ASSISTANT_ANSWER__COMPOSE=quote`) is measured by setting it for one run.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from assistant.answering import prompts
from benchmarks.answering import percentile
from benchmarks.provenance import provenance
from benchmarks.ui import running_server
from evals.gold import load_gold
from evals.split import select

REPO = Path(__file__).resolve().parents[1]


def _has_words(draft: str) -> bool:
    for intro in prompts.FRAMING:
        draft = draft.replace(intro, "")
    return any(c.isalpha() for c in draft)


def timed_answer(url: str, question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Seconds from sending the question to the sources, the first text, the first words and the final answer
    (and the answer's text, for the conversation's next turn)."""
    started = time.perf_counter()
    seen: dict[str, Any] = {}
    event, draft = "", ""
    request = {"question": question, "history": history or []}
    with httpx.stream("POST", f"{url}/api/ask/stream", json=request, timeout=300) as response:
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
                    seen.setdefault("first_words_s", elapsed)
            elif line.startswith("data:") and event == "token":
                draft += str(json.loads(line[5:]).get("text", ""))
                if _has_words(draft):
                    seen.setdefault("first_words_s", time.perf_counter() - started)
            elif line.startswith("data:") and event == "final":
                final = json.loads(line[5:])
                seen |= {"responder": final["responder"], "abstained": final["abstained"], "answer": final["answer"]}
    return seen


def timed_follow_up(url: str, turns: list[str]) -> dict[str, Any]:
    """The last turn of a conversation timed, the earlier ones asked first (their answers become its history)."""
    history: list[dict[str, str]] = []
    for turn in turns[:-1]:
        history += [
            {"role": "user", "content": turn},
            {"role": "assistant", "content": timed_answer(url, turn)["answer"]},
        ]
    return timed_answer(url, turns[-1], history)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20, help="questions asked (0: all)")
    parser.add_argument(
        "--followups", action="store_true", help="time the last turn of the test split's conversations instead"
    )
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks" / "first_token.json")
    args = parser.parse_args()
    dev, test = (
        [c.turns for c in select(load_gold(), half) if (len(c.turns) > 1) == args.followups and c.answerable]
        for half in ("dev", "test")
    )
    conversations = test[: args.limit] if args.limit else test

    settings = {k: v for k, v in os.environ.items() if k.startswith("ASSISTANT_")}
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), "local", settings) as server:
        # Warm-up: loading the model is not a per-question cost. A dev question, so that no measured
        # question finds its own prompt already cached.
        timed_answer(server.url, dev[0][0])
        runs = [timed_follow_up(server.url, turns) for turns in conversations]

    results = provenance("benchmarks.first_token", settings=settings)
    results["questions"] = len(runs)
    results["followups"] = args.followups
    for key in ("sources_s", "first_text_s", "first_words_s", "final_s"):
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
