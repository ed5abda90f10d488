"""No uploads and a body cap, on the real app: refused before anything reaches Gradio's temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import gradio as gr
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.unit.conftest import AppClient

HORIZON = "Combien de projets Horizon Europe l'Inserm coordonne-t-il ?"
UPLOADS = (
    "/gradio_api/upload",
    "/widget/gradio_api/upload",
    "/gradio_api/process_recording",
    "/widget/gradio_api/component_server",
)


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def gradio_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "gradio-temp"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    return folder


def test_gradio_alone_stores_what_anyone_posts(gradio_temp: Path) -> None:
    """Why the app refuses uploads (and the check that the next test's folder is the right one)."""
    with gr.Blocks() as blocks:
        gr.Textbox()
    client = TestClient(gr.mount_gradio_app(FastAPI(), blocks, path="/"))
    assert client.post("/gradio_api/upload", files={"files": ("notes.txt", b"anything")}).status_code == 200
    assert [p.read_bytes() for p in files_in(gradio_temp)] == [b"anything"]


def test_uploads_and_multipart_bodies_are_refused(app_client: AppClient, gradio_temp: Path) -> None:
    client = app_client()
    for path in (*UPLOADS, "/api/ask"):
        response = client.post(path, files={"files": ("notes.txt", b"anything")})
        assert response.status_code == 403 and "no file uploads" in response.json()["error"], path
    assert not gradio_temp.exists() or files_in(gradio_temp) == []


def test_bodies_over_the_cap_get_413_whether_announced_or_chunked(app_client: AppClient) -> None:
    client = app_client(max_body_kb=64)
    big = b'{"question": "' + b"x" * 70_000 + b'"}'

    def chunked() -> Iterator[bytes]:
        yield from (big[i : i + 8192] for i in range(0, len(big), 8192))

    for path in ("/api/ask", "/gradio_api/queue/join", "/widget/gradio_api/queue/join"):
        announced = client.post(path, content=big, headers={"Content-Type": "application/json"})
        assert announced.status_code == 413 and "64 KB" in announced.json()["error"], path
        streamed = client.post(path, content=chunked(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413 and "64 KB" in streamed.json()["error"], path
    under = {"question": HORIZON, "history": [{"role": "user", "content": "x" * 15_000}] * 3}  # 45 KB
    assert client.post("/api/ask", json=under).status_code == 200
