"""Auth, embedding origins and CORS, on a real FastAPI app through HTTP (Starlette's test client)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.settings import UISettings
from ui.security import secure

INTRANET = "https://intranet.inserm.fr"


def client(**settings: object) -> TestClient:
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/ask")
    def ask() -> dict[str, str]:
        return {"answer": "97"}

    @app.get("/widget/")
    def widget() -> str:
        return "page"

    secure(app, UISettings(**settings))  # type: ignore[arg-type]
    return TestClient(app)


def test_without_auth_settings_everything_is_open() -> None:
    assert client().post("/api/ask").status_code == 200


def test_bearer_token_is_required_when_set() -> None:
    api = client(auth_token="s3cret")
    refused = api.post("/api/ask")
    assert refused.status_code == 401 and "Bearer" in refused.json()["error"]
    assert refused.headers["www-authenticate"] == "Bearer"
    assert api.post("/api/ask", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert api.post("/api/ask", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert api.get("/widget/").status_code == 401


def test_health_stays_public_for_the_proxy() -> None:
    assert client(auth_token="s3cret").get("/healthz").status_code == 200


def test_trusted_header_lets_the_proxy_vouch_for_users() -> None:
    api = client(trusted_user_header="X-Forwarded-User")
    assert api.get("/widget/").status_code == 401
    assert api.get("/widget/", headers={"X-Forwarded-User": ""}).status_code == 401
    assert api.get("/widget/", headers={"X-Forwarded-User": "marie.curie"}).status_code == 200


def test_either_way_in_when_both_are_set() -> None:
    api = client(auth_token="s3cret", trusted_user_header="X-Forwarded-User")
    assert api.post("/api/ask", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert api.post("/api/ask", headers={"X-Forwarded-User": "marie"}).status_code == 200
    assert api.post("/api/ask").status_code == 401


def test_only_allowed_origins_may_frame_the_pages() -> None:
    assert client().get("/widget/").headers["content-security-policy"] == "frame-ancestors 'self'"
    framed = client(allowed_origins=[INTRANET]).get("/widget/")
    assert framed.headers["content-security-policy"] == f"frame-ancestors 'self' {INTRANET}"
    assert framed.headers["x-content-type-options"] == "nosniff"


def test_cors_allows_the_configured_origins_only() -> None:
    api = client(allowed_origins=[INTRANET], auth_token="s3cret")
    preflight = {
        "Origin": INTRANET,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    allowed = api.options("/api/ask", headers=preflight)  # preflights carry no credentials
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == INTRANET
    other = api.options("/api/ask", headers={**preflight, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    answered = api.post("/api/ask", headers={"Origin": INTRANET, "Authorization": "Bearer s3cret"})
    assert answered.headers["access-control-allow-origin"] == INTRANET
