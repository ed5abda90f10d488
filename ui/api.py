"""The HTTP API: `/api/ask` (JSON), `/api/ask/stream` (server-sent events) and `/healthz`.

`/api/ask` answers with the same JSON as `python -m assistant ask --json`. Errors are JSON too,
`{"error": "<what to do>"}`, with a status that says whose fault it is: 400/422 for the
request, 503 when the index or a backend is missing or the app is busy, 500 otherwise.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from assistant.answering.conversation import Message
from assistant.errors import AssistantError
from assistant.settings import Language
from ui.service import AnswerService, status_of

log = logging.getLogger(__name__)
INTERNAL_ERROR = "Internal error: it was logged for the administrators."


class HistoryMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(BaseModel):
    question: str  # its length limit is a setting, checked by the assistant with a helpful message
    history: list[HistoryMessage] = Field(default=[], max_length=100)
    language: Language | None = None

    def messages(self) -> list[Message]:
        return [Message(m.role, m.content) for m in self.history]


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    headers = {"Retry-After": "30", **(headers or {})} if status == 503 else headers
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def router(service: AnswerService) -> APIRouter:
    api = APIRouter()

    @api.post("/api/ask")
    def ask(request: AskRequest) -> JSONResponse:
        return JSONResponse(service.ask(request.question, request.messages(), request.language))

    @api.post("/api/ask/stream")
    def ask_stream(request: AskRequest) -> StreamingResponse:
        service.validate(request.question)  # a bad question gets a 400, not a stream that fails
        events = _sse(service, request)
        return StreamingResponse(
            events, media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        )

    @api.get("/healthz")
    def healthz() -> JSONResponse:
        try:
            return JSONResponse(service.health())
        except AssistantError as error:
            return JSONResponse({"status": "unavailable", "error": str(error)}, status_code=503)

    return api


def _sse(service: AnswerService, request: AskRequest) -> Iterator[str]:
    """`sources` (the passages), `token`s (the draft), then `final` (the checked answer) or `error`."""
    try:
        for chunk in service.stream_chunks(request.question, request.messages(), request.language):
            if "sources" in chunk:
                yield _event("sources", {"citations": chunk["sources"]})
            elif "draft" in chunk:
                yield _event("token", {"text": chunk["draft"]})
            else:
                yield _event("final", chunk)
    except AssistantError as error:
        yield _event("error", {"error": str(error), "status": status_of(error)})
    except Exception:
        log.exception("streamed answer failed")
        yield _event("error", {"error": INTERNAL_ERROR, "status": 500})


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AssistantError)
    async def assistant_error(_: Request, error: AssistantError) -> JSONResponse:
        return error_response(status_of(error), str(error))

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        # FastAPI's own refusals, e.g. 400 for a body that is not JSON, in the API's error shape too.
        return error_response(error.status_code, str(error.detail), dict(error.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in error.errors())
        return error_response(
            422, f'Invalid request ({problems}). Send JSON like {{"question": "...", "history": [], "language": "fr"}}.'
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("request failed", exc_info=error)
        return error_response(500, INTERNAL_ERROR)
