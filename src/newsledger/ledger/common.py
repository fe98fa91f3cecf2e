"""Ledger ids and small helpers shared by the writer and the queries."""

from __future__ import annotations

import json
from typing import Any

from newsledger.ledger.schema import (
    claims,
    entities,
    events,
    quotes,
)

PREFIX = {"entity": "E", "quote": "Q", "claim": "C", "event": "V"}
ITEM_TABLES = {"entity": entities, "quote": quotes, "claim": claims, "event": events}


def ledger_id(kind: str, n: int | None) -> str | None:
    return None if n is None else f"{PREFIX[kind]}{n}"


def parse_id(kind: str, value: str | int) -> int | None:
    """'E12' (or 12) -> 12; anything else -> None."""
    s = str(value).strip()
    if s[:1].upper() == PREFIX[kind]:
        s = s[1:]
    return int(s) if s.isdigit() and len(s) <= 18 else None  # larger ones overflow a 64-bit key: unknown


def _esc(text: str) -> str:
    """User text inside a LIKE pattern: its % and _ match themselves. NUL would end SQLite's pattern early
    (matching everything), so it becomes U+FFFE, a noncharacter that no stored text contains."""
    return text.replace("\x00", "\ufffe").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _loads(s: str | None, default: Any) -> Any:
    return json.loads(s) if s else default
