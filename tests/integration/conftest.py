"""Integration fixtures: settings on the real bundled model, a real `chroma run` server, a real `python -m ui`,
Debian's headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from assistant.retrieval.embedding import SentenceEmbedder, make_embedder
from assistant.retrieval.store import ChunkStore, connect
from assistant.settings import Settings, StoreSettings
from ingest.pipeline import ingest
from tests.conftest import CORPUS, REPO


@pytest.fixture
def real_settings(tmp_path: Path, model_data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=model_data_dir,  # type: ignore[call-arg]
        store=StoreSettings(path=tmp_path / "index"),
    )


@pytest.fixture(scope="session")
def embedder(model_data_dir: Path) -> SentenceEmbedder:
    return make_embedder(
        Settings(_env_file=None, data_dir=model_data_dir).embedding,  # type: ignore[call-arg]
        model_data_dir,
    )


def cli_env(settings: Settings) -> dict[str, str]:
    """Environment that makes `python -m ingest` use these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_STORE__PATH=str(settings.index_path), HF_HUB_OFFLINE="1"
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A real Chroma server on 127.0.0.1, started from this environment's `chroma` and stopped after."""
    chroma = Path(sys.executable).parent / "chroma"
    port = free_port()
    log = open(tmp_path / "chroma.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log_text = (tmp_path / "chroma.log").read_text()
                    raise RuntimeError(f"chroma run did not start: {log_text}") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, model_data_dir: Path, embedder: SentenceEmbedder) -> Settings:
    settings = Settings(
        _env_file=None,
        data_dir=model_data_dir,  # type: ignore[call-arg]
        store={"path": tmp_path_factory.mktemp("answering") / "index"},
    )
    ingest([CORPUS], settings, embedder, ChunkStore(connect(settings.store, settings.index_path), "inserm"))
    return settings


@dataclass(frozen=True)
class UIServer:
    url: str  # where `python -m ui` listens
    host_page_origin: str  # the intranet page's origin, allowed to embed the widget
    feedback_db: Path
    log: Path


def wait_for_health(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"python -m ui did not become healthy:\n{log.read_text()}")
        time.sleep(0.3)


@contextmanager
def running_ui(settings: Settings, folder: Path, *args: str, **env: str) -> Iterator[str]:
    """`python -m ui` on `settings`' index with the extractive responder, as a user would start it; its URL."""
    port = free_port()
    log = folder / "ui.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "ui", "--port", str(port), "--responder", "extractive", *args],
            cwd=CORPUS.parent,
            env=cli_env(settings) | env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_health(url, server, log)
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
        ASSISTANT_UI__ALLOWED_ORIGINS=json.dumps([host_origin]),
        ASSISTANT_UI__FEEDBACK_DB=str(feedback_db),
    ) as url:
        yield UIServer(url, host_origin, feedback_db, folder / "ui.log")


@pytest.fixture(scope="module")
def behind_proxy(indexed: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m ui --root-path /assistant` behind a reverse proxy serving it at /assistant; the public URL."""
    import uvicorn

    from tests.integration.proxy import sub_path_proxy

    folder = tmp_path_factory.mktemp("proxied-ui")
    with running_ui(
        indexed, folder, "--root-path", "/assistant", ASSISTANT_UI__FEEDBACK_DB=str(folder / "feedback.sqlite3")
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
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()
    assert outside == [], f"the page fetched from outside this machine: {outside}"
    assert dialogs == [], f"a script ran an alert: {dialogs}"
