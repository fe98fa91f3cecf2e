"""The record that ``newsledger extract`` prints (see SPEC.md) and small helpers
that every stage shares.

Stages never reach into one another's internals: they read what earlier stages
wrote into the record (plain dicts and lists) and add their own part.
"""

from __future__ import annotations

import bisect
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


_Index = tuple[list[tuple[int, int, str]], list[int], int]
_INDEX_CACHE: dict[tuple[int, int, int], tuple[list[Any], _Index]] = {}


def _cached_index(rec: Record) -> _Index:
    """(sorted mentions, their starts, longest mention) for ``rec``, built once per state of its entity list.

    Later stages call entity_at once per argument; rebuilding the index each time made them quadratic. The
    cache holds the entity list itself and checks it is the same object: keyed by ``id()`` alone, a list freed
    with its record could hand its id to the next record's list, which then read the old record's mentions
    (short texts with as many entities and mentions hit this, and wrong entities came back).
    """
    ents = rec.get("entities", [])
    key = (id(ents), len(ents), sum(len(e.get("mentions", [])) for e in ents))
    entry = _INDEX_CACHE.get(key)
    if entry is None or entry[0] is not ents:
        idx = entity_index(rec)
        if len(_INDEX_CACHE) > 64:
            _INDEX_CACHE.clear()
        entry = _INDEX_CACHE[key] = (ents, (idx, [s for s, _, _ in idx], max((e - s for s, e, _ in idx), default=0)))
    return entry[1]


def entity_at(rec: Record, start: int, end: int) -> str | None:
    """Id of the entity whose mention best overlaps ``[start, end)``, or None.

    Prefers the mention that covers most of the span; ties go to the longer mention.
    """
    idx, starts, longest = _cached_index(rec)
    return best_overlap(idx, starts, longest, start, end)


def best_overlap(idx: list[tuple[int, int, str]], starts: list[int], longest: int, start: int, end: int) -> str | None:
    """``entity_at`` over any sorted (start, end, id) mention list: its ``starts`` and ``longest`` mention
    bound the scan by bisection, so callers with their own mention lists (a stage's index of spaCy's own
    entities) share one rule instead of a copy."""
    best, best_key = None, (0, 0)
    # only mentions starting after start - longest can reach into the span
    for k in range(bisect.bisect_left(starts, start - longest), len(idx)):
        s, e, eid = idx[k]
        if s >= end:
            break
        if e <= start:
            continue
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
