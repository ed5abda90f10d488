"""Where a benchmark result comes from: date, commit, the command as typed, the machine and its load.

Every results file starts with this, so that two runs can be compared knowing what changed,
and so that a run taken while other jobs shared the cores says so.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def provenance(module: str, **machine: Any) -> dict[str, Any]:
    """`module` is the benchmark's (`benchmarks.load`); `machine` adds details (a browser's version)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    memory = _proc("meminfo", r"MemTotal:\s+(\d+) kB")
    # Machines of the same size differ in speed: the CPU model says which one ran.
    cpu_model = _proc("cpuinfo", r"model name\s*:\s*(.+)")
    return {
        "date": datetime.date.today().isoformat(),
        "commit": commit.stdout.strip(),
        "command": shlex.join(["python", "-m", module, *sys.argv[1:]]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "cpu_model": cpu_model.group(1).strip() if cpu_model else None,
            "memory_gb": round(int(memory.group(1)) / 2**20, 1) if memory else None,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            **machine,
        },
    }


def _proc(name: str, pattern: str) -> re.Match[str] | None:
    """The first match of `pattern` in /proc/`name` (None off Linux)."""
    path = Path("/proc") / name
    return re.search(pattern, path.read_text()) if path.exists() else None
