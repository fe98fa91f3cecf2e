"""Pure functions that decide when two ledger items are the same thing.

They work on small dicts and keys only: the store looks candidates up through
indexed blocking keys (names, surnames, quote words, claim tokens, event
actor/target) and asks these functions to confirm, so no ingest ever scans the
whole ledger.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from rapidfuzz import fuzz

WORD_RE = re.compile(r"\w+", re.UNICODE)
# words that carry no identity in a name ("the Ukrainian president" is a description, not a name)
NAME_STOP = frozenset({"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "sir"})
# a claim key token must be specific enough to narrow candidates: short and function words are skipped
CLAIM_STOP = frozenset("""about above after again against also been before being below between both could
does doing down during each from further have having here into itself just more most other over own same
should some such than that their theirs them then there these they this those through under until very was
were what when where which while whom will with would your said says told according""".split())
PERSON_TYPES = frozenset({"PERSON", "PER"})
# "a witness", "one official": the resolver's unnamed speakers name nobody, so two articles' "a witness" are
# two people. Their only key is scoped to the article's text (``scope``, its digest): the same wire text
# carried under another article id is the same witness, any other article's is not.
UNMERGED_TYPES = frozenset({"UNNAMED"})


def fold(text: str) -> str:
    """Lowercase ASCII-folded text: 'Zelenskyy’s' and 'zelenskyy's' compare equal."""
    if text.isascii():  # nothing to decompose or strip
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("\u2019", "'")


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Normalized name for exact matching: folded words without punctuation or a leading article.

    'U.K.' and 'UK' both become 'uk'; possessive 's is dropped.
    """
    s = re.sub(r"'s\b", "", fold(name))
    s = re.sub(r"(?<=\b\w)\.(?=\w\.)|(?<=\.\w)\.", "", s)  # U.K. -> UK
    words = [w for w in WORD_RE.findall(s.replace(".", ""))]
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def is_name_like(alias: str) -> bool:
    """An alias that names (Zelenskyy, U.K.) rather than describes (the Ukrainian president)."""
    s = alias.strip()
    return bool(s) and s[0].isupper() and fold(s.split()[0]) not in ("the", "a", "an", "his", "her", "its", "their")


def surname(name: str) -> str:
    words = [w for w in name_key(name).split() if w not in NAME_STOP]
    return words[-1] if words else ""


def given_names(name: str) -> list[str]:
    words = [w for w in name_key(name).split() if w not in NAME_STOP]
    return words[:-1]


def fuzzy_block(etype: str, name: str) -> str:
    """Blocking key for fuzzy entity matching (what ``names_compatible`` could accept, narrowly).

    People: surname's first four letters and the first given name's initial ('' for a bare surname), since
    a match needs the surname spelled nearly alike and given names, where both have them, agreeing.
    Others: the name's words, each cut to three letters, sorted: a token-sort similarity of 92 leaves
    nearly every word's start alone, and 'Council' no longer puts every council in one block.
    """
    if etype in PERSON_TYPES:
        last = surname(name)
        given = given_names(name)
        return f"b:{etype}:{last[:4]}:{given[0][0] if given else ''}" if len(last) >= 4 else ""
    words = sorted(w[:3] for w in name_key(name).split() if w not in NAME_STOP)
    return f"b:{etype}:{' '.join(words)}" if sum(map(len, words)) >= 4 else ""


def entity_keys(etype: str, name: str, aliases: list[str], scope: str = "") -> list[str]:
    """Every blocking key an entity of this name and aliases is stored under (table ``entity_keys``).

    Exact: ``n:`` name, ``a:`` name-like alias. People also: ``s:`` surname (every person of that surname,
    for a bare 'Stoltenberg'), ``g:`` surname + given initial, ``s0:`` surname of a bare-surname entity,
    ``c:`` the coarse spelling block. Each lookup (``entity_lookup``) reads only keys whose size does not
    grow with the ledger, except a bare surname's, which is read with a cap.
    """
    if etype in UNMERGED_TYPES:
        return [f"u:{etype}:{name_key(name)}:{scope}"] if scope else []
    nkey = name_key(name)
    keys = [f"n:{etype}:{nkey}"]
    person = etype in PERSON_TYPES
    last = surname(name) if person else ""
    for a in aliases:
        akey = name_key(a)
        if is_name_like(a) and akey and not (person and akey == last):  # a person's bare surname: s: has it
            keys.append(f"a:{etype}:{akey}")
    if person and last:
        given = given_names(name)
        keys.append(f"s:{etype}:{last}")
        keys.append(f"g:{etype}:{last}:{given[0][0]}" if given else f"s0:{etype}:{last}")
        if len(last) >= 4:
            keys.append(f"c:{etype}:{last[:4]}")
    block = fuzzy_block(etype, name)
    if block:
        keys.append(block)
    return list(dict.fromkeys(keys))


def entity_lookup(etype: str, name: str, aliases: list[str], scope: str = "") -> tuple[list[str], list[str]]:
    """(narrow keys, wide keys) to find merge candidates for an incoming entity.

    Narrow keys hold a bounded number of entities whatever the ledger's size; wide keys (a bare surname
    against every person of that surname) are read with a cap by the caller.
    """
    if etype in UNMERGED_TYPES:
        return entity_keys(etype, name, aliases, scope), []
    nkey = name_key(name)
    person = etype in PERSON_TYPES
    last = surname(name) if person else ""
    narrow = [f"n:{etype}:{nkey}", f"a:{etype}:{nkey}"]
    for a in aliases:
        akey = name_key(a)
        if is_name_like(a) and akey and not (person and akey == last):
            narrow += [f"n:{etype}:{akey}", f"a:{etype}:{akey}"]
    wide: list[str] = []
    if person and last:
        given = given_names(name)
        if given:
            narrow += [f"g:{etype}:{last}:{given[0][0]}", f"s0:{etype}:{last}"]
            if len(last) >= 4:
                narrow += [f"b:{etype}:{last[:4]}:{given[0][0]}", f"b:{etype}:{last[:4]}:"]
        else:
            wide += [f"s:{etype}:{last}"] + ([f"c:{etype}:{last[:4]}"] if len(last) >= 4 else [])
    elif not person:
        block = fuzzy_block(etype, name)
        if block:
            narrow.append(block)
    return list(dict.fromkeys(narrow)), list(dict.fromkeys(wide))


def names_compatible(etype: str, a: str, b: str) -> bool:
    """Guard for a fuzzy or surname match: could ``a`` and ``b`` name the same referent?

    People: the surnames must match (up to spelling: Zelensky/Zelenskyy) and given names, where both
    have them, must agree (same name or initial). Other types: a high token-sort similarity.
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if etype in PERSON_TYPES:
        sa, sb = surname(a), surname(b)
        if not sa or not sb or fuzz.ratio(sa, sb) < 88 or sa[0] != sb[0]:
            return False
        ga, gb = given_names(a), given_names(b)
        if ga and gb:
            x, y = ga[0], gb[0]
            if len(x) == 1 or len(y) == 1:
                return x[0] == y[0]
            return fuzz.ratio(x, y) >= 85
        return True
    return fuzz.token_sort_ratio(ka, kb) >= 92


