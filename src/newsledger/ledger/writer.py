"""Merging one record into the ledger inside the caller's transaction: the article row, its carriers, and
its entities, quotes, claims and events merged into ledger items (``_Writer``), with claim status history.

The writer decides; ``batch.WriteBatch`` answers its reads (once per batch where it can) and holds its writes
until the batch is flushed, so a record costs a handful of statements instead of one per item.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    insert,
    select,
    update,
)

from newsledger.ledger import merge
from newsledger.ledger.batch import EventSpec, WriteBatch, _now, carrier_row, entity_input, event_spec
from newsledger.ledger.common import _loads, ledger_id
from newsledger.ledger.schema import (
    article_carriers,
    claim_history,
    claims,
)

MAX_EVENT_DAYS = 400  # longest event date range merging looks back over (a year, reported late)


def _add_carrier(conn: Connection, aid: str, doc_id: str, art: dict) -> None:
    conn.execute(insert(article_carriers).values(carrier_row(aid, doc_id, art)))


def carried_by(carriers: list[dict]) -> list[str]:
    """Outlet names, once each, first carrier first: the publisher, else the URL's host."""
    from urllib.parse import urlsplit

    out: list[str] = []
    for c in carriers:
        name = c.get("publisher") or (urlsplit(c["url"]).hostname if c.get("url") else None)
        if name and name not in out:
            out.append(name)
    return out


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

    cache: WriteBatch
    rec: dict
    digest: str
    ent_map: dict[str, int]

    # -- entities
    def _entities(self) -> None:
        """Merge the record's entities: every narrow blocking key looked up (the batch read them all at once),
        the merges decided in memory (later entities see the earlier ones), the writes held by the batch."""
        c = self.cache
        ents = [e for e in self.rec.get("entities") or [] if e.get("id") and e.get("name")]
        prepared = []
        for ent in ents:
            etype, name, aliases = entity_input(ent)
            narrow, wide = merge.entity_lookup(etype, name, aliases, scope=self.digest)
            prepared.append((ent, etype, name, aliases, narrow, wide))
        wanted = {k for p in prepared for k in p[4]}
        c.load_keys(wanted)
        c.load_entities({e for k in wanted for e in c.key_hits.get(k, ())})
        self.own_keys: dict[str, set[int]] = {}  # (key, entity) pairs this record adds
        for ent, etype, name, aliases, narrow, wide in prepared:
            self.ent_map[ent["id"]] = self._merge_entity(ent, etype, name, aliases, narrow, wide)
            for span in ent.get("mentions") or []:
                self._mention("entity", self.ent_map[ent["id"]], ent["id"], span)
        c.add_entity_keys(self.own_keys)
        for ent in ents:  # affiliations point at entities of the same record: map them once all exist
            aff = self.ent_map.get(ent.get("affiliation") or "")
            me = self.ent_map[ent["id"]]
            if aff and aff != me and c.ent_rows[me]["affiliation_id"] is None:
                c.change_entity(me, {"affiliation_id": aff})

    def _merge_entity(self, ent: dict, etype: str, name: str, aliases: list[str], narrow: list[str],
                      wide: list[str]) -> int:
        c = self.cache
        code = ent.get("code") or None
        nkey = merge.name_key(name) or name.lower()
        person = etype in merge.PERSON_TYPES
        by_entity: dict[int, set[str]] = {}
        for k in narrow:
            for eid in c.key_hits.get(k, ()):
                by_entity.setdefault(eid, set()).add(k)
        if wide:  # a bare surname: every person of that name could be meant; the earliest few are enough
            for k in wide:
                for eid in self.own_keys.get(k, ()):
                    by_entity.setdefault(eid, set()).add(k)
            for k, eid in c.wide_hits(wide):
                by_entity.setdefault(eid, set()).add(k)
            c.load_entities(set(by_entity))
        cands = c.ent_rows
        best, best_rank = None, 99
        for eid in sorted(by_entity):
            row = cands.get(eid)
            if row is None or row["type"] != etype or (code and row["code"] and row["code"] != code):
                continue
            keys = by_entity[eid]
            rank = 99
            if f"n:{etype}:{nkey}" in keys or any(k.startswith("u:") for k in keys):
                rank = 0  # same canonical name (or the same unnamed speaker of the same text)
            elif any(k.startswith(("n:", "a:")) for k in keys):
                # an alias on one side names the other: guarded (Kyiv the city is not Ukraine's metonym)
                if person and merge.names_compatible(etype, name, row["name"]):
                    rank = 1
                elif not person and (code and row["code"] == code or merge.names_compatible(etype, name, row["name"])
                                     or _acronym(name, row["name"])):
                    rank = 1
            if rank == 99 and person and any(k.startswith(("s:", "s0:", "g:")) for k in keys) \
                    and merge.names_compatible(etype, name, row["name"]):
                rank = 2  # surname of a full name (Stoltenberg / Jens Stoltenberg)
            if rank == 99 and any(k.startswith(("b:", "c:")) for k in keys) \
                    and merge.names_compatible(etype, name, row["name"]):
                rank = 3  # fuzzy spelling within the same type and block (Zelensky / Zelenskyy)
            if rank < best_rank:
                best, best_rank = eid, rank
        if best is None:
            eid = c.add_entity({"name": name, "type": etype, "code": code,
                                "aliases": _jd(_uniq([a for a in aliases if a != name])),
                                "titles": _jd(_uniq(ent.get("titles") or [])), "name_key": nkey})
        else:
            eid = best
            row = cands[eid]
            old_aliases, old_titles = _loads(row["aliases"], []), _loads(row["titles"], [])
            new_aliases = _uniq(old_aliases + [a for a in aliases + [name] if a != row["name"]])
            new_titles = _uniq(old_titles + list(ent.get("titles") or []))
            values: dict[str, Any] = {}
            if new_aliases != old_aliases:
                values["aliases"] = _jd(new_aliases)
            if new_titles != old_titles:
                values["titles"] = _jd(new_titles)
            if code and not row["code"]:
                values["code"] = code
            # the fullest name becomes canonical (Jens Stoltenberg over Stoltenberg)
            if person and len(nkey.split()) > len(row["name_key"].split()):
                values.update(name=name, name_key=nkey)
            if values:  # most merges add nothing new: no write
                c.change_entity(eid, values)
        for k in merge.entity_keys(etype, name, aliases, scope=self.digest):
            hits = c.key_hits.setdefault(k, set())
            if eid not in hits:
                hits.add(eid)
                self.own_keys.setdefault(k, set()).add(eid)
        return eid

    def _mention(self, kind: str, item: int, rid: str, span: Any) -> None:
        raise NotImplementedError


