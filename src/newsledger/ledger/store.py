"""The Ledger: records in, merged ledger items out (SQLite or PostgreSQL through SQLAlchemy Core).

Writing: ``ingest_record`` stores one article and merges its entities, quotes,
claims and events into ledger items in ONE transaction, so a kill at any moment
leaves either the whole article or nothing. Reading: plain JSON-able dicts
(see notes/LEDGER_API.md), the same on both databases.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy.engine import make_url

from newsledger.ledger import merge
from newsledger.ledger.schema import (
    MENTION_TABLES,
    article_carriers,
    articles,
    claim_history,
    claim_keys,
    claims,
    entities,
    entity_keys,
    entity_mentions,
    events,
    quotes,
    search_docs,
)
from newsledger.record import NewsledgerError

DEFAULT_URL = "sqlite:///newsledger.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
PREFIX = {"entity": "E", "quote": "Q", "claim": "C", "event": "V"}
MAX_EVENT_DAYS = 400  # longest event date range merging looks back over (a year, reported late)
WIDE_CANDIDATES = 50  # entities read for a bare surname (every person of that surname could be meant)
# built once: ``conn.execute(INSERT[t], row)`` skips building and caching a statement per row
INSERT = {"entities": insert(entities), "quotes": insert(quotes), "claims": insert(claims), "events": insert(events)}
ITEM_TABLES = {"entity": entities, "quote": quotes, "claim": claims, "event": events}


def resolve_url(url: str | None = None) -> str:
    """--db value -> SQLAlchemy URL: default/env, bare paths as SQLite files, postgresql:// via psycopg 3."""
    url = url or os.environ.get("NEWSLEDGER_DB") or DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{url}"
    for old in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(old):
            return "postgresql+psycopg://" + url[len(old):]
    return url


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


