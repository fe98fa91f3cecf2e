"""Quotes stage: every run of text between quotation marks, and who said it.

Quote marks are paired with a small state machine per paragraph rather than a
regex, because news text mixes curly and straight marks (“…" happens), uses the
same character for apostrophes and single quotes (doesn’t, Ukraine’s), and
leaves a quote open at the end of a paragraph when it continues in the next.
Speakers come from the dependency parse: the subject of a cue verb (data file
quote_cues.json) next to the quote, then continuation and neighbouring-sentence
rules. Who the speaker phrase refers to (pronouns, role nouns, "the statement", unnamed
people) is decided by the shared resolver (resolver.py) that claims and events use too.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from newsledger import data
from newsledger.analysis import resolver
from newsledger.record import Record, entity_at

DOUBLE_OPEN = {"“", "«", "„"}
DOUBLE_CLOSE = {"”", "»"}
SINGLE_OPEN = {"‘", "‹"}
SINGLE_CLOSE = {"’", "›"}
TRIM = " \t\n"
RELATIVE = {"which", "that", "who", "whom", "whose", "what", "it", "there", "this"}
SUBORDINATE = {"as", "if", "whether", "because", "although", "though", "unless", "while"}
OPEN_CONTEXT = set(" \t\n([{—–-/:;") | DOUBLE_OPEN


@cache
def _cues() -> dict[str, Any]:
    c = data.load("quote_cues.json")
    return {"verbs": set(c["verbs"]), "pronouns": c["pronouns"], "nouns": set(c["nouns"])}


@dataclass
class _Quote:
    start: int  # text start (inside the marks)
    end: int
    mark_start: int  # position of the opening mark
    mark_end: int  # position after the closing mark (or paragraph end when left open)
    para: int
    closed: bool
    continues: bool = False  # the previous paragraph's quote runs on into this one
    speaker: str | None = None
    speaker_text: str | None = None
    cue: str | None = None
    how: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ finding quotes

def _is_opener(text: str, i: int, lo: int) -> bool:
    """A straight or curly mark at i opens a quote when it starts a word after space/punctuation."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in OPEN_CONTEXT or before in "\"'‘“") and not after.isspace()


