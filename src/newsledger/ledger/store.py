"""The Ledger: records in, merged ledger items out (SQLite or PostgreSQL through SQLAlchemy Core).

Writing: ``ingest_record`` stores one article and merges its entities, quotes,
claims and events into ledger items in ONE transaction, so a kill at any moment
leaves either the whole article or nothing; the merging itself is ``writer._Writer``.
Reading: plain JSON-able dicts, the same on both databases (``queries.LedgerQueries``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url

from newsledger.ledger.batch import WriteBatch
from newsledger.ledger.common import ITEM_TABLES
from newsledger.ledger.queries import LedgerQueries
from newsledger.ledger.schema import (
    MENTION_TABLES,
    article_carriers,
    articles,
    claim_history,
    claim_keys,
    claims,
    entities,
    entity_keys,
    events,
    quotes,
    search_docs,
)
from newsledger.ledger.writer import _add_carrier, _refresh_claim_status, _Writer, carried_by
from newsledger.record import NewsledgerError

DEFAULT_URL = "sqlite:///newsledger.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def resolve_url(url: str | None = None) -> str:
    """--db value -> SQLAlchemy URL: default/env, bare paths as SQLite files, postgresql:// via psycopg 3."""
    url = url or os.environ.get("NEWSLEDGER_DB") or DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{url}"
    for old in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(old):
            return "postgresql+psycopg://" + url[len(old):]
    return url



