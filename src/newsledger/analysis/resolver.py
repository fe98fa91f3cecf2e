"""Who a speaker, source or actor phrase refers to: one resolver that quotes, claims and events share.

Stable API (other stages import only these; signatures stay as they are):

    resolver.resolve(rec, doc, where) -> (entity id or None, surface text)
        ``where`` is a spaCy Token, a Span (its root is used) or a token index. The token heads the
        phrase that names the speaker/actor ("he", "the defense minister", "a witness", "the statement",
        "Anna Berg"). Pronouns and role nouns resolve back to an entity the entities stage wrote;
        unnamed people ("a witness", "one student", "officials") become unnamed entities of their own.
    resolver.refers_to(rec, doc, where) -> entity id or None
        The same, id only.
    resolver.unnamed_entity(rec, name, span) -> entity id
        The one way to add an unnamed speaker/actor entity (type "UNNAMED", so the ledger never merges
        two articles' "a witness"); ``span`` is its mention [start, end).
    resolver.for_doc(rec, doc) -> Resolver
        The per-document resolver behind those functions (built once per record and doc, cached on the
        doc), for callers that resolve many phrases: ``.resolve(tok)``, ``.pronoun(tok)``, ``.gender(eid)``.

How it decides (no coreference library here: the spaCy-based ones, coreferee, fastcoref, spacy-experimental
coref, fetch their weights from a hub at install or run time, which this project forbids; see issue 13):

- pronouns: gender and number agreement (spaCy morphology on the pronoun; for a person, honorifics and
  gendered role words from the text, a first-name list kept as data in first_names.json, and he/she used
  for that person elsewhere in the article), then recency in sentences and subject salience;
  quoted text is never an antecedent;
- role nouns ("the minister", "the Ukrainian president", "the spokeswoman") point back to the person
  last introduced with that role (the entity's titles, as the entities stage read them);
- "the statement/report said" -> whoever issued it (named inside the phrase or by the sentence that
  introduced the statement); "the ministry/police/company said" -> the organisation with that word;
- a person noun with no name ("a witness", "a senior official", "protesters") -> an unnamed entity;
  "the witness" later on is the same unnamed entity.
Word lists are data (roles.json, first_names.json).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cache
from typing import Any

from newsledger import data
from newsledger.record import Record, best_overlap

PERSONAL = {"he": ("m", "s"), "him": ("m", "s"), "his": ("m", "s"), "himself": ("m", "s"),
            "she": ("f", "s"), "her": ("f", "s"), "hers": ("f", "s"), "herself": ("f", "s"),
            "they": (None, "p"), "them": (None, "p"), "their": (None, "p"), "themselves": (None, "p"),
            "it": ("n", "s"), "its": ("n", "s"), "itself": ("n", "s")}
DEFINITE = {"the", "this", "that", "these", "those"}
INDEFINITE = {"a", "an", "one", "another", "some", "several", "many", "two", "three", "four", "five", "other",
              "most", "few", "dozens", "hundreds", "thousands", "numerous", "various"}
QUANTIFIERS = {"some", "one", "many", "several", "most", "all", "both", "each", "few", "none", "two", "three",
               "dozens", "hundreds", "thousands", "majority", "number"}
NON_PERSON_TYPES = {"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT"}
MAX_SENTENCES_BACK = 6


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@cache
def _roles() -> dict[str, Any]:
    r = data.load("roles.json")
    return {"person": set(r["person_nouns"]), "suffixes": tuple(r["person_suffixes"]),
            "not_person": set(r["not_person_nouns"]), "documents": set(r["document_nouns"]),
            "orgs": set(r["org_nouns"]), "m": set(r["masculine"]), "f": set(r["feminine"]),
            "synonyms": r["role_synonyms"], "skip": set(r["role_words_skip"]), "issuers": r["document_issuers"]}


@cache
def _first_names() -> dict[str, str]:
    d = data.load("first_names.json")
    out = {}
    for g, key in (("m", "male"), ("f", "female")):
        for n in d[key]:
            out[_fold(n)] = g
    return out


def first_name_gender(word: str) -> str | None:
    """'m' or 'f' when ``word`` is a given name in first_names.json (accents folded), else None."""
    return _first_names().get(_fold(word.strip(".,")))


@cache
def _title_words() -> frozenset[str]:
    return frozenset(data.load("titles.json")["person"])


def _role_key(word: str) -> str:
    w = word.lower().strip(".,")
    return _roles()["synonyms"].get(w, w)


def is_person_noun(tok: Any) -> bool:
    """A common noun for people ("witness", "officials", "residents"): listed, or an agent-like ending."""
    lemma = tok.lemma_.lower()
    r = _roles()
    if lemma in r["person"] or tok.lower_ in r["person"] or lemma in _title_words():
        return True
    if lemma in r["not_person"] or lemma in r["documents"] or lemma in r["orgs"] or tok.pos_ != "NOUN" \
            or tok.lower_ in r["not_person"]:
        return False
    return len(lemma) > 5 and lemma.endswith(r["suffixes"])


class Resolver:
    """Resolves phrase heads to entity ids over one record and its spaCy doc."""

    def __init__(self, rec: Record, doc: Any) -> None:
        self.rec, self.doc = rec, doc
        self.text = rec["article"]["text"]
        self._index()
        self.sent_starts = [s.start for s in doc.sents]
        self.masks = _quote_regions(self.text, rec)
        self.mask_starts = [s for s, _ in self.masks]
        self._gender: dict[str, str | None] = {}
        self.unnamed_heads: dict[str, str] = {}  # unnamed entity id -> head lemma ("witness")

    # ------------------------------------------------------------ indexes
    def _index(self) -> None:
        ents = self.rec.get("entities", [])
        self.by_id = {e["id"]: e for e in ents}
        self.mentions = sorted((s, e, ent["id"]) for ent in ents for s, e in ent.get("mentions", []))
        self.starts = [m[0] for m in self.mentions]
        self.longest = max((m[1] - m[0] for m in self.mentions), default=0)
        self._n_entities = len(ents)

    def _fresh(self) -> None:
        if len(self.rec.get("entities", [])) != self._n_entities:
            self._index()

    def sent_no(self, tok_i: int) -> int:
        return bisect.bisect_right(self.sent_starts, tok_i) - 1

    def masked(self, char: int) -> bool:
        i = bisect.bisect_right(self.mask_starts, char) - 1
        return i >= 0 and self.masks[i][0] <= char < self.masks[i][1]

    def entity_at(self, s: int, e: int) -> str | None:
        """Entity whose mention overlaps [s, e) most (ties: the longer mention)."""
        return best_overlap(self.mentions, self.starts, self.longest, s, e)

    def entities_in(self, s: int, e: int) -> list[str]:
        """Entity ids mentioned inside [s, e): people first, then others last-named first."""
        k = bisect.bisect_left(self.starts, s)
        found = []
        while k < len(self.mentions) and self.mentions[k][0] < e:
            if self.mentions[k][1] <= e:
                found.append(self.mentions[k][2])
            k += 1
        people = [x for x in found if self.by_id[x]["type"] == "PERSON"]
        return people + [x for x in reversed(found) if self.by_id[x]["type"] != "PERSON"]

    # ------------------------------------------------------------ gender
    def gender(self, eid: str) -> str | None:
        """'m', 'f' or None for a person entity: honorific/role word, first name, then the article's own he/she."""
        if eid in self._gender:
            return self._gender[eid]
        ent = self.by_id.get(eid)
        g = None
        if ent is not None and ent["type"] in ("PERSON", "UNNAMED"):
            r = _roles()
            words = [w.lower() for t in ent.get("titles", []) for w in re.findall(r"[\w.]+", t)]
            for s, _e, in ent.get("mentions", [])[:6]:
                words += [w.lower() for w in re.findall(r"[\w.]+", self.text[max(0, s - 12):s])[-1:]]
            words += [w.lower() for w in ent["name"].split()]
            ms = [w for w in words if w in r["m"]]
            fs = [w for w in words if w in r["f"]]
            if ms and not fs:
                g = "m"
            elif fs and not ms:
                g = "f"
            if g is None and ent["type"] == "PERSON":
                first = _fold(ent["name"].split()[0]) if ent["name"].split() else ""
                g = _first_names().get(first)
            if g is None and ent["type"] == "PERSON":
                g = self._gender_from_text(ent)
        self._gender[eid] = g
        return g

    def _gender_from_text(self, ent: dict) -> str | None:
        """'Maróth said his company ...': he/she in the same clause right after the person is its subject."""
        votes = {"m": 0, "f": 0}
        doc = self.doc
        for s, _e in ent.get("mentions", []):
            if self.masked(s):
                continue
            k = _token_at(doc, s)
            head = doc[k]
            while head.dep_ in ("compound", "flat") and head.head is not head:
                head = head.head
            if head.dep_ not in ("nsubj", "nsubjpass"):
                continue
            verb = head.head
            others = [m for m in self.entities_in(verb.sent.start_char, verb.sent.end_char)
                      if m != ent["id"] and self.by_id[m]["type"] == "PERSON"]
            if others:
                continue
            for t in verb.subtree:
                if t.i <= head.i or self.masked(t.idx):
                    continue
                g = PERSONAL.get(t.lower_, (None,))[0]
                if g in ("m", "f") and t.pos_ == "PRON":
                    votes[g] += 1
                    break
        if votes["m"] > votes["f"]:
            return "m"
        if votes["f"] > votes["m"]:
            return "f"
        return None

    # ------------------------------------------------------------ main entry
    def resolve(self, tok: Any) -> tuple[str | None, str]:
        """(entity id or None, surface text) for the phrase headed by ``tok``."""
        self._fresh()
        low = tok.lower_
        if low in PERSONAL and tok.pos_ == "PRON":
            return self.pronoun(tok), tok.text
        while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i:
            tok = tok.head
        for child in tok.children:  # "The mayor of London, Sadiq Khan, said"; "one of the groups, the SDF, said"
            if child.dep_ == "appos" and self.entity_at(child.idx, child.idx + len(child)):
                return self.resolve(child)
        if (low in QUANTIFIERS or tok.lemma_ in QUANTIFIERS) and tok.pos_ in ("NUM", "PRON", "ADJ", "NOUN", "DET"):
            for child in tok.children:  # "some of the protesters said"
                if child.dep_ == "prep" and child.lower_ == "of":
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if objs:
                        eid, _ = self.resolve(objs[0])
                        return eid, self.phrase_text(tok)
        ps, pe = self.phrase(tok)
        phrase = self.text[ps:pe]
        head_ent = self.entity_at(tok.idx, tok.idx + len(tok))
        if head_ent is not None:
            return head_ent, self._mention_text(tok, head_ent) or phrase
        lemma = tok.lemma_.lower()
        r = _roles()
        if tok.pos_ == "NOUN":
            named = self._named_after(tok, pe)
            if named is not None:
                return named, self.text[ps:self._mention_end(named, pe)]
        if lemma in r["documents"] or low in r["documents"]:
            return self.document(tok), phrase
        if (lemma in r["orgs"] or low in r["orgs"]) and not self._person_inside(tok):
            eid = self.organisation(tok)
            if eid is not None:
                return eid, phrase
            return self.unnamed(tok, ps, pe), phrase
        if lemma in _title_words() or low in _title_words() or is_person_noun(tok):
            people = [x for x in self.entities_in(tok.left_edge.idx, pe) if self.by_id[x]["type"] == "PERSON"]
            poss = [c for c in tok.children if c.dep_ == "poss"]
            if people and not poss:  # "Prosecutor Jane Doe" parsed with the title as head
                return people[0], phrase
            premod = [x for x in self.entities_in(tok.left_edge.idx, tok.idx) if self.by_id[x]["type"] != "PERSON"]
            if premod and not people and tok.tag_ in ("NNS", "NNPS"):
                return premod[0], phrase  # "NATO leaders", "Iranian officials" speak for NATO, for Iran
            role = self.role(tok)
            if role is not None:
                return role, phrase
            if people:  # "Trump's spokeswoman" with no spokeswoman named: the person she speaks for
                return people[0], phrase
            if (tok.pos_ == "NOUN" or tok.tag_ in ("NNP", "NNPS") and tok.i > 0 and tok.nbor(-1).lower_ in INDEFINITE) \
                    and not people:  # "a witness", "nurses at the Royal Infirmary", "one MP"
                eid = self.unnamed(tok, ps, pe)
                orgs = self.entities_in(ps, pe)
                ent = self.by_id[eid]
                if orgs and ent.get("affiliation") is None:
                    ent["affiliation"] = orgs[0]
                return eid, phrase
        inside = self.entities_in(ps, pe)
        return (inside[0] if inside else None), phrase

    def _named_after(self, tok: Any, pe: int) -> str | None:
        """'the director of Amnesty, Mariela Belski,' / 'a protester using the pseudonym Katya': the name given."""
        k = bisect.bisect_left(self.starts, pe)
        if k < len(self.mentions):
            s, _e, eid = self.mentions[k]
            gap = self.text[pe:s]
            if self.by_id[eid]["type"] == "PERSON" and gap.strip() == "," and not self.masked(s):
                return eid
        for t in tok.subtree:  # the parser hangs the name on the of-object: "the director of Amnesty, Mariela Belski,"
            if t.dep_ == "appos" and t.i > tok.i and t.i - tok.i <= 12 and t.head.i != tok.i:
                eid = self.entity_at(t.idx, t.idx + len(t))
                owner = self.entity_at(t.head.idx, t.head.idx + len(t.head))
                if eid is not None and self.by_id[eid]["type"] == "PERSON" and (
                        owner is None or self.by_id[owner]["type"] != "PERSON"):
                    return eid
        for c in tok.children:
            if c.dep_ == "acl" and c.i - tok.i <= 3 and c.lemma_ in ("use", "name", "call", "identify", "give"):
                sub = list(c.subtree)[:8]
                people = [x for x in self.entities_in(sub[0].idx, sub[-1].idx + len(sub[-1]))
                          if self.by_id[x]["type"] == "PERSON"]
                if people:
                    return people[0]
        return None

    def _first_at(self, eid: str, lo: int) -> int:
        return min((s for s, _ in self.by_id[eid].get("mentions", []) if s >= lo), default=lo)

    def _mention_end(self, eid: str, after: int) -> int:
        return min((e for s, e in self.by_id[eid].get("mentions", []) if s >= after), default=after)

    def _person_inside(self, tok: Any) -> bool:
        return any(self.by_id[x]["type"] == "PERSON" for x in self.entities_in(tok.left_edge.idx, tok.idx))

    def _mention_text(self, tok: Any, eid: str) -> str | None:
        for s, e in self.by_id[eid].get("mentions", []):
            if s <= tok.idx < e:
                return self.text[s:e]
        return None

    def phrase(self, tok: Any) -> tuple[int, int]:
        """Char range of the noun phrase headed by ``tok``: pre-modifiers, head, a short of-/prepositional tail."""
        doc = tok.doc
        left, right = tok.left_edge.i, tok.i
        for child in tok.rights:
            if child.dep_ == "prep" and any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in child.children):
                break  # "accused the opposition of trying to ...": the charge, not the party's name
            if child.dep_ in ("prep", "compound", "flat", "pobj", "amod", "nummod") and \
                    child.right_edge.i - tok.i <= 8 and \
                    not any(doc[k].is_punct for k in range(tok.i + 1, child.right_edge.i + 1)):
                right = child.right_edge.i
            else:
                break
        for k in range(right, left - 1, -1):  # an apposition or clause on the left never reaches left of the head
            if doc[k].is_punct and k < tok.i and doc[k].text not in ("'", "’", "-", "."):
                left = k + 1
                break
        while left < tok.i and (doc[left].is_punct or doc[left].is_space):
            left += 1
        return doc[left].idx, doc[right].idx + len(doc[right])

    def phrase_text(self, tok: Any) -> str:
        s, e = self.phrase(tok)
        return self.text[s:e]

    # ------------------------------------------------------------ pronouns
    def pronoun(self, tok: Any) -> str | None:
        """Antecedent of a third-person pronoun: agreeing entity, nearest sentence first, subjects preferred."""
        self._fresh()
        low = tok.lower_
        if low not in PERSONAL:
            return None
        gender, number = PERSONAL[low]
        morph = tok.morph
        if "Plur" in morph.get("Number"):
            number = "p"
        if number == "p":
            return self._plural(tok)
        doc = self.doc
        here = self.sent_no(tok.i)
        k = bisect.bisect_left(self.starts, tok.idx)
        best, best_score = None, -99.0
        seen: set[str] = set()
        for j in range(k - 1, max(-1, k - 80), -1):
            s, _e, eid = self.mentions[j]
            if self.masked(s) and not self.masked(tok.idx):
                continue
            ti = _token_at(doc, s)
            dist = here - self.sent_no(ti)
            if dist > MAX_SENTENCES_BACK:
                break
            ent = self.by_id[eid]
            etype = ent["type"]
            if gender in ("m", "f"):
                if etype not in ("PERSON", "UNNAMED"):
                    continue
                g = self.gender(eid)
                if g is not None and g != gender:
                    continue
                agree = 0.6 if g == gender else 0.0
            else:
                if etype not in NON_PERSON_TYPES:
                    continue
                agree = 0.0
            head = doc[ti]
            while head.dep_ in ("compound", "flat") and head.head is not head and head.head.i > head.i:
                head = head.head
            # "His lawyer, Roberto Su, said ...": the name in apposition to a subject is that subject
            subject = head.dep_ in ("nsubj", "nsubjpass") or (head.dep_ == "appos" and head.head.dep_ in ("nsubj", "nsubjpass"))
            if dist == 0 and head.head.i == tok.head.i and tok.dep_ in ("nsubj", "nsubjpass"):
                continue  # "X told Y he ...": never the other argument of the pronoun's own verb
            score = -1.0 * dist + (1.2 if subject else 0.0) + agree + (0.3 if eid in seen else 0.0)
            if head.dep_ == "poss":
                score -= 0.5
            seen.add(eid)
            if score > best_score:
                best, best_score = eid, score
        return best

    def _plural(self, tok: Any) -> str | None:
        """'they': the nearest earlier plural or coordinated subject, else the nearest organisation subject."""
        doc = self.doc
        here = self.sent_no(tok.i)
        first = self.sent_starts[max(0, here - 3)]
        for i in range(tok.i - 1, first - 1, -1):
            t = doc[i]
            if self.masked(t.idx) or t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ not in ("NOUN", "PROPN"):
                continue
            if t.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in t.children) or \
                    (self.entity_at(t.idx, t.idx + len(t)) and
                     self.by_id[self.entity_at(t.idx, t.idx + len(t))]["type"] in ("ORG", "NORP", "UNNAMED")):
                eid, _ = self.resolve(t)
                if eid is not None:
                    return eid
        return None

    # ------------------------------------------------------------ roles, documents, organisations
    def role(self, tok: Any) -> str | None:
        """'the defense minister', 'the spokeswoman': the person last introduced with that role."""
        word = _role_key(tok.lower_)
        lemma = _role_key(tok.lemma_)
        r = _roles()
        if any(c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE for c in tok.children):
            return None  # "a protester", "another official": someone new, not the one met before
        mods = {_role_key(c.lower_) for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod", "poss")
                and c.lower_ not in r["skip"]}
        for prep in tok.rights:  # "the head of the internal investigators": the of-phrase narrows the role
            if prep.dep_ == "prep" and prep.lower_ == "of":
                mods |= {_role_key(t.lower_) for t in prep.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ")
                         and t.lower_ not in r["skip"]}
        best, best_pos = None, -1
        for ent in self.rec.get("entities", []):
            if ent["type"] != "PERSON":
                continue
            titles = " ".join(ent.get("titles", [])).lower()
            roles = {_role_key(w) for w in re.findall(r"[\w.-]+", titles)}
            if word not in roles and lemma not in roles:
                continue
            if mods:
                aff = self.by_id.get(ent.get("affiliation") or "")
                context = titles + " " + (" ".join([aff["name"], *aff.get("aliases", [])]).lower() if aff else "")
                ctx_words = {_role_key(w) for w in re.findall(r"[\w.-]+", context)}
                if not all(m in ctx_words or any(w.startswith(m[:5]) for w in ctx_words) for m in mods):
                    continue
            last = max((s for s, _ in ent.get("mentions", []) if s < tok.idx), default=-1)
            if last > best_pos:
                best, best_pos = ent["id"], last
        if best is not None:
            return best
        culprit = self.culprit(tok)
        if culprit is not None:
            return culprit
        # an unnamed role already met ("a senior official ... the official said")
        return self._earlier_unnamed(tok)

    def culprit(self, tok: Any) -> str | None:
        """'the suspect', 'the gunman': the person an earlier sentence named in that role ("identified the
        gunman as X", "the suspect, X") or, failing that, the named subject of the attack told before ("X
        opened fire") or the one named as held or charged ("police arrested X"); nearest sentence first, within MAX_SENTENCES_BACK; else a later "identified the suspect
        as X". A role no one was named in stays
        unresolved (the caller makes it an unnamed entity)."""
        lex = data.load("culprits.json")
        nouns, verbs, custody = set(lex["culprit_nouns"]), set(lex["assault_verbs"]), set(lex["custody_verbs"])
        if tok.lemma_.lower() not in nouns and tok.lower_ not in nouns:
            return None
        if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in tok.children):
            return None
        here = tok.sent
        sents = [sent for sent in self.doc.sents if sent.end <= here.start][-MAX_SENTENCES_BACK:]
        for sent in reversed(sents):
            people = [(t, self.entity_at(t.idx, t.idx + len(t))) for t in sent if t.ent_type_ == "PERSON"]
            people = [(t, e) for t, e in people if e is not None and self.by_id[e]["type"] == "PERSON"
                      and not self.masked(t.idx)]
            if not people:
                continue
            roles = [t for t in sent if t.lemma_.lower() in nouns or t.lower_ in nouns]
            if roles:  # "police identified the gunman as Patrick Crusius"
                return min(people, key=lambda p: min(abs(p[0].i - r.i) for r in roles))[1]
            for t, eid in people:  # "Patrick Crusius opened fire at a Walmart"
                head = t
                while head.dep_ in ("compound", "flat") and head.head is not head:
                    head = head.head
                if head.dep_ == "nsubj" and head.head.lemma_.lower() in verbs:
                    return eid
                if head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in custody:
                    return eid  # "police arrested Patrick Crusius at the scene": the one held is the suspect
        # news often names the suspect only later ("officials identified the suspect as X"): an identification
        # further on, and only that, names the one meant
        later = [sent for sent in self.doc.sents if sent.start >= here.end][:2 * MAX_SENTENCES_BACK]
        for sent in later:
            roles = [t for t in sent if (t.lemma_.lower() in nouns or t.lower_ in nouns) and t.dep_ == "dobj"
                     and any(p.dep_ == "prep" and p.lower_ == "as" for p in t.head.children)]
            people = [(t, self.entity_at(t.idx, t.idx + len(t))) for t in sent if t.ent_type_ == "PERSON"]
            people = [(t, e) for t, e in people if e is not None and self.by_id[e]["type"] == "PERSON"
                      and not self.masked(t.idx)]
            if roles and people:
                return min(people, key=lambda p: min(abs(p[0].i - r.i) for r in roles))[1]
        return None

    def document(self, tok: Any) -> str | None:
        """'the statement said': whoever issued it, named in the phrase or where the statement was introduced."""
        for c in tok.children:  # "the decree signed by the Pope", "a statement issued by the ministry"
            if c.dep_ == "acl":
                for a in c.children:
                    if a.dep_ == "agent":
                        obj = next((o for o in a.children if o.dep_ == "pobj"), None)
                        if obj is not None:
                            eid, _ = self.resolve(obj)
                            if eid is not None:
                                return eid
        verb = tok.head if tok.dep_ in ("dobj", "nsubjpass") else tok.head.head if tok.dep_ == "pobj" else None
        if verb is not None and verb.pos_ in ("VERB", "AUX"):  # "Facebook released a statement (which read ...)"
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "agent") and c.i != tok.i), None)
            if subj is not None and subj.dep_ == "agent":
                subj = next((o for o in subj.children if o.dep_ == "pobj"), None)
            if subj is not None and subj.lower_ not in ("which", "that", "it"):
                eid, _ = self.resolve(subj)
                if eid is not None:
                    return eid
        issuers = _roles()["issuers"].get(tok.lemma_.lower())
        if issuers:  # "the ruling said": the court (or judge) named last before it
            k = bisect.bisect_left(self.starts, tok.idx)
            for j in range(k - 1, max(-1, k - 60), -1):
                eid = self.mentions[j][2]
                ent = self.by_id[eid]
                words = set(_fold(" ".join([ent["name"], *ent.get("titles", [])])).split())
                if words & set(issuers) and not self.masked(self.mentions[j][0]):
                    return eid
        sub = [t for t in tok.subtree if not self.masked(t.idx)]
        lo, hi = sub[0].idx, sub[-1].idx + len(sub[-1])
        inside = [x for x in self.entities_in(lo, min(hi, lo + 160)) if not self.masked(self._first_at(x, lo))]
        if inside:
            return inside[0]
        doc = self.doc
        here = self.sent_no(tok.i)
        first = self.sent_starts[max(0, here - 4)]
        lemma = tok.lemma_.lower()
        for i in range(tok.i - 1, first - 1, -1):
            t = doc[i]
            if t.lemma_.lower() != lemma or self.masked(t.idx):
                continue
            # "X issued a statement", "in a statement, X said", "a statement from X"
            verb = t.head
            while verb.dep_ in ("prep", "pobj") and verb.head is not verb:
                verb = verb.head
            sub2 = list(t.subtree)
            inner = self.entities_in(sub2[0].idx, sub2[-1].idx + len(sub2[-1]))
            if inner:
                return inner[0]
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != t.i), None)
            if subj is not None:
                eid, _ = self.resolve(subj)
                if eid is not None:
                    return eid
        return None

    def organisation(self, tok: Any) -> str | None:
        """'the ministry said': the organisation whose name has that word, last named; 'the government' of a
        country is that country when no government is named."""
        word = tok.lower_
        lemma = tok.lemma_.lower()
        ps, pe = self.phrase(tok)
        place = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ in LOCATIVE), None)
        if place is not None:
            pe = min(pe, place.idx)  # "a court in Lima" is a court, not Lima; "the police in Nairobi" not Nairobi
        inside = [x for x in self.entities_in(ps, pe) if self.by_id[x]["type"] != "PERSON"]
        if inside:  # "Iran's foreign ministry", "the ministry of defence of Ukraine"
            named = [x for x in inside if lemma in _fold(self.by_id[x]["name"]).split()]
            return (named or inside)[0]
        k = bisect.bisect_left(self.starts, tok.idx)
        for j in range(k - 1, -1, -1):
            _s, _e, eid = self.mentions[j]
            ent = self.by_id[eid]
            names = " ".join([ent["name"], *ent.get("aliases", [])])
            if ent["type"] in ("ORG", "UNNAMED") and (word in _fold(names).split() or lemma in _fold(names).split()):
                return eid
        if lemma in ("government", "administration", "authorities", "regime"):
            own = self._subject_range(tok)  # "U.S. Secretary Blinken called on the government": not the US's own
            for j in range(k - 1, max(-1, k - 40), -1):
                _s, _e, eid = self.mentions[j]
                if self.by_id[eid]["type"] == "GPE" and not self.masked(_s) and not own[0] <= _s < own[1]:
                    return eid
        return None

    def _subject_range(self, tok: Any) -> tuple[int, int]:
        """Characters of the subject of the clause ``tok`` is an argument of, or (0, 0) when it is that subject."""
        verb = tok
        for _ in range(6):
            if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.i == tok.i or tok in subj.subtree:
            return 0, 0
        return subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)

    # ------------------------------------------------------------ unnamed speakers
    def _earlier_unnamed(self, tok: Any) -> str | None:
        if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in tok.children):
            return None
        lemma = tok.lemma_.lower()
        best = None
        for ent in self.rec.get("entities", []):
            if ent["type"] == "UNNAMED" and self.unnamed_heads.get(ent["id"]) == lemma and \
                    any(s < tok.idx for s, _ in ent.get("mentions", [])):
                best = ent["id"]
        return best

    def unnamed(self, tok: Any, ps: int, pe: int) -> str:
        """An unnamed speaker: 'the witness' after 'a witness' is the same one; otherwise a new entity."""
        eid = self._earlier_unnamed(tok)
        if eid is not None:
            ent = self.by_id[eid]
            if [ps, pe] not in ent["mentions"]:
                ent["mentions"].append([ps, pe])
                ent["mentions"].sort()
                self._index()
            return eid
        for ent in self.rec.get("entities", []):  # the same phrase resolved twice
            if ent["type"] == "UNNAMED" and [ps, pe] in ent.get("mentions", []):
                return ent["id"]
        words = self.text[ps:pe].split()
        while len(words) > 1 and words[0].lower() in DEFINITE | INDEFINITE:
            words = words[1:]
        eid = unnamed_entity(self.rec, " ".join(words), (ps, pe))
        self.unnamed_heads[eid] = tok.lemma_.lower()
        self._index()
        return eid


