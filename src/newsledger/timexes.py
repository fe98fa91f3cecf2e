"""timexes stage (being built: see the issue that owns it)."""

from __future__ import annotations

from typing import Any

from newsledger.record import Record


def run(rec: Record, doc: Any) -> None:
    """Add this stage's section to ``rec``; ``doc`` is the spaCy Doc of article.text."""
    return None
