"""HTML pages and IPTC NITF wire XML -> article fields (see article.py for the contract).

The body comes from trafilatura (options chosen by measuring on the pages in
tests/pages and bench/article_bench.py). Metadata comes from what the page says
about itself, most explicit first: JSON-LD ``NewsArticle``, then OpenGraph and
``article:`` meta tags, then ``<time datetime>``, then trafilatura's guesses.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from typing import Any

from newsledger import data
from newsledger.record import NewsledgerError

# libxml2's HTML parser silently drops content nested deeper than 256 elements unless asked for huge trees
# (XML_PARSE_HUGE, lxml's huge_tree), which lifts its limit to 2048. Real pages built from nested layout
# components do reach a few hundred levels; read them (measured: 1,900 levels parse and extract in under a
# second, trafilatura's passes included). Thousands of levels are never news but a broken or hostile page:
# refused before parsing, with a clear message, below libxml2's own limit so nothing is dropped silently.
# Time (--time-budget) and memory (MAX_HTML_CHARS) bound the rest.
MAX_DEPTH = 1500
MAX_HTML_CHARS = 20_000_000
MIN_WORDS = 12
ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                 "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report",
                 "socialmediaposting", "webpage"}
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
             "p", "li", "option", "td", "tr", "th", "dt", "dd"}


# scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese)
UNSPACED_RE = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Words in ``text``, for the 'is this an article' thresholds: space-separated words, plus about one word per
    two characters of a script written without spaces (a Japanese article is otherwise 'three words')."""
    return len(text.split()) + len(UNSPACED_RE.findall(text)) // 2


def _clean(s: Any) -> str:
    return " ".join(str(s).split()) if s is not None else ""


def nesting_depth(html: str, limit: int = MAX_DEPTH) -> int:
    """Approximate element depth, stopping once past ``limit``.

    A regex scan, not a parser, because the point is to look before a parser recurses.
    Tags HTML lets authors leave open (p, li, td...) are not counted.
    """
    depth = peak = 0
    for m in TAG_RE.finditer(html):
        name = m.group(2).lower()
        if m.group(3) or name in VOID_TAGS:
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > peak:
                peak = depth
                if peak > limit:
                    break
    return peak


def _parse(html: str) -> Any:
    import lxml.html
    from lxml import etree

    if len(html) > MAX_HTML_CHARS:
        raise NewsledgerError(f"HTML page too large ({len(html) / 1e6:.0f} M characters)")
    if nesting_depth(html) > MAX_DEPTH:
        raise NewsledgerError(f"HTML page nested more than {MAX_DEPTH} elements deep: refusing a broken or hostile page")
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)  # lxml refuses str input that declares an encoding
    try:
        tree = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(remove_comments=True,
                                                                                no_network=True, huge_tree=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise NewsledgerError(f"HTML page: unreadable ({_clean(err)[:100] or 'empty document'})") from None
    # Real news pages hold a few thousand elements. trafilatura's pruning grows faster than linearly with the
    # element count, in C code that no time budget can interrupt, so a page of 100k+ ad blocks is refused.
    n_elements = sum(1 for _ in tree.iter())
    if n_elements > MAX_ELEMENTS:
        raise NewsledgerError(f"HTML page has {n_elements} elements > {MAX_ELEMENTS} limit: "
                              "not an article page (a listing, a feed or a hostile page)")
    return tree


# ------------------------------------------------------------------ metadata

def _jsonld_objects(tree: Any) -> Iterator[dict]:
    """Every JSON object in the page's ld+json scripts, @graph and lists flattened."""
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?://)?\s*<!\[CDATA\[|\]\]>\s*$", "", raw)
        try:
            obj = json.loads(raw)
        except ValueError:
            try:  # common breakage: raw newlines inside strings
                obj = json.loads(raw.replace("\n", " ").replace("\r", " "))
            except ValueError:
                continue
        stack = [obj]
        while stack:
            o = stack.pop(0)
            if isinstance(o, list):
                stack.extend(o)
            elif isinstance(o, dict):
                yield o
                if isinstance(o.get("@graph"), list):
                    stack.extend(o["@graph"])
                if isinstance(o.get("mainEntity"), dict):
                    stack.append(o["mainEntity"])


def _types(o: dict) -> set[str]:
    t = o.get("@type")
    return {str(x).lower() for x in (t if isinstance(t, list) else [t]) if x}


def _jsonld_article(tree: Any) -> dict:
    best: dict = {}
    for o in _jsonld_objects(tree):
        types = _types(o)
        if types & ARTICLE_TYPES and (o.get("headline") or o.get("datePublished")):
            if not best or ("webpage" in _types(best) and "webpage" not in types):
                best = o
    return best


def _names(value: Any, kinds: set[str] | None = None) -> list[str]:
    """Names in a JSON-LD author/publisher value (string, object or list); objects of other types skipped."""
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, str):
            out.append(_clean(v))
        elif isinstance(v, dict):
            if kinds and _types(v) and not (_types(v) & kinds):
                continue
            name = v.get("name")
            if isinstance(name, str):
                out.append(_clean(name))
    return [n for n in out if n]