class _StatementWriter:
    """Part of ``_Writer``: quotes and claims merged by speaker/source and words; claim status history."""

    cache: WriteBatch
    rec: dict
    aid: str
    art: dict
    seq: int
    published_utc: str | None
    ent_map: dict[str, int]
    claim_map: dict[str, int]

    # -- quotes
    def _quotes(self) -> None:
        """Merge the record's quotes: every quote's text key looked up (once per batch), then the writes."""
        c = self.cache
        todo = [(qt, merge.text_key(qt["text"])) for qt in self.rec.get("quotes") or [] if qt.get("text")]
        c.load_quote_keys({k for _, k in todo})
        for qt, key in todo:
            speaker = self.ent_map.get(qt.get("speaker") or "")
            found = next((r for r in c.quote_keys.get(key, ())
                          if r["speaker_id"] is None or speaker is None or r["speaker_id"] == speaker), None)
            if found is None:
                qid = c.add_quote(dict(text=qt["text"], text_key=key, speaker_id=speaker,
                                       speaker_text=qt.get("speaker_text"), cue=qt.get("cue"),
                                       kind=qt.get("kind")))["id"]
            else:
                qid = found["id"]
                if found["speaker_id"] is None and speaker is not None:
                    c.change_quote(found, speaker, qt.get("speaker_text"))
            self._mention("quote", qid, qt.get("id") or "", qt.get("span"))
            self.search.append({"kind": "quote", "ref": ledger_id("quote", qid), "article_id": self.aid,
                                "body": qt["text"]})

    # -- claims
    def _claims(self) -> None:
        """Merge the record's claims: one lookup of every claim key of the record, candidates confirmed in
        memory by ``merge.claims_same``, statuses moved forward in O(1), history and keys held by the batch."""
        c = self.cache
        todo = []
        for cl in self.rec.get("claims") or []:
            if not cl.get("text"):
                continue
            source = self.ent_map.get(cl.get("source") or "")
            skey = (f"E{source}" if source else "t:" + merge.name_key(cl.get("source_text") or ""))[:300]
            todo.append((cl, source, skey, merge.claim_keys(cl["text"])))
        # the stored claims each could be, ranked by the database; only those are read
        stored = c.claim_hits([(skey, keys) for _, _, skey, keys in todo])
        c.load_claims({cid for hits in stored for cid, _ in hits})
        rows = c.claim_rows
        for (cl, source, skey, keys), hits in zip(todo, stored, strict=True):
            found = None
            if keys:
                cids = c.claim_candidates(skey, keys, hits)
                found = next((x for x in cids if merge.claims_same(cl["text"], rows[x]["text"])), None)
            status = cl.get("status") or "asserted"
            if found is None:
                found = c.add_claim(dict(
                    text=cl["text"], source_id=source, source_key=skey, source_text=cl.get("source_text"),
                    cue=cl.get("cue"), status=status, status_cue=cl.get("status_cue"),
                    status_utc=self.published_utc or "", status_seq=self.seq))
                c.add_claim_keys(skey, keys, found)
            elif _claim_status_step(rows[found], status, self.published_utc, self.seq):
                c.change_claim(found, {"status": status, "status_cue": cl.get("status_cue"),
                                       "status_utc": self.published_utc or "", "status_seq": self.seq})
            self.claim_map[cl.get("id") or ""] = found
            c.rows["history"].append(dict(
                claim_id=found, article_id=self.aid, status=status, status_cue=cl.get("status_cue"),
                published=self.art.get("published"), published_utc=self.published_utc, seq=self.seq,
                evidence=json.dumps(cl["contradicted_by"]) if cl.get("contradicted_by") else None))
            self._mention("claim", found, cl.get("id") or "", cl.get("span"))

    search: list[dict]

    def _mention(self, kind: str, item: int, rid: str, span: Any) -> None:
        raise NotImplementedError


