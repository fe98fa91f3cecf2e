"""``--format md``: a record as a report a person reads in a terminal."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

STATUS_ORDER = ("contradicted", "denied", "unverified", "asserted")


def _name(rec: dict[str, Any], eid: str | None, fallback: str | None = None) -> str:
    for ent in rec.get("entities", []):
        if ent["id"] == eid:
            return ent["name"]
    return fallback or "(unattributed)"


def markdown(rec: dict[str, Any]) -> str:
    a = rec["article"]
    lines = [f"# {a.get('title') or '(untitled)'}", ""]
    if a.get("subtitle"):
        lines += [f"_{a['subtitle']}_", ""]
    meta = [x for x in (", ".join(a.get("authors") or []), a.get("publisher"), a.get("published")) if x]
    lines += [" · ".join(meta) or "(no byline, publisher or date)", ""]
    if a.get("contributors"):
        lines += [f"Contributors: {', '.join(a['contributors'])}", ""]
    by_speaker: dict[str, list[str]] = defaultdict(list)
    for q in rec.get("quotes", []):
        by_speaker[_name(rec, q.get("speaker"), q.get("speaker_text"))].append(q["text"])
    lines += ["## Quotes by speaker", ""]
    for speaker, quotes in by_speaker.items():
        lines.append(f"**{speaker}**")
        lines += [f"- “{t}”" for t in quotes]
        lines.append("")
    if not by_speaker:
        lines += ["(none)", ""]
    lines += ["## Claims by status", ""]
    claims = rec.get("claims", [])
    for status in STATUS_ORDER:
        group = [c for c in claims if c.get("status") == status]
        if not group:
            continue
        lines.append(f"### {status} ({len(group)})")
        for c in group:
            cue = f" — _{c['status_cue']}_" if c.get("status_cue") else ""
            lines.append(f"- {_name(rec, c.get('source'), c.get('source_text'))}: {c['text']}{cue}")
        lines.append("")
    if not claims:
        lines += ["(none)", ""]
    lines += ["## Timeline", ""]
    events = sorted(rec.get("events", []), key=lambda e: ((e.get("date") or {}).get("start") or "9999"))
    for e in events:
        d = e.get("date") or {}
        when = d.get("start") or "undated"
        if d.get("end") and d.get("end") != d.get("start"):
            when += f" … {d['end']}"
        where = f" @ {e['location']['name']}" if e.get("location") else ""
        neg = " (negated)" if e.get("negated") else ""
        actor = _name(rec, e.get("actor"), e.get("actor_text") or "?")
        target = _name(rec, e.get("target"), e.get("target_text") or "—")
        lines.append(f"- {when}: **{e['type']}**{neg} {actor} → {target}{where}")
    if not events:
        lines.append("(none)")
    return "\n".join(lines) + "\n"
