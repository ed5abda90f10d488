"""Memory benchmark: where a long-running assistant's memory goes, pass after pass over the gold set.

    python -m benchmarks.memory [--responder local] [--passes 2] [--clients 5] [--limit N]
                                [--dynamic-mmap-threshold] [--out FILE]

Uses the configured index (run `python -m ingest` first). One `Assistant`, in this process, asks
the gold set's single-turn questions once per pass, from `--clients` threads at once (the server
answers each request on one of its pool's threads). After each pass the resident memory (RSS) is
split by what holds it, so that growth can be attributed rather than guessed:
- `model_file`: pages of the GGUF file that llama.cpp maps (read-only, shared with the page cache);
- `other_files`: the other mapped files (libraries, the ONNX model);
- `anonymous`: the process's own memory, itself split by glibc (`mallinfo2`) into what is in use
  and what was freed but is kept, and by tracemalloc into what Python objects hold.
After the last pass, `malloc_trim(0)` (what the server runs every 30 s) returns the whole free
pages, and the split is taken again. Like the server, it first fixes glibc's threshold for mapping
large blocks (ui/freed_memory.py); `--dynamic-mmap-threshold` leaves glibc's default, to compare.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from assistant.answering.chain import Assistant
from assistant.settings import load_settings
from benchmarks.provenance import provenance
from evals.gold import load_gold
from ui.freed_memory import GLIBC, MALLOC_TRIM, map_large_buffers

REPO = Path(__file__).resolve().parents[1]
MB = 1 << 20


class _Mallinfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _libc() -> ctypes.CDLL | None:
    if GLIBC is None or not hasattr(GLIBC, "mallinfo2"):  # not glibc ≥ 2.33: the malloc split is left out
        return None
    GLIBC.mallinfo2.restype = _Mallinfo2
    return GLIBC


LIBC = _libc()


def resident_by_mapping(smaps: Path = Path("/proc/self/smaps")) -> dict[str, float]:
    """RSS in MB, split into the GGUF model file, the other mapped files and anonymous memory."""
    totals = {"model_file": 0, "other_files": 0, "anonymous": 0}
    kind = "anonymous"
    for line in smaps.read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and ":" not in fields[0]:  # a mapping's header: address range, perms, …, path
            path = fields[5] if len(fields) > 5 else ""
            kind = (
                "model_file" if path.endswith(".gguf") else "other_files" if path.startswith("/") else "anonymous"
            )  # [heap], [stack], unnamed
        elif fields[0] == "Rss:":
            totals[kind] += int(fields[1])
    return {k: round(v / 1024, 1) for k, v in totals.items()} | {"total": round(sum(totals.values()) / 1024, 1)}


def snapshot() -> dict[str, Any]:
    gc.collect()
    result: dict[str, Any] = {"rss_mb": resident_by_mapping()}
    if LIBC is not None:
        info = LIBC.mallinfo2()
        result["malloc_mb"] = {
            "in_use": round((info.uordblks + info.hblkhd) / MB, 1),
            "freed_but_kept": round(info.fordblks / MB, 1),
        }
    if tracemalloc.is_tracing():
        result["python_objects_mb"] = round(tracemalloc.get_traced_memory()[0] / MB, 1)
    return result


def run(assistant: Assistant, questions: list[str], passes: int, clients: int) -> dict[str, Any]:
    assistant.ask(questions[0])  # loads the models: their one-off cost is the baseline, not growth
    snapshots = [{"after": "loading"} | snapshot()]
    first_pass: tracemalloc.Snapshot | None = None
    with ThreadPoolExecutor(max_workers=clients) as pool:  # one pool for all passes: threads are reused
        for number in range(1, passes + 1):
            started = time.perf_counter()
            list(pool.map(assistant.ask, questions))
            snapshots.append({"after": f"pass {number}", "seconds": round(time.perf_counter() - started)} | snapshot())
            print(json.dumps(snapshots[-1]), flush=True)
            if number == 1 and tracemalloc.is_tracing():
                first_pass = tracemalloc.take_snapshot()
    result: dict[str, Any] = {"questions_per_pass": len(questions), "clients": clients, "snapshots": snapshots}
    if first_pass is not None and passes > 1:
        # Where Python objects grew after every question had been seen once: caches fill in pass 1.
        growth = tracemalloc.take_snapshot().compare_to(first_pass, "lineno")
        result["python_growth_after_pass_1"] = [
            {"where": str(stat.traceback[0]), "kb": round(stat.size_diff / 1024, 1), "blocks": stat.count_diff}
            for stat in growth[:10]
            if stat.size_diff > 0
        ]
    if MALLOC_TRIM is not None:
        started = time.perf_counter()
        MALLOC_TRIM(0)  # the server's own call (ui/freed_memory.py): how long it takes, what it returns
        snapshots.append(
            {"after": "malloc_trim(0)", "ms": round((time.perf_counter() - started) * 1000, 1)} | snapshot()
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responder", default="local", help="extractive, local or openai")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--clients", type=int, default=5, help="threads asking at once (as in the soak)")
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N questions")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the Python objects' share (faster)")
    parser.add_argument(
        "--dynamic-mmap-threshold",
        action="store_true",
        help="leave glibc's threshold for large blocks dynamic (the server fixes it)",
    )
    parser.add_argument("--out", type=Path, help="default: docs/benchmarks/memory-<responder>.json")
    args = parser.parse_args()
    large_blocks_mapped = not args.dynamic_mmap_threshold and map_large_buffers()  # as the server does
    questions = [c.turns[0] for c in load_gold() if len(c.turns) == 1]
    questions = questions[: args.limit] if args.limit else questions
    if not args.no_tracemalloc:
        tracemalloc.start()
    settings = load_settings()
    results = provenance("benchmarks.memory", embedding_backend=settings.embedding.backend)
    assistant = Assistant.from_settings(settings, responder=args.responder)
    results |= {
        "responder": args.responder,
        "tracemalloc": not args.no_tracemalloc,
        "large_blocks_mapped": large_blocks_mapped,
    }
    results |= run(assistant, questions, args.passes, args.clients)
    out = args.out or REPO / "docs" / "benchmarks" / f"memory-{args.responder}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
