"""Who may use the app and who may embed it.

- Auth (optional): a bearer token, or a header that the authenticating proxy in front sets.
  `/healthz` (for the proxy's checks) and `/embed.js` (loaded by intranet pages) stay public.
- Embedding: `Content-Security-Policy: frame-ancestors` lists the app itself and the allowed
  origins, so only those pages can frame the widget. CORS lets the same origins call the API.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from assistant.settings import UISettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PUBLIC_PATHS = ("/healthz", "/embed.js")


def frame_ancestors(settings: UISettings) -> str:
    return " ".join(["frame-ancestors", "'self'", *settings.allowed_origins])


class GuardMiddleware:
    """Refuses unauthenticated requests (when auth is on) and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, settings: UISettings) -> None:
        self.app = app
        self.settings = settings
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
        if not (settings.auth_token or settings.trusted_user_header) or _route_path(scope) in PUBLIC_PATHS:
            return True
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        if settings.trusted_user_header and headers.get(settings.trusted_user_header.lower(), "").strip():
            return True
        if settings.auth_token:
            return has_token(headers.get("authorization", ""), settings.auth_token)
        return False

    def _refusal(self) -> str:
        ways = []
        if self.settings.auth_token:
            ways.append("an 'Authorization: Bearer <token>' header")
        if self.settings.trusted_user_header:
            ways.append(f"the '{self.settings.trusted_user_header}' header set by the authenticating proxy")
        return "Authentication required: send " + " or ".join(ways) + "."


def has_token(authorization: str, token: str) -> bool:
    """Whether an Authorization header's value is "Bearer <token>" (compared in constant time)."""
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


def _route_path(scope: Scope) -> str:
    """The path inside the app, without the proxy's sub-path."""
    path, root = str(scope.get("path", "")), str(scope.get("root_path", ""))
    return path[len(root) :] if root and path.startswith(root) else path


async def _refuse(scope: Scope, send: Send, message: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"www-authenticate", b"Bearer"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


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
