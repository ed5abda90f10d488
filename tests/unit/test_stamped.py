"""Folders built once, stamped, reused; rebuilt when the stamp changes; never left half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.models.stamped import ensure_folder, is_current

STAMP = {"source": "abc", "version": 1}


class Builder:
    """Writes one file and records each call."""

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    def __call__(self, folder: Path) -> dict[str, object]:
        self.calls += 1
        (folder / "data.txt").write_text(f"build {self.calls}", encoding="utf-8")
        if self.fail:
            raise RuntimeError("the build failed half-way")
        return {"measured": 0.5}


def test_a_folder_is_built_once_then_reused(tmp_path: Path) -> None:
    target, build = tmp_path / "models" / "thing", Builder()
    assert ensure_folder(target, STAMP, "stamp.json", build) == target
    assert ensure_folder(target, STAMP, "stamp.json", build) == target
    assert build.calls == 1
    assert json.loads((target / "stamp.json").read_text(encoding="utf-8")) == {**STAMP, "measured": 0.5}
    assert is_current(target, STAMP, "stamp.json")
    assert sorted(p.name for p in target.parent.iterdir()) == [".thing.lock", "thing"]


def test_a_changed_stamp_rebuilds_the_folder_in_place(tmp_path: Path) -> None:
    target, build = tmp_path / "thing", Builder()
    ensure_folder(target, STAMP, "stamp.json", build)
    newer = {**STAMP, "version": 2}
    assert not is_current(target, newer, "stamp.json")
    ensure_folder(target, newer, "stamp.json", build)
    assert build.calls == 2 and (target / "data.txt").read_text(encoding="utf-8") == "build 2"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".thing.lock", "thing"]


def test_leftovers_of_a_crashed_build_are_removed_and_the_folder_built(tmp_path: Path) -> None:
    target = tmp_path / "thing"
    target.mkdir()
    (target / "data.txt").write_text("half-written, no stamp", encoding="utf-8")
    (tmp_path / ".thing.crashed-run").mkdir()
    ensure_folder(target, STAMP, "stamp.json", Builder())
    assert (target / "data.txt").read_text(encoding="utf-8") == "build 1"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".thing.lock", "thing"]


def test_a_failed_build_keeps_the_previous_folder_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "thing"
    ensure_folder(target, STAMP, "stamp.json", Builder())
    with pytest.raises(RuntimeError, match="half-way"):
        ensure_folder(target, {**STAMP, "version": 2}, "stamp.json", Builder(fail=True))
    assert (target / "data.txt").read_text(encoding="utf-8") == "build 1"
    assert is_current(target, STAMP, "stamp.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".thing.lock", "thing"]


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"source": "abc"}'])
def test_a_missing_or_partial_stamp_is_not_current(tmp_path: Path, content: str) -> None:
    (tmp_path / "stamp.json").write_text(content, encoding="utf-8")
    assert not is_current(tmp_path, STAMP, "stamp.json")
    assert not is_current(tmp_path / "absent", STAMP, "stamp.json")
