"""Request ids, one JSON log line per answer and per error, and the request counters.

Every response carries `X-Request-ID`: the client's own when it sent a plausible one, else a new
one, which is also written into the request's headers so that Gradio's queued chat jobs (which
run outside the request's task) see it. The answering service logs each answer and each
failed answer (`ui.service`); this middleware logs the other error responses (401, 413, 429...).
The lines go to the `ui.requests` logger, one JSON object each, without the question unless
`log_questions` is set.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field

from gradio.context import LocalContext

from ui.asgi import ASGIApp, Message, Receive, Scope, Send, header, route_path
from ui.metrics import Metrics, endpoint_of

HEADER = "X-Request-ID"
VALID_ID = re.compile(r"[\w.:-]{1,128}")  # a client's id goes into log lines: nothing that could forge one
log = logging.getLogger("ui.requests")


@dataclass
class RequestContext:
    request_id: str
    endpoint: str
    started: float = field(default_factory=time.perf_counter)
    logged: bool = False  # the answering service has written this request's line


_current: ContextVar[RequestContext | None] = ContextVar("ui_request", default=None)


def current() -> RequestContext:
    """The request being answered: an API request (set by the middleware), or the chat's queued job,
    whose original request Gradio keeps; a fresh context when there is neither (a direct call)."""
    context = _current.get()
    if context is not None:
        return context
    gradio_request = LocalContext.request.get(None)
    given = str(gradio_request.headers.get(HEADER, "")) if gradio_request is not None else ""
    return RequestContext(given if VALID_ID.fullmatch(given) else new_id(), "chat")


def new_id() -> str:
    return uuid.uuid4().hex


def write(event: str, context: RequestContext, status: int, **fields: object) -> None:
    """One log line: {"event", "request_id", "endpoint", "status", ...fields}."""
    context.logged = True
    record = {"event": event, "request_id": context.request_id, "endpoint": context.endpoint, "status": status}
    log.info(json.dumps(record | fields, ensure_ascii=False))


def configure() -> None:
    """Send the lines to stderr as they are (one JSON object per line), for `python -m ui`."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = header(scope, HEADER)
        request_id = given if VALID_ID.fullmatch(given) else new_id()
        if request_id != given:
            name = HEADER.lower().encode()
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != name] + [
                (name, request_id.encode())
            ]
        context = RequestContext(request_id, endpoint_of(route_path(scope)))
        token = _current.set(context)
        status = 500  # unless the app answers: an exception becomes a 500 outside this middleware

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (HEADER.lower().encode(), request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _current.reset(token)
            self.metrics.requests.labels(context.endpoint, str(status)).inc()
            if status == 503 and context.endpoint.endswith(":queue/join"):
                self.metrics.rejections.labels("chat_queue_full").inc()
            if status >= 400 and not context.logged:
                elapsed = (time.perf_counter() - context.started) * 1000
                write("error", context, status, method=scope.get("method"), timings_ms={"total": round(elapsed, 1)})
