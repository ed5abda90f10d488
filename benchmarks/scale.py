"""Scale benchmark on SYNTHETIC corpora: ingest cost, index size and retrieval latency as the corpus grows.

    python -m benchmarks.scale [--store local|server] [--quick] [--sizes 1000 10000 50000] [--out FILE]

Generates the corpora with `benchmarks.scaled_corpus` (seed 7) in a temporary folder; each size
gets a fresh store: a local Chroma folder, or with `--store server` a `chroma run` started on a
free loopback port and stopped after. Ingests are whole `python -m ingest` processes (wall time,
and peak RSS from `wait4`), run twice: the second run finds nothing changed.

Only the first size is embedded by the model. A larger one would take hours at ~7 passages/s, so
its ingest finds its vectors already cached (the pipeline reuses any vector the store holds for a
chunk id, as after an interrupted ingest): a vector from the first size for a chunk it shares,
otherwise the real vector of a variant of the same real chunk, moved by Gaussian noise sized so
that it sits as far from that variant as two real variants of one chunk sit from each other, and
renormalised; each of its sentences gets the chunk's vector moved by the same noise. Retrieval is
then measured on that real index with real query vectors (the gold set's single-turn questions,
French and English, embedded by the model): Chroma's HNSW (dense), BM25 (keyword) and the whole
hybrid retrieval with fusion and fetch (and two of its steps apart), in a fresh process per size.

Writes `docs/benchmarks/scale.json`, keeping the other store's run, and `scale.svg` (latency against
size); `--quick` (a smoke run under a minute) writes nothing unless `--out` is given.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from assistant.retrieval.embedding import SentenceEmbedder
from assistant.settings import Settings, StoreSettings
from benchmarks.answering import percentile
from benchmarks.provenance import provenance
from benchmarks.scaled_corpus import LABEL, SIDECAR, generate

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "benchmarks" / "scale.json"
SEED = 7
Result = TypeVar("Result")


@dataclass(frozen=True)
class Plan:
    sizes: tuple[int, ...]  # the first one is embedded by the model
    rounds: int  # passes over the questions per retrieval mode
    questions: int  # 0: all


FULL, QUICK = Plan((1000, 10000, 50000), 2, 0), Plan((10, 100), 1, 6)


@dataclass(frozen=True)
class Store:
    """Where one size's index lives, as settings (for this process) and as environment (for `python -m ingest`)."""

    settings: StoreSettings
    env: dict[str, str]
    folder: Path  # what is on disk
    server_pid: int | None = None


@dataclass(frozen=True)
class RealVectors:
    """The first size's real vectors, by chunk id and by the real chunk ("base") each was varied from."""

    by_id: dict[str, np.ndarray]
    by_base: dict[int, np.ndarray]  # base index → (variants, dim)
    by_language: dict[str, np.ndarray]
    same_base_cosine: float  # mean cosine between two real variants of one base
    noise: float  # per-dimension σ that puts a derived vector at that cosine from its anchor


