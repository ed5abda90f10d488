"""The rate limit: the token bucket on a fake clock, then the real app's API and Gradio routes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.settings import UISettings
from tests.unit.conftest import AppClient
from ui.rate_limit import RateLimiter

HORIZON = "Combien de projets Horizon Europe l'Inserm coordonne-t-il ?"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_more_each_period_over_count() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 60, clock)
    assert [limiter.take("marie") for _ in range(3)] == [0, 0, 0]
    assert limiter.take("marie") == pytest.approx(20)
    assert limiter.take("pierre") == 0  # each key has its own bucket
    clock.now += 20
    assert limiter.take("marie") == 0 and limiter.take("marie") == pytest.approx(20)


def test_the_setting_is_checked() -> None:
    assert RateLimiter.parse("30/minute").per_second == pytest.approx(0.5)
    with pytest.raises(ValidationError):
        UISettings(rate_limit="30 per minute")


def test_beyond_the_limit_the_api_and_the_chat_get_429(app_client: AppClient) -> None:
    client = app_client(rate_limit="2/hour", trusted_user_header="X-Forwarded-User")
    marie, pierre = {"X-Forwarded-User": "marie"}, {"X-Forwarded-User": "pierre"}
    assert client.post("/api/ask", json={"question": HORIZON}, headers=marie).status_code == 200
    assert client.post("/api/ask/stream", json={"question": HORIZON}, headers=marie).status_code == 200
    for path in ("/api/ask", "/gradio_api/queue/join", "/widget/gradio_api/call/ask", "/gradio_api/run/ask"):
        refused = client.post(path, json={"question": HORIZON}, headers=marie)
        assert refused.status_code == 429, path
        assert int(refused.headers["retry-after"]) == 1800 and "try again" in refused.json()["error"]
    assert client.post("/api/ask", json={"question": HORIZON}, headers=pierre).status_code == 200
    assert client.get("/healthz", headers=marie).status_code == 200  # only what starts an answer counts
    metrics = client.get("/metrics", headers=marie).text
    assert 'assistant_rejections_total{reason="rate_limited"} 4.0' in metrics


def test_without_a_user_the_client_address_is_the_key(app_client: AppClient) -> None:
    client = app_client(rate_limit="1/day")
    assert client.post("/gradio_api/queue/join", json={}).status_code != 429  # Gradio's own answer
    assert client.post("/api/ask", json={"question": HORIZON}).status_code == 429
