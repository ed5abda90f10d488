"""The one ASGI app: the chat at `/`, the widget at `/widget`, the API, `/healthz`, `/metrics` and `/embed.js`.

Gradio is mounted on FastAPI; every asset comes from this server (Gradio's bundled front end,
system fonts, our CSS and JS), so the pages work on an intranet with no internet access.
Around it, from the outside in: request ids, logs and counters (`request_log`), CORS and auth
(`security`), the rate limit (`rate_limit`), then no uploads and a body cap (`body_limits`).
"""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from assistant.settings import Settings
from ui import admin, api, metrics
from ui.body_limits import BodyLimitMiddleware
from ui.chat import build_chat
from ui.feedback import FeedbackStore
from ui.rate_limit import RateLimitMiddleware
from ui.request_log import RequestLogMiddleware
from ui.security import secure
from ui.server import AdmissionMiddleware
from ui.service import AnswerService
from ui.strings import launcher_strings

STATIC = Path(__file__).resolve().parent / "static"
# System fonts: Gradio's default theme would fetch Google Fonts, which an intranet cannot reach.
THEME = gr.themes.Default(
    font=["system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "monospace"],
)


def create_app(settings: Settings, service: AnswerService) -> FastAPI:
    ui = settings.ui
    app = FastAPI(title="Inserm international assistant", docs_url=None, redoc_url=None)
    api.install_error_handlers(app)
    app.include_router(api.router(service))
    feedback = FeedbackStore(settings.feedback_path)
    app.include_router(admin.router(feedback, service.assistant.retriever.store, ui))

    script = (STATIC / "embed.js").read_text(encoding="utf-8")
    script = script.replace("/* ui/strings.py */ null", json.dumps(launcher_strings(), ensure_ascii=False))

    @app.get("/embed.js", include_in_schema=False)
    def embed_script() -> Response:
        return Response(
            script,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
        )

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(service.metrics.exposition(), media_type=metrics.CONTENT_TYPE)

    @app.get("/widget", include_in_schema=False)
    def widget_slash(request: Request) -> RedirectResponse:
        # Relative to this path, so it stays under whatever public path a proxy serves the app at.
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"widget/{query}", status_code=307)

    page = {
        "theme": THEME,
        "css": (STATIC / "chat.css").read_text(encoding="utf-8"),
        "head": f"<script>{(STATIC / 'chat.js').read_text(encoding='utf-8')}</script>",
        "footer_links": [],
        "show_error": False,
        "run_history": False,  # else Gradio adds routes that call the Hugging Face Hub with a user's token
    }
    # The widget first: a mount at "/" would otherwise take "/widget" too.
    for path, compact in (("/widget", True), ("/", False)):
        blocks = build_chat(service, feedback, compact=compact)
        blocks.queue(default_concurrency_limit=ui.concurrency_limit, max_size=ui.max_queue)
        # Gradio's root path is the public address of this mount, not of the whole app.
        public = ui.root_path + path.rstrip("/") if ui.root_path else None
        app = gr.mount_gradio_app(app, blocks, path=path, root_path=public, **page)
    # Starlette runs the middleware added last first.
    app.add_middleware(AdmissionMiddleware, service=service)
    app.add_middleware(BodyLimitMiddleware, settings=ui)
    if ui.rate_limit:
        app.add_middleware(RateLimitMiddleware, settings=ui, metrics=service.metrics)
    secure(app, ui)  # outside the limits: who may ask is checked first
    app.add_middleware(RequestLogMiddleware, metrics=service.metrics)
    return app
