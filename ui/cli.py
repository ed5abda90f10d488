"""`python -m ui [--host H] [--port P]`: serve the chat, the widget and the API.

`python -m ui export-feedback FILE`: write the users' thumbs up/down as eval cases (gold JSONL).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from assistant.errors import AssistantError
from assistant.settings import RESPONDER_NAMES, Settings, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ui", description="Serve the assistant's chat page, embeddable widget and HTTP API."
    )
    parser.add_argument("--host", help="interface to listen on (default: ASSISTANT_UI__HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: ASSISTANT_UI__PORT or 7860)")
    parser.add_argument("--root-path", help='public sub-path behind a reverse proxy, e.g. "/assistant"')
    parser.add_argument("--responder", choices=RESPONDER_NAMES, help="override ASSISTANT_LLM__RESPONDER")
    commands = parser.add_subparsers(dest="command")
    export = commands.add_parser("export-feedback", help="write the feedback as eval cases (gold JSONL)")
    export.add_argument("out", type=Path)
    export.add_argument("--rating", choices=("up", "down"), help="only this rating (default: both)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        if args.command == "export-feedback":
            return export_feedback(settings.feedback_path, args.out, args.rating)
        overrides = {
            k: v for k, v in (("host", args.host), ("port", args.port), ("root_path", args.root_path)) if v is not None
        }
        settings = settings.model_copy(update={"ui": settings.ui.model_copy(update=overrides)})
        return serve(settings, args.responder)
    except AssistantError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def export_feedback(database: Path, out: Path, rating: str | None) -> int:
    from ui.feedback import FeedbackStore

    if not database.exists():
        print(f"error: no feedback yet ({database} does not exist).", file=sys.stderr)
        return 2
    count = FeedbackStore(database).export(out, rating)
    print(f"{count} cases written to {out}")
    return 0


def serve(settings: Settings, responder: str | None) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from an intranet
    from ui.freed_memory import map_large_buffers

    map_large_buffers()  # before the models load: otherwise the server creeps up ~40 MB/h (ui/freed_memory.py)
    import uvicorn

    from ui import request_log
    from ui.app import create_app
    from ui.server import DrainingServer
    from ui.service import AnswerService

    request_log.configure()

    service = AnswerService.from_settings(settings, responder)
    print(f"Loading the models ({service.responder} responder)…", flush=True)
    service.warm_up()
    ui = settings.ui
    app = create_app(settings, service)
    print(
        f"Chat: http://{ui.host}:{ui.port}{ui.root_path}/  ·  widget: {ui.root_path}/widget/  ·  "
        f"embed script: {ui.root_path}/embed.js  ·  API: {ui.root_path}/api/ask",
        flush=True,
    )
    config = uvicorn.Config(
        app, host=ui.host, port=ui.port, root_path=ui.root_path, log_level="warning", timeout_graceful_shutdown=5
    )
    DrainingServer(config, service, ui.shutdown_grace_s).run()
    return 0
