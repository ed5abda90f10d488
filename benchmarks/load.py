"""Load test on loopback: concurrent clients on `POST /api/ask` for a bounded time.

    python -m benchmarks.load [--quick] [--out docs/benchmarks/load.json]

Starts the real server (`python -m ui`, default UI settings: 4 answers at once, 64 waiting) over
a fresh index, as `benchmarks/ui.py` does. Each client asks the gold set's single-turn questions
back to back until the time is up; an answer still running then is waited for and counted.
- extractive responder: 10, 25 and 50 clients, 30 s each;
- local LLM responder: 5 clients for 180 s (`--local-seconds`; a soak test runs it for an hour
  with `--skip-extractive`). The model answers one question at a time, so the others queue; the
  server's memory (RSS) is sampled every second, and the slope of the second half of the run says
  whether it grows.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.answering import percentile
from benchmarks.memory import resident_by_mapping
from benchmarks.provenance import provenance
from benchmarks.ui import gold_questions, running_server

REPO = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def load(url: str, pid: int, clients: int, seconds: float, questions: list[str], timeout: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    memory: list[float] = []
    split_by_minute: list[dict[str, float]] = []  # what holds the memory: model file, other files, anonymous
    start_line = threading.Barrier(clients + 1)
    done = threading.Event()

    def client(number: int) -> None:
        with httpx.Client(base_url=url, timeout=timeout) as http:
            start_line.wait()
            i = number
            while not done.is_set():
                before = time.perf_counter()
                try:
                    response = http.post("/api/ask", json={"question": questions[i % len(questions)]})
                    if response.status_code != 200:
                        errors.append(f"{response.status_code}: {response.text[:150]}")
                    else:
                        latencies.append((time.perf_counter() - before) * 1000)
                except httpx.HTTPError as error:
                    errors.append(f"{type(error).__name__}: {error}"[:150])
                i += clients

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    memory.append(rss_mb(pid))
    start_line.wait()
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        time.sleep(1)
        memory.append(rss_mb(pid))
        if len(memory) % 60 == 0:
            split_by_minute.append(resident_by_mapping(Path(f"/proc/{pid}/smaps")))
    done.set()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    memory.append(rss_mb(pid))
    half = len(memory) // 2
    by_minute = [max(memory[i : i + 60]) for i in range(0, len(memory), 60)]
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "answers": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:3],
        "answers_per_s": round(len(latencies) / wall, 2),
        "latency_ms": {
            "p50": percentile(latencies, 0.5),
            "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99),
            "max": round(max(latencies), 1),
        }
        if latencies
        else None,
        "server_rss_mb": {
            "start": memory[0],
            "max": max(memory),
            "end": memory[-1],
            "first_half_max": max(memory[:half] or memory),
            "second_half_max": max(memory[half:]),
            "second_half_slope_mb_per_h": slope_per_hour(memory[half:]),
            "max_by_minute": by_minute,
            "split_by_minute": split_by_minute,
        },
    }


def slope_per_hour(samples: list[float]) -> float:
    """Least-squares slope of samples taken once a second, in units per hour."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mean_x, mean_y = (n - 1) / 2, sum(samples) / n
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(samples))
    variance = sum((x - mean_x) ** 2 for x in range(n))
    return round(covariance / variance * 3600, 1)


def run_level(
    responder: str, clients: list[int], seconds: float, questions: list[str], timeout: float
) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), responder) as server:
        results = []
        for count in clients:
            print(f"{responder}: {count} clients for {seconds:.0f} s…", flush=True)
            results.append(load(server.url, server.pid, count, seconds, questions, timeout))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds per level, as a smoke test")
    parser.add_argument("--skip-local", action="store_true", help="only the extractive responder")
    parser.add_argument("--skip-extractive", action="store_true", help="only the local LLM responder")
    parser.add_argument("--local-seconds", type=float, default=180, help="how long the local LLM run lasts")
    parser.add_argument("--out", type=Path, help="default: docs/benchmarks/load.json (nothing with --quick)")
    args = parser.parse_args()
    out = args.out or (None if args.quick else REPO / "docs" / "benchmarks" / "load.json")
    questions = gold_questions()
    results: dict[str, Any] = provenance("benchmarks.load")
    if not args.skip_extractive:
        results["extractive"] = run_level(
            "extractive", [2, 3] if args.quick else [10, 25, 50], 3 if args.quick else 30, questions, timeout=120
        )
    if not args.skip_local:
        results["local"] = run_level(
            "local", [2] if args.quick else [5], 10 if args.quick else args.local_seconds, questions, timeout=600
        )
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
