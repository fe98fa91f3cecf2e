"""Claims stage: propositions attributed to a source, with their evidential status.

Reads the spaCy parse (attribution verbs and their ccomp/xcomp, "according to X",
"X accused Y of V-ing") and what earlier stages wrote (entities for sources, quotes
so that a direct quote is not also a claim). Cue words and their scope rules are
data (``claim_cues.json``, ``evidential.json``); this module holds only the rules
that walk the parse. Everything is one pass over the tokens plus small per-claim
windows, so the cost stays linear in the document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from newsledger import data
from newsledger.analysis import resolver
from newsledger.record import Record, best_overlap

CLOSE_QUOTES = "\"”»“"
EDGE_TRIM = set(".,;:!?—–-()[]\"'“”‘’«»")
CONTENT_POS = {"NOUN", "PROPN", "VERB", "NUM", "ADJ"}


@dataclass(eq=False)
class Cand:
    """A claim found in the parse, before ids and status are fixed."""

    start: int  # first token of the proposition
    end: int  # one past its last token
    cue: Any  # the cue token (verb, or "according")
    sent: int
    subj: tuple[int, int] | None  # subject token span
    frame: tuple[int, int]  # token span of the reporting clause (for attribution-scope cues)
    kind: str = "say"
    source: str | None = None
    source_text: str | None = None
    status: str = "asserted"
    status_cue: str | None = None
    contradicted_by: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _cues() -> dict[str, Any]:
    return data.load("claim_cues.json")


def _title_words() -> dict[str, Any]:
    return data.load("titles.json")["person"]


def _ev() -> dict[str, Any]:
    return data.load("evidential.json")


# ------------------------------------------------------------------ spans and subjects

def _trim(doc: Any, s: int, e: int) -> tuple[int, int]:
    """Drop edge punctuation, conjunctions and complementisers: the claim is P as written."""
    while s < e and (doc[s].text in EDGE_TRIM or doc[s].is_punct or doc[s].is_space or doc[s].dep_ in ("mark", "cc")
                     or (doc[s].lower_ == "to" and doc[s].dep_ == "aux")):
        s += 1
    while e > s and (doc[e - 1].text in EDGE_TRIM or doc[e - 1].is_punct or doc[e - 1].is_space
                     or doc[e - 1].dep_ == "cc"):
        e -= 1
    return s, e


def _span(tok: Any) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _cut_relative(doc: Any, s: int, e: int) -> int:
    """New end: a trailing ', who ...' clause describes a person, not the claim."""
    who = set(_cues()["trim_trailing_relative"]["pronouns"])
    for i in range(s + 1, e):
        t = doc[i]
        if t.lower_ in who and doc[i - 1].text == "," and t.head.dep_ == "relcl" and t.head.right_edge.i + 1 >= e - 1:
            return i - 1
    return e


def _cut_contrast(doc: Any, s: int, e: int) -> int:
    """New end: drop a trailing 'despite ...' / ', while ...' clause (see claim_cues.json)."""
    words = set(_cues()["trim_trailing_contrast"]["words"])
    for i in range(s + 3, e):
        t = doc[i]
        if t.lower_ in words and t.dep_ in ("prep", "mark"):
            top = t if t.dep_ == "prep" else t.head
            if top.right_edge.i + 1 >= e - 1 and top.left_edge.i >= i - 1:
                return i
    return e


def _noun_phrase(tok: Any, drop: set[str]) -> tuple[int, int]:
    """Contiguous token span of ``tok`` without relative clauses, appositions and the like."""
    removed: set[int] = set()
    for t in tok.subtree:
        if t.i != tok.i and t.dep_ in drop and t.i not in removed:
            removed.update(x.i for x in t.subtree)
    s = e = tok.i
    while s - 1 >= tok.left_edge.i and (s - 1) not in removed:
        s -= 1
    while e + 1 <= tok.right_edge.i and (e + 1) not in removed:
        e += 1
    doc = tok.doc
    s2, e2 = s, e + 1
    while s2 < e2 - 1 and (doc[s2].is_punct or doc[s2].dep_ == "cc"):
        s2 += 1
    while e2 - 1 > s2 and (doc[e2 - 1].is_punct or doc[e2 - 1].dep_ == "cc"):
        e2 -= 1
    return s2, e2


def _subject_token(v: Any) -> Any | None:
    """nsubj of the verb, or of the verb it hangs from (conj, xcomp, advcl 'saying', acl 'a message blaming')."""
    cur = v
    for _ in range(6):
        subs = [ch for ch in cur.children if ch.dep_ in ("nsubj", "csubj")]
        if subs:  # "leader and Prime Minister Boris Johnson said": the one next to the verb
            before = [ch for ch in subs if ch.i < cur.i]
            return before[-1] if before else subs[0]
        if cur.lemma_ in _cues()["passive_source_verbs"]["lemmas"]:  # "X was quoted as saying P"
            sp = next((ch for ch in cur.children if ch.dep_ == "nsubjpass"), None)
            if sp is not None:
                return sp
        for ch in cur.children:
            if ch.dep_ == "agent":  # "was described by Johnson as ..., saying P"
                pobj = next((x for x in ch.children if x.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        if cur.dep_ in ("conj", "xcomp", "advcl", "acl", "ccomp", "pcomp", "prep", "dobj", "pobj") and cur.head.i != cur.i:
            cur = cur.head
        else:
            return None
    return None


# ------------------------------------------------------------------ quotes

def _quote_regions(text: str, rec: Record) -> list[tuple[int, int]]:
    """Quote spans: those the quotes stage recorded plus runs between paired quote marks.

    The own scan is a fallback while the quotes stage is empty; pairing is a single left-to-right pass.
    """
    out = [(q["span"][0], q["span"][1]) for q in rec.get("quotes", []) if q.get("span")]
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and open_at is not None:
            open_at = None  # quotes do not run across paragraphs without reopening
        if ch in "“«":
            open_at = i
        elif ch in "”»" and open_at is not None:
            out.append((open_at, i + 1))
            open_at = None
        elif ch == '"':
            if open_at is None:
                open_at = i
            else:
                out.append((open_at, i + 1))
                open_at = None
    out.sort()
    return out


def _inside_quote(regions: list[tuple[int, int]], starts: list[int], s: int, e: int) -> bool:
    k = bisect.bisect_right(starts, s)
    for j in range(max(0, k - 3), min(len(regions), k + 1)):
        qs, qe = regions[j]
        if qs <= s and e <= qe:
            return True
    return False


# ------------------------------------------------------------------ candidate finders

def _clause_claims(v: Any, si: int) -> list[Cand]:
    """'X said (that) P', 'P, X said', 'X told Y P', 'X claimed to V', 'X denied P'."""
    cues = _cues()
    doc = v.doc
    prt = cues["particle_required"].get(v.lemma_)
    if prt and not any(c.dep_ == "prt" and c.lower_ == prt for c in v.children):
        return []  # "pointed to the attack" is no report; "pointed out that P" is
    comps = [c for c in v.children if c.dep_ == "ccomp"]
    kind = "say"
    if not comps and v.lemma_ in cues["infinitive_verbs"]:
        comps = [c for c in v.children if c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to"
                                                                    for a in c.children)]
        kind = "infinitive" if comps else kind
    if not comps:
        # the parser sometimes hangs "that P" under an earlier noun ("said without evidence that P")
        for t in doc[v.i + 1:v.right_edge.i + 1]:
            if t.dep_ == "mark" and t.lower_ == "that" and t.head.pos_ in ("VERB", "AUX") and t.head.i > v.i:
                comps = [t.head]
                break
    if not comps and v.dep_ == "parataxis" and v.head.pos_ in ("VERB", "AUX"):
        # "P, he said" parsed with P as the root
        h = v.head
        if h.i < v.i:
            s, e = h.left_edge.i, v.left_edge.i
            return [Cand(s, e, v, si, None, _span(v), kind="say")]
    out = []
    seps = set(cues["left_clause_separators"]["tokens"])
    for c in comps:
        if any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children):
            continue
        if c.i < v.i:  # "P, X said": only when a comma (after any closing quote) sets P off
            k = c.right_edge.i + 1
            while k < v.i and doc[k].text in CLOSE_QUOTES + "'’":
                k += 1
            if k >= v.i or doc[k].text not in seps:
                continue
        s, e = _span(c)
        first = next((t for t in doc[s:e] if not t.is_punct and not t.is_space), None)
        if first is None or first.lower_ in cues["relative_openers"]["words"]:
            continue
        if c.i > v.i and v.lemma_ not in cues["object_is_recipient"]["lemmas"]:
            obj = next((o for o in v.children if o.dep_ == "dobj" and v.i < o.i < c.i), None)
            if obj is not None:
                s = min(s, obj.left_edge.i)
        # "said A, and that B": two claims
        parts = []
        for cj in c.children:
            if cj.dep_ != "conj" or cj.i <= c.i or cj.pos_ not in ("VERB", "AUX"):
                continue
            kids = list(cj.children)
            cc_before = cj.left_edge.i > 0 and doc[cj.left_edge.i - 1].dep_ == "cc"
            if any(m.dep_ == "mark" for m in kids) or (cc_before and any(
                    m.dep_ in ("nsubj", "nsubjpass", "expl") for m in kids)):
                parts.append(_span(cj))
                e = min(e, cj.left_edge.i)
        for ps, pe in [(s, e), *parts]:
            fs, fe = _span(v)
            out.append(Cand(ps, pe, v, si, None, (fs, fe), kind=kind))
    return out


def _accuse_claims(v: Any, si: int) -> list[Cand]:
    """'X accused Y of V-ing' -> 'Y ... V-ing ...' (object and its prepositional clause, as written)."""
    prep_word = _cues()["accuse_verbs"].get(v.lemma_)
    dobj = next((c for c in v.children if c.dep_ == "dobj"), None)
    if not prep_word or dobj is None:
        return []
    prep = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == prep_word), None)
    if prep is None:
        prep = next((c for c in dobj.children if c.dep_ == "prep" and c.lower_ == prep_word), None)
    if prep is None or not any(c.dep_ in ("pcomp", "pobj") for c in prep.children):
        return []
    s = dobj.left_edge.i
    e = max(prep.right_edge.i, dobj.right_edge.i) + 1
    return [Cand(s, e, v, si, None, _span(v), kind="accuse")]


def _object_claims(v: Any, si: int) -> list[Cand]:
    """'The Taliban have claimed responsibility (for the attack)'."""
    spec = _cues()["object_claims"].get(v.lemma_)
    if not isinstance(spec, dict):
        return []
    dobj = next((c for c in v.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
    if dobj is None or (spec["objects"] and dobj.lemma_ not in spec["objects"]) or \
            dobj.lemma_.lower() in spec.get("not_objects", []):
        return []
    e = dobj.right_edge.i + 1
    for c in v.children:
        if c.dep_ == "prep" and c.i > dobj.i and c.lower_ == "for":
            e = max(e, c.right_edge.i + 1)
    s = v.i
    subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)  # its own subject only
    if spec.get("with_subject") and subj is not None and subj.i < v.i:
        s = _noun_phrase(subj, set(_cues()["subject_drop_deps"]))[0]
    return [Cand(s, e, v, si, None, (v.i, e), kind="object")]


def _small_clause_claims(v: Any, si: int) -> list[Cand]:
    """'called the agreements "legitimate"', 'reported Monday's attack the deadliest since ...'."""
    spec = _cues()["small_clause_verbs"]
    dobj = next((c for c in v.children if c.dep_ == "dobj"), None)
    if dobj is None:
        return []
    pred = [c for c in v.children if c.i > dobj.i and (c.dep_ in spec["predicate_deps"] or
                                                       (c.dep_ == "prep" and c.lower_ == spec["as_preposition"]))]
    pred += [c for c in dobj.children if c.i > dobj.i and c.dep_ in spec["object_predicate_deps"]
             and c.pos_ == "ADJ"]
    if not pred:
        return []
    e = max(max(p.right_edge.i for p in pred), dobj.right_edge.i) + 1
    for c in v.children:  # trailing modifiers of the predicate ("the deadliest since an assault in Ghazni")
        if c.i > dobj.i and c.dep_ in ("prep", "npadvmod", "advmod") and c.i <= e + 1:
            e = max(e, c.right_edge.i + 1)
    return [Cand(dobj.left_edge.i, e, v, si, None, _span(v), kind="small")]


