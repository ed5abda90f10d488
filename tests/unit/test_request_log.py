"""X-Request-ID and the JSON log lines, on the real app."""

from __future__ import annotations

import json
import logging
import re

import pytest

from tests.unit.conftest import AppClient

BRUSSELS = "Quelles missions assure la représentation de l'Inserm à Bruxelles ?"


def lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "ui.requests"]


@pytest.fixture(autouse=True)
def _capture(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ui.requests")


def test_one_line_per_answer_with_the_request_id_and_no_question(
    app_client: AppClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = app_client()
    response = client.post("/api/ask", json={"question": BRUSSELS}, headers={"X-Request-ID": "intranet-42"})
    assert response.status_code == 200 and response.headers["x-request-id"] == "intranet-42"
    [line] = lines(caplog)
    assert line["event"] == "answer" and line["request_id"] == "intranet-42" and line["status"] == 200
    assert line["endpoint"] == "/api/ask" and line["responder"] == "extractive" and line["abstained"] is False
    assert line["warnings"] == [] and line["fallback"] == "" and line["citations"] == len(response.json()["citations"])
    timings = line["timings_ms"]
    assert isinstance(timings, dict) and set(timings) == {"retrieve", "generate", "first_token", "total"}
    assert "question" not in line and "Horizon" not in caplog.text


def test_ids_are_made_when_missing_or_unfit_and_errors_are_logged_once(
    app_client: AppClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = app_client(auth_token="s3cret")
    refused = client.post("/api/ask", json={"question": BRUSSELS}, headers={"X-Request-ID": 'x" "event": "forged'})
    made = refused.headers["x-request-id"]
    assert refused.status_code == 401 and re.fullmatch(r"[0-9a-f]{32}", made)
    bad = client.post("/api/ask", json={"question": "  "}, headers={"Authorization": "Bearer s3cret"})
    assert bad.status_code == 400 and bad.headers["x-request-id"] != made
    first, second = lines(caplog)
    assert (first["event"], first["status"], first["request_id"], first["endpoint"]) == ("error", 401, made, "/api/ask")
    assert (second["event"], second["status"], second["request_id"]) == ("error", 400, bad.headers["x-request-id"])
    assert "empty" in str(second["error"])  # the answering service's line, not a second one from the middleware


def test_the_question_is_logged_only_when_allowed(app_client: AppClient, caplog: pytest.LogCaptureFixture) -> None:
    client = app_client(log_questions=True)
    client.post("/api/ask/stream", json={"question": BRUSSELS})
    [line] = lines(caplog)
    assert line["question"] == BRUSSELS and line["endpoint"] == "/api/ask/stream" and line["event"] == "answer"
