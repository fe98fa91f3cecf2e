"""What a reader writes for an article's metadata, and how a plain-text capture is read.

Dates and datelines, bylines and contributors, site furniture, outlets by name/code/domain, person names
versus agency credits; ``from_text``/``from_body`` read a capture. Shared by the text and HTML readers
(``article.html``), so it depends on neither.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from functools import cache
from typing import Any

from newsledger import data
from newsledger.record import NewsledgerError

WEEKDAYS = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DATELINE_RE = re.compile(
    rf"^(?:(?:published|updated|posted|last updated|first published)\s*(?:on|at)?\s*:?\s*)?(?:{WEEKDAYS},?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS},?\s+\d{{4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?(?:\s*\(?(?P<tz>[A-Z]{1,5}|(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?)\)?)?\s*$",
    re.I)

# '3:45 PM EDT, Thu September 28, 2023': clock first, as several US sites print it
DATELINE_TIME_FIRST_RE = re.compile(
    rf"^(?:(?:published|updated|posted|last updated|first published)\s*(?:on|at)?\s*:?\s*)?"
    rf"\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{{2,5}})?,?\s+(?:on\s+)?(?:{WEEKDAYS},?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS},?\s+\d{{4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\s*$",
    re.I)
HEADER_SPLIT_RE = re.compile(r"\s+[|•·]\s+")


# a paragraph of news is a few hundred characters; a line of a megabyte is a dump, not a capture
MAX_LINE = 1_000_000


@cache
def _furniture() -> tuple[list[tuple[str, re.Pattern]], list[re.Pattern], re.Pattern, re.Pattern, frozenset]:
    cfg = data.load("furniture.json")
    pats = [(p["reason"], re.compile(p["re"], re.I)) for p in cfg["patterns"]]
    pubs = [re.compile(p["re"], re.I if not p.get("keep_the") else 0) for p in cfg["publisher"]]
    return (pats, pubs, re.compile(cfg["contributor"]), re.compile(cfg["byline_prefix"], re.I),
            frozenset(cfg["not_people"]))


def furniture_reason(line: str) -> str | None:
    """Why ``line`` is site furniture, or None when it may be article text."""
    s = line.strip()
    for reason, pat in _furniture()[0]:
        if pat.search(s):
            return reason
    return None


def parse_instant(text: str) -> str | None:
    """A dateline ('Thursday 28 September 2023 13:26 BST') -> ISO 8601, with offset when the line gives one.

    The usual shapes are read by one regex, anything else by dateparser; time-zone abbreviations
    come from our own table because dateparser does not know newsroom ones such as BST reliably.
    """
    s = re.sub(r"^(?:published|updated|posted|last updated|first published)\s*(?:on|at)?\s*:?\s*", "", text.strip(), flags=re.I)
    offsets = data.load("tz_abbrev.json")
    offset = None
    m = re.search(r"\(?\b([A-Z]{1,5})\)?\s*$", s)
    if m and m.group(1) in offsets:
        offset = offsets[m.group(1)]
        s = s[: m.start()].strip()
    else:  # a zone in the middle: '3:45 PM EDT, Thu September 28, 2023'
        for m in re.finditer(r"\b([A-Z]{2,5})\b(?!\s*[+-]\d)", s):
            if m.group(1) in offsets:
                offset = offsets[m.group(1)]
                s = (s[: m.start()] + s[m.end():]).strip()
                break
    m = re.search(r"(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?\s*$", s)
    if offset is None and m and (":" in s[: m.start()] or "UTC" in s or "GMT" in s):
        offset = f"{m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'}"
        s = s[: m.start()].strip()
    s = re.sub(r"\bat\b", " ", s)
    dt = _fast_datetime(s) or _dateparser(s)
    if dt is None:
        return None
    has_clock = bool(re.search(r"\d{1,2}[:.]\d{2}", s))
    if not has_clock:
        return dt.date().isoformat()
    dt = dt.replace(second=0, microsecond=0)
    if offset and "/" in offset:  # an IANA zone: the offset depends on the date (daylight saving time)
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return dt.replace(tzinfo=ZoneInfo(offset)).isoformat()
        except ZoneInfoNotFoundError:
            return dt.isoformat()
    iso = dt.isoformat()
    return iso + offset if offset else iso


MONTH_NUM = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                         "dec"], 1)}
FAST_DATE_RE = re.compile(
    rf"^(?:{WEEKDAYS},?\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTHS})|(?P<m2>{MONTHS})\s+(?P<d2>\d{{1,2}})"
    r"(?:st|nd|rd|th)?),?\s+(?P<y>\d{4})(?:[\s,]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:\s*(?P<ap>[ap])\.?m\.?)?)?\s*$", re.I)


def _fast_datetime(s: str) -> datetime | None:
    """The usual English dateline shapes, read directly: dateparser costs ~15 ms a call, most of the stage."""
    m = FAST_DATE_RE.match(s.strip())
    if not m:
        return None
    month = MONTH_NUM[(m.group("m1") or m.group("m2"))[:3].lower()]
    day, hour, minute = int(m.group("d1") or m.group("d2")), int(m.group("h") or 0), int(m.group("mi") or 0)
    ap = (m.group("ap") or "").lower()
    if ap == "p" and hour < 12:
        hour += 12
    elif ap == "a" and hour == 12:
        hour = 0
    try:
        return datetime(int(m.group("y")), month, day, hour, minute)
    except ValueError:
        return None


def _dateparser(s: str) -> datetime | None:
    import dateparser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dateparser.parse(s, languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False,
                                                               "PREFER_DAY_OF_MONTH": "first",
                                                               "REQUIRE_PARTS": ["day", "month", "year"]})


# A publication year outside these is a placeholder or a typo ('0001-01-01', '9999-12-31'), not a date:
# date arithmetic on it ('on Tuesday' before 1 January of year 1) overflows.
MIN_YEAR, MAX_YEAR = 1000, 2999


def plausible(iso: str | None) -> str | None:
    """``iso`` when its year is one a news item can bear, else None."""
    m = re.match(r"(\d{4})-", iso or "")
    return iso if m and MIN_YEAR <= int(m.group(1)) <= MAX_YEAR else None


def normalize_published(value: str | None) -> str | None:
    """Accept ISO strings from containers (WARC-Date, JSON lines, --published); an absurd date is no date."""
    if not value:
        return None
    v = str(value).strip()
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
        return plausible(dt.isoformat() if ("T" in v or " " in v) else dt.date().isoformat())
    except ValueError:
        pass
    try:
        return plausible(parse_instant(v))
    except (ValueError, OverflowError):  # dateparser on '99999-03-12'
        return None


def _header_part(part: str) -> tuple[str, Any] | None:
    """('dateline', ISO instant) or ('byline', names) for one piece of a header line, else None."""
    if DATELINE_RE.match(part) or DATELINE_TIME_FIRST_RE.match(part):
        try:
            return ("dateline", plausible(parse_instant(part)))
        except (ValueError, OverflowError):
            return ("dateline", None)
    names = _is_byline(part)
    return ("byline", names) if names is not None else None


def _is_byline(line: str) -> list[str] | None:
    """Names in a byline ('By Jane Doe and John Roe', 'Hanna Arhirova'), or None."""
    _, _, _, prefix, not_people = _furniture()
    s = line.strip()
    had_by = bool(prefix.match(s))
    s = prefix.sub("", s)
    s = re.split(r"\s*[|,]\s*(?:The |the )?(?:Associated Press|AP|Reuters|AFP|Staff|CNN|BBC)\b.*$", s)[0]
    if len(s) > 80 or re.search(r"[.!?:;\"“”]$", s) and not had_by:
        return None
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", s) if p.strip()]
    names = []
    agency_only = bool(parts)
    for p in parts:
        words = p.split()
        if p.lower() in not_people:
            continue
        agency_only = False
        if p.isupper():
            p = p.title()  # 'By JANE DOE'
            words = p.split()
        if not 2 <= len(words) <= 4 or not all(w[0].isupper() or w.lower() in {"de", "van", "von", "al", "bin", "da"} for w in words):
            return None
        if any(w.lower() in {"the", "of", "for", "in", "on", "with", "to"} for w in words):
            return None
        names.append(p)
    if agency_only:
        return []  # a credit line such as 'Reuters' or 'Associated Press': no person, but not body text
    return names if (names or had_by) else None


def contributor_names(line: str) -> list[str] | None:
    """Names in a trailer line ('Brian Melley contributed to this report from London.'), or None."""
    m = _furniture()[2].match(line.strip())
    return _split_names(m.group("names")) if m else None


def _split_names(s: str) -> list[str]:
    """'A in Kyiv, B and C from London' -> ['A', 'B', 'C']: contributors are people, their places dropped."""
    names = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", s) if p.strip()]
    return [re.sub(r"\s+(?:in|from|at)\s+[A-Z].*$", "", n) for n in names]


# a sentence's end in the scripts news is written in: Latin, CJK (。！？), Devanagari (।), Arabic (؟)
SENTENCE_END_RE = re.compile(r"[.!?。！？।؟][\"”’'」』)]?$")
# A headline is short: a first line of more words than this that ends like a sentence is the story's first paragraph.
HEADLINE_MAX_WORDS = 30


def _is_lede(line: str) -> bool:
    """Whether a text's first line reads as body rather than as a headline."""
    return len(line.split()) > HEADLINE_MAX_WORDS and bool(SENTENCE_END_RE.search(line))