def _report_claims(tok: Any, si: int) -> list[Cand]:
    """'He reportedly injured three people' / 'The attacker is reported to have jumped on stage': what
    unnamed reports say. The source is the reports themselves (no entity); the proposition keeps its words."""
    spec = _cues()["report_claims"]
    doc = tok.doc
    if tok.lower_ in spec["adverbs"] and tok.dep_ == "advmod":
        head = tok.head
        finite = head.tag_ in ("VBD", "VBZ", "VBP") or any(a.dep_ in ("aux", "auxpass") for a in head.children)
        if head.pos_ not in ("VERB", "AUX") or not finite or head.dep_ in ("acl", "relcl", "advcl") or \
                head.lemma_ in _cues()["clause_verbs"]:
            return []  # "an attack reportedly carried out by X" is a description; "reportedly said P" is P's claim
        s, e = _span(head)
        if s == tok.i:
            s += 1
            while s < e and doc[s].is_punct:
                s += 1
        c = Cand(s, e, tok, si, None, (tok.i, tok.i + 1), kind="report")
        c.source_text = spec["source_text"]
        return [c]
    if tok.lemma_ in spec["passive_verbs"] and tok.tag_ == "VBN" and \
            any(ch.dep_ == "auxpass" for ch in tok.children):
        subj = next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)
        comp = next((ch for ch in tok.children if ch.dep_ == "xcomp"
                     and any(a.dep_ == "aux" and a.lower_ == "to" for a in ch.children)), None)
        if subj is None or comp is None or subj.pos_ == "PRON" and subj.lower_ in ("it", "this", "that"):
            return []
        c = Cand(subj.left_edge.i, comp.right_edge.i + 1, tok, si, None, (tok.i, tok.i + 1), kind="report")
        c.source_text = spec["source_text"] if tok.lemma_ == "report" else None
        return [c]
    return []


