"""``newsledger export``: the ledger in formats other tools read.

- ``jsonl``: every stored record (schema newsledger.record/1), one per line;
- ``csv``: a folder with one CSV per table (articles, entities, quotes, claims, events, mentions);
- ``parquet``: the same tables as Parquet files (pyarrow);
- ``plover``: events as PLOVER JSON lines (PLOVER's field names: id, date, source, target, event, mode, ...);
- ``claims-jsonld``: claims as a schema.org ``Claim`` JSON-LD graph;
- ``geojson``: events as a GeoJSON FeatureCollection (the /map view); events without coordinates are kept
  with a null geometry (RFC 7946 allows it), so nothing is dropped silently;
- ``graphml`` / ``gexf``: the actor network (the /network view): actors as nodes, one directed edge per
  actor, target and PLOVER type (edge attribute ``event_type``; GEXF reserves ``type``), weighted by the
  number of events, with the ids of those events (written by networkx).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsledger.record import NewsledgerError

PAGE = 1000
CASUALTY_KINDS = {"killed": "killed", "dead": "killed", "wounded": "injured", "injured": "injured"}


def _all(fetch: Any) -> Iterator[dict]:
    """Every item of a paged Ledger query."""
    offset = 0
    while True:
        page = fetch(limit=PAGE, offset=offset)
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def tables(ledger: Any) -> dict[str, list[dict]]:
    """The ledger as flat rows per table (nested values as JSON text), for CSV and Parquet."""
    arts = list(_all(ledger.articles))
    ents = list(_all(lambda **kw: ledger.entities(**kw)))
    qts = list(_all(lambda **kw: ledger.quotes(**kw)))
    cls = list(_all(lambda **kw: ledger.claims(**kw)))
    evs = list(_all(lambda **kw: ledger.events(**kw)))
    mentions: list[dict] = []
    for kind, items in (("entity", ents), ("quote", qts), ("claim", cls), ("event", evs)):
        for it in items:
            for m in it.get("mentions") or []:
                mentions.append({"item": it["id"], "kind": kind, "article": m["article"],
                                 "start": m["span"][0], "end": m["span"][1]})

    def flat(items: list[dict], drop: tuple[str, ...] = ("mentions",)) -> list[dict]:
        out = []
        for it in items:
            row: dict[str, Any] = {}
            for k, v in it.items():
                if k in drop:
                    continue
                if k == "date" and isinstance(v, dict) or k == "date" and v is None:
                    v = v or {}
                    row.update(date_start=v.get("start"), date_end=v.get("end"),
                               date_precision=v.get("precision"), date_text=v.get("text"))
                    continue
                row[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            out.append(row)
        return out

    return {"articles": flat(arts), "entities": flat(ents), "quotes": flat(qts), "claims": flat(cls),
            "events": flat(evs), "mentions": mentions}


def plover_event(ev: dict, ledger: Any, cache: dict, names: dict[str, dict]) -> dict:
    """One ledger event as a PLOVER record, with PLOVER's JSON field names (id, date, source, target, event,
    eventText, mode, context, text, language, publication; dead/injured for magnitudes) plus our own
    extras (dateEnd, datePrecision, location, articles)."""
    def article(aid: str) -> dict:
        if aid not in cache:
            rec = ledger.article(aid) or {}
            art = rec.get("article") or {}
            cache[aid] = {"id": aid, "url": art.get("url"), "publisher": art.get("publisher"),
                          "published": art.get("published"), "language": art.get("language"),
                          "text": art.get("text") or ""}
        return cache[aid]

    def actor(eid: str | None, text: str | None) -> list[dict]:
        if not eid and not text:
            return []
        ent = names.get(eid or "", {})
        out = {"actorText": text or ent.get("name"), "code": ent.get("code") or "", "name": ent.get("name"),
               "ledgerId": eid}
        return [out]

    date = ev.get("date") or {}
    loc = ev.get("location") or None
    first = (ev.get("mentions") or [{}])[0]
    art = article(first["article"]) if first.get("article") else {}
    span = first.get("span") or [0, 0]
    sentence = art.get("text", "")[span[0]:span[1]] if art else ""
    figs = ev.get("figures") or []
    out: dict[str, Any] = {
        "id": ev["id"],
        "date": date.get("start") or "",
        "dateEnd": date.get("end"),
        "datePrecision": date.get("precision"),
        "source": actor(ev.get("actor"), ev.get("actor_text")),
        "target": actor(ev.get("target"), ev.get("target_text")),
        "event": ev["type"],
        "eventText": sentence,
        "mode": ev.get("mode") or "",
        "context": "",
        "negated": bool(ev.get("negated")),
        "text": sentence,
        "language": art.get("language") or "",
        "publication": art.get("publisher") or "",
        "location": {"placeName": loc.get("name"), "country": loc.get("country"), "lat": loc.get("lat"),
                     "lon": loc.get("lon"), "geonameID": loc.get("geonameid")} if loc else None,
        "articles": [{k: v for k, v in article(a).items() if k != "text"} for a in ev.get("articles") or []],
        "claim": ev.get("claim"),
    }
    for kind, key in (("killed", "dead"), ("wounded", "injured")):
        vals = [f.get("value") for f in figs if f.get("kind") == kind and isinstance(f.get("value"), (int, float))]
        if vals:
            out[key] = max(vals)
    return out


def claim_jsonld(cl: dict, ledger: Any, cache: dict) -> dict:
    """One ledger claim as a schema.org Claim (author, appearance in every article, our status as a review)."""
    def appearance(aid: str) -> dict:
        if aid not in cache:
            rec = ledger.article(aid) or {}
            art = rec.get("article") or {}
            obj: dict[str, Any] = {"@type": "NewsArticle", "@id": art.get("url") or f"urn:newsledger:article:{aid}",
                                   "identifier": aid, "headline": art.get("title"),
                                   "datePublished": art.get("published")}
            if art.get("publisher"):
                obj["publisher"] = {"@type": "Organization", "name": art["publisher"]}
            cache[aid] = {k: v for k, v in obj.items() if v is not None}
        return cache[aid]

    arts = cl.get("articles") or []
    out: dict[str, Any] = {
        "@type": "Claim",
        "@id": f"urn:newsledger:claim:{cl['id']}",
        "identifier": cl["id"],
        "text": cl["text"],
        "appearance": [appearance(a) for a in arts],
    }
    if arts:
        out["firstAppearance"] = appearance(arts[0])
    who = cl.get("source_name") or cl.get("source_text")
    if who:
        out["author"] = {"@type": "Thing", "name": who}
        if cl.get("source"):
            out["author"]["identifier"] = cl["source"]
    out["additionalProperty"] = [
        {"@type": "PropertyValue", "name": "status", "value": cl.get("status")},
        {"@type": "PropertyValue", "name": "statusCue", "value": cl.get("status_cue")},
        {"@type": "PropertyValue", "name": "history", "value": json.dumps(cl.get("history") or [])},
    ]
    return out


# ---------------------------------------------------------------------------------------------------------------
# Map and network: the shapes behind /map and /network, their API routes and their exports


def casualties(ev: dict) -> dict[str, int]:
    """Killed and injured as the event's figures give them: the largest of each (articles differ; the
    highest report is the one an analyst checks first, and every figure stays in the record)."""
    out: dict[str, int] = {}
    for f in ev.get("figures") or []:
        key = CASUALTY_KINDS.get(str(f.get("kind") or ""))
        value = f.get("value")
        if key and isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            out[key] = max(out.get(key, 0), int(value))
    return out


def _number(value: Any, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if low <= value <= high else None


def event_place(ev: dict) -> tuple[str, float | None, float | None]:
    """How precisely an event is placed: ("point", lat, lon) with coordinates, ("country", None, None)
    with only a country code, ("named", ...) with only a name, ("none", ...) without a place."""
    loc = ev.get("location") or {}
    if not isinstance(loc, dict) or not loc:
        return "none", None, None
    lat, lon = _number(loc.get("lat"), -90, 90), _number(loc.get("lon"), -180, 180)
    if lat is not None and lon is not None:
        return "point", lat, lon
    if isinstance(loc.get("country"), str) and len(loc["country"]) == 2:
        return "country", None, None
    return ("named" if loc.get("name") else "none"), None, None


def iso_numeric(alpha2: str | None) -> str | None:
    """ISO 3166-1 numeric code (the ids of the Natural Earth countries in world-atlas) for an alpha-2 code."""
    if not alpha2:
        return None
    import pycountry

    try:
        found = pycountry.countries.get(alpha_2=alpha2.upper())
    except (KeyError, LookupError):
        return None
    return found.numeric if found else None


def _party(ev: dict, role: str) -> str | None:
    return ev.get(f"{role}_name") or ev.get(f"{role}_text")


def evidence_href(ev: dict) -> str:
    """The page of an event's first mention, with its span highlighted (the same link the timeline uses)."""
    from urllib.parse import quote

    for m in ev.get("mentions") or []:
        span = m.get("span")
        if m.get("article"):
            path = f"/articles/{quote(str(m['article']), safe='')}"
            if span and len(span) == 2:
                return f"{path}?mark={int(span[0])}-{int(span[1])}#evidence"
            return path
    return ""


