"""Batched writes store exactly what one record at a time stores.

``Ledger.ingest_records`` answers a batch's lookups from a cache and sends its writes at the end
(``ledger.batch.WriteBatch``); every record must still see the ledger the records before it left. A stream
grown like a real corpus (bench/corpus.py), with reruns, replaced texts, other outlets' copies and reused URLs
in the middle of batches, is stored both ways on SQLite and PostgreSQL and the two ledgers are compared.
"""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT
from ledger_dbs import DB_KINDS, ledger_db, snapshot
from newsledger.ledger import Ledger

sys.path.insert(0, str(ROOT / "bench"))
from corpus import GrowingCorpus  # noqa: E402

N = 120


def mixed_stream(seed_record: dict) -> list[dict]:
    """Grown documents, and now and then one that meets a stored or just-written article."""
    corpus = GrowingCorpus([seed_record])
    out = []
    for i in range(N):
        out.append(corpus.record(i))
        if i % 11 == 10:
            out.append(corpus.record(i - 4))  # the same again: skipped
        if i % 17 == 16:
            r = corpus.record(i - 9)
            r["article"]["text"] += " Updated."  # a changed text under the same id: replaced
            out.append(r)
        if i % 13 == 12:
            r = corpus.record(i - 2)
            r["article"]["publisher"] = "Another Outlet"  # same id and text, another outlet: carried
            out.append(r)
        if i % 19 == 18:
            r = corpus.record(i - 1)
            r["article"]["id"] = f"dup-{i}"  # a new id at a stored URL, the same text
            out.append(r)
        if i % 23 == 22:
            r = corpus.record(i - 3)
            r["article"].update(id=f"other-{i}", text=r["article"]["text"] + " Changed.")  # a URL with new text
            out.append(r)
    return out


@pytest.mark.parametrize("kind", DB_KINDS)
def test_batches_store_what_single_records_store(kind, seed_record, tmp_path):
    stream = mixed_stream(seed_record)
    (tmp_path / "one").mkdir()
    (tmp_path / "batch").mkdir()
    with ledger_db(kind, tmp_path / "one") as one_url, ledger_db(kind, tmp_path / "batch") as batch_url:
        with Ledger(one_url) as led:
            one = [led.ingest_record(r) for r in stream]
        with Ledger(batch_url) as led:
            batched = [res for s in range(0, len(stream), 16) for res in led.ingest_records(stream[s:s + 16])]
        assert batched == one
        assert {"ingested", "skipped", "replaced", "carried"} <= set(one)
        a, b = snapshot(one_url), snapshot(batch_url)
        assert a["counts"] == b["counts"] and a["counts"]["events"] > N
        for section in a:
            assert a[section] == b[section], section


def test_a_failed_batch_leaves_nothing(seed_record, tmp_path, monkeypatch):
    """The batch's writes go at its end, inside its transaction: an error while sending them stores none."""
    from newsledger.ledger.batch import WriteBatch

    stream = mixed_stream(seed_record)[:10]
    url = f"sqlite:///{tmp_path / 'l.db'}"
    with Ledger(url) as led:
        led.ingest_records(stream[:3])
        before = snapshot(url)
        real = WriteBatch.flush

        def broken(self: WriteBatch) -> None:
            # a NOT NULL column left empty: the flush fails after most tables were sent
            self.rows["m:event"].append({"event_id": None, "article_id": None, "record_id": "x", "start": 0,
                                         "end": 0})
            real(self)

        monkeypatch.setattr(WriteBatch, "flush", broken)
        with pytest.raises(Exception):  # noqa: B017 - the database's own IntegrityError
            led.ingest_records(stream[3:])
        monkeypatch.setattr(WriteBatch, "flush", real)
        assert snapshot(url) == before
        assert led.ingest_records(stream[3:])  # and the same batch goes in afterwards
