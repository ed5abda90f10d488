"""What `GET /metrics` shows, in the Prometheus text format.

Each app has its own registry (not prometheus-client's global one), so that tests, benchmarks
or two apps in one process never count each other's requests. Labels take a few fixed values
only: a client choosing paths or responder names cannot make the series grow without bound.
What each metric means, and a scrape config: docs/deployment.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from assistant.errors import AssistantError
from assistant.schema import Answer

# Seconds: retrieval takes tens of milliseconds, a local LLM's answer tens of seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120)
OWN_ENDPOINTS = ("/api/ask", "/api/ask/stream", "/healthz", "/embed.js", "/metrics")
# Gradio routes worth their own label; any other route under a Gradio mount is "static" or "gradio_api".
GRADIO_ENDPOINTS = ("gradio_api/queue/join", "gradio_api/queue/data", "gradio_api/upload")
FALLBACK_REASONS = ("llm_unavailable", "ungrounded", "empty_draft")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def gradio_path(path: str) -> tuple[str, str] | None:
    """(mount, path inside it without the leading "/") for a path served by a Gradio mount, else None."""
    if path in OWN_ENDPOINTS:
        return None
    if path == "/widget" or path.startswith("/widget/"):
        return "widget", path[len("/widget") :].lstrip("/")
    return "chat", path.lstrip("/")


def endpoint_of(path: str) -> str:
    """The `endpoint` label of a request's path (inside the app, without the proxy's sub-path)."""
    inside = gradio_path(path)
    if inside is None:
        return path
    mount, route = inside
    if route == "":
        kind = "page"
    elif route.rstrip("/") in GRADIO_ENDPOINTS:
        kind = route.rstrip("/").removeprefix("gradio_api/")
    elif route.startswith("gradio_api/"):
        kind = "gradio_api"
    else:
        kind = "static"
    return f"{mount}:{kind}"


class IndexCollector(Collector):
    """The active index generation and its size, read when Prometheus scrapes."""

    def __init__(self, health: Callable[[], dict[str, object]]) -> None:
        self.health = health

    def collect(self) -> Iterator[GaugeMetricFamily]:
        available = GaugeMetricFamily("assistant_index_available", "1 when the index can be read, else 0")
        generation = GaugeMetricFamily("assistant_index_generation", "Number of the published index generation")
        chunks = GaugeMetricFamily("assistant_index_chunks", "Chunks in the published index generation")
        try:
            health = self.health()
        except AssistantError:
            available.add_metric([], 0)
            yield available
            return
        available.add_metric([], 1)
        found = re.search(r"-g(\d+)$", str(health["index"]))
        generation.add_metric([], int(found.group(1)) if found else 0)
        chunks.add_metric([], float(str(health["chunks"])))
        yield from (available, generation, chunks)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.requests = Counter(
            "assistant_http_requests", "HTTP requests by endpoint and status", ["endpoint", "status"], registry=registry
        )
        self.retrieval_seconds = Histogram(
            "assistant_retrieval_seconds", "Retrieval time per answer", buckets=LATENCY_BUCKETS, registry=registry
        )
        self.first_token_seconds = Histogram(
            "assistant_first_token_seconds",
            "From the question to the first piece of answer text, queue wait included",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.answer_seconds = Histogram(
            "assistant_answer_seconds",
            "From the question to the checked answer, queue wait included",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.answers = Counter(
            "assistant_answers", "Answers by the responder that wrote them", ["responder"], registry=registry
        )
        self.abstentions = Counter(
            "assistant_abstentions", "Answers that said the sources do not tell", registry=registry
        )
        self.fallbacks = Counter(
            "assistant_fallbacks",
            "Answers that quote the sources instead of the LLM's draft",
            ["reason"],
            registry=registry,
        )
        self.queue_depth = Gauge("assistant_queue_depth", "Questions waiting for an answering slot", registry=registry)
        self.in_progress = Gauge("assistant_answers_in_progress", "Answers being computed", registry=registry)
        self.rejections = Counter(
            "assistant_rejections", "Questions refused before answering, by reason", ["reason"], registry=registry
        )
        for reason in FALLBACK_REASONS:
            self.fallbacks.labels(reason)  # shown at 0 before the first one, so that rate() works from the start

    def watch_index(self, health: Callable[[], dict[str, object]]) -> None:
        self.registry.register(IndexCollector(health))

    def observe_answer(self, answer: Answer, first_token_s: float, total_s: float) -> None:
        self.answers.labels(answer.responder).inc()
        self.retrieval_seconds.observe(answer.timings_ms.get("retrieve", 0.0) / 1000)
        self.first_token_seconds.observe(first_token_s)
        self.answer_seconds.observe(total_s)
        if answer.abstained:
            self.abstentions.inc()
        if answer.fallback:
            self.fallbacks.labels(answer.fallback).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
