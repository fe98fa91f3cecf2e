"""``--format md``: a record as a report a person reads in a terminal.

Headline, source and date first; then who said what (quotes by speaker), what is
claimed and how well it stands (claims by status, weakest standing first), and
what happened when (events as a dated timeline). Only SPEC fields are read.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

QUOTE_MARKS = " \"“”‘’'"
STATUS_ORDER = ("contradicted", "denied", "unverified", "asserted")
STATUS_NOTE = {"contradicted": "the text reports evidence against these",
               "denied": "a party in the text denies these",
               "unverified": "the text flags missing support",
               "asserted": "reported without qualification"}


def _name(rec: dict[str, Any], eid: str | None, fallback: str | None = None) -> str:
    for ent in rec.get("entities", []):
        if ent["id"] == eid:
            return ent["name"]
    return fallback or "(unattributed)"


def _ref(item: Any) -> str:
    """A contradicted_by entry: an id, or a [start, end] span into the text."""
    if isinstance(item, list | tuple) and len(item) == 2:
        return f"text {item[0]}–{item[1]}"
    return str(item)


def _when(date: dict[str, Any] | None) -> str:
    d = date or {}
    start, end = d.get("start"), d.get("end")
    if not start:
        return "undated"
    when = f"{start} … {end}" if end and end != start else str(start)
    if d.get("precision") and d["precision"] != "day":
        when += f" ({d['precision']})"
    return when


def markdown(rec: dict[str, Any]) -> str:
    """The report for one record, as Markdown text ending in a newline."""
    a = rec["article"]
    lines = [f"# {a.get('title') or '(untitled)'}", ""]
    if a.get("subtitle"):
        lines += [f"_{a['subtitle']}_", ""]
    source = " · ".join(x for x in (a.get("publisher"), a.get("url")) if x)
    lines.append(f"**Source:** {source or '(unknown)'}  ")
    lines.append(f"**Published:** {a.get('published') or '(no date)'}  ")
    if a.get("authors"):
        lines.append(f"**By:** {', '.join(a['authors'])}  ")
    if a.get("contributors"):
        lines.append(f"**Contributors:** {', '.join(a['contributors'])}  ")
    words = len((a.get("text") or "").split())
    lines += [f"**Article:** {words} words, {len(a.get('paragraphs') or [])} paragraphs, "
              f"{len(a.get('removed') or [])} furniture lines removed", ""]
    analysis = rec.get("analysis") or {}
    if analysis.get("ran") is False:  # another language: the text as read, and why nothing else is there
        lines += [f"**Analysis did not run:** {analysis.get('reason') or 'no reason given'}", "", "## Text", ""]
        for s, e in a.get("paragraphs") or []:
            lines += [a["text"][s:e], ""]
        return "\n".join(lines)


    by_speaker: dict[str, list[str]] = defaultdict(list)
    for q in rec.get("quotes", []):
        by_speaker[_name(rec, q.get("speaker"), q.get("speaker_text"))].append(q["text"])
    lines += [f"## Quotes by speaker ({len(rec.get('quotes', []))})", ""]
    for speaker, quotes in sorted(by_speaker.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"**{speaker}**")
        lines += ["- “" + t.strip(QUOTE_MARKS) + "”" for t in quotes]
        lines.append("")
    if not by_speaker:
        lines += ["(none)", ""]

    claims = rec.get("claims", [])
    lines += [f"## Claims by status ({len(claims)})", ""]
    for status in STATUS_ORDER + tuple(sorted({c.get("status") or "unknown" for c in claims} - set(STATUS_ORDER))):
        group = [c for c in claims if (c.get("status") or "unknown") == status]
        if not group:
            continue
        note = f" — {STATUS_NOTE[status]}" if status in STATUS_NOTE else ""
        lines.append(f"### {status} ({len(group)}){note}")
        for c in group:
            cue = f" _[{c['status_cue']}]_" if c.get("status_cue") else ""
            against = f" (contradicted by {', '.join(map(_ref, c['contradicted_by']))})" if c.get("contradicted_by") else ""
            lines.append(f"- **{_name(rec, c.get('source'), c.get('source_text'))}**: {c['text']}{cue}{against}")
        lines.append("")
    if not claims:
        lines += ["(none)", ""]

    events = sorted(rec.get("events", []), key=lambda e: ((e.get("date") or {}).get("start") or "9999"))
    lines += [f"## Timeline ({len(events)} events)", ""]
    figures = {f["id"]: f for f in rec.get("figures", [])}
    for e in events:
        loc = e.get("location") or {}
        where = f" @ {loc['name']}" + (f", {loc['country']}" if loc.get("country") else "") if loc.get("name") else ""
        neg = " (negated)" if e.get("negated") else ""
        mode = f" [{e['mode']}]" if e.get("mode") else ""
        actor = _name(rec, e.get("actor"), e.get("actor_text") or "?")
        target = _name(rec, e.get("target"), e.get("target_text") or "—")
        figs = [figures[f]["text"] for f in e.get("figures") or [] if f in figures]
        extra = f"; {', '.join(figs)}" if figs else ""
        per = f" (per claim {e['claim']})" if e.get("claim") else ""
        lines.append(f"- {_when(e.get('date'))}: **{e['type']}**{mode}{neg} {actor} → {target}{where}{extra}{per}")
    if not events:
        lines.append("(none)")
    return "\n".join(lines) + "\n"
