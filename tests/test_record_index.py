"""record.entity_at's cached mention index: never another record's mentions."""

from __future__ import annotations

import gc

from newsledger.record import entity_at


def _rec(n: int) -> dict:
    # every record has two entities with one mention each at the same offsets: only the ids tell them apart
    return {"entities": [{"id": f"r{n}-a", "mentions": [[0, 5]]}, {"id": f"r{n}-b", "mentions": [[10, 15]]}]}


def test_a_freed_record_s_index_is_never_served_to_the_next_one() -> None:
    """CPython hands a freed list's id() to the next list made: an index keyed by id() alone then answered
    with the previous record's entities (this made event tests pass or fail depending on test order)."""
    for n in range(300):
        rec = _rec(n)
        assert entity_at(rec, 0, 5) == f"r{n}-a"
        assert entity_at(rec, 10, 15) == f"r{n}-b"
        del rec
        gc.collect()


def test_the_index_follows_mentions_added_to_the_same_record() -> None:
    rec = _rec(0)
    assert entity_at(rec, 20, 25) is None
    rec["entities"].append({"id": "late", "mentions": [[20, 25]]})
    assert entity_at(rec, 20, 25) == "late"
