"""Real databases for the ledger tests: a SQLite file, or a fresh database on a real PostgreSQL server.

The PostgreSQL server comes from $NEWSLEDGER_TEST_PG (``make test`` starts one with scripts/pg-start.sh);
without it we try scripts/pg-start.sh ourselves. No server: the PostgreSQL cases skip locally and FAIL
under CI (env CI set), so CI can never pass without having exercised PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

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
