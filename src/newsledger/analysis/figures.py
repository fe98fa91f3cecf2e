"""figures stage: money, casualty figures, counts and percentages, each with its value normalised.

Each item is ``{"id", "text", "value", "unit", "kind", "span", "qualifier"}``:
- money: ``unit`` is the ISO 4217 code, ``kind`` "money" ("2.4 billion euros" -> 2400000000 EUR);
- casualties: ``kind`` killed / wounded / missing / arrested / displaced / ... read from the parse
  ("killed 34 officers and wounded 105 others", "68 people were missing", "six deaths");
- counts: ``kind`` "count" and ``unit`` the noun counted ("40 drone attacks");
- ``percent`` and ``quantity`` (distances, barrels) for the rest; qualifiers ("at least", "more than",
  "about", ranges) go to ``qualifier``.

Why not quantulum3: it reads "($2.5 billion)" as -2.5e9, attaches no noun to counts and knows no
casualties. A regex finds the number phrases (digits, spelled numbers, scales, currency marks), and
the spaCy dependency parse says what each one counts. Words live in ``data/figures.json``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from text_to_num import text2num

from newsledger import data
from newsledger.record import Record

CORE_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj", "appos", "oprd", "dative")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _lex() -> dict[str, Any]:
    return data.load("figures.json")


@cache
def _number_rx() -> re.Pattern[str]:
    lx = _lex()
    words = [w for w in lx["number_words"] if " " not in w] + ["a dozen"]
    numw = _alt(words)
    piece = rf"(?:a[\s-]half|a[\s-]quarter|{numw})"
    word_num = rf"(?:{numw})(?:(?:\s+|-)(?:and(?:\s+|-))?{piece}(?![\w]))*"
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    long_scales = [w for w in lx["scales"] if w not in lx["short_scales_need_money"]]
    scale = rf"(?:\s+(?P<lscale>(?i:{_alt(long_scales)}))(?![\w])|\s?(?P<sscale>{_alt(lx['short_scales_need_money'])})(?![\w]))"
    cur = rf"(?P<cur>{_alt(list(lx['currency_symbols']))})\s?"
    vague = rf"(?P<vague>(?i:{_alt(list(lx['vague_numbers']))}))(?![\w])"
    short = rf"\s?(?:{_alt(lx['short_scales_need_money'])})(?![\w])"
    rx = (rf"(?:{cur})?(?:(?<![\w.,:-])(?P<num>{digits})(?:(?={short})|(?![\w:]|[.,]\d))|(?<![\w-])(?P<wnum>(?i:{word_num}))(?![\w-])|"
          rf"(?<![\w-]){vague}){scale}?")
    return re.compile(rx)


def _words_value(text: str) -> float | None:
    """Value of a spelled number ("fourteen", "three-and-a-half", "a dozen"); text2num does the rest."""
    lx = _lex()
    t = text.lower().replace("-", " ")
    frac = 0.0
    for word, f in (("a half", 0.5), ("a quarter", 0.25)):
        if t.endswith(word):
            frac = f
            t = t[: -len(word)].strip()
            if t.endswith(" and"):
                t = t[:-4].strip()
    if t in ("a dozen", "dozen"):
        return 12.0 + frac
    try:
        return float(text2num(t, "en")) + frac
    except ValueError:
        pass
    total = 0.0
    for w in t.split():  # text2num refuses some forms it calls ambiguous ("one hundred and five")
        if w == "and":
            continue
        v = lx["number_words"].get(w)
        if v is None:
            return None
        if v in (100, 12) and w in ("hundred", "dozen"):
            total = (total or 1) * v
        else:
            total += v
    return total + frac


def _as_number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 6)


def _token_span(doc: Any, start: int, end: int) -> Any | None:
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _is_toll(tok: Any) -> bool:
    return tok is not None and tok.lower_ in ("toll", "tolls")


def _casualty_kind(tok: Any, depth: int = 0) -> str | None:
    """The casualty kind of a nominal (the counted noun, or the number standing alone), from the parse."""
    lx = _lex()
    verbs, adjs = lx["casualty_verbs"], lx["casualty_adjectives"]
    head = tok.head
    # "40 people killed", "hundreds of Taliban killed": a participle on the noun
    for c in tok.children:
        if c.dep_ in ("acl", "amod", "relcl") and c.tag_ == "VBN" and c.lemma_.lower() in verbs and c.i > tok.i:
            return verbs[c.lemma_.lower()]
        if c.dep_ in ("acl", "relcl") and c.lemma_.lower() == "take" and c.i > tok.i:
            for cc in c.children:  # "240 taken hostage"
                if cc.lower_ in lx["taken_as"]:
                    return lx["taken_as"][cc.lower_]
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" and depth < 2:
                    k = _casualty_kind(p, depth + 1)
                    if k:
                        return k
    dep = tok.dep_
    if dep == "pobj" and head.dep_ == "prep":
        prep_head = head.head
        for _ in range(2):  # "from fourteen to 31": climb the chain of prepositions
            if prep_head.dep_ == "prep":
                prep_head = prep_head.head
        if head.lower_ == "of" and prep_head.lower_ in ("total", "toll", "tolls") and depth < 2:
            return "killed" if _is_toll(prep_head) else _casualty_kind(prep_head, depth + 1)
        if head.lower_ in ("to", "from", "at", "of", "by") and (
                _is_toll(prep_head) or any(_is_toll(c) for c in prep_head.children if c.dep_ in ("nsubj", "dobj"))):
            return "killed"  # "the toll rose to 31", "increasing the death toll from fourteen to 31"
    if dep in ("dobj", "attr") and any(_is_toll(c) for c in head.children if c.dep_ in ("nsubj", "nsubjpass")):
        return "killed"  # "death tolls exceeded 100"
    lemma = head.lemma_.lower()
    if dep == "dobj" and lemma in verbs:
        return verbs[lemma]
    if dep == "nsubjpass" and lemma in verbs:
        return verbs[lemma]
    if dep == "nsubj" and lemma in lx["subject_verbs"]:
        return lx["subject_verbs"][lemma]  # "three people died", "500,000 people fled"
    if dep == "pobj" and head.lower_ in lx["inherit_preps"] and depth < 2:
        # "killing 11 people, including two children": the children share the kind
        return _casualty_kind(head.head, depth + 1) if head.head.pos_ in ("NOUN", "PROPN", "NUM") else None
    if dep in ("nsubj", "nsubjpass"):
        if head.pos_ == "ADJ" and head.lower_ in adjs:
            return adjs[head.lower_]  # "dozens dead"
        for c in head.children:  # "68 people were missing", "39 are confirmed dead"
            if c.dep_ in ("acomp", "oprd", "attr", "xcomp") and c.i > head.i - 1:
                if c.lower_ in adjs:
                    return adjs[c.lower_]
                if c.lemma_.lower() in verbs and c.tag_ in ("VBN", "VB"):
                    return verbs[c.lemma_.lower()]
                for cc in c.children:  # "are believed to have been killed"
                    if cc.dep_ in ("xcomp", "acomp", "oprd") and cc.lemma_.lower() in verbs:
                        return verbs[cc.lemma_.lower()]
    if dep == "conj" and depth < 3:
        return _casualty_kind(head, depth + 1) if head.pos_ in ("NOUN", "PROPN", "NUM", "PRON") else None
    if depth == 0:
        for other in tok.conjuncts:  # "150 security forces, 95 civilians, and hundreds of Taliban killed"
            if other.i > tok.i:
                for c in other.children:
                    if c.dep_ in ("acl", "amod") and c.tag_ == "VBN" and c.lemma_.lower() in verbs:
                        return verbs[c.lemma_.lower()]
    return None


def _counted_noun(num_tok: Any) -> Any | None:
    """The noun a number counts: up the nummod/compound chain, or the pobj of "dozens of"."""
    tok = num_tok
    for _ in range(4):
        if tok.dep_ in ("nummod", "compound", "quantmod", "amod") and tok.head.i > tok.i:
            tok = tok.head
            if tok.pos_ in ("NOUN", "PROPN"):
                return tok
            if tok.pos_ != "NUM":
                return None
        else:
            break
    for c in num_tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN"):
                    return p
    return None


def _qualifier(text: str, start: int) -> tuple[str | None, int]:
    lx = _lex()
    before = text[max(0, start - 30):start]
    m = re.search(rf"(?<![\w])(?P<q>(?i:{_alt(list(lx['qualifiers']))}))\s+$", before)
    if not m:
        return None, start
    return lx["qualifiers"][m.group("q").lower()], start - (len(before) - m.start("q"))


def _in_spans(s: int, e: int, mask: bytearray) -> bool:
    return any(mask[s:e])


def find(text: str, doc: Any = None, timex_spans: list[tuple[int, int]] | None = None) -> list[dict[str, Any]]:
    """Every figure in ``text``; ``doc`` is its spaCy parse (None: money and percentages only)."""
    mask = bytearray(len(text))  # characters inside a date expression
    for a, b in timex_spans or []:
        mask[a:b] = b"\x01" * max(0, min(b, len(text)) - a)
    matches = list(_number_rx().finditer(text))
    ents = _ent_map(doc)
    out: list[dict[str, Any]] = []
    last_end = -1
    skip_next = False
    for k, m in enumerate(matches):
        if skip_next:
            skip_next = False
            continue
        if m.start() < last_end:
            continue
        item = _classify(text, doc, m, mask, ents)
        if item is None:
            continue
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        link = re.match(r"\s*(?P<w>to|and|-|–)\s*$", text[m.end():nxt.start()]) if nxt else None
        before = text[max(0, item["span"][0] - 12):item["span"][0]].lower()
        if link and nxt is not None:
            between = before.rstrip().endswith("between")
            if (link.group("w") == "and" and between) or (link.group("w") != "and" and not before.rstrip().endswith("from")):
                second = _classify(text, doc, nxt, mask, ents)
                if second is not None and second["value"] > item["value"]:
                    # "between 36 and 40 people", "six to eight drones": one figure, the low bound its value
                    start = item["span"][0]
                    item = {**second, "text": text[start:second["span"][1]], "span": [start, second["span"][1]],
                            "value": item["value"], "value_max": second["value"],
                            "qualifier": "between" if between else "range"}
                    skip_next = True
        out.append(item)
        last_end = item["span"][1]
    for i, item in enumerate(out, 1):
        item["id"] = f"f{i}"
    return [{"id": it["id"], **{k: v for k, v in it.items() if k != "id"}} for it in out]


def _ent_map(doc: Any) -> dict[int, Any]:
    """Token index -> the named-entity span that holds it."""
    out: dict[int, Any] = {}
    for ent in doc.ents if doc is not None else ():
        for i in range(ent.start, ent.end):
            out[i] = ent
    return out


@cache
def _context_rx() -> dict[str, re.Pattern[str]]:
    """What may follow a number: currency word, percent, unit, calibre, age, time unit."""
    lx = _lex()
    cur_words = rf"\s+(?P<cw>(?i:{_alt(list(lx['currency_words']))}|{_alt([k for k in lx['currency_symbols'] if k.isalpha() and k.isupper()])}))(?![\w])"
    pct = r"(?P<pct>\s?%|\s+(?i:percent|per\s+cent|percentage\s+points?)(?![\w]))"
    units = rf"\s*(?P<unit>(?i:{_alt(lx['measure_units'])}))(?![\w])"
    calibre = rf"\s*-?(?i:{_alt(lx['calibre_units'])})(?![a-z])"
    ages = r"(?:\s*-?\s*(?i:year|yr)s?[\s-]*old|\s+(?i:years?\s+old))"
    times = rf"(?:\s*-?\s*(?i:{_alt([u.lstrip('-') for u in lx['time_units']])})(?![\w]))"
    return {"cur_words": re.compile(cur_words), "pct": re.compile(pct), "units": re.compile(units),
            "calibre": re.compile(calibre), "ages": re.compile(ages), "times": re.compile(times)}


def _classify(text: str, doc: Any, m: re.Match[str], timex_mask: bytearray,
              ents: dict[int, Any]) -> dict[str, Any] | None:
    """One number phrase -> a figure item (no id yet), or None when it is no figure."""
    lx = _lex()
    s, e = m.start(), m.end()
    rx = _context_rx()
    g = m.groupdict()
    if g["num"]:
        value = float(g["num"].replace(",", ""))
    elif g["wnum"]:
        v = _words_value(g["wnum"])
        if v is None:
            return None
        value = v
    else:
        value = float(lx["vague_numbers"][g["vague"].lower()])
    scale_word = (g.get("lscale") or g.get("sscale") or "").lower()
    if g.get("sscale") and not g.get("cur"):
        # "3m" is three million only as money; otherwise "3m" may be metres
        if not rx["cur_words"].match(text[e:e + 30]):
            e = m.start("sscale")
            scale_word = ""
    if scale_word:
        value *= lx["scales"][scale_word]
    after = text[e:e + 40]
    before = text[max(0, s - 20):s].lower()
    qualifier, q_start = _qualifier(text, s)
    if g.get("vague"):
        qualifier = qualifier or "at least"
    item: dict[str, Any] | None = None
    cm = rx["cur_words"].match(after)
    if g.get("cur") or cm:
        code = lx["currency_symbols"][g["cur"]] if g.get("cur") else None
        end = e
        if cm:
            word = cm.group("cw")
            code = code if code and code != "USD" else lx["currency_words"].get(word.lower(), word.upper())
            end = e + cm.end()
        item = {"text": text[q_start:end], "value": _as_number(value), "unit": code, "kind": "money",
                "span": [q_start, end], "qualifier": qualifier}
    elif (pm := rx["pct"].match(after)):
        end = e + pm.end()
        item = {"text": text[q_start:end], "value": _as_number(value), "unit": "%", "kind": "percent",
                "span": [q_start, end], "qualifier": qualifier}
    else:
        if _in_spans(s, e, timex_mask):
            return None
        if rx["ages"].match(after) or rx["times"].match(after) or rx["calibre"].match(after):
            return None
        if re.search(r"(?:\baged?|\bno\.|\bnumber|[a-z]-)\s*$", before) or re.match(r"[/:]\d", after):
            return None
        if g.get("vague") and re.search(r"\bthe\s*$", before):  # "numbering in the millions"
            return None
        if g["num"] and not scale_word and re.fullmatch(r"(1[6-9]|20)\d\d", g["num"]):
            return None  # a year
        words_before = before.split()
        if words_before and words_before[-1].rstrip(".") in [w.rstrip(".") for w in lx["skip_before"]]:
            return None
        um = rx["units"].match(after)
        if um:
            end = e + um.end()
            item = {"text": text[q_start:end], "value": _as_number(value), "unit": um.group("unit"),
                    "kind": "quantity", "span": [q_start, end], "qualifier": qualifier}
        else:
            item = _count_or_casualty(text, doc, s, e, q_start, value, qualifier, g, ents)
    return item


def _count_or_casualty(text: str, doc: Any, s: int, e: int, q_start: int, value: float,
                       qualifier: str | None, g: dict[str, Any], ents: dict[int, Any]) -> dict[str, Any] | None:
    """A number with no currency, percent or unit: what does it count, and is it a casualty?"""
    lx = _lex()
    span = _token_span(doc, s, e)
    if span is None:
        return None
    num_tok = span[-1]
    if num_tok.ent_type_ in ("TIME", "ORDINAL", "LAW", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT",
                             "PERSON", "GPE"):
        return None
    ent = ents.get(num_tok.i)
    if num_tok.ent_type_ == "DATE" and ent is not None and any(
            t.is_alpha and not t.like_num and t.lower_ not in ("to", "and", "from", "between") for t in ent):
        return None  # "seven days", "the 1990s"; spaCy also calls "from fourteen to 31" a DATE
    noun = _counted_noun(num_tok)
    if noun is None and span.end < len(doc):
        # the parse can lose a long number ("three-and-a-half million refugees"): take the plural noun
        # that follows, over at most one modifier
        for t in doc[span.end:min(len(doc), span.end + 2)]:
            if t.tag_ in ("NNS", "NNPS"):
                noun = t
                break
            if t.pos_ not in ("ADJ", "NOUN", "PROPN") or t.tag_ == "NNP":
                break
    if noun is not None and noun.lower_ in lx["time_units"]:
        return None
    nominal = noun if noun is not None else num_tok
    kind = None
    if noun is not None and noun.lower_ in lx["casualty_nouns"]:
        kind = lx["casualty_nouns"][noun.lower_]
    kind = kind or _casualty_kind(nominal)
    single = value == 1 and (g.get("wnum") or "").lower() in ("one", "a")
    if kind is None and single:
        return None  # "one of the", "One MP told": not a figure
    end = e
    unit = None
    if noun is not None and noun.i >= num_tok.i:
        end = noun.idx + len(noun.text)
        unit = re.sub(r"^of\s+", "", text[e:end].strip()) or None
    if kind is None:
        if noun is None and num_tok.dep_ not in CORE_DEPS:
            return None
        if noun is None and num_tok.dep_ == "pobj" and num_tok.head.lower_ in ("at", "to", "by"):
            return None  # "died at 44", "rose to 450", "won by 3": a level or an age, not a count
        kind = "count"
    return {"text": text[q_start:end], "value": _as_number(value), "unit": unit, "kind": kind,
            "span": [q_start, end], "qualifier": qualifier}


def run(rec: Record, doc: Any) -> None:
    """Add ``rec["figures"]``; numbers inside the dates the timexes stage found are not figures."""
    text = (rec.get("article") or {}).get("text") or ""
    spans = [tuple(t["span"]) for t in rec.get("timexes") or [] if t.get("span")]
    rec["figures"] = find(text, doc, spans)
