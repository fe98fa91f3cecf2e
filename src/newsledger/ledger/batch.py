"""One write transaction's view of the ledger (``WriteBatch``): what the writer read, and what it will write.

Storing a record used to cost some sixty statements, each built, compiled and sent on its own; the time per
document was SQLAlchemy's and the round trips', not the database's. Here the writes of a whole batch are held
back and sent at ``flush`` with one executemany per table (new items get their ids from this batch's own
counter, so nothing waits for a RETURNING), and the reads are made once per batch where they can be: the
articles and carrier URLs of every record, every entity blocking key, every quote key. Reads that must see
the held-back writes are answered from here: each cached lookup holds the complete database answer for its
key plus what this batch added, so a record sees exactly the ledger the records before it left, as if each
had been written at once. Anything that reads the database directly (replacing an article, another outlet's
copy) runs after ``flush`` and is followed by ``reset``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    union,
    update,
)

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
    events,
    quotes,
    search_docs,
)

CHUNK = 500  # values per IN list
WIDE_CANDIDATES = 50  # entities read for a bare surname (every person of that surname could be meant)
EVENT_CANDIDATES = 200  # stored events an incoming one is compared with, oldest first
CLAIM_CANDIDATES = 25  # stored claims an incoming one is compared with, most word pairs shared first

ITEM_TABLES = {"entities": entities, "quotes": quotes, "claims": claims, "events": events}
ENTITY_COLS = ("name", "type", "code", "aliases", "titles", "name_key")
ENTITY_MUTABLE = ("name", "name_key", "aliases", "titles", "code", "affiliation_id")
QUOTE_COLS = ("text", "text_key", "speaker_id", "speaker_text", "cue", "kind")
CLAIM_COLS = ("text", "source_id", "source_key", "source_text", "cue", "status", "status_cue", "status_utc",
              "status_seq")
CLAIM_MUTABLE = ("status", "status_cue", "status_utc", "status_seq")
EVENT_COLS = tuple(c.name for c in events.c if c.name != "id")
EVENT_MUTABLE = ("actor_id", "actor_text", "target_id", "target_text", "location", "loc_name", "loc_country", "lat",
                 "lon", "claim_id", "date_start", "date_end", "date_precision", "date_text", "figures")


def _in(col: Any, name: str, pg: bool) -> Any:
    """``col`` among the values of list parameter ``name``: on PostgreSQL ``= ANY(array)``, one statement text
    whatever the list's length (an expanding IN is a new text per length, which psycopg parses anew each
    time and never prepares); on SQLite an expanding IN."""
    if pg:
        from sqlalchemy.dialects.postgresql import ARRAY

        return col == any_(bindparam(name, type_=ARRAY(col.type)))
    return col.in_(bindparam(name, expanding=True))


def _update_many(table: Any, cols: tuple[str, ...]) -> Any:
    """UPDATE table SET col = :b_col ... WHERE id = :b_id, for executemany with rows of b_-prefixed keys."""
    return update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(f"b_{c}") for c in cols})


def _reads(pg: bool) -> dict[str, Any]:
    """The batch's read statements, built once per dialect: executing a built statement skips building it."""
    def ids(col: Any) -> Any:
        return _in(col, "ids", pg)

    return {
        "article_ids": select(articles.c.id).where(ids(articles.c.id)),
        "carrier_urls": select(article_carriers.c.url).where(ids(article_carriers.c.url)).distinct(),
        "entity_keys": select(entity_keys.c.key, entity_keys.c.entity_id).where(ids(entity_keys.c.key)),
        "wide": (select(entity_keys.c.key, entity_keys.c.entity_id).where(ids(entity_keys.c.key))
                 .order_by(entity_keys.c.entity_id).limit(WIDE_CANDIDATES)),
        "entities": select(entities).where(ids(entities.c.id)),
        "affiliation": select(entities.c.id, entities.c.affiliation_id).where(ids(entities.c.id)),
        "quotes": (select(quotes.c.id, quotes.c.text_key, quotes.c.speaker_id)
                   .where(ids(quotes.c.text_key)).order_by(quotes.c.id)),
        "claims": (select(claims.c.id, claims.c.text, claims.c.status, claims.c.status_utc, claims.c.status_seq)
                   .where(ids(claims.c.id))),
        "events": select(events).where(ids(events.c.id)),
    }


