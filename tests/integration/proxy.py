"""A minimal reverse proxy that serves an upstream app under a sub-path, as a company proxy would.

Run it with `lifespan="off"`. `/assistant/x` is forwarded to `upstream/x`, responses are streamed
back (server-sent events included), and redirects to absolute paths get the sub-path put back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
HOP_BY_HOP = {b"connection", b"keep-alive", b"transfer-encoding", b"te", b"upgrade", b"host", b"content-length"}


def sub_path_proxy(prefix: str, upstream: str) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if not (path == prefix or path.startswith(prefix + "/")):
            await _respond(send, 404, b"not under " + prefix.encode())
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        target = (path[len(prefix) :] or "/") + (f"?{scope['query_string'].decode()}" if scope["query_string"] else "")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP]
        async with httpx.AsyncClient(base_url=upstream, timeout=None) as client:
            request = client.build_request(scope["method"], target, headers=headers, content=body)
            response = await client.send(request, stream=True)
            out = [(k, v) for k, v in response.headers.raw if k.lower() not in HOP_BY_HOP]
            out = [(k, prefix.encode() + v if k.lower() == b"location" and v.startswith(b"/") else v) for k, v in out]
            await send({"type": "http.response.start", "status": response.status_code, "headers": out})
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
            await response.aclose()

    return app


async def _respond(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})
