"""No uploads, and a cap on every request body.

The chat takes no files, but Gradio's routes would store any file posted to them (`upload`,
`process_recording`, and `component_server` with a multipart form) in its temp folder, for
anyone. So multipart bodies and those routes are refused (403) before a byte is read,
and any body larger than `max_body_kb` gets 413: at once when its Content-Length says so, or as
soon as a chunked body goes past it (the app is then told the client left, and its own reply is
dropped).
"""

from __future__ import annotations

from assistant.settings import UISettings
from ui.asgi import ASGIApp, Message, Receive, Scope, Send, header, route_path, send_json_error
from ui.metrics import gradio_path

# Gradio's routes that take files, and `component_server`, which runs components' server functions:
# the chat has none, and an unknown component there is an unhandled KeyError (500).
CLOSED_ROUTES = (
    "gradio_api/upload",
    "gradio_api/upload_progress",
    "gradio_api/process_recording",
    "gradio_api/component_server",
)
NO_UPLOADS = "This server takes no file uploads (nor calls to components' server functions)."


def is_upload(scope: Scope) -> bool:
    inside = gradio_path(route_path(scope))
    if inside is not None and inside[1].rstrip("/") in CLOSED_ROUTES:
        return True
    return header(scope, "content-type").split(";")[0].strip().lower() == "multipart/form-data"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, settings: UISettings) -> None:
        self.app = app
        self.max_bytes = settings.max_body_kb * 1024
        self.too_large = f"The request body is larger than {settings.max_body_kb} KB."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if is_upload(scope):
            await send_json_error(send, 403, NO_UPLOADS)
            return
        length = header(scope, "content-length")
        if length and (not length.isdigit() or int(length) > self.max_bytes):
            await send_json_error(send, 413, self.too_large)
            return
        received = 0
        refused = False
        replied = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    if not replied:
                        await send_json_error(send, 413, self.too_large)
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            nonlocal replied
            if refused:
                return  # the 413 was sent already
            replied = True
            await send(message)

        try:
            await self.app(scope, limited_receive, send_unless_refused)
        except Exception:
            if not refused:
                raise  # otherwise the app only failed because it was told that the client left
