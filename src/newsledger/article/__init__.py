"""Article stage: a raw document -> clean body text and its metadata.

Produces ``record["article"]``: title, subtitle, authors, contributors,
publisher, publication instant with offset, the body as ``text`` with
paragraph offsets, and every line that was dropped in ``removed`` with the
reason (nothing disappears silently).
"""

from __future__ import annotations

import re
from typing import Any

from newsledger.article.html import from_html, from_nitf
from newsledger.article.meta import (  # noqa: F401  (re-exported: the article stage's helpers)
    agencies_in,
    from_body,
    from_text,
    normalize_published,
    parse_instant,
    people_and_agencies,
    person_name,
    plausible,
    publisher_name,
    wire_dateline,
)
from newsledger.article.repair import repair
from newsledger.read import Document
from newsledger.record import NewsledgerError, content_id


def join_paragraphs(paras: list[str]) -> tuple[str, list[list[int]]]:
    """Paragraphs -> the article text (joined by a blank line) and each paragraph's [start, end] in it."""
    spans, pos = [], 0
    for p in paras:
        spans.append([pos, pos + len(p)])
        pos += len(p) + 2
    return "\n\n".join(paras), spans


def assemble(fields: dict[str, Any], doc: Document, url: str | None = None,
             published: str | None = None) -> dict[str, Any]:
    """Join paragraphs into ``text`` with offsets and fill the SPEC's article fields."""
    paras = [re.sub(r"\s+", " ", p).strip() for p in fields.pop("paragraph_texts")]
    paras = [p for p in paras if p]
    if not paras:
        raise NewsledgerError(f"{doc.source or 'input'}: no article text found")
    text, spans = join_paragraphs(paras)
    # the document's own dateline or metadata first; --published and a JSON line's "published" fill the gap
    pub = plausible(fields.get("published")) or normalize_published(published) or normalize_published(doc.published)
    the_url = url or doc.url or fields.get("url")
    credits = [r["text"] for r in fields.get("removed") or [] if "byline" in r["reason"]] + fields.get("credits", [])
    dateline = wire_dateline(text)
    if dateline is not None and dateline[1]:
        credits.append(dateline[1])  # "(Reuters)" in "CAIRO, May 21 (Reuters) - ": the agency that filed it
    authors, agencies = people_and_agencies(fields.get("authors") or [], credits)
    art = {
        "id": doc.id or content_id(text),
        "url": the_url,
        "publisher": publisher_name(fields.get("publisher"), the_url),
        "title": fields.get("title"),
        "subtitle": fields.get("subtitle"),
        "authors": authors,
        "contributors": fields.get("contributors") or [],
        "agencies": agencies,
        "published": pub,
        "language": None,
        "text": text,
        "paragraphs": spans,
        "removed": fields.get("removed") or [],
    }
    return art


_SURROGATE = re.compile("[\ud800-\udfff]")

def build(doc: Document, url: str | None = None, published: str | None = None) -> dict[str, Any]:
    """The article part of the record for ``doc``. Raises NewsledgerError on unusable input."""
    if doc.error:
        raise NewsledgerError(doc.error)
    # JSON lines and API bodies can carry lone surrogates ("\ud800"); they cannot be encoded to UTF-8
    # anywhere downstream (database, JSON output), so they become U+FFFD here, once.
    for attr in ("text", "html", "nitf"):
        value = getattr(doc, attr)
        if value is not None and _SURROGATE.search(value):
            setattr(doc, attr, _SURROGATE.sub("\ufffd", value))
    fixes: set[str] = set()
    text = repair(doc.text, fixes) if doc.text is not None else None  # a capture's header lines are read repaired
    try:
        if doc.html is not None:
            fields = from_html(doc.html, doc.url or url)
        elif doc.nitf is not None:
            fields = from_nitf(doc.nitf)
        elif doc.meta.get("body_only"):
            fields = from_body(text or "")
        else:
            fields = from_text(text or "")
        if doc.meta.get("title") and not fields.get("title"):
            fields["title"] = doc.meta["title"]
    except NewsledgerError as err:
        if doc.source and not str(err).startswith(doc.source):
            raise NewsledgerError(f"{doc.source}: {err}") from None
        raise
    for key in ("title", "subtitle", "publisher"):
        if isinstance(fields.get(key), str):
            fields[key] = " ".join(repair(fields[key], fixes).split()) or None
    for key in ("authors", "contributors"):
        fields[key] = [" ".join(repair(n, fixes).split()) for n in fields.get(key) or []]
    if doc.text is None:  # HTML and NITF: the markup is parsed as it came, the strings read from it repaired
        fields["paragraph_texts"] = [repair(p, fixes) for p in fields["paragraph_texts"]]
    art = assemble(fields, doc, url, published)
    if fixes:
        art["repaired"] = sorted(fixes)
    return art
