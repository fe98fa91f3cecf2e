"""HTML pages and IPTC NITF wire XML -> article fields (see article.py for the contract)."""

from __future__ import annotations

from typing import Any

from newsledger.record import NewsledgerError


def from_html(html: str, url: str | None = None) -> dict[str, Any]:
    """Body via trafilatura; metadata from the page's own JSON-LD / OpenGraph / meta tags."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=False,
                                            favor_precision=True, with_metadata=True)
    if extracted is None:
        raise NewsledgerError("HTML page: no article text found")
    d = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = d.get("text") or ""
    paras = [p for p in body.split("\n") if p.strip()]
    authors = [a.strip() for a in (d.get("author") or "").split(";") if a.strip()]
    return {"title": d.get("title"), "subtitle": d.get("description"), "authors": authors, "contributors": [],
            "publisher": d.get("sitename"), "published": d.get("date"), "url": d.get("url") or url,
            "paragraph_texts": paras, "removed": []}


def from_nitf(xml: str) -> dict[str, Any]:
    """IPTC NITF: headline (hl1), subheadline (hl2), byline, dateline, body paragraphs."""
    from lxml import etree

    try:
        root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(recover=True, resolve_entities=False,
                                                                            no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as err:
        raise NewsledgerError(f"NITF XML: {err}") from None
    if root is None:
        raise NewsledgerError("NITF XML: unreadable document")

    def first(path: str) -> str | None:
        el = root.find(path)
        return " ".join("".join(el.itertext()).split()) if el is not None else None

    paras = [" ".join("".join(p.itertext()).split()) for p in root.iter("p")]
    byline = first(".//byline/person") or first(".//byline") or ""
    import re
    byline = re.sub(r"^by\s+", "", byline, flags=re.I)
    date = root.find(".//date.issue")
    return {"title": first(".//hl1"), "subtitle": first(".//hl2"),
            "authors": [b.strip() for b in re.split(r",|\band\b", byline) if b.strip()],
            "contributors": [], "publisher": first(".//doc.copyright") and root.find(".//doc.copyright").get("holder"),
            "published": date.get("norm") if date is not None else None,
            "paragraph_texts": paras, "removed": []}