def event_feature(ev: dict) -> dict:
    """One event as a GeoJSON Feature: a Point [lon, lat] when the event has coordinates, else a null geometry
    with the place it has (country, name) in its properties."""
    precision, lat, lon = event_place(ev)
    loc = ev.get("location") or {}
    date = ev.get("date") or {}
    props: dict[str, Any] = {
        "id": ev.get("id"), "type": ev.get("type"), "mode": ev.get("mode"), "negated": bool(ev.get("negated")),
        "actor": ev.get("actor"), "actor_name": _party(ev, "actor"),
        "target": ev.get("target"), "target_name": _party(ev, "target"),
        "date_start": date.get("start"), "date_end": date.get("end"), "date_precision": date.get("precision"),
        "place": loc.get("name") if isinstance(loc, dict) else None,
        "country": loc.get("country") if isinstance(loc, dict) else None,
        "geonameid": loc.get("geonameid") if isinstance(loc, dict) else None,
        "placed": precision, **casualties(ev),
        "articles": list(ev.get("articles") or []), "evidence": evidence_href(ev) or None,
    }
    geometry = {"type": "Point", "coordinates": [lon, lat]} if precision == "point" else None
    return {"type": "Feature", "id": ev.get("id"), "geometry": geometry, "properties": props}


def events_geojson(events: list[dict]) -> dict:
    """Events as a FeatureCollection (every event; those without coordinates have a null geometry)."""
    return {"type": "FeatureCollection", "features": [event_feature(ev) for ev in events]}


