"""The real 1.5B chat model: assembled from its 22 installed part packages, loaded by llama.cpp, answering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.models.local_model import DEFAULT_LOCAL_MODEL, PACKAGED_MODELS, ensure_gguf, llama_available

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture(scope="session")
def real_gguf(model_data_dir: Path) -> Path:
    """The default GGUF, assembled and checksummed once per test session (~10 s, 1.1 GB)."""
    return ensure_gguf(model_data_dir)


@pytest.fixture(scope="session")
def llama(real_gguf: Path) -> Any:
    if not llama_available():
        pytest.skip("llama-cpp-python is not installed: pip install -c constraints.txt -e '.[local-llm]'")
    from llama_cpp import Llama

    return Llama(model_path=str(real_gguf), n_ctx=4096, n_threads=2, verbose=False)


def test_real_gguf_is_assembled_verified_and_reused(real_gguf: Path) -> None:
    assert real_gguf.stat().st_size == PACKAGED_MODELS[DEFAULT_LOCAL_MODEL].size
    with real_gguf.open("rb") as f:
        assert f.read(4) == b"GGUF"
    written = real_gguf.stat().st_mtime_ns
    assert ensure_gguf(real_gguf.parent.parent) == real_gguf
    assert real_gguf.stat().st_mtime_ns == written  # reused, not assembled again


def test_real_model_answers_a_french_question(llama: Any) -> None:
    reply = llama.create_chat_completion(
        messages=[{"role": "user", "content": "Réponds en un mot : quelle est la capitale de la France ?"}],
        max_tokens=16,
        temperature=0.0,
    )
    assert "Paris" in reply["choices"][0]["message"]["content"]


def test_real_model_judges_faithfulness_statement_by_statement(llama: Any) -> None:
    from evals.metrics.faithfulness import judged_faithfulness

    def judge(messages: list[dict[str, str]], max_tokens: int) -> str:
        reply = llama.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.0)
        return str(reply["choices"][0]["message"]["content"])

    cited = {1: "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 (rapport d’activité 2024)."}
    answer = "Inserm takes part in 212 Horizon Europe projects [1]. Inserm has 500 offices in Asia [1]."
    assert judged_faithfulness(answer, cited, judge, lambda statement, passages: passages) == 0.5
