"""timexes stage: find date expressions and resolve them against the publication date.

Each item is ``{"text", "start", "end", "precision", "span"}``: ``start``/``end`` are ISO days
(a single day has start == end), ``precision`` one of day, week, month, season, year.

Why a grammar of our own rather than ``dateparser.search.search_dates``: the search misfires on
common words ("may", "march", "sun", "fall", "a year" in "for a year"), returns nothing for "last
winter", "this summer", "last week's" or "the day after", cannot see the tense of the governing verb,
and is two orders of magnitude slower than one compiled regex pass. Once the grammar has isolated
day, month and year, resolving them is plain ``datetime`` arithmetic. The words live in
``data/timex.json``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache
from typing import Any

from newsledger import data
from newsledger.record import Record

PREP = r"(?:(?i:in|on|at|since|until|till|by|from|during|before|after|through|throughout|as of|early on|late on|early|late)\s+)?"


def _around_writing(word: str, a: date, b: date, pub: date) -> tuple[date, date]:
    """'earlier this week/month/year' ends the day before the day of writing; 'later this ...' starts the day
    after."""
    if word.startswith("earlier"):
        return a, max(a, pub - timedelta(days=1))
    if word.startswith("later"):
        return min(b, pub + timedelta(days=1)), b
    return a, b


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


@cache
def _lex() -> dict[str, Any]:
    return data.load("timex.json")


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The grammar: (form name, compiled pattern) pairs; longest match wins among overlaps."""
    lx = _lex()
    wd_words = []
    for w in lx["weekdays"]:
        if w in lx["weekday_abbrev_need_dot"]:
            wd_words.append(_cap(w) + ".")
        else:
            wd_words.append(_cap(w))
    mon_words = []
    for w in lx["months"]:
        if len(w) <= 4 and w not in ("may", "june", "july"):
            mon_words.append(_cap(w) + ".")
            if w not in lx["month_abbrev_need_dot"]:
                mon_words.append(_cap(w))
        else:
            mon_words.append(_cap(w))
    wd = f"(?P<wd>{_alt(wd_words)})(?![\\w])"
    wd2 = wd.replace("?P<wd>", "?P<wd2>")
    mon = f"(?P<mon>{_alt(mon_words)})(?![\\w])"
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\w%])"
    day2 = r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?![\w%])"
    year = r"(?P<y>1[6-9]\d\d|20\d\d)(?![\w%-])"
    lead_wd = f"(?:(?P<lwd>{_alt(wd_words)}),?\\s+)?"
    parts = _alt(list(lx["month_parts"]))
    rel = r"(?P<rel>(?i:this coming|this past|this|last|next|coming|past|previous))"
    seasons = _alt(list(lx["seasons"]))
    pod = _alt(lx["parts_of_day"])
    counts = _alt(list(lx["count_words"]))
    forms = [
        ("iso", r"(?<![\w-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w-])"),
        ("night_range", rf"(?i:the\s+night\s+of\s+){wd}\s+(?i:to|and|into)\s+{wd2}"),
        ("mdy", rf"{PREP}{lead_wd}{mon}\s+{day}(?:\s*[-–]\s*{day2})?(?:,?\s+{year})?"),
        ("dmy", rf"{PREP}{lead_wd}{day}(?:\s*[-–]\s*{day2})?\s+(?:of\s+)?{mon}(?:,?\s+{year})?"),
        ("month", rf"{PREP}(?:(?P<part>(?i:{parts}))[\s-]*)?(?:{rel}\s+)?{mon}(?:,?\s+(?:of\s+)?{year})?"),
        ("season", rf"{PREP}(?:(?i:the\s+))?(?:(?P<part>(?i:early|late|mid))[\s-]*)?(?:{rel}\s+)?"
                   rf"(?P<season>(?i:{seasons}))(?:\s+(?:of\s+)?{year})?"),
        ("year", rf"{PREP}(?:(?i:the\s+))?(?:(?P<part>(?i:early|mid|late))[\s-]+)?{year}"),
        ("weekday", rf"{PREP}(?:{rel}\s+)?{wd}(?:\s+(?P<pod>(?i:{pod})))?"),
        ("day_word", rf"(?<![\w-])(?P<w>(?i:{_alt(list(lx['day_words']))}))(?![\w-])"),
        ("shift", rf"(?<![\w-])(?P<w>(?i:{_alt(list(lx['day_shift_phrases']))}))"
                  r"(?:\s+(?P<np>(?i:the|his|her|its|their|that|this)\s+[a-z]+))?(?![\w-])"),
        ("count_shift", rf"(?<![\w-])(?P<n>(?i:{counts}|\d+))\s+(?P<unit>(?i:days?|weeks?|months?|years?))\s+"
                        r"(?P<dir>(?i:earlier|later|before|after|ago|prior))(?![\w-])"),
        ("week", rf"(?<![\w-])(?P<w>(?i:{_alt(list(lx['week_words']))}))(?![\w-])"),
        ("weekend", rf"(?<![\w-])(?P<w>(?i:{_alt(list(lx['weekend_words']))}))(?![\w-])"),
        ("month_word", rf"(?<![\w-])(?P<w>(?i:{_alt(list(lx['month_words']))}))(?![\w-])"),
        ("year_word", rf"(?<![\w-])(?P<w>(?i:{_alt(list(lx['year_words']))}))(?![\w-])"),
    ]
    return [(name, re.compile(r"(?<![\w-])" + rx)) for name, rx in forms]


