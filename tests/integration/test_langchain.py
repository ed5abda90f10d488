"""The LangChain contract on the real parts: ChatOpenAI against llama.cpp's OpenAI-compatible server,
and the README's own example, run as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler

from assistant import make_chain
from assistant.settings import Settings
from tests.helpers import REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class ChatModelRuns(BaseCallbackHandler):
    def __init__(self) -> None:
        self.names: list[str] = []
        self.tokens = 0

    def on_chat_model_start(self, serialized: dict[str, Any], messages: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self.names.append(serialized["name"])

    def on_llm_new_token(self, token: Any, **kwargs: Any) -> None:
        self.tokens += 1


def test_the_openai_path_against_llama_cpp_s_server(indexed: Settings, llama_server: str) -> None:
    # A generous timeout: on a busy machine the 1.5B model can take minutes; speed is benchmarked elsewhere.
    update = {"responder": "openai", "openai_base_url": llama_server, "timeout_s": 600}
    llm = indexed.llm.model_copy(update=update)
    # The server's model writes the answer (no translated question: one model run per answer) and rewrites
    # follow-ups.
    answer_settings = indexed.answer.model_copy(update={"compose": "write", "followups": "model"})
    retrieval = indexed.retrieval.model_copy(update={"translate_query": False})
    chain = make_chain(indexed.model_copy(update={"llm": llm, "answer": answer_settings, "retrieval": retrieval}))
    runs = ChatModelRuns()
    chunks = list(chain.stream({"question": "Qui coordonne le PCT InterAging ?"}, {"callbacks": [runs]}))
    answer = chunks[-1]
    assert "sources" in chunks[0] and any("draft" in c for c in chunks[1:-1])
    assert "Gilson" in answer["answer"] and answer["responder"] == "openai" and not answer["warnings"]
    assert runs.names == ["CompatibleChatOpenAI"] and runs.tokens > 3
    # A follow-up is rewritten by the server's model before retrieval.
    history = [
        {"role": "user", "content": "Qui coordonne le PCT InterAging ?"},
        {"role": "assistant", "content": answer["answer"]},
    ]
    runs = ChatModelRuns()
    follow_up = chain.invoke({"question": "Et quand a-t-il été lancé ?", "history": history}, {"callbacks": [runs]})
    assert len(runs.names) == 2 and not follow_up["warnings"]


def test_the_readme_example_runs_as_written(indexed: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## LangChain") :]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert example, "the README's LangChain section has a python example"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(indexed.data_dir))
    monkeypatch.setenv("ASSISTANT_STORE__PATH", str(Path(indexed.index_path)))
    monkeypatch.setenv("ASSISTANT_LLM__RESPONDER", "extractive")  # the example's output does not depend on a model
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example.group(1), "README.md", "exec"), {})
    output = printed.getvalue()
    assert "Éric Gilson" in output and "https://pro.inserm.fr/" in output
