"""Run the benchmarks one after the other: `python -m benchmarks [NAME ...] [--quick]`.

Each benchmark is its own process (`python -m benchmarks.NAME`), as when run alone, and writes its
JSON to docs/benchmarks/. Without names, all of them run, which takes about an hour and a half on
2 cores (the two scale runs and the memory run take most of it). `--quick` runs the smoke versions
of those that have one, and writes nothing. Run on a quiet machine: other jobs skew the latencies.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

# In the order they build on each other: models and index first, then answering, then the server.
BENCHMARKS = [
    "ingest",
    "embedding_backends",
    "chunk_sizes",
    "answering",
    "first_token",
    "memory",
    "ui",
    "load",
    "scale",
    "scale-server",
]
QUICK = {"ui", "load", "scale", "scale-server"}  # the ones with a --quick smoke version


def command(name: str, quick: bool) -> list[str]:
    module, *extra = ("scale", "--store", "server") if name == "scale-server" else (name,)
    return [sys.executable, "-m", f"benchmarks.{module}", *extra, *(["--quick"] if quick else [])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"some of: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="only the smoke versions, nothing written")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}")
    names = args.names or BENCHMARKS
    if args.quick:
        names = [n for n in names if n in QUICK]
    failed = []
    for name in names:
        print(f"== {' '.join(command(name, args.quick)[1:])}", flush=True)
        started = time.perf_counter()
        code = subprocess.run(command(name, args.quick), check=False).returncode
        print(
            f"== {name}: {'done' if code == 0 else f'FAILED (exit {code})'} in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