def _according_claims(tok: Any, si: int) -> list[Cand]:
    """'According to X, P' / 'P, according to X'."""
    doc = tok.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return []
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return []
    head = tok.head
    for _ in range(3):
        if head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT":
            break
        head = head.head
    fs, fe = tok.i, max(tok.right_edge.i, to.right_edge.i) + 1
    hs, he = _span(head)
    if head.dep_ == "ROOT":  # the whole sentence is the claim
        hs, he = head.sent.start, head.sent.end
    left, right = (hs, fs), (fe, he)
    s, e = left if (left[1] - left[0]) > (right[1] - right[0]) else right
    c = Cand(s, e, tok, si, _span(pobj), (fs, fe), kind="according")
    c.extra["subject_head"] = pobj.i
    return [c]


def _expressive(span: Any, subjects: list[Any], spec: dict[str, Any]) -> bool:
    """'I pray for his recovery', 'We are with you', 'Our thoughts are with the families': feelings and
    wishes, not statements that can be true or false."""
    root = span.root
    main = [t for t in subjects if t.head.i == root.i] or subjects[:1]
    for sub in main:
        if sub.lemma_.lower() in spec["expressive_nouns"]:
            return True
        if sub.lower_ in spec["first_person"]:
            verb = sub.head
            if verb.lemma_.lower() in spec["expressive_lemmas"]:
                return True
            if verb.lemma_ == "be" and any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
                return True
    return False


def _quote_claims(rec: Record, doc: Any, sent_of: list[int], have: list[Cand], sents: list[Any]) -> list[Cand]:
    """Direct quotes that state something are claims of their speaker, one per sentence.

    A quoted sentence counts when it is a statement: its own subject and finite verb, not a question, not a
    bare phrase ("a matter of public health") and not already inside a reported-speech claim. The speaker
    the quotes stage resolved is the source.
    """
    spec = _cues()["quote_claims"]
    out: list[Cand] = []
    if not spec["enabled"]:
        return out
    taken = [(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])) for c in have]
    seen: set[str] = set()
    starts = doc.user_data.get("newsledger.tok_starts")  # shared with the resolver: built once per doc
    if starts is None or len(starts) != len(doc):
        starts = [t.idx for t in doc]
        doc.user_data["newsledger.tok_starts"] = starts
    for q in rec.get("quotes", []):
        if not q.get("speaker") and not q.get("speaker_text"):
            continue
        if q["speaker"] is None:
            continue
        qs, qe = q["span"]
        a = bisect.bisect_left(starts, qs)
        b = bisect.bisect_left(starts, qe)
        if b - a < spec["minimum_tokens"]:
            continue
        pieces: list[tuple[int, int]] = []
        i = a
        while i < b:
            j = i + 1
            while j < b and sent_of[j] == sent_of[j - 1] and doc[j - 1].text != ";":
                j += 1
            pieces.append((i, j))
            i = j
        for s, e in pieces:
            s, e = _trim(doc, s, e)
            if e - s < spec["minimum_tokens"]:
                continue
            span = doc[s:e]
            last = doc[min(e, len(doc) - 1)] if e < b else doc[e - 1]
            if "?" in (doc[e - 1].text, last.text) or span.text.rstrip().endswith("?"):
                continue
            finite = [t for t in span if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp", "conj", "parataxis")
                      and t.tag_ in ("VBD", "VBP", "VBZ", "MD") or (t.pos_ in ("VERB", "AUX") and any(
                          x.dep_ == "aux" and x.tag_ in ("MD", "VBZ", "VBP", "VBD") for x in t.children))]
            subj = [t for t in span if t.dep_ in ("nsubj", "nsubjpass", "expl") and s <= t.head.i < e]
            if not finite or not subj:
                continue
            if any(t.lower_ in spec["not_openers"] for t in span[:1]) or _expressive(span, subj, spec):
                continue
            cs, ce = span.start_char, span.end_char
            if any(min(ce, te) - max(cs, ts) > (ce - cs) / 2 for ts, te in taken):
                continue
            if spec.get("need_name_or_number") and not any(t.ent_type_ or t.like_num for t in span):
                continue  # check-worthy: a statement about someone or something named, or a number
            if any(x.dep_ == "aux" and x.lower_ in spec["hypothetical_modals"] for x in span.root.children):
                continue  # "Russia could lay down its arms": a hypothetical or a wish, not a statement of fact
            key = " ".join(re.findall(r"\w+", span.text.lower()))
            if key in seen:
                continue  # a pull quote or headline repeating a body quote: one claim
            seen.add(key)
            # the frame is the quote's attribution ("…,” X said without providing evidence): status cues live there
            frame = (sents[sent_of[a]].start, sents[sent_of[max(a, b - 1)]].end)
            c = Cand(s, e, doc[s], sent_of[s], None, frame, kind="quote", source=q["speaker"],
                     source_text=q.get("speaker_text"))
            c.extra["quote_cue"] = q.get("cue") or "said"
            out.append(c)
    return out


