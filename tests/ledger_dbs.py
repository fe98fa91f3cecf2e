"""Real databases for the ledger tests: a SQLite file, or a fresh database on a real PostgreSQL server.

The PostgreSQL server comes from $NEWSLEDGER_TEST_PG (``make test`` starts one with scripts/pg-start.sh);
without it we try scripts/pg-start.sh ourselves. No server: the PostgreSQL cases skip locally and FAIL
under CI (env CI set), so CI can never pass without having exercised PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

from newsledger.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent


@cache
def pg_server_url() -> str | None:
    url = os.environ.get("NEWSLEDGER_TEST_PG")
    if url:
        return url
    try:
        res = subprocess.run(["bash", str(ROOT / "scripts" / "pg-start.sh")], capture_output=True, text=True,
                             timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = res.stdout.strip().splitlines()
    return out[-1] if res.returncode == 0 and out and "://" in out[-1] else None


def require_pg() -> str:
    url = pg_server_url()
    if url is None:
        msg = "no PostgreSQL server (set NEWSLEDGER_TEST_PG or install postgresql for scripts/pg-start.sh)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return url


def _admin_engine(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from newsledger.ledger import resolve_url

    u = make_url(resolve_url(url)).set(database="postgres")
    return create_engine(u, isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_pg() -> Iterator[str]:
    """A new, empty PostgreSQL database (random name), dropped afterwards."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from newsledger.ledger import resolve_url

    server = require_pg()
    name = "nl_test_" + uuid.uuid4().hex[:12]
    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(resolve_url(server)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def ledger_db(kind: str, tmp_path: Path) -> Iterator[str]:
    """A database URL of ``kind`` ("sqlite" or "postgresql"), empty and private to one test."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        with fresh_pg() as url:
            yield url


DB_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def snapshot(url: str) -> dict:
    """Everything a user can read from the ledger, minus ingestion timestamps, with ids renumbered (below):
the kill tests compare a killed-and-rerun ledger with a clean one."""
    with Ledger(url) as led:
        arts = led.articles(limit=10_000)
        for a in arts:
            a.pop("ingested_at", None)
        snap = {"counts": led.counts(), "articles": sorted(arts, key=lambda a: a["id"]),
                "entities": led.entities(limit=10_000), "quotes": led.quotes(limit=10_000),
                "claims": led.claims(limit=10_000), "events": led.events(limit=10_000),
                "records": sorted(json.dumps(r, sort_keys=True) for r in led.records())}
    return canonical_ids(snap)


def canonical_ids(snap: dict) -> dict:
    """Ledger ids renumbered by where each item is first mentioned (article, span).

    PostgreSQL sequences are not transactional: an insert rolled back by the kill still uses up its number,
    so the rerun's ids may have gaps that a clean run has not. Content and links must be equal; numbers need not.
    """
    mapping: dict[str, str] = {}
    for section, prefix in (("entities", "E"), ("quotes", "Q"), ("claims", "C"), ("events", "V")):
        def first(item: dict) -> str:
            return json.dumps([item.get("mentions"), item.get("name") or item.get("text") or item.get("type")],
                              sort_keys=True)
        for n, item in enumerate(sorted(snap[section], key=first)):
            mapping[item["id"]] = f"{prefix}#{n}"
    out = json.loads(re.sub(r'"([EQCV]\d+)"', lambda m: json.dumps(mapping.get(m.group(1), m.group(1))),
                            json.dumps(snap)))
    for section in ("entities", "quotes", "claims", "events"):
        out[section].sort(key=lambda item: int(item["id"].split("#")[1]))
    return out