def _actor_key(ev: dict, role: str) -> str | None:
    """A node id for an event party: its ledger entity id, or, for a party the ledger did not resolve to an
    entity ("protesters"), its words, so it still appears (marked as text only)."""
    if ev.get(role):
        return str(ev[role])
    text = " ".join(str(ev.get(f"{role}_text") or "").split())
    return f"text:{text.lower()}" if text else None


QUOTE_EDGE = "QUOTE"  # the edge type of a quote-mention: the speaker named an entity in the quote's words


def quote_mentions(ledger: Any, speaker: str | None = None) -> list[dict]:
    """Who named whom in their own words: for every quote with a known speaker, each ledger entity with a
    mention inside one of the quote's spans (the speaker excepted), as ``{"quote", "speaker", "entity",
    "article", "span"}``. Uses only the ledger's query methods (quotes and entities with their mentions)."""
    quotes = list(_all(lambda **kw: ledger.quotes(speaker=speaker or None, **kw)))
    if not quotes:
        return []
    inside: dict[str, list[tuple[int, int, str]]] = {}
    for ent in _all(lambda **kw: ledger.entities(**kw)):
        for m in ent.get("mentions") or []:
            span = m.get("span")
            if m.get("article") and span and len(span) == 2:
                inside.setdefault(m["article"], []).append((int(span[0]), int(span[1]), ent["id"]))
    out = []
    for q in quotes:
        if not q.get("speaker"):
            continue
        named: dict[str, dict] = {}
        for m in q.get("mentions") or []:
            span = m.get("span")
            if not span or len(span) != 2:
                continue
            for a, b, eid in inside.get(m.get("article"), []):
                if span[0] <= a and b <= span[1] and eid != q["speaker"] and eid not in named:
                    named[eid] = {"quote": q, "speaker": q["speaker"], "entity": eid, "article": m["article"],
                                  "span": span}
        out.extend(named.values())
    return out


