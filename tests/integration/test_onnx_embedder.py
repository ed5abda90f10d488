"""The int8 ONNX backend on the real bundled model: close to fp32, its own identity, built once and reused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.models import onnx_e5
from assistant.retrieval.embedding import OnnxEmbedder, SentenceEmbedder, make_embedder
from assistant.retrieval.store import ChunkStore
from assistant.settings import EmbeddingSettings, StoreSettings
from ingest.pipeline import ingest
from tests.helpers import CORPUS, make_settings
from tests.unit.test_bundled_e5 import TEXTS, corpus_passages

pytestmark = pytest.mark.integration
QUERIES = [
    "Quels partenaires internationaux pour l’Inserm ?",
    "How many Horizon Europe projects does Inserm coordinate?",
]


@pytest.fixture(scope="module")
def fp32(model_data_dir: Path) -> SentenceEmbedder:
    return make_embedder(EmbeddingSettings(backend="torch"), model_data_dir)


@pytest.fixture(scope="module")
def int8(model_data_dir: Path) -> SentenceEmbedder:
    return make_embedder(EmbeddingSettings(backend="onnx-int8"), model_data_dir)


def test_int8_vectors_are_close_to_fp32(fp32: SentenceEmbedder, int8: SentenceEmbedder) -> None:
    assert isinstance(int8, OnnxEmbedder) and not isinstance(fp32, OnnxEmbedder)
    passages = [t for t in TEXTS if t.strip()] + corpus_passages(count=6)
    ours = np.array(int8.embed_documents(passages) + [int8.embed_query(q) for q in QUERIES])
    theirs = np.array(fp32.embed_documents(passages) + [fp32.embed_query(q) for q in QUERIES])
    assert ours.shape == theirs.shape == (len(passages) + len(QUERIES), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.99 and cosines.mean() >= 0.995
    # Close, not equal: these are the quantised model's vectors, not fp32 ones under another name.
    assert cosines.min() < 0.9999


def test_int8_ranks_the_cross_language_passage_first(int8: SentenceEmbedder) -> None:
    passages = [
        "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97.",
        "Inserm's main partner is the USA, followed by the United Kingdom and Germany.",
        "Le PCT InterAging a été lancé en 2021 dans la continuité du programme national Agemed.",
    ]
    scores = np.array(int8.embed_documents(passages)) @ np.array(int8.embed_query(QUERIES[1]))
    assert int(np.argmax(scores)) == 0


def test_identities_differ_and_token_counts_do_not(fp32: SentenceEmbedder, int8: SentenceEmbedder) -> None:
    assert fp32.identity != int8.identity
    assert "onnx-int8" in int8.identity and "onnx" not in fp32.identity
    # Same tokenizer: the same chunks whichever backend embeds them.
    assert [int8.count_tokens(t) for t in TEXTS] == [fp32.count_tokens(t) for t in TEXTS]


def test_a_text_gets_the_same_vector_alone_or_in_a_batch(int8: SentenceEmbedder) -> None:
    short, long = "Inserm à Bruxelles", corpus_passages(count=1)[0]
    together = int8.embed_documents([short, long])
    assert together == [int8.embed_documents([short])[0], int8.embed_documents([long])[0]]


def test_the_export_is_reused_not_rebuilt(
    model_data_dir: Path, int8: SentenceEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Path(int8.model_name)
    model, stamp = folder / onnx_e5.MODEL_FILE, folder / onnx_e5.STAMP_FILE
    before = (model.stat().st_mtime_ns, stamp.stat().st_mtime_ns)

    def no_rebuild(*_: object) -> dict[str, object]:
        raise AssertionError("the current export was built again")

    monkeypatch.setattr(onnx_e5, "build", no_rebuild)
    assert onnx_e5.ensure_onnx_model(model_data_dir) == folder
    assert (model.stat().st_mtime_ns, stamp.stat().st_mtime_ns) == before
    recorded = json.loads(stamp.read_text(encoding="utf-8"))
    assert recorded["export_min_cosine"] >= 0.999 and recorded["min_cosine"] >= onnx_e5.MIN_COSINE
    assert recorded["converted"]["min_cosine"] >= 0.999  # the converted folder's own stamp, chained
    assert model.stat().st_size < 150_000_000  # int8: a quarter of the fp32 model's 470 MB
    assert sorted(p.name for p in folder.iterdir()) == [
        onnx_e5.MODEL_FILE,
        onnx_e5.STAMP_FILE,
        "sentence_bert_config.json",
        "tokenizer.json",
    ]


def test_an_outdated_export_is_rebuilt(
    model_data_dir: Path, int8: SentenceEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    converted = next(p for p in (model_data_dir / "models").iterdir() if p.is_dir() and not p.name.endswith("int8"))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / converted.name).symlink_to(converted)
    outdated = tmp_path / "models" / Path(int8.model_name).name
    shutil.copytree(int8.model_name, outdated)
    builds: list[Path] = []

    def fake_build(_: Path, folder: Path) -> dict[str, object]:
        builds.append(folder)
        (folder / "rebuilt").touch()
        return {}

    monkeypatch.setattr(onnx_e5, "build", fake_build)
    monkeypatch.setattr(onnx_e5, "EXPORTER_VERSION", onnx_e5.EXPORTER_VERSION + 1)
    assert onnx_e5.ensure_onnx_model(tmp_path) == outdated
    assert len(builds) == 1 and (outdated / "rebuilt").exists()
    assert onnx_e5.ensure_onnx_model(tmp_path) == outdated and len(builds) == 1


def test_switching_backend_re_embeds_and_switching_back_reuses(
    model_data_dir: Path, tmp_path: Path, fp32: SentenceEmbedder, int8: SentenceEmbedder
) -> None:
    settings = make_settings(
        data_dir=model_data_dir,
        store=StoreSettings(path=tmp_path / "index"),
    )
    store = ChunkStore.open(settings, "inserm")
    first = ingest([CORPUS], settings, fp32, store)
    switched = ingest([CORPUS], settings, int8, store)
    # Every vector of the new generation comes from the int8 model: none is reused from the fp32 one.
    assert switched.embedded == first.chunks and switched.reused == 0
    assert store.require_active().metadata["embedder"] == int8.identity
    back = ingest([CORPUS], settings, fp32, store)
    assert back.embedded == 0 and back.reused == first.chunks  # the fp32 generation's vectors, kept as previous
    assert store.require_active().metadata["embedder"] == fp32.identity