# ------------------------------------------------------------------ calendar helpers

def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _iso_week(d: date, k: int = 0) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday()) + timedelta(weeks=k)
    return monday, monday + timedelta(days=6)


def _season_range(start_month: int, end_month: int, y: int) -> tuple[date, date]:
    """Season instance starting in ``start_month`` of year ``y`` (winter runs into the next year)."""
    end_y = y + 1 if end_month < start_month else y
    return date(y, start_month, 1), _month_end(end_y, end_month)


def _publication_day(rec: Record) -> date | None:
    value = (rec.get("article") or {}).get("published")
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])  # the local calendar day the writer lived in
    except ValueError:
        return None


# ------------------------------------------------------------------ tense from the parse

def _token_at(doc: Any, start: int, end: int) -> Any | None:
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if span is None or len(span) == 0:
        return None
    return span.root


def _is_future(doc: Any, start: int, end: int) -> bool:
    """True when the verb that governs the expression speaks of the future ("will meet", "plans to")."""
    tok = _token_at(doc, start, end)
    if tok is None:
        return False
    lx = _lex()
    future_aux = set(lx["future_aux"])
    verb = tok
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") and verb.dep_ not in ("amod",):
            break
        if verb.head is verb:
            return False
        verb = verb.head
    else:
        return False
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in future_aux for a in aux) and not any(a.lower_ in ("have", "'ve") for a in aux):
        return True  # "will meet", "may vote"; not "may have met"
    if any(a.lower_ in ("going",) for a in aux):
        return True
    present = ("VBZ", "VBP")
    if verb.lemma_.lower() in lx["future_verbs"] and (
            verb.tag_ in present or any(a.tag_ in present for a in aux)):
        return True  # "a summit is planned for Nov. 15", "talks are set for Monday"
    if verb.tag_ == "VBG" and any(a.tag_ in present for a in aux):
        return True  # "is meeting on Friday"
    if verb.tag_ == "VB" and any(a.lower_ == "to" for a in aux):
        up = verb.head
        for _ in range(3):  # "plans to visit", "is expected to arrive"
            if up.tag_ in present or any(c.dep_ in ("aux", "auxpass") and c.tag_ in present for c in up.children):
                return True
            if up.tag_ in ("VBD",) or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in up.children):
                return False
            if up.head is up:
                break
            up = up.head
    return False


def _has_clause_after(doc: Any, end: int) -> bool:
    """True when a clause with its own subject follows ("the day after Russia accused ...")."""
    if doc is None:
        return False
    last = doc[-1].idx + len(doc[-1]) if len(doc) else 0  # not len(doc.text): Doc.text is rebuilt per call
    span = doc.char_span(end, min(last, end + 160), alignment_mode="contract")
    if span is None:
        return False
    for tok in span:
        if tok.is_punct and tok.text not in ("'", "’", "-"):
            return False
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ in ("VBD", "VBZ", "VBP") and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            return True
    return False