# ------------------------------------------------------------------ sources

class _Sources:
    """Resolves subject spans to entity ids; pronouns to the nearest earlier compatible mention."""

    def __init__(self, rec: Record, doc: Any) -> None:
        self.rec, self.doc = rec, doc
        ents = rec.get("entities", [])
        self.types = {e["id"]: str(e.get("type", "")).upper() for e in ents}
        self.names = {e["id"]: e.get("name") for e in ents}
        m = sorted((s, e, ent["id"]) for ent in ents for s, e in ent.get("mentions", []))
        if not m:  # entities stage not there yet: fall back on the parser's own NER
            m = [(x.start_char, x.end_char, f"_ner:{x.text}") for x in doc.ents]
            self.types = {f"_ner:{x.text}": x.label_ for x in doc.ents}
        self.mentions = m
        self.starts = [x[0] for x in m]
        self.longest = max((x[1] - x[0] for x in m), default=0)
        self.shared = resolver.for_doc(rec, doc) if ents else None

    def at(self, s: int, e: int) -> str | None:
        """Same choice as record.entity_at (most overlap, then longer mention), over this index (which may
        hold the parser's own entities when the entities stage has not run)."""
        return best_overlap(self.mentions, self.starts, self.longest, s, e)

    def entity(self, s: int, e: int, head: tuple[int, int] | None = None,
               wide: tuple[int, int] | None = None) -> str | None:
        """Entity of a subject: a person named in it (also in apposition) first, then its head, then any."""
        if not self.rec.get("entities"):
            return None
        if wide:
            k = bisect.bisect_left(self.starts, wide[0])
            while k < len(self.mentions) and self.mentions[k][0] < wide[1]:
                ms, me, eid = self.mentions[k]
                if me <= wide[1] and self.types.get(eid) == "PERSON":
                    return eid
                k += 1
        return (self.at(*head) if head else None) or self.at(s, e) or (self.at(*wide) if wide else None)

    def antecedent(self, before: int, pron: str) -> tuple[str | None, str | None]:
        """(entity id, surface text) of the nearest earlier mention whose type fits the pronoun."""
        allowed = set(_cues()["pronoun_types"].get(pron, []))
        k = bisect.bisect_left(self.starts, before)
        text = self.rec["article"]["text"]
        for j in range(k - 1, max(-1, k - 60), -1):
            s, e, eid = self.mentions[j]
            if self.types.get(eid) in allowed:
                if eid.startswith("_ner:"):
                    return None, text[s:e]
                return eid, self.names.get(eid) or text[s:e]
        return None, None


def _plural_subject(pron: Any, window: int) -> Any | None:
    """The nearest earlier subject that is plural (a plural noun, or nouns joined by 'and') for 'they'/'we'."""
    doc = pron.doc
    first = pron.sent.start
    for _ in range(window):
        if first == 0:
            break
        first = doc[first - 1].sent.start
    for i in range(pron.i - 1, first - 1, -1):
        t = doc[i]
        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") and (
                t.tag_ in ("NNS", "NNPS") or any(ch.dep_ == "conj" for ch in t.children)):
            return t
    return None


def _fill_source(c: Cand, doc: Any, text: str, src: _Sources) -> None:
    if c.subj is None:
        st = _subject_token(c.cue)
        if st is None:
            return
        if st.lower_ in ("who", "which", "that") and st.head.dep_ == "relcl" and st.head.head.i != st.head.i:
            st = st.head.head  # "Mayor X, who said P": X is the source, not "who"
        c.subj = _noun_phrase(st, set(_cues()["subject_drop_deps"]))
        c.extra["subject_head"] = st.i
    s, e = c.subj
    cs, ce = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
    c.source_text = text[cs:ce]
    h = doc[c.extra.get("subject_head", e - 1)]
    plural = _cues()["plural_pronouns"]
    if h.lower_ in plural["words"]:
        group = _plural_subject(h, plural["window_sentences"])
        if group is not None:
            gs, ge = _noun_phrase(group, {"relcl", "acl", "appos", "parataxis", "advcl"})
            g0, g1 = doc[gs].idx, doc[ge - 1].idx + len(doc[ge - 1])
            c.source = src.entity(g0, g1, (group.idx, group.idx + len(group)))
            c.extra["source_resolved"] = text[g0:g1]
            return
    shared = src.shared
    if shared is not None and h.pos_ == "PRON" and h.lower_ in resolver.PERSONAL:
        eid = shared.pronoun(h)  # gender, number, salience: the resolver quotes and events share
        if eid is not None:
            c.source = eid
            c.extra["source_resolved"] = shared.by_id[eid]["name"]
            return
    if shared is not None and h.lower_ in resolver.QUANTIFIERS and any(
            ch.dep_ == "prep" and ch.lower_ == "of" for ch in h.children):
        c.source = shared.resolve(h)[0]  # "some of the protesters said"
        return
    if h.pos_ == "PRON" or h.lower_ in _cues()["pronoun_types"]:
        eid, name = src.antecedent(cs, h.lower_)
        c.source = eid
        if name:
            c.extra["source_resolved"] = name
        return
    wide = _noun_phrase(h, {"relcl", "acl", "parataxis", "advcl"})
    ws, we = doc[wide[0]].idx, doc[wide[1] - 1].idx + len(doc[wide[1] - 1])
    at_head = src.at(h.idx, h.idx + len(h))
    if shared is not None and at_head is None and (h.pos_ == "NOUN" or h.lower_ in resolver.QUANTIFIERS or (
            h.pos_ == "PROPN" and h.lower_ in _title_words())):
        # "the minister", "a witness", "the statement", "the ministry": roles, unnamed people, documents
        eid, _ = shared.resolve(h)
        if eid is not None:
            c.source = eid
            return
    c.source = src.entity(cs, ce, (h.idx, h.idx + len(h)), (ws, we))