def _token_at(doc: Any, char: int) -> int:
    """Index of the token covering ``char`` (doc tokens are sorted by offset)."""
    starts = doc.user_data.get("newsledger.tok_starts")
    if starts is None or len(starts) != len(doc):
        starts = [t.idx for t in doc]
        doc.user_data["newsledger.tok_starts"] = starts
    return max(0, bisect.bisect_right(starts, char) - 1)


def _quote_regions(text: str, rec: Record) -> list[tuple[int, int]]:
    """Spans between paired double quote marks (and those the quotes stage recorded), sorted."""
    out = [(q["span"][0] - 1, q["span"][1] + 1) for q in rec.get("quotes", []) if q.get("span")]
    open_at: int | None = None
    for m in re.finditer(r"[“”\"«»\n]", text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            open_at = None
        elif ch in "“«" or (ch == '"' and open_at is None):
            open_at = i
        elif open_at is not None:
            out.append((open_at, i + 1))
            open_at = None
    out.sort()
    merged: list[tuple[int, int]] = []
    for s, e in out:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


# ------------------------------------------------------------------ module API

LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "around", "throughout"}


def for_doc(rec: Record, doc: Any) -> Resolver:
    """The resolver of this record and doc, built once (cached in ``doc.user_data``)."""
    key = "newsledger.analysis.resolver"
    hit = doc.user_data.get(key)
    if hit is not None and hit[0] == id(rec) and hit[1].text is rec["article"]["text"]:
        return hit[1]
    res = Resolver(rec, doc)
    doc.user_data[key] = (id(rec), res)
    return res


def _token(doc: Any, where: Any) -> Any:
    if isinstance(where, int):
        return doc[where]
    if hasattr(where, "root"):
        return where.root
    return where


def resolve(rec: Record, doc: Any, where: Any) -> tuple[str | None, str]:
    """(entity id or None, surface text) of the speaker/actor phrase headed at ``where``."""
    return for_doc(rec, doc).resolve(_token(doc, where))


def refers_to(rec: Record, doc: Any, where: Any) -> str | None:
    """Entity id the phrase at ``where`` refers to, or None."""
    return resolve(rec, doc, where)[0]


def unnamed_entity(rec: Record, name: str, span: tuple[int, int] | list[int]) -> str:
    """Add an unnamed speaker/actor entity ("a witness") and return its id."""
    ents = rec.setdefault("entities", [])
    n = max((int(e["id"][1:]) for e in ents if re.fullmatch(r"e\d+", e.get("id", ""))), default=0) + 1
    eid = f"e{n}"
    ents.append({"id": eid, "name": name, "type": "UNNAMED", "aliases": [], "titles": [], "affiliation": None,
                 "mentions": [[int(span[0]), int(span[1])]], "code": None, "sector": None})
    return eid

