"""The SYNTHETIC scaled corpus of the scale benchmark: deterministic, bilingual, labelled, ingestible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.language import detect_language
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings
from benchmarks.scaled_corpus import LABEL, NAMES, SIDECAR, generate
from ingest.pipeline import ingest
from tests.helpers import make_settings

pytestmark = pytest.mark.integration
SIZE = 16


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory, model_data_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("scaled")
    settings = make_settings(data_dir=model_data_dir)
    generate([6, SIZE], 7, out / "a", settings)
    generate([SIZE], 7, out / "b", settings)
    generate([SIZE], 8, out / "c", settings)
    return out


def test_the_same_seed_gives_the_same_bytes_and_a_smaller_size_starts_a_larger_one(corpora: Path) -> None:
    assert files(corpora / "a" / str(SIZE)) == files(corpora / "b" / str(SIZE))
    assert files(corpora / "a" / str(SIZE)) != files(corpora / "c" / str(SIZE))
    small, large = files(corpora / "a" / "6"), files(corpora / "a" / str(SIZE))
    documents = sorted(name for name in small if name.endswith(".md"))
    assert all(small[name] == large[name] for name in documents[:-1])  # the last one may be cut short


def test_documents_are_french_and_english_labelled_synthetic_and_name_no_real_person(corpora: Path) -> None:
    folder = corpora / "a" / str(SIZE)
    manifest = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    assert {entry["language"] for entry in manifest} == {"fr", "en"}
    for entry in manifest:
        text = (folder / entry["file"]).read_text(encoding="utf-8")
        assert text.startswith(f"# {LABEL} — ") and entry["title"].startswith(f"{LABEL} — ")
        assert LABEL in entry["note"] and entry["url"].startswith("https://synthetic.invalid/")
        assert detect_language(text) == entry["language"]
        assert not any(person in text for person in NAMES["person"])
    described = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    assert described["label"].startswith(LABEL) and sum(described["real_chunks_used"].values()) == SIZE


def test_it_ingests_into_about_as_many_distinct_chunks_as_its_size(
    corpora: Path, real_settings: Settings, embedder: SentenceEmbedder
) -> None:
    store = ChunkStore.open(real_settings, "scaled")
    report = ingest([corpora / "a" / str(SIZE)], real_settings, embedder, store)
    assert not report.skipped and report.duplicate_chunks == 0
    assert SIZE * 0.8 <= report.chunks <= SIZE * 1.2
    assert {source.split("-")[1] for source in report.chunks_per_source} == {"fr", "en"}
