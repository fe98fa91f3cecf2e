"""The same records whatever the execution: in process, N local processes, a Dask LocalCluster.

Each execution mode runs ONCE per test session over the bundled examples with two bad documents in the
middle (module fixtures), and the tests compare those runs item by item. Starting worker processes and
loading spaCy in each is what costs time here, so nothing is run twice.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES
from newsledger.read import Document, read_path
from newsledger.scale import extract_stream

BATCH = 3  # small batches: several per worker, and the bad documents fall inside a batch, not at its edge
BAD_IDS = ["bad-empty", "bad-unreadable"]


def _documents() -> list[Document]:
    docs = [d for p in sorted(EXAMPLES.glob("*.txt")) for d in read_path(p)]
    assert len(docs) == 11
    bad = [Document(id="bad-empty", text=" \n\x00 ", source="bad-empty.txt"),
           Document(id="bad-unreadable", source="bad.bin", error="bad.bin: binary data, not a text document")]
    return docs[:4] + bad[:1] + docs[4:7] + bad[1:] + docs[7:]


class Counted:
    """An input stream that remembers how many documents were pulled each time a record came out."""

    def __init__(self, docs: list[Document]) -> None:
        self.docs, self.pulled, self.lead = docs, 0, []

    def __iter__(self) -> Iterator[Document]:
        for d in self.docs:
            self.pulled += 1
            yield d

    def run(self, **mode) -> list[dict]:
        out = []
        for rec in extract_stream(self, batch_size=BATCH, **mode):
            out.append(rec)
            self.lead.append(self.pulled - len(out))  # read ahead of what was yielded
        return out


@pytest.fixture(scope="module")
def single() -> list[dict]:
    return Counted(_documents()).run(workers=1)


@pytest.fixture(scope="module")
def local2() -> tuple[list[dict], list[int]]:
    c = Counted(_documents())
    return c.run(workers=2, max_in_flight=2), c.lead


@pytest.fixture(scope="module")
def dask2() -> tuple[list[dict], list[int]]:
    c = Counted(_documents())
    return c.run(dask="local:2", max_in_flight=2), c.lead


def _ids(records: list[dict]) -> list[str | None]:
    return [r["id"] if "error" in r else r["article"]["id"] for r in records]


def test_single_process_matches_extract_many(single: list[dict]) -> None:
    from newsledger.pipeline import extract_many

    # the first batch is enough: workers=1 is extract_many's own loop, and the whole run is compared below
    assert single[:BATCH] == list(extract_many(_documents()[:BATCH], batch_size=BATCH))


def test_bad_documents_become_error_records_in_every_mode(single, local2, dask2) -> None:
    for records in (single, local2[0], dask2[0]):
        assert len(records) == 13
        errors = [r for r in records if "error" in r]
        assert [r["id"] for r in errors] == BAD_IDS
        assert _ids(records)[4] == "bad-empty" and _ids(records)[8] == "bad-unreadable"
        assert "binary data" in errors[1]["error"]
        good = [r for r in records if "error" not in r]
        assert len(good) == 11 and all(r["entities"] and r["article"]["text"] for r in good)


@pytest.mark.parametrize("mode", ["local2", "dask2"])
def test_same_records_item_by_item(mode: str, single: list[dict], request: pytest.FixtureRequest) -> None:
    other, _ = request.getfixturevalue(mode)
    assert _ids(other) == _ids(single)
    for a, b in zip(single, other, strict=True):
        assert a.keys() == b.keys()
        for section in a:  # one section at a time, so a failure names the section and the article
            assert a[section] == b[section], (mode, _ids([a]), section)


@pytest.mark.parametrize("mode", ["local2", "dask2"])
def test_input_is_streamed_with_bounded_read_ahead(mode: str, request: pytest.FixtureRequest) -> None:
    _, lead = request.getfixturevalue(mode)
    # at most max_in_flight (2) batches are out; the generator may hold one more batch it is yielding from
    assert max(lead) <= (2 + 1) * BATCH
    assert max(lead) < len(_documents()) - BATCH  # never read everything up front


def _ledger_available() -> bool:
    try:
        return importlib.util.find_spec("newsledger.ledger") is not None
    except ModuleNotFoundError:
        return False


def _without_clock(item):
    """Drop the wall-clock ingestion time: the only thing two identical ingests may differ in."""
    if isinstance(item, dict):
        return {k: _without_clock(v) for k, v in item.items() if k != "ingested_at"}
    if isinstance(item, list):
        return [_without_clock(v) for v in item]
    return item


def _ledger_dump(url: str, records: list[dict]) -> dict:
    from newsledger.ledger import Ledger

    ledger = Ledger(url)
    try:
        outcomes = [ledger.ingest_record(r) for r in records if "error" not in r]
        return _without_clock({"outcomes": outcomes, "counts": ledger.counts(),
                "articles": ledger.articles(limit=1000),
                "entities": ledger.entities(limit=10_000), "quotes": ledger.quotes(limit=10_000),
                "claims": ledger.claims(limit=10_000), "events": ledger.events(limit=10_000)})
    finally:
        ledger.close()


@pytest.mark.skipif(not _ledger_available(), reason="newsledger.ledger (the Ledger class) is not built yet")
def test_ledger_from_one_process_equals_ledger_from_dask(single, dask2, tmp_path: Path) -> None:
    one = _ledger_dump(f"sqlite:///{tmp_path / 'one.db'}", single)
    many = _ledger_dump(f"sqlite:///{tmp_path / 'dask.db'}", dask2[0])
    assert one["counts"]["articles"] == 11 and one["counts"]["entities"] > 50
    assert one["outcomes"] == ["ingested"] * 11
    for kind in one:
        assert len(one[kind]) == len(many[kind]), kind
        if isinstance(one[kind], list):
            for a, b in zip(one[kind], many[kind], strict=True):
                assert a == b, (kind, a.get("id"))
        else:
            assert one[kind] == many[kind], kind
