"""GET /metrics on the real app: what it counts, that each app counts alone, and who may read it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from assistant.errors import BackendUnavailableError, EmptyIndexError
from tests.helpers import scripted
from tests.unit.conftest import AppClient
from ui.metrics import Metrics, endpoint_of

BRUSSELS = "Quelles missions assure la représentation de l'Inserm à Bruxelles ?"


def samples(client: TestClient, **headers: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def test_answers_requests_and_the_index_are_counted(app_client: AppClient) -> None:
    client = app_client()
    assert client.post("/api/ask", json={"question": BRUSSELS}).status_code == 200
    assert client.post("/api/ask", json={"question": "Quelle est la recette de la tarte tatin en 2010 ?"}).json()[
        "abstained"
    ]
    assert client.post("/api/ask", json={"question": ""}).status_code == 400
    found = samples(client)
    assert value(found, "assistant_http_requests_total", endpoint="/api/ask", status="200") == 2
    assert value(found, "assistant_http_requests_total", endpoint="/api/ask", status="400") == 1
    assert value(found, "assistant_answers_total", responder="extractive") == 2
    assert value(found, "assistant_abstentions_total") == 1
    for histogram in ("retrieval", "first_token", "answer"):
        assert value(found, f"assistant_{histogram}_seconds_count") == 2
    assert value(found, "assistant_answer_seconds_sum") >= value(found, "assistant_retrieval_seconds_sum") > 0
    assert value(found, "assistant_index_available") == 1 and value(found, "assistant_index_generation") == 1
    assert value(found, "assistant_index_chunks") == client.get("/healthz").json()["chunks"] > 0
    assert value(found, "assistant_queue_depth") == 0 and value(found, "assistant_answers_in_progress") == 0


def test_fallbacks_to_quoting_are_counted_with_their_reason(app_client: AppClient) -> None:
    down = scripted([], error=BackendUnavailableError("connection refused"))
    client = app_client(responder=down)
    answer = client.post("/api/ask", json={"question": BRUSSELS}).json()
    assert answer["responder"] == "extractive" and answer["warnings"]
    found = samples(client)
    assert value(found, "assistant_fallbacks_total", reason="llm_unavailable") == 1
    assert value(found, "assistant_fallbacks_total", reason="ungrounded") == 0
    assert value(found, "assistant_answers_total", responder="extractive") == 1


def test_each_app_has_its_own_registry(app_client: AppClient) -> None:
    first, second = app_client(), app_client()
    first.post("/api/ask", json={"question": BRUSSELS})
    assert value(samples(first), "assistant_answers_total", responder="extractive") == 1
    assert value(samples(second), "assistant_answers_total", responder="extractive") == 0


def test_metrics_follow_the_api_access_rule_unless_public(app_client: AppClient) -> None:
    guarded = app_client(auth_token="s3cret")
    assert guarded.get("/metrics").status_code == 401
    assert samples(guarded, Authorization="Bearer s3cret")
    public = app_client(auth_token="s3cret", metrics_public=True)
    assert samples(public)
    assert public.post("/api/ask", json={"question": BRUSSELS}).status_code == 401  # only /metrics is opened


def test_an_unreadable_index_is_reported_not_raised() -> None:
    def no_index() -> dict[str, object]:
        raise EmptyIndexError("No index yet: run python -m ingest.")

    metrics = Metrics()
    metrics.watch_index(no_index)
    text = metrics.exposition().decode()
    assert "assistant_index_available 0.0" in text and "assistant_index_chunks " not in text


def test_endpoint_labels_take_a_few_values_whatever_the_path() -> None:
    assert endpoint_of("/api/ask") == "/api/ask" and endpoint_of("/metrics") == "/metrics"
    assert endpoint_of("/") == "chat:page" and endpoint_of("/widget/") == "widget:page"
    assert endpoint_of("/widget/gradio_api/queue/join") == "widget:queue/join"
    assert endpoint_of("/gradio_api/queue/data") == "chat:queue/data"
    assert endpoint_of("/gradio_api/upload") == "chat:upload"
    assert endpoint_of("/gradio_api/info/x1y2z3") == "chat:gradio_api"
    assert endpoint_of("/assets/index-123abc.js") == endpoint_of("/random-9f8e7d") == "chat:static"
