"""Ingest end to end: the real bundled model, a real Chroma, the real CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.language import detect_language
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings, StoreSettings
from ingest.pipeline import ingest, prepare
from tests.helpers import CORPUS, REPO, cli_env, make_settings

pytestmark = pytest.mark.integration
HORIZON = "How many Horizon Europe projects does Inserm coordinate?"


def run_cli(settings: Settings, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ingest", *map(str, paths)],
        cwd=REPO,
        env=cli_env(settings),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_english_question_finds_the_french_passage(real_settings: Settings, embedder: SentenceEmbedder) -> None:
    store = ChunkStore.open(real_settings)
    ingest([CORPUS], real_settings, embedder, store)
    [hit] = store.search(embedder.embed_query(HORIZON), k=1)
    assert "en coordonne 97" in hit.document
    assert hit.metadata["language"] == "fr" and hit.metadata["section"].endswith("Bruxelles")
    assert "en coordonne 97" in hit.metadata["original"]


def test_chunks_fit_the_model(real_settings: Settings, embedder: SentenceEmbedder) -> None:
    chunks = prepare([CORPUS], real_settings, embedder.count_tokens).chunks
    limit = real_settings.ingest.chunking.max_tokens
    assert all(embedder.count_tokens(c.text) <= limit for c in chunks)
    # With its headings, what is embedded still fits e5's 512 tokens: nothing is cut off.
    assert all(embedder.count_tokens(c.indexed_text) <= 512 for c in chunks)
    assert {c.source.id for c in chunks} == {"inserm-international-fr", "inserm-international-policy-en"}


def test_cli_ingests_then_finds_nothing_to_do(real_settings: Settings) -> None:
    first = run_cli(real_settings, CORPUS)
    assert first.returncode == 0, first.stderr
    assert "files: 2 added, 0 updated, 0 unchanged, 0 removed, 0 skipped" in first.stdout
    second = run_cli(real_settings, CORPUS)
    assert second.returncode == 0, second.stderr
    assert "files: 0 added, 0 updated, 2 unchanged, 0 removed, 0 skipped" in second.stdout
    assert "0 embedded, 0 reused" in second.stdout


def test_cli_names_bad_files_and_ingests_the_rest(real_settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.md").write_text("# Appels\n\nL’Inserm retient une trentaine de propositions.\n", encoding="utf-8")
    (folder / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    (folder / "ancien.txt").write_bytes("Coopération".encode("latin-1"))
    result = run_cli(real_settings, folder)
    assert result.returncode == 0, result.stderr
    assert f"skipped  {folder / 'photo.txt'}: binary file" in result.stdout
    assert f"skipped  {folder / 'ancien.txt'}: not valid UTF-8" in result.stdout
    assert "files: 1 added" in result.stdout


@pytest.mark.slow
def test_cli_translates_new_sentences_with_the_local_model_once(real_settings: Settings, tmp_path: Path) -> None:
    from assistant.models.local_model import llama_available

    if not llama_available():
        pytest.skip("llama-cpp-python is not installed: pip install -c constraints.txt -e '.[local-llm]'")
    folder = tmp_path / "appels"
    folder.mkdir()
    (folder / "appels.md").write_text("# Appels\n\nL’Inserm a retenu 12 projets en 2025.\n", encoding="utf-8")
    env = cli_env(real_settings) | {"ASSISTANT_INGEST__TRANSLATE": "true"}
    ingest_cli = [sys.executable, "-m", "ingest", str(folder)]
    first = subprocess.run(ingest_cli, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "translated 1/1 sentences" in first.stderr
    memory = json.loads((real_settings.data_dir / "translations.json").read_text(encoding="utf-8"))
    english = memory["en"]["L’Inserm a retenu 12 projets en 2025."]
    assert "12" in english and "2025" in english and detect_language(english, ("fr", "en")) == "en"
    store = ChunkStore.open(real_settings)
    _, _, [metadata] = store.documents(store.require_active())
    assert english in str(metadata["translations"])
    (folder / "appels.md").write_text("# Appels\n\nL’Inserm a retenu 12 projets en 2025.\n\n", encoding="utf-8")
    second = subprocess.run(ingest_cli, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0 and "translated" not in second.stderr  # the memory had it


def test_cli_fails_clearly_when_nothing_is_usable(real_settings: Settings, tmp_path: Path) -> None:
    result = run_cli(real_settings, tmp_path / "no-such-folder")
    assert result.returncode == 1
    assert "nothing could be ingested" in result.stderr and "Traceback" not in result.stderr


def write_programmes(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        body = " ".join(f"Le programme {n} relie le laboratoire {p} à un partenaire étranger." for p in range(25))
        (folder / f"programme-{n}.md").write_text(f"# Programme {n}\n\n{body}\n", encoding="utf-8")


def test_kill_9_mid_ingest_keeps_the_previous_index_and_the_next_run_finishes(
    real_settings: Settings, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for file in CORPUS.iterdir():
        (corpus / file.name).write_bytes(file.read_bytes())
    assert run_cli(real_settings, corpus).returncode == 0
    generation = ChunkStore.open(real_settings).require_active().name
    corpus_chunks = ChunkStore.open(real_settings).require_active().count()
    write_programmes(corpus / "programmes", 40)

    process = subprocess.Popen(
        [sys.executable, "-m", "ingest", str(corpus)],
        cwd=REPO,
        env=cli_env(real_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("embedded 32/"):  # one batch written, more to come
            os.kill(process.pid, signal.SIGKILL)
            break
    assert process.wait(timeout=60) == -signal.SIGKILL

    store = ChunkStore.open(real_settings)
    assert store.require_active().name == generation
    [hit] = store.search(embedder.embed_query(HORIZON), k=1)
    assert "en coordonne 97" in hit.document

    finish = run_cli(real_settings, corpus)
    assert finish.returncode == 0, finish.stderr
    assert "files: 40 added, 0 updated, 2 unchanged" in finish.stdout
    assert ChunkStore.open(real_settings).require_active().name != generation
    embedded = int(finish.stdout.split(" embedded")[0].rsplit(" ", 1)[-1])
    reused = int(finish.stdout.split(" reused")[0].rsplit(" ", 1)[-1])
    assert reused >= corpus_chunks + 32 and embedded + reused == ChunkStore.open(real_settings).require_active().count()


def test_server_mode_against_a_real_chroma_server(
    chroma_server: int, model_data_dir: Path, embedder: SentenceEmbedder
) -> None:
    settings = make_settings(
        data_dir=model_data_dir,
        store=StoreSettings(host="127.0.0.1", port=chroma_server),
    )
    store = ChunkStore.open(settings)
    report = ingest([CORPUS], settings, embedder, store)
    assert report.embedded == report.chunks > 0
    [hit] = store.search(embedder.embed_query(HORIZON), k=1)
    assert "en coordonne 97" in hit.document
    again = ingest([CORPUS], settings, embedder, store)
    assert again.embedded == 0 and len(again.unchanged) == 2


def test_an_unreachable_server_is_a_clear_error(model_data_dir: Path) -> None:
    from assistant.errors import BackendUnavailableError
    from tests.helpers import free_port

    settings = make_settings(store=StoreSettings(host="127.0.0.1", port=free_port()))
    with pytest.raises(BackendUnavailableError, match="Cannot reach the Chroma server"):
        ChunkStore.open(settings)