class _EventWriter:
    """Part of ``_Writer``: events merged by type, parties, date window and place."""

    cache: WriteBatch
    rec: dict
    aid: str
    art: dict
    ent_map: dict[str, int]
    claim_map: dict[str, int]

    # -- events
    def _events(self) -> None:
        c = self.cache
        figures = {f.get("id"): f for f in self.rec.get("figures") or [] if f.get("id")}
        text_ = self.art["text"]
        todo = []
        for ev in self.rec.get("events") or []:
            etype = str(ev.get("type") or "").upper()
            if not etype:
                continue
            actor = self.ent_map.get(ev.get("actor") or "")
            target = self.ent_map.get(ev.get("target") or "")
            dr = merge.date_range(ev.get("date"))
            span = ev.get("span")
            tkey = merge.text_key(text_[span[0]:span[1]]) if span and len(span) == 2 else None
            todo.append((ev, etype, actor, target, dr, tkey,
                         self._event_spec(etype, actor, target, tkey, dr, bool(ev.get("negated")))))
        stored = c.read_events([t[-1] for t in todo])
        # a first look at the stored candidates (their parties, dates, negation, place: all this record's
        # events leave unchanged), so that only the first each would take is read whole, in one go; a later
        # one is read when an earlier event of the record has changed the first (``event_row``)
        passed: list[set[int]] = []
        for (ev, _etype, actor, target, dr, tkey, _spec), db_rows in zip(todo, stored, strict=True):
            negated, loc = bool(ev.get("negated")), ev.get("location") or None
            passed.append({r["id"] for r in db_rows
                           if self._event_compatible(r, actor, target, dr, loc, tkey, negated)})
        c.load_events({min(ok) for ok in passed if ok})
        for (ev, etype, actor, target, dr, tkey, spec), db_rows, ok in zip(todo, stored, passed, strict=True):
            loc = ev.get("location") or None
            span = ev.get("span")
            negated = bool(ev.get("negated"))
            found = None
            for cand in c.event_candidates(spec, db_rows):
                row = c.event_row(cand["id"], ok)
                if row is not None and self._event_compatible(row, actor, target, dr, loc, tkey, negated):
                    found = row
                    break
            figs = [dict(figures[f], article=self.aid) for f in ev.get("figures") or [] if f in figures]
            claim = self.claim_map.get(ev.get("claim") or "")
            date = ev.get("date") or {}
            if found is None:
                vid = c.add_event(dict(
                    type=etype, mode=ev.get("mode"), actor_id=actor, actor_text=ev.get("actor_text"),
                    target_id=target, target_text=ev.get("target_text"),
                    date_start=dr[0] if dr else None, date_end=dr[1] if dr else None,
                    date_precision=date.get("precision"), date_text=date.get("text"),
                    location=json.dumps(loc, ensure_ascii=False) if loc else None,
                    loc_name=(loc or {}).get("name"), loc_country=(loc or {}).get("country"),
                    lat=(loc or {}).get("lat"), lon=(loc or {}).get("lon"),
                    figures=json.dumps(figs, ensure_ascii=False), claim_id=claim, negated=negated,
                    text_key=tkey))
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
                    c.change_event(found, values)
            self._mention("event", vid, ev.get("id") or "", span)

    @staticmethod
    def _event_spec(etype: str, actor: int | None, target: int | None, tkey: str | None,
                    dr: tuple[str, str] | None, negated: bool) -> EventSpec | None:
        """How to find stored events that could be this one, oldest first, each lookup bounded by an index.

        An undated event merges only with an undated one of the same sentence; a dated one only with
        events whose dates overlap its own, so the lookup reads a window of dates (MAX_EVENT_DAYS before
        its start) of the same actor, target or sentence, not every event a frequent actor ever had; and
        either reads only events of the same negation whose parties could be this one's.
        """
        by = {"actor_id": actor, "target_id": target, "text_key": tkey}
        if dr is None:
            return event_spec(etype, by, None, negated)
        lo = (date.fromisoformat(dr[0]) - timedelta(days=MAX_EVENT_DAYS)).isoformat() \
            if _iso_day(dr[0]) else dr[0]
        return event_spec(etype, by, (lo, dr[1], dr[0]), negated)

    def _event_compatible(self, c: Any, actor: int | None, target: int | None, dr: tuple[str, str] | None,
                          loc: dict | None, tkey: str | None, negated: bool) -> bool:
        if not self._event_parties_dates(c, actor, target, dr, tkey, negated):
            return False
        return merge.places_compatible(_loads(c["location"], None), loc)

    def _event_parties_dates(self, c: Any, actor: int | None, target: int | None, dr: tuple[str, str] | None,
                             tkey: str | None, negated: bool) -> bool:
        """Everything ``_event_compatible`` asks but the place: the same negation, parties that agree, the same
        sentence where none is known, overlapping dates (or the same sentence, both undated)."""
        if bool(c["negated"]) != negated:
            return False
        if not (self.cache.party_ok(c["actor_id"], actor) and self.cache.party_ok(c["target_id"], target)):
            return False
        if actor is None and target is None and c["text_key"] != tkey:
            return False
        if dr is None and c["date_start"] is None:
            if c["text_key"] != tkey:  # undated: only the same sentence (wire copy) is safe to merge
                return False
        elif not merge.dates_compatible(dr, (c["date_start"], c["date_end"]) if c["date_start"] else None):
            return False
        return True

    def _mention(self, kind: str, item: int, rid: str, span: Any) -> None:
        raise NotImplementedError


