"""The OpenAI-compatible LLM server dies in the middle of a streamed answer.

A real server: llama-cpp-python's own (`python -m llama_cpp.server`) on 127.0.0.1 with the bundled GGUF,
and a real `python -m ui --responder openai` in front of it. Once the first token has reached the client,
the LLM server is killed: the stream must still end with a `final` event that quotes the sources and says
why, within the configured timeout.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.models.local_model import ensure_gguf, llama_available
from assistant.settings import Settings
from tests.helpers import free_port
from tests.integration.conftest import running_ui
from tests.integration.faults import report

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TIMEOUT_S = 120  # ASSISTANT_LLM__TIMEOUT_S: reading the prompt may take a minute on 2 busy cores
# The UI's warm-up asks the LLM once: reading four passages and writing takes minutes on 2 busy cores.
STARTUP_S = 600


@pytest.fixture
def llm_server(model_data_dir: Path, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    if not llama_available():
        pytest.skip("llama-cpp-python is not installed (the local-llm extra)")
    gguf = ensure_gguf(model_data_dir)
    port = free_port()
    log = tmp_path / "llm.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(gguf),
                "--model_alias",
                "local-model",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "4096",
                "--n_threads",
                "2",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"llama_cpp.server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base, server
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=10)


def test_the_llm_server_dying_mid_stream_ends_with_a_final_quoting_the_sources(
    indexed: Settings, llm_server: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    base, server = llm_server
    env = {
        "ASSISTANT_LLM__OPENAI_BASE_URL": base,
        "ASSISTANT_LLM__OPENAI_MODEL": "local-model",
        "ASSISTANT_LLM__TIMEOUT_S": str(TIMEOUT_S),
        "ASSISTANT_LLM__MAX_TOKENS": "60",  # enough to be killed in the middle of
        # The model writes the answer: a quoted one takes its French sentence from the translation memory and
        # would not need the model once the question is translated.
        "ASSISTANT_ANSWER__COMPOSE": "write",
    }
    events: list[tuple[str, dict[str, object]]] = []
    with running_ui(indexed, tmp_path, "--responder", "openai", health_s=STARTUP_S, env=env) as url:
        body = {"question": "Who coordinates the InterAging programme?"}
        with httpx.stream("POST", f"{url}/api/ask/stream", json=body, timeout=TIMEOUT_S + 30) as response:
            assert response.status_code == 200
            name = ""
            for line in response.iter_lines():
                if line.startswith("event: "):
                    name = line[len("event: ") :]
                elif line.startswith("data: "):
                    events.append((name, json.loads(line[len("data: ") :])))
                    if name == "token" and server.poll() is None:
                        server.send_signal(signal.SIGKILL)  # after the first token reached the client
                        killed = time.monotonic()
        ended = time.monotonic()

    names = [n for n, _ in events]
    final = events[-1][1]
    report(
        "LLM server killed mid-stream",
        tokens_before_kill=names.count("token"),
        final_after_kill_s=round(ended - killed, 2),
        responder=final.get("responder"),
        citations=len(final.get("citations") or []),  # type: ignore[arg-type]
        warnings=final.get("warnings"),
    )
    assert names[0] == "sources" and "token" in names and names[-1] == "final", names
    assert ended - killed < TIMEOUT_S
    assert final["responder"] == "extractive" and "Gilson" in str(final["answer"])
    assert final["citations"] and "[1]" in str(final["answer"])
    assert "language model" in " ".join(map(str, final["warnings"])), final  # type: ignore[call-overload]