def _sentence_bounds(doc: Any, pos: int) -> tuple[int, int]:
    if doc is None:
        return 0, 0
    tok = _token_at(doc, pos, pos + 1)
    if tok is None:
        return 0, 0
    sent = tok.sent
    return sent.start_char, sent.end_char


# ------------------------------------------------------------------ resolution

class _Resolver:
    """Resolves matched forms in text order; keeps the last day-precision anchor for "the day after"."""

    def __init__(self, text: str, pub: date | None, doc: Any, southern: bool) -> None:
        self.text = text
        self.pub = pub
        self.doc = doc
        self.southern = southern
        self.anchors: list[tuple[int, date]] = []  # (char offset, day)

    def last_anchor(self, before: int, lo: int = 0) -> date | None:
        for pos, d in reversed(self.anchors):
            if lo <= pos < before:
                return d
        return None

    def resolve(self, form: str, m: re.Match[str]) -> tuple[date, date, str] | None:
        pub = self.pub
        if pub is None:
            return None
        g = m.groupdict()
        lx = _lex()
        fut = None

        def future() -> bool:
            nonlocal fut
            if fut is None:
                fut = _is_future(self.doc, m.start(), m.end())
            return fut

        if form == "iso":
            return _day_triple(int(g["y"]), int(g["m"]), int(g["d"]))
        if form in ("mdy", "dmy"):
            mo = lx["months"][g["mon"].rstrip(".").lower()]
            d = int(g["d"])
            if g.get("y"):
                got = _day_triple(int(g["y"]), mo, d)
            elif d < 1 or d > calendar.monthrange(2000, mo)[1]:  # 2000 is a leap year: Feb 29 allowed
                return None
            else:
                got = self._yearless_day(mo, d, future())
            if got and g.get("d2") and int(g["d2"]) > d:  # "Nov. 15-16": a run of days
                try:
                    return got[0], got[0].replace(day=int(g["d2"])), "day"
                except ValueError:
                    return got
            return got
        if form == "night_range":
            a = self._weekday(lx["weekdays"][g["wd"].rstrip(".").lower()], None, future())
            return a, a + timedelta(days=1), "day"
        if form == "weekday":
            w = lx["weekdays"][g["wd"].rstrip(".").lower()]
            d = self._weekday(w, (g.get("rel") or "").lower() or None, future())
            return d, d, "day"
        if form == "day_word":
            base = pub
            if _in_quote(self.text, m.start()):
                # "today" in a quote is the day the words were spoken: a day named earlier in the same
                # paragraph, else the day the article's lead reports on
                para = self.text.rfind("\n", 0, m.start()) + 1
                lead = self.anchors[0][1] if self.anchors else None
                base = self.last_anchor(m.start(), para) or lead or pub
            d = base + timedelta(days=lx["day_words"][g["w"].lower()])
            return d, d, "day"
        if form == "shift":
            shift = lx["day_shift_phrases"][g["w"].lower()]
            if _has_clause_after(self.doc, m.end()):
                # "Thursday, the day after Russia accused ...": the phrase dates the clause it
                # introduces, which lies one day before the date it is apposed to.
                lo, _ = _sentence_bounds(self.doc, m.start())
                anchor = self.last_anchor(m.start(), lo) or pub
                d = anchor - timedelta(days=shift)
            else:
                anchor = self.last_anchor(m.start()) or pub
                d = anchor + timedelta(days=shift)
            return d, d, "day"
        if form == "count_shift":
            n_txt = g["n"].lower()
            n = int(n_txt) if n_txt.isdigit() else lx["count_words"][n_txt]
            direction = g["dir"].lower()
            unit = g["unit"].lower().rstrip("s")
            if unit in ("month", "year"):
                # "three months ago", "two years earlier": the calendar month / year it points into
                base = pub if direction == "ago" else (self.last_anchor(m.start()) or pub)
                sign = 1 if direction in ("later", "after") else -1
                if unit == "year":
                    y = base.year + sign * n
                    return date(y, 1, 1), date(y, 12, 31), "year"
                y, mo = _add_months(base.year, base.month, sign * n)
                return date(y, mo, 1), _month_end(y, mo), "month"
            days = n * lx["count_units"][g["unit"].lower()]
            weekly = g["unit"].lower().startswith("week")
            if direction == "ago":
                d = pub - timedelta(days=days)
            else:
                anchor = self.last_anchor(m.start()) or pub
                sign = 1 if direction in ("later", "after") else -1
                d = anchor + timedelta(days=sign * days)
            if weekly:
                a, b = _iso_week(d)
                return a, b, "week"
            return d, d, "day"
        if form == "week":
            w = g["w"].lower()
            a, b = _iso_week(pub, lx["week_words"][w])
            a, b = _around_writing(w, a, b, pub)
            return a, b, "week"
        if form == "weekend":
            w = g["w"].lower()
            k = lx["weekend_words"][w]
            if w == "over the weekend" and pub.weekday() >= 5:
                k = 0
            mon, _ = _iso_week(pub, k)
            return mon + timedelta(days=5), mon + timedelta(days=6), "week"
        if form == "month_word":
            w = g["w"].lower()
            y, mo = _add_months(pub.year, pub.month, lx["month_words"][w])
            a, b = date(y, mo, 1), _month_end(y, mo)
            a, b = _around_writing(w, a, b, pub)
            return a, b, "month"
        if form == "year_word":
            w = g["w"].lower()
            y = pub.year + lx["year_words"][w]
            a, b = date(y, 1, 1), date(y, 12, 31)
            a, b = _around_writing(w, a, b, pub)
            return a, b, "year"
        if form == "month":
            return self._month(g, future)
        if form == "year":
            return self._year(g, m)
        if form == "season":
            return self._season(g, future)
        return None

    def _weekday(self, w: int, rel: str | None, future: bool) -> date:
        pub = self.pub
        assert pub is not None
        back = (pub.weekday() - w) % 7
        ahead = (w - pub.weekday()) % 7
        if rel == "this past":
            return pub - timedelta(days=back or 7)
        if rel in ("last", "past", "previous"):
            # the day before publication would be "yesterday": "last Thursday" written on a Friday is the
            # Thursday of the week before
            return pub - timedelta(days=back + 7 if back <= 1 else back)
        if rel in ("next", "coming", "this coming"):
            return pub + timedelta(days=ahead or 7)
        if future:
            return pub + timedelta(days=ahead)
        return pub - timedelta(days=back)

    def _yearless_day(self, mo: int, d: int, future: bool) -> tuple[date, date, str] | None:
        pub = self.pub
        assert pub is not None
        for y in ((pub.year, pub.year + 1) if future else (pub.year, pub.year - 1)):
            try:
                cand = date(y, mo, d)
            except ValueError:
                continue
            if (cand >= pub) if future else (cand <= pub):
                return cand, cand, "day"
        return None

    def _month(self, g: dict[str, Any], future: Any) -> tuple[date, date, str] | None:
        pub = self.pub
        assert pub is not None
        lx = _lex()
        mon_txt = g["mon"]
        mo = lx["months"][mon_txt.rstrip(".").lower()]
        rel = (g.get("rel") or "").lower()
        if g.get("y"):
            y = int(g["y"])
        elif rel == "this":
            y = pub.year
        elif rel in ("last", "past", "previous", "this past"):
            y = pub.year if mo < pub.month else pub.year - 1
        elif rel in ("next", "coming", "this coming"):
            y = pub.year if mo > pub.month else pub.year + 1
        elif future():
            y = pub.year if mo >= pub.month else pub.year + 1
        else:
            y = pub.year if mo <= pub.month else pub.year - 1
        a, b = date(y, mo, 1), _month_end(y, mo)
        part = (g.get("part") or "").lower().rstrip("-").strip()
        if part:
            lo, hi = lx["month_parts"].get(part, [1, 31])
            a, b = date(y, mo, lo), date(y, mo, min(hi, b.day)) if hi < 31 else b
        return a, b, "month"

    def _year(self, g: dict[str, Any], m: re.Match[str]) -> tuple[date, date, str] | None:
        y = int(g["y"])
        text = m.group(0)
        after = self.text[m.end():m.end() + 12]
        if re.match(r"\s*(?:-?year|years?\b|[-–]\d)", after):
            return None  # "2019-20 season", "1990 years" are not years of the calendar
        has_prep = text[:1].isalpha() and not text[:1].isdigit()
        if not has_prep:
            tok = _token_at(self.doc, m.start(), m.end())
            if tok is None or tok.ent_type_ != "DATE":
                return None
        a, b = date(y, 1, 1), date(y, 12, 31)
        part = (g.get("part") or "").lower()
        if part == "early":
            b = date(y, 4, 30)
        elif part == "mid":
            a, b = date(y, 5, 1), date(y, 8, 31)
        elif part == "late":
            a = date(y, 9, 1)
        return a, b, "year"

    def _season(self, g: dict[str, Any], future: Any) -> tuple[date, date, str] | None:
        pub = self.pub
        assert pub is not None
        lx = _lex()
        name = g["season"].lower()
        rel = (g.get("rel") or "").lower()
        if not rel and not g.get("y"):
            return None  # bare "summer", "fall" (a verb too) say too little
        if self.southern:
            name = lx["southern_flip"][name]
        sm, em = lx["seasons"][name]
        if g.get("y"):
            y = int(g["y"])
            if sm == 12:
                y -= 1  # "winter 2023" is the winter that ends early in 2023 ... ambiguous; take Dec of y-1
            a, b = _season_range(sm, em, y)
            return a, b, "season"
        # Instances around the publication day; "this" = the one containing it or the nearest.
        inst = [_season_range(sm, em, y) for y in range(pub.year - 2, pub.year + 2)]

        def dist(r: tuple[date, date]) -> int:
            if r[0] <= pub <= r[1]:
                return 0
            return min(abs((r[0] - pub).days), abs((pub - r[1]).days))

        i = min(range(len(inst)), key=lambda k: dist(inst[k]))
        if rel in ("last", "past", "previous"):
            i -= 1
        elif rel in ("next", "coming"):
            i += 1
        elif rel == "this past":
            if inst[i][0] > pub:
                i -= 1
        a, b = inst[i]
        return a, b, "season"