class Ledger(LedgerQueries):
    """A ledger database. Open it, ingest records, query merged items; one writer at a time."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        try:
            u = make_url(self.url)
        except Exception as err:
            raise NewsledgerError(f"not a database URL: {self.url}") from err
        self.dialect = u.get_backend_name()
        self._lock = threading.RLock()
        if self.dialect == "sqlite":
            if u.database and u.database != ":memory:":
                Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(self.url, connect_args={"timeout": 60, "check_same_thread": False})
            _sqlite_setup(self.engine)
        elif self.dialect == "postgresql":
            self.engine = create_engine(self.url, pool_pre_ping=True)
        else:
            raise NewsledgerError(f"unsupported database {self.dialect!r}: use sqlite:///FILE or postgresql://...")
        try:
            self._migrate()
        except NewsledgerError:
            raise
        except Exception as err:  # unreachable server, unwritable file: one line, not a traceback
            self.engine.dispose()
            raise NewsledgerError(f"cannot open ledger {u.render_as_string(hide_password=True)}: "
                                  f"{str(err).splitlines()[0]}") from err

    # ------------------------------------------------------------------ setup
    def _migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (cheap no-op when it already is)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with self.engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
        with self._write() as conn:
            if self.dialect == "postgresql":  # two processes opening a fresh database at once
                conn.execute(text("SELECT pg_advisory_xact_lock(7351042)"))
            if MigrationContext.configure(conn).get_current_revision() != head:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction; on SQLite it takes the write lock up front (BEGIN IMMEDIATE) so readers
        and a second writer never deadlock on a lock upgrade."""
        with self._lock, self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_immediate=True)
            with conn.begin():
                yield conn

    # ------------------------------------------------------------------ writing
    def ingest_record(self, rec: dict) -> str:
        """Store one record and merge its items. Returns "ingested", "skipped", "replaced" or "carried"
        (the same text already stored, from another publisher or URL: one more carrier of that article)."""
        return self.ingest_records([rec])[0]

    def ingest_records(self, recs: list[dict]) -> list[str]:
        """Store several records in ONE transaction (batched writes: one lock, one commit); each gets the
        result ``ingest_record`` would give it, in order. A kill loses the whole batch or nothing.

        A record whose article id and URL are new is merged through the batch's cache and its writes are
        sent with the batch's (``batch.WriteBatch``); one that meets a stored article (a rerun, a replaced
        text, another outlet's copy) first sends what is held, then reads the database as it stands."""
        checked = [_checked(rec) for rec in recs]
        if not checked:
            return []
        with self._write() as conn:
            if self.dialect == "postgresql":  # one writer at a time, also across processes (SQLite: BEGIN IMMEDIATE)
                conn.execute(text("SELECT pg_advisory_xact_lock(7351043)"))
            batch = WriteBatch(conn, self.dialect)
            out = []
            for i, (rec, aid, digest) in enumerate(checked):
                if batch.known_articles is None:
                    batch.prefetch(checked[i:])
                out.append(self._ingest_one(conn, rec, aid, digest, batch))
            batch.flush()
            return out

    def _ingest_one(self, conn: Connection, rec: dict, aid: str, digest: str, batch: WriteBatch) -> str:
        art = rec["article"]
        url, publisher = art.get("url"), art.get("publisher")
        if batch.is_new(aid, url):
            _Writer(conn, rec, aid, digest, batch).write()
            return "ingested"
        batch.flush()  # what follows reads (and may delete from) the database itself
        batch.reset()
        old = conn.execute(select(articles.c.id, articles.c.text_hash).where(articles.c.id == aid)).first()
        via_url = None
        if old is None and url:
            via_url = conn.execute(select(article_carriers.c.id, article_carriers.c.article_id)
                                   .where(article_carriers.c.url == url).order_by(article_carriers.c.id)
                                   .limit(1)).first()
            if via_url is not None:
                old = conn.execute(select(articles.c.id, articles.c.text_hash)
                                   .where(articles.c.id == via_url.article_id)).first()
        if old is not None and old.text_hash == digest:
            if self._carrier_of(conn, old.id, publisher, url):
                return "skipped"
            _add_carrier(conn, old.id, aid, art)  # the same text from another outlet: syndication
            return "carried"
        result = "ingested"
        if old is not None:
            others = conn.execute(select(func.count()).select_from(article_carriers)
                                  .where(article_carriers.c.article_id == old.id)).scalar_one()
            if via_url is not None and others > 1:
                # one outlet's URL now carries another text: that outlet stops carrying the old one
                conn.execute(delete(article_carriers).where(article_carriers.c.id == via_url.id))
            else:
                self._remove_article(conn, old.id)  # removed items' ids may be given again
            result = "replaced"
        _Writer(conn, rec, aid, digest, batch).write()
        batch.flush()
        batch.reset()
        return result

    @staticmethod
    def _carrier_of(conn: Connection, aid: str, publisher: str | None, url: str | None) -> bool:
        """Does article ``aid`` already have a carrier with this publisher and URL?"""
        q = (select(article_carriers.c.id).where(article_carriers.c.article_id == aid)
             .where(article_carriers.c.publisher.is_not_distinct_from(publisher))
             .where(article_carriers.c.url.is_not_distinct_from(url)).limit(1))
        return conn.execute(q).first() is not None

    def has_article(self, article_id: str, url: str | None, digest: str, publisher: str | None = None,
                    any_publisher: bool = False) -> bool:
        """True when this article (by id, else by URL) is stored with exactly this text (sha256 hex) and,
        unless ``any_publisher``, already carried by this publisher at this URL (else it is a new carrier)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles.c.id, articles.c.text_hash).where(articles.c.id == article_id)).first()
            if row is None and url:
                row = conn.execute(select(articles.c.id, articles.c.text_hash)
                                   .join(article_carriers, article_carriers.c.article_id == articles.c.id)
                                   .where(article_carriers.c.url == url)
                                   .order_by(article_carriers.c.id).limit(1)).first()
            if row is None or row.text_hash != digest:
                return False
            return any_publisher or self._carrier_of(conn, row.id, publisher, url)

    def carriers(self, article_id: str) -> list[dict]:
        """Every outlet that carried this article's text, first first: this article's carriers and those of
        articles stored under other ids with the very same text."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles.c.text_hash).where(articles.c.id == article_id)).first()
            if row is None:
                return []
            same = select(articles.c.id).where(articles.c.text_hash == row[0])
            return self._carrier_rows(conn, same)

    @staticmethod
    def _carrier_rows(conn: Connection, article_ids: Any) -> list[dict]:
        c = article_carriers.c
        q = (select(c.article_id, c.doc_id, c.publisher, c.url, c.title, c.published, c.ingested_at)
             .where(c.article_id.in_(article_ids)).order_by(c.id))
        return [dict(r) for r in conn.execute(q).mappings()]

    def _carriers_of(self, conn: Connection, items: list[dict]) -> None:
        """Give each item dict ``carriers`` (every outlet of every article it is in) and ``carried_by``."""
        aids = sorted({a for it in items for a in it.get("articles") or []})
        by_article: dict[str, list[dict]] = {}
        for i in range(0, len(aids), 500):
            for r in self._carrier_rows(conn, aids[i:i + 500]):
                by_article.setdefault(r["article_id"], []).append(
                    {"article": r["article_id"], "publisher": r["publisher"], "url": r["url"],
                     "published": r["published"]})
        for it in items:
            it["carriers"] = [c for a in it.get("articles") or [] for c in by_article.get(a, [])]
            it["carried_by"] = carried_by(it["carriers"])

    def _remove_article(self, conn: Connection, aid: str) -> None:
        """Take one article's support out of the ledger; items it alone supported disappear."""
        touched: dict[str, set[int]] = {}
        for kind, tab in MENTION_TABLES.items():
            col = tab.c[f"{kind}_id"]
            touched[kind] = {r[0] for r in conn.execute(select(col).where(tab.c.article_id == aid).distinct())}
            conn.execute(delete(tab).where(tab.c.article_id == aid))
        hist_claims = {r[0] for r in conn.execute(select(claim_history.c.claim_id).where(claim_history.c.article_id == aid))}
        touched["claim"] |= hist_claims
        conn.execute(delete(claim_history).where(claim_history.c.article_id == aid))
        conn.execute(delete(search_docs).where(search_docs.c.article_id == aid))
        for kind in ("event", "quote", "claim", "entity"):
            tab, mtab = ITEM_TABLES[kind], MENTION_TABLES[kind]
            for item_id in sorted(touched[kind]):
                still = conn.execute(select(mtab.c.id).where(mtab.c[f"{kind}_id"] == item_id).limit(1)).first()
                if still is None:
                    if kind == "entity":
                        conn.execute(delete(entity_keys).where(entity_keys.c.entity_id == item_id))
                        for t, cols in ((quotes, ("speaker_id",)), (claims, ("source_id",)),
                                        (events, ("actor_id", "target_id")), (entities, ("affiliation_id",))):
                            for c in cols:
                                conn.execute(update(t).where(t.c[c] == item_id).values({c: None}))
                    if kind == "claim":
                        conn.execute(delete(claim_keys).where(claim_keys.c.claim_id == item_id))
                        conn.execute(update(events).where(events.c.claim_id == item_id).values(claim_id=None))
                    conn.execute(delete(tab).where(tab.c.id == item_id))
                elif kind == "claim":
                    _refresh_claim_status(conn, item_id)
        conn.execute(delete(article_carriers).where(article_carriers.c.article_id == aid))
        conn.execute(delete(articles).where(articles.c.id == aid))


