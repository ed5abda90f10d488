"""Common given names, from the name counts nomquamgender ships (MIT; names from scientific authorship).

A person's name starts with a given name ("Éric Gilson", "Pr Rémy Slama"); a lab's or a city's does not
("Strasbourg Translational Neuroscience", "Buenos Aires"), however capitalised.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from assistant.text import fold

# Names carried by at least this many authors in the data: common given names, not the rare words
# ("Horizon", "French") that someone somewhere was named.
_MIN_COUNT = 10_000
# One entry of the data file: "name": [sources, count, …]. Read with a pattern: parsing the whole file
# as JSON takes several times longer, for values that are not used.
_ENTRY = re.compile(r'"([^"]+)": \[\d+, (\d+)')


@cache
def _given_names() -> frozenset[str]:
    # Found without importing the package, which would load pandas and parse the whole file.
    spec = find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("nomquamgender is not installed: pip install -c constraints.txt -e .")
    text = (Path(spec.submodule_search_locations[0]) / "name_data.json").read_text(encoding="utf-8")
    return frozenset(m.group(1) for m in _ENTRY.finditer(text) if int(m.group(2)) >= _MIN_COUNT)


def is_given_name(word: str) -> bool:
    """Whether `word`, or the first part of a hyphenated one ("Pierre-Michel"), is a common given name."""
    return fold(word).split("-")[0] in _given_names()
