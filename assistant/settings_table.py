"""The README's settings table, generated from the settings' own descriptions.

`python -m assistant.settings_table` prints it; `--write` replaces the table in README.md (between
the two `settings-table` markers). tests/unit/test_settings.py fails when the README's copy is stale.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo

from assistant.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"
HEADER = "| variable | default | meaning |\n|---|---|---|\n"


def settings_table() -> str:
    """One row per setting: its environment variable, its default and its meaning."""
    return HEADER + "".join(f"| `{name}` | {default} | {meaning} |\n" for name, default, meaning in _rows(Settings))


def _rows(model: type[BaseModel], prefix: str = "ASSISTANT_") -> Iterator[tuple[str, str, str]]:
    for name, info in model.model_fields.items():
        variable = prefix + name.upper()
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _rows(annotation, variable + "__")
            continue
        if not info.description:
            raise ValueError(f"{model.__name__}.{name} has no description")
        yield variable, _default(info), info.description


def _default(info: FieldInfo) -> str:
    extra = info.json_schema_extra
    if isinstance(extra, dict) and "shown_default" in extra:
        return str(extra["shown_default"])
    value: Any = info.default
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if value is None:
        return "unset"
    if value == "":
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list):
        return f"`{json.dumps([str(v) for v in value])}`"
    return f"`{value}`"


def replace_table(readme: str, table: str) -> str:
    """`readme` with the text between the markers replaced by `table`."""
    before, found, rest = readme.partition(START)
    _, found_end, after = rest.partition(END)
    if not (found and found_end):
        raise ValueError(f"README.md has no {START} … {END} section")
    return f"{before}{START}\n{table}{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.settings_table", description=__doc__)
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    args = parser.parse_args(argv)
    if args.write:
        README.write_text(replace_table(README.read_text(encoding="utf-8"), settings_table()), encoding="utf-8")
    else:
        print(settings_table(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
