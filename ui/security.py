"""Who may use the app and who may embed it.

- Auth (optional): a bearer token, or a header that the authenticating proxy in front sets.
  `/healthz` (for the proxy's checks) and `/embed.js` (loaded by intranet pages) stay public;
  so does `/metrics` with `metrics_public`.
- Embedding: `Content-Security-Policy: frame-ancestors` lists the app itself and the allowed
  origins, so only those pages can frame the widget. CORS lets the same origins call the API.
"""

from __future__ import annotations

import hmac

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from assistant.settings import UISettings
from ui.asgi import ASGIApp, Message, Receive, Scope, Send, route_path, send_json_error

PUBLIC_PATHS = ("/healthz", "/embed.js")


def frame_ancestors(settings: UISettings) -> str:
    return " ".join(["frame-ancestors", "'self'", *settings.allowed_origins])


class GuardMiddleware:
    """Refuses unauthenticated requests (when auth is on) and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, settings: UISettings) -> None:
        self.app = app
        self.settings = settings
        # /metrics joins the public paths when the operator says so (a scraper that cannot authenticate).
        self.public_paths = (*PUBLIC_PATHS, "/metrics") if settings.metrics_public else PUBLIC_PATHS
        self.headers = [
            (b"content-security-policy", frame_ancestors(settings).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not self._authorised(scope):
            await _refuse(scope, send, self._refusal())
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in self.headers if name not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _authorised(self, scope: Scope) -> bool:
        settings = self.settings
        auth_token = settings.auth_token.get_secret_value()
        if not (auth_token or settings.trusted_user_header) or route_path(scope) in self.public_paths:
            return True
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        if settings.trusted_user_header and headers.get(settings.trusted_user_header.lower(), "").strip():
            return True
        if auth_token:
            return has_token(headers.get("authorization", ""), auth_token)
        return False

    def _refusal(self) -> str:
        ways = []
        if self.settings.auth_token.get_secret_value():
            ways.append("an 'Authorization: Bearer <token>' header")
        if self.settings.trusted_user_header:
            ways.append(f"the '{self.settings.trusted_user_header}' header set by the authenticating proxy")
        return "Authentication required: send " + " or ".join(ways) + "."


def has_token(authorization: str, token: str) -> bool:
    """Whether an Authorization header's value is "Bearer <token>" (compared in constant time)."""
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


async def _refuse(scope: Scope, send: Send, message: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    await send_json_error(send, 401, message, [(b"www-authenticate", b"Bearer")])


def secure(app: FastAPI, settings: UISettings) -> None:
    """Add the guard, then CORS outside it (so that preflight requests need no credentials)."""
    app.add_middleware(GuardMiddleware, settings=settings)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )
