"""Lexicons and gazetteers shipped with the package.

Rules live in code, word lists live here: each file is JSON (or TSV) so that
analysts can read and extend them without touching Python.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """Load ``name`` (e.g. ``"cues.json"``) from this folder; parsed once per process."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    if name.endswith(".json"):
        return json.loads(text)
    return text


def sizes() -> dict[str, int]:
    """Byte size of every data file, for ``newsledger info``."""
    out = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.endswith((".py", ".pyc")):
            out[entry.name] = len(entry.read_bytes())
    return out
