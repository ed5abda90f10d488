"""Integration fixtures: settings on the real bundled model, a real `chroma run` server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.embedding import SentenceEmbedder, make_embedder
from assistant.settings import Settings, StoreSettings
from assistant.store import ChunkStore, connect
from ingest.pipeline import ingest
from tests.conftest import CORPUS


@pytest.fixture
def real_settings(tmp_path: Path, model_data_dir: Path) -> Settings:
    return Settings(_env_file=None, data_dir=model_data_dir,  # type: ignore[call-arg]
                    store=StoreSettings(path=tmp_path / "index"))


@pytest.fixture(scope="session")
def embedder(model_data_dir: Path) -> SentenceEmbedder:
    return make_embedder(Settings(_env_file=None, data_dir=model_data_dir).embedding,  # type: ignore[call-arg]
                         model_data_dir)


def cli_env(settings: Settings) -> dict[str, str]:
    """Environment that makes `python -m ingest` use these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_STORE__PATH=str(settings.index_path),
               HF_HUB_OFFLINE="1")
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
    server = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server-data"),
                               "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=log)
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
    settings = Settings(_env_file=None, data_dir=model_data_dir,  # type: ignore[call-arg]
                        store={"path": tmp_path_factory.mktemp("answering") / "index"})
    ingest([CORPUS], settings, embedder, ChunkStore(connect(settings.store, settings.index_path), "inserm"))
    return settings