def ingest_env(**store: str) -> dict[str, str]:
    """`python -m ingest` on default settings (the models' data folder kept) with this store, the synthetic
    sentences left untranslated: the chat model would take hours over them, and retrieval reads the index alone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") or k == "ASSISTANT_DATA_DIR"}
    untranslated = {"HF_HUB_OFFLINE": "1", "ASSISTANT_INGEST__TRANSLATE": "false"}
    return env | {f"ASSISTANT_STORE__{k.upper()}": v for k, v in store.items()} | untranslated


@contextmanager
def local_store(folder: Path) -> Iterator[Store]:
    yield Store(StoreSettings(path=folder), ingest_env(path=str(folder)), folder)


@contextmanager
def server_store(folder: Path) -> Iterator[Store]:
    """A fresh `chroma run` on a free loopback port, stopped at the end."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = folder / "server-data"
    data.mkdir(parents=True)
    with open(folder / "chroma.log", "wb") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "chroma"),
                "run",
                "--path",
                str(data),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not _listening(port):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start: see {folder / 'chroma.log'}")
                time.sleep(0.2)
            yield Store(
                StoreSettings(host="127.0.0.1", port=port),
                ingest_env(host="127.0.0.1", port=str(port)),
                data,
                server.pid,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


# Runs the command after it and prints its peak RSS. Linux gives a new process the peak RSS of the one that
# started it as its own starting peak, so the command is started from this small process (~10 MB), not from
# the benchmark: what is measured is the command's own memory.
PEAK_RSS = (
    "import os, subprocess, sys; process = subprocess.Popen(sys.argv[1:]); "
    "_, status, usage = os.wait4(process.pid, 0); print(f'peak RSS {usage.ru_maxrss} kB', file=sys.stderr); "
    "sys.exit(os.waitstatus_to_exitcode(status))"
)


def run_ingest(corpus: Path, store: Store, log: Path) -> dict[str, Any]:
    """One `python -m ingest` process: wall time, its own figures, peak RSS."""
    errors = log.with_suffix(".err")
    started = time.perf_counter()
    with open(log, "w") as out, open(errors, "w") as err:
        code = subprocess.call(
            [sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "ingest", str(corpus)],
            env=store.env,
            cwd=REPO,
            stdout=out,
            stderr=err,
        )
    wall = time.perf_counter() - started
    found = re.search(
        r"chunks: (\d+) in the index .*; (\d+) embedded, (\d+) reused, (\d+) duplicates dropped\n"
        r"sentences: (\d+) embedded, (\d+) reused\n"
        r"done in ([\d.]+) s",
        log.read_text(encoding="utf-8"),
    )
    peak = re.findall(r"peak RSS (\d+) kB", errors.read_text(encoding="utf-8"))
    if code or not found or not peak:
        raise RuntimeError(f"python -m ingest failed ({code}): {errors.read_text(encoding='utf-8')[-2000:]}")
    chunks, embedded, reused, duplicates, sentences_embedded, sentences_reused = (
        int(found.group(i)) for i in range(1, 7)
    )
    return {
        "wall_s": round(wall, 2),
        "inner_s": float(found.group(7)),
        "chunks": chunks,
        "embedded": embedded,
        "reused": reused,
        "duplicates": duplicates,
        "sentences_embedded": sentences_embedded,
        "sentences_reused": sentences_reused,
        "peak_rss_mb": round(int(peak[-1]) / 1024),
        "passages_per_s": round(chunks / wall, 2),
    }


def in_child(function: Callable[..., Result], *args: Any) -> Result:
    """`function(*args)` in a fresh process: its memory is its own, and two processes never share a local Chroma."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def _settings(store: StoreSettings) -> Settings:
    return Settings(_env_file=None, store=store)  # type: ignore[call-arg]


def _bases(corpus: Path) -> Callable[[str, str], list[int]]:
    """Which real chunks a chunk of this corpus comes from, by its source id and section path."""
    provenance = json.loads((corpus / SIDECAR).read_text(encoding="utf-8"))["provenance"]
    return lambda source_id, section: list(provenance.get(source_id, {}).get(section, []))


def read_real_vectors(store: StoreSettings, corpus: Path) -> RealVectors:
    """The embedded index's vectors, grouped; the noise is calibrated on them."""
    from assistant.retrieval.store import ChunkStore

    settings = _settings(store)
    chunks = ChunkStore.open(settings)
    collection = chunks.require_active()
    hits = chunks.fetch(collection, [record.id for record in chunks.stored_chunks(collection)])
    vectors = np.asarray([hit.vector for hit in hits], dtype=np.float32)
    bases_of = _bases(corpus)
    by_base: dict[int, list[np.ndarray]] = {}
    by_language: dict[str, list[np.ndarray]] = {}
    for vector, hit in zip(vectors, hits, strict=True):
        by_language.setdefault(str(hit.metadata["language"]), []).append(vector)
        for base in bases_of(str(hit.metadata["source_id"]), str(hit.metadata["section"])):
            by_base.setdefault(base, []).append(vector)
    cosines = [float(c) for group in by_base.values() if len(group) > 1 for c in _pairwise_cosines(np.stack(group))]
    # Too few variants (a tiny --quick size): as close as the full run measured them (scale.json).
    same = float(np.mean(cosines)) if len(cosines) >= 10 else 0.914
    return RealVectors(
        by_id={hit.id: vector for hit, vector in zip(hits, vectors, strict=True)},
        by_base={b: np.stack(g) for b, g in by_base.items()},
        by_language={lang: np.stack(g) for lang, g in by_language.items()},
        same_base_cosine=same,
        noise=float(np.sqrt((1 / same**2 - 1) / vectors.shape[1])),
    )


def _pairwise_cosines(vectors: np.ndarray) -> np.ndarray:
    # The vectors are L2-normalised: the dot product is the cosine.
    grid = vectors @ vectors.T
    return grid[np.triu_indices(len(vectors), k=1)]


def seed_vectors(store: StoreSettings, corpus: Path, real: RealVectors, seed: int) -> dict[str, Any]:
    """Leaves in the store a cached vector for every chunk and sentence ingest will make of `corpus`, without
    embedding."""
    from assistant.retrieval.embedding import make_embedder
    from assistant.retrieval.store import ChunkStore
    from ingest.pipeline import prepare

    settings = _settings(store)
    embedder = make_embedder(settings.embedding, settings.data_dir)  # for its tokenizer and identity
    chunks = prepare([corpus], settings, embedder.count_tokens).chunks
    rng = np.random.default_rng(seed)
    bases_of = _bases(corpus)
    vectors, anchors, kinds = [], [], {"real": 0, "derived": 0, "derived_from_language": 0}
    for chunk in chunks:
        if chunk.id in real.by_id:
            kinds["real"] += 1
            vectors.append(real.by_id[chunk.id])
            continue
        bases = [b for b in bases_of(chunk.source.id, chunk.section_path) if b in real.by_base]
        pool = real.by_base[int(rng.choice(bases))] if bases else real.by_language[chunk.source.language]
        kinds["derived" if bases else "derived_from_language"] += 1
        anchor = pool[rng.integers(len(pool))]
        vectors.append(_moved(anchor, real.noise, rng))
        anchors.append(float(anchor @ vectors[-1]))
    target = ChunkStore.open(settings)
    cache = target.build(embedder.identity, f"{LABEL}: cached vectors for the benchmark")
    target.add(cache, chunks, np.stack(vectors))
    for start in range(0, len(chunks), 1000):  # a thousand chunks' sentences at a time
        part = zip(chunks[start : start + 1000], vectors[start : start + 1000], strict=True)
        sentences = [(sentence, vector) for chunk, vector in part for sentence in chunk.sentences()]
        target.add(cache, [s for s, _ in sentences], np.stack([_moved(v, real.noise, rng) for _, v in sentences]))
    return kinds | {"derived_to_anchor_cosine": round(float(np.mean(anchors)), 4) if anchors else None}


def _moved(vector: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    moved = vector + rng.normal(0.0, noise, vector.shape).astype(np.float32)
    return moved / np.linalg.norm(moved)


class QueryVectors(SentenceEmbedder):
    """The real embedder's query vectors, computed beforehand: retrieval is timed without embedding."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        super().__init__("precomputed", "query: ", "passage: ")
        self.vectors = vectors

    def embed_query(self, text: str) -> list[float]:
        return self.vectors[text]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError("only the questions' vectors are known")


def measure_retrieval(
    store: StoreSettings, questions: list[tuple[str, str]], vectors: dict[str, list[float]], rounds: int
) -> dict[str, Any]:
    """Latency of dense, keyword and hybrid retrieval over the active index, in ms; this process's peak RSS."""
    from assistant.retrieval.hybrid import HybridRetriever
    from assistant.retrieval.keyword import KeywordIndex
    from assistant.retrieval.store import ChunkStore

    settings = _settings(store)
    chunks = ChunkStore.open(settings)
    collection = chunks.require_active()
    started = time.perf_counter()
    ids, texts, metadatas = chunks.documents(collection)
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    keyword = KeywordIndex(ids, texts, [str(m.get("language", "")) for m in metadatas])
    build_s = time.perf_counter() - started
    retriever = HybridRetriever(chunks, QueryVectors(vectors), settings.retrieval)
    k = settings.retrieval
    best = {q: [hit.id for hit in chunks.search(vectors[q], k.top_k, collection)] for q, _ in questions}
    modes: dict[str, Callable[[str, str], object]] = {
        "dense": lambda q, _: chunks.search(vectors[q], k.dense_k, collection),
        "keyword": lambda q, lang: keyword.search(q, k.keyword_k, lang),
        "hybrid": lambda q, lang: retriever.retrieve(q, lang),
        # Two steps of the hybrid retrieval, apart: finding the active generation (each question looks,
        # so that a new ingest is seen at once) and fetching the passages it keeps, with their vectors.
        "active_generation": lambda q, _: chunks.require_active(),
        "fetch_passages": lambda q, _: chunks.fetch(collection, best[q]),
    }
    result: dict[str, Any] = {
        "chunks": collection.count(),
        "documents_read_s": round(read_s, 2),
        "keyword_build_s": round(build_s, 2),
    }
    for name, search in modes.items():
        search(*questions[0])  # warm-up (the hybrid retriever builds its own keyword index here)
        times = []
        for _ in range(rounds):
            for question, language in questions:
                before = time.perf_counter()
                search(question, language)
                times.append((time.perf_counter() - before) * 1000)
        result[name] = {
            "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95),
            "mean_ms": round(float(np.mean(times)), 1),
            "samples": len(times),
        }
    result["peak_rss_mb"] = peak_rss_mb("self")
    return result


def disk_usage(folder: Path, chunks: int) -> dict[str, Any]:
    """Bytes of the store's files; SQLite's free pages (left by deleted generations, the benchmark's vector
    cache among them: a VACUUM would return them) are counted apart."""
    files = [f for f in folder.rglob("*") if f.is_file()]
    databases = [f for f in files if f.suffix == ".sqlite3"]
    free = 0
    for database in databases:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            free += db.execute("PRAGMA freelist_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]
    total = sum(f.stat().st_size for f in files)
    in_use = total - free
    return {
        "bytes": total,
        "sqlite_bytes": sum(f.stat().st_size for f in databases),
        "sqlite_free_bytes": free,
        "in_use_per_chunk_kb": round(in_use / chunks / 1024, 2),
    }


def peak_rss_mb(pid: int | str) -> int | None:
    """A running process's peak RSS (VmHWM, that of its program alone), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return round(int(found.group(1)) / 1024) if found else None


def gold_questions(limit: int) -> list[tuple[str, str]]:
    """Single-turn same- and cross-language gold questions with their language."""
    from evals.gold import load_gold

    cases = [(c.turns[0], c.lang) for c in load_gold() if c.kind in ("mono", "cross") and len(c.turns) == 1]
    return cases[:limit] if limit else cases


def embed_questions(questions: list[tuple[str, str]]) -> tuple[dict[str, list[float]], float]:
    """The questions' real vectors, and the median time to embed one (ms)."""
    from assistant.retrieval.embedding import make_embedder

    settings = _settings(StoreSettings())
    embedder = make_embedder(settings.embedding, settings.data_dir)
    embedder.embed_query("warm-up")
    vectors, times = {}, []
    for question, _ in questions:
        before = time.perf_counter()
        vectors[question] = embedder.embed_query(question)
        times.append((time.perf_counter() - before) * 1000)
    return vectors, percentile(times, 0.5)


def measure_size(
    size: int,
    corpus: Path,
    store: Store,
    work: Path,
    real: RealVectors | None,
    questions: list[tuple[str, str]],
    vectors: dict[str, list[float]],
    rounds: int,
) -> tuple[dict[str, Any], RealVectors]:
    described = json.loads((corpus / SIDECAR).read_text(encoding="utf-8"))
    result: dict[str, Any] = {
        "size": size,
        "documents": described["documents"],
        "real_chunks_used": described["real_chunks_used"],
    }
    if real is None:
        result["vectors"] = "embedded by the model during the ingest"
        result["ingest"] = run_ingest(corpus, store, work / f"ingest-{size}.log")
        real = in_child(read_real_vectors, store.settings, corpus)
    else:
        result["vectors"] = in_child(seed_vectors, store.settings, corpus, real, SEED + size)
        result["ingest_from_cached_vectors"] = run_ingest(corpus, store, work / f"ingest-{size}.log")
    result["unchanged_reingest"] = run_ingest(corpus, store, work / f"reingest-{size}.log")
    chunks = result["unchanged_reingest"]["chunks"]
    result["disk"] = disk_usage(store.folder, chunks)
    result["retrieval"] = in_child(measure_retrieval, store.settings, questions, vectors, rounds)
    if store.server_pid:
        result["chroma_server_peak_rss_mb"] = peak_rss_mb(store.server_pid)
    return result, real


def run(plan: Plan, store_kind: str) -> dict[str, Any]:
    questions = gold_questions(plan.questions)
    origin = provenance("benchmarks.scale", chromadb=metadata.version("chromadb"))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        work = Path(tmp)
        corpora = generate(plan.sizes, SEED, work / "corpus", _settings(StoreSettings()))
        vectors, query_ms = in_child(embed_questions, questions)
        sizes, real = [], None
        for size in plan.sizes:
            with (local_store if store_kind == "local" else server_store)(work / f"store-{size}") as store:
                result, real = measure_size(
                    size, work / "corpus" / str(size), store, work, real, questions, vectors, plan.rounds
                )
            print(json.dumps(result, ensure_ascii=False), flush=True)
            sizes.append(result)
    assert real is not None
    return {
        "label": corpora[plan.sizes[0]]["label"],
        **origin,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "store": store_kind,
        "seed": SEED,
        "embedded_size": plan.sizes[0],
        "questions": len(questions),
        "rounds": plan.rounds,
        "query_embedding_ms_p50": query_ms,
        "vector_calibration": {
            "same_base_cosine": round(real.same_base_cosine, 4),
            "noise_sigma": round(real.noise, 5),
        },
        "total_s": round(time.perf_counter() - started, 1),
        "sizes": sizes,
    }


MODES = {"dense": "#3b6ea5", "keyword": "#d9822b", "hybrid": "#4d9a4d"}  # as in evals/report.py's charts


def latency_plot(runs: dict[str, dict[str, Any]]) -> str:
    """Retrieval latency p50 against corpus size (log scale), one line per mode and store, as a bare SVG."""
    width, height, left, right, top, bottom = 640, 360, 56, 150, 36, 44
    points = {
        (store, mode): [(s["retrieval"]["chunks"], s["retrieval"][mode]["p50_ms"]) for s in run["sizes"]]
        for store, run in runs.items()
        for mode in MODES
    }
    sizes = sorted({n for line in points.values() for n, _ in line})
    top_ms = max(ms for line in points.values() for _, ms in line)
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if top_ms / s <= 6)
    y_max = step * (int(top_ms // step) + 1)
    span = np.log(sizes[-1] / sizes[0]) or 1.0

    def x(n: float) -> float:
        return left + (width - left - right) * float(np.log(n / sizes[0])) / span

    def y(ms: float) -> float:
        return top + (height - top - bottom) * (1 - ms / y_max)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{left}" y="20" font-size="13">Retrieval latency p50 (ms) vs index size (chunks, log scale) — '
        f"{LABEL} corpora</text>",
    ]
    for tick in range(0, y_max + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for n in sizes:
        parts.append(f'<text x="{x(n):.1f}" y="{height - bottom + 16}" text-anchor="middle">{n:,}</text>')
    for row, ((store, mode), line) in enumerate(points.items()):
        dash = ' stroke-dasharray="6 4"' if store == "server" else ""
        path = " ".join(f"{x(n):.1f},{y(ms):.1f}" for n, ms in line)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{MODES[mode]}" stroke-width="2"{dash}/>')
        parts += [f'<circle cx="{x(n):.1f}" cy="{y(ms):.1f}" r="3" fill="{MODES[mode]}"/>' for n, ms in line]
        legend = top + 16 * row
        parts.append(
            f'<line x1="{width - right + 12}" x2="{width - right + 40}" y1="{legend}" y2="{legend}" '
            f'stroke="{MODES[mode]}" stroke-width="2"{dash}/>'
            f'<text x="{width - right + 46}" y="{legend + 4}">{mode}, {store}</text>'
        )
    return "\n".join([*parts, "</svg>"]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=("local", "server"), default="local")
    parser.add_argument("--quick", action="store_true", help="a smoke run (two tiny sizes), under a minute")
    parser.add_argument("--sizes", type=int, nargs="+", help="corpus sizes in real chunks; the first is embedded")
    parser.add_argument("--out", type=Path, help=f"default: {OUT.relative_to(REPO)} (nothing with --quick)")
    args = parser.parse_args()
    for name in [n for n in os.environ if n.startswith("ASSISTANT_") and n != "ASSISTANT_DATA_DIR"]:
        del os.environ[name]  # default settings, as `python -m ingest` gets them
    plan = QUICK if args.quick else FULL
    if args.sizes:
        plan = Plan(tuple(args.sizes), plan.rounds, plan.questions)
    results = run(plan, args.store)
    out = args.out or (None if args.quick else OUT)
    if out:
        previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        runs = previous.get("runs", {}) | {args.store: results}
        document = {
            "label": f"{LABEL}: every corpus measured here is synthetic (benchmarks/scaled_corpus.py)",
            "runs": runs,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        out.with_suffix(".svg").write_text(latency_plot(runs), encoding="utf-8")


if __name__ == "__main__":
    main()
