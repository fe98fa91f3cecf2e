"""Entities stage: one entity per real-world referent across the article.

spaCy's small English model finds names but labels them inconsistently (the same
surname is PERSON in one sentence and ORG or GPE in the next) and knows nothing of
demonyms, acronyms or country codes.  This stage clusters its mentions into
referents (full name <-> surname, acronym <-> full name, demonym <-> country,
"U.K." <-> United Kingdom), adds mentions the model missed by a single regex pass
over the text, and reads titles and affiliations from pre-modifiers and
appositions.  Gazetteers (countries, demonyms, IGOs, title words) are data files.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from typing import Any

from newsledger import data
from newsledger.analysis.resolver import first_name_gender
from newsledger.record import Record

SKIP_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE"}
ACRONYM_SKIP = {"of", "the", "and", "for", "on", "in", "de", "to", "a", "&"}
TITLE_STRIP = " \t\n\"'“”‘’«»()[]{},;:!?-–—"
PUNCT_STRIP = " \t\n\"'“”‘’«»()[]{},.;:!?-–—"


# ------------------------------------------------------------------ gazetteers

@lru_cache(maxsize=65536)  # names and words recur across an article and across articles: fold each once
def _fold(text: str) -> str:
    """Case- and accent-insensitive key ("Erdoğan" ~ "Erdogan")."""
    if text.isascii():  # NFKD and combining marks change nothing in ASCII
        return re.sub(r"[’']", "'", text).lower().strip()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[’']", "'", text).lower().strip()


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(surface form -> ISO alpha-3, alpha-3 -> display name); pycountry names plus our extra aliases.

    Country codes themselves are not surface forms here: "IS" or "IT" in a text are not Iceland or Italy.
    """
    import pycountry

    extra = data.load("countries_extra.json")
    by_name: dict[str, str] = {}
    display: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            val = getattr(c, attr, None)
            if val:
                by_name.setdefault(_fold(val), c.alpha_3)
        display[c.alpha_3] = getattr(c, "common_name", None) or c.name
    for alias, code in extra["aliases"].items():
        by_name[_fold(alias)] = code
        display.setdefault(code, alias)
    display.update(extra["names"])
    return by_name, display


def country_code(text: str) -> str | None:
    """ISO alpha-3 of a country name or alias ("U.K.", "Britain", "Russia"), else None."""
    key = _fold(text)
    code = _countries()[0].get(key)
    if code is None and key.startswith("the "):
        code = _countries()[0].get(key[4:])
    return code


def country_name(code: str) -> str:
    return _countries()[1].get(code, code)


@cache
def _demonyms() -> dict[str, str]:
    return {_fold(k): v for k, v in data.load("demonyms.json").items()}


def demonym_country(text: str) -> str | None:
    """Country name for a demonym ("Russian" -> "Russia"), else None."""
    return _demonyms().get(_fold(text))


@cache
def _igos() -> dict[str, dict[str, Any]]:
    """Surface form -> IGO record. Acronyms are matched case-sensitively, names case-insensitively."""
    out: dict[str, dict[str, Any]] = {}
    for igo in data.load("igos.json")["igos"]:
        for form in [igo["code"], igo["name"], *igo["aliases"]]:
            if form[:1].isupper() or form[:1].isdigit():
                out[form if form.isupper() else _fold(form)] = igo
    return out


def igo_of(text: str) -> dict[str, Any] | None:
    t = text.strip()
    igos = _igos()
    return igos.get(t) if t.isupper() else igos.get(_fold(t))


@cache
def _titles() -> tuple[dict[str, str | None], dict[str, str]]:
    t = data.load("titles.json")
    return t["person"], t["org_sector"]


# ------------------------------------------------------------------ ruler

def add_ruler(nlp: Any) -> None:
    """Add an entity ruler before NER for names the small model gets wrong.

    Only names listed in entity_ruler.json (current spellings, weapon systems,
    fleets): a generic gazetteer of cities measurably hurt NER, so none is added.
    """
    try:
        patterns = data.load("entity_ruler.json")["patterns"]
    except (FileNotFoundError, OSError, KeyError):
        return
    if not patterns or "entity_ruler" in nlp.pipe_names or "ner" not in nlp.pipe_names:
        return
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(patterns)


# ------------------------------------------------------------------ clustering

