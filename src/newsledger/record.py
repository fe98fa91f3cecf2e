"""The record that ``newsledger extract`` prints (see SPEC.md) and small helpers
that every stage shares.

Stages never reach into one another's internals: they read what earlier stages
wrote into the record (plain dicts and lists) and add their own part.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from newsledger import SCHEMA

Record = dict[str, Any]
SECTIONS = ("entities", "quotes", "claims", "events", "figures", "timexes")


class NewsledgerError(Exception):
    """An input problem reported to the user as one line, never as a traceback."""


def content_id(text: str) -> str:
    """Stable article id: a short hash of the content, so re-reading gives the same id."""
    return "a" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def new_record(article: dict[str, Any]) -> Record:
    """A record with the article part filled and every other section empty."""
    rec: Record = {"schema": SCHEMA, "article": article}
    for key in SECTIONS:
        rec[key] = []
    return rec


def entity_index(rec: Record) -> list[tuple[int, int, str]]:
    """All entity mentions as sorted (start, end, entity id) triples."""
    out = [(s, e, ent["id"]) for ent in rec.get("entities", []) for s, e in ent.get("mentions", [])]
    out.sort()
    return out


def entity_at(rec: Record, start: int, end: int) -> str | None:
    """Id of the entity whose mention best overlaps ``[start, end)``, or None.

    Prefers the mention that covers most of the span; ties go to the longer mention.
    """
    best, best_key = None, (0, 0)
    for s, e, eid in entity_index(rec):
        if e <= start:
            continue
        if s >= end:
            break
        ov = min(e, end) - max(s, start)
        key = (ov, e - s)
        if ov > 0 and key > best_key:
            best, best_key = eid, key
    return best


def entity_by_id(rec: Record, eid: str | None) -> dict[str, Any] | None:
    if eid is None:
        return None
    for ent in rec.get("entities", []):
        if ent["id"] == eid:
            return ent
    return None


def spans_text(text: str, spans: Iterable[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]