class Ledger:
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
        result ``ingest_record`` would give it, in order. A kill loses the whole batch or nothing."""
        checked = [_checked(rec) for rec in recs]
        if not checked:
            return []
        with self._write() as conn:
            if self.dialect == "postgresql":  # one writer at a time, also across processes (SQLite: BEGIN IMMEDIATE)
                conn.execute(text("SELECT pg_advisory_xact_lock(7351043)"))
            cache = _WriteCache()
            return [self._ingest_one(conn, rec, aid, digest, cache) for rec, aid, digest in checked]

    def _ingest_one(self, conn: Connection, rec: dict, aid: str, digest: str, cache: _WriteCache) -> str:
        art = rec["article"]
        url, publisher = art.get("url"), art.get("publisher")
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
                self._remove_article(conn, old.id)
                cache.affiliation.clear()  # removed entities' links changed; their ids may be reused
            result = "replaced"
        _Writer(conn, rec, aid, digest, cache).write()
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

    # ------------------------------------------------------------------ reading
    def counts(self) -> dict:
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(tab)).scalar_one()
                    for name, tab in (("articles", articles), ("entities", entities), ("quotes", quotes),
                                      ("claims", claims), ("events", events))}

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict]:
        cols = [articles.c[c] for c in ("id", "url", "publisher", "title", "published", "language", "ingested_at")]
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(select(*cols).order_by(articles.c.seq).limit(limit)
                                                  .offset(offset)).mappings()]
            carriers: dict[str, list[dict]] = {}
            for c in self._carrier_rows(conn, [r["id"] for r in rows]):
                carriers.setdefault(c["article_id"], []).append(c)
        for r in rows:
            r["carried_by"] = carried_by(carriers.get(r["id"], []))
        return rows

    def article(self, article_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles.c.record).where(articles.c.id == article_id)).first()
        return json.loads(row[0]) if row else None

    def records(self, batch: int = 200) -> Iterator[dict]:
        """Every stored record in ingestion order (streamed in batches, for export)."""
        last = -1
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(select(articles.c.seq, articles.c.record).where(articles.c.seq > last)
                                    .order_by(articles.c.seq).limit(batch)).all()
            if not rows:
                return
            for seq, record in rows:
                last = seq
                yield json.loads(record)

    def entity_names(self) -> dict[str, dict]:
        """Every entity's id -> {"name", "type", "code"} without mentions (cheap; for exports and labels)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(entities.c.id, entities.c.name, entities.c.type, entities.c.code)).all()
        return {ledger_id("entity", i): {"name": n, "type": t, "code": c} for i, n, t, c in rows}

    def _entity_ids(self, conn: Connection, name: str) -> list[int]:
        """Ledger entities a user's NAME (or 'E12') refers to: id, name or alias, case-insensitive substring."""
        n = parse_id("entity", name) if name.strip()[:1] in ("E", "e") else None
        if n is not None:
            return [n]
        q = name.strip().lower()
        if not q:
            return []
        # words that start with the query: "Berg" finds Anna Berg, not Stoltenberg
        name_c, alias_c = func.lower(entities.c.name), func.lower(entities.c.aliases)
        q = _esc(q)
        cond = or_(name_c.like(f"{q}%", escape="\\"), name_c.like(f"% {q}%", escape="\\"),
                   name_c.like(f"%-{q}%", escape="\\"), alias_c.like(f'%"{q}%', escape="\\"),
                   alias_c.like(f"% {q}%", escape="\\"))
        return [r[0] for r in conn.execute(select(entities.c.id).where(cond))]

    def entities(self, q: str | None = None, type: str | None = None, limit: int = 100,
                 offset: int = 0) -> list[dict]:
        with self.engine.connect() as conn:
            stmt = select(entities)
            if q:
                stmt = stmt.where(entities.c.id.in_(self._entity_ids(conn, q)))
            if type:
                stmt = stmt.where(entities.c.type == type.upper())
            mcount = (select(func.count()).select_from(entity_mentions)
                      .where(entity_mentions.c.entity_id == entities.c.id).scalar_subquery())
            stmt = stmt.order_by(mcount.desc(), entities.c.id).limit(limit).offset(offset)
            rows = conn.execute(stmt).mappings().all()
            return self._entity_dicts(conn, rows)

    def _names(self, conn: Connection, ids: set[int | None]) -> dict[int, str]:
        ids = {i for i in ids if i is not None}
        if not ids:
            return {}
        return dict(conn.execute(select(entities.c.id, entities.c.name).where(entities.c.id.in_(ids))).all())

    def _mentions(self, conn: Connection, kind: str, ids: list[int]) -> dict[int, list[dict]]:
        out: dict[int, list[dict]] = {i: [] for i in ids}
        if not ids:
            return out
        tab = MENTION_TABLES[kind]
        col = tab.c[f"{kind}_id"]
        q = (select(col, tab.c.article_id, tab.c.start, tab.c.end, articles.c.seq)
             .join(articles, articles.c.id == tab.c.article_id).where(col.in_(ids))
             .order_by(articles.c.seq, tab.c.start))
        for item, aid, s, e, _ in conn.execute(q):
            out[item].append({"article": aid, "span": [s, e]})
        return out

    @staticmethod
    def _articles_of(mentions: list[dict]) -> list[str]:
        return list(dict.fromkeys(m["article"] for m in mentions))

    def _entity_dicts(self, conn: Connection, rows: list) -> list[dict]:
        ids = [r["id"] for r in rows]
        ments = self._mentions(conn, "entity", ids)
        names = self._names(conn, {r["affiliation_id"] for r in rows})
        out = []
        for r in rows:
            m = ments[r["id"]]
            out.append({"id": ledger_id("entity", r["id"]), "name": r["name"], "type": r["type"], "code": r["code"],
                        "aliases": _loads(r["aliases"], []), "titles": _loads(r["titles"], []),
                        "affiliation": ledger_id("entity", r["affiliation_id"]),
                        "affiliation_name": names.get(r["affiliation_id"]),
                        "articles": self._articles_of(m), "mentions": m})
        self._carriers_of(conn, out)
        return out

    def entity(self, entity_id: str) -> dict | None:
        n = parse_id("entity", entity_id)
        if n is None:
            return None
        with self.engine.connect() as conn:
            rows = conn.execute(select(entities).where(entities.c.id == n)).mappings().all()
            if not rows:
                return None
            out = self._entity_dicts(conn, rows)[0]
            out["quotes"] = self._quote_dicts(conn, conn.execute(
                select(quotes).where(quotes.c.speaker_id == n).order_by(quotes.c.id)).mappings().all())
            out["claims"] = self._claim_dicts(conn, conn.execute(
                select(claims).where(claims.c.source_id == n).order_by(claims.c.id)).mappings().all())
            for key, col in (("events_as_actor", events.c.actor_id), ("events_as_target", events.c.target_id)):
                out[key] = self._event_dicts(conn, conn.execute(
                    select(events).where(col == n).order_by(events.c.date_start, events.c.id)).mappings().all())
            # entities that share articles with this one, most shared first
            mine = select(entity_mentions.c.article_id).where(entity_mentions.c.entity_id == n).distinct()
            other = entity_mentions.alias("o")
            shared = func.count(other.c.article_id.distinct())
            q = (select(other.c.entity_id, shared.label("shared")).where(other.c.article_id.in_(mine))
                 .where(other.c.entity_id != n).group_by(other.c.entity_id)
                 .order_by(shared.desc(), other.c.entity_id).limit(20))
            rows = conn.execute(q).all()
            names = self._names(conn, {r[0] for r in rows})
            types = dict(conn.execute(select(entities.c.id, entities.c.type)
                                      .where(entities.c.id.in_([r[0] for r in rows]))).all()) if rows else {}
            out["neighbours"] = [{"id": ledger_id("entity", i), "name": names.get(i), "type": types.get(i),
                                  "articles": c} for i, c in rows]
            return out

    def _refers_to(self, conn: Connection, id_col: Any, text_col: Any, who: str) -> Any:
        """Rows whose entity is one ``who`` names (id, name or alias), or whose own words contain ``who``."""
        return or_(id_col.in_(self._entity_ids(conn, who)),
                   func.lower(text_col).like(f"%{_esc(who.lower())}%", escape="\\"))

    def quotes(self, speaker: str | None = None, q: str | None = None, limit: int = 100,
               offset: int = 0) -> list[dict]:
        with self.engine.connect() as conn:
            stmt = select(quotes)
            if speaker:
                stmt = stmt.where(self._refers_to(conn, quotes.c.speaker_id, quotes.c.speaker_text, speaker))
            if q:
                stmt = stmt.where(func.lower(quotes.c.text).like(f"%{_esc(q.lower())}%", escape="\\"))
            rows = conn.execute(stmt.order_by(quotes.c.id).limit(limit).offset(offset)).mappings().all()
            return self._quote_dicts(conn, rows)

    def _quote_dicts(self, conn: Connection, rows: list) -> list[dict]:
        ments = self._mentions(conn, "quote", [r["id"] for r in rows])
        names = self._names(conn, {r["speaker_id"] for r in rows})
        out = []
        for r in rows:
            m = ments[r["id"]]
            out.append({"id": ledger_id("quote", r["id"]), "text": r["text"], "span": m[0]["span"] if m else None,
                        "speaker": ledger_id("entity", r["speaker_id"]), "speaker_name": names.get(r["speaker_id"]),
                        "speaker_text": r["speaker_text"], "cue": r["cue"], "kind": r["kind"],
                        "articles": self._articles_of(m), "mentions": m})
        self._carriers_of(conn, out)
        return out

    def claims(self, status: str | None = None, source: str | None = None, limit: int = 100,
               offset: int = 0) -> list[dict]:
        with self.engine.connect() as conn:
            stmt = select(claims)
            if status:
                stmt = stmt.where(claims.c.status == status.lower())
            if source:
                stmt = stmt.where(self._refers_to(conn, claims.c.source_id, claims.c.source_text, source))
            rows = conn.execute(stmt.order_by(claims.c.id).limit(limit).offset(offset)).mappings().all()
            return self._claim_dicts(conn, rows)

    def _claim_dicts(self, conn: Connection, rows: list) -> list[dict]:
        ids = [r["id"] for r in rows]
        ments = self._mentions(conn, "claim", ids)
        names = self._names(conn, {r["source_id"] for r in rows})
        hist: dict[int, list[dict]] = {i: [] for i in ids}
        if ids:
            q = (select(claim_history).where(claim_history.c.claim_id.in_(ids))
                 .order_by(claim_history.c.published_utc, claim_history.c.seq))
            for h in conn.execute(q).mappings():
                hist[h["claim_id"]].append({"article": h["article_id"], "status": h["status"],
                                            "status_cue": h["status_cue"], "published": h["published"],
                                            "contradicted_by": _loads(h["evidence"], [])})
        out = []
        for r in rows:
            m = ments[r["id"]]
            out.append({"id": ledger_id("claim", r["id"]), "text": r["text"],
                        "source": ledger_id("entity", r["source_id"]), "source_name": names.get(r["source_id"]),
                        "source_text": r["source_text"], "cue": r["cue"], "status": r["status"],
                        "status_cue": r["status_cue"],
                        # evidence against the claim, per article: what that record's contradicted_by names
                        "contradicted_by": [{"article": h["article"], "ref": ref} for h in hist[r["id"]]
                                            for ref in h["contradicted_by"]],
                        "span": m[0]["span"] if m else None, "history": hist[r["id"]],
                        "articles": self._articles_of(m), "mentions": m})
        self._carriers_of(conn, out)
        return out

    def events(self, type: str | None = None, actor: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 500, offset: int = 0, entity: str | None = None,
               dated: bool = False) -> list[dict]:
        """Events by date. ``actor`` matches the actor; ``entity`` matches actor or target (the timeline)."""
        with self.engine.connect() as conn:
            stmt = select(events)
            if type:
                stmt = stmt.where(events.c.type == type.upper())
            if actor:
                stmt = stmt.where(self._refers_to(conn, events.c.actor_id, events.c.actor_text, actor))
            if entity:
                ids = self._entity_ids(conn, entity)
                stmt = stmt.where(or_(events.c.actor_id.in_(ids), events.c.target_id.in_(ids)))
            try:
                if since:
                    stmt = stmt.where(events.c.date_end >= merge.parse_day(since))
                if until:
                    stmt = stmt.where(events.c.date_start <= merge.last_day(until))
            except ValueError as err:
                raise NewsledgerError(str(err)) from err
            if dated or since or until:
                stmt = stmt.where(events.c.date_start.is_not(None))
            # undated events last, on both databases
            stmt = stmt.order_by(events.c.date_start.is_(None), events.c.date_start, events.c.id)
            rows = conn.execute(stmt.limit(limit).offset(offset)).mappings().all()
            return self._event_dicts(conn, rows)

    def timeline(self, entity: str | None = None, limit: int = 1000, offset: int = 0) -> list[dict]:
        """Dated events in date order, optionally those where ENTITY is actor or target."""
        return self.events(entity=entity, dated=True, limit=limit, offset=offset)

    def _event_dicts(self, conn: Connection, rows: list) -> list[dict]:
        ments = self._mentions(conn, "event", [r["id"] for r in rows])
        names = self._names(conn, {r["actor_id"] for r in rows} | {r["target_id"] for r in rows})
        out = []
        for r in rows:
            m = ments[r["id"]]
            date = None
            if r["date_start"] or r["date_text"]:
                date = {"start": r["date_start"], "end": r["date_end"], "precision": r["date_precision"],
                        "text": r["date_text"]}
            out.append({"id": ledger_id("event", r["id"]), "type": r["type"], "mode": r["mode"],
                        "actor": ledger_id("entity", r["actor_id"]), "actor_name": names.get(r["actor_id"]),
                        "actor_text": r["actor_text"],
                        "target": ledger_id("entity", r["target_id"]), "target_name": names.get(r["target_id"]),
                        "target_text": r["target_text"], "date": date, "location": _loads(r["location"], None),
                        "figures": _loads(r["figures"], []), "claim": ledger_id("claim", r["claim_id"]),
                        "negated": bool(r["negated"]), "span": m[0]["span"] if m else None,
                        "articles": self._articles_of(m), "mentions": m})
        self._carriers_of(conn, out)
        return out

    def search(self, q: str, limit: int = 50) -> list[dict]:
        """Full text over article text and quotes (FTS5 on SQLite, tsvector on PostgreSQL), best first."""
        q = (q or "").strip()
        if not q:
            return []
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                words = [w for w in merge.WORD_RE.findall(q)]
                if not words:
                    return []
                match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
                sql = text("SELECT d.kind, d.ref, d.article_id, snippet(search_fts, 0, '[', ']', '…', 16) "
                           "FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid "
                           "WHERE search_fts MATCH :m ORDER BY rank, d.id LIMIT :n")
                rows = conn.execute(sql, {"m": match, "n": limit}).all()
            else:
                sql = text("SELECT d.kind, d.ref, d.article_id, ts_headline('english', d.body, query, "
                           "'StartSel=\"[\", StopSel=\"]\", MaxWords=24, MinWords=8') "
                           "FROM search_docs d, websearch_to_tsquery('english', :q) query "
                           "WHERE d.tsv @@ query ORDER BY ts_rank(d.tsv, query) DESC, d.id LIMIT :n")
                rows = conn.execute(sql, {"q": q, "n": limit}).all()
        return [{"kind": k, "article": a, "id": ref, "snippet": snip} for k, ref, a, snip in rows]


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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add_carrier(conn: Connection, aid: str, doc_id: str, art: dict) -> None:
    conn.execute(insert(article_carriers).values(
        article_id=aid, doc_id=doc_id, publisher=art.get("publisher"), url=art.get("url"), title=art.get("title"),
        published=art.get("published"), published_utc=merge.to_utc(art.get("published")), ingested_at=_now()))