def _day_triple(y: int, mo: int, d: int) -> tuple[date, date, str] | None:
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    return day, day, "day"


def _southern(rec: Record) -> bool:
    """Seasons flip in the southern hemisphere: judge by the places the article names most."""
    places = set(_lex()["southern_hemisphere_places"])
    south = north = 0
    for ent in rec.get("entities") or []:
        if ent.get("type") not in ("GPE", "LOC", "PLACE", "COUNTRY", "CITY"):
            continue
        n = len(ent.get("mentions") or []) or 1
        if ent.get("name") in places:
            south += n
        else:
            north += n
    return south > north


def _skip(doc_text: str, form: str, m: re.Match[str], doc: Any, names: frozenset[str] = frozenset()) -> bool:
    """Words that look like dates but are not: "May" the modal, "march" the verb."""
    g = m.groupdict()
    if g.get("mon") and g["mon"].lower() in _lex()["ambiguous_month_words"] and form == "month":
        tok = _token_at(doc, m.start("mon"), m.end("mon"))
        if tok is not None and (tok.tag_ in ("MD", "VB", "VBP", "VBZ", "NN") or tok.ent_type_ == "PERSON"):
            return True  # "may" the modal, "march" the verb, Theresa May
        if doc_text[m.end("mon"):m.end("mon") + 2] in ("'s", "’s") and (
                (tok is not None and tok.ent_type_ != "DATE") or g["mon"] in names):
            return True  # "May's government" where the article names Theresa May
        if not g.get("y") and not g.get("rel") and not g.get("part") and m.start("mon") == m.start():
            # a bare capitalised "May"/"March" with no preposition: only when spaCy calls it a date
            if tok is None or tok.ent_type_ != "DATE":
                return True
    return False


