"""Command line: `python -m assistant ask [--json] [--history FILE] [--responder NAME] QUESTION`.

Errors the user can act on are printed as one line and exit with code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.answering import prompts
from assistant.answering.chain import make_chain
from assistant.answering.conversation import Message
from assistant.errors import AssistantError, BadInputError
from assistant.settings import LANGUAGES, RESPONDER_NAMES, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assistant", description="Ask questions about Inserm's international cooperation."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="answer one question, with citations")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON (the API contract)")
    ask.add_argument("--history", type=Path, help='JSON list of {"role": "user"|"assistant", "content": ...}')
    ask.add_argument("--responder", choices=RESPONDER_NAMES, help="override ASSISTANT_LLM__RESPONDER")
    ask.add_argument("--language", choices=LANGUAGES, help="answer in this language (default: the question's)")
    args = parser.parse_args(argv)
    try:
        history = read_history(args.history) if args.history else []
        chain = make_chain(load_settings(), responder=args.responder)
        answer = chain.invoke({"question": args.question, "history": history, "language": args.language})
    except AssistantError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(answer, ensure_ascii=False, indent=2) if args.json else render(answer))
    return 0


def read_history(path: Path) -> list[Message]:
    try:
        messages = json.loads(path.read_text(encoding="utf-8"))
        history = [Message(str(m["role"]), str(m["content"])) for m in messages]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInputError(
            f"Cannot read the history file {path} ({error}): it must be a JSON list of "
            '{"role": "user" or "assistant", "content": "..."} messages.'
        ) from None
    if any(m.role not in ("user", "assistant") for m in history):
        raise BadInputError(f'{path}: each message\'s role must be "user" or "assistant".')
    return history


def render(answer: dict[str, Any]) -> str:
    """The answer dict (`--json`'s) as text."""
    lines = [answer["answer"], ""]
    if answer["abstained"] and answer["citations"]:
        lines.append(prompts.SEE_ALSO[answer["language"]])
    for c in answer["citations"]:
        heading = f"{c['title']} › {c['section']}" if c["section"] else c["title"]
        lines.append(f"[{c['n']}] {heading} ({c['language']}) {c['url']}")
        lines += [f"    {line}" for line in c["text"].splitlines() if line.strip()][:6]
    lines += [f"warning: {w}" for w in answer["warnings"]]
    return "\n".join(lines).rstrip()