def carried_by(carriers: list[dict]) -> list[str]:
    """Outlet names, once each, first carrier first: the publisher, else the URL's host."""
    from urllib.parse import urlsplit

    out: list[str] = []
    for c in carriers:
        name = c.get("publisher") or (urlsplit(c["url"]).hostname if c.get("url") else None)
        if name and name not in out:
            out.append(name)
    return out


class _WriteCache:
    """Lookups one write transaction repeats (kept only while it lasts, so it never goes stale)."""

    def __init__(self) -> None:
        self.affiliation: dict[int, int | None] = {}


def _refresh_claim_status(conn: Connection, claim_id: int) -> None:
    """A claim's status follows the newest evidence by publication time: the newest history entry that is
    not a bare 'asserted' (unverified, denied, contradicted carry evidence); plain assertions never undo it."""
    rows = conn.execute(select(claim_history.c.status, claim_history.c.status_cue, claim_history.c.published_utc,
                               claim_history.c.seq).where(claim_history.c.claim_id == claim_id)).all()
    if not rows:
        return
    rows = sorted(rows, key=lambda r: (r.published_utc or "", r.seq))
    evidence = [r for r in rows if r.status != "asserted"]
    best = evidence[-1] if evidence else rows[-1]
    conn.execute(update(claims).where(claims.c.id == claim_id).values(
        status=best.status, status_cue=best.status_cue, status_utc=best.published_utc or "", status_seq=best.seq))


