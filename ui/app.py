"""The one ASGI app: the chat at `/`, the widget at `/widget`, the API, `/healthz` and `/embed.js`.

Gradio is mounted on FastAPI; every asset comes from this server (Gradio's bundled front end,
system fonts, our CSS and JS), so the pages work on an intranet with no internet access.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import FileResponse

from assistant.settings import Settings
from ui import admin, api
from ui.chat import build_chat
from ui.feedback import FeedbackStore
from ui.security import secure
from ui.service import AnswerService

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

    @app.get("/embed.js", include_in_schema=False)
    def embed_script() -> FileResponse:
        return FileResponse(
            STATIC / "embed.js",
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
        )

    page = {
        "theme": THEME,
        "css": (STATIC / "chat.css").read_text(encoding="utf-8"),
        "head": f"<script>{(STATIC / 'chat.js').read_text(encoding='utf-8')}</script>",
        "root_path": ui.root_path or None,
        "footer_links": [],
        "show_error": False,
    }
    # The widget first: a mount at "/" would otherwise take "/widget" too.
    for path, compact in (("/widget", True), ("/", False)):
        blocks = build_chat(service, feedback, compact=compact)
        blocks.queue(default_concurrency_limit=ui.concurrency_limit, max_size=ui.max_queue)
        app = gr.mount_gradio_app(app, blocks, path=path, **page)
    secure(app, ui)
    return app