def from_body(raw: str) -> dict[str, Any]:
    """A text that is the body alone (a JSON line's "text"): every line a paragraph, no headline or byline to find.
    Furniture lines are still set aside, unless that would leave nothing."""
    lines = [re.sub(r"[ \t\u00a0\u2007\u2009\u202f\u3000]+", " ", ln).strip()
             for ln in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    reasons = [furniture_reason(ln) for ln in lines]  # once a line: the patterns are most of this stage's cost
    removed = [{"text": ln, "reason": r} for ln, r in zip(lines, reasons, strict=True) if r]
    kept = [ln for ln, r in zip(lines, reasons, strict=True) if not r]
    if not kept:
        kept, removed = lines, []
    return {"title": None, "subtitle": None, "authors": [], "contributors": [], "publisher": None,
            "published": None, "paragraph_texts": kept, "removed": removed}


def from_text(raw: str) -> dict[str, Any]:
    """A plain-text capture (lines of a saved page) -> article fields. A text of one paragraph, or whose first
    line is a long sentence or ends with a full stop, has no headline: it is all body (news headlines do not end
    with a full stop; a lede does)."""
    _, pubs, contributor_re, _, _ = _furniture()
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    longest = max((len(ln) for ln in raw.split("\n")), default=0)
    if longest > MAX_LINE:
        raise NewsledgerError(f"a single line of {longest / 1e6:.1f} M characters: not a news article capture "
                              "(no paragraphs to read)")
    lines = [re.sub(r"[ \t\u00a0\u2007\u2009\u202f\u3000]+", " ", ln).strip() for ln in raw.split("\n")]
    removed: list[dict[str, str]] = []
    publisher = None
    kept: list[str] = []
    contributors: list[str] = []
    for ln in lines:
        if not ln:
            continue
        for pat in pubs:
            m = pat.search(ln)
            if m and not publisher:
                publisher = m.group("name").strip()
        reason = furniture_reason(ln)
        if reason:
            removed.append({"text": ln, "reason": reason})
            continue
        m = contributor_re.match(ln)
        if m:
            contributors += _split_names(m.group("names"))
            removed.append({"text": ln, "reason": "contributor line"})
            continue
        kept.append(ln)
    title = subtitle = published = None
    from_update = False
    authors: list[str] = []
    body_start = 0
    if len(kept) > 1 and not _is_lede(kept[0]) and not re.search(r"[.。][\"”’']?$", kept[0]):
        title = kept[0]
        body_start = 1
        # header zone: a standfirst, then byline / dateline lines in any order ('By X | 28 Sept 2023 13:26 BST')
        for i in range(1, min(len(kept), 7)):
            ln = kept[i]
            pieces = HEADER_SPLIT_RE.split(ln)
            parts = [_header_part(p) for p in pieces]
            if all(parts):
                kinds = {part[0] for part in parts if part}
                for piece, part in zip(pieces, parts, strict=True):
                    kind, value = part or ("", None)
                    if kind == "dateline":
                        # the publication instant, not the last update, when a capture gives both
                        is_update = bool(re.match(r"(?:last )?updated\b", piece, re.I))
                        if value and (published is None or (from_update and not is_update)):
                            published, from_update = value, is_update
                    else:
                        authors += [n for n in value if n not in authors]
                removed.append({"text": ln, "reason": " and ".join(sorted(kinds, key=["byline", "dateline"].index))})
                body_start = i + 1
                continue
            if subtitle is None and i == 1 and not SENTENCE_END_RE.search(ln) and not ln.endswith(('"', "”")):
                subtitle = ln
                body_start = i + 1
                continue
            break
    body = kept[body_start:]
    return {"title": title, "subtitle": subtitle, "authors": authors, "contributors": contributors,
            "publisher": publisher, "published": published, "paragraph_texts": body, "removed": removed}


# ------------------------------------------------------------------ metadata as a reader writes it

def _outlet_key(name: str) -> str:
    """'The Associated Press', 'www.apnews.com/' and 'associated press' -> one key."""
    import unicodedata

    k = unicodedata.normalize("NFKC", name).casefold().strip()
    k = re.sub(r"^(?:https?://)?(?:www\.)?", "", k).rstrip("/")
    k = re.sub(r"^the\s+", "", k)
    return re.sub(r"[\W_]+", "", k) or k


@cache
def _outlets() -> tuple[dict[str, dict], dict[str, dict], re.Pattern]:
    """(outlets by name/alias/domain key, outlets by domain, a pattern finding agency credits in a byline)."""
    by_key: dict[str, dict] = {}
    by_domain: dict[str, dict] = {}
    agency_names: list[str] = []
    for o in data.load("outlets.json")["outlets"]:
        for alias in (o["name"], *o.get("aliases", []), *o.get("domains", [])):
            by_key.setdefault(_outlet_key(alias), o)
        for d in o.get("domains", []):
            by_domain[d.lower()] = o
        if o.get("agency"):
            agency_names += [o["name"], *o.get("aliases", [])]
    # long names first; a short code must stand alone in capitals ('AP', never the 'ap' of 'apple')
    alts = sorted({re.escape(a) for a in agency_names}, key=len, reverse=True)
    return by_key, by_domain, re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")


def outlet(name: str | None) -> dict | None:
    """The outlets.json entry that ``name`` (a name, code, domain or native-script name) stands for."""
    return _outlets()[0].get(_outlet_key(name)) if name and name.strip() else None


def outlet_by_url(url: str | None) -> dict | None:
    """The outlet whose domain ``url`` is on (subdomains match: 'edition.cnn.com' is CNN)."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url if "//" in (url or "") else f"//{url}").hostname or "").lower() if url else ""
    except ValueError:
        return None
    parts = host.removeprefix("www.").split(".")
    for i in range(len(parts) - 1):
        o = _outlets()[1].get(".".join(parts[i:]))
        if o:
            return o
    return None


DOMAIN_RE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?$", re.I)


def publisher_name(declared: str | None, url: str | None) -> str | None:
    """The publisher as a reader writes it: a known outlet's name for its code, domain or native-script name
    ('AP' -> 'The Associated Press', 'www.dw.com' -> 'DW', '朝日新聞' -> 'The Asahi Shimbun'); a declared name we do
    not know is kept, unless it is only a domain or a code and the URL names a known outlet."""
    o = outlet(declared)
    if o:
        return o["name"]
    by_url = outlet_by_url(url)
    opaque = bool(declared) and (bool(DOMAIN_RE.match(declared.strip())) or len(declared.strip()) <= 4
                                 or not re.search(r"[A-Za-z]", declared))
    if by_url and (not declared or opaque):
        return by_url["name"]
    if declared and DOMAIN_RE.match(declared.strip()):
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", declared.strip(), flags=re.I).rstrip("/")
    return declared or None


# A wire dateline opening the body: "CAIRO, May 21 (Reuters) - ", "KYIV, Ukraine (AP) — ", "WASHINGTON — ".
# The place is in capitals; without an agency credit it must be a word of four letters or more ("US - China
# talks" is no dateline).
_WIRE_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
WIRE_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})"
    r"(?:, [A-Z][A-Za-z.'’\-]+(?: [A-Z][A-Za-z.'’\-]+){0,2})?"
    r"(?:,? " + _WIRE_MONTH + r" \d{1,2})?"
    r" ?(?:\((?P<credit>[^()\n]{2,40})\))? ?[-–—]{1,2} ")


def wire_dateline(text: str) -> tuple[int, str | None] | None:
    """(length, credit) of the wire dateline that opens ``text``, or None. The dateline says where the story was
    filed and by whom: it is no part of the first sentence, whose subject a parser would otherwise read through
    it ("CAIRO (Reuters) - Sudan's army ..." made Reuters the actor)."""
    m = WIRE_DATELINE_RE.match(text)
    if m is None:
        return None
    credit = m.group("credit")
    if credit is None and len(re.sub(r"[^A-Z]", "", m.group("place"))) < 4:
        return None
    return m.end(), credit


def agencies_in(credit: str) -> list[str]:
    """News agencies a byline or credit line names ('By Jane Doe, Associated Press' -> ['The Associated Press'])."""
    out: list[str] = []
    for m in _outlets()[2].finditer(credit or ""):
        o = outlet(m.group(0))
        if o and o["name"] not in out:
            out.append(o["name"])
    return out


@cache
def _byline_words() -> tuple[frozenset[str], frozenset[str]]:
    cfg = data.load("bylines.json")
    return frozenset(cfg["not_name_words"]), frozenset(cfg["particles"])


def person_name(name: str) -> str | None:
    """``name`` tidied when it reads as a person's name as bylines give it ('JANE DOE' -> 'Jane Doe'), else None:
    page furniture ('Related Topics Share'), outlets and agencies ('Reuters', 'BBC News'), institutions and
    sentence fragments ('The Kremlin', 'Police said') are not people."""
    n = " ".join(name.replace("\u00a0", " ").split()).strip(" ,;:|-–—·.")
    n = re.sub(r"^(?:by|written by|words by|reporting by|report by|text by)\s+", "", n, flags=re.I)
    n = re.sub(r"\s+(?:in|from|at)\s+[A-Z][\w .'’-]*$", "", n)  # 'Hanna Arhirova in Kyiv': the place is not the name
    if not n or len(n) > 60 or any(c.isdigit() for c in n) or "@" in n or "/" in n or outlet(n):
        return None
    if n.isupper() and any(c.isalpha() for c in n):
        n = n.title()  # 'JANE DOE'
    words = n.split()
    stop, particles = _byline_words()
    if any(w.lower().strip(".,'’") in stop for w in words):
        return None
    if not any(c.isupper() or c.islower() for c in n):  # a script without case (CJK, Arabic): nothing more to test
        return n if len(words) <= 5 else None
    if not 2 <= len(words) <= 5:
        return None
    for w in words:
        if w.lower() in particles:
            continue
        if not (w[0].isupper() and re.fullmatch(r"[^\W\d_]+(?:[.'’-][^\W\d_]*)*\.?", w)):
            return None
    return n if sum(len(w.strip(".")) > 1 for w in words) >= 1 else None


def people_and_agencies(authors: list[str], credits: list[str]) -> tuple[list[str], list[str]]:
    """Authors reduced to people; the agencies credited (in authors or in byline lines) in a list of their own."""
    people: list[str] = []
    agencies: list[str] = []
    for raw in [*authors, *credits]:
        for a in agencies_in(raw):
            if a not in agencies:
                agencies.append(a)
    for raw in authors:
        o = outlet(raw)
        if o and o.get("agency") and o["name"] not in agencies:
            agencies.append(o["name"])
        n = person_name(raw)
        if n and n not in people:
            people.append(n)
    return people, agencies
