"""Check a record against the contract: the JSON Schema (``data/record.schema.json``, also shipped as
``schema/record.json``) and what a schema cannot say — every span lies inside ``article.text``, an item's
``text`` is exactly the text its span points at, ids are unique and every reference resolves.

A reader of the ledger trusts that each item points back to its words; this is the check that it does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from newsledger.record import NewsledgerError

# sections whose items carry both "text" and "span": text[start:end] must equal the item's text
TEXT_SECTIONS = ("quotes", "claims", "figures", "timexes")
ID_SECTIONS = ("entities", "quotes", "claims", "events", "figures")


@cache
def schema() -> dict[str, Any]:
    """The record's JSON Schema (draft 2020-12), as shipped in the package."""
    from newsledger import data

    return data.load("record.schema.json")


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def _where(path: Any) -> str:
    return "/".join(str(p) for p in path) or "(record)"


def schema_problems(rec: Any) -> list[str]:
    """Schema violations, one line each ('entities/3/mentions/0: ...')."""
    errors = sorted(_validator().iter_errors(rec), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{_where(e.absolute_path)}: {_short(e.message)}" for e in errors]


def _short(message: str, limit: int = 200) -> str:
    # jsonschema quotes the whole offending value, which for article text can be megabytes
    return message if len(message) <= limit else message[:limit] + "..."


def _is_span(x: Any) -> bool:
    return isinstance(x, list) and len(x) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in x)


def span_problems(rec: dict[str, Any]) -> list[str]:
    """Spans outside the text, reversed, or whose text differs from the item's; duplicate ids; dangling references."""
    out: list[str] = []
    art = rec.get("article") if isinstance(rec.get("article"), dict) else {}
    text = art.get("text") if isinstance(art.get("text"), str) else ""
    n = len(text)

    def check(where: str, span: Any, expect: Any = None) -> None:
        if not _is_span(span):
            return  # the schema reports the shape
        s, e = span
        if not 0 <= s <= e <= n:
            out.append(f"{where}: span [{s}, {e}] outside the text (length {n})")
        elif isinstance(expect, str) and text[s:e] != expect:
            out.append(f"{where}: text {_short(expect, 60)!r} != text[{s}:{e}] {_short(text[s:e], 60)!r}")

    for i, p in enumerate(art.get("paragraphs") or []):
        check(f"article/paragraphs/{i}", p)
    ids: dict[str, str] = {}
    for section in ID_SECTIONS + ("timexes", "places"):
        items = rec.get(section)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            where = f"{section}/{i}"
            check(where + "/span", item.get("span"), item.get("text") if section in TEXT_SECTIONS else None)
            for j, m in enumerate(item.get("mentions") or [] if section == "entities" else []):
                check(f"{where}/mentions/{j}", m)
            for j, c in enumerate(item.get("contradicted_by") or [] if section == "claims" else []):
                check(f"{where}/contradicted_by/{j}", c)
            if section in ID_SECTIONS and isinstance(item.get("id"), str):
                if item["id"] in ids:
                    out.append(f"{where}: duplicate id {item['id']!r} (also {ids[item['id']]})")
                ids.setdefault(item["id"], where)
    out.extend(_reference_problems(rec, ids))
    return out


def _reference_problems(rec: dict[str, Any], ids: dict[str, str]) -> list[str]:
    """Every id a record item names must be an item of the same record."""
    refs: list[tuple[str, Any]] = []
    for section, fields in (("entities", ("affiliation",)), ("quotes", ("speaker",)), ("claims", ("source",)),
                            ("events", ("actor", "target", "claim")), ("places", ("entity",))):
        for i, item in enumerate(rec.get(section) or []):
            if not isinstance(item, dict):
                continue
            refs += [(f"{section}/{i}/{f}", item.get(f)) for f in fields]
            if section == "events":
                refs += [(f"{section}/{i}/figures/{j}", x) for j, x in enumerate(item.get("figures") or [])]
            if section == "claims":
                refs += [(f"{section}/{i}/contradicted_by/{j}", x) for j, x in enumerate(item.get("contradicted_by") or [])
                         if isinstance(x, str)]
    return [f"{where}: {ref!r} is not an item of this record" for where, ref in refs
            if isinstance(ref, str) and ref not in ids]


def problems(rec: Any) -> list[str]:
    """Everything wrong with ``rec``; empty when it is a valid newsledger.record/1."""
    found = schema_problems(rec)
    if isinstance(rec, dict):
        found += span_problems(rec)
    return found


def validate(rec: Any) -> None:
    """Raise NewsledgerError naming the first problems when ``rec`` is not a valid record."""
    found = problems(rec)
    if found:
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise NewsledgerError("invalid record: " + "; ".join(found[:3]) + more)