def text_key(text: str) -> str:
    """Hash of a text's folded words: the same quote in two outlets' copies, whatever the quote marks."""
    words = WORD_RE.findall(fold(text))
    return hashlib.sha1(" ".join(words).encode()).hexdigest()


def claim_tokens(text: str) -> list[str]:
    """Content words of a proposition, in order, once each."""
    out = []
    for w in WORD_RE.findall(fold(text)):
        if len(w) >= 4 and w not in CLAIM_STOP and not w.isdigit() and w not in out:
            out.append(w[:38])
    return out


def claim_keys(text: str) -> list[str]:
    """Blocking keys for claim candidates: pairs of consecutive content words ('missile strike').

    A single word ('ukraine') is shared by ever more claims as the ledger grows; a pair is specific, and
    two wordings similar enough for ``claims_same`` share most of their pairs.
    """
    toks = claim_tokens(text)
    if len(toks) < 2:
        return toks
    return list(dict.fromkeys(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)))


def claims_same(a: str, b: str) -> bool:
    """Same proposition: high token-set similarity of the folded texts (word order and small edits ignored)."""
    ka, kb = " ".join(WORD_RE.findall(fold(a))), " ".join(WORD_RE.findall(fold(b)))
    if ka == kb:
        return True
    return fuzz.token_sort_ratio(ka, kb) >= 85 or (fuzz.token_set_ratio(ka, kb) >= 92 and
                                                  min(len(ka), len(kb)) >= 0.6 * max(len(ka), len(kb)))


def date_range(d: dict | None) -> tuple[str, str] | None:
    """An event date -> (first day, last day) as ISO dates, or None when the event has no date."""
    if not d or not d.get("start"):
        return None
    start = str(d["start"])[:10]
    end = str(d.get("end") or d["start"])[:10]
    return (start, end) if end >= start else (end, start)


def dates_compatible(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    """Each date is a range at its own precision (a day, a week, a season); compatible when they overlap."""
    if a is None or b is None:
        return False
    return a[0] <= b[1] and b[0] <= a[1]


def places_compatible(a: dict | None, b: dict | None) -> bool:
    """Unknown place on either side is compatible; otherwise same geonameid, name or country."""
    if not a or not b or not (a.get("name") or a.get("country")) or not (b.get("name") or b.get("country")):
        return True
    if a.get("geonameid") and b.get("geonameid"):
        return a["geonameid"] == b["geonameid"] or _country_only_match(a, b)
    if a.get("name") and b.get("name") and name_key(a["name"]) == name_key(b["name"]):
        return True
    return _country_only_match(a, b)


def _country_only_match(a: dict, b: dict) -> bool:
    """A country-level place (e.g. 'Ukraine') is compatible with a city in that country."""
    ca, cb = a.get("country"), b.get("country")
    if not ca or not cb or ca != cb:
        return False
    return name_key(a.get("name") or "") == name_key(ca) or name_key(b.get("name") or "") == name_key(cb)


def to_utc(published: str | None) -> str | None:
    """A publication instant -> sortable UTC ISO string ('2023-09-28T12:26:00Z'); a bare date stays a date."""
    if not published:
        return None
    s = str(published).strip()
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return s[:40]
    if len(s) == 10:
        return s
    if dt.tzinfo is None:
        return dt.strftime("%Y-%m-%dT%H:%M:%S")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_day(text: str) -> str:
    """A user date filter (YYYY, YYYY-MM or YYYY-MM-DD) -> its first day as ISO."""
    s = text.strip()
    try:
        if re.fullmatch(r"\d{4}", s):
            return f"{s}-01-01"
        if re.fullmatch(r"\d{4}-\d{2}", s):
            return f"{s}-01"
        return date.fromisoformat(s[:10]).isoformat()
    except ValueError as err:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)") from err


def last_day(text: str) -> str:
    """The last day a filter like 2023 or 2023-09 covers (for --until)."""
    s = text.strip()
    if re.fullmatch(r"\d{4}", s):
        return f"{s}-12-31"
    if re.fullmatch(r"\d{4}-\d{2}", s):
        first = date.fromisoformat(f"{s}-01")
        nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return (nxt - timedelta(days=1)).isoformat()
    return parse_day(s)
