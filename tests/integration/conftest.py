"""Integration fixtures: settings on the real bundled model, a real `chroma run` server, a real `python -m ui`,
Debian's headless Chromium."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from assistant.retrieval.embedding import SentenceEmbedder, make_embedder
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings, StoreSettings
from ingest.pipeline import ingest
from tests.helpers import CORPUS, REPO, UIServer, cli_env, free_port, make_settings


@pytest.fixture
def real_settings(tmp_path: Path, model_data_dir: Path) -> Settings:
    return make_settings(
        data_dir=model_data_dir,
        store=StoreSettings(path=tmp_path / "index"),
    )


@pytest.fixture(scope="session")
def embedder(model_data_dir: Path) -> SentenceEmbedder:
    return make_embedder(
        make_settings(data_dir=model_data_dir).embedding,
        model_data_dir,
    )


def start_chroma(data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`chroma run` from this environment on 127.0.0.1:`port`, once it accepts connections."""
    chroma = Path(sys.executable).parent / "chroma"
    with open(log, "ab") as output:
        server = subprocess.Popen(
            [str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=output,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"chroma run did not start: {log.read_text()}") from None
            time.sleep(0.2)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A real Chroma server on 127.0.0.1, started from this environment's `chroma` and stopped after."""
    port = free_port()
    server = start_chroma(tmp_path / "server-data", port, tmp_path / "chroma.log")
    try:
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, model_data_dir: Path, embedder: SentenceEmbedder) -> Settings:
    settings = make_settings(
        data_dir=model_data_dir,
        store={"path": tmp_path_factory.mktemp("answering") / "index"},
    )
    ingest([CORPUS], settings, embedder, ChunkStore.open(settings, "inserm"))
    return settings


def wait_for_health(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 90, path: str = "/healthz"
) -> None:
    """Wait until `url + path` answers 200; fail with the server's log if it exits or takes too long."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{url}{path}", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url}{path} never answered 200:\n{log.read_text()}")
        time.sleep(0.3)


@contextmanager
def running_ui(
    settings: Settings, folder: Path, *args: str, health_s: float = 90, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`python -m ui` on `settings`' index with the extractive responder, as a user would start it; its URL,
    once healthy (within `health_s`)."""
    port = free_port()
    log = folder / "ui.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "ui", "--port", str(port), "--responder", "extractive", *args],
            cwd=CORPUS.parent,
            env=cli_env(settings) | (env or {}),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_health(url, server, log, health_s)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.fixture(scope="session")
def ui_server(indexed: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[UIServer]:
    folder = tmp_path_factory.mktemp("ui")
    host_origin = f"http://127.0.0.1:{free_port()}"
    feedback_db = folder / "feedback.sqlite3"
    with running_ui(
        indexed,
        folder,
        env={"ASSISTANT_UI__ALLOWED_ORIGINS": json.dumps([host_origin]), "ASSISTANT_UI__FEEDBACK_DB": str(feedback_db)},
    ) as url:
        yield UIServer(url, host_origin, feedback_db, folder / "ui.log")


@pytest.fixture(scope="module")
def behind_proxy(indexed: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m ui --root-path /assistant` behind a reverse proxy serving it at /assistant; the public URL."""
    import uvicorn

    from tests.integration.proxy import sub_path_proxy

    folder = tmp_path_factory.mktemp("proxied-ui")
    with running_ui(
        indexed,
        folder,
        "--root-path",
        "/assistant",
        env={"ASSISTANT_UI__FEEDBACK_DB": str(folder / "feedback.sqlite3")},
    ) as upstream:
        port = free_port()
        proxy = uvicorn.Server(
            uvicorn.Config(
                sub_path_proxy("/assistant", upstream), host="127.0.0.1", port=port, lifespan="off", log_level="warning"
            )
        )
        thread = threading.Thread(target=proxy.run, daemon=True)
        thread.start()
        while not proxy.started:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/assistant"
        proxy.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session")
def llama_server(model_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's own OpenAI-compatible server (`python -m llama_cpp.server`, its `server`
    extra) on 127.0.0.1 with the bundled GGUF; its base URL (…/v1), the model named "local-model"."""
    from assistant.models.local_model import ensure_gguf, llama_available

    if not llama_available():
        pytest.skip("llama-cpp-python is not installed: pip install -c constraints.txt -e '.[dev,local-llm]'")
    gguf = ensure_gguf(model_data_dir)
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    options = {"model": gguf, "model_alias": "local-model", "host": "127.0.0.1", "port": port}
    options |= {"n_ctx": 4096, "n_threads": 2, "verbose": False}
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", *(f"--{k}={v}" for k, v in options.items())],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/v1"
            wait_for_health(url, server, log, seconds=120, path="/models")
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


# The browser tests' own: every request must stay on this machine (no CDN); a screenshot of each
# test's last state is saved under test-artifacts/.
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail(
            "Debian's Chromium is missing: run `bash tests/install-browser.sh` (the README's test command does)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page that records any request leaving the machine and any alert() that runs."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    outside: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()
    assert outside == [], f"the page fetched from outside this machine: {outside}"
    assert dialogs == [], f"a script ran an alert: {dialogs}"
