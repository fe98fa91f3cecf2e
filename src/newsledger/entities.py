"""entities stage (being built)."""

from __future__ import annotations

from typing import Any

from newsledger.record import Record


def add_ruler(nlp: Any) -> None:
    """Add the entity ruler for names the statistical model gets wrong."""
    return None


def run(rec: Record, doc: Any) -> None:
    return None