def _claim_status_step(cur: Any, status: str, published_utc: str | None, seq: int) -> bool:
    """Does one new history entry take over the claim's status? The same rule as ``_refresh_claim_status``
    (the newest evidence by publication time, else the newest assertion), in O(1): the claim row keeps the
    (time, seq) of the entry its status came from."""
    key = (published_utc or "", seq)
    cur_key = (cur["status_utc"] or "", cur["status_seq"] or 0)
    if cur["status_seq"] is None:
        return True
    if status != "asserted":
        return cur["status"] == "asserted" or key >= cur_key
    return cur["status"] == "asserted" and key >= cur_key


class _Writer:
    """Writes one record inside the caller's transaction: article row, merged items, links, search docs."""

    def __init__(self, conn: Connection, rec: dict, aid: str, digest: str, cache: _WriteCache | None = None) -> None:
        self.conn, self.rec, self.aid, self.digest = conn, rec, aid, digest
        self.cache = cache or _WriteCache()
        self.art = rec["article"]
        self.ent_map: dict[str, int] = {}
        self.claim_map: dict[str, int] = {}
        self.pending: dict[str, list[dict]] = {}
        self.history: list[dict] = []
        self.search: list[dict] = []
        self.published_utc = merge.to_utc(self.art.get("published"))

    def write(self) -> None:
        conn, art = self.conn, self.art
        seq = (conn.execute(select(func.max(articles.c.seq))).scalar() or 0) + 1
        self.seq = seq
        conn.execute(insert(articles).values(
            id=self.aid, seq=seq, url=art.get("url"), publisher=art.get("publisher"), title=art.get("title"),
            published=art.get("published"), published_utc=self.published_utc, language=art.get("language"),
            text_hash=self.digest, text=art["text"], record=json.dumps(self.rec, ensure_ascii=False),
            ingested_at=_now()))
        _add_carrier(conn, self.aid, self.aid, art)
        body = "\n\n".join(x for x in (art.get("title"), art["text"]) if x)
        conn.execute(insert(search_docs).values(kind="article", ref=self.aid, article_id=self.aid, body=body))
        self._entities()
        self._quotes()
        self._claims()
        self._events()
        self._flush_mentions()

    def _mention(self, kind: str, item: int, rid: str, span: Any) -> None:
        """Queue a link; ``_flush_mentions`` writes them all with one multi-row insert per table."""
        if not span or len(span) != 2:
            return
        self.pending.setdefault(kind, []).append({f"{kind}_id": item, "article_id": self.aid, "record_id": str(rid),
                                                  "start": int(span[0]), "end": int(span[1])})

    def _flush_mentions(self) -> None:
        if self.search:
            self.conn.execute(insert(search_docs), self.search)
            self.search.clear()
        for kind, rows in self.pending.items():
            if rows:
                self.conn.execute(insert(MENTION_TABLES[kind]), rows)
        self.pending.clear()

    # -- entities
    def _entities(self) -> None:
        """Merge the record's entities: one lookup of every narrow blocking key for the whole record, the
        merges decided in memory (later entities see the earlier ones), then the writes."""
        conn = self.conn
        ents = [e for e in self.rec.get("entities") or [] if e.get("id") and e.get("name")]
        prepared = []
        for ent in ents:
            etype = str(ent.get("type") or "MISC").upper()
            name = str(ent["name"]).strip()
            aliases = [a for a in ent.get("aliases") or [] if isinstance(a, str) and a.strip()]
            narrow, wide = merge.entity_lookup(etype, name, aliases)
            prepared.append((ent, etype, name, aliases, narrow, wide))
        self.key_hits: dict[str, set[int]] = {}
        wanted = sorted({k for p in prepared for k in p[4]})
        for i in range(0, len(wanted), 500):
            for k, eid in conn.execute(select(entity_keys.c.key, entity_keys.c.entity_id)
                                       .where(entity_keys.c.key.in_(wanted[i:i + 500]))):
                self.key_hits.setdefault(k, set()).add(eid)
        self.ent_rows: dict[int, dict] = {}
        self._load_entities({e for ids in self.key_hits.values() for e in ids})
        self.ent_updates: dict[int, dict] = {}
        self.new_keys: dict[tuple[str, int], bool] = {}  # (key, entity) -> the entity is new (key surely absent)
        for ent, etype, name, aliases, narrow, wide in prepared:
            self.ent_map[ent["id"]] = self._merge_entity(ent, etype, name, aliases, narrow, wide)
            for span in ent.get("mentions") or []:
                self._mention("entity", self.ent_map[ent["id"]], ent["id"], span)
        for eid, values in self.ent_updates.items():
            conn.execute(update(entities).where(entities.c.id == eid).values(values))
        old = sorted({(k, e) for (k, e), new in self.new_keys.items() if not new})
        present: set[tuple[str, int]] = set()
        if old:
            present = set(conn.execute(select(entity_keys.c.key, entity_keys.c.entity_id)
                                       .where(entity_keys.c.entity_id.in_(sorted({e for _, e in old})))
                                       .where(entity_keys.c.key.in_(sorted({k for k, _ in old})))).tuples())
        rows = [{"key": k, "entity_id": e} for (k, e) in self.new_keys if (k, e) not in present]
        if rows:
            conn.execute(insert(entity_keys), rows)
        for ent in ents:  # affiliations point at entities of the same record: map them once all exist
            aff = self.ent_map.get(ent.get("affiliation") or "")
            me = self.ent_map[ent["id"]]
            if aff and aff != me:
                self.conn.execute(update(entities).where(entities.c.id == me)
                                  .where(entities.c.affiliation_id.is_(None)).values(affiliation_id=aff))
                self.cache.affiliation.pop(me, None)  # read again when next needed

    def _load_entities(self, ids: set[int]) -> None:
        todo = sorted(i for i in ids if i not in self.ent_rows)
        for i in range(0, len(todo), 500):
            for r in self.conn.execute(select(entities).where(entities.c.id.in_(todo[i:i + 500]))).mappings():
                self.ent_rows[r["id"]] = dict(r)

    def _merge_entity(self, ent: dict, etype: str, name: str, aliases: list[str], narrow: list[str],
                      wide: list[str]) -> int:
        conn = self.conn
        code = ent.get("code") or None
        nkey = merge.name_key(name) or name.lower()
        person = etype in merge.PERSON_TYPES
        by_entity: dict[int, set[str]] = {}
        for k in narrow + wide:
            for eid in self.key_hits.get(k, ()):
                by_entity.setdefault(eid, set()).add(k)
        if wide:  # a bare surname: every person of that name could be meant; the earliest few are enough
            for k, eid in conn.execute(select(entity_keys.c.key, entity_keys.c.entity_id)
                                       .where(entity_keys.c.key.in_(wide))
                                       .order_by(entity_keys.c.entity_id).limit(WIDE_CANDIDATES)):
                by_entity.setdefault(eid, set()).add(k)
            self._load_entities(set(by_entity))
        cands = self.ent_rows
        best, best_rank = None, 99
        for eid in sorted(by_entity):
            c = cands.get(eid)
            if c is None or c["type"] != etype or (code and c["code"] and c["code"] != code):
                continue
            keys = by_entity[eid]
            rank = 99
            if f"n:{etype}:{nkey}" in keys:
                rank = 0  # same canonical name
            elif any(k.startswith(("n:", "a:")) for k in keys):
                # an alias on one side names the other: guarded (Kyiv the city is not Ukraine's metonym)
                if person and merge.names_compatible(etype, name, c["name"]):
                    rank = 1
                elif not person and (code and c["code"] == code or merge.names_compatible(etype, name, c["name"])
                                     or _acronym(name, c["name"])):
                    rank = 1
            if rank == 99 and person and any(k.startswith(("s:", "s0:", "g:")) for k in keys) \
                    and merge.names_compatible(etype, name, c["name"]):
                rank = 2  # surname of a full name (Stoltenberg / Jens Stoltenberg)
            if rank == 99 and any(k.startswith(("b:", "c:")) for k in keys) \
                    and merge.names_compatible(etype, name, c["name"]):
                rank = 3  # fuzzy spelling within the same type and block (Zelensky / Zelenskyy)
            if rank < best_rank:
                best, best_rank = eid, rank
        if best is None:
            row = {"name": name, "type": etype, "code": code, "aliases": _jd(_uniq([a for a in aliases if a != name])),
                   "titles": _jd(_uniq(ent.get("titles") or [])), "name_key": nkey}
            eid = conn.execute(INSERT["entities"], row).inserted_primary_key[0]
            self.ent_rows[eid] = dict(row, id=eid, affiliation_id=None)
            new = True
        else:
            eid, new = best, False
            c = cands[eid]
            old_aliases, old_titles = _loads(c["aliases"], []), _loads(c["titles"], [])
            new_aliases = _uniq(old_aliases + [a for a in aliases + [name] if a != c["name"]])
            new_titles = _uniq(old_titles + list(ent.get("titles") or []))
            values: dict[str, Any] = {}
            if new_aliases != old_aliases:
                values["aliases"] = _jd(new_aliases)
            if new_titles != old_titles:
                values["titles"] = _jd(new_titles)
            if code and not c["code"]:
                values["code"] = code
            # the fullest name becomes canonical (Jens Stoltenberg over Stoltenberg)
            if person and len(nkey.split()) > len(c["name_key"].split()):
                values.update(name=name, name_key=nkey)
            if values:  # most merges add nothing new: no write
                c.update(values)
                self.ent_updates.setdefault(eid, {}).update(values)
        for k in merge.entity_keys(etype, name, aliases):
            if eid not in self.key_hits.setdefault(k, set()) or (k, eid) in self.new_keys:
                self.key_hits[k].add(eid)
                self.new_keys.setdefault((k, eid), new)
        return eid

    # -- quotes
    def _quotes(self) -> None:
        """Merge the record's quotes: one lookup of every quote's text key, then the writes."""
        conn = self.conn
        todo = [(qt, merge.text_key(qt["text"])) for qt in self.rec.get("quotes") or [] if qt.get("text")]
        stored: dict[str, list[dict]] = {}  # text key -> quotes with those words, oldest first
        keys = sorted({k for _, k in todo})
        for i in range(0, len(keys), 500):
            for r in conn.execute(select(quotes.c.id, quotes.c.text_key, quotes.c.speaker_id)
                                  .where(quotes.c.text_key.in_(keys[i:i + 500])).order_by(quotes.c.id)).mappings():
                stored.setdefault(r["text_key"], []).append(dict(r))
        for qt, key in todo:
            speaker = self.ent_map.get(qt.get("speaker") or "")
            found = next((r for r in stored.get(key, ())
                          if r["speaker_id"] is None or speaker is None or r["speaker_id"] == speaker), None)
            if found is None:
                qid = conn.execute(INSERT["quotes"], dict(
                    text=qt["text"], text_key=key, speaker_id=speaker, speaker_text=qt.get("speaker_text"),
                    cue=qt.get("cue"), kind=qt.get("kind"))).inserted_primary_key[0]
                stored.setdefault(key, []).append({"id": qid, "text_key": key, "speaker_id": speaker})
            else:
                qid = found["id"]
                if found["speaker_id"] is None and speaker is not None:
                    conn.execute(update(quotes).where(quotes.c.id == qid)
                                 .values(speaker_id=speaker, speaker_text=qt.get("speaker_text")))
                    found["speaker_id"] = speaker
            self._mention("quote", qid, qt.get("id") or "", qt.get("span"))
            self.search.append({"kind": "quote", "ref": ledger_id("quote", qid), "article_id": self.aid,
                                "body": qt["text"]})

    # -- claims
    def _claims(self) -> None:
        """Merge the record's claims: one lookup of every claim key of the record, candidates confirmed in
        memory by ``merge.claims_same``, statuses moved forward in O(1), history and keys written at once."""
        conn = self.conn
        todo = []
        for cl in self.rec.get("claims") or []:
            if not cl.get("text"):
                continue
            source = self.ent_map.get(cl.get("source") or "")
            skey = (f"E{source}" if source else "t:" + merge.name_key(cl.get("source_text") or ""))[:300]
            todo.append((cl, source, skey, merge.claim_keys(cl["text"])))
        # (source key, key) -> claims, from the ledger and then from this record's own new claims
        posting: dict[tuple[str, str], set[int]] = {}
        pairs = sorted({(skey, k) for _, _, skey, keys in todo for k in keys})
        for sk in sorted({p[0] for p in pairs}):
            ks = sorted({k for s_, k in pairs if s_ == sk})
            for i in range(0, len(ks), 500):
                for tok, cid in conn.execute(select(claim_keys.c.token, claim_keys.c.claim_id)
                                             .where(claim_keys.c.source_key == sk)
                                             .where(claim_keys.c.token.in_(ks[i:i + 500]))):
                    posting.setdefault((sk, tok), set()).add(cid)
        rows: dict[int, dict] = {}
        ids = sorted({c for v in posting.values() for c in v})
        for i in range(0, len(ids), 500):
            for r in conn.execute(select(claims.c.id, claims.c.text, claims.c.status, claims.c.status_utc,
                                         claims.c.status_seq).where(claims.c.id.in_(ids[i:i + 500]))).mappings():
                rows[r["id"]] = dict(r)
        new_keys: list[dict] = []
        moved: dict[int, dict] = {}
        for cl, source, skey, keys in todo:
            found = None
            if keys:
                need = max(1, min(3, len(keys) // 3))
                hits: dict[int, int] = {}
                for k in keys:
                    for cid in posting.get((skey, k), ()):
                        hits[cid] = hits.get(cid, 0) + 1
                cids = sorted((c for c, n in hits.items() if n >= need), key=lambda c: (-hits[c], c))[:25]
                found = next((c for c in cids if merge.claims_same(cl["text"], rows[c]["text"])), None)
            status = cl.get("status") or "asserted"
            if found is None:
                found = conn.execute(INSERT["claims"], dict(
                    text=cl["text"], source_id=source, source_key=skey, source_text=cl.get("source_text"),
                    cue=cl.get("cue"), status=status, status_cue=cl.get("status_cue"),
                    status_utc=self.published_utc or "", status_seq=self.seq)).inserted_primary_key[0]
                rows[found] = {"id": found, "text": cl["text"], "status": status,
                               "status_utc": self.published_utc or "", "status_seq": self.seq}
                for k in keys:
                    posting.setdefault((skey, k), set()).add(found)
                    new_keys.append({"source_key": skey, "token": k, "claim_id": found})
            else:
                cur = rows[found]
                if _claim_status_step(cur, status, self.published_utc, self.seq):
                    values = {"status": status, "status_cue": cl.get("status_cue"),
                              "status_utc": self.published_utc or "", "status_seq": self.seq}
                    cur.update(values)
                    moved[found] = values
            self.claim_map[cl.get("id") or ""] = found
            self.history.append(dict(
                claim_id=found, article_id=self.aid, status=status, status_cue=cl.get("status_cue"),
                published=self.art.get("published"), published_utc=self.published_utc, seq=self.seq,
                evidence=json.dumps(cl["contradicted_by"]) if cl.get("contradicted_by") else None))
            self._mention("claim", found, cl.get("id") or "", cl.get("span"))
        for cid, values in moved.items():
            conn.execute(update(claims).where(claims.c.id == cid).values(values))
        if new_keys:
            conn.execute(insert(claim_keys), new_keys)
        if self.history:
            conn.execute(insert(claim_history), self.history)

    # -- events
    def _events(self) -> None:
        conn = self.conn
        figures = {f.get("id"): f for f in self.rec.get("figures") or [] if f.get("id")}
        text_ = self.art["text"]
        for ev in self.rec.get("events") or []:
            etype = str(ev.get("type") or "").upper()
            if not etype:
                continue
            actor = self.ent_map.get(ev.get("actor") or "")
            target = self.ent_map.get(ev.get("target") or "")
            dr = merge.date_range(ev.get("date"))
            loc = ev.get("location") or None
            span = ev.get("span")
            tkey = merge.text_key(text_[span[0]:span[1]]) if span and len(span) == 2 else None
            negated = bool(ev.get("negated"))
            found = None
            for c in self._event_candidates(etype, actor, target, tkey, dr):
                if self._event_compatible(c, actor, target, dr, loc, tkey, negated):
                    found = c
                    break
            figs = [dict(figures[f], article=self.aid) for f in ev.get("figures") or [] if f in figures]
            claim = self.claim_map.get(ev.get("claim") or "")
            date = ev.get("date") or {}
            if found is None:
                vid = conn.execute(INSERT["events"], dict(
                    type=etype, mode=ev.get("mode"), actor_id=actor, actor_text=ev.get("actor_text"),
                    target_id=target, target_text=ev.get("target_text"),
                    date_start=dr[0] if dr else None, date_end=dr[1] if dr else None,
                    date_precision=date.get("precision"), date_text=date.get("text"),
                    location=json.dumps(loc, ensure_ascii=False) if loc else None,
                    loc_name=(loc or {}).get("name"), loc_country=(loc or {}).get("country"),
                    lat=(loc or {}).get("lat"), lon=(loc or {}).get("lon"),
                    figures=json.dumps(figs, ensure_ascii=False), claim_id=claim, negated=negated,
                    text_key=tkey)).inserted_primary_key[0]
            else:
                vid = found["id"]
                values: dict[str, Any] = {}
                if found["actor_id"] is None and actor is not None:
                    values.update(actor_id=actor, actor_text=ev.get("actor_text"))
                if found["target_id"] is None and target is not None:
                    values.update(target_id=target, target_text=ev.get("target_text"))
                if not found["location"] and loc:
                    values.update(location=json.dumps(loc, ensure_ascii=False), loc_name=loc.get("name"),
                                  loc_country=loc.get("country"), lat=loc.get("lat"), lon=loc.get("lon"))
                if found["claim_id"] is None and claim is not None:
                    values["claim_id"] = claim
                if dr and found["date_start"] and found["date_start"] <= dr[0] <= dr[1] <= found["date_end"] \
                        and dr != (found["date_start"], found["date_end"]):
                    # keep the most precise date any source gives (a day inside a reported week)
                    values.update(date_start=dr[0], date_end=dr[1], date_precision=date.get("precision"),
                                  date_text=date.get("text"))
                old = _loads(found["figures"], [])
                seen = {(f.get("kind"), f.get("unit"), f.get("value")) for f in old}
                add = [f for f in figs if (f.get("kind"), f.get("unit"), f.get("value")) not in seen]
                if add:
                    values["figures"] = json.dumps(old + add, ensure_ascii=False)
                if values:
                    conn.execute(update(events).where(events.c.id == vid).values(values))
            self._mention("event", vid, ev.get("id") or "", span)

    def _event_candidates(self, etype: str, actor: int | None, target: int | None, tkey: str | None,
                          dr: tuple[str, str] | None) -> list[Any]:
        """Stored events that could be this one, oldest first, each lookup bounded by an index.

        An undated event merges only with an undated one of the same sentence; a dated one only with
        events whose dates overlap its own, so the lookup reads a window of dates (MAX_EVENT_DAYS before
        its start) of the same actor, target or sentence, not every event a frequent actor ever had.
        """
        conn = self.conn
        if dr is None:
            if not tkey:
                return []
            q = (select(events).where(events.c.type == etype).where(events.c.text_key == tkey)
                 .where(events.c.date_start.is_(None)).order_by(events.c.id).limit(200))
            return list(conn.execute(q).mappings())
        lo = (date.fromisoformat(dr[0]) - timedelta(days=MAX_EVENT_DAYS)).isoformat() \
            if _iso_day(dr[0]) else dr[0]
        parts = [select(events).where(events.c.type == etype).where(col == value)
                 .where(events.c.date_start >= lo).where(events.c.date_start <= dr[1])
                 .where(events.c.date_end >= dr[0])
                 for col, value in ((events.c.actor_id, actor), (events.c.target_id, target),
                                    (events.c.text_key, tkey)) if value is not None]
        if not parts:
            return []
        # a UNION, not an OR: SQLite would answer the OR from one index on the type alone (every event of
        # the type); each part here reads its own (type, actor|target|sentence, date) index range
        u = (union(*parts) if len(parts) > 1 else parts[0]).subquery()
        return list(conn.execute(select(u).order_by(u.c.id).limit(200)).mappings())

    def _event_compatible(self, c: Any, actor: int | None, target: int | None, dr: tuple[str, str] | None,
                          loc: dict | None, tkey: str | None, negated: bool) -> bool:
        if bool(c["negated"]) != negated:
            return False
        if not (self._party_ok(c["actor_id"], actor) and self._party_ok(c["target_id"], target)):
            return False
        if actor is None and target is None and c["text_key"] != tkey:
            return False
        if dr is None and c["date_start"] is None:
            if c["text_key"] != tkey:  # undated: only the same sentence (wire copy) is safe to merge
                return False
        elif not merge.dates_compatible(dr, (c["date_start"], c["date_end"]) if c["date_start"] else None):
            return False
        return merge.places_compatible(_loads(c["location"], None), loc)

    def _party_ok(self, a: int | None, b: int | None) -> bool:
        """Same entity, an unknown side, or one affiliated with the other (Stoltenberg / NATO)."""
        if a is None or b is None or a == b:
            return True
        aff = self.cache.affiliation
        missing = [i for i in (a, b) if i not in aff]
        if missing:
            aff.update(dict(self.conn.execute(select(entities.c.id, entities.c.affiliation_id)
                                              .where(entities.c.id.in_(missing))).all()))
        return aff.get(a) == b or aff.get(b) == a


def _iso_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _jd(value: Any) -> str:
    """JSON text that keeps non-ASCII letters as they are, so name searches (LIKE) find 'Zelenskyy' and 'Łukasz'."""
    return json.dumps(value, ensure_ascii=False)


def _uniq(items: list[str]) -> list[str]:
    seen, out = set(), []
    for x in items:
        if isinstance(x, str) and x.strip() and x.lower() not in seen:
            seen.add(x.lower())
            out.append(x)
    return out


def _acronym(a: str, b: str) -> bool:
    """NATO / North Atlantic Treaty Organization: one is the initials of the other's capitalised words."""
    def initials(s: str) -> str:
        return "".join(w[0] for w in s.split() if w[:1].isupper())
    ka, kb = merge.name_key(a).replace(" ", ""), merge.name_key(b).replace(" ", "")
    return (len(ka) >= 2 and ka.upper() == initials(b)) or (len(kb) >= 2 and kb.upper() == initials(a))