def _sqlite_setup(engine: Engine) -> None:
    """Foreign keys on, WAL journal, and explicit BEGIN / BEGIN IMMEDIATE (pysqlite's own transaction
    handling defers BEGIN and cannot take the write lock up front)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=60000")
        # 256 MiB of page cache (default 2 MiB) and the file memory-mapped (SQLite caps the map at 2 GiB): the
        # blocking-key indexes are read at random, and a large ledger's pages would otherwise be copied from the
        # file again and again. A checkpoint every 20,000 WAL pages (default 1,000): a page that several batches
        # change is copied into the database once, not once per batch (bench/RESULTS.md, section 5).
        cur.execute("PRAGMA cache_size=-262144")
        cur.execute("PRAGMA mmap_size=4294967296")
        cur.execute("PRAGMA wal_autocheckpoint=20000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sqlite_immediate") else "BEGIN")


def _checked(rec: Any) -> tuple[dict, str, str]:
    """(record, article id, sha256 of its text) for a storable record; NewsledgerError otherwise."""
    if not isinstance(rec, dict) or "error" in rec or not isinstance(rec.get("article"), dict):
        raise NewsledgerError(f"not a record: {rec.get('error') if isinstance(rec, dict) else type(rec).__name__}")
    art = rec["article"]
    body = art.get("text") or ""
    aid = str(art.get("id") or "")
    if not aid or not body:
        raise NewsledgerError("record without article id or text")
    return rec, aid, hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
