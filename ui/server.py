"""uvicorn's server, with a drain before it stops: what a rolling restart or a scale-down needs.

On SIGTERM (or Ctrl-C) the questions already in, chat and API alike, finish; questions that arrive
and /healthz get 503 meanwhile, so that a proxy or an orchestrator sends users elsewhere. After
`grace_s`, or once nothing is in flight, uvicorn stops as usual. A second signal stops at once.
"""

from __future__ import annotations

import json
import logging
import threading
from types import FrameType

import uvicorn

from ui.security import ASGIApp, Receive, Scope, Send, route_path
from ui.service import AnswerService, StoppingError

log = logging.getLogger(__name__)
# Where a question comes in: the API, and the chat's queue (at / and at /widget).
QUESTION_PATHS = ("/api/ask", "/api/ask/stream", "/gradio_api/queue/join", "/widget/gradio_api/queue/join")


class AdmissionMiddleware:
    """Counts each question from the moment its request arrives, before it waits for a worker thread, so that
    a drain waits for it; refuses it with 503 once the server is stopping."""

    def __init__(self, app: ASGIApp, service: AnswerService) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or route_path(scope) not in QUESTION_PATHS:
            await self.app(scope, receive, send)
            return
        try:
            with self.service.admitted():
                await self.app(scope, receive, send)
        except StoppingError as error:
            body = json.dumps({"error": str(error)}).encode()
            headers = [(b"content-type", b"application/json"), (b"retry-after", b"30")]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": body})


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, service: AnswerService, grace_s: float) -> None:
        super().__init__(config)
        self.service, self.grace_s = service, grace_s
        self._draining: threading.Thread | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._draining is not None:
            super().handle_exit(sig, frame)
            return
        # Waiting here would block the event loop that is finishing the answers: wait in a thread.
        self._draining = threading.Thread(target=self._drain, args=(sig, frame), name="drain", daemon=True)
        self._draining.start()

    def _drain(self, sig: int, frame: FrameType | None) -> None:
        left = self.service.stop(self.grace_s)
        if left:
            log.warning("stopping with %d answers still running after %.0f s", left, self.grace_s)
        super().handle_exit(sig, frame)
