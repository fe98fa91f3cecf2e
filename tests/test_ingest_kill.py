"""kill -9 in the middle of an ingest, then a rerun: nothing lost, duplicated or half-written.

300 small generated documents go into a SQLite file and into a PostgreSQL database; the ingest process is
SIGKILLed once part of them is stored, the same command is run again, and the ledger must then hold every
document once, in input order, and equal, item for item, a clean uninterrupted ingest of those records.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from ledger_dbs import fresh_pg, snapshot
from newsledger.ledger import Ledger, resolve_url

N_DOCS = 300
PEOPLE = ["Anna Berg", "Tomas Keller", "Maria Lopez", "Jonas Weber", "Elena Petrova", "Pavel Novak"]
PLACES = ["Berlin", "Madrid", "Vienna", "Prague", "Warsaw", "Lisbon", "Dublin"]


def write_docs(path) -> None:
    """Tiny, varied news items as JSON lines (kept short so extraction is fast)."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(N_DOCS):
            who, where = PEOPLE[i % len(PEOPLE)], PLACES[(i // 3) % len(PLACES)]
            other = PEOPLE[(i + 2) % len(PEOPLE)]
            body = (f"Talks in {where}, report {i}\n\n"
                    f"{who} met {other} in {where} on Monday to discuss the budget plan number {i}.\n\n"
                    f"\u201cWe agreed on point {i % 40},\u201d {who.split()[1]} said after the meeting.")
            fh.write(json.dumps({"id": f"kill-{i:03d}", "url": f"https://example.org/news/{i}",
                                 "published": f"2024-03-{1 + i % 28:02d}T10:00:00Z", "text": body}) + "\n")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    path = tmp_path_factory.mktemp("kill") / "docs.jsonl"
    write_docs(path)
    return path


def reference(url: str, tmp_path) -> dict:
    """What one clean, uninterrupted run gives: the same records ingested in order into a fresh ledger."""
    with Ledger(url) as led:
        recs = list(led.records())
    assert [r["article"]["id"] for r in recs] == [f"kill-{i:03d}" for i in range(N_DOCS)]  # none lost or doubled
    ref = f"sqlite:///{tmp_path / 'reference.db'}"
    with Ledger(ref) as led:
        assert [led.ingest_record(r) for r in recs] == ["ingested"] * N_DOCS
    return snapshot(ref)


def stored(engine) -> int:  # noqa: ANN001
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    except Exception:  # the schema may not exist yet in the first instants
        return 0


def kill_and_rerun(url: str, docs) -> tuple[int, str]:
    cmd = [sys.executable, "-m", "newsledger.cli", "ingest", str(docs), "--db", url]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watcher = create_engine(resolve_url(url), poolclass=NullPool)  # a plain reader, no migrations
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None and stored(watcher) < 40:
        time.sleep(0.1)
    assert proc.poll() is None, "ingest ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = stored(watcher)
    watcher.dispose()
    assert 40 <= partial < N_DOCS
    rerun = subprocess.run(cmd, capture_output=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr.decode()
    return partial, rerun.stdout.decode().strip().splitlines()[-1]


def check(url: str, docs, tmp_path) -> dict:
    partial, summary = kill_and_rerun(url, docs)
    assert summary == f"ingested {N_DOCS - partial}, skipped {partial}, failed 0"
    got = snapshot(url)
    assert got == reference(url, tmp_path)
    assert got["counts"]["articles"] == N_DOCS and got["counts"]["quotes"] > 0 and got["counts"]["entities"] > 0
    return got


def test_sigkill_mid_ingest_sqlite(docs, tmp_path):
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    check(url, docs, tmp_path)
    with Ledger(url) as led, led.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")  # raises if corrupt


@pytest.mark.postgres
def test_sigkill_mid_ingest_postgresql(docs, tmp_path):
    with fresh_pg() as url:
        check(url, docs, tmp_path)
        with Ledger(url) as led, led.engine.connect() as conn:
            # every link points at a stored article and item (the foreign keys say so; count to be sure)
            for tab, col, ref in (("entity_mentions", "entity_id", "entities"), ("quote_mentions", "quote_id", "quotes"),
                                  ("claim_mentions", "claim_id", "claims"), ("event_mentions", "event_id", "events")):
                orphans = conn.execute(text(f"SELECT count(*) FROM {tab} m LEFT JOIN {ref} i ON i.id = m.{col} "
                                            f"LEFT JOIN articles a ON a.id = m.article_id "
                                            f"WHERE i.id IS NULL OR a.id IS NULL")).scalar_one()
                assert orphans == 0, tab
            assert conn.execute(text("SELECT count(*) FROM search_docs WHERE kind = 'article'")).scalar_one() == N_DOCS