READS = {False: _reads(False), True: _reads(True)}
# Claims of one source sharing the most word pairs with an incoming claim, counted by the database: only the
# CLAIM_CANDIDATES best come back, however many claims of that source share a common pair (a source quoted
# every day shares "said attack" with thousands). SQLite: one claim a statement, through the key's index;
# PostgreSQL: every claim of a record in one statement, ranked per claim (``i``).
Q_CLAIM_HITS = (select(claim_keys.c.claim_id, func.count().label("n"))
                .where(claim_keys.c.source_key == bindparam("sk"))
                .where(claim_keys.c.token.in_(bindparam("toks", expanding=True)))
                .group_by(claim_keys.c.claim_id).having(func.count() >= bindparam("need"))
                .order_by(func.count().desc(), claim_keys.c.claim_id).limit(CLAIM_CANDIDATES))
PG_CLAIM_HITS = text(
    "SELECT i, claim_id, n FROM (SELECT p.i, k.claim_id, count(*) AS n, row_number() OVER "
    "(PARTITION BY p.i ORDER BY count(*) DESC, k.claim_id) AS rn FROM unnest(CAST(:i AS integer[]), "
    "CAST(:sks AS varchar[]), CAST(:toks AS varchar[])) AS p(i, s, t) JOIN claim_keys k "
    "ON k.source_key = p.s AND k.token = p.t GROUP BY p.i, k.claim_id) AS x WHERE rn <= :lim")
# a key an old entity gains may already be stored: skip it rather than read first
PG_INSERT_KEYS = text("INSERT INTO entity_keys (key, entity_id) SELECT * FROM unnest(CAST(:keys AS varchar[]), "
                      "CAST(:ids AS integer[])) ON CONFLICT DO NOTHING")
Q_MAX_SEQ = select(func.max(articles.c.seq))
Q_MAX_ID = {name: select(func.max(t.c.id)) for name, t in ITEM_TABLES.items()}
U_ENTITIES = _update_many(entities, ENTITY_MUTABLE)
U_QUOTES = _update_many(quotes, ("speaker_id", "speaker_text"))
U_CLAIMS = _update_many(claims, CLAIM_MUTABLE)
U_EVENTS = _update_many(events, EVENT_MUTABLE)
INSERT = {name: insert(t) for name, t in (("articles", articles), ("carriers", article_carriers),
                                          ("search", search_docs), ("claim_keys", claim_keys),
                                          ("history", claim_history), *ITEM_TABLES.items(),
                                          *((f"m:{k}", t) for k, t in MENTION_TABLES.items()))}


def _party_filter(e: Any, col: str, p: str) -> Any:
    """A stored event's party ``col`` could be the incoming event's (``:p``, None when it has none): unknown,
    the same, the incoming one's affiliation (``:p_aff``) or affiliated with it, as ``WriteBatch.party_ok``:
    stored as such, or made so by this batch (``:p_rel``, a JSON list: not in the database yet)."""
    val = bindparam(p, type_=Integer)
    return or_(val.is_(None), e[col].is_(None), e[col] == val, e[col] == bindparam(f"{p}_aff", type_=Integer),
               e[col].in_(select(entities.c.id).where(entities.c.affiliation_id == val)),
               e[col].in_(select(literal_column("value")).select_from(func.json_each(bindparam(f"{p}_rel")))))


def _event_query(dated: bool, by: tuple[str, ...]) -> Any:
    """Stored events that could be an incoming one, oldest first, each part read through an index.

    Undated: same type, same sentence (``text_key``), no date. Dated: same type and the same actor, target or
    sentence (``by``), with a date window: starting at most MAX_EVENT_DAYS before the incoming range
    (``:lo``), overlapping it. A UNION, not an OR: SQLite would answer the OR from one index on the type alone;
    each part here reads its own (type, actor|target|sentence, date) index range. Every part keeps only events
    of the same negation whose parties could be the incoming ones (``_party_filter``): a frequent actor's
    events against other targets never travel to be refused one by one, so the rows read stay few as the
    ledger grows.
    """
    e = events.c
    lim = bindparam("lim", type_=Integer)
    light = [e[c] for c in EVENT_LIGHT]
    same = (e.negated == bindparam("neg", type_=Boolean), _party_filter(e, "actor_id", "pa"),
            _party_filter(e, "target_id", "pt"))
    if not dated:
        # "no date" as coalesce(date_start, '') = '' (no stored date is ''): as "date_start IS NULL", SQLite's
        # planner, without statistics, would read every undated event through ix_events_date
        return (select(*light).where(e.type == bindparam("etype")).where(e.text_key == bindparam("text_key"))
                .where(func.coalesce(e.date_start, "") == "").where(*same).order_by(e.id).limit(lim))
    parts = [select(*light).where(e.type == bindparam("etype")).where(e[col] == bindparam(col))
             .where(e.date_start >= bindparam("lo")).where(e.date_start <= bindparam("hi"))
             .where(e.date_end >= bindparam("d0")).where(*same)
             for col in by]
    u = (union(*parts) if len(parts) > 1 else parts[0]).subquery()
    return select(u).order_by(u.c.id).limit(lim)