def actor_network(events: list[dict], entity_info: dict[str, dict] | None = None,
                  mentions: list[dict] | None = None) -> dict[str, Any]:
    """Actors as nodes and events as directed edges (actor -> target), one edge per pair and PLOVER type,
    weighted by the number of events. Events missing a party make no edge and are counted apart. With
    ``mentions`` (quote_mentions), a speaker -> named entity edge of type QUOTE per pair, weighted by quotes."""
    info = entity_info or {}
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str, str], dict] = {}
    no_target = no_actor = 0

    def node(key: str, ev: dict, role: str) -> dict:
        if key not in nodes:
            ent = info.get(key) or {}
            nodes[key] = {"id": key, "label": ent.get("name") or _party(ev, role) or key,
                          "entity": ev.get(role) or None, "entity_type": ent.get("type"),
                          "out": 0, "in": 0}
        return nodes[key]

    for ev in events:
        src, dst = _actor_key(ev, "actor"), _actor_key(ev, "target")
        if src:
            node(src, ev, "actor")["out"] += 1
        if dst:
            node(dst, ev, "target")["in"] += 1
        if not src:
            no_actor += 1
            continue
        if not dst:
            no_target += 1
            continue
        etype = str(ev.get("type") or "")
        edge = edges.setdefault((src, dst, etype), {"source": src, "target": dst, "type": etype, "weight": 0,
                                                    "events": []})
        edge["weight"] += 1
        edge["events"].append(ev.get("id"))
    for qm in mentions or []:
        q = qm["quote"]
        for key, who in ((qm["speaker"], q.get("speaker_name")), (qm["entity"], None)):
            if key not in nodes:
                ent = info.get(key) or {}
                nodes[key] = {"id": key, "label": ent.get("name") or who or key, "entity": key,
                              "entity_type": ent.get("type"), "out": 0, "in": 0}
        nodes[qm["speaker"]]["said"] = nodes[qm["speaker"]].get("said", 0) + 1
        nodes[qm["entity"]]["named"] = nodes[qm["entity"]].get("named", 0) + 1
        edge = edges.setdefault((qm["speaker"], qm["entity"], QUOTE_EDGE),
                                {"source": qm["speaker"], "target": qm["entity"], "type": QUOTE_EDGE, "weight": 0,
                                 "events": []})
        if q.get("id") not in edge["events"]:
            edge["weight"] += 1
            edge["events"].append(q.get("id"))
    return {"nodes": list(nodes.values()), "edges": list(edges.values()), "events": len(events),
            "quotes": len({qm["quote"].get("id") for qm in mentions or []}), "no_actor": no_actor,
            "no_target": no_target}