def _document_subjects(claims: list[Cand], doc: Any) -> None:
    """'The statement also said P': the statement speaks for the source of the nearest earlier claim."""
    spec = _cues()["document_subjects"]
    lemmas = set(spec["lemmas"])
    for k, c in enumerate(claims):
        h = doc[c.extra["subject_head"]] if "subject_head" in c.extra else None
        if h is None or h.lemma_.lower() not in lemmas or c.source:
            continue
        if not any(d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in h.children):
            continue
        for prev in reversed(claims[:k]):
            if c.sent - prev.sent > spec["window_sentences"]:
                break
            if prev.source or (prev.source_text and "subject_head" in prev.extra
                               and doc[prev.extra["subject_head"]].lemma_.lower() not in lemmas):
                c.source, c.extra["source_resolved"] = prev.source, prev.source_text
                break


# ------------------------------------------------------------------ status

def _negated(words_before: str) -> bool:
    ev = _ev()
    tail = re.findall(r"[a-z']+", words_before.lower())[-ev["negation_window"]:]
    return any(w in ev["negators"] or w.endswith("n't") for w in tail)


def _find_cue(pattern: str, chunk: str) -> str | None:
    for m in re.finditer(pattern, chunk, flags=re.IGNORECASE):
        if not _negated(chunk[max(0, m.start() - 30):m.start()]):
            return m.group(0)
    return None


def _follow_targets(claims: list[Cand], doc: Any, sents: list[Any]) -> dict[int, str]:
    """Claims that an unattributed next sentence comments on ('The claim could not be verified'):
    the claims of the sentence before, or, for a sentence about figures, the nearest claim with a number."""
    ev = _ev()
    fig = ev["follow_figure_words"]
    attributed = {c.sent for c in claims}
    out: dict[int, str] = {}
    for k in sorted({c.sent + 1 for c in claims}):
        if k >= len(sents) or k in attributed:
            continue
        nxt = sents[k].text
        if not re.search(ev["follow_anaphora"], nxt, flags=re.IGNORECASE):
            continue
        targets = [c for c in claims if c.sent == k - 1]
        if re.search(fig["regex"], nxt, flags=re.IGNORECASE):
            numbered = [c for c in claims if k - fig["window_sentences"] <= c.sent < k
                        and any(t.like_num for t in doc[c.start:c.end])]
            if numbered:
                last = max(c.sent for c in numbered)
                targets = [c for c in numbered if c.sent == last]
        for c in targets:
            out[id(c)] = nxt
    return out


def _unverified(claims: list[Cand], doc: Any, text: str, sents: list[Any]) -> None:
    ev = _ev()
    follow = _follow_targets(claims, doc, sents)
    for c in claims:
        ps, pe = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])
        fs, fe = doc[c.frame[0]].idx, doc[c.frame[1] - 1].idx + len(doc[c.frame[1] - 1])
        xe = c.extra.get("full", (c.start, c.end))[1]  # the frame excludes P's clause, trimmed tail too
        pe = max(pe, doc[xe - 1].idx + len(doc[xe - 1]))
        frame = text[fs:fe] if (pe <= fs or ps >= fe) else text[fs:max(fs, ps)] + " … " + text[min(fe, pe):fe]
        chunks = {"attribution": frame, "proposition": text[doc[c.start].idx:doc[c.end - 1].idx + len(doc[c.end - 1])]}
        if c.subj:
            chunks["subject"] = text[doc[c.subj[0]].idx:doc[c.subj[1] - 1].idx + len(doc[c.subj[1] - 1])]
        if id(c) in follow:
            chunks["follow"] = follow[id(c)]
        verbs = ev["unverified_cue_verbs"]
        if c.cue.lemma_ in verbs["lemmas"] and c.kind in verbs["kinds"] and not _is_negated_verb(c.cue):
            c.status, c.status_cue = "unverified", c.cue.text
        for rule in ev["unverified"]:
            for scope in rule["scope"]:
                if scope in chunks:
                    hit = _find_cue(rule["cue"], chunks[scope])
                    if hit and c.status_cue is None or (hit and c.status_cue == c.cue.text):
                        c.status, c.status_cue = "unverified", hit
                        break


def _content(tokens: Any) -> set[str]:
    return {t.lemma_.lower() for t in tokens if t.pos_ in CONTENT_POS and not t.is_stop}


def _is_negated_verb(v: Any) -> bool:
    if any(c.dep_ == "neg" for c in v.children):
        return True
    return _negated(v.doc[max(0, v.i - 3):v.i].text)


def _same_source(a: Cand, b_source: str | None, b_text: str | None) -> bool:
    if a.source and b_source:
        return a.source == b_source
    return bool(a.source_text and b_text and a.source_text.lower() == b_text.lower())


def _mentions(c: Cand, doc: Any, eid: str | None, name: str | None, src: _Sources) -> bool:
    """Does claim ``c`` name the party ``eid``/``name`` (the denier)?"""
    s, e = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])
    if eid:
        k = bisect.bisect_left(src.starts, s)
        while k < len(src.mentions) and src.mentions[k][0] < e:
            if src.mentions[k][2] == eid:
                return True
            k += 1
    if name:
        head = name.split()[-1].lower()
        return any(t.lower_ == head for t in doc[c.start:c.end])
    return False


Act = tuple[Any, Any, bool, "Cand | None", bool, str]


