"""Writing one record into the ledger inside the caller's transaction: the article row, its carriers, and
its entities, quotes, claims and events merged into ledger items (``_Writer``), with claim status history."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    func,
    insert,
    select,
    union,
    update,
)

from newsledger.ledger import merge
from newsledger.ledger.common import _loads, ledger_id
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

MAX_EVENT_DAYS = 400  # longest event date range merging looks back over (a year, reported late)
WIDE_CANDIDATES = 50  # entities read for a bare surname (every person of that surname could be meant)
# built once: ``conn.execute(INSERT[t], row)`` skips building and caching a statement per row
INSERT = {"entities": insert(entities), "quotes": insert(quotes), "claims": insert(claims), "events": insert(events)}


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


class _EntityWriter:
    """Part of ``_Writer``: the record's entities merged into ledger entities through blocking keys."""

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
            narrow, wide = merge.entity_lookup(etype, name, aliases, scope=self.digest)
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
            if f"n:{etype}:{nkey}" in keys or any(k.startswith("u:") for k in keys):
                rank = 0  # same canonical name (or the same unnamed speaker of the same text)
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
        for k in merge.entity_keys(etype, name, aliases, scope=self.digest):
            if eid not in self.key_hits.setdefault(k, set()) or (k, eid) in self.new_keys:
                self.key_hits[k].add(eid)
                self.new_keys.setdefault((k, eid), new)
        return eid


class _StatementWriter:
    """Part of ``_Writer``: quotes and claims merged by speaker/source and words; claim status history."""

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


class _EventWriter:
    """Part of ``_Writer``: events merged by type, parties, date window and place."""

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


class _Writer(_EntityWriter, _StatementWriter, _EventWriter):
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
