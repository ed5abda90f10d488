"""Every error of the API is `{"error": ...}`, FastAPI's own refusals included."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from ui.api import install_error_handlers


def test_fastapis_own_refusals_keep_the_apis_error_shape_and_headers() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/api/ask")
    def ask() -> None:
        # What FastAPI raises for a body it cannot parse, before the endpoint runs.
        raise HTTPException(400, "There was an error parsing the body", headers={"X-Why": "body"})

    response = TestClient(app).post("/api/ask", content=b"\x00")
    assert response.status_code == 400
    assert response.json() == {"error": "There was an error parsing the body"}
    assert response.headers["X-Why"] == "body"
