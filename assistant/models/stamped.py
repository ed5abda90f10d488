"""Folders built once from their sources, stamped, and reused (the converted model, its ONNX export).

A folder is current when its stamp file holds every key of the expected stamp with the same value.
Otherwise it is built in a temporary folder beside it, under a file lock, and renamed into place
with its stamp: a crash never leaves a half-written folder under the real name, and a process
racing for the same folder waits, then reuses the winner's.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from assistant.models.locks import file_lock


def is_current(folder: Path, stamp: Mapping[str, object], stamp_file: str) -> bool:
    try:
        found = json.loads((folder / stamp_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and all(found.get(k) == v for k, v in stamp.items())


def ensure_folder(
    target: Path, stamp: Mapping[str, object], stamp_file: str, build: Callable[[Path], Mapping[str, object]]
) -> Path:
    """`target`, built by `build(folder)` unless current; what `build` returns is added to the stamp."""
    if is_current(target, stamp, stamp_file):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(target.parent / f".{target.name}.lock"):
        if is_current(target, stamp, stamp_file):
            return target
        for leftover in target.parent.glob(f".{target.name}.*"):
            if leftover.is_dir():  # the temporary folder of a run that crashed
                shutil.rmtree(leftover, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        stale = tmp.with_name(tmp.name + ".stale")
        try:
            recorded = {**stamp, **build(tmp)}
            (tmp / stamp_file).write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
            if target.exists():  # outdated or half-written; rename() cannot overwrite it
                os.replace(target, stale)
            os.replace(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(stale, ignore_errors=True)
    return target
