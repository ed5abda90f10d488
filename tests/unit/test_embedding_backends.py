"""Choosing the embedding backend: names validated, clear errors when it cannot be used."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.errors import ConfigurationError
from assistant.models import onnx_e5
from assistant.retrieval.embedding import make_embedder
from assistant.settings import EmbeddingSettings
from tests.helpers import make_settings


def test_backend_names_are_validated_against_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="Input should be 'onnx-int8' or 'torch'"):
        EmbeddingSettings(backend="onnx")
    monkeypatch.setenv("ASSISTANT_EMBEDDING__BACKEND", "onnx-int8")
    assert make_settings().embedding.backend == "onnx-int8"


def test_the_int8_backend_is_only_for_the_bundled_model(tmp_path: Path) -> None:
    settings = EmbeddingSettings(model="intfloat/multilingual-e5-small", backend="onnx-int8")
    with pytest.raises(ConfigurationError, match=r"bundled model only.*ASSISTANT_EMBEDDING__BACKEND=torch"):
        make_embedder(settings, tmp_path)
    assert not (tmp_path / "models").exists()  # refused before converting anything


@pytest.mark.parametrize("missing", ["onnx", "onnxruntime.quantization"])
def test_missing_onnx_packages_are_a_clear_error(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # makes `import` raise ImportError
    with pytest.raises(ConfigurationError, match=re.escape("pip install -c constraints.txt onnx onnxruntime")):
        onnx_e5.require_packages()


def test_missing_onnxruntime_is_a_clear_error_when_running(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ConfigurationError, match="ASSISTANT_EMBEDDING__BACKEND=torch"):
        onnx_e5.OnnxModel(tmp_path).encode(["passage: x"])