def _denial_acts(claims: list[Cand], doc: Any) -> list[Act]:
    """Every act of denial: (verb, object token, object is a pointer like 'the claim', own claim, keep own,
    the words that deny).

    'X denied P' / 'X denied the report' (deny verbs); 'X rejected the claim' or '... as false' (as_verbs);
    'X called the report baseless' (pointer_false_verbs); 'X said the allegations were baseless' (a claim of X).
    A negated verb ('did not deny') is no denial.
    """
    spec = _ev()["denied"]
    verbs, as_verbs, pf_verbs = set(spec["verbs"]), set(spec["as_verbs"]), set(spec["pointer_false_verbs"])
    nouns, false_words = set(spec["claim_nouns"]), set(spec["false_words"])
    by_cue = {c.cue.i: c for c in claims}
    acts: list[Act] = []
    for d in doc:
        if d.pos_ not in ("VERB", "AUX") or d.lemma_ not in verbs | as_verbs | pf_verbs or _is_negated_verb(d):
            continue
        obj = next((c for c in d.children if c.dep_ == "dobj"), None) or \
            next((c for c in d.children if c.dep_ in ("ccomp", "xcomp", "pcomp")), None)
        prep_obj = next((c for c in d.children if c.dep_ == "prep" and c.lower_ != "as"), None)
        if obj is None and prep_obj is not None:  # "brushed off the claim"
            obj = next((c for c in prep_obj.children if c.dep_ == "pobj"), None)
        if obj is None and d.dep_ == "relcl" and d.head.lemma_.lower() in nouns:  # "a charge Washington rejected"
            obj = d.head
        if obj is None:
            continue
        if obj.dep_ == "ccomp" and d.lemma_ not in verbs:  # "called [the allegations baseless]", a small clause
            obj = next((c for c in obj.children if c.dep_ in ("nsubj", "nsubjpass")), obj)
        pointer = (obj.lemma_.lower() in nouns or obj.lower_ in nouns) and (
            obj.dep_ in ("dobj", "pobj", "nsubj") or obj.i == d.head.i)
        as_false = any(t.lower_ in false_words for t in doc[d.i:d.right_edge.i + 1])
        if d.lemma_ in as_verbs and not (pointer or as_false):
            continue
        if d.lemma_ in pf_verbs and not (pointer and as_false):
            continue
        false_at = [t for t in doc[d.i:d.right_edge.i + 1] if t.lower_ in false_words]
        # the cue is the whole "dismissed the claim as baseless" where a false word follows closely
        words = doc[d.i:false_at[0].i + 1].text if false_at and false_at[0].i - d.i <= 12 else d.text
        acts.append((d, obj, pointer, by_cue.get(d.i), False, words))
    for c in claims:
        if c.kind != "say" or _is_negated_verb(c.cue):
            continue
        span = doc[c.start:c.end]
        subj = next((t for t in span if t.dep_ in ("nsubj", "nsubjpass") and not (c.start <= t.head.head.i < c.end
                     and t.head.head.i != t.head.i) and t.pos_ == "NOUN" and t.lemma_.lower() in nouns), None)
        false_at = next((t for t in span if t.lower_ in false_words), None)
        if subj is None or false_at is None or any(t.dep_ == "neg" for t in subj.head.children):
            continue
        words = doc[min(subj.left_edge.i, false_at.i):max(subj.i, false_at.i) + 1].text
        acts.append((c.cue, subj, True, c, True, words))
    acts.sort(key=lambda a: a[0].i)
    return acts


def _denials(claims: list[Cand], doc: Any, sent_of: list[int], src: _Sources,
             text: str) -> tuple[list[Cand], list[Cand]]:
    """Mark claims that another party denies. Returns claims to drop (a denial restating an earlier
    claim) and claims to add (the 'reports that P' a party dismisses, when no one in the text made them)."""
    spec = _ev()["denied"]
    drop: list[Cand] = []
    added: list[Cand] = []
    by_sent = sorted(claims, key=lambda c: (c.sent, c.start))
    claim_sents = [c.sent for c in by_sent]
    for d, obj, pointer, own, keep_own, cue_words in _denial_acts(claims, doc):
        st = _subject_token(d)
        d_text = None
        d_src = None
        if st is not None and st.pos_ == "PRON":
            d_src, d_text = src.antecedent(st.idx, st.lower_)
        elif st is not None:
            ns, ne = _noun_phrase(st, set(_cues()["subject_drop_deps"]))
            d_text = doc[ns:ne].text
            d_src = src.entity(doc[ns].idx, doc[ne - 1].idx + len(doc[ne - 1]))
        if own is not None and keep_own:
            d_src, d_text = own.source or d_src, own.source_text or d_text
        si = sent_of[d.i]
        lo = bisect.bisect_left(claim_sents, si - spec["window_sentences"])
        hi = bisect.bisect_right(claim_sents, si)
        pool = [c for c in by_sent[lo:hi] if c is not own and c.cue.i < d.i and not _same_source(c, d_src, d_text)]
        target = None
        content = next((ch for ch in obj.children if ch.dep_ in ("acl", "ccomp", "relcl")
                        and any(m.dep_ == "mark" and m.lower_ == "that" for m in ch.children)), None)
        if pointer and content is not None:  # "dismissed reports that P": P is what is denied
            obj, pointer = content, False
            noun = content.head
        else:
            noun = None
        if pointer:
            # "rejected the accusations": a claim about the denier first, else one just before
            near = [c for c in pool if si - c.sent <= spec["pointer_window_sentences"]]
            about = [c for c in near if _mentions(c, doc, d_src, d_text, src)]
            if obj.lemma_.lower() in spec["about_nouns"]:  # unless it names the denier: an accusation, or just before
                near = about or [c for c in near if c.kind == "accuse"] or [c for c in near if si - c.sent <= 1]
            target = (about or near or [None])[-1]
        else:
            want = _content(doc[obj.left_edge.i:obj.right_edge.i + 1])
            best = 0.0
            for c in pool:
                have = _content(doc[c.start:c.end])
                if want and have:
                    ov = len(want & have) / min(len(want), len(have))
                    if ov >= spec["min_overlap"] and ov > best:
                        best, target = ov, c
        if target is not None:
            target.status, target.status_cue = "denied", cue_words
            target.extra["denied_by"] = d_src or d_text
            if own is not None and not keep_own:
                drop.append(own)
        elif noun is not None:
            # nobody in the text made the claim: it belongs to the unnamed 'reports' that are denied
            ps, pe = _trim(doc, obj.left_edge.i, obj.right_edge.i + 1)
            for t in doc[ps:pe]:  # "... as speculation" is the denial's verdict, not the report
                if t.lower_ == "as" and t.right_edge.i >= pe - 1 and any(
                        x.lower_ in spec["false_words"] or x.lemma_.lower() in spec["claim_nouns"] for x in t.children):
                    pe = t.i
                    break
            if pe - ps >= _cues()["minimum_tokens"]:
                ns, ne = _noun_phrase(noun, {"acl", "ccomp", "relcl", "appos", "punct"})
                new = Cand(ps, pe, noun, si, (ns, ne), (d.i, d.i + 1), kind="denied_report",
                           source=None, source_text=doc[ns:ne].text, status="denied", status_cue=cue_words)
                new.extra["denied_by"] = d_src or d_text
                new.extra["id"] = f"c{len(claims) + len(added) + 1}"
                added.append(new)
        elif own is not None and not keep_own and d.lemma_ in spec["verbs"]:
            # "X denies P" with no earlier claim: P is somebody's claim that X denies, not X's claim
            own.status, own.status_cue = "denied", cue_words
            own.extra["denied_by"] = d_src or d_text
            own.source, own.source_text = None, None
    return drop, added


