"""`ASSISTANT_UI__RATE_LIMIT`: questions per user, or per client address, e.g. "30/minute".

A token bucket per key: a user may ask `count` questions in a burst, then one more each
`period / count`. What counts is what starts an answer: `POST /api/ask`, `/api/ask/stream`, and
a Gradio job (the chat's `queue/join`, or Gradio's `call`, `run` and `api` routes, which start
one too). Beyond the limit: 429, `Retry-After` and a JSON error. Each worker process keeps its
own buckets (docs/deployment.md).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable

from assistant.settings import UISettings
from ui.asgi import ASGIApp, Receive, Scope, Send, header, route_path, send_json_error
from ui.metrics import Metrics, gradio_path

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
ANSWERING_API = ("/api/ask", "/api/ask/stream")
GRADIO_JOB = re.compile(r"gradio_api/(queue/join|call/|run/|api/)")
MAX_KEYS = 10_000  # beyond it, the keys whose bucket has refilled are forgotten


class RateLimiter:
    def __init__(self, count: int, period_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(count)
        self.per_second = count / period_s
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens left, when)

    @classmethod
    def parse(cls, limit: str) -> RateLimiter:
        """From "30/minute" (the setting's format, checked by UISettings)."""
        count, _, period = limit.partition("/")
        return cls(int(count), PERIODS[period])

    def take(self, key: str) -> float:
        """0 when `key` may go on (the request is counted), else the seconds before it may."""
        now = self.clock()
        tokens, when = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - when) * self.per_second)
        if len(self._buckets) >= MAX_KEYS:
            self._forget_full(now)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / self.per_second

    def _forget_full(self, now: float) -> None:
        full_after = self.capacity / self.per_second
        self._buckets = {k: (t, w) for k, (t, w) in self._buckets.items() if now - w < full_after}


def starts_an_answer(scope: Scope) -> bool:
    if scope.get("method") != "POST":
        return False
    path = route_path(scope)
    inside = gradio_path(path)
    return path in ANSWERING_API if inside is None else bool(GRADIO_JOB.match(inside[1]))


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, settings: UISettings, metrics: Metrics) -> None:
        self.app = app
        self.limiter = RateLimiter.parse(settings.rate_limit)
        self.user_header = settings.trusted_user_header
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and starts_an_answer(scope):
            wait = self.limiter.take(self._key(scope))
            if wait > 0:
                self.metrics.rejections.labels("rate_limited").inc()
                seconds = math.ceil(wait)
                await send_json_error(
                    send,
                    429,
                    f"Too many questions: try again in {seconds} s.",
                    [(b"retry-after", str(seconds).encode())],
                )
                return
        await self.app(scope, receive, send)

    def _key(self, scope: Scope) -> str:
        """The user the authenticating proxy names, else the client's address."""
        user = header(scope, self.user_header).strip() if self.user_header else ""
        if user:
            return "user:" + user
        client = scope.get("client")
        return "address:" + (client[0] if client else "")