class _Ent:
    """A referent being built: its surface forms, mentions and labels."""

    __slots__ = ("kind", "key", "name", "labels", "forms", "mentions", "code", "titles", "affiliation", "sector",
                 "tokens", "id")

    def __init__(self, kind: str, key: str, name: str) -> None:
        self.kind = kind  # person | country | igo | other
        self.key = key
        self.name = name
        self.labels: Counter[str] = Counter()
        self.forms: list[str] = []
        self.mentions: list[tuple[int, int]] = []
        self.code: str | None = None
        self.titles: list[str] = []
        self.affiliation: _Ent | None = None
        self.sector: str | None = None
        self.tokens: list[str] = []
        self.id = ""

    def add(self, start: int, end: int, form: str, label: str) -> None:
        self.mentions.append((start, end))
        self.labels[label] += 1
        if form not in self.forms:
            self.forms.append(form)


def _clean_span(span: Any) -> tuple[int, int] | None:
    """Token range of an entity span without a leading article or trailing possessive / punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_quote):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ in ("'s", "’s", "'", "’")
                           or doc[end - 1].is_punct or doc[end - 1].is_quote):
        end -= 1
    return (start, end) if end > start else None


NAME_PARTICLES_LOWER = {"von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "dos",
                        "das", "del", "della", "ter", "zu"}


def _extend_name(doc: Any, rng: tuple[int, int]) -> tuple[int, int]:
    """"Ursula von der" + "Leyen": a name the model cut after a lowercase particle runs on to the next capital."""
    start, end = rng
    if doc[end - 1].lower_ in NAME_PARTICLES_LOWER:
        while end < len(doc) and doc[end].lower_ in NAME_PARTICLES_LOWER:
            end += 1
        if end < len(doc) and doc[end].is_title:
            return start, end + 1
        return start, rng[1] - 1 if rng[1] - 1 > start else rng[1]
    return rng


_PERSON_NAME = re.compile(r"[A-Z][\w'’]*(?:-[\w'’]+)?(?: [A-Z][\w'’]*(?:-[\w'’]+)?){1,2}$")


@cache
def _org_heads() -> frozenset[str]:
    return frozenset(data.load("titles.json").get("org_heads", []))


def _org_then_name(doc: Any, rng: tuple[int, int]) -> int | None:
    """Token index where a person's name starts inside an ORG span the model ran on into it, else None.

    Only when the span's head word ends an organisation name ("International", "Ministry") and two
    capitalised words follow it: "Amnesty International Man-kei Tam" but not "Bank of England".
    """
    start, end = rng
    toks = [doc[i] for i in range(start, end) if doc[i].text not in ("-", "–")]
    if len(toks) < 4:
        return None
    heads = _org_heads()
    for cut in range(end - 2, start + 1, -1):
        if doc[cut - 1].lower_ in heads:
            rest = doc[cut:end]
            if _PERSON_NAME.match(rest.text) and all(t.pos_ in ("PROPN", "PUNCT") and t.lower_ not in heads
                                                     for t in rest):
                return cut
            return None
    return None


def _looks_like_titled_name(doc: Any, rng: tuple[int, int]) -> bool:
    """A two- or three-word capitalised name right after a person title ("Chancellor", "Adm.")."""
    start, end = rng
    if not 2 <= end - start <= 3 or start == 0:
        return False
    if not all(doc[i].is_title for i in range(start, end)) or any(doc[i].is_punct for i in range(start, end)):
        return False
    prev = doc[start - 1]
    sector = _titles()[0].get(prev.lower_)
    return bool(sector) and (prev.is_title or prev.text.endswith(".")) and prev.lower_ not in ("police", "state")


def _name_tokens(text: str) -> list[str]:
    words = [w for w in re.split(r"\s+", _fold(text)) if w]
    return [w[3:] if w.startswith(("al-", "el-")) and len(w) > 5 else w for w in words]


ORG_GENERIC_TAIL = {"party", "movement"}


def _org_key(form: str) -> str:
    """"Labour Party" ~ "Labour", "Houthis" ~ "Houthi movement", "Conservatives" ~ "Conservative Party"."""
    toks = _fold(form).split()
    if len(toks) >= 2 and toks[-1] in ORG_GENERIC_TAIL:
        toks = toks[:-1]
    if len(toks) == 1 and len(toks[0]) > 4 and toks[0].endswith("s") and not toks[0].endswith("ss"):
        toks = [toks[0][:-3] + "y" if toks[0].endswith("ies") else toks[0][:-1]]
    return " ".join(toks)


def _acronym(name: str) -> str:
    parts = [p for p in re.split(r"[\s-]+", name) if p and p.lower() not in ACRONYM_SKIP]
    return "".join(p[0] for p in parts if p[0].isupper()) if len(parts) >= 2 else ""


def _strip_possessive(text: str) -> str:
    return re.sub(r"[’']s?$", "", text).strip(PUNCT_STRIP)


def _nearest(cands: list[_Ent], pos: int) -> _Ent:
    """The candidate with a mention closest before ``pos`` (else closest after)."""
    def dist(ent: _Ent) -> tuple[int, int]:
        before = [pos - s for s, _ in ent.mentions if s <= pos]
        if before:
            return (0, min(before))
        return (1, min(s - pos for s, _ in ent.mentions))
    return min(cands, key=dist)


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.ents: list[_Ent] = []
        self.by_key: dict[tuple[str, str], _Ent] = {}
        self.org_before: dict[int, int] = {}  # person mention start -> start of the organisation named just before

    def get(self, kind: str, key: str, name: str) -> _Ent:
        ent = self.by_key.get((kind, key))
        if ent is None:
            ent = _Ent(kind, key, name)
            self.by_key[(kind, key)] = ent
            self.ents.append(ent)
        return ent

    def gazetteer_entity(self, form: str, label: str) -> _Ent | None:
        """Country / demonym / IGO referent for a surface form, or None."""
        code = country_code(form)
        if code is None:
            country = demonym_country(form)
            if country is not None:
                code = country_code(country)
                if code is None:
                    ent = self.get("other", _fold(country), country)
                    return ent
        if code is not None:
            ent = self.get("country", code, country_name(code))
            ent.code = code
            return ent
        igo = igo_of(form)
        if igo is not None:
            ent = self.get("igo", igo["code"], igo["name"])
            ent.code = igo["code"]
            return ent
        return None


def _build(rec: Record, doc: Any) -> list[_Ent]:
    text = rec["article"]["text"]
    b = _Builder(text)
    raw: list[tuple[int, int, str, str]] = []  # char start, end, form, label
    taken_to = -1  # token index up to which a name was extended over the model's next span
    for span in doc.ents:
        if span.label_ in SKIP_LABELS or span.start < taken_to:
            continue
        rng = _clean_span(span)
        if rng is None:
            continue
        if span.label_ == "PERSON":
            rng = _extend_name(doc, rng)
            taken_to = rng[1]
        s, e = doc[rng[0]].idx, doc[rng[1] - 1].idx + len(doc[rng[1] - 1])
        form = text[s:e]
        if not any(ch.isalpha() for ch in form) or "\n" in form:
            continue
        if rng[1] - rng[0] == 1 and doc[rng[0]].lower_ in _titles()[0]:
            continue  # "Defense" alone is a title word the model took for a name
        label = span.label_
        split = _org_then_name(doc, rng) if label == "ORG" else None
        if split is not None:  # "Amnesty International Man-kei Tam": the organisation, then the person
            o_end = doc[split - 1].idx + len(doc[split - 1])
            raw.append((s, o_end, text[s:o_end], "ORG"))
            p_start = doc[split].idx
            raw.append((p_start, e, text[p_start:e], "PERSON"))
            b.org_before[p_start] = s
            continue
        if label != "PERSON" and _looks_like_titled_name(doc, rng):
            label = "PERSON"  # "German Chancellor Olaf Scholz" tagged ORG
        raw.append((s, e, form, label))
    person_tails = {tuple(_name_tokens(f)[-1:]) for _, _, f, lab in raw if lab == "PERSON"}
    for i, (s, e, form, label) in enumerate(raw):
        words = form.split()
        if label in ("ORG", "GPE", "NORP", "LOC") and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) \
                and (tuple(_name_tokens(form)[-1:]) in person_tails or first_name_gender(words[0]) is not None) \
                and country_code(form) is None and demonym_country(form) is None and igo_of(form) is None \
                and not any(_fold(w) in _org_heads() for w in words):
            # "Olaf Scholz" (ORG) where "Scholz" is PERSON elsewhere; "Gáspár Maróth" (ORG): a given name first
            raw[i] = (s, e, form, "PERSON")

    persons: list[tuple[int, int, str, str]] = []
    rest: list[tuple[int, int, str, str]] = []
    for m in raw:
        s, e, form, label = m
        gaz = b.gazetteer_entity(form, label) if label != "PERSON" or country_code(form) else None
        if gaz is not None:
            gaz.add(s, e, form, label)
        elif label == "PERSON":
            persons.append(m)
        else:
            rest.append(m)

    # Persons: longest names first, then shorter forms attach to the referent whose name ends (or starts) with them.
    person_ents: list[_Ent] = []
    persons.sort(key=lambda m: (-len(_name_tokens(m[2])), m[0]))
    for s, e, form, label in persons:
        toks = _name_tokens(form)
        exact = [p for p in person_ents if p.tokens == toks]
        if exact:
            exact[0].add(s, e, form, label)
            continue
        cands = [p for p in person_ents if len(toks) < len(p.tokens) and
                 (p.tokens[-len(toks):] == toks or (len(toks) == 1 and p.tokens[0] == toks[0])
                  or (len(toks) >= 2 and p.tokens[0] == toks[0] and p.tokens[-1] == toks[-1]))]
        if not cands and len(toks) == 1:  # a middle name or the first part of a double surname
            cands = [p for p in person_ents if toks[0] in p.tokens[1:] and len(toks[0]) > 3]
        if cands:
            _nearest(cands, s).add(s, e, form, label)
            continue
        ent = b.get("person", " ".join(toks), form)
        ent.tokens = toks
        ent.add(s, e, form, label)
        person_ents.append(ent)

    # Other names: the small model often labels a surname ORG or GPE; a known person's name wins.
    others: list[tuple[int, int, str, str]] = []
    for s, e, form, label in rest:
        toks = _name_tokens(form)
        cands = [p for p in person_ents if p.tokens == toks or
                 (len(toks) < len(p.tokens) and p.tokens[-len(toks):] == toks and len(toks[-1]) > 2)]
        if cands:
            _nearest(cands, s).add(s, e, form, "PERSON")
        else:
            others.append((s, e, form, label))

    # Organisations and places: longest first, acronyms and name tails join a longer name.
    others.sort(key=lambda m: (-len(m[2]), m[0]))
    named: list[_Ent] = []
    for s, e, form, label in others:
        key = _org_key(form) if label in ("ORG", "NORP") else _fold(form)
        ent = b.by_key.get(("other", key))
        if ent is None:
            toks = key.split()
            if form.isupper() and len(form) >= 2:
                cands = [o for o in named if _acronym(o.name) == form.replace(".", "")]
            else:
                cands = [o for o in named if len(toks) >= 2 and len(toks) < len(o.tokens)
                         and o.tokens[-len(toks):] == toks and o.labels.most_common(1)[0][0] == label]
            if len(cands) == 1:
                ent = cands[0]
            else:
                ent = b.get("other", key, form)
                ent.tokens = toks
                named.append(ent)
        ent.add(s, e, form, label)

    _acronym_in_parens(b, text)
    _extra_mentions(b, doc)
    starts = {s: ent for ent in b.ents for s, _ in ent.mentions}
    for p_start, o_start in b.org_before.items():
        person, org = starts.get(p_start), starts.get(o_start)
        if person is not None and org is not None and person.kind == "person" and person.affiliation is None:
            person.affiliation = org
    return b.ents


def _acronym_in_parens(b: _Builder, text: str) -> None:
    """"Syrian Democratic Forces (SDF)": the bracketed acronym is an alias of the name before it."""
    forms = {}
    for ent in b.ents:
        for _s, e in ent.mentions:
            forms[e] = ent
    for m in re.finditer(r"\s?\(([A-Z][A-Za-z.&-]{1,9})\)", text):
        ent = forms.get(m.start())
        if ent is None:
            continue
        acr = m.group(1)
        other = b.by_key.get(("other", _fold(acr)))
        if other is not None and other is not ent and other.kind == "other":
            ent.mentions.extend(other.mentions)
            ent.labels.update(other.labels)
            for f in other.forms:
                if f not in ent.forms:
                    ent.forms.append(f)
            b.ents.remove(other)
            del b.by_key[("other", other.key)]
        elif acr not in ent.forms:
            ent.forms.append(acr)


_BAD_START_TAGS = {"DATE", "TIME", "CARDINAL", "ORDINAL"}


@cache
def _forms_by_country() -> dict[str, list[str]]:
    """ISO alpha-3 -> surface forms from our gazetteers (aliases and demonyms)."""
    out: dict[str, list[str]] = {}
    for alias, code in data.load("countries_extra.json")["aliases"].items():
        out.setdefault(code, []).append(alias)
    for dem, country in data.load("demonyms.json").items():
        code = country_code(country)
        if code:
            out.setdefault(code, []).append(dem)
    return out


def _search_forms(ent: _Ent) -> list[str]:
    """Surface forms to look for in the whole text: those seen, plus gazetteer forms of countries and IGOs."""
    forms = list(ent.forms)
    if ent.kind == "person":
        for f in list(forms):
            words = _strip_possessive(f).split()
            if len(words) >= 2:  # "Daniel Ortega Ruiz" is later "Ortega Ruiz"; "Maria Lopez" is "Lopez"
                forms += [" ".join(words[1:]), words[-1]]
        forms = [f for f in forms if f[:1].isupper() and len(f) > 2 and f.lower() not in _titles()[0]]
    if ent.kind == "country" and ent.code:
        forms += [ent.name, *_forms_by_country().get(ent.code, [])]
    elif ent.kind == "igo" and ent.code:
        igo = igo_of(ent.code) or {}
        forms += [igo.get("code", ""), igo.get("name", ""), *igo.get("aliases", [])]
    return [f for f in forms if f]


def _extra_mentions(b: _Builder, doc: Any) -> None:
    """Mentions the model missed: every other occurrence of a known surface form (one regex pass)."""
    text = b.text
    form_of: dict[str, _Ent] = {}
    for ent in b.ents:
        for f in _search_forms(ent):
            if len(f) >= 2:
                form_of.setdefault(f, ent)
    if not form_of:
        return
    covered = sorted(m for ent in b.ents for m in ent.mentions)
    starts = [s for s, _ in covered]

    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in sorted(form_of, key=len, reverse=True))
                         + r")(?![\w])")
    for m in pattern.finditer(text):
        s, e = m.span()
        i = bisect.bisect_right(starts, e) - 1
        clash = False
        while i >= 0 and covered[i][1] > s - 200:
            cs, ce = covered[i]
            if cs < e and s < ce:
                clash = True
                break
            i -= 1
        if clash:
            continue
        ent = form_of[m.group(0)]
        if ent.kind == "person" or " " not in m.group(0):
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or span[0].ent_type_ in _BAD_START_TAGS or (
                    ent.kind == "person" and span[0].pos_ not in ("PROPN", "NOUN", "X")):
                continue
        ent.mentions.append((s, e))


# ------------------------------------------------------------------ titles and affiliation

def _mention_owner(ents: list[_Ent]) -> list[tuple[int, int, _Ent]]:
    return sorted(((s, e, ent) for ent in ents for s, e in ent.mentions), key=lambda m: (m[0], m[1]))


def _owners_in(index: list[tuple[int, int, _Ent]], start: int, end: int, skip: _Ent) -> list[_Ent]:
    """Entities with a mention inside [start, end); ``index`` is sorted by start (bisect, no full scan)."""
    i = bisect.bisect_left(index, start, key=lambda m: m[0])
    out = []
    while i < len(index) and index[i][0] < end:
        s, e, ent = index[i]
        if e <= end and ent is not skip:
            out.append(ent)
        i += 1
    return out


def _left_title(doc: Any, tok_start: int, titles: dict[str, str | None]) -> tuple[int, int] | None:
    """Token range of a title before a name: "NATO Secretary-General", "U.K. Defense Secretary", "Adm."."""
    i = tok_start - 1
    if i < 0 or doc[i].lower_ not in titles:
        return None
    end = tok_start
    while i >= 0:
        t = doc[i]
        if t.text in ("-", "–") and i > 0 and not doc[i - 1].whitespace_ and not t.whitespace_:
            i -= 1
            continue
        if t.ent_type_ in SKIP_LABELS or t.pos_ in ("DET", "VERB", "AUX", "ADP", "PRON", "CCONJ") or t.is_punct:
            break
        if t.lower_ in titles or t.is_title or t.is_upper:
            i -= 1
            continue
        break
    start = i + 1
    return (start, end) if start < end else None


def _titles_and_affiliations(b_ents: list[_Ent], doc: Any, text: str) -> None:
    titles, _ = _titles()
    index = _mention_owner(b_ents)
    for ent in b_ents:
        if ent.kind != "person":
            continue
        for s, e in ent.mentions:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            rng = _left_title(doc, span.start, titles)
            appos = None
            root = span.root
            left_appos = None
            if root.dep_ == "appos" and root.head.i < span.start and root.head.pos_ == "NOUN":
                head = root.head
                lo = head.left_edge.i
                while lo < head.i and doc[lo].pos_ == "DET":
                    lo += 1
                left_appos = (lo, head.i + 1)
            for child in root.children:
                if child.dep_ == "appos" and child.i >= span.end and (
                        child.pos_ == "NOUN" or child.pos_ == "PROPN" and child.lower_ in titles):
                    sub = list(child.subtree)
                    if len(sub) <= 10:
                        appos = (sub[0].i, sub[-1].i + 1)
            for r in (rng, left_appos, appos):
                if r is None:
                    continue
                t_s, t_e = doc[r[0]].idx, doc[r[1] - 1].idx + len(doc[r[1] - 1])
                title = text[t_s:t_e].strip(TITLE_STRIP)
                if title and title not in ent.titles and len(title) < 80:
                    ent.titles.append(title)
                if ent.affiliation is None:
                    inside = _owners_in(index, t_s, t_e, ent)
                    orgs = [o for o in inside if o.kind in ("other", "igo") and o.labels.most_common(1)[0][0] == "ORG"]
                    places = [o for o in inside if o.kind == "country" or "GPE" in o.labels]
                    pick = (orgs or places or [None])[0]
                    if pick is not None and pick.kind != "person":
                        ent.affiliation = pick
    for ent in b_ents:
        if ent.kind == "person":
            for title in ent.titles:
                for w in reversed(title.split()):
                    sector = titles.get(w.lower())
                    if sector:
                        ent.sector = sector
                        break
                if ent.sector:
                    break
        elif ent.kind == "other" and ent.labels.most_common(1)[0][0] == "ORG":
            _, org_sector = _titles()
            for w in reversed(_fold(ent.name).split()):
                if w in org_sector:
                    ent.sector = org_sector[w]
                    break
            # "Russian Foreign Ministry", "U.K. Ministry of Defense": the country inside the name.
            for s, e in ent.mentions[:1]:
                inside = [o for o in _owners_in(index, s, e, ent) if o.kind == "country"]
                if inside:
                    ent.affiliation = inside[0]


ROLE_SKIP = {"official", "officer", "leader", "chief", "head", "director", "police", "major", "general", "justice",
             "speaker", "state", "executive"}


def _role_mentions(ents: list[_Ent], text: str) -> None:
    """Definite descriptions as mentions: "the Ukrainian president", "the spokeswoman" -> the person titled so
    earlier; "the fleet", "the ministry" -> the organisation named so earlier. Nearest earlier referent only."""
    person_words, org_words = _titles()
    roles = sorted((w for w, sec in person_words.items() if sec and w.replace("-", "").isalpha() and w not in ROLE_SKIP),
                   key=len, reverse=True)
    heads = sorted(w for w in org_words if w not in ("government", "state"))
    index = _mention_owner(ents)
    starts = [m[0] for m in index]
    pattern = re.compile(r"\b[Tt]he (?:([A-Z][\w.-]*|[a-z]+) )?(" + "|".join(roles + heads) + r")(?![\w-])", re.I)
    by_pos: list[tuple[int, int, _Ent]] = []
    for m in pattern.finditer(text):
        s, e = m.span()
        i = bisect.bisect_left(starts, s)
        if i < len(index) and index[i][0] < e or i > 0 and index[i - 1][1] > s and index[i - 1][2].kind == "person":
            if not (i < len(index) and index[i][2].kind in ("country", "other") and index[i][1] - index[i][0] <= 12):
                continue  # overlaps a name; a demonym inside ("the Ukrainian president") is fine
        word, mod = m.group(2).lower(), (m.group(1) or "").lower()
        best, best_pos = None, -1
        for ent in ents:
            if word in heads:
                ok = ent.kind in ("other", "igo") and _fold(ent.name).split()[-1:] == [word]
            else:
                titles = " ".join(ent.titles).lower()
                ok = ent.kind == "person" and word in re.findall(r"[\w.-]+", titles)
                if ok and mod and mod not in titles:
                    aff = ent.affiliation
                    code = country_code(demonym_country(mod) or mod)
                    ok = aff is not None and code is not None and (aff.code == code or (
                        aff.affiliation is not None and aff.affiliation.code == code))
            if not ok:
                continue
            last = max((ms for ms, _ in ent.mentions if ms < s), default=-1)
            if last > best_pos:
                best, best_pos = ent, last
        if best is not None:
            by_pos.append((s, e, best))
    for s, e, ent in by_pos:
        ent.mentions.append((s, e))


def _country_inside(b: list[_Ent], text: str) -> None:
    """Country named inside an ORG name ("Russian Foreign Ministry"): the ORG's affiliation. A capital or seat of
    government ("Moscow", "the Kremlin") keeps its own entity with the country, when the text names it, as affiliation."""
    by_code = {ent.code: ent for ent in b if ent.kind == "country"}
    capitals = {_fold(k): v for k, v in data.load("countries_extra.json").get("capitals", {}).items()}
    for ent in b:
        if ent.kind == "other" and ent.affiliation is None:
            target = by_code.get(capitals.get(_fold(_strip_possessive(ent.name)), ""))
            if target is not None:
                ent.affiliation = target
    for ent in b:
        if ent.kind != "other" or ent.affiliation is not None or ent.labels.most_common(1)[0][0] != "ORG":
            continue
        words = ent.name.split()
        for n in (2, 1):
            head = " ".join(words[:n])
            if len(words) <= n:
                continue
            code = country_code(head) or country_code(demonym_country(head) or "")
            if code:
                target = by_code.get(code)
                if target is None:
                    continue
                ent.affiliation = target
                break


# ------------------------------------------------------------------ output

_TYPE_OF_KIND = {"person": "PERSON", "country": "GPE", "igo": "ORG"}


def _type(ent: _Ent) -> str:
    if ent.kind in _TYPE_OF_KIND:
        return _TYPE_OF_KIND[ent.kind]
    label = ent.labels.most_common(1)[0][0] if ent.labels else "ORG"
    return "GPE" if label == "NORP" and ent.kind == "other" and demonym_country(ent.forms[0] if ent.forms else "") \
        else label


def _display_name(ent: _Ent, text: str) -> str:
    if ent.kind in ("country", "igo"):
        return ent.name
    forms = [_strip_possessive(f) for f in ent.forms] or [ent.name]
    if ent.kind == "person":
        return max(forms, key=lambda f: (len(f.split()), len(f)))
    return max(forms, key=lambda f: (len(f), f))


def run(rec: Record, doc: Any) -> None:
    """Fill rec["entities"]: one item per referent, ordered by first mention."""
    text = rec["article"]["text"]
    ents = [e for e in _build(rec, doc) if e.mentions]
    _titles_and_affiliations(ents, doc, text)
    _country_inside(ents, text)
    _role_mentions(ents, text)
    ents.sort(key=lambda e: min(e.mentions))
    for i, ent in enumerate(ents, 1):
        ent.id = f"e{i}"
    out = []
    for ent in ents:
        name = _display_name(ent, text)
        mentions = sorted(set(ent.mentions))
        aliases: list[str] = []
        for s, e in mentions:
            form = text[s:e]
            if form != name and form not in aliases:
                aliases.append(form)
        for f in ent.forms:
            if f != name and f not in aliases:
                aliases.append(f)
        if ent.kind == "igo" and ent.code and ent.code != name and ent.code in text and ent.code not in aliases:
            aliases.append(ent.code)
        out.append({
            "id": ent.id, "name": name, "type": _type(ent), "aliases": aliases, "titles": ent.titles,
            "affiliation": ent.affiliation.id if ent.affiliation is not None and ent.affiliation.id else None,
            "mentions": [list(m) for m in mentions], "code": ent.code, "sector": ent.sector,
        })
    rec["entities"] = out