def network_graph(net: dict[str, Any]) -> Any:
    """The network as a networkx MultiDiGraph (parallel edges: one per PLOVER type), for GraphML and GEXF."""
    import networkx as nx

    g = nx.MultiDiGraph(name="newsledger actor network")
    for n in net["nodes"]:
        g.add_node(n["id"], label=str(n["label"]), entity=n.get("entity") or "",
                   entity_type=n.get("entity_type") or "", events_as_actor=n["out"], events_as_target=n["in"],
                   quotes_naming_others=n.get("said", 0), named_in_quotes=n.get("named", 0))
    for e in net["edges"]:
        g.add_edge(e["source"], e["target"], key=e["type"], event_type=e["type"], label=e["type"], weight=e["weight"],
                   events=" ".join(str(i) for i in e["events"] if i))
    return g


def write_network(net: dict[str, Any], fmt: str, fh: Any) -> None:
    """GraphML or GEXF bytes of ``net`` into the binary file ``fh``."""
    import networkx as nx

    g = network_graph(net)
    if fmt == "graphml":
        nx.write_graphml(g, fh, encoding="utf-8")
    else:
        nx.write_gexf(g, fh, encoding="utf-8")


def export(ledger: Any, fmt: str, path: str) -> int:
    """Write the ledger to ``path`` in ``fmt``; returns how many records/rows were written."""
    out = Path(path)
    if fmt in ("csv", "parquet"):
        if out.exists() and not out.is_dir():
            raise NewsledgerError(f"{out}: {fmt} export writes one file per table: give a folder")
        out.mkdir(parents=True, exist_ok=True)
        n = 0
        for name, rows in tables(ledger).items():
            n += len(rows)
            if fmt == "csv":
                _write_csv(out / f"{name}.csv", rows)
            else:
                _write_parquet(out / f"{name}.parquet", rows)
        return n
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt in ("geojson", "graphml", "gexf"):
        evs = list(_all(lambda **kw: ledger.events(**kw)))
        if fmt == "geojson":
            out.write_text(json.dumps(events_geojson(evs), ensure_ascii=False) + "\n", encoding="utf-8")
            return len(evs)
        net = actor_network(evs, ledger.entity_names())
        with open(out, "wb") as bfh:
            write_network(net, fmt, bfh)
        return len(net["edges"])
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        if fmt == "jsonl":
            for rec in ledger.records():
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        elif fmt == "plover":
            cache: dict = {}
            names = ledger.entity_names()
            for ev in _all(lambda **kw: ledger.events(**kw)):
                fh.write(json.dumps(plover_event(ev, ledger, cache, names), ensure_ascii=False) + "\n")
                n += 1
        elif fmt == "claims-jsonld":
            cache = {}
            graph = [claim_jsonld(c, ledger, cache) for c in _all(lambda **kw: ledger.claims(**kw))]
            n = len(graph)
            json.dump({"@context": "https://schema.org", "@graph": graph}, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        else:
            raise NewsledgerError(f"unknown export format {fmt!r}")
    return n


def _columns(rows: list[dict]) -> list[str]:
    keys: list[str] = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    return keys


def _write_csv(path: Path, rows: list[dict]) -> None:
    keys = _columns(rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in keys})


def _write_parquet(path: Path, rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = _columns(rows)
    cols = {}
    for k in keys:
        vals = [r.get(k) for r in rows]
        kinds = {type(v) for v in vals if v is not None}
        if kinds <= {int, bool} and kinds != {bool} and kinds:
            cols[k] = pa.array([None if v is None else int(v) for v in vals], pa.int64())
        elif kinds == {bool}:
            cols[k] = pa.array(vals, pa.bool_())
        elif kinds and kinds <= {int, float}:
            cols[k] = pa.array([None if v is None else float(v) for v in vals], pa.float64())
        else:  # text, or empty: a string column keeps the schema stable
            cols[k] = pa.array([None if v is None else str(v) for v in vals], pa.string())
    pq.write_table(pa.table(cols) if keys else pa.table({"empty": pa.array([], pa.string())}), path)