def _is_closer(text: str, i: int, hi: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < hi else " "
    return not before.isspace() and not after.isalnum()


def _find_in_paragraph(text: str, lo: int, hi: int, para: int, carry_open: bool) -> tuple[list[_Quote], bool]:
    """Double-quoted runs in text[lo:hi]; single-quoted runs only outside double quotes.

    Returns the quotes and whether a double quote is still open at the paragraph end.
    """
    out: list[_Quote] = []
    open_at: int | None = None
    continues = False
    depth = 0
    for m in re.finditer(r"[“”\"«»„]", text[lo:hi]):
        i = lo + m.start()
        ch = text[i]
        if open_at is None:
            if ch in DOUBLE_OPEN or (ch == '"' and _is_opener(text, i, lo)):
                open_at = i
                continues = carry_open and not out and text[lo:i].strip() == ""
            elif ch in ("”", "»", '"') and not out and carry_open and text[lo:i].strip():
                # continuation paragraph that does not re-open the quote: it closes here
                out.append(_Quote(lo, i, lo, i + 1, para, True, continues=True))
        else:
            if ch == '"' and text[i - 1:i].isspace() and text[i + 1:i + 2].isalnum():
                depth += 1  # a nested straight quote opens inside the quote
            elif ch == '"' and depth:
                depth -= 1
            elif ch in DOUBLE_CLOSE or ch == '"':
                out.append(_Quote(open_at + 1, i, open_at, i + 1, para, True, continues=continues))
                open_at = None
            # a second opener while open: keep the first (a nested or mistyped mark)
    still_open = False
    if open_at is not None:
        out.append(_Quote(open_at + 1, hi, open_at, hi, para, False, continues=continues))
        still_open = True
    out.extend(_single_quotes(text, lo, hi, para, out))
    out.sort(key=lambda q: q.mark_start)
    return out, still_open


def _single_quotes(text: str, lo: int, hi: int, para: int, doubles: list[_Quote]) -> list[_Quote]:
    """‘…’ and '…' runs outside double quotes; apostrophes inside words (doesn’t, Ukraine’s) are not marks."""
    inside = [(q.mark_start, q.mark_end) for q in doubles]

    def masked(i: int) -> bool:
        return any(s <= i < e for s, e in inside)

    out: list[_Quote] = []
    open_at: int | None = None
    for m in re.finditer(r"[‘’']", text[lo:hi]):
        i = lo + m.start()
        if masked(i):
            continue
        ch = text[i]
        prev = text[i - 1] if i > lo else " "
        nxt = text[i + 1] if i + 1 < hi else " "
        if prev.isalnum() and nxt.isalnum():
            continue  # apostrophe inside a word
        if open_at is None:
            if (ch == "‘" or ch == "'") and _is_opener(text, i, lo) and nxt.isalnum():
                open_at = i
        elif (ch == "’" or ch == "'") and _is_closer(text, i, hi):
            if prev == "s" and nxt == " " and i + 2 < hi and text[i + 2].islower() and "’" not in text[i + 1:hi] \
                    and "'" not in text[i + 1:hi]:
                continue  # a plural possessive ("protesters' demands") with no closer later on
            out.append(_Quote(open_at + 1, i, open_at, i + 1, para, True))
            open_at = None
    return out


def _trim(text: str, q: _Quote) -> bool:
    """Shrink [start, end) to the quoted words; False when nothing is left."""
    s, e = q.start, q.end
    while s < e and text[s] in TRIM:
        s += 1
    while e > s and text[e - 1] in TRIM:
        e -= 1
    q.start, q.end = s, e
    return e > s and any(ch.isalnum() for ch in text[s:e])


def _is_title_of_work(words: list[str]) -> bool:
    """'Fighting for Freedom': every long word capitalised, no sentence punctuation."""
    long_words = [w for w in words if len(w) > 3]
    return len(long_words) >= 2 and all(w[:1].isupper() for w in long_words) and not re.search(r"[.,!?;:]$", words[-1])


def _asides(text: str, lo: int, hi: int, keep: int) -> list[tuple[int, int]]:
    """Dash or bracket asides in text[lo:hi] that do not hold position ``keep`` ("— as X noted —")."""
    out = []
    for m in re.finditer(r"[—–]\s[^—–“”\"]{2,120}?\s[—–]|\([^()“”\"]{2,120}\)", text[lo:hi]):
        a, b = lo + m.start(), lo + m.end()
        if not a <= keep < b:
            out.append((a, b))
    return out


# ------------------------------------------------------------------ token helpers

class _Doc:
    """Character -> token lookup over a spaCy Doc (built once, no per-quote scans)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def tokens(self, lo: int, hi: int) -> range:
        """Token indices whose start lies in [lo, hi)."""
        return range(bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi))


def _agent(verb: Any) -> Any | None:
    """"was told by X", "described by X as": the by-phrase object of a passive verb."""
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _subject(cue: Any) -> Any | None:
    """The speaker token of a cue verb: its agent or subject, else that of the verb it hangs from.

    A participle set off by a comma ("X described how it unfolded, stating “…”") speaks for the subject
    of the main clause, whatever clause the parser hung it from.
    """
    if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp", "conj") and cue.i > 0 and \
            cue.doc[cue.i - 1].text in (",", "—", "–"):
        root = cue.sent.root
        subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < cue.i]
        if subj:
            return subj[0]
    node = cue
    for _ in range(5):
        agent = _agent(node)
        if agent is not None:
            return agent
        subjects = [c for c in node.children if c.dep_ == "nsubj" or c.dep_ == "nsubjpass" and not (
            node is cue and cue.lemma_ in ("quote", "tell", "ask"))]
        if subjects:
            # "Party leader and Prime Minister Boris Johnson said": the parser may give two subjects; the name wins
            return max(subjects, key=lambda c: (c.pos_ == "PROPN", c.i))
        if node.dep_ == "ROOT" or node.head is node or node.dep_ in ("ccomp", "relcl"):
            break
        node = node.head
    return None


# ------------------------------------------------------------------ speaker resolution

class _Resolver:
    def __init__(self, rec: Record, doc: Any, quotes: list[_Quote]) -> None:
        self.rec = rec
        self.text = rec["article"]["text"]
        self.d = _Doc(doc)
        self.cues = _cues()
        self.masks = sorted((q.mark_start, q.mark_end) for q in quotes)
        self.mask_starts = [s for s, _ in self.masks]
        ents = rec.get("entities", [])
        self.by_id = {e["id"]: e for e in ents}
        self.mentions = sorted((s, e, ent["id"]) for ent in ents for s, e in ent.get("mentions", []))
        self.shared = resolver.for_doc(rec, doc)

    def masked(self, char: int) -> bool:
        i = bisect.bisect_right(self.mask_starts, char) - 1
        return i >= 0 and self.masks[i][0] <= char < self.masks[i][1]

    # --- cue search
    def cue_in(self, lo: int, hi: int, nearest_to: int, limit: int | None = None,
               first_only: bool = False, after: bool = False) -> tuple[Any, Any] | None:
        """(cue token, speaker token or None) for the cue in [lo, hi) closest to ``nearest_to``."""
        doc = self.d.doc
        found = []
        asides = _asides(self.text, lo, hi, nearest_to)
        for i in self.d.tokens(lo, hi):
            t = doc[i]
            if self.masked(t.idx) or any(a <= t.idx < b for a, b in asides):
                continue  # "X said — as the BBC noted — “…”": the aside's verb is not the quote's cue
            if t.lemma_ in self.cues["verbs"] and t.pos_ in ("VERB", "AUX") and (any(
                    c.dep_ == "mark" and c.lower_ in SUBORDINATE for c in t.children) or (
                    t.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in t.children))):
                continue  # "as reported by X", "if written by X": not the act of speech that gives the quote
            if after and t.lemma_ in self.cues["verbs"] and any(
                    c.dep_ == "ccomp" and c.i > t.i and not self.masked(c.idx) for c in t.children):
                continue  # "“…” Sources report she is ...": a later verb with its own reported clause
            own_subject = any(c.dep_ == "nsubj" and c.lower_ not in RELATIVE for c in t.children)
            if t.lemma_ in self.cues["verbs"] and t.pos_ in ("VERB", "AUX") and t.dep_ in ("relcl", "acl") and \
                    own_subject and (after or (t.dep_ == "relcl" and 0 <= nearest_to - t.idx <= 16)):
                found.append(t)  # "which the BBC describes as “…”"
                continue
            if t.lemma_ in self.cues["verbs"] and t.pos_ in ("VERB", "AUX") and t.dep_ not in ("relcl", "acl", "amod"):
                found.append(t)
                if first_only:
                    break
            elif first_only and (t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "conj") or t.pos_ == "SCONJ"
                                 or t.lower_ in (";", "while", "but")):
                break  # another clause starts before any cue: the quote is not its object
            elif t.lower_ == "according" and i + 1 < len(doc) and doc[i + 1].lower_ == "to":
                found.append(t)
        if not found:
            return None
        found.sort(key=lambda t: abs(t.idx - nearest_to))
        for t in found:
            if limit is not None and abs(t.idx - nearest_to) > limit:
                break
            sp = self.speaker_token(t, lo, hi)
            if sp is not None:
                return t, sp
        return None

    def speaker_token(self, cue: Any, lo: int, hi: int) -> Any | None:
        doc = self.d.doc
        if cue.lower_ == "according":
            to = doc[cue.i + 1]
            for child in to.children:
                if child.dep_ == "pobj":
                    return child
            return doc[cue.i + 2] if cue.i + 2 < len(doc) else None
        subj = _subject(cue)
        if subj is not None and not self.masked(subj.idx) and subj.lower_ not in ("that", "which", "this", "there"):
            return subj
        # parser missed it: "said a protester", "said Zelenskyy", or a name right before the cue
        for k in range(cue.i + 1, min(cue.i + 5, len(doc))):
            t = doc[k]
            if t.idx >= hi or self.masked(t.idx) or t.is_punct:
                break
            if t.pos_ in ("NOUN", "PROPN", "PRON") and t.lower_ != "it":
                while t.dep_ in ("compound", "flat") and t.head.i > t.i:
                    t = t.head
                return t
        for k in range(cue.i - 1, max(cue.i - 4, -1), -1):
            t = doc[k]
            if t.idx < lo or self.masked(t.idx):
                break
            if t.pos_ in ("PROPN", "PRON") and t.lower_ != "it" and (
                    entity_at(self.rec, t.idx, t.idx + 1) or t.lower_ in self.cues["pronouns"]):
                return t
        return None

    # --- turn a speaker token into (entity id, speaker text)
    def resolve(self, tok: Any) -> tuple[str | None, str]:
        """Speaker entity of the phrase headed by ``tok``: the shared resolver (also used by claims and events)."""
        eid, text = self.shared.resolve(tok)
        self.by_id = self.shared.by_id
        return eid, text

    def other_person_between(self, speaker: str | None, lo: int, hi: int) -> bool:
        """True when someone other than ``speaker`` is named or a pronoun subject appears in [lo, hi)."""
        i = bisect.bisect_left(self.mentions, (lo, 0, ""))
        while i < len(self.mentions) and self.mentions[i][0] < hi:
            s, _e, eid = self.mentions[i]
            if eid != speaker and self.by_id[eid]["type"] == "PERSON" and not self.masked(s):
                return True
            i += 1
        return False

    def main_clause(self, lo: int, hi: int) -> tuple[Any, Any] | None:
        """(verb, subject) of the clause in [lo, hi) that introduces a quote after a colon.

        "According to X, ...:" -> X; "... Y, who cited his experience:" -> Y (the relative clause nearest the
        colon); otherwise the first verb with its own subject.
        """
        doc = self.d.doc
        toks = list(self.d.tokens(lo, hi))
        for i in toks:
            t = doc[i]
            if t.lower_ == "according" and i + 1 < len(doc) and doc[i + 1].lower_ == "to" and not self.masked(t.idx):
                obj = next((c for c in doc[i + 1].children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return t, obj
        for i in reversed(toks):
            t = doc[i]
            if t.pos_ in ("VERB", "AUX") and not self.masked(t.idx):
                if t.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in ("who", "which") for c in t.children):
                    return t, t.head
                break
        for i in toks:
            t = doc[i]
            if t.pos_ not in ("VERB", "AUX") or self.masked(t.idx) or t.dep_ in ("relcl", "acl", "advcl", "pcomp"):
                continue
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.idx >= lo and c.lower_ not in RELATIVE:
                    return t, c
        return None

    # --- windows
    def sentence_of(self, char: int) -> Any:
        return self.d.doc[self.d.token_at(char)].sent


def _attribute(res: _Resolver, quotes: list[_Quote], paragraphs: list[list[int]]) -> None:
    text = res.text
    for qi, q in enumerate(quotes):
        p_lo, p_hi = paragraphs[q.para]
        prev_q = quotes[qi - 1] if qi > 0 else None
        next_q = quotes[qi + 1] if qi + 1 < len(quotes) else None
        prev_close = prev_q.mark_end if prev_q is not None and prev_q.para == q.para and \
            prev_q.mark_end <= q.mark_start else p_lo
        next_open = next_q.mark_start if next_q is not None and next_q.para == q.para else p_hi
        sent_end = res.sentence_of(max(q.mark_end - 1, q.mark_start)).end_char
        sent_start = res.sentence_of(q.mark_start).start_char
        after = (q.mark_end, min(next_open, max(sent_end, q.mark_end), p_hi))
        # "… ,” X said": the after-window may run past a sentence end the parser put at the closing mark
        if after[1] - after[0] < 3:
            nxt = res.sentence_of(min(q.mark_end + 1, len(text) - 1))
            after = (q.mark_end, min(next_open, nxt.end_char, p_hi))
        lead = text[p_lo:q.mark_start].rstrip()
        if sent_start >= q.mark_start - 1 and lead and lead[-1] not in ".!?\"”":
            sent_start = res.sentence_of(len(lead) + p_lo - 1).start_char
        before = (max(prev_close, sent_start, p_lo), q.mark_start)
        ends_comma = text[q.start:q.end].rstrip().endswith((",", "—", "–")) or text[q.mark_end:q.mark_end + 2].strip() == ","
        found = None
        order = [("after", after), ("before", before)] if ends_comma else [("before", before), ("after", after)]
        for how, (lo, hi) in order:
            if hi - lo < 2:
                continue
            hit = res.cue_in(lo, hi, q.mark_end if how == "after" else q.mark_start, first_only=how == "after",
                             after=how == "after")
            if hit is not None:
                found = (how, hit)
                break
        head = text[before[0]:before[1]].rstrip()
        if found is None and head.endswith((":", ",")) and len(head.split()) >= 2:
            # "X defended his decision: “…”": the clause that introduces the quote says who speaks
            intro = res.main_clause(before[0], before[0] + len(head))
            if intro is not None:
                verb, subj = intro
                q.speaker, q.speaker_text = res.resolve(subj)
                q.cue, q.how = verb.lemma_, "intro"
                continue
        if found is None:
            # headline style "X: “…”"
            if head.endswith(":") and len(head[-60:].split()) <= 6:
                eid = entity_at(res.rec, max(before[0], before[1] - 60), before[1])
                if eid is not None:
                    q.speaker, q.speaker_text, q.cue, q.how = eid, res.by_id[eid]["name"], None, "colon"
                    continue
        if found is not None:
            how, (cue, tok) = found
            q.speaker, q.speaker_text = res.resolve(tok)
            q.cue = "according to" if cue.lower_ == "according" else cue.lemma_
            q.how = how
    _propagate(res, quotes, paragraphs)


def _propagate(res: _Resolver, quotes: list[_Quote], paragraphs: list[list[int]]) -> None:
    """Continuation rules for quotes with no cue of their own."""
    # a quote running over paragraphs: every part has the speaker of the part that names one
    chains: list[list[_Quote]] = []
    for q in quotes:
        if q.continues and chains and not chains[-1][-1].closed:
            chains[-1].append(q)
        else:
            chains.append([q])
    for chain in chains:
        named = [q for q in chain if q.how]
        if named and len(chain) > 1:
            src = named[-1] if not named[0].how else named[0]
            for q in chain:
                if not q.how:
                    q.speaker, q.speaker_text, q.cue, q.how = src.speaker, src.speaker_text, src.cue, "continued"
    last_named: dict[int, _Quote] = {}  # paragraph -> its last quote with a speaker so far
    for qi, q in enumerate(quotes):
        if not q.how:
            _from_context(res, quotes, qi, paragraphs, last_named)
        if not q.how:
            _run_on(res, quotes, qi, paragraphs)
        if q.how:
            last_named[q.para] = q
    _repeats(res.text, quotes)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _repeats(text: str, quotes: list[_Quote]) -> None:
    """A headline, subheading or pull quote that repeats a body quote takes the body quote's speaker."""
    named = [(q, _words(text[q.start:q.end])) for q in quotes if q.speaker is not None]
    for q in quotes:
        if q.speaker is not None or q.how:
            continue
        mine = _words(text[q.start:q.end])
        if len(mine) < 3:
            continue
        for src, words in named:
            if src is q:
                continue
            pool = " " + " ".join(words) + " "
            if " " + " ".join(mine) + " " in pool or (
                    len(set(mine) & set(words)) >= 0.8 * len(set(mine)) and len(set(mine)) >= 5):
                q.speaker, q.speaker_text, q.cue, q.how = src.speaker, src.speaker_text, src.cue, "repeat"
                break


def _run_on(res: _Resolver, quotes: list[_Quote], qi: int, paragraphs: list[list[int]]) -> None:
    """A paragraph that is only a quote, right after a paragraph whose last quote has a speaker, goes on
    with that speaker (a run of quotes by one speaker over several paragraphs)."""
    text = res.text
    q = quotes[qi]
    if qi == 0 or q.para == 0:
        return
    prev = quotes[qi - 1]
    p_lo, p_hi = paragraphs[q.para]
    if prev.para != q.para - 1 or prev.speaker is None or text[p_lo:q.mark_start].strip():
        return
    tail = text[prev.mark_end:paragraphs[prev.para][1]]
    own = text[q.mark_end:p_hi]
    if re.search(r"\w", tail.strip(" .,\n")) and res.other_person_between(prev.speaker, prev.mark_end, q.mark_start):
        return
    if len(own.strip()) > 3 and res.cue_in(q.mark_end, p_hi, q.mark_end) is not None:
        return
    q.speaker, q.speaker_text, q.cue, q.how = prev.speaker, prev.speaker_text, prev.cue, "run"


def _from_context(res: _Resolver, quotes: list[_Quote], qi: int, paragraphs: list[list[int]],
                  last_named: dict[int, _Quote]) -> None:
    """Speaker of a quote with no cue beside it: same-paragraph continuation, next or previous sentence."""
    text = res.text
    q = quotes[qi]
    # a later quote in the same paragraph after "X said." belongs to X
    src = last_named.get(q.para)
    if src is not None and not res.other_person_between(src.speaker, src.mark_end, q.mark_start):
        q.speaker, q.speaker_text, q.cue, q.how = src.speaker, src.speaker_text, src.cue, "continued"
        return
    # the next sentence: "“…” X said." split by the parser
    p_lo, p_hi = paragraphs[q.para]
    nxt_sent = res.sentence_of(min(q.mark_end, len(text) - 1))
    if nxt_sent.start_char < q.mark_end:
        nxt_sent = res.sentence_of(min(nxt_sent.end_char + 1, len(text) - 1)) if nxt_sent.end_char < p_hi else None
    if nxt_sent is not None and nxt_sent.start_char < p_hi and len(nxt_sent) <= 12 and not any(
            ch in text[nxt_sent.start_char:nxt_sent.end_char] for ch in "“\"‘«"):
        hit = res.cue_in(nxt_sent.start_char, nxt_sent.end_char, nxt_sent.start_char)
        if hit is not None:
            q.speaker, q.speaker_text = res.resolve(hit[1])
            q.cue, q.how = hit[0].lemma_, "next"
            return
    # the previous sentence introduces a quote that opens its own sentence or paragraph
    starts_sentence = text[res.sentence_of(q.mark_start).start_char:q.mark_start].strip() == ""
    if starts_sentence:
        psent_pos = res.sentence_of(q.mark_start).start_char - 1
        while psent_pos > 0 and text[psent_pos].isspace():
            psent_pos -= 1
        if psent_pos > 0 and q.para > 0 or psent_pos >= p_lo:
            ps = res.sentence_of(psent_pos)
            if ps.start_char >= paragraphs[max(0, q.para - 1)][0]:
                hit = res.cue_in(ps.start_char, ps.end_char, ps.end_char)
                if hit is not None:
                    prev_quote = quotes[qi - 1] if qi > 0 else None
                    if prev_quote is not None and prev_quote.mark_end > ps.start_char and prev_quote.how:
                        q.speaker, q.speaker_text, q.cue = prev_quote.speaker, prev_quote.speaker_text, prev_quote.cue
                    else:
                        q.speaker, q.speaker_text = res.resolve(hit[1])
                        q.cue = "according to" if hit[0].lower_ == "according" else hit[0].lemma_
                    q.how = "previous"


# ------------------------------------------------------------------ stage

def find_quotes(text: str, paragraphs: list[list[int]]) -> list[_Quote]:
    """All quotation runs, paragraph by paragraph, in text order (before filtering)."""
    out: list[_Quote] = []
    carry = False
    for pi, (lo, hi) in enumerate(paragraphs):
        found, carry = _find_in_paragraph(text, lo, hi, pi, carry)
        out.extend(found)
    return out


def _kind(text: str, q: _Quote, sent_start: int) -> str:
    """direct: the quote opens its sentence or follows a colon/comma; partial: embedded mid-sentence."""
    lead = text[sent_start:q.mark_start].rstrip()
    first = text[q.start:q.start + 1]
    if not lead or lead.endswith((":", ",", "—", "–")) or q.continues:
        return "direct"
    return "partial" if not first.isupper() or lead[-1:].isalpha() else "direct"


def run(rec: Record, doc: Any) -> None:
    """Fill rec["quotes"]."""
    text = rec["article"]["text"]
    paragraphs = rec["article"].get("paragraphs") or [[0, len(text)]]
    quotes = [q for q in find_quotes(text, paragraphs) if _trim(text, q)]
    kept = []
    for q in quotes:
        words = re.findall(r"[\w’'-]+[.,!?;:]?", text[q.start:q.end])
        if text[q.mark_start - 1:q.mark_start] == "(" and text[q.mark_end:q.mark_end + 1] == ")" and len(words) <= 4:
            continue  # a gloss or translation in brackets, not speech
        if len(words) < 2 and not q.continues:
            continue  # a scare quote around one term
        if len(words) <= 6 and _is_title_of_work(words) and not q.continues:
            continue
        kept.append(q)
    if not kept:
        rec["quotes"] = []
        return
    res = _Resolver(rec, doc, quotes)
    _attribute(res, kept, paragraphs)
    out = []
    for q in kept:
        n_words = len(text[q.start:q.end].split())
        if n_words <= 2 and q.speaker is None and not q.speaker_text:
            continue  # a scare quote: a short phrase nobody is said to have said
        sent_start = res.sentence_of(q.mark_start).start_char
        out.append({
            "id": f"q{len(out) + 1}", "text": text[q.start:q.end], "span": [q.start, q.end],
            "speaker": q.speaker, "speaker_text": q.speaker_text, "cue": q.cue, "kind": _kind(text, q, sent_start),
        })
    rec["quotes"] = out