def _contradictions(claims: list[Cand], doc: Any, sents: list[Any], text: str) -> None:
    """'P says S was killed' against S later (or in a relative clause) shown alive."""
    spec = _ev()["contradicted"]
    death = set(spec["death_lemmas"])
    alive = [re.compile(p, re.IGNORECASE) for p in spec["alive"]]
    for c in claims:
        victim = None
        for t in doc[c.start:c.end]:
            if t.lemma_ not in death:
                continue
            args = [ch for ch in t.children if ch.dep_ in ("dobj", "nsubjpass", "nsubj")]
            for a in args:
                people = [x for x in a.subtree if x.ent_type_ == "PERSON"]
                if people:
                    victim = people[-1]
                    break
            if victim is not None:
                break
        if victim is None:
            continue
        # (a) a relative clause on the victim inside the same sentence
        hit = None
        for x in doc[victim.i:sents[c.sent].end]:
            if x.dep_ == "relcl" and any(p.search(doc[x.left_edge.i:x.right_edge.i + 1].text) for p in alive):
                if x.head.i in {y.i for y in victim.head.subtree} or x.head.i == victim.i:
                    hit = (x.left_edge.i, x.right_edge.i + 1)
                    break
        # (b) a later sentence about the same person
        if hit is None:
            key = victim.text.lower()
            for s in sents[c.sent + 1:c.sent + 1 + spec["window_sentences"]]:
                if any(t.lower_ == key and t.dep_ in ("nsubj", "nsubjpass") for t in s) and \
                        any(p.search(s.text) for p in alive) and not any(t.lemma_ in death for t in s):
                    hit = (s.start, s.end)
                    break
        if hit is None:
            continue
        trimmed = _trim(doc, *hit)
        hit = trimmed if trimmed[1] > trimmed[0] else hit
        hs, he = doc[hit[0]].idx, doc[hit[1] - 1].idx + len(doc[hit[1] - 1])
        # name the claim that carries the evidence ("saying he was alive") when there is one
        by = [o for o in claims if o is not c and hit[0] <= o.start and o.end <= hit[1]
              and any(p.search(doc[o.start:o.end].text) for p in alive)]
        by = by or [o for o in claims if o is not c and o.start <= hit[0] and hit[1] <= o.end]
        c.status = "contradicted"
        c.status_cue = text[hs:he]
        c.contradicted_by = [by[0].extra["id"]] if by else [[hs, he]]


# ------------------------------------------------------------------ stage

def _figure_kind(tokens: Any, kinds: dict[str, list[str]]) -> tuple[str, str] | None:
    """(kind, number) of a casualty figure: a number next to a kill/wound word, read from the parse."""
    for t in tokens:
        if not t.like_num or t.ent_type_ in ("DATE", "TIME", "ORDINAL", "PERCENT", "MONEY"):
            continue
        near = [t.head, *t.head.children, *t.head.head.children, t.head.head]
        for kind, lemmas in kinds.items():
            if any(x.lemma_.lower() in lemmas for x in near):
                return kind, t.text.replace(",", "").lower()
    return None


def _figure_contradictions(claims: list[Cand], doc: Any, sents: list[Any], text: str) -> None:
    """A claimed casualty figure against a different figure from official data in the text."""
    spec = _ev()["contradicted"]["official_figures"]
    cue = re.compile(spec["data_cue"], re.IGNORECASE)
    evidence = []
    for k, s in enumerate(sents):
        m = cue.search(s.text)
        if m:
            fig = _figure_kind(s, spec["kinds"])
            if fig:
                evidence.append((k, fig, s))
    if not evidence:
        return
    for c in claims:
        if c.status == "contradicted":
            continue
        fig = _figure_kind(doc[c.start:c.end], spec["kinds"])
        if fig is None:
            continue
        near = sorted((abs(k - c.sent), k, efig, s) for k, efig, s in evidence
                      if k != c.sent and abs(k - c.sent) <= spec["window_sentences"] and efig[0] == fig[0])
        for _dist, _k, efig, s in near[:1]:  # the nearest official figure decides
            if efig[1] == fig[1]:
                continue
            hs, he = _trim(doc, s.start, s.end)
            if he <= hs:
                continue
            a, b = doc[hs].idx, doc[he - 1].idx + len(doc[he - 1])
            by = [o for o in claims if o is not c and hs <= o.start and o.end <= he and
                  (_figure_kind(doc[o.start:o.end], spec["kinds"]) or ("", ""))[1] == efig[1]]
            c.status, c.status_cue = "contradicted", text[a:b]
            c.contradicted_by = [by[0].extra["id"]] if by else [[a, b]]
            break


def _candidates(doc: Any, sent_of: list[int]) -> list[Cand]:
    """Every attribution in the parse, in token order (one pass over the tokens)."""
    cues = _cues()
    clause_verbs = set(cues["clause_verbs"])
    accuse = set(cues["accuse_verbs"])
    objects = {k for k, v in cues["object_claims"].items() if isinstance(v, dict)}
    small = set(cues["small_clause_verbs"]["verbs"])
    report_words = set(cues["report_claims"]["adverbs"]) | set(cues["report_claims"]["passive_forms"])
    cands: list[Cand] = []
    for t in doc:
        si = sent_of[t.i]
        if t.pos_ in ("VERB", "AUX"):
            found: list[Cand] = []
            if t.lemma_ in accuse:
                found = _accuse_claims(t, si)
            if not found and t.lemma_ in objects:
                found = _object_claims(t, si)
            if not found and t.lemma_ in small:
                found = _small_clause_claims(t, si)
            if not found and t.lemma_ in clause_verbs:
                found = _clause_claims(t, si)
            cands.extend(found)
        if t.lower_ == "according":
            cands.extend(_according_claims(t, si))
        elif t.lower_ in report_words:
            cands.extend(_report_claims(t, si))
    return cands