class _Writer(_EntityWriter, _StatementWriter, _EventWriter):
    """Writes one record into the batch: article row, merged items, links, search docs."""

    def __init__(self, conn: Connection, rec: dict, aid: str, digest: str, cache: WriteBatch) -> None:
        self.conn, self.rec, self.aid, self.digest = conn, rec, aid, digest
        self.cache = cache
        self.art = rec["article"]
        self.ent_map: dict[str, int] = {}
        self.claim_map: dict[str, int] = {}
        self.search: list[dict] = []
        self.published_utc = merge.to_utc(self.art.get("published"))

    def write(self) -> None:
        c, art = self.cache, self.art
        self.seq = c.next_seq()
        c.add_article(dict(
            id=self.aid, seq=self.seq, url=art.get("url"), publisher=art.get("publisher"), title=art.get("title"),
            published=art.get("published"), published_utc=self.published_utc, language=art.get("language"),
            text_hash=self.digest, text=art["text"], record=json.dumps(self.rec, ensure_ascii=False),
            ingested_at=_now()), carrier_row(self.aid, self.aid, art))
        body = "\n\n".join(x for x in (art.get("title"), art["text"]) if x)
        c.rows["search"].append({"kind": "article", "ref": self.aid, "article_id": self.aid, "body": body})
        self._entities()
        self._quotes()
        self._claims()
        self._events()
        c.rows["search"].extend(self.search)

    def _mention(self, kind: str, item: int, rid: str, span: Any) -> None:
        """A link from a ledger item to the text that supports it (written with the batch)."""
        if not span or len(span) != 2:
            return
        self.cache.rows[f"m:{kind}"].append({f"{kind}_id": item, "article_id": self.aid, "record_id": str(rid),
                                             "start": int(span[0]), "end": int(span[1])})


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