def _meta(tree: Any, *keys: str) -> str | None:
    """First non-empty <meta> content whose property/name/itemprop is one of ``keys`` (in that order)."""
    for key in keys:
        for el in tree.xpath("//meta[@property=$k or @name=$k or @itemprop=$k]", k=key):
            v = _clean(el.get("content"))
            if v:
                return v
    return None


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """'Headline | Site' / 'Headline - Site' / 'Site: Headline' -> 'Headline'."""
    t = _clean(title)
    norm_sites = {re.sub(r"^the\s+|\W+", "", s.lower()) for s in site_names if s}
    for sep in (" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » "):
        if sep not in t:
            continue
        head, _, tail = t.rpartition(sep)
        key = re.sub(r"^the\s+|\W+", "", tail.lower())
        known = key in norm_sites or bool(re.search(r"\.(?:com|org|net|co\.uk|news)$", tail.lower()))
        # " | X" is almost always a site or section name; a dash may belong to the headline itself
        if known or (sep.strip() in "|::·" and len(tail.split()) <= 5 and len(head.split()) >= 3):
            return strip_site_suffix(head, site_names)
    for s in site_names:
        if s and t.lower().startswith(s.lower() + ": "):
            return t[len(s) + 2:].strip()
    return t


def clean_authors(names: list[str], publisher: str | None) -> list[str]:
    """People only: no 'Staff', no outlet, no URLs; 'By A and B' split into two."""
    not_people = set(data.load("furniture.json")["not_people"])
    pub = (publisher or "").lower().removeprefix("the ")
    out: list[str] = []
    for raw in names:
        raw = re.sub(r"^(?:by|written by|words by|reporting by)\s+", "", _clean(raw), flags=re.I)
        raw = re.sub(r"\s*[|,]\s*(?:the\s+)?(?:associated press|reuters|afp|staff.*)$", "", raw, flags=re.I)
        for n in re.split(r"\s*(?:,|;|\band\b|&)\s*", raw):
            n = n.strip(" .")
            low = n.lower()
            if (not n or low in not_people or low.removeprefix("the ") == pub or "staff" in low or "/" in n
                    or "@" in n or any(c.isdigit() for c in n) or not 1 <= len(n.split()) <= 5
                    or not n[0].isupper()):
                continue
            if n not in out:
                out.append(n)
    return out


BYLINE_RE = re.compile(r"(?:^|\s)[Bb]y\s+((?:[A-Z][\w'.-]+\s?){2,4}(?:(?:,|\sand|\s&)\s+(?:[A-Z][\w'.-]+\s?){2,4})*)\s*$")


# Elements a page may have at most (news articles: 1,000-10,000, including navigation and footers).
MAX_ELEMENTS = 40_000
# Elements the byline and furniture heuristics look at, at most (both are linear scans over the page).
MAX_SCAN = 4000


def _byline_in_page(tree: Any) -> list[str]:
    """'By Jane Doe' / 'Posted 7 June by Jane Doe' in a short element before the body, for pages without metadata."""
    # a byline sits near the top: the first elements suffice, and a page of 100k ad divs stays fast
    for el in tree.xpath("//body//*[self::div or self::p or self::span or self::address or self::li]")[:MAX_SCAN]:
        text = _clean(" ".join(el.itertext()))
        if len(text) > 150:
            if el.tag == "p":
                break  # the body has started
            continue
        m = BYLINE_RE.search(text)
        if m:
            return [m.group(1)]
    return []


