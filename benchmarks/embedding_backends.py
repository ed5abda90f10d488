"""Embedding backends compared: fp32 under torch and int8 under onnxruntime, speed and retrieval quality.

    python -m benchmarks.embedding_backends [--out docs/benchmarks/embedding_backends.json] [--rounds 3]
                                            [--data-dir DIR]

Build: the converted model, then its int8 export, timed once (in a fresh data folder unless
--data-dir names one where they may already be).
Speed: each round starts one fresh process per backend, the backends in turn so that whatever else
runs on the machine weighs on both: load, passages/s on the corpus chunks and on 200-word passages
(as benchmarks/ingest.py), query latency, an ingest of corpus/ into an empty index. The best round
and the spread are reported, with the process CPU time per passage, which other processes disturb
less than wall time, and the load average.
Quality: the evals (`python -m evals run --responder extractive`) on each backend's own index:
evidence@k overall, and the baselines' dense-only ranks, where the embedder alone decides.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.ingest import passages
from benchmarks.provenance import provenance

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
BACKENDS = ("torch", "onnx-int8")
QUALITY = (
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr",
    "correct",
    "citation_precision",
    "faithfulness",
    "unanswerable_abstained",
    "answerable_abstained",
)


def _settings(backend: str, data_dir: Path, index: Path) -> Any:
    from assistant.settings import Settings

    return Settings(
        _env_file=None,
        data_dir=data_dir,  # type: ignore[call-arg]
        embedding={"backend": backend},
        store={"path": index},
    )


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of `work()`; CPU time counts every thread of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(backend: str, data_dir: Path) -> dict[str, Any]:
    """One round for one backend, in this (fresh) process; the models are already built."""
    from assistant.retrieval.embedding import make_embedder
    from assistant.retrieval.store import ChunkStore
    from evals.gold import load_gold
    from ingest.pipeline import ingest, prepare

    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(backend, data_dir, Path(tmp) / "index")
        started = time.perf_counter()
        embedder = make_embedder(settings.embedding, data_dir)
        embedder.embed_query("warm-up")  # loads the model
        load_s = time.perf_counter() - started
        chunks = [c.indexed_text for c in prepare([CORPUS], settings, embedder.count_tokens).chunks]
        long = passages(200, 48)
        embedder.embed_documents(long[:4])  # warm-up at this length
        results: dict[str, Any] = {"backend": backend, "load_s": round(load_s, 2)}
        for name, texts in (("corpus_chunks", chunks), ("passages_200_words", long)):
            wall, cpu = _timed(partial(embedder.embed_documents, texts))
            results[name] = {
                "passages": len(texts),
                "passages_per_s": round(len(texts) / wall, 2),
                "cpu_ms_per_passage": round(cpu / len(texts) * 1000, 1),
            }
        query_ms = []
        for case in load_gold()[:30]:
            wall, _ = _timed(partial(embedder.embed_query, case.turns[-1]))
            query_ms.append(wall * 1000)
        results["query_ms_p50"] = round(statistics.median(query_ms), 1)
        store = ChunkStore.open(settings)
        report = ingest([CORPUS], settings, embedder, store)
        results["ingest"] = {
            "chunks": report.embedded,
            "sentences": report.sentences_embedded,
            "seconds": round(report.seconds, 2),
            "texts_per_s": round((report.embedded + report.sentences_embedded) / report.seconds, 2),
        }
    status = Path("/proc/self/status").read_text()
    results["peak_rss_mb"] = int(status.split("VmHWM:")[1].split()[0]) // 1024
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    return results


def quality(backend: str, data_dir: Path) -> dict[str, Any]:
    """The evals with the extractive responder on an index built by this backend."""
    from assistant.answering.chain import Assistant
    from assistant.retrieval.embedding import make_embedder
    from assistant.retrieval.store import ChunkStore
    from evals.gold import load_gold
    from evals.run import run
    from ingest.pipeline import ingest

    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(backend, data_dir, Path(tmp) / "index")
        embedder = make_embedder(settings.embedding, data_dir)
        ingest([CORPUS], settings, embedder, ChunkStore.open(settings, "inserm"))
        assistant = Assistant.from_settings(settings, responder="extractive", embedder=embedder)
        metrics = run(assistant, load_gold(), Path(tmp) / "report")
    dense = metrics["baselines"]["dense only"]
    return {
        "identity": embedder.identity,
        "overall": {k: metrics["overall"][k] for k in QUALITY},
        "dense_only": dense,
        "cases": metrics["overall"]["cases"],
        "ranks": {c["id"]: c["rank"] for c in metrics["cases"] if c["answerable"]},
    }


def _spread(rounds: list[dict[str, Any]], *path: str) -> dict[str, float]:
    values = []
    for result in rounds:
        for key in path:
            result = result[key]
        values.append(float(result))  # type: ignore[arg-type]
    return {"best": max(values) if path[-1].endswith("per_s") else min(values), "min": min(values), "max": max(values)}


def summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "corpus_chunks_per_s": _spread(rounds, "corpus_chunks", "passages_per_s"),
        "corpus_chunks_cpu_ms": _spread(rounds, "corpus_chunks", "cpu_ms_per_passage"),
        "passages_200_words_per_s": _spread(rounds, "passages_200_words", "passages_per_s"),
        "passages_200_words_cpu_ms": _spread(rounds, "passages_200_words", "cpu_ms_per_passage"),
        "query_ms_p50": _spread(rounds, "query_ms_p50"),
        "ingest_texts_per_s": _spread(rounds, "ingest", "texts_per_s"),
        "load_s": _spread(rounds, "load_s"),
        "peak_rss_mb": _spread(rounds, "peak_rss_mb"),
    }


def build_models(data_dir: Path) -> dict[str, Any]:
    from assistant.models import bundled_e5, onnx_e5

    convert_s, _ = _timed(lambda: bundled_e5.ensure_model(data_dir))
    export_s, _ = _timed(lambda: onnx_e5.ensure_onnx_model(data_dir))
    folder = onnx_e5.ensure_onnx_model(data_dir)
    stamp = json.loads((folder / onnx_e5.STAMP_FILE).read_text(encoding="utf-8"))
    return {
        "convert_s": round(convert_s, 1),
        "export_s": round(export_s, 1),  # ~0 when already built
        "int8_file_mb": round((folder / onnx_e5.MODEL_FILE).stat().st_size / 1e6, 1),
        "check_cosines": {k: stamp[k] for k in ("export_min_cosine", "min_cosine", "mean_cosine")},
    }


def _cpu_flags() -> list[str]:
    try:
        flags = Path("/proc/cpuinfo").read_text().split("flags")[1].split("\n")[0].split()
    except (OSError, IndexError):
        return []
    return sorted(f for f in flags if f in {"avx2", "avx512f", "avx512_vnni", "avx_vnni", "fma"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks" / "embedding_backends.json")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, help="where the models are (or get) built; default: a fresh one")
    parser.add_argument("--measure", choices=BACKENDS, help=argparse.SUPPRESS)  # one round, in a child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.data_dir)))
        return
    origin = provenance("benchmarks.embedding_backends", cpu_flags=_cpu_flags())
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp)
        build = build_models(data_dir)
        rounds: dict[str, list[dict[str, Any]]] = {b: [] for b in BACKENDS}
        for number in range(args.rounds):
            for backend in BACKENDS:
                command = [
                    sys.executable,
                    "-m",
                    "benchmarks.embedding_backends",
                    "--measure",
                    backend,
                    "--data-dir",
                    str(data_dir),
                ]
                output = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True).stdout
                rounds[backend].append(json.loads(output.splitlines()[-1]))
                print(f"round {number + 1} {backend}: {rounds[backend][-1]}", file=sys.stderr)
        results: dict[str, Any] = {
            **origin,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "build": build,
            "speed": {b: summary(rounds[b]) for b in BACKENDS},
            "rounds": rounds,
            "quality": {b: quality(b, data_dir) for b in BACKENDS},
        }
    torch_ranks, int8_ranks = (results["quality"][b].pop("ranks") for b in BACKENDS)
    # Gold cases whose evidence moved: [rank with torch, rank with onnx-int8] (null: not in the top 5).
    results["rank_changes"] = {
        c: [torch_ranks[c], int8_ranks[c]] for c in torch_ranks if torch_ranks[c] != int8_ranks[c]
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: results[k] for k in ("build", "speed")}, indent=2))


if __name__ == "__main__":
    main()
