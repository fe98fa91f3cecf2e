"""Reading the ledger: plain JSON-able dicts, the same on SQLite and PostgreSQL (mixed into ``Ledger``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    Connection,
    func,
    or_,
    select,
    text,
)

from newsledger.ledger import merge
from newsledger.ledger.common import _esc, _loads, ledger_id, parse_id
from newsledger.ledger.schema import (
    MENTION_TABLES,
    articles,
    claim_history,
    claims,
    entities,
    entity_mentions,
    events,
    quotes,
)
from newsledger.ledger.writer import carried_by
from newsledger.record import NewsledgerError


class LedgerQueries:
    """The read side of ``Ledger``: needs ``self.engine``."""

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
