"""Faults of the index, with real processes: an ingest publishing under load, the `chroma run` server
killed and restarted under load, and an ingest that runs out of disk.

Each test starts its own `python -m ui` (extractive responder) and keeps clients asking through
/api/ask while the fault happens; every reply is checked (status, JSON body, time).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.retrieval.embedding import SentenceEmbedder
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings
from ingest.pipeline import ingest
from tests.helpers import CORPUS, cli_env, free_port
from tests.integration.conftest import running_ui, start_chroma
from tests.integration.faults import CLIENT_TIMEOUT_S, Load, ask, cited_sources, report

pytestmark = [pytest.mark.integration, pytest.mark.slow]

KNOWN = "Qui coordonne le PCT InterAging ?"
NEW_FACT = (
    "# Le bureau de l’Inserm à Montevideo\n\n"
    "Le bureau de l’Inserm à Montevideo, en Uruguay, est dirigé par la chercheuse Ana Pereira depuis son "
    "ouverture en 2026 ; il anime les échanges avec l’Institut Pasteur de Montevideo.\n"
)
NEW_QUESTION = "Qui dirige le bureau de l’Inserm à Montevideo ?"


def index(settings: Settings, embedder: SentenceEmbedder, corpus: Path) -> None:
    ingest([corpus], settings, embedder, ChunkStore.open(settings, "inserm"))


def test_an_ingest_publishes_a_changed_corpus_while_20_clients_ask(
    real_settings: Settings, embedder: SentenceEmbedder, corpus_copy: Path, tmp_path: Path
) -> None:
    index(real_settings, embedder, corpus_copy)
    with running_ui(real_settings, tmp_path) as url, Load(url, NEW_QUESTION, clients=20).running() as load:
        time.sleep(3)
        (corpus_copy / "bureau-montevideo.md").write_text(NEW_FACT, encoding="utf-8")
        started = time.monotonic()
        published = subprocess.run(
            [sys.executable, "-m", "ingest", str(corpus_copy)],
            env=cli_env(real_settings),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert published.returncode == 0, published.stderr
        done = time.monotonic()
        deadline = done + 60
        while time.monotonic() < deadline and not any(
            "bureau-montevideo" in cited_sources(r) for r in load.since(done)
        ):
            time.sleep(0.5)
        time.sleep(2)  # a few more answers from the new index

    statuses = load.statuses()
    after = load.since(done)
    first_new = min((r.started for r in after if "bureau-montevideo" in cited_sources(r)), default=None)
    report(
        "ingest under 20 clients",
        answers=len(load.replies),
        statuses=dict(statuses),
        ingest_s=round(done - started, 1),
        new_content_after_s=None if first_new is None else round(first_new - done, 2),
        p95_s=round(sorted(r.elapsed for r in load.replies)[int(0.95 * len(load.replies))], 2),
    )
    assert statuses == {200: len(load.replies)}, [r for r in load.replies if r.status != 200][:3]
    assert first_new is not None, "no answer used the new content after the ingest"
    latest = [r for r in after if r.started > first_new]
    assert latest and all("bureau-montevideo" in cited_sources(r) for r in latest)
    assert all("Pereira" in str((r.body or {})["answer"]) for r in latest), {str(r.body) for r in latest}


@pytest.fixture
def chroma_ui(
    tmp_path: Path, model_data_dir: Path, embedder: SentenceEmbedder
) -> Iterator[tuple[str, Path, int, list[subprocess.Popen[bytes]]]]:
    """`python -m ui` on an index held by a real `chroma run`; the UI's URL, the server's folder and port, and
    the server's process (in a list, so that a test can replace it)."""
    port = free_port()
    data = tmp_path / "chroma-data"
    servers = [start_chroma(data, port, tmp_path / "chroma.log")]
    settings = Settings(
        _env_file=None,
        data_dir=model_data_dir,  # type: ignore[call-arg]
        store={"host": "127.0.0.1", "port": port},
    )
    index(settings, embedder, CORPUS)
    env = {"ASSISTANT_STORE__HOST": "127.0.0.1", "ASSISTANT_STORE__PORT": str(port)}
    try:
        with running_ui(settings, tmp_path, env=env) as url:
            yield url, data, port, servers
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=10)