def find(text: str, published: date | None, doc: Any = None, southern: bool = False,
         names: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """All date expressions in ``text`` resolved against ``published`` (a day, or None).

    ``names``: words that are people's names in this article ("May"), so "May's" is no month."""
    cands: list[tuple[int, int, str, re.Match[str]]] = []
    for name, rx in _patterns():
        for m in rx.finditer(text):
            if m.end() > m.start():
                cands.append((m.start(), -(m.end() - m.start()), name, m))
    # longest first: a candidate is kept unless it overlaps a longer one already kept
    kept: list[tuple[int, int, str, re.Match[str]]] = []
    taken = bytearray(len(text))  # characters already inside a kept expression
    for c in sorted(cands, key=lambda c: (c[1], c[0])):
        s, e = c[0], c[0] - c[1]
        if any(taken[s:e]):
            continue
        if _skip(text, c[2], c[3], doc, names):
            continue
        taken[s:e] = b"\x01" * (e - s)
        kept.append((s, e, c[2], c[3]))
    kept.sort()
    chosen = [(name, m) for _, _, name, m in kept]
    res = _Resolver(text, published, doc, southern)
    out: list[dict[str, Any]] = []
    for name, m in chosen:
        # a year or season with nothing around it may be rejected by resolve(); the rest stay
        try:
            value = res.resolve(name, m)
        except (OverflowError, ValueError):  # '999999999 days ago', '99999 years ago': not a date, not an error
            continue
        if published is not None and value is None:
            continue
        if published is None and name in ("year", "season") and not _plausible_unanchored(name, m, doc):
            continue
        start, end, precision = value if value else (None, None, _form_precision(name))
        item = {"text": m.group(0), "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None, "precision": precision,
                "span": [m.start(), m.end()]}
        out.append(item)
        if start is not None and precision == "day" and _narrative(name, m, doc, res):
            res.anchors.append((m.start(), start))
    return out


def _narrative(name: str, m: re.Match[str], doc: Any, res: _Resolver) -> bool:
    """A day that later "the day after" / "that day" may refer to: it dates a clause, not a noun
    ("the November 27 agreement", "Monday's attack") nor a subordinate clause ("the day after X did")."""
    if name == "shift" and _has_clause_after(doc, m.end()):
        return False
    tok = _token_at(doc, m.start(), m.end())
    if tok is not None and tok.dep_ in ("compound", "nmod", "amod", "poss") and tok.head.pos_ in ("NOUN", "PROPN"):
        return False
    return True


def _in_quote(text: str, pos: int) -> bool:
    """True when ``pos`` lies inside quotation marks of its paragraph."""
    para = text.rfind("\n", 0, pos) + 1
    prefix = text[para:pos]
    curly = prefix.count("\u201c") - prefix.count("\u201d")
    if curly > 0:
        return True
    return prefix.count('"') % 2 == 1


def _plausible_unanchored(name: str, m: re.Match[str], doc: Any) -> bool:
    g = m.groupdict()
    if name == "season":
        return bool(g.get("rel") or g.get("y"))
    return m.group(0)[:1].isalpha() or (_token_at(doc, m.start(), m.end()) is not None
                                        and _token_at(doc, m.start(), m.end()).ent_type_ == "DATE")


def _form_precision(name: str) -> str:
    return {"week": "week", "weekend": "week", "month_word": "month", "month": "month", "season": "season",
            "year": "year", "year_word": "year"}.get(name, "day")


def run(rec: Record, doc: Any) -> None:
    """Add ``rec["timexes"]``: every date expression of article.text, resolved where a date is known."""
    text = (rec.get("article") or {}).get("text") or ""
    rec["timexes"] = find(text, _publication_day(rec), doc, _southern(rec), _person_words(rec))


def _person_words(rec: Record) -> frozenset[str]:
    words = set()
    for ent in rec.get("entities") or []:
        if ent.get("type") == "PERSON":
            for name in [ent.get("name") or ""] + list(ent.get("aliases") or []):
                words.update(name.split())
    return frozenset(words)