def _clean(cands: list[Cand], rec: Record, doc: Any) -> list[Cand]:
    """Trim each proposition to P as written; drop quotes, fragments and duplicates."""
    cues = _cues()
    text = rec["article"]["text"]
    regions = _quote_regions(text, rec)
    starts = [r[0] for r in regions]
    kept: list[Cand] = []
    seen: set[tuple[int, int]] = set()
    paras = [tuple(p) for p in rec["article"].get("paragraphs") or []] or [(0, len(text))]
    pstarts = [p[0] for p in paras]
    dateline = re.compile(cues["dateline"]["regex"])
    for c in cands:
        # a claim never runs out of its reporting paragraph (the parser can join paragraphs)
        ps, pe = paras[max(0, bisect.bisect_right(pstarts, c.cue.idx) - 1)]
        s, e = c.start, c.end
        c.extra["full"] = (s, e)
        while s < e and doc[s].idx < ps:
            s += 1
        while e > s and doc[e - 1].idx >= pe:
            e -= 1
        s, e = _trim(doc, s, e)
        if s < e and (doc[s].idx == ps or doc[s].is_sent_start):
            m = dateline.match(text[doc[s].idx:doc[e - 1].idx + len(doc[e - 1])])
            if m:  # "KYIV, Ukraine (AP) — ..." opens the paragraph, not the claim
                cut = doc[s].idx + m.end()
                while s < e and doc[s].idx < cut:
                    s += 1
        if c.kind != "object":
            e = _cut_contrast(doc, s, _cut_relative(doc, s, e))
            s, e = _trim(doc, s, e)
        if e - s < cues["minimum_tokens"] or (s, e) in seen:
            continue
        if _inside_quote(regions, starts, doc[s].idx, doc[e - 1].idx + len(doc[e - 1])):
            continue  # a direct quote is a quote, not also a claim
        if not any(t.pos_ in ("VERB", "AUX", "NOUN", "PROPN") for t in doc[s:e]):
            continue
        if s <= c.cue.i < e and c.kind not in ("object", "report"):
            continue
        if c.kind in cues["clause_kinds_need_subject"] and not any(
                t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") and s <= t.head.i < e for t in doc[s:e]):
            continue
        c.start, c.end = s, e
        seen.add((s, e))
        kept.append(c)
    return kept


def _unnest(kept: list[Cand], doc: Any) -> tuple[list[Cand], dict[int, Cand]]:
    """A report of a report ("Znak.com reported its source said P"): keep the inner claim only.

    Only when the inner reporting verb heads the outer proposition, not in "P despite X claiming Q".
    Returns the claims kept and, for each inner claim (by id()), its outer one.
    """
    cue_pos = {c.cue.i: c for c in kept}
    outer_of: dict[int, Cand] = {}
    final: list[Cand] = []
    for c in kept:
        inner = [cue_pos[i] for i in range(c.start, c.end) if i in cue_pos and cue_pos[i] is not c
                 and not (c.start <= doc[i].head.i < c.end and doc[i].head.i != i)]
        if inner and c.kind in ("say", "small", "according"):
            for x in inner:
                outer_of[id(x)] = c
            continue
        final.append(c)
    return final, outer_of


def _sources(final: list[Cand], outer_of: dict[int, Cand], doc: Any, text: str, src: _Sources) -> None:
    for c in final:
        if c.kind == "report":
            continue  # the reports themselves speak: no entity
        _fill_source(c, doc, text, src)
        outer = outer_of.get(id(c))
        h = doc[c.extra["subject_head"]] if "subject_head" in c.extra else None
        if outer is not None and (h is None or h.pos_ == "PRON" or any(
                ch.dep_ == "poss" and ch.pos_ == "PRON" for ch in h.children)):
            # "its source said P" inside "Znak.com reported ...": the outer source speaks
            _fill_source(outer, doc, text, src)
            c.source = outer.source
            c.extra["source_resolved"] = outer.source_text
        if c.source is None and c.extra.get("source_resolved") and c.source_text and \
                doc[c.extra.get("subject_head", c.start)].pos_ == "PRON":
            c.source_text = c.extra["source_resolved"]


def run(rec: Record, doc: Any) -> None:
    """Add ``claims`` to ``rec``: reported speech, accusations and 'according to' attributions with status."""
    text = rec["article"]["text"]
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for si, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = si

    final, outer_of = _unnest(_clean(_candidates(doc, sent_of), rec, doc), doc)
    src = _Sources(rec, doc)
    _sources(final, outer_of, doc, text, src)
    final += _quote_claims(rec, doc, sent_of, final, sents)
    final.sort(key=lambda c: c.start)
    _document_subjects(final, doc)
    for n, c in enumerate(final, 1):
        c.extra["id"] = f"c{n}"
    _unverified(final, doc, text, sents)
    drop, added = _denials(final, doc, sent_of, src, text)
    dropped = {id(c) for c in drop}
    final = sorted(final + added, key=lambda c: c.start)
    _contradictions(final, doc, sents, text)
    _figure_contradictions(final, doc, sents, text)

    out = []
    for c in final:
        if id(c) in dropped:
            continue
        s, e = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])
        item = {"id": c.extra["id"], "text": text[s:e], "source": c.source, "source_text": c.source_text,
                "cue": c.extra.get("quote_cue") or c.cue.text, "status": c.status, "status_cue": c.status_cue,
                "contradicted_by": c.contradicted_by, "span": [s, e]}
        if c.extra.get("denied_by"):
            item["denied_by"] = c.extra["denied_by"]
        out.append(item)
    # ids stay dense after dropping restated denials
    remap = {it["id"]: f"c{n}" for n, it in enumerate(out, 1)}
    for it in out:
        it["id"] = remap[it["id"]]
        it["contradicted_by"] = [remap[x] if isinstance(x, str) else x for x in it["contradicted_by"]
                                 if not isinstance(x, str) or x in remap]
    rec["claims"] = out