def test_the_chroma_server_killed_under_load_gives_503_then_answers_resume(
    chroma_ui: tuple[str, Path, int, list[subprocess.Popen[bytes]]], tmp_path: Path
) -> None:
    url, data, port, servers = chroma_ui
    with Load(url, KNOWN, clients=5).running() as load:
        time.sleep(2)
        servers[0].send_signal(signal.SIGKILL)
        servers[0].wait(timeout=10)
        killed = time.monotonic()
        health_503 = None
        while health_503 is None and time.monotonic() < killed + 30:
            health = httpx.get(f"{url}/healthz", timeout=CLIENT_TIMEOUT_S)
            if health.status_code == 503:
                health_503 = time.monotonic() - killed
                reason = health.json()["error"]
            time.sleep(0.1)
        time.sleep(3)  # the clients keep asking while the server is down
        with httpx.Client(timeout=CLIENT_TIMEOUT_S) as client:
            down = ask(client, url, KNOWN)
        restarting = time.monotonic()
        servers.append(start_chroma(data, port, tmp_path / "chroma.log"))
        back = time.monotonic()
        while time.monotonic() < back + 60 and not any(r.status == 200 for r in load.since(back)):
            time.sleep(0.2)
        resumed = min((r.started + r.elapsed for r in load.since(back) if r.status == 200), default=None)

    during = [r for r in load.replies if killed + 1 < r.started and r.started + r.elapsed < restarting]
    statuses = load.statuses()
    report(
        "chroma run killed under 5 clients",
        healthz_503_after_s=None if health_503 is None else round(health_503, 2),
        answers=len(load.replies),
        statuses=dict(statuses),
        slowest_s=round(max(r.elapsed for r in load.replies), 2),
        slowest_during_outage_s=round(max((r.elapsed for r in during), default=0), 2),
        answers_resumed_after_restart_s=None if resumed is None else round(resumed - back, 2),
        message=down.body,
    )
    assert health_503 is not None and health_503 <= 5, f"/healthz not 503 within 5 s ({health_503})"
    assert "Chroma" in reason and str(port) in reason
    assert down.status == 503 and "Chroma" in str((down.body or {}).get("error"))
    assert during and all(r.status == 503 and r.body and "error" in r.body for r in during), {
        (r.status, str(r.body)[:80]) for r in during
    }
    assert set(statuses) <= {200, 503}, statuses  # no 500, no hang (a hang would be status 0)
    assert all(r.elapsed < 5 for r in during), "a 503 should come at once, not after a wait"
    assert resumed is not None, "answers did not resume after the server came back"
    assert httpx.get(f"{url}/healthz", timeout=CLIENT_TIMEOUT_S).status_code == 200


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 20 MB filesystem of its own (tmpfs), mounted for the test; skipped where mounting is not allowed."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small filesystem needs root (the CI machine runs as root)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_an_ingest_that_runs_out_of_disk_names_the_folder_and_the_old_index_still_answers(
    small_disk: Path, model_data_dir: Path, embedder: SentenceEmbedder, corpus_copy: Path, tmp_path: Path
) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=model_data_dir,  # type: ignore[call-arg]
        store={"path": small_disk / "index"},
    )
    index(settings, embedder, CORPUS)
    paragraph = NEW_FACT.split("\n\n", 1)[1]
    for n in range(6):  # about 60 new chunks, about 1 MB once indexed
        sections = "".join(f"## Section {n}.{i}\n\n{paragraph} (Note {n}.{i}.)\n\n" for i in range(10))
        (corpus_copy / f"bureau-{n}.md").write_text(f"# Bureau {n}\n\n{sections}", encoding="utf-8")
    with running_ui(settings, tmp_path) as url:
        fill(small_disk / "filler", leave=256_000)  # something else took the disk but 256 KB
        full = subprocess.run(
            [sys.executable, "-m", "ingest", str(corpus_copy)],
            env=cli_env(settings),
            capture_output=True,
            text=True,
            timeout=600,
        )
        with httpx.Client(timeout=CLIENT_TIMEOUT_S) as client:
            after = ask(client, url, KNOWN)
        health = httpx.get(f"{url}/healthz", timeout=CLIENT_TIMEOUT_S)
    usage = shutil.disk_usage(small_disk)
    report(
        "ingest out of disk",
        exit_code=full.returncode,
        stderr_last_line=full.stderr.strip().splitlines()[-1:] if full.stderr.strip() else None,
        disk_free_kb=round(usage.free / 1e3),
        answer_after=after.status,
    )
    assert full.returncode != 0
    assert "Traceback" not in full.stderr, full.stderr[-3000:]
    assert str(small_disk / "index") in full.stderr and "space" in full.stderr.lower(), full.stderr[-2000:]
    assert after.status == 200 and "Gilson" in str((after.body or {})["answer"])
    assert health.status_code == 200 and health.json()["chunks"] == 25


def fill(path: Path, leave: int) -> None:
    """Write `path` until its filesystem is full, then give back `leave` bytes."""
    block = b"\0" * 65_536
    # Unbuffered: a buffered file would still hold bytes when the disk is full, and fail again on closing.
    with open(path, "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(block)
        except OSError:
            pass
    os.truncate(path, max(0, path.stat().st_size - leave))