def page_metadata(tree: Any) -> dict[str, Any]:
    """Title, subtitle, authors, publisher, published and url that the page declares about itself."""

    ld = _jsonld_article(tree)
    publisher = (_names(ld.get("publisher"), {"organization", "newsmediaorganization"})[:1] or [None])[0] \
        or _meta(tree, "og:site_name", "application-name", "publisher")
    h1 = tree.xpath("//h1")
    h1_text = _clean(h1[0].text_content()) if h1 else None
    title_tag = tree.find(".//title")
    raw_title = (_clean(ld.get("headline")) or _meta(tree, "og:title", "twitter:title")
                 or (_clean(title_tag.text_content()) if title_tag is not None else None) or h1_text)
    if raw_title and "&" in raw_title and "<" not in raw_title:
        raw_title = html_lib.unescape(raw_title)  # JSON-LD keeps entities ('&#8211; Site'): unescape, then split
    title = strip_site_suffix(raw_title, [publisher or ""]) if raw_title else None
    subtitle = _clean(ld.get("alternativeHeadline")) or _clean(ld.get("description")) or \
        _meta(tree, "og:description", "description", "twitter:description")
    # every credit the page gives, people or not: agencies are found in them (article.people_and_agencies)
    credits = _names(ld.get("author")) + _names(ld.get("creator"))
    authors = clean_authors(_names(ld.get("author"), {"person"}), publisher)
    meta_author = _meta(tree, "author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author")
    if meta_author and not meta_author.startswith("http"):
        credits.append(meta_author)
        if not authors:
            authors = clean_authors([meta_author], publisher)
    if not authors:
        rel = [_clean(el.text_content()) for el in tree.xpath('//*[@rel="author" or @itemprop="author"]')[:4]]
        credits += rel
        authors = clean_authors(rel, publisher)
    if not authors:
        in_page = _byline_in_page(tree)
        credits += in_page
        authors = clean_authors(in_page, publisher)
    return {"title": title or None, "subtitle": subtitle or None, "authors": authors, "credits": credits,
            "publisher": publisher, "published": _published(tree, ld), "url": _page_url(tree, ld), "h1": h1_text}


# where pages state their publication instant, most explicit first
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datePublished", "pubdate", "publish-date",
                  "publish_date", "parsely-pub-date", "sailthru.date", "article.published", "dc.date.issued",
                  "dcterms.issued", "dcterms.created", "dc.date", "date")


def _published(tree: Any, ld: dict) -> str | None:
    """The publication instant with the time of day and offset the page states: the first source that gives a
    date, or a later source that gives the same day with its time (a page's meta date is often the day alone)."""
    from newsledger.article.meta import normalize_published

    cands: list[Any] = [ld.get("datePublished")]
    cands += [_meta(tree, key) for key in PUBLISHED_META]
    cands += [t.get("datetime") for t in tree.xpath("//article//time[@datetime] | //time[@datetime]")[:3]]
    cands.append(ld.get("dateCreated"))
    found: list[str] = []
    for cand in cands:
        if cand and isinstance(cand, str | int | float):
            try:
                value = normalize_published(str(cand))
            except (ValueError, OverflowError):
                value = None
            if value:
                found.append(value)
    if not found:
        return None
    first = found[0]
    if "T" not in first:
        return next((v for v in found[1:] if v.startswith(first) and "T" in v), first)
    if not re.search(r"(?:Z|[+-]\d{2}:\d{2})$", first):  # a local time: another source may give its offset
        return next((v for v in found[1:] if v.startswith(first[:16]) and re.search(r"[+-]\d{2}:\d{2}$", v)), first)
    return first


def _page_url(tree: Any, ld: dict) -> str | None:
    url = _clean(ld.get("url")) if isinstance(ld.get("url"), str) else None
    url = url or _meta(tree, "og:url")
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    return url or (canonical[0] if canonical else None)


# ------------------------------------------------------------------ furniture

FURNITURE_CLASSES = [
    ("cookie notice", r"cookie|consent|gdpr|cmp-"),
    ("share bar", r"share|social"),
    ("related links", r"related|recommend|more-stories|read-more|readmore|trending|most-popular|most-read|outbrain|taboola"),
    ("newsletter prompt", r"newsletter|subscribe|signup|sign-up|paywall"),
    ("comments", r"comment|disqus|discussion"),
    ("advertisement", r"(?:^|[-_\s])ads?(?:$|[-_\s])|advert|sponsor|promo"),
    ("navigation", r"(?:^|[-_\s])nav|menu|breadcrumb"),
]


