"""Settings: closed choices match the registries, secrets stay hidden, the README's table is current."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import get_args

import pytest

from assistant.answering.responders import make_responder
from assistant.errors import ConfigurationError
from assistant.models.local_model import PACKAGED_MODELS
from assistant.retrieval.embedding import make_embedder
from assistant.settings import (
    EmbeddingBackend,
    EmbeddingSettings,
    LLMSettings,
    LocalModelName,
    ResponderName,
    Settings,
    UISettings,
)
from assistant.settings_table import END, README, START, replace_table, settings_table
from tests.helpers import FakeEmbedder


def test_every_responder_name_has_a_responder(tmp_path: Path) -> None:
    named = [n for n in get_args(ResponderName) if n != "auto"]
    assert [make_responder(n, LLMSettings(), FakeEmbedder(), tmp_path).name for n in named] == named


@pytest.mark.parametrize("backend", get_args(EmbeddingBackend))
def test_every_embedding_backend_is_known_to_make_embedder(backend: str, tmp_path: Path) -> None:
    settings = EmbeddingSettings.model_validate({"model": str(tmp_path / "some-model"), "backend": backend})
    # An unknown backend is a ValueError; the torch one loads lazily and onnx-int8 refuses other models.
    with contextlib.suppress(ConfigurationError):
        make_embedder(settings, tmp_path)


def test_local_model_names_are_the_packaged_models() -> None:
    assert set(get_args(LocalModelName)) == set(PACKAGED_MODELS)


def test_secrets_are_not_shown() -> None:
    ui, llm = UISettings.model_validate({"auth_token": "s3cret"}), LLMSettings.model_validate({"openai_api_key": "k3y"})
    assert ui.auth_token.get_secret_value() == "s3cret" and "s3cret" not in repr(ui)
    assert llm.openai_api_key.get_secret_value() == "k3y" and "k3y" not in repr(llm)


def test_every_setting_is_in_the_readme_table() -> None:
    table = settings_table()
    assert "`ASSISTANT_UI__AUTH_TOKEN` | empty |" in table and "`ASSISTANT_RETRIEVAL__TOP_K` | 4 |" in table
    rows = table.splitlines()[2:]
    assert len(rows) == len({row.split("`")[1] for row in rows}) >= len(Settings.model_fields)


def test_the_readme_table_is_current() -> None:
    readme = README.read_text(encoding="utf-8")
    assert START in readme and END in readme
    assert replace_table(readme, settings_table()) == readme, "run: python -m assistant.settings_table --write"
