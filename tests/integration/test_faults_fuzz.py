"""1,000 generated requests to every endpoint of the app's OpenAPI schema, against a real `python -m ui`.

Schemathesis turns the schema the app serves (/openapi.json) into hypothesis strategies: requests that
fit it (positive) and requests that break it (negative: wrong types, missing fields, extra ones), plus
bodies that are not JSON at all. Whatever comes in: no 5xx, an answer within the client's timeout, and
every error's body is JSON: the API's own `{"error": ...}` for the schema's operations, and
Gradio's `{"detail": ...}` for a method the schema does not list (the chat, mounted at `/`, answers those)
unless the upload refusal or the body cap answered first.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from tests.integration.conftest import UIServer
from tests.integration.faults import CLIENT_TIMEOUT_S, report

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REQUESTS = 1000


def test_1000_generated_requests_get_no_5xx_and_json_errors(ui_server: UIServer) -> None:
    spec = httpx.get(f"{ui_server.url}/openapi.json", timeout=CLIENT_TIMEOUT_S).json()
    schema = schemathesis.openapi.from_dict(spec)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr] # an Err raises
    assert {(o.method.upper(), o.path) for o in operations} >= {
        ("POST", "/api/ask"),
        ("POST", "/api/ask/stream"),
        ("GET", "/healthz"),
    }
    generated = st.one_of([o.as_strategy(generation_mode=mode) for o in operations for mode in GenerationMode]).map(
        lambda case: case.as_transport_kwargs(base_url=ui_server.url)
    )
    garbage = st.builds(
        lambda path, method, body, content_type: {
            "method": method,
            "url": ui_server.url + path,
            "data": body,
            "headers": {"Content-Type": content_type},
        },
        st.sampled_from([o.path for o in operations]),
        st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
        st.binary(max_size=4000),
        st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]),
    )
    listed = {(o.method.upper(), o.path) for o in operations}
    seen: Counter[tuple[str, int]] = Counter()
    slowest = 0.0
    session = requests.Session()

    @settings(
        max_examples=REQUESTS,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of(generated, generated, garbage))
    def any_request(request: dict[str, Any]) -> None:
        nonlocal slowest
        started = time.monotonic()
        response = session.request(**{**request, "timeout": CLIENT_TIMEOUT_S})  # a hang fails here
        slowest = max(slowest, time.monotonic() - started)
        seen[(request["url"].removeprefix(ui_server.url), response.status_code)] += 1
        assert response.status_code < 500, (request, response.status_code, response.text[:500])
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/json"), response.headers
            body = response.json()
            # Our middlewares refuse uploads and large bodies on every route with `error`.
            route = (request["method"], request["url"].removeprefix(ui_server.url))
            keys = ("error",) if route in listed else ("error", "detail")
            assert any(isinstance(body.get(key), str) for key in keys), (request, response.status_code, response.text)

    any_request()
    report("1000 generated requests", sent=sum(seen.values()), slowest_s=round(slowest, 2), by_status=dict(seen))
    assert sum(seen.values()) >= REQUESTS * 0.9  # hypothesis may stop a little early on exhausted inputs
    assert httpx.get(f"{ui_server.url}/healthz", timeout=CLIENT_TIMEOUT_S).status_code == 200