def _furniture_elements(tree: Any) -> list[tuple[str, Any]]:
    """Elements that are site furniture by their tag or class/id, outermost only."""
    out: list[tuple[str, Any]] = []
    pats = [(r, re.compile(p, re.I)) for r, p in FURNITURE_CLASSES]
    stack = [tree]
    while stack:  # depth-first, not descending into furniture already found
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        reason = {"nav": "navigation", "footer": "page footer", "aside": "sidebar"}.get(tag)
        if reason is None and tag not in ("html", "body", "article", "main", "head", "script", "style"):
            attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
            if el.get("role") == "navigation":
                reason = "navigation"
            else:
                reason = next((r for r, p in pats if p.search(attrs)), None)
        if reason:
            out.append((reason, el))
        elif tag not in ("head", "script", "style"):
            stack.extend(reversed(el))
    return out


# ------------------------------------------------------------------ body

# Measured with `python bench/article_bench.py --compare-options` (tests/pages + 60 bench pages with nav,
# cookie banner, share bar, related links, comments): every option set kept 0 furniture strings and lost
# 1 of 509 body paragraphs, except favor_recall (2 lost, 2.3x slower); fast (no readability/jusText
# fallback) ran 1.7x faster. So: precision + fast, and the full fallback run only when the fast pass finds
# less than a short article (unusual layouts are where the fallbacks earn their cost).
TRAFILATURA_OPTIONS = {"favor_precision": True, "include_comments": False, "include_tables": False,
                       "include_images": False, "include_links": False, "deduplicate": False}
FALLBACK_BELOW_WORDS = 60


def _extract(trafilatura: Any, tree: Any, url: str | None, fast: bool) -> dict[str, Any]:
    """trafilatura's result as a dict ({} when it finds nothing); it works on copies, so ``tree`` can be reused."""
    extracted = trafilatura.bare_extraction(tree, url=url, with_metadata=True, fast=fast, **TRAFILATURA_OPTIONS)
    if extracted is None:
        return {}
    return extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)


def from_html(html: str, url: str | None = None) -> dict[str, Any]:
    """Body via trafilatura; metadata from the page's own JSON-LD / OpenGraph / meta tags."""
    import trafilatura

    from newsledger.article.meta import DATELINE_RE, contributor_names, furniture_reason

    tree = _parse(html)
    meta = page_metadata(tree)
    furniture = [(reason, _clean(" ".join(el.itertext()))) for reason, el in _furniture_elements(tree)]
    d = _extract(trafilatura, tree, url, fast=True)
    if word_count(d.get("text") or "") < FALLBACK_BELOW_WORDS:
        d = _extract(trafilatura, tree, url, fast=False) or d
    if not d:
        raise NewsledgerError("HTML page: no article text found")
    removed: list[dict[str, str]] = []
    paras: list[str] = []
    contributors: list[str] = []
    title_keys = {(meta["title"] or "").lower(), (meta["h1"] or "").lower()} - {""}
    for line in (d.get("text") or "").split("\n"):
        line = _clean(line)
        if not line:
            continue
        reason = furniture_reason(line)
        if reason is None and not paras:
            if line.lower() in title_keys:
                continue  # the headline repeated at the top of the body
            if re.match(r"^by\s+[A-Z]", line) and len(line) < 100:
                reason = "byline"
            elif DATELINE_RE.match(line):
                reason = "dateline"
        names = contributor_names(line) if reason is None else None
        if names:
            contributors += [n for n in names if n not in contributors]
            reason = "contributor line"
        if reason:
            removed.append({"text": line, "reason": reason})
        else:
            paras.append(line)
    body = "\n".join(paras)
    if word_count(body) < MIN_WORDS:  # a menu or a link list that trafilatura's fallback kept
        raise NewsledgerError(f"HTML page: no article text found (only {word_count(body)} words of text)")
    seen = {t for _, t in furniture}
    for el in tree.xpath("//body//*[self::div or self::p or self::li or self::span or self::section or self::h2"
                         " or self::h3 or self::h4]")[:MAX_SCAN]:  # bounded: furniture listing is a report
        if len(el) > 6 or el.xpath("./div|./p|./section|./article"):
            continue  # only leaf-like blocks: a container's lines are looked at one by one
        text = _clean(" ".join(el.itertext()))
        reason = furniture_reason(text) if 3 <= len(text) <= 300 else None
        if reason and text not in seen and text not in body and all(text not in r["text"] for r in removed) \
                and all(text not in t for _, t in furniture):
            furniture.append((reason, text))
            seen.add(text)
    for reason, text in furniture:
        if len(text) >= 3 and text not in body and not any(p[:80] in text for p in paras):
            removed.append({"text": text[:300], "reason": reason})
    authors = meta["authors"] or clean_authors([a for a in (d.get("author") or "").split(";")],
                                               meta["publisher"] or d.get("sitename"))
    publisher = meta["publisher"] or d.get("sitename")
    title = meta["title"] or (strip_site_suffix(d["title"], [publisher or ""]) if d.get("title") else None)
    subtitle = meta["subtitle"]
    if subtitle and paras and (paras[0].startswith(subtitle.rstrip(".… ")) or subtitle == title):
        subtitle = None  # a teaser cut from the first paragraph is not a standfirst
    from newsledger.article.meta import normalize_published
    return {"title": title, "subtitle": subtitle, "authors": authors, "contributors": contributors,
            "publisher": publisher, "published": meta["published"] or normalize_published(d.get("date")),
            "url": url or meta["url"] or d.get("url"), "paragraph_texts": paras, "removed": removed,
            "credits": meta["credits"] + [d.get("author") or ""]}


