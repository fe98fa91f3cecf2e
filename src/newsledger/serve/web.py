"""The pages: server-rendered HTML over the ledger (Jinja2, autoescaped everywhere).

Article text is hostile input. It reaches a page only through Jinja's autoescape or, for the
marked-up article body, through ``markup_text`` which escapes every text segment and every
attribute value itself. Scripts are static files; data for them travels in ``data-`` attributes
(escaped like any other attribute value) and is only ever written back with ``textContent``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChainableUndefined, Environment, FileSystemLoader
from markupsafe import Markup, escape

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATUSES = ("asserted", "unverified", "denied", "contradicted")
CONTESTED = ("contradicted", "denied", "unverified")
PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
# One colour per PLOVER type, cooperative types in blues/greens, conflictual ones in oranges/reds, so the
# timeline reads at a glance. Used by the CSS legend and handed to the chart script.
PLOVER_COLOURS = {
    "AGREE": "#1b9e77", "CONSULT": "#4daf4a", "SUPPORT": "#66a61e", "CONCEDE": "#a6d854", "COOPERATE": "#1f78b4",
    "AID": "#80b1d3", "RETREAT": "#8da0cb", "REQUEST": "#7570b3", "ACCUSE": "#e6ab02", "REJECT": "#fdae61",
    "THREATEN": "#f46d43", "PROTEST": "#e7298a", "SANCTION": "#a6761d", "MOBILIZE": "#d95f02",
    "COERCE": "#b2182b", "ASSAULT": "#67001f",
}
QUOTE_COLOUR = "#5b6570"  # quote-mention edges on /network (dashed): grey, apart from every PLOVER colour
SPEAKER_COLOURS = 8

_env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=ChainableUndefined,
                   trim_blocks=True, lstrip_blocks=True)
templates = Jinja2Templates(env=_env)


def plausible_id(item_id: str) -> bool:
    """False for ids no ledger can hold (hundreds of digits overflow the database's integers): those are 404s."""
    return len(item_id) <= 64 and sum(c.isdigit() for c in item_id) <= 15


def _tojson_attr(value: Any) -> str:
    """JSON for a data- attribute. The result is a plain str, so autoescape still escapes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_env.filters["jsonattr"] = _tojson_attr
_env.globals.update(STATUSES=STATUSES, PLOVER=PLOVER, PLOVER_COLOURS=PLOVER_COLOURS)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message)


# ---------------------------------------------------------------------------------------------------------------
# The marked-up article text


@dataclass
class Mark:
    """One item drawn over the article text: a span, its kind, and the record it shows."""

    start: int
    end: int
    kind: str  # claim | quote | event | entity | evidence
    key: str
    classes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    title: str = ""


# Outer kinds first when two marks cover the same span.
KIND_RANK = {"evidence": 0, "claim": 1, "quote": 2, "event": 3, "entity": 4}


def span_of(value: Any) -> tuple[int, int] | None:
    """A record's [start, end] as ints, or None when it is missing or malformed (stored records are input too)."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return int(value[0]), int(value[1])
    return None


def markup_text(text: str, marks: list[Mark]) -> Markup:
    """The article text as HTML with every mark wrapped around its span.

    Marks overlap freely (a quote inside a claim, an event across both), while HTML elements
    must nest, so the text is cut at every mark boundary and each piece is wrapped in the marks
    covering it, outermost first; a mark that crosses another is closed and reopened. The
    first piece of a mark carries its id and is focusable; a claim's status badge follows its
    last piece. Every text piece and attribute goes through ``escape``. (No library does
    overlapping span rendering, and this is the one place the app writes HTML by hand.)
    """
    n = len(text)
    good = [m for m in marks if 0 <= m.start < m.end <= n]
    order = sorted(good, key=lambda m: (m.start, -m.end, KIND_RANK.get(m.kind, 9), m.key))
    rank = {id(m): i for i, m in enumerate(order)}
    cuts = sorted({0, n, *(m.start for m in good), *(m.end for m in good)})
    out: list[str] = []
    stack: list[Mark] = []

    def close_to(depth: int, at: int) -> None:
        while len(stack) > depth:
            m = stack.pop()
            out.append("</span>")
            if m.end == at and m.kind == "claim":  # the status badge goes right after the claim's words
                out.append(f'<span class="badge-after st-{escape(_slug(m.attrs.get("status", "")))}" '
                           f'data-status="{escape(m.attrs.get("status", ""))}" aria-hidden="true"></span>')

    live: list[Mark] = []  # marks covering the current piece: a sweep, so long articles stay linear-ish
    nxt = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        live = [m for m in live if m.end > a]
        while nxt < len(order) and order[nxt].start <= a:
            live.append(order[nxt])
            nxt += 1
        active = sorted(live, key=lambda m: rank[id(m)])
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        close_to(keep, a)
        for m in active[keep:]:
            out.append(_open(m, first=(m.start == a)))
            stack.append(m)
        out.append(str(escape(text[a:b])))
    close_to(0, n)
    return Markup("".join(out))


def _open(m: Mark, first: bool) -> str:
    classes = ["m", f"m-{m.kind}", *m.classes]
    if not first:
        classes.append("cont")
    parts = [f'<span class="{escape(" ".join(classes))}" data-key="{escape(m.key)}"']
    if first:
        anchor = "evidence" if m.kind == "evidence" else f"{m.kind}-{_slug(m.key)}-{m.start}"
        parts.append(f' id="{escape(anchor)}" tabindex="0"')
        if m.title:
            parts.append(f' title="{escape(m.title)}"')
    for k, v in m.attrs.items():
        if not k.startswith("_"):
            parts.append(f' data-{escape(k)}="{escape(v)}"')
    return "".join(parts) + ">"


def _slug(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key)


def speaker_palette(rec: dict) -> dict[str | None, int]:
    """Speaker entity id -> colour index, in order of first quote, so colours are stable on a page."""
    palette: dict[str | None, int] = {}
    for q in sorted(rec.get("quotes") or [], key=lambda q: (q.get("span") or [0])[0]):
        sp = q.get("speaker") or q.get("speaker_text") or None
        if sp not in palette:
            palette[sp] = len(palette) % SPEAKER_COLOURS
    return palette


def article_marks(rec: dict, evidence: tuple[int, int] | None = None) -> tuple[list[Mark], dict[str, dict]]:
    """The marks over one record's text and, by mark key, the record each one shows on hover/focus."""
    names = {e.get("id"): e.get("name") for e in rec.get("entities") or []}
    links = rec.get("_entity_links") or {}
    palette = speaker_palette(rec)
    marks: list[Mark] = []
    records: dict[str, dict] = {}

    for ent in rec.get("entities") or []:
        key = f"entity:{ent.get('id')}"
        records[key] = {"kind": "entity", "id": ent.get("id"), "name": ent.get("name"), "type": ent.get("type"),
                        "aliases": ent.get("aliases") or [], "titles": ent.get("titles") or [],
                        "affiliation": names.get(ent.get("affiliation")), "link": links.get(ent.get("id"))}
        for span in filter(None, map(span_of, ent.get("mentions") or [])):
            marks.append(Mark(span[0], span[1], "entity", key, [f"et-{_slug(str(ent.get('type') or 'other'))}"],
                              title=f"{ent.get('name')} ({ent.get('type')})"))

    for q in rec.get("quotes") or []:
        span = span_of(q.get("span"))
        if not span:
            continue
        key = f"quote:{q.get('id')}"
        speaker = names.get(q.get("speaker")) or q.get("speaker_text")
        colour = palette.get(q.get("speaker") or q.get("speaker_text") or None, 0)
        records[key] = {"kind": "quote", "id": q.get("id"), "speaker": speaker, "cue": q.get("cue"),
                        "quote kind": q.get("kind"), "text": q.get("text")}
        marks.append(Mark(span[0], span[1], "quote", key, [f"spk-{colour}"], {"_end": span[1]},
                          title=f"quote: {speaker or 'unknown speaker'}"))

    for c in rec.get("claims") or []:
        span = span_of(c.get("span"))
        if not span:
            continue
        key = f"claim:{c.get('id')}"
        status = str(c.get("status") or "asserted")
        records[key] = {"kind": "claim", "id": c.get("id"), "status": status, "status cue": c.get("status_cue"),
                        "source": names.get(c.get("source")) or c.get("source_text"), "cue": c.get("cue"),
                        "text": c.get("text")}
        marks.append(Mark(span[0], span[1], "claim", key, [f"st-{_slug(status)}"],
                          {"status": status}, title=f"claim ({status})"))

    for v in rec.get("events") or []:
        span = span_of(v.get("span"))
        if not span:
            continue
        key = f"event:{v.get('id')}"
        date = v.get("date") or {}
        loc = v.get("location") or {}
        records[key] = {"kind": "event", "id": v.get("id"), "type": v.get("type"), "mode": v.get("mode"),
                        "actor": names.get(v.get("actor")) or v.get("actor_text"),
                        "target": names.get(v.get("target")) or v.get("target_text"),
                        "date": _date_label(date), "place": loc.get("name"), "negated": bool(v.get("negated"))}
        etype = str(v.get("type") or "")
        marks.append(Mark(span[0], span[1], "event", key, [f"pl-{_slug(etype)}"], {"type": etype},
                          title=f"event {etype}"))

    if evidence:
        text = (rec.get("article") or {}).get("text") or ""
        records["evidence"] = {"kind": "evidence", "span": f"{evidence[0]}–{evidence[1]}",
                               "text": text[evidence[0]:evidence[1]]}
        marks.append(Mark(evidence[0], evidence[1], "evidence", "evidence", [], {}, title="the evidence you followed"))
    return marks, records


def _date_label(date: dict | None) -> str | None:
    if not date:
        return None
    start, end = date.get("start"), date.get("end")
    if start and end and end != start:
        return f"{start} – {end}"
    return start or end or date.get("text")


# ---------------------------------------------------------------------------------------------------------------
# Small shaping helpers for templates


def _name(item: dict, role: str) -> str | None:
    return item.get(f"{role}_name") or item.get(f"{role}_text")


def evidence_links(item: dict) -> list[dict[str, Any]]:
    """Where an item's words are: one link per article mention, highlighting its span."""
    out = []
    for m in item.get("mentions") or []:
        art, span = m.get("article"), m.get("span")
        if not art:
            continue
        path = f"/articles/{quote(str(art), safe='')}"
        q = f"?mark={int(span[0])}-{int(span[1])}" if span and len(span) == 2 else ""
        out.append({"article": art, "href": f"{path}{q}#evidence" if q else path})
    if not out:
        out = [{"article": a, "href": f"/articles/{quote(str(a), safe='')}"} for a in item.get("articles") or []]
    return out


_env.globals.update(evidence_links=evidence_links, name_of=_name, date_label=_date_label)


def event_partners(entity: dict) -> list[dict]:
    """The entities this one meets in events (as actor or target), with how many events and which types."""
    partners: dict[str, dict] = {}
    for role, other in (("events_as_actor", "target"), ("events_as_target", "actor")):
        for v in entity.get(role) or []:
            oid = v.get(other)
            if not oid or oid == entity.get("id"):
                continue
            p = partners.setdefault(oid, {"id": oid, "name": v.get(f"{other}_name") or oid, "type": None,
                                          "count": 0, "types": []})
            p["count"] += 1
            if v.get("type") and v["type"] not in p["types"]:
                p["types"].append(v["type"])
    return list(partners.values())


def network(entity: dict, width: int = 760, height: int = 520) -> dict[str, Any]:
    """Positions for the entity's network drawing: the entity in the middle, the entities it meets in
    events on an ellipse around it (edge width by number of shared events), then, dashed, entities it
    only shares articles with. Positions are computed here so the page is a plain SVG without any
    script; a radial layout of one entity's neighbourhood needs no graph-layout library."""
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - 140, height / 2 - 60
    met = sorted(event_partners(entity), key=lambda n: (-n["count"], str(n["name"])))
    seen = {n["id"] for n in met}
    types = {n.get("id"): n.get("type") for n in entity.get("neighbours") or []}
    co = [{"id": n.get("id"), "name": n.get("name") or n.get("id"), "type": n.get("type"), "count": 0, "types": []}
          for n in entity.get("neighbours") or [] if n.get("id") and n.get("id") not in seen]
    chosen = (met + co)[:24]
    biggest = max([n["count"] for n in chosen] or [1]) or 1
    nodes = []
    for i, n in enumerate(chosen):
        angle = 2 * math.pi * i / max(len(chosen), 1) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + rx * cos, cy + ry * sin
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lx = x + 13 * cos
        ly = y + (4 if abs(cos) >= 0.3 else (20 if sin > 0 else -12))
        nodes.append({"id": n["id"], "name": n["name"], "type": n.get("type") or types.get(n["id"]) or "other",
                      "x": round(x, 1), "y": round(y, 1), "lx": round(lx, 1), "ly": round(ly, 1), "anchor": anchor,
                      "weight": n["count"], "met": n["count"] > 0, "types": ", ".join(n["types"]),
                      "width": round(1.5 + 4.5 * n["count"] / biggest, 1) if n["count"] else 1})
    return {"width": width, "height": height, "cx": cx, "cy": cy, "nodes": nodes, "met": len(met)}


def entity_links(request: Request, rec: dict) -> dict[str, str]:
    """Per-article entity id -> its ledger entity page.

    The stored record keeps the article's own ids (e1, e2...), so the ledger entity is found by
    name or alias and confirmed by a mention at the same place in this article (merging may have
    renamed it, e.g. "Zelenskyy" -> "Volodymyr Zelenskyy")."""
    out: dict[str, str] = {}
    ledger = request.app.state.ledger
    aid = (rec.get("article") or {}).get("id")
    for ent in rec.get("entities") or []:
        if not ent.get("name"):
            continue
        spans = {tuple(s) for s in ent.get("mentions") or []}
        try:
            found = ledger.entities(q=ent["name"], limit=50)
        except Exception:  # a failed lookup costs only the link, never the page
            found = []
        pick = next((f for f in found if any(m.get("article") == aid and tuple(m.get("span") or ()) in spans
                                              for m in f.get("mentions") or [])), None)
        pick = pick or next((f for f in found if f.get("name") == ent["name"]), None)
        if pick and pick.get("id"):
            out[ent["id"]] = f"/entities/{quote(str(pick['id']), safe='')}"
    return out


# ---------------------------------------------------------------------------------------------------------------
# Routes


VIEW_CAP = 20000  # events drawn on /map and /network; the exports and the API have no cap
TOP_EDGES = 60  # edges listed in the table under the network drawing
# Factories, not shared Query objects: FastAPI keeps per-parameter state on them (a shared one let "until"
# take the value of "since").


def ActorQ() -> Any:  # noqa: N802 - reads like the Query it returns
    return Query(None, max_length=200)


def TypeQ() -> Any:  # noqa: N802
    return Query(None, max_length=40, pattern=r"^[A-Za-z_]*$")


def DayQ() -> Any:  # noqa: N802
    return Query(None, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")


def filtered_events(request: Request, actor: str | None, type: str | None, since: str | None, until: str | None,
                    cap: int = VIEW_CAP) -> dict[str, Any]:
    """The events a view's filter form asks for, and what the form needs (the actors to choose from, the
    values chosen). Shared by /timeline, /map and /network so the three filter alike."""
    ledger = request.app.state.ledger
    actors: dict[str, str] = {}
    for v in ledger.events(limit=cap):
        if v.get("actor"):
            actors.setdefault(v["actor"], _name(v, "actor") or v["actor"])
    etype = (type or "").upper()
    events = ledger.events(type=etype or None, actor=actor or None, since=since or None, until=until or None,
                           limit=cap)
    return {"events": events, "capped": len(events) >= cap, "actor": actor, "type": etype, "since": since,
            "until": until, "actors": sorted(actors.items(), key=lambda kv: kv[1].lower())}


def map_points(events: list[dict]) -> tuple[list[dict], list[dict]]:
    """Events the map can place (at their coordinates, or at their country's centre when the ledger knows
    only the country) and those it cannot, which the page counts and lists beside the map."""
    from newsledger.ledger.export import casualties, event_place, iso_numeric

    points, unplaced = [], []
    for v in events:
        placed, lat, lon = event_place(v)
        loc = v.get("location") or {}
        country = iso_numeric(loc.get("country")) if placed == "country" else None
        if placed == "point" or country:
            figs = casualties(v)
            points.append({"id": v.get("id"), "type": v.get("type"), "lat": lat, "lon": lon, "country": country,
                           "placed": "point" if placed == "point" else "country", "place": loc.get("name"),
                           "killed": figs.get("killed", 0), "injured": figs.get("injured", 0),
                           "label": _event_label(v), "href": (evidence_links(v) or [{"href": ""}])[0]["href"]})
        else:
            unplaced.append(v)
    return points, unplaced


def register(app: FastAPI) -> None:
    """Add the page routes and the offline API docs page to ``app``."""

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> HTMLResponse:
        ledger = request.app.state.ledger
        contested = {s: ledger.claims(status=s, limit=20) for s in CONTESTED}
        counts = ledger.counts()
        # the ledger lists articles in ingestion order: the latest are the last page, newest first
        latest = list(reversed(ledger.articles(limit=12, offset=max(0, int(counts.get("articles") or 0) - 12))))
        return render(request, "overview.html", counts=counts, latest=latest, contested=contested)

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def article_list(request: Request, offset: int = Query(0, ge=0, le=10_000_000)) -> HTMLResponse:
        ledger = request.app.state.ledger
        return render(request, "articles.html", articles=ledger.articles(limit=100, offset=offset), offset=offset)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str,
                     mark: str | None = Query(None, pattern=r"^\d{1,9}-\d{1,9}$")) -> HTMLResponse:
        ledger = request.app.state.ledger
        rec = ledger.article(article_id)
        if rec is None:
            raise HTTPException(404, "no such article")
        rec = dict(rec)
        rec["_entity_links"] = entity_links(request, rec)
        evidence = None
        if mark:
            s, e = (int(x) for x in mark.split("-"))
            evidence = (s, e) if s < e else None
        text = (rec.get("article") or {}).get("text") or ""
        marks, records = article_marks(rec, evidence)
        names = {e.get("id"): e.get("name") for e in rec.get("entities") or []}
        palette = speaker_palette(rec)
        from newsledger.ledger.writer import carried_by

        return render(request, "article.html", rec=rec, art=rec.get("article") or {}, body=markup_text(text, marks),
                      records=records, names=names, links=rec["_entity_links"], palette=palette,
                      evidence=evidence, carried_by=carried_by(ledger.carriers(article_id)))

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def claims_board(request: Request, source: str | None = Query(None, max_length=200)) -> HTMLResponse:
        ledger = request.app.state.ledger
        board = {s: ledger.claims(status=s, source=source or None, limit=200) for s in STATUSES}

        source_ent = ledger.entity(source) if source and plausible_id(source) else None
        return render(request, "claims.html", board=board, source=source, source_ent=source_ent)

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline(request: Request, actor: str | None = ActorQ(), type: str | None = TypeQ(), since: str | None = DayQ(),
                 until: str | None = DayQ()) -> HTMLResponse:
        view = filtered_events(request, actor, type, since, until, cap=5000)
        points = [{"id": v.get("id"), "type": v.get("type"), "start": (v.get("date") or {}).get("start"),
                   "end": (v.get("date") or {}).get("end"), "label": _event_label(v),
                   "href": (evidence_links(v) or [{"href": ""}])[0]["href"]} for v in view["events"]]
        return render(request, "timeline.html", points=points, colours=PLOVER_COLOURS, **view)

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def event_map(request: Request, actor: str | None = ActorQ(), type: str | None = TypeQ(), since: str | None = DayQ(),
                  until: str | None = DayQ()) -> HTMLResponse:
        view = filtered_events(request, actor, type, since, until)
        points, unplaced = map_points(view["events"])
        placed = {"point": 0, "country": 0}
        for p in points:
            placed[p["placed"]] += 1
        return render(request, "map.html", points=points, unplaced=unplaced, placed=placed, colours=PLOVER_COLOURS,
                      **view)

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def actor_network_page(request: Request, actor: str | None = ActorQ(), type: str | None = TypeQ(),
                           since: str | None = DayQ(), until: str | None = DayQ(),
                           quotes: bool = Query(False)) -> HTMLResponse:
        from newsledger.ledger.export import actor_network, quote_mentions

        ledger = request.app.state.ledger
        view = filtered_events(request, actor, type, since, until)
        mentions = quote_mentions(ledger, speaker=actor) if quotes else None
        net = actor_network(view["events"], ledger.entity_names(), mentions)
        details = {v.get("id"): {"label": _event_label(v), "type": v.get("type"),
                                 "href": (evidence_links(v) or [{"href": ""}])[0]["href"]} for v in view["events"]}
        for qm in mentions or []:
            q = qm["quote"]
            words = " ".join(str(q.get("text") or "").split())
            details[q.get("id")] = {"label": f"{_name(q, 'speaker') or '?'}: “{words[:160]}{'…' if len(words) > 160 else ''}”",
                                    "type": "QUOTE", "href": evidence_links({"mentions": [qm]})[0]["href"]}
        top = sorted(net["edges"], key=lambda e: (-e["weight"], e["source"], e["target"], e["type"]))[:TOP_EDGES]
        labels = {n["id"]: n["label"] for n in net["nodes"]}
        return render(request, "network.html", net=net, details=details, top=top, labels=labels, quotes=quotes,
                      colours={**PLOVER_COLOURS, "QUOTE": QUOTE_COLOUR}, **view)

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entity_list(request: Request, q: str | None = Query(None, max_length=200),
                    type: str | None = Query(None, max_length=40)) -> HTMLResponse:
        ledger = request.app.state.ledger
        return render(request, "entities.html", entities=ledger.entities(q=q or None, type=type or None, limit=500),
                      q=q, type=type)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str) -> HTMLResponse:

        ledger = request.app.state.ledger
        ent = ledger.entity(entity_id) if plausible_id(entity_id) else None
        if ent is None:
            raise HTTPException(404, "no such entity")
        return render(request, "entity.html", ent=ent, net=network(ent))

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes(request: Request, speaker: str | None = Query(None, max_length=200),
               q: str | None = Query(None, max_length=200)) -> HTMLResponse:
        ledger = request.app.state.ledger
        speakers: dict[str, str] = {}
        for item in ledger.quotes(limit=5000):
            if item.get("speaker"):
                speakers.setdefault(item["speaker"], _name(item, "speaker") or item["speaker"])
        found = ledger.quotes(speaker=speaker or None, q=q or None, limit=500)
        return render(request, "quotes.html", quotes=found, speaker=speaker, q=q,
                      speakers=sorted(speakers.items(), key=lambda kv: kv[1].lower()))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, q: str | None = Query(None, max_length=200)) -> HTMLResponse:
        ledger = request.app.state.ledger
        hits = ledger.search(q, limit=100) if q else []
        return render(request, "search.html", hits=hits, q=q, search_q=q)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return render(request, "docs.html")


def _event_label(v: dict) -> str:
    actor = _name(v, "actor") or "?"
    target = _name(v, "target")
    date = _date_label(v.get("date"))
    s = f"{v.get('type')}: {actor}" + (f" → {target}" if target else "")
    return s + (f" ({date})" if date else "")