EVENT_QUERIES: dict[tuple[bool, tuple[str, ...]], Any] = {}
_COMPILED: dict[tuple[Any, bool], Any] = {}  # (statement, PostgreSQL?) -> its compiled form
EventSpec = tuple[str, bool, tuple[str, ...], dict]  # (type, dated, columns matched, parameters)
# what merging looks at first: a stored event's whole row is read only when these leave it a candidate
EVENT_LIGHT = ("id", "type", "actor_id", "target_id", "text_key", "date_start", "date_end", "negated", "location")


def event_spec(etype: str, by: dict[str, Any], window: tuple[str, str, str] | None,
               negated: bool = False) -> EventSpec | None:
    """The lookup ``_event_query`` makes for one incoming event, or None when it can find nothing: dated
    (``window`` = (lo, last day, first day)): by the actor, target and sentence in ``by`` that are known;
    undated: by the sentence alone. Either way only events of the same negation whose parties agree with
    ``by``'s actor and target (``pa``, ``pt``; their affiliations are added by ``read_events``)."""
    same = {"neg": bool(negated), "pa": by.get("actor_id"), "pt": by.get("target_id")}
    if window is None:
        tkey = by.get("text_key")
        return (etype, False, (), dict(same, etype=etype, text_key=tkey)) if tkey else None
    cols = tuple(c for c in ("actor_id", "target_id", "text_key") if by.get(c) is not None)
    if not cols:
        return None
    return (etype, True, cols, dict({c: by[c] for c in cols}, etype=etype, lo=window[0], hi=window[1],
                                    d0=window[2], **same))


def _pg_events() -> Any:
    """Every event lookup of a record in one PostgreSQL statement: the same UNION per lookup (a part whose
    value is NULL finds nothing, as a part left out), each its own LIMIT, through LATERAL; with the
    affiliations of the parties found."""
    window = "date_start >= p.lo AND date_start <= p.hi AND date_end >= p.d0"
    same = " AND ".join(["negated = p.neg"] + [
        f"(p.{p} IS NULL OR {col} IS NULL OR {col} = p.{p} OR {col} = p.{p}_aff "
        f"OR {col} IN (SELECT x.id FROM entities x WHERE x.affiliation_id = p.{p}) "
        f"OR {col} IN (SELECT CAST(j AS integer) FROM jsonb_array_elements_text(CAST(p.{p}_rel AS jsonb)) AS j))"
        for col, p in (("actor_id", "pa"), ("target_id", "pt"))])
    cols = ", ".join(EVENT_LIGHT)
    parts = [f"SELECT {cols} FROM events WHERE p.dated AND type = p.etype AND {col} = p.{val} AND {window} "
             f"AND {same}" for col, val in (("actor_id", "actor"), ("target_id", "target"), ("text_key", "tkey"))]
    parts.append(f"SELECT {cols} FROM events WHERE NOT p.dated AND type = p.etype AND text_key = p.tkey "
                 f"AND date_start IS NULL AND {same}")
    return text(
        "SELECT p.i, aa.affiliation_id AS actor_aff, ta.affiliation_id AS target_aff, e.* "
        "FROM unnest(CAST(:i AS integer[]), CAST(:etype AS varchar[]), CAST(:actor AS integer[]), "
        "CAST(:target AS integer[]), CAST(:tkey AS varchar[]), CAST(:lo AS varchar[]), CAST(:hi AS varchar[]), "
        "CAST(:d0 AS varchar[]), CAST(:dated AS boolean[]), CAST(:neg AS boolean[]), CAST(:pa AS integer[]), "
        "CAST(:pa_aff AS integer[]), CAST(:pa_rel AS varchar[]), CAST(:pt AS integer[]), CAST(:pt_aff AS integer[]), "
        "CAST(:pt_rel AS varchar[])) AS p(i, etype, actor, target, tkey, lo, hi, d0, dated, neg, pa, pa_aff, pa_rel, "
        "pt, pt_aff, pt_rel) "
        f"CROSS JOIN LATERAL (SELECT u.* FROM ({' UNION '.join(parts)}) AS u ORDER BY u.id LIMIT :lim) AS e "
        "LEFT JOIN entities aa ON aa.id = e.actor_id LEFT JOIN entities ta ON ta.id = e.target_id")