# ------------------------------------------------------------------ NITF

def from_nitf(xml: str) -> dict[str, Any]:
    """IPTC NITF: headline (hl1), subheadline (hl2), byline, dateline, body paragraphs, date.issue."""
    from lxml import etree

    from newsledger.article.meta import normalize_published

    try:
        root = etree.fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", xml).encode("utf-8"),
                                parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                                                       huge_tree=False))
    except etree.XMLSyntaxError as err:
        raise NewsledgerError(f"NITF XML: {err}") from None
    if root is None:
        raise NewsledgerError("NITF XML: unreadable document")
    for el in root.iter():  # namespaced NITF (xmlns="http://iptc.org/std/NITF/...") -> plain tag names
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]

    def first(path: str) -> str | None:
        el = root.find(path)
        return _clean("".join(el.itertext())) or None if el is not None else None

    content = root.find(".//body.content")
    from newsledger.article.meta import contributor_names

    paras, removed, contributors = [], [], []
    for p in (content if content is not None else root).iter("p"):
        text = _clean("".join(p.itertext()))
        names = contributor_names(text) if text else None
        if names:
            contributors += names
            removed.append({"text": text, "reason": "contributor line"})
        elif text:
            paras.append(text)
    bylines = [_clean("".join(b.itertext())) for b in root.iter("byline")]
    people = [_clean("".join(p.itertext())) for b in root.iter("byline") for p in b.iter("person")]
    copyright_el = root.find(".//doc.copyright")
    publisher = copyright_el.get("holder") if copyright_el is not None else None
    publisher = publisher or first(".//distributor")
    authors = clean_authors(people or bylines, publisher)
    for b in bylines:
        removed.append({"text": b, "reason": "byline"})
    dateline = first(".//dateline")
    if dateline:
        removed.append({"text": dateline, "reason": "dateline"})
    date = root.find(".//date.issue")
    pubdata = root.find(".//pubdata")
    published = None
    for norm in (date.get("norm") if date is not None else None,
                 _clean(date.text) if date is not None else None,
                 pubdata.get("date.publication") if pubdata is not None else None):
        if norm and published is None:
            try:
                published = nitf_date(norm)
            except (ValueError, OverflowError):
                published = None
    if published is None:
        story_date = first(".//dateline/story.date")
        published = normalize_published(story_date) if story_date else None
    return {"title": first(".//hl1") or first(".//title"), "subtitle": first(".//hl2"), "authors": authors,
            "contributors": contributors, "publisher": publisher, "published": published,
            "paragraph_texts": paras, "removed": removed, "credits": bylines}


def nitf_date(norm: str) -> str | None:
    """NITF's ISO 8601 basic form ('20230928T132600+0100', '20230928') -> extended ISO 8601."""
    m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$", norm.strip())
    if not m:
        from newsledger.article.meta import normalize_published
        return normalize_published(norm)
    y, mo, d, h, mi, _s, tz = m.groups()
    if h is None:
        return f"{y}-{mo}-{d}"
    out = f"{y}-{mo}-{d}T{h}:{mi}:00"
    if tz:
        out += "+00:00" if tz == "Z" else f"{tz[:3]}:{tz[-2:]}"
    return out