PG_EVENTS = _pg_events()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def carrier_row(aid: str, doc_id: str, art: dict) -> dict:
    return dict(article_id=aid, doc_id=doc_id, publisher=art.get("publisher"), url=art.get("url"),
                title=art.get("title"), published=art.get("published"),
                published_utc=merge.to_utc(art.get("published")), ingested_at=_now())


class WriteBatch:
    """Reads cached and writes held back for one write transaction; ``flush`` before it commits."""

    def __init__(self, conn: Connection, dialect: str) -> None:
        self.conn = conn
        self.pg = dialect == "postgresql"
        self.q = READS[self.pg]
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        # a key an old entity gains may already be stored: skip it rather than read first
        self._insert_keys = dialect_insert(entity_keys).on_conflict_do_nothing()
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        """Forget every read (after something changed the database behind the cache's back)."""
        self.known_articles: set[str] | None = None  # article ids stored or written (None: not read yet)
        self.known_urls: set[str] = set()  # carrier URLs stored or written
        self.seq: int | None = None
        self.next_ids: dict[str, int] = {}
        self.ent_rows: dict[int, dict] = {}  # entities read or created, current values
        self.key_hits: dict[str, set[int]] = {}  # blocking key -> entities (complete for keys in keys_loaded)
        self.keys_loaded: set[str] = set()
        self.aff_db: dict[int, int | None] = {}  # affiliation of entities not in ent_rows
        self.quote_keys: dict[str, list[dict]] = {}  # text key -> quotes with those words, oldest first
        self.quote_keys_loaded: set[str] = set()
        self.claim_rows: dict[int, dict] = {}
        self._clear_pending()

    def _clear_pending(self) -> None:
        """After a flush the database holds everything written; reads cached so far stay true."""
        self.rows: dict[str, list[dict]] = {k: [] for k in ("articles", "carriers", "search", "claim_keys",
                                                            "history", "m:entity", "m:quote", "m:claim",
                                                            "m:event")}
        self.ent_new: list[int] = []
        self.ent_dirty: set[int] = set()
        self.ekeys: dict[tuple[str, int], None] = {}  # entity keys to add, in order
        self.ekeys_by_key: dict[str, set[int]] = {}  # the same, by key (records before the current one)
        self.wide_db: dict[tuple[str, ...], list[tuple[str, int]]] = {}
        self.quotes_new: list[dict] = []
        self.quote_new_ids: set[int] = set()
        self.quotes_dirty: dict[int, dict] = {}
        self.claims_new: list[int] = []
        self.posting: dict[tuple[str, str], set[int]] = {}  # (source key, word pair) -> claims added here
        self.aff_pending: dict[int, int] = {}  # entity -> the affiliation it gained here (not yet in the database)
        self.claims_dirty: set[int] = set()
        self.event_rows: dict[int, dict] = {}  # events created or changed since the last flush
        self.event_db: dict[int, dict] = {}  # whole stored rows read since the last flush
        self.events_new: list[int] = []
        self.events_stale = 0  # stored events changed here: the database still answers with their old values

    def _raw(self, stmt: Any, params: dict) -> tuple[list[str], list[Any]]:
        """Run a statement built once (no expanding parameters) as its compiled text through the driver: the
        rows come back as plain tuples with their column names, without a Row mapping per row (the lookups
        that return many rows). Still bound parameters, and still seen by engine events."""
        key = (stmt, self.pg)
        if key not in _COMPILED:
            _COMPILED[key] = stmt.compile(dialect=self.conn.dialect)
        compiled = _COMPILED[key]
        full = compiled.construct_params(params)  # with the values the statement fixed itself (LIMIT -1 ...)
        res = self.conn.exec_driver_sql(compiled.string, full if self.pg else
                                        tuple(full[n] for n in compiled.positiontup or ()))
        return list(res.keys()), res.fetchall()

    def _ids(self, stmt: Any, values: Iterable[Any], **extra: Any) -> Iterable[Any]:
        vals = sorted(set(values))
        for i in range(0, len(vals), CHUNK):
            yield from self.conn.execute(stmt, {"ids": vals[i:i + CHUNK], **extra})

    def new_id(self, table: str) -> int:
        """The id the database would give the next row (SQLite: max + 1); the writer holds the write lock."""
        if table not in self.next_ids:
            self.next_ids[table] = (self.conn.execute(Q_MAX_ID[table]).scalar() or 0) + 1
        n = self.next_ids[table]
        self.next_ids[table] = n + 1
        return n

    def next_seq(self) -> int:
        if self.seq is None:
            self.seq = self.conn.execute(Q_MAX_SEQ).scalar() or 0
        self.seq += 1
        return self.seq

    # ------------------------------------------------------------------ articles
    def prefetch(self, checked: list[tuple[dict, str, str]]) -> None:
        """One read for the coming records: which of their articles and URLs are stored, then, for those
        that will simply be added (up to the first that meets a stored or earlier article, after which
        everything is read again), every narrow entity key, the entities behind them and every quote key."""
        self.known_articles = {r[0] for r in self._ids(self.q["article_ids"], (aid for _, aid, _ in checked))}
        urls = {rec["article"].get("url") for rec, _, _ in checked} - {None, ""}
        self.known_urls = {r[0] for r in self._ids(self.q["carrier_urls"], urls)}
        keys: set[str] = set()
        qkeys: set[str] = set()
        ids, seen_urls = set(self.known_articles), set(self.known_urls)
        for rec, aid, digest in checked:
            url = rec["article"].get("url")
            if aid in ids or (url and url in seen_urls):
                break
            ids.add(aid)
            if url:
                seen_urls.add(url)
            for ent in rec.get("entities") or []:
                if ent.get("id") and ent.get("name"):
                    etype, name, aliases = entity_input(ent)
                    keys.update(merge.entity_lookup(etype, name, aliases, scope=digest)[0])
            qkeys.update(merge.text_key(q["text"]) for q in rec.get("quotes") or [] if q.get("text"))
        self.load_keys(keys)
        self.load_entities({e for k in keys for e in self.key_hits.get(k, ())})
        self.load_quote_keys(qkeys)

    def is_new(self, aid: str, url: str | None) -> bool:
        """Neither this article id nor this URL is stored or written yet: the record is simply added."""
        assert self.known_articles is not None
        return aid not in self.known_articles and not (url and url in self.known_urls)

    def add_article(self, row: dict, carrier: dict) -> None:
        self.rows["articles"].append(row)
        self.rows["carriers"].append(carrier)
        if self.known_articles is not None:
            self.known_articles.add(row["id"])
        if carrier.get("url"):
            self.known_urls.add(carrier["url"])

    # ------------------------------------------------------------------ entities
    def load_keys(self, keys: Iterable[str]) -> None:
        todo = [k for k in keys if k not in self.keys_loaded]
        for k, eid in self._ids(self.q["entity_keys"], todo):
            self.key_hits.setdefault(k, set()).add(eid)
        self.keys_loaded.update(todo)

    def load_entities(self, ids: Iterable[int]) -> None:
        for r in self._ids(self.q["entities"], (i for i in ids if i not in self.ent_rows)):
            self.ent_rows[r.id] = dict(r._mapping)

    def wide_hits(self, wide: list[str]) -> list[tuple[str, int]]:
        """The first WIDE_CANDIDATES (key, entity) rows of these keys by entity id, as the database would
        answer with the keys of the records before the current one written."""
        key = tuple(wide)
        if key not in self.wide_db:
            self.wide_db[key] = [tuple(r) for r in self.conn.execute(self.q["wide"], {"ids": list(wide)})]
        rows = set(self.wide_db[key])
        rows.update((k, e) for k in wide for e in self.ekeys_by_key.get(k, ()))
        return sorted(rows, key=lambda r: r[1])[:WIDE_CANDIDATES]

    def add_entity(self, row: dict) -> int:
        eid = self.new_id("entities")
        self.ent_rows[eid] = dict(row, id=eid, affiliation_id=None)
        self.ent_new.append(eid)
        return eid

    def change_entity(self, eid: int, values: dict) -> None:
        self.ent_rows[eid].update(values)
        self.ent_dirty.add(eid)
        if values.get("affiliation_id") is not None:
            self.aff_pending[eid] = values["affiliation_id"]

    def add_entity_keys(self, added: dict[str, set[int]]) -> None:
        """A record's new (key, entity) pairs, once its entities are merged (its own lookups saw them already)."""
        for k, eids in added.items():
            for e in sorted(eids):
                self.ekeys[(k, e)] = None
                self.ekeys_by_key.setdefault(k, set()).add(e)

    def affiliation(self, ids: list[int]) -> dict[int, int | None]:
        missing = [i for i in ids if i not in self.ent_rows and i not in self.aff_db]
        if missing:
            self.aff_db.update({r[0]: r[1] for r in self._ids(self.q["affiliation"], missing)})
        return {i: self.ent_rows[i]["affiliation_id"] if i in self.ent_rows else self.aff_db.get(i) for i in ids}

    def party_ok(self, a: int | None, b: int | None) -> bool:
        """Same entity, an unknown side, or one affiliated with the other (Stoltenberg / NATO)."""
        if a is None or b is None or a == b:
            return True
        aff = self.affiliation([a, b])
        return aff.get(a) == b or aff.get(b) == a

    # ------------------------------------------------------------------ quotes
    def load_quote_keys(self, keys: Iterable[str]) -> None:
        todo = [k for k in keys if k not in self.quote_keys_loaded]
        found: dict[str, list[dict]] = {}
        for r in self._ids(self.q["quotes"], todo):
            found.setdefault(r.text_key, []).append(dict(r._mapping))
        for k in todo:  # stored quotes are older than any this batch added
            self.quote_keys[k] = found.get(k, []) + self.quote_keys.get(k, [])
        self.quote_keys_loaded.update(todo)

    def add_quote(self, row: dict) -> dict:
        row = dict(row, id=self.new_id("quotes"))
        self.quote_keys.setdefault(row["text_key"], []).append(row)
        self.quotes_new.append(row)
        self.quote_new_ids.add(row["id"])
        return row

    def change_quote(self, row: dict, speaker: int, speaker_text: str | None) -> None:
        row.update(speaker_id=speaker, speaker_text=speaker_text)
        if row["id"] not in self.quote_new_ids:
            self.quotes_dirty[row["id"]] = row

    # ------------------------------------------------------------------ claims
    def claim_hits(self, asks: list[tuple[str, list[str]]]) -> list[list[tuple[int, int]]]:
        """For each (source key, word pairs) of a record's claims: the stored claims of that source sharing the
        most pairs, as (claim, pairs shared), at most CLAIM_CANDIDATES, those sharing fewer than ``claim_need``
        left out. Ranked by the database (``Q_CLAIM_HITS``): the rows read do not grow with the ledger."""
        out: list[list[tuple[int, int]]] = [[] for _ in asks]
        todo = [(i, sk, keys) for i, (sk, keys) in enumerate(asks) if keys]
        if not todo:
            return out
        if self.pg:
            arrays: dict[str, list] = {"i": [], "sks": [], "toks": []}
            for i, sk, keys in todo:
                for k in keys:
                    arrays["i"].append(i)
                    arrays["sks"].append(sk)
                    arrays["toks"].append(k)
            for i, cid, n in self._raw(PG_CLAIM_HITS, dict(arrays, lim=CLAIM_CANDIDATES))[1]:
                if n >= claim_need(asks[i][1]):
                    out[i].append((cid, n))
            return out
        for i, sk, keys in todo:
            out[i] = [(r[0], r[1]) for r in self.conn.execute(Q_CLAIM_HITS, {"sk": sk, "toks": keys,
                                                                             "need": claim_need(keys)})]
        return out

    def claim_candidates(self, skey: str, keys: list[str], stored: list[tuple[int, int]]) -> list[int]:
        """The claims an incoming one is compared with, as the database would rank them with this batch's
        claims written: the stored best (``claim_hits``) and the batch's own new claims of the source that share
        enough pairs, most shared first, then oldest. Exact: a stored claim outside the stored best has
        CLAIM_CANDIDATES stored claims ranked above it."""
        need = claim_need(keys)
        hits = dict(stored)
        own: dict[int, int] = {}
        for k in keys:
            for cid in self.posting.get((skey, k), ()):
                own[cid] = own.get(cid, 0) + 1
        hits.update((cid, n) for cid, n in own.items() if n >= need)
        return sorted(hits, key=lambda x: (-hits[x], x))[:CLAIM_CANDIDATES]

    def add_claim_keys(self, skey: str, keys: list[str], cid: int) -> None:
        for k in keys:
            self.posting.setdefault((skey, k), set()).add(cid)
            self.rows["claim_keys"].append({"source_key": skey, "token": k, "claim_id": cid})

    def load_claims(self, ids: Iterable[int]) -> None:
        for r in self._ids(self.q["claims"], (i for i in ids if i not in self.claim_rows)):
            self.claim_rows[r.id] = dict(r._mapping)

    def add_claim(self, row: dict) -> int:
        cid = self.new_id("claims")
        self.claim_rows[cid] = dict(row, id=cid)
        self.claims_new.append(cid)
        return cid

    def change_claim(self, cid: int, values: dict) -> None:
        self.claim_rows[cid].update(values)
        self.claims_dirty.add(cid)

    # ------------------------------------------------------------------ events
    def read_events(self, specs: list[EventSpec | None]) -> list[list[dict]]:
        """The stored events each lookup (``event_spec``) finds, for every event of a record at once: the
        database does not change before the next flush, so the lookups need not wait for each other. Each
        reads room for the events changed here since the last flush (``events_stale``) and for those the
        record's own events may change. PostgreSQL: one statement for them all; SQLite: one each. The
        affiliations of the parties found are read with them."""
        out: list[list[dict]] = [[] for _ in specs]
        todo = [(i, sp) for i, sp in enumerate(specs) if sp is not None]
        if not todo:
            return out
        lim = EVENT_CANDIDATES + self.events_stale + len(specs)
        aff = self.affiliation(sorted({sp[3][p] for _, sp in todo for p in ("pa", "pt")} - {None}))
        gained: dict[int, list[int]] = {}  # entity -> those affiliated with it here, not yet in the database
        for e, a in sorted(self.aff_pending.items()):
            gained.setdefault(a, []).append(e)
        for _, sp in todo:
            prm = sp[3]
            for p in ("pa", "pt"):
                prm[f"{p}_aff"] = aff.get(prm[p])
                prm[f"{p}_rel"] = json.dumps(gained.get(prm[p], []))
        if self.pg:
            arrays: dict[str, list] = {k: [] for k in ("i", "etype", "actor", "target", "tkey", "lo", "hi", "d0",
                                                       "dated", "neg", "pa", "pa_aff", "pa_rel", "pt", "pt_aff",
                                                       "pt_rel")}
            for i, (etype, dated, _cols, params) in todo:
                arrays["i"].append(i)
                arrays["etype"].append(etype)
                arrays["dated"].append(dated)
                arrays["actor"].append(params.get("actor_id"))
                arrays["target"].append(params.get("target_id"))
                arrays["tkey"].append(params.get("text_key"))
                for k in ("lo", "hi", "d0", "neg", "pa", "pa_aff", "pa_rel", "pt", "pt_aff", "pt_rel"):
                    arrays[k].append(params.get(k))
            names, found = self._raw(PG_EVENTS, dict(arrays, lim=lim))
            for t in found:
                m = dict(zip(names, t, strict=True))
                row = {c: m[c] for c in EVENT_LIGHT}
                out[m["i"]].append(row)
                for col, aff in (("actor_id", "actor_aff"), ("target_id", "target_aff")):
                    if row[col] is not None and row[col] not in self.ent_rows:
                        self.aff_db[row[col]] = m[aff]
            return out
        for i, (_etype, dated, cols, params) in todo:
            qkey = (dated, cols)
            if qkey not in EVENT_QUERIES:
                EVENT_QUERIES[qkey] = _event_query(dated, cols)
            names, found = self._raw(EVENT_QUERIES[qkey], dict(params, lim=lim))
            out[i] = [dict(zip(names, t, strict=True)) for t in found]
        self.affiliation([r[c] for rows in out for r in rows for c in ("actor_id", "target_id") if r[c] is not None])
        return out

    def event_candidates(self, spec: EventSpec | None, stored: list[dict]) -> list[dict]:
        """Events that could be an incoming one (``_event_query``), oldest first, as the database would answer
        with this batch's events written: the stored ones (``read_events``), each replaced by its current
        values, plus those created or changed here, all checked against the query's conditions in memory."""
        if spec is None:
            return []
        etype, dated, cols, params = spec
        rows = {r["id"]: r for r in stored}
        rows.update((i, r) for i, r in self.event_rows.items() if r["type"] == etype or i in rows)

        def matches(r: dict) -> bool:
            if r["type"] != etype or bool(r["negated"]) != params["neg"] or not (
                    self.party_ok(r["actor_id"], params["pa"]) and self.party_ok(r["target_id"], params["pt"])):
                return False
            if not dated:
                return r["text_key"] == params["text_key"] and r["date_start"] is None
            return (any(r[c] == params[c] for c in cols) and r["date_start"] is not None
                    and r["date_end"] is not None and params["lo"] <= r["date_start"] <= params["hi"]
                    and r["date_end"] >= params["d0"])

        return [rows[i] for i in sorted(i for i, r in rows.items() if matches(r))][:EVENT_CANDIDATES]

    def load_events(self, ids: Iterable[int]) -> None:
        """Whole rows of stored events (those the first look left as candidates), kept until the next flush."""
        for r in self._ids(self.q["events"], (i for i in ids if i not in self.event_db)):
            self.event_db[r.id] = dict(r._mapping)

    def event_row(self, vid: int, stored_ok: set[int]) -> dict | None:
        """The whole current row of a candidate: this batch's version if it created or changed it, else the
        stored one when the first look (``stored_ok``) left it a candidate (read now if it was not read with
        the first), else None."""
        if vid in self.event_rows:
            return self.event_rows[vid]
        if vid not in stored_ok:
            return None
        if vid not in self.event_db:
            self.load_events([vid])
        return self.event_db[vid]

    def add_event(self, row: dict) -> int:
        vid = self.new_id("events")
        self.event_rows[vid] = dict(row, id=vid)
        self.events_new.append(vid)
        return vid

    def change_event(self, row: dict, values: dict) -> None:
        vid = row["id"]
        if vid not in self.event_rows:
            self.event_rows[vid] = row
            self.events_stale += 1
        self.event_rows[vid].update(values)

    # ------------------------------------------------------------------ writing
    def _insert(self, name: str, rows: list[dict]) -> None:
        """Insert rows of one table. PostgreSQL: COPY (the rows travel as data through the COPY protocol; an
        executemany there is one statement per row); SQLite: executemany, one prepared statement in C."""
        if not rows:
            return
        if not self.pg:
            self.conn.execute(INSERT[name], rows)
            return
        from psycopg import sql

        table = INSERT[name].table
        cols = list(rows[0])
        stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name),
                                                         sql.SQL(", ").join(map(sql.Identifier, cols)))
        dbapi = self.conn.connection.dbapi_connection
        assert dbapi is not None
        with dbapi.cursor() as cur, cur.copy(stmt) as copy:
            for r in rows:
                copy.write_row([r[c] for c in cols])

    def flush(self) -> None:
        """Send every held-back write: one executemany per table, parents before the rows that point at them."""
        conn, rows = self.conn, self.rows
        for name in ("articles", "carriers"):
            self._insert(name, rows[name])
        # affiliations point at entities of the batch: set once all exist
        self._insert("entities", [dict({c: self.ent_rows[i][c] for c in ENTITY_COLS}, id=i) for i in self.ent_new])
        new = set(self.ent_new)  # inserted with their final values, but for the affiliation
        changed = sorted((self.ent_dirty - new) | {i for i in new if self.ent_rows[i]["affiliation_id"]})
        if changed:
            conn.execute(U_ENTITIES, [_b(self.ent_rows[i], ENTITY_MUTABLE) for i in changed])
        if self.ekeys and self.pg:  # one statement (an executemany would be one per key)
            conn.execute(PG_INSERT_KEYS, {"keys": [k for k, _ in self.ekeys], "ids": [e for _, e in self.ekeys]})
        elif self.ekeys:
            conn.execute(self._insert_keys, [{"key": k, "entity_id": e} for k, e in self.ekeys])
        self._insert("quotes", [{c: q[c] for c in ("id", *QUOTE_COLS)} for q in self.quotes_new])
        if self.quotes_dirty:
            conn.execute(U_QUOTES, [_b(q, ("speaker_id", "speaker_text")) for _, q in sorted(self.quotes_dirty.items())])
        self._insert("claims", [{c: self.claim_rows[i][c] for c in ("id", *CLAIM_COLS)} for i in self.claims_new])
        changed = sorted(self.claims_dirty - set(self.claims_new))
        if changed:
            conn.execute(U_CLAIMS, [_b(self.claim_rows[i], CLAIM_MUTABLE) for i in changed])
        for name in ("claim_keys", "history"):
            self._insert(name, rows[name])
        self._insert("events", [{c: self.event_rows[i][c] for c in ("id", *EVENT_COLS)} for i in self.events_new])
        new = set(self.events_new)
        changed = sorted(i for i in self.event_rows if i not in new)
        if changed:
            conn.execute(U_EVENTS, [_b(self.event_rows[i], EVENT_MUTABLE) for i in changed])
        for name in ("m:entity", "m:quote", "m:claim", "m:event", "search"):
            self._insert(name, rows[name])
        if self.pg:  # ids were given here: the tables' sequences continue after them
            for table, n in sorted(self.next_ids.items()):
                conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"), {"t": table, "v": n - 1})
        self._clear_pending()


def claim_need(keys: list[str]) -> int:
    """Word pairs a stored claim must share with an incoming one to be compared: a third of its pairs, 1 to 3."""
    return max(1, min(3, len(keys) // 3))


def _b(row: dict, cols: tuple[str, ...]) -> dict:
    return dict({f"b_{c}": row[c] for c in cols}, b_id=row["id"])


def entity_input(ent: dict) -> tuple[str, str, list[str]]:
    """(type, name, aliases) of a record's entity as the ledger merges it."""
    etype = str(ent.get("type") or "MISC").upper()
    name = str(ent["name"]).strip()
    aliases = [a for a in ent.get("aliases") or [] if isinstance(a, str) and a.strip()]
    return etype, name, aliases
