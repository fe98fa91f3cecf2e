"""events stage: who did what to whom, when and where, coded in PLOVER 2.0.

Triggers (verbs by lemma, nominalisations by lemma) come from ``data/plover.json``
with their type, mode and argument roles; the dependency parse gives the
arguments. Rules, in the order they apply (docs/events.md is the codebook):

* actor = agent: nsubj of an active verb, the "by"-phrase of a passive, the
  controller of an infinitive ("X agreed to visit"), the subject of a
  coordinated verb; for a noun, its possessor ("Russia's attacks"), a
  name/nationality modifier ("Russian strikes"), a "by"-phrase, or the subject
  of a support verb ("X launched an attack").
* target = recipient: object (or passive subject) when the trigger's object is
  the recipient, else the trigger's own prepositions ("with", "on", "to"...).
* modality: questions, conditionals and hypothetical modals are not events;
  negation sets ``negated``; future or intended cooperation becomes AGREE
  (PLOVER's rule); future conflict is dropped (a threat needs a threat verb).
* an event needs an actor, and a target unless its type often has none.
* one event mentioned twice (same type, actor, target, compatible date) is one
  event; a bare "the attack" merges into the article's event it refers to.

Hand-written on top of spaCy rather than PETRARCH/NGEC: those need CoreNLP or
GPU models; this stays transparent and runs on the parse we already have.
"""

from __future__ import annotations

import bisect
from functools import cache
from typing import Any

from newsledger import data
from newsledger.analysis import resolver
from newsledger.record import Record, entity_at, entity_by_id

Event = dict[str, Any]
SUBJ = {"nsubj", "nsubjpass", "csubj"}
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you"}
RELATIVE = {"who", "which", "that", "whom"}
NEAR_CHARS = 600  # an unattributed "the attack" refers to an attack told within about a paragraph
SYMMETRIC = {"AGREE", "CONSULT", "COOPERATE"}
QUANTITY_NOUNS = {"thousand", "hundred", "dozen", "million", "score", "number", "group", "crowd"}
NOT_PARTICIPANT = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}


@cache
def lexicon() -> dict[str, Any]:
    """plover.json with its word lists turned into sets (loaded once)."""
    lex = dict(data.load("plover.json"))
    for key in ("support_verbs", "actor_groups", "actor_nouns", "protester_words", "labour_strike_modifiers", "hypothetical_aux",
                "future_aux", "conditional_marks", "intent_verbs", "content_verbs", "negating_verbs", "event_nouns", "reporting_verbs", "military_words", "conflict_types", "weapon_nouns", "demand_words",
                "attribution_verbs", "cooperative_types", "party_nouns", "act_nouns", "party_target_types",
                "target_optional_types", "authority_words", "statement_nouns", "conversation_verbs",
                "non_aid_objects", "audience_nouns"):
        lex[key] = set(lex[key])
    return lex


# ----------------------------------------------------------------- noun phrases

def _np_span(tok: Any) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by ``tok``: left modifiers, the head, and an
    "of"-phrase after group nouns ("members of the alliance"), never relative clauses or appositions."""
    lex = lexicon()
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in {"det", "poss", "compound", "amod", "nmod", "nummod", "case", "quantmod"}:
            left = min(left, child.left_edge.i)
    right = tok.i
    for child in tok.rights:
        if child.dep_ in {"compound", "flat", "case"}:
            right = max(right, child.right_edge.i)
        elif child.dep_ == "prep" and child.lower_ == "of" and tok.lemma_.lower() in lex["actor_groups"]:
            obj = _child(child, {"pobj"})
            if obj is not None:  # "members of the alliance", but not the alliance's own "in Cairo"
                right = max(right, _np_span(obj)[1] - 1)
    doc = tok.doc
    if tok.ent_iob_ in "BI" and tok.ent_type_:  # a multi-word name: keep the whole name
        # walk the IOB tags instead of scanning doc.ents (rebuilt on every access: quadratic on long texts)
        start, end = tok.i, tok.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I":
            end += 1
        left, right = min(left, start), max(right, end)
    while left < right and doc[left].lower_ in {"the", "a", "an"}:
        left += 1
    while right > left and doc[right].dep_ == "case":  # "Russia's" -> "Russia"
        right -= 1
    return left, right + 1


def _is_named(tok: Any) -> bool:
    """A name or a nationality, not a common noun ("the officials")."""
    i, j = _np_span(tok)
    return any((t.pos_ == "PROPN" and t.ent_type_ not in NOT_PARTICIPANT) or t.ent_type_ in {"NORP", "GPE", "ORG", "PERSON"}
               for t in tok.doc[i:j])


def _head_named(tok: Any) -> bool:
    """The head itself is a name ("Kyiv", "the Taliban"), not a noun with a national modifier ("Ukrainian family")."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in {"GPE", "ORG", "PERSON", "NORP"}


def _is_party(tok: Any) -> bool:
    """A name, a pronoun, or a noun for people or a body ("police", "the network", "suspected users"): something
    that can act or be acted on. "the proceedings", "legalisation", "the move" name no party."""
    lex = lexicon()
    if tok.ent_type_ in {"PRODUCT", "WORK_OF_ART", "LAW", "EVENT", "LANGUAGE"}:
        return False  # "a Volvo XC90 struck ...", "the Patriot Act": things, not parties
    if tok.lower_ in PRONOUNS | RELATIVE or _is_named(tok):
        return True
    lemma = tok.lemma_.lower()
    return lemma in lex["party_nouns"] or lemma in lex["actor_nouns"] or lemma in lex["protester_words"] \
        or lemma in lex["actor_groups"] or lemma in QUANTITY_NOUNS


def _party_head(tok: Any) -> bool:
    """Like ``_is_party`` but for the head noun alone: "the stated goals of AfCFTA" names AfCFTA in its tail,
    yet the goals are no party; "the leaders of the AU", "Russian forces", "the Interior Ministry" are."""
    lex = lexicon()
    lemma = tok.lemma_.lower()
    if lemma in lex["party_nouns"] or lemma in lex["actor_nouns"] or lemma in lex["protester_words"] \
            or lemma in lex["actor_groups"] or lemma in QUANTITY_NOUNS or _head_named(tok):
        return True
    return any(c.dep_ in {"compound", "amod", "poss"} and _is_named(c) for c in tok.lefts)


def _is_actorlike(tok: Any) -> bool:
    return _is_named(tok) or tok.lemma_.lower() in lexicon()["actor_nouns"]


def _antecedent(low: str, before: Any, depth: int = 0) -> Any:
    """Nearest earlier main-clause subject fitting pronoun ``low`` (he/she: a person; it/they: not),
    searched in the current sentence up to ``before`` and then the previous sentence; a pronoun found
    there is resolved in turn. A small heuristic, not coreference."""
    doc = before.doc
    sent = before.sent
    prev: list[Any] = []  # the two sentences before, found by walking back (doc.sents is a full scan)
    start = sent.start
    while len(prev) < 2 and start > 0:
        s_ = doc[start - 1].sent
        prev.insert(0, s_)
        start = s_.start
    scope = list(doc[sent.start:before.i])[::-1]
    for s_ in reversed(prev):
        scope += [t for t in s_ if t.head.dep_ == "ROOT"] + [t for t in s_ if t.head.dep_ == "conj"]
    for cand in scope:
        if cand.dep_ not in {"nsubj", "nsubjpass"} or cand.head.dep_ not in {"ROOT", "conj"}:
            continue
        if cand.lower_ in PRONOUNS:
            if cand.lower_ == low and depth < 3:
                return _antecedent(low, cand, depth + 1)
            continue
        if cand.lower_ in RELATIVE or not _is_actorlike(cand):
            continue
        is_person = cand.ent_type_ == "PERSON"
        if low in {"he", "she"} and not is_person:
            continue
        plural = cand.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in cand.children)
        if low == "they" and not (plural or cand.ent_type_ in {"ORG", "GPE", "NORP"}):
            continue
        if low in {"it", "they"} and is_person and not plural:
            continue
        if low == "it" and cand.tag_ == "NNS":
            continue  # "it" is no plural common noun (but may be "the Syrian Democratic Forces")
        return cand
    return None


def _resolve_pronoun(tok: Any) -> Any:
    """Antecedent of a subject pronoun or relative pronoun, or None."""
    low = tok.lower_
    if low in RELATIVE:
        head = tok.head
        return head.head if head.dep_ == "relcl" else None
    if low not in PRONOUNS or low in {"i", "you", "we"}:
        return None
    return _antecedent(low, tok)


# ----------------------------------------------------------------- arguments

def _child(tok: Any, deps: set[str]) -> Any:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _is_passive(tok: Any) -> bool:
    """"was hit", "the man killed by police"; not "Israeli airstrikes killed 20 people", which the small model
    reads as a reduced relative although its object shows it is active."""
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in tok.children) or (
        tok.dep_ == "acl" and tok.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in tok.children))


def _agent(tok: Any) -> Any:
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            return _child(c, {"pobj"})
    if _is_passive(tok):
        # "was condemned in a joint statement by Egypt": the author of the statement, letter or ruling acted
        for c in tok.children:
            doc_noun = _child(c, {"pobj"}) if c.dep_ == "prep" and c.lower_ in {"in", "through"} else None
            if doc_noun is not None and doc_noun.lemma_.lower() in lexicon()["statement_nouns"]:
                by = next((g for g in doc_noun.children if g.dep_ == "prep" and g.lower_ in {"by", "from"}), None)
                if by is not None:
                    return _child(by, {"pobj"})
    return None


def _verb_subject(tok: Any) -> Any:
    """Agent of a verb: its subject, the by-phrase if passive, or the controller up the chain."""
    seen = 0
    while tok is not None and seen < 6:
        seen += 1
        if _is_passive(tok):
            return _agent(tok)
        subj = _child(tok, {"nsubj"})
        if subj is not None:
            return subj
        if tok.dep_ == "acl" and tok.tag_ == "VBD" and tok.head.dep_ == "ROOT" and tok.head.pos_ in {"NOUN", "PROPN"}:
            return tok.head  # "A man stabbed X": the small model reads a reduced relative clause
        csubj = _child(tok, {"csubj"})
        if csubj is not None and _child(csubj, {"nsubj"}) is not None:
            return _child(csubj, {"nsubj"})  # a misparse: "Protesters, carrying placards asking ..., marched"
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.lemma_.lower() in lexicon()["event_nouns"]:
            return None  # "wildfires destroying the forest": a blind force, no party
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.dep_ in {"dobj", "pobj"}:
            # "posted a message blaming Iran": whoever posted the message
            holder = tok.head
            for _ in range(4):
                if holder.pos_ in {"VERB", "AUX"} or holder.head is holder:
                    break
                holder = holder.head
            if holder.pos_ in {"VERB", "AUX"}:
                tok = holder
                continue
            return None
        if tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.dep_ == "prep":
            tok = tok.head.head  # "X was forceful in blaming Y": whoever was forceful
            if tok.pos_ == "ADJ" and tok.head is not tok:
                tok = tok.head
            continue
        if _past_beside_infinitive(tok):
            tok = tok.head.head
            continue
        if tok.dep_ == "xcomp" or tok.dep_ == "conj" or (tok.dep_ == "advcl" and tok.tag_ in {"VB", "VBG"}):
            head = tok.head
            if tok.dep_ == "xcomp" and _child(head, {"dobj"}) is not None and head.lemma_ not in {"promise"} \
                    and (_is_party(_child(head, {"dobj"})) or _child(head, {"dobj"}).pos_ == "PRON"):
                return _child(head, {"dobj"})  # "urged X to attend": X attends; "used tear gas to disperse": not gas
            tok = head
            continue
        return None
    return None


def _prep_objects(tok: Any, preps: list[str]) -> Any:
    for c in tok.children:
        if c.dep_ in {"prep", "dative"} and c.lower_ in preps:
            obj = _child(c, {"pobj"})
            if obj is not None and obj.ent_type_ not in NOT_PARTICIPANT:  # "On Thursday, X called on Y"
                return obj
    return None


def _verb_target(tok: Any, spec: dict[str, Any]) -> Any:
    obj_role = spec.get("obj", "target")
    if obj_role == "target":
        if _is_passive(tok):
            if tok.dep_ == "acl":
                return tok.head
            subj = _child(tok, {"nsubjpass"})
            if subj is not None:
                return subj
            if tok.dep_ == "conj" and _child(tok, {"nsubj"}) is None:
                # "Turkey is under sanctions, and was condemned by ...": the shared subject is the one condemned
                shared = _child(tok.head, {"nsubj", "nsubjpass"})
                if shared is not None:
                    return shared
        else:
            obj = _child(tok, {"dobj"})
            if obj is not None:
                return obj
    iobj = _child(tok, {"dative", "iobj"})
    if iobj is not None and iobj.pos_ in {"PROPN", "NOUN", "PRON"}:
        return iobj
    if spec.get("target_from_ccomp"):
        comp = _child(tok, {"ccomp"})  # "alleged (that) Mahan had contributed to ...": the one alleged against
        if comp is not None and _child(comp, {"nsubj"}) is not None:
            return _child(comp, {"nsubj"})
    found = _prep_objects(tok, spec.get("target_preps", []))
    if found is None and obj_role == "theme":
        theme = _child(tok, {"dobj"})
        if theme is not None:  # "cut ties with Rabat", "sent weapons to Kyiv": the preposition hangs on the object
            found = _prep_objects(theme, spec.get("target_preps", []))
    if found is None and obj_role == "target" and not _is_passive(tok):
        for c in tok.children:  # "destroy and obliterate the economy": a shared object
            if c.dep_ == "conj" and c.pos_ == "VERB" and _child(c, {"dobj"}) is not None:
                return _child(c, {"dobj"})
    return found


def _appos_name(tok: Any) -> Any:
    """The name in apposition to a common noun ("his former rival, Joe Biden"), also when the small model hangs
    the name on the verb instead (npadvmod/appos right after the comma, ending the clause)."""
    name = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if name is not None:
        return name
    doc = tok.doc
    k = tok.i + 1
    while k < len(doc) and doc[k].dep_ in {"prep", "pobj", "compound", "amod"} and doc[k].head.i >= tok.i:
        k = doc[k].right_edge.i + 1  # skip the noun's own tail ("the leader of the party, X")
    if k + 1 < len(doc) and doc[k].text == ",":
        j = k + 1
        while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].dep_ in {"compound", "flat"}:
            j += 1
        if j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].dep_ in {"appos", "npadvmod"} \
                and doc[j].head.i in {tok.i, tok.head.i} and (j + 1 == len(doc) or doc[j + 1].is_punct):
            return doc[j]
    return None


def _conjuncts(tok: Any) -> list[Any]:
    """Names coordinated with ``tok`` ("Warren and Bloomberg", "Egypt, Greece and Cyprus")."""
    out, cur = [], tok
    for _ in range(8):
        nxt = next((c for c in cur.children if c.dep_ == "conj" and c.pos_ in {"PROPN", "NOUN"}), None)
        if nxt is None:
            break
        if nxt.pos_ == "PROPN" or _is_party(nxt):
            out.append(nxt)
        cur = nxt
    return out


def _split_coordinated(subj: Any) -> tuple[Any, Any]:
    """"US President Donald Trump and Turkish President Erdogan spoke": the small model often parses such a
    subject as one name; split it at "and" into (first party, second party)."""
    doc = subj.doc
    for k in range(subj.left_edge.i, subj.i):
        if doc[k].lower_ == "and" and doc[k].pos_ == "CCONJ":
            first = next((doc[j] for j in range(k - 1, subj.left_edge.i - 1, -1) if doc[j].pos_ == "PROPN"), None)
            if first is not None:
                return first, subj
    return subj, None


def _noun_governor(tok: Any) -> Any:
    """The support verb governing a nominal trigger ("launched an attack", "held talks with")."""
    lex = lexicon()
    cur = tok
    for _ in range(4):
        if cur.dep_ in {"dobj", "nsubjpass", "attr"}:
            head = cur.head
            return head if head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in lex["support_verbs"] else None
        if cur.dep_ == "pobj" and cur.head.dep_ == "prep":
            if cur.head.lower_ in {"by", "after", "before", "since", "during", "despite", "amid", "against"}:
                return None
            cur = cur.head.head
            if cur.pos_ in {"VERB", "AUX"}:
                # "has contracts ... in ammunition for Ukraine": a support verb's own prepositional phrase
                return cur if cur.lemma_.lower() in lex["support_verbs"] else None
            continue
        if cur.dep_ == "conj":
            cur = cur.head
            continue
        return None
    return None


def _noun_actor(tok: Any) -> Any:
    poss = _child(tok, {"poss"})
    if poss is not None and poss.lower_ not in {"its", "their", "his", "her", "our", "my", "your"}:
        return poss
    if poss is not None:
        return _resolve_pronoun_poss(poss)
    by = _agent(tok)
    if by is not None:
        return by
    for c in tok.lefts:
        if c.dep_ in {"compound", "amod", "nmod"} and _modifier_actor(c):
            return c
    attributed = _attributed_actor(tok)
    if attributed is not None:
        return attributed
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "for" and head.head.lemma_.lower() == "responsibility":
        verb = head.head.head  # "X claimed responsibility for the attack"
        if verb.pos_ in {"VERB", "AUX"}:
            return _verb_subject(verb)
    gov = _noun_governor(tok)
    if gov is not None:
        return _verb_subject(gov)
    return None


def _is_city(tok: Any) -> bool:
    """A place name that is a city or region, not a country: "the Kabul bombing" names the place, not the agent."""
    from newsledger.analysis.places import geocode

    if tok.pos_ != "PROPN":
        return False
    i, j = _np_span(tok)
    hit = geocode(tok.doc[i:j].text) if tok.ent_type_ in {"GPE", "LOC", "FAC", ""} else None
    return bool(hit) and hit.get("lat") is not None


def _modifier_actor(c: Any) -> bool:
    """A name or nationality modifying an event noun ("Russian strikes", "U.S. sanctions")."""
    if c.ent_type_ in NOT_PARTICIPANT or c.lower_.startswith(("anti-", "pro-")):
        return False
    if c.i >= 2 and c.doc[c.i - 1].text == "-" and c.doc[c.i - 2].lower_ in {"anti", "pro", "non"}:
        return False
    if not (c.pos_ == "PROPN" or c.ent_type_ in {"NORP", "GPE", "ORG"}):
        return False
    return not _is_city(c)


def _attributed_actor(tok: Any) -> Any:
    """"an attack conducted by X", "an attack ascribed to X", also via an apposition ("..., another attack
    ascribed to the Taliban")."""
    lex = lexicon()
    nodes = [tok] + [c for c in tok.children if c.dep_ == "appos"]
    if tok.dep_ == "appos":
        nodes.append(tok.head)
    for node in nodes:
        for c in node.children:
            if c.dep_ in {"acl", "relcl"} and c.lemma_.lower() in lex["attribution_verbs"]:
                agent = _agent(c) or _prep_objects(c, ["to", "on"])
                if agent is not None:
                    return agent
    return None


def _resolve_pronoun_poss(tok: Any) -> Any:
    """Possessive pronoun: treat "its"/"their" like "it"/"they" for the antecedent search."""
    low = {"its": "it", "their": "they", "his": "he", "her": "she"}.get(tok.lower_)
    return _antecedent(low, tok) if low else None


# ----------------------------------------------------------------- modality

DECISION_VERBS = {"agree", "decide", "vote", "resolve"}


def _decided(tok: Any) -> bool:
    """``tok`` is the infinitive of a decision taken: "agreed / decided / voted (on Thursday) to impose ...", in
    the past and not under a modal ("would agree to"), not a plan ("plan to", "will decide to")."""
    cur = tok
    for _ in range(3):
        if cur.dep_ != "xcomp" or cur.head is cur:
            return False
        cur = cur.head
        if cur.lemma_.lower() in DECISION_VERBS:
            return cur.tag_ in {"VBD", "VBN"} and not any(c.dep_ == "aux" and c.tag_ == "MD" for c in cur.children)
    return False


def _past_beside_infinitive(tok: Any) -> bool:
    """A past-tense verb parsed as coordinated with an infinitive ("urged X to reconsider and spoke with Y"):
    a finite verb cannot share the infinitive's "to", so it is coordinated with the verb above it."""
    return tok.dep_ == "conj" and tok.tag_ == "VBD" and tok.head.tag_ == "VB" and tok.head.dep_ == "xcomp" \
        and tok.head.head is not tok.head


def _clause_verbs(tok: Any) -> list[Any]:
    """The trigger (or its support verb) and the verbs it is an infinitive/participle complement of."""
    out = [tok]
    cur = tok
    deps = {"xcomp", "conj", "pobj", "dobj", "prep", "acl", "pcomp", "advcl"}
    if tok.pos_ in {"NOUN", "PROPN"}:
        deps |= {"nsubj", "nsubjpass"}  # "negotiations might resume": the noun's own clause decides
    while cur.dep_ in deps and cur.head is not cur:
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" for c in cur.children):
            break
        if _past_beside_infinitive(cur):
            break  # "urged the embassy to reconsider and spoke with X": spoke is a clause of its own beside urged
        if cur.dep_ == "conj" and cur.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass"} for c in cur.children):
            break  # "X asked Y to delay, but he declined": a coordinated clause with its own subject is its own
        cur = cur.head
        out.append(cur)
        if cur.pos_ in {"VERB", "AUX"} and cur.dep_ not in {"xcomp", "conj"}:
            break
    return out


def _modality(tok: Any) -> str:
    """'ok', 'negated', 'future', 'intent' or 'drop' (question, conditional, hypothetical, reported content)."""
    lex = lexicon()
    sent = tok.sent
    if sent.text.rstrip().rstrip("\"'”’").endswith("?"):
        return "drop"
    chain = _clause_verbs(tok)
    state = "ok"
    negated = False
    top = chain[-1]
    reported = top.dep_ == "ccomp" and top.head.lemma_.lower() in lex["reporting_verbs"]
    for i, v in enumerate(chain):
        for c in v.children:
            low = c.lower_
            if c.dep_ == "aux" and low == "would" and reported:
                state = "future"  # "announced troops would be leaving": future in the past
                continue
            if c.dep_ == "aux" and low in lex["hypothetical_aux"]:
                return "drop"
            if c.dep_ == "mark" and low in lex["conditional_marks"]:
                return "drop"
            if c.dep_ == "aux" and (low in lex["future_aux"] or (low == "going" and v.tag_ == "VB")):
                state = "future"
            if c.dep_ == "neg" or (v is tok and c.dep_ == "dobj" and c.lower_ in {"nothing", "none"}):
                negated = True
        if i > 0 and v.pos_ in {"VERB", "AUX"}:
            lemma = v.lemma_.lower()
            if lemma in lex["content_verbs"] or lemma in lex["negating_verbs"]:
                return "drop"
            if lemma in lex["intent_verbs"] and chain[i - 1].dep_ in {"xcomp"}:
                state = "intent"
    # clause embedded under a conditional ("if X attacks, ...") or a question word
    if negated:
        if state != "ok":
            return "drop"  # "would not withdraw", "did not agree to send": nothing announced
        state = "negated"
    if state == "future" and any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"}
                                                             for m in c.children) for c in chain[0].children):
        return "threat"  # "if X does ..., I will destroy ...": a conditional threat
    cur = chain[-1]
    for _ in range(8):
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in lex["conditional_marks"]
                                       for c in cur.children):
            return "drop"
        if cur.dep_ in {"ccomp", "xcomp"} and cur.head.lemma_.lower() in lex["content_verbs"] \
                and cur.head.lemma_.lower() not in {"try", "attempt", "help"}:
            return "drop"
        if cur.head is cur:
            break
        cur = cur.head.head if _past_beside_infinitive(cur) else cur.head
    return state


# ----------------------------------------------------------------- triggers

def _strike_is_attack(tok: Any) -> str | None:
    """'strike' the noun: an attack (mode) when it has a weapon modifier or an "on"/"against" target."""
    lex = lexicon()
    if tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.lemma_.lower() == "go":
        return "labour"  # "went on strike"
    for c in tok.lefts:
        lemma = c.lemma_.lower()
        if lemma in lex["labour_strike_modifiers"]:
            return "labour"
        if lemma in lex["strike_modifiers"]:
            return lex["strike_modifiers"][lemma]
    if any(c.dep_ == "prep" and c.lower_ in {"on", "against"} for c in tok.children):
        return "unspecified"
    return None


def _noun_mode(tok: Any, mode: str) -> str:
    lex = lexicon()
    for c in tok.lefts:
        lemma = c.lemma_.lower()
        if c.dep_ in {"compound", "amod"} and lemma in lex["strike_modifiers"]:
            m = lex["strike_modifiers"][lemma]
            if m != "unspecified":
                return m
    return mode


def _obj_word_ok(tok: Any, spec: dict[str, Any]) -> bool:
    words = spec.get("obj_words")
    if not words:
        return True
    obj = _child(tok, {"dobj", "nsubjpass"})
    if obj is None and tok.dep_ == "acl":
        obj = tok.head
    if obj is None:
        return False
    lemma = obj.lemma_.lower()
    if spec.get("captive_words") and any(c.dep_ in {"amod", "compound"} and c.lower_ in spec["captive_words"]
                                         for c in obj.subtree if c.i < obj.i):
        return True  # "released the kidnapped aid workers": whoever was held
    return any(lemma == w or lemma.startswith(w) for w in words) or lemma in (spec.get("obj_words_other") or {})


QUOTE_MARKS = {'"', "“", "”", "'", "‘", "’"}


def _quoted_epithet(tok: Any) -> bool:
    """"called the move a 'smash and grab'", "described it as 'a disgrace'": a quoted label pinned on an
    object is a verbal attack on it (unquoted "called him a hero" is not coded: its tone is unknown)."""
    if _child(tok, {"dobj"}) is None:
        return False
    comp = _child(tok, {"oprd", "xcomp"})
    if comp is None:
        as_ = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"), None) or next(
            (g for c in tok.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "prep" and g.lower_ == "as"),
            None)
        comp = _child(as_, {"pobj"}) if as_ is not None else None
    if comp is None:
        return False
    doc = tok.doc
    lo, hi = max(0, comp.left_edge.i - 2), min(len(doc), comp.right_edge.i + 2)
    return any(doc[k].text in QUOTE_MARKS for k in range(lo, hi))


def _phoned(tok: Any) -> bool:
    """"Biden called Netanyahu (on Sunday / to discuss ...)": a named person or country as the bare object, with
    no second object ("called him a liar") and no content clause: a phone call."""
    if _title_then_name(tok) is not None:
        return True
    obj = _child(tok, {"dobj"})
    if obj is None or obj.ent_type_ not in {"PERSON", "GPE"} or not _head_named(obj):
        return False
    return not any(c.dep_ in {"oprd", "ccomp", "attr", "acomp"} for c in tok.children) and not any(
        c.dep_ in {"appos", "amod", "npadvmod"} for c in obj.children)


def _title_then_name(tok: Any) -> Any:
    """"called Prime Minister Modi": the small model reads a title as the object and the name after it as a
    second object ("called him a liar"); a capitalised title right before a person's name is one phrase."""
    obj, name = _child(tok, {"dobj"}), _child(tok, {"oprd"})
    if obj is None or name is None or obj.pos_ != "PROPN" or obj.ent_type_ or name.ent_type_ != "PERSON":
        return None
    return name if name.left_edge.i == obj.i + 1 else None


def _candidates(doc: Any) -> list[tuple[Any, dict[str, Any], bool]]:
    """(trigger token, spec, is_verb) for every lexicon hit that passes its own conditions."""
    lex = lexicon()
    out = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in lex["epithet_verbs"] and _quoted_epithet(tok):
            out.append((tok, dict(lex["epithet_verbs"][lemma], epithet=True), True))
            continue
        if tok.pos_ == "VERB" and lemma in lex["verbs"] and tok.dep_ not in {"amod", "compound"}:
            spec = dict(lex["verbs"][lemma])
            if not _obj_word_ok(tok, spec):
                continue
            if "particle" in spec and not any(c.dep_ in {"prt", "prep", "advmod"} and c.lower_ in spec["particle"]
                                              for c in tok.children):  # "dropped out of": "out" parsed as prep
                continue
            needs = spec.get("needs")
            if needs == "finite_named" and (tok.tag_ == "VB" or not any(c.dep_ in {"dobj", "pobj"} and _head_named(c)
                                                                         for c in tok.children)):
                continue  # "Benin joined the AU"; not "pushed for Ukraine to join", nor "joined the crowd"
            if needs == "xcomp_only" and not any(c.dep_ in {"xcomp", "ccomp"} and c.tag_ == "VB" for c in tok.children):
                continue  # "told X to leave" is a request; "told reporters that ..." is speech
            if needs == "bar_context" and not any(c.dep_ == "prep" and c.lower_ in {"from", "for"} for c in tok.children):
                continue  # "barred X from running (for life)"; not "the bar", "barred windows"
            if needs == "pobj_word" and not any(c.dep_ == "prep" and any(o.dep_ == "pobj" and o.lemma_.lower() in spec["pobj_words"]
                                                                          for o in c.children) for c in tok.children):
                continue  # "held two officers in contempt of Congress"; not "held talks", "held a rally"
            if needs == "charge_context" and not any(c.dep_ == "prep" and c.lower_ in {"with", "over"}
                                                      and 0 < c.i - tok.i <= 10 for c in tok.subtree):
                continue  # "charged the suspect (in the shooting) with murder", not "charged a fee"
            if needs in {"xcomp_or_obj", "xcomp_or_prep", "prep"}:
                has_x = any(c.dep_ in {"xcomp", "dobj"} for c in tok.children) and needs != "prep"
                has_p = any(c.dep_ == "prep" and c.lower_ in spec.get("req_preps", [])
                            and not any(o.ent_type_ in {"DATE", "TIME"} for o in c.children)  # "called X on Sunday"
                            for c in tok.children)
                if not (has_x or has_p) and lemma == "call" and _phoned(tok):
                    out.append((tok, dict(lex["verbs"]["phone"]), True))  # "Biden called Netanyahu on Sunday"
                    continue
                if not (has_x or has_p):
                    continue
                if lemma == "agree" and any(c.dep_ == "ccomp" for c in tok.children) and not has_p \
                        and not any(c.dep_ in {"xcomp", "dobj"} for c in tok.children):
                    continue
            obj = _child(tok, {"dobj", "nsubjpass"})
            if obj is not None and obj.lemma_.lower() in spec.get("not_obj_words", []):
                continue  # "shot down 20 drones": air defence, not an attack on someone
            other = spec.get("obj_words_other")
            if other and obj is not None and obj.lemma_.lower() in other:
                spec["type"], spec["mode"] = other[obj.lemma_.lower()].split(":")  # "fired tear gas": COERCE
                if spec["type"] in lex["target_optional_types"] and spec.get("needs") == "target":
                    del spec["needs"]  # "sent the army into the streets": a deployment needs no recipient
            if spec["type"] == "AID" and obj is not None and obj.lemma_.lower() in lex["non_aid_objects"]:
                continue  # "send a bill to Congress", "provide information to the bureau": no aid given
            out.append((tok, spec, True))
        elif tok.pos_ in {"NOUN", "PROPN"} and lemma in lex["nouns"] and tok.dep_ != "compound" \
                and not (tok.text[:1].isupper() and tok.i != tok.sent.start and (tok.pos_ == "PROPN" or tok.ent_type_)):
            # a capitalised noun inside a sentence is a name's word ("Democratic Rally", "on March 10",
            # "Organisation of Islamic Cooperation"), not an event
            spec = dict(lex["nouns"][lemma])
            if spec.get("plural_only") and tok.tag_ != "NNS":
                continue
            if "compound_words" in spec and not any(c.lemma_.lower() in spec["compound_words"] for c in tok.lefts):
                continue
            if any(c.lemma_.lower() in spec.get("not_compound_words", []) for c in tok.lefts):
                continue  # "an election rally" is a campaign event, not a protest
            if spec.get("needs") == "strike_context":
                mode = _strike_is_attack(tok)
                if mode is None:
                    continue
                if mode == "labour":  # a labour strike is a PROTEST (mode strike), never an attack
                    spec.update(type="PROTEST", mode="strike", target_preps=["against", "at"])
                    out.append((tok, spec, False))
                    continue
                spec["mode"] = mode
            spec["mode"] = _noun_mode(tok, spec["mode"])
            out.append((tok, spec, False))
    return out


# ----------------------------------------------------------------- linking

def _text_of(doc: Any, tok: Any) -> tuple[str, list[int]]:
    i, j = _np_span(tok)
    span = doc[i:j]
    return span.text, [span.start_char, span.end_char]


LOCATIVE = {"in", "at", "near", "on", "from", "across", "outside", "inside", "around", "throughout", "along"}


def _core_end(tok: Any) -> int:
    """End (token index) of the part of ``tok``'s phrase that can name it: the head and what follows it up to a
    place or time phrase ("the police in Nairobi", "officials at the embassy on Monday")."""
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in LOCATIVE or c.dep_ in {"relcl", "acl", "punct", "cc", "conj"}:
            break
        end = max(end, c.right_edge.i + 1)
    return end


def _in_quote(rec: Record, pos: int) -> bool:
    return any((q.get("span") or [0, 0])[0] <= pos < (q.get("span") or [0, 0])[1] for q in rec.get("quotes", []) or [])


def _participant(rec: Record, doc: Any, tok: Any,
                 role: str = "target") -> tuple[str | None, str | None, list[int] | None]:
    """(entity id, surface text, span) for an argument token; pronouns are resolved first."""
    if tok is None:
        return None, None, None
    if tok.lower_ in {"i", "we"}:
        for q in rec.get("quotes", []) or []:
            sp = q.get("span") or [0, 0]
            if sp[0] <= tok.idx < sp[1] and (q.get("speaker") or q.get("speaker_text")):
                return q.get("speaker"), q.get("speaker_text"), None  # "I will ..." inside X's quote: X
        return None, None, None
    if tok.lower_ in PRONOUNS and _in_quote(rec, tok.idx):
        return None, None, None  # a pronoun inside someone's quote refers to the speaker's world, not ours
    if tok.lower_ in PRONOUNS and tok.pos_ == "PRON":
        # the shared resolver (quotes and claims use it too): gender/number agreement, recency, salience
        eid = resolver.for_doc(rec, doc).pronoun(tok)
        if eid is not None:
            ent = entity_by_id(rec, eid) or {}
            return eid, ent.get("name") or tok.text, [tok.idx, tok.idx + len(tok.text)]
    if tok.lower_ in PRONOUNS | RELATIVE:
        tok = _resolve_pronoun(tok)
        if tok is None:
            return None, None, None
    if tok.lemma_.lower() in QUANTITY_NOUNS or tok.ent_type_ in NOT_PARTICIPANT:
        of = _prep_objects(tok, ["of"])  # "thousands of protesters": the protesters
        if of is not None:
            tok = of
    if role == "actor" and tok.lemma_.lower() in QUANTITY_NOUNS and tok.pos_ == "NOUN":
        text, span = _text_of(doc, tok)  # "Thousands marched": a crowd no one named, still the one acting
        return None, text, span
    if tok.pos_ not in {"PROPN", "NOUN", "ADJ", "NUM"} or tok.ent_type_ in NOT_PARTICIPANT:
        return None, None, None
    if tok.pos_ == "NOUN":
        name = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if name is not None:
            tok = name  # "Azerbaijan's president, Ilham Aliyev", "his former rival, Joe Biden": the person
    text, span = _text_of(doc, tok)
    eid = entity_at(rec, tok.idx, tok.idx + len(tok.text))
    if eid is None and tok.pos_ == "NOUN" and _is_party(tok) and _named_inside(tok) is None:
        # "the network", "the commissioner": a role or organisation noun points back at the party it names
        eid = resolver.for_doc(rec, doc).resolve(tok)[0]
    if eid is None:
        core = _core_end(tok)  # "police in Nairobi" is not Nairobi: a place after the head names no party
        eid = entity_at(rec, span[0], min(span[1], doc[core - 1].idx + len(doc[core - 1]))) if core > 0 else None
    return eid, text, span


def _attach_verb(tok: Any, stop: set[int]) -> Any:
    """The first verb (or a token in ``stop``) above ``tok``: the clause a time expression modifies."""
    cur = tok
    for _ in range(12):
        if cur.i in stop or cur.pos_ in {"VERB", "AUX"}:
            return cur
        if cur.head is cur:
            return cur
        cur = cur.head
    return cur


def _date_scope(trig: Any, is_verb: bool, gov: Any) -> tuple[set[int], set[int]]:
    """(own, outer): token ids of the event's own clause, and of the clauses it is reported in.

    A time expression on the event's own verb, noun or support verb dates it; one on a reporting verb
    above it ("X said Thursday that Y met Z") dates it only for verbal events (a bare nominal
    "the attack" is usually older than the statement about it).
    """
    own = {trig.i}
    if gov is not None:
        own.add(gov.i)
    cur = gov if gov is not None else trig
    purpose = {"xcomp", "conj", "advcl"} if (is_verb or gov is not None) else set()
    while cur.dep_ in purpose and cur.head is not cur:
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" for c in cur.children):
            break  # "after X met Y": a different time
        cur = cur.head
        own.add(cur.i)
    outer: set[int] = set()
    if not is_verb and gov is None and not any(c.lower_ == "the" for c in trig.lefts):
        verb = _attach_verb(trig.head, set()) if trig.head is not trig else None
        if verb is not None and verb.pos_ in {"VERB", "AUX"}:
            outer.add(verb.i)  # "In 2006, Abqaiq was the target of an attack": the clause dates a new event
    if is_verb or gov is not None:
        while cur.dep_ in {"ccomp", "xcomp", "conj", "advcl"} and cur.head is not cur:
            cur = cur.head
            outer.add(cur.i)
    return own, outer


def _named_inside(tok: Any, depth: int = 0) -> Any:
    """The first name inside a common-noun phrase: "the Libyan ambassador" -> Libyan, "Trump's decision" ->
    Trump, "the deal between Turkey and Libya" -> Turkey. None if the phrase names no one."""
    for c in tok.children:
        if c.dep_ == "poss" and (c.pos_ == "PROPN" or (c.pos_ == "NOUN" and _is_party(c))):
            return c  # "Trump's decision", "protesters' demands"
    for c in tok.lefts:
        if c.dep_ in {"amod", "compound"} and c.ent_type_ in {"NORP", "GPE", "ORG", "PERSON"} and _modifier_actor(c):
            return c
    for c in sorted(tok.children, key=lambda c: c.lower_ != "by"):  # "the proclamation of X by Trump": its author
        if c.dep_ == "prep" and c.lower_ in {"of", "between", "by", "from"}:
            obj = _child(c, {"pobj"})
            if obj is not None and _head_named(obj) and obj.ent_type_ not in NOT_PARTICIPANT:
                return obj
            if obj is not None and c.lower_ == "of" and depth < 1:
                deeper = _named_inside(obj, depth + 1)  # "the memoranda of understanding between X and Y"
                if deeper is not None:
                    return deeper
        if c.dep_ == "acl" and c.lemma_.lower() in {"belong", "own", "run", "operate"}:
            obj = _prep_objects(c, ["to"]) or _agent(c)  # "facilities belonging to Saudi Aramco"
            if obj is not None and _head_named(obj):
                return obj
    return None


def _date(rec: Record, sent: Any, trig: Any, is_verb: bool = True, gov: Any = None) -> dict[str, Any]:
    """The timex attached to the event's clause (nearest the trigger), else the publication day ('inferred')."""
    best, best_d = None, None
    own, outer = _date_scope(trig, is_verb, gov)
    doc = trig.doc
    subj = _child(trig, {"nsubj", "nsubjpass"}) if is_verb else None
    clause_start = subj.left_edge.i if subj is not None else None
    for tx in rec.get("timexes", []) or []:
        s, e = tx.get("span") or (None, None)
        if s is None or not (sent.start_char <= s and e <= sent.end_char):
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        reported = trig.dep_ == "ccomp" and trig.head.lemma_.lower() in lexicon()["reporting_verbs"]
        if reported and clause_start is not None and trig.head.i < span.start and span.end <= clause_start:
            rank = 1  # "Israel said on Tuesday it had killed ... last week": Tuesday is when it said so
        elif clause_start is not None and span.end in {clause_start, clause_start - 1}:
            rank = -1  # "the same day [the minister visited]": a time phrase right before the clause
        elif not is_verb and trig.left_edge.i <= span.root.i < trig.i:  # "last week's strike"
            rank = 0
        elif trig.dep_ in {"relcl", "acl"} and span.start <= trig.head.i < span.end:  # "the day [X met Y]"
            rank = 0
        else:
            head = _attach_verb(span.root, own | outer)
            rank = 0 if head.i in own else 1 if head.i in outer else None
        if rank is None:
            continue
        d = (rank, min(abs(s - trig.idx), abs(trig.idx - e)))
        if best_d is None or d < best_d:
            best, best_d = tx, d
    if best is not None:
        return {"start": best.get("start"), "end": best.get("end") or best.get("start"),
                "precision": best.get("precision"), "text": best.get("text")}
    return _undated(rec, trig, is_verb, gov)


def _says_now(verb: Any) -> bool:
    """The clause is in the present ("X is meeting Y", "X urges Y"): it happens as the article is published."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return False
    if verb.tag_ in {"VBZ", "VBP"} and not any(c.dep_ == "aux" and c.lower_ in {"has", "have"} for c in verb.children):
        return True
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.tag_ in {"VBZ", "VBP"} and c.lower_ not in {"has", "have"}
                                      for c in verb.children)


def _frames(noun: Any) -> bool:
    """A noun that sets the scene of its clause ("In his Tuesday talk, X said", "during Sunday's meeting")."""
    return noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in {"VERB", "AUX"}


def _undated(rec: Record, trig: Any, is_verb: bool, gov: Any) -> dict[str, Any]:
    """Date of an event whose own clause names no time. A past-tense clause continues the narrative of its
    paragraph, so it takes the nearest time expression before it in that paragraph or the one before ("On Sunday, X met Y. They
    signed ..."); a present-tense clause happens now (the publication day, 'inferred'); otherwise undated."""
    pub = str(rec.get("article", {}).get("published") or "")[:10] or None
    verb = gov if gov is not None else trig if is_verb else None
    if verb is not None and _says_now(verb):
        return {"start": pub, "end": pub, "precision": "inferred", "text": None}
    if verb is not None:
        pos = trig.sent.start_char
        paras = rec.get("article", {}).get("paragraphs") or []
        k = next((i for i, (s, e) in enumerate(paras) if s <= pos < e), None)
        lo = paras[max(0, k - 1)][0] if k is not None else pos  # this paragraph, or the one before it
        best = None
        for tx in rec.get("timexes", []) or []:
            s = (tx.get("span") or [None])[0]
            if s is None or not (lo <= s < pos) or not tx.get("start"):
                continue
            if pub and str(tx["start"])[:10] > pub:
                continue  # a future date is no narrative time for a past event
            sp = trig.doc.char_span(s, tx["span"][1], alignment_mode="expand")
            if sp is not None and ((sp.root.dep_ in {"compound", "nmod", "amod", "poss"} and not _frames(sp.root.head))
                                   or (sp.root.dep_ == "pobj" and sp.root.head.head.pos_ in {"NOUN", "PROPN"})):
                continue  # "the November 27 agreement", "the deal of 2018": it dates a thing, not the narrative
            if sp is not None and _attach_verb(sp.root, set()).tag_ in {"VB", "MD"}:
                continue  # "G7 was scheduled to meet this weekend": a plan, not the time of the narrative
            if best is None or s > best["span"][0]:
                best = tx
        if best is not None:
            return {"start": best.get("start"), "end": best.get("end") or best.get("start"),
                    "precision": best.get("precision"), "text": best.get("text"), "inherited": True}
    return {"start": None, "end": None, "precision": None, "text": None}


def _location(rec: Record, sent: Any, trig: Any, taken: list[list[int] | None]) -> dict[str, Any] | None:
    """A place in the sentence attached by in/at/near to the trigger's clause, not the actor or target."""
    places = [p for p in rec.get("places", []) or []
              if sent.start_char <= p["span"][0] and p["span"][1] <= sent.end_char]
    if not places:
        return None
    doc = trig.doc
    clause = {t.i for t in trig.subtree} | {t.i for t in trig.head.subtree} if trig.dep_ != "ROOT" else \
        {t.i for t in trig.subtree}

    def overlaps(p: dict[str, Any]) -> bool:
        return any(sp and p["span"][0] < sp[1] and sp[0] < p["span"][1] for sp in taken)

    scored = []
    for p in places:
        if overlaps(p):
            continue
        tok = doc.char_span(p["span"][0], p["span"][1], alignment_mode="expand")
        if tok is None:
            continue
        root = tok.root
        prep = root.head if root.dep_ == "pobj" else None
        if prep is not None and prep.lower_ in {"in", "at", "near", "outside", "inside"} and root.i in clause:
            scored.append((abs(root.i - trig.i), p))
    if not scored:
        return None
    p = min(scored, key=lambda x: x[0])[1]
    return {"name": p.get("canonical") or p["name"], "country": p.get("country"), "lat": p.get("lat"),
            "lon": p.get("lon"), "geonameid": p.get("geonameid")}


def _claim(rec: Record, s: int, e: int) -> str | None:
    for c in rec.get("claims", []) or []:
        sp = c.get("span")
        if sp and sp[0] <= s and e <= sp[1]:
            return c.get("id")
    return None


def _derived(etype: str, mode: str) -> tuple[str | None, str | None]:
    lex = lexicon()
    cameo = lex["cameo_root_by_mode"].get(f"{etype}:{mode}") or lex["cameo_root"].get(etype)
    acled_map = lex["acled_sub_event_type"].get(etype)
    acled = None
    if acled_map:
        acled = acled_map.get(mode) or acled_map.get("_default")
    return cameo, acled


# ----------------------------------------------------------------- building events

def _context_authority(tok: Any) -> Any:
    """"Facebook was ordered to ...", "two men were arrested": a coercive passive with no by-phrase was done by
    the court, police or prosecutors the text names as a subject in the same sentence (nearest first) or the one
    before it in the paragraph;
    with none named there, the act keeps no actor (and is not coded)."""
    words = lexicon()["authority_words"]
    sent = tok.sent
    prev = tok.doc[sent.start - 1].sent if sent.start > 0 else None
    gap = (prev.start_char + len(prev.text.rstrip()), sent.start_char + len(sent.text) - len(sent.text.lstrip())) \
        if prev is not None else (0, 0)
    if "\n" in tok.doc.text[gap[0]:gap[1]]:
        prev = None  # a new paragraph starts a new context

    def authority(t: Any) -> bool:
        if t.dep_ == "compound" or t.pos_ not in {"NOUN", "PROPN"} or t.i == tok.i:
            return False
        if t.dep_ == "pobj" and t.head.lower_ == "by" and t.head.head.i != tok.i:
            return False  # the agent of another act: "abuse perpetrated by church authorities" is no arrest
        np = [t] + [c for c in t.children if c.dep_ == "compound"]
        return any(w.lemma_.lower() in words or w.lower_ in words for w in np)

    same = sorted((t for t in sent if authority(t)), key=lambda t: abs(t.i - tok.i))
    if same:
        return same[0]
    if prev is not None:
        return next((t for t in reversed(list(prev)) if authority(t)), None)
    return None


def _arguments(tok: Any, spec: dict[str, Any], is_verb: bool) -> tuple[Any, Any]:
    if is_verb:
        actor = _verb_subject(tok)
        target = _verb_target(tok, spec)
        if target is None and actor is not None and spec["type"] in SYMMETRIC:
            target = next((c for c in actor.children if c.dep_ == "conj"), None)  # "Turkey and Libya agreed"
            if target is None:
                actor, target = _split_coordinated(actor)
        if target is None and spec.get("obj") == "theme" and spec["type"] in {"RETREAT", "CONCEDE", "AGREE"}:
            theme = _child(tok, {"dobj"})  # "withdrew the nomination of Princess X": X; "approved Johnson's request"
            target = _named_inside(theme) if theme is not None and not _head_named(theme) else None
        if target is None and spec.get("mode") == "disperse" and spec.get("obj") == "theme":
            purpose = _child(tok, {"xcomp", "advcl"})  # "used pepper spray to push back the crowd": the crowd
            target = _child(purpose, {"dobj"}) if purpose is not None else None
        if target is None and spec["type"] == "RETREAT":
            target = _left_party(tok)
        if target is None and spec["type"] == "THREATEN":
            target = _threatened(tok)
        if target is None and spec["type"] == "REJECT" and spec.get("obj") == "theme":
            inner = _child(tok, {"xcomp"})  # "refused to provide the network with a licence": the network
            obj = _child(inner, {"dative", "iobj", "dobj"}) if inner is not None else None
            target = obj if obj is not None and _is_party(obj) else None
        if target is None and spec["type"] == "REQUEST":
            wanted = _prep_objects(tok, ["for"])  # "called for G7 action", "asked for EU sanctions": the party asked
            # one level only: "asked for clarifications of EU law" asks no one of the EU
            target = _named_inside(wanted, 1) if wanted is not None and not _head_named(wanted) else None
        if target is None and spec["type"] == "REQUEST":
            target = _addressee_of_content(tok)  # "demanded that Carrie Lam withdraw the bill": Lam
        if target is None and spec["type"] == "REQUEST" and tok.dep_ == "advcl" and tok.tag_ == "VBG":
            written = _prep_objects(tok.head, ["to"])  # "wrote to the US Embassy asking to waive ...": the embassy
            target = written if written is not None and _head_named(written) else None
        if spec["type"] == "CONSULT" and tok.lemma_.lower() == "call" and _title_then_name(tok) is not None:
            target = _title_then_name(tok)
        if target is None and spec["type"] == "CONSULT" and tok.lemma_.lower() in lexicon()["conversation_verbs"]:
            heard = _prep_objects(tok, ["to"])  # "Raab spoke to Pompeo by phone"; not "spoke to reporters / the BBC"
            named = heard is not None and any(t.ent_type_ in {"PERSON", "GPE", "NORP"} for t in heard.subtree)
            target = heard if named else None
        if spec.get("type") == "CONSULT" and spec.get("mode") == "visit" and target is not None \
                and not _is_named(target):
            target = _prep_objects(target, ["in", "at"]) or _prep_objects(tok, ["in", "at"])
        return actor, target
    actor = _noun_actor(tok)
    target = _prep_objects(tok, spec.get("target_preps", []))
    if target is not None and spec["type"] == "RETREAT" and not _is_named(target):
        target = None  # "withdrawal from Mali" leaves Mali; "withdrawal from the region" leaves no party
    if target is None:
        acl = next((c for c in tok.children if c.dep_ == "acl" and c.lemma_.lower() in lexicon()["attribution_verbs"]), None)
        if acl is not None:  # "the sanctions imposed by the EU on Belarus": the target hangs on the participle
            target = _prep_objects(acl, spec.get("target_preps", []))
            by = _agent(acl)
            if target is None and by is not None:  # ... or, misparsed, on its agent
                target = _prep_objects(by, spec.get("target_preps", []))
    between = _prep_objects(tok, ["between"])
    if between is not None and (spec["type"] in SYMMETRIC or spec.get("mode") == "clash"):  # "clashes between X and Y"
        actor = actor or between
        if target is None:
            target = next((c for c in between.children if c.dep_ == "conj"), None)
    if target is None and spec["type"] in {"ACCUSE", "REJECT", "PROTEST", "THREATEN"} and tok.dep_ == "pobj" \
            and tok.head.lower_ in {"despite", "amid", "amidst"} and tok.head.head.pos_ in {"VERB", "AUX"}:
        return actor, _verb_subject(tok.head.head)  # "X went ahead despite criticism by Y": Y criticised X
    if target is None:
        gov = _noun_governor(tok)
        if gov is not None:
            target = _prep_objects(gov, spec.get("target_preps", []) + ["with"] if spec["type"] == "CONSULT"
                                   else spec.get("target_preps", []))
    return actor, target


def _threatened(tok: Any) -> Any:
    """Who a threat to act is aimed at: the party the threatened act would hit ("threatened to block Sweden's
    membership": Sweden; "threatened to impose tariffs on China": China)."""
    inner = _child(tok, {"xcomp"})
    if inner is None:
        return None
    hit = _prep_objects(inner, ["on", "against", "at"])
    if hit is None:
        obj = _child(inner, {"dobj"})
        if obj is None or obj.lower_ in PRONOUNS:
            return None
        hit = obj if _head_named(obj) else _named_inside(obj)
    return hit if hit is not None and _is_party(hit) else None


def _left_party(tok: Any) -> Any:
    """Whom a withdrawal leaves: the party named in its "from" phrase ("withdrew the US from a treaty with
    Iran": Iran; "withdrew from using Princess Ubolratana as their candidate": the princess)."""
    left = _prep_objects(tok, ["from"])
    if left is None:
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"), None)
        verb = _child(prep, {"pcomp"}) if prep is not None else None
        left = _child(verb, {"dobj"}) if verb is not None else None
    if left is None or left.lower_ in PRONOUNS:
        return None
    if _head_named(left):
        return left
    inside = _named_inside(left)
    if inside is None:
        inside = next((o for p in left.children if p.dep_ == "prep" and p.lower_ == "with"
                       for o in p.children if o.dep_ == "pobj" and _head_named(o)), None)
    return inside


def _addressee_of_content(tok: Any) -> Any:
    """The one told what to do in a demand's content clause: the subject of a that-clause in the bare or modal
    form ("demanded that Lam withdraw the bill", "insisted that Iran must stop"). A clause that states a fact
    ("said that Iran stopped") names no addressee."""
    for comp in (c for c in tok.children if c.dep_ == "ccomp"):
        bare = comp.tag_ == "VB" and not any(c.dep_ == "aux" and c.lower_ in {"to", "will", "would", "can", "could", "may",
                                                                                "might", "did", "do", "does"}
                                             for c in comp.children)
        modal = any(c.dep_ == "aux" and c.lower_ in _speech_lexicon()["demand_modals"] for c in comp.children)
        subj = _child(comp, {"nsubj"})
        if (bare or modal) and subj is not None and subj.lower_ not in PRONOUNS | RELATIVE and _is_party(subj):
            return subj
    return None


def _about_demand(tok: Any) -> bool:
    """The verb's object or prepositional object is a demand, request, proposal ..."""
    words = lexicon()["demand_words"]
    for c in tok.children:
        objs = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else []
        if any(o.lemma_.lower() in words for o in objs):
            return True
    return False


def _passes_needs(spec: dict[str, Any], actor: Any, target: Any) -> bool:
    needs = spec.get("needs")
    lex = lexicon()
    if needs == "target" and target is None:
        return False
    if needs == "named_target" and (target is None or not _head_named(target)):
        return False
    if needs == "named_actor" and (actor is None or not (_is_named(actor) or actor.lower_ in PRONOUNS)):
        return False
    if needs == "military_actor" and (actor is None or actor.lemma_.lower() not in lex["military_words"]):
        return False
    if needs == "protester_actor" and (actor is None or (actor.lemma_.lower() not in lex["protester_words"]
                                                          and actor.lemma_.lower() not in QUANTITY_NOUNS)):
        return False  # "protesters marched", "thousands marched"; not "the president marched into the hall"
    return True


def extract_events(rec: Record, doc: Any) -> list[Event]:
    """Events before merging, each with private '_*' keys used by the merge step."""
    lex = lexicon()
    out: list[Event] = []
    cands = _candidates(doc)
    for tok, spec, is_verb in cands:
        modality = _modality(tok)
        if modality == "drop" and is_verb:
            continue
        if is_verb and tok.dep_ == "pcomp" and tok.head.lower_ == "from" \
                and (lex["verbs"].get(tok.head.head.lemma_.lower()) or {}).get("type") == "RETREAT":
            continue  # "withdrew from backing X": the backing is what ends, no support given
        gov = None if is_verb else _noun_governor(tok)
        if gov is not None and modality != "drop":
            g_mod = _modality(gov)
            if g_mod != "ok":
                modality = g_mod
        # a nominal inside reported or hypothetical content ("accused X of conducting last week's strike")
        # is no event of its own, but still a mention that can date or place the event it names
        mention_only = modality == "drop"
        etype, mode = spec["type"], spec["mode"]
        if is_verb and etype == "AGREE":
            inner = next((c for c in tok.children if c.dep_ == "xcomp"), None)
            inner_spec = lex["verbs"].get(inner.lemma_.lower()) if inner is not None else None
            if inner_spec and inner_spec["type"] not in lex["cooperative_types"] | {"AGREE", "RETREAT", "CONCEDE"}:
                continue  # "vowed to veto / to retaliate": not an agreement to cooperate
            inner_obj = _child(inner, {"dobj"}) if inner is not None else None
            if inner_obj is not None and inner.lemma_.lower() in lex["support_verbs"] and any(
                    (lex["nouns"].get(n.lemma_.lower()) or {}).get("type") == "SANCTION"
                    for n in [inner_obj, _prep_objects(inner_obj, ["of"])] if n is not None):  # "a package of sanctions"
                continue  # "agreed to impose sanctions on Russia": the decision is coded as the sanction
            if inner_spec and inner_spec["type"] == "AID" and inner_obj is not None \
                    and inner_obj.lemma_.lower() in lex["non_aid_objects"]:
                continue  # "agreed to provide information": no aid, so no agreement to give it
        actor_tok, target_tok = _arguments(tok, spec, is_verb)
        if is_verb and actor_tok is None and etype in {"COERCE", "SANCTION"} and _is_passive(tok):
            actor_tok = _context_authority(tok)
        if target_tok is not None and target_tok.pos_ == "NOUN":
            # "his party's nominee, Kamala Harris": the name in apposition is the party, not the possessor
            target_tok = _appos_name(target_tok) or target_tok
        if actor_tok is not None and actor_tok.lower_ in RELATIVE:
            actor_tok = _resolve_pronoun(actor_tok)
        if target_tok is not None and target_tok.lemma_.lower() in lex["audience_nouns"] and etype == "REQUEST":
            target_tok = None  # "told reporters ...": the press hears a statement; it is not its target
        if target_tok is not None and any(c.dep_ == "det" and c.lower_ in {"any", "every", "all"} for c in target_tok.children):
            target_tok = None  # "we call on any other country that wishes to join": no one in particular
        if not is_verb and etype == "PROTEST" and actor_tok is not None and actor_tok.ent_type_ == "PERSON" \
                and actor_tok.tag_ != "NNPS" and not any(c.dep_ == "conj" for c in actor_tok.children):
            continue  # "Erdogan said at a rally": one politician at a rally is campaigning, not protesting
        if is_verb and actor_tok is not None and actor_tok.lemma_.lower() in lex["weapon_nouns"]:
            owner = next((c for c in actor_tok.children if c.dep_ in {"poss", "amod", "compound"}
                          and _modifier_actor(c)), None)
            if owner is not None:
                actor_tok = owner  # "Russian drones attacked Odesa": Russia attacked
        if is_verb and actor_tok is not None and actor_tok.lemma_.lower() in lex["event_nouns"]:
            # "the bombing killed five", "hit by drone strikes": another mention of the nominal event
            if etype != "ASSAULT":
                continue
            actor_tok, mention_only = None, True
        if actor_tok is not None and (actor_tok.lemma_.lower() in QUANTITY_NOUNS or actor_tok.ent_type_ in NOT_PARTICIPANT):
            actor_tok = _prep_objects(actor_tok, ["of"]) or actor_tok  # "one of the goals", "thousands of protesters"
        if actor_tok is not None and actor_tok.pos_ == "NOUN" and not _party_head(actor_tok):
            actor_tok = None  # "one of the stated goals of AfCFTA is to encourage ...": goals do not act
        if not mention_only and not _passes_needs(spec, actor_tok, target_tok):
            continue
        if spec.get("needs") == "governed" and gov is None and _prep_objects(tok, ["between"]) is None:
            continue  # "the NATO treaty" names an old agreement; "signed/reached a deal", "deal between" code one
        if spec.get("governors") and (gov is None or gov.lemma_.lower() not in spec["governors"]):
            continue  # "opened fire on X"; not "a fire broke out"
        if modality == "negated" and etype in {"CONCEDE", "AGREE"} and _about_demand(tok):
            # "did not accede to protesters' demands": refusing a demand is a REJECT, not a negated concession
            etype, mode, modality = "REJECT", "refuse", "ok"
        if modality == "threat":
            if etype not in lex["conflict_types"]:
                continue
            etype, mode, modality = "THREATEN", etype.lower(), "ok"
        if modality == "intent" and etype == "SANCTION" and _decided(gov if gov is not None else tok):
            modality = "ok"  # "EU leaders agreed to impose sanctions": a decision taken is the sanction
        if modality == "intent" and etype not in lex["cooperative_types"] and etype != "AGREE":
            continue  # "vowed to veto": an intention, not an event (and no cooperation to code as AGREE)
        if modality in {"future", "intent"}:
            if etype in lex["cooperative_types"]:
                mode = etype.lower() if etype != "AGREE" else mode
                etype = "AGREE"
            elif modality == "future" and etype not in {"RETREAT", "CONCEDE"}:
                continue  # announced withdrawals and concessions are coded as what they announce
        claim_id = _claim(rec, tok.idx, tok.idx + len(tok.text))
        if claim_id is not None and (next((c for c in rec.get("claims", []) or [] if c.get("id") == claim_id), {})
                                     .get("status") == "contradicted"):
            # "it claimed to have killed X", X then seen alive: the claimant's act may be real, its outcome on
            # X is not; keep the actor, drop X (a nearby mention of the same attack may give the target)
            target_tok = None
        if mention_only:
            actor_tok = None
        inner = None
        if target_tok is not None and target_tok.lower_ not in PRONOUNS and (
                not _head_named(target_tok) or (target_tok.pos_ == "PROPN" and not target_tok.ent_type_)):
            inner = _named_inside(target_tok)  # also "the Economy of Turkey": a capitalised common noun
        abstract: str | bool = False
        if spec.get("epithet") and target_tok is not None and target_tok.lower_ in {"it", "this", "that"}:
            abstract, target_tok = "move", None  # "Schiff called it 'a non-starter'": the act just told
        if target_tok is not None and inner is None and etype in lex["party_target_types"] \
                and not _is_party(target_tok):
            # "criticised the proceedings": a thing, not a party; a definite one ("the move", "this decision")
            # points back at an act just told, whose author is the target (filled in by _author_targets)
            if target_tok.lemma_.lower() in lex["act_nouns"] and any(
                    c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"} for c in target_tok.children):
                abstract = target_tok.lemma_.lower()
            target_tok = None
        if not is_verb and target_tok is None and etype == "ASSAULT":
            target_tok = next((c for c in tok.lefts if c.dep_ == "compound" and _is_city(c)), None)
        if etype == "ASSAULT" and target_tok is not None and inner is None and target_tok.pos_ == "NOUN" \
                and not _is_party(target_tok):
            # "an attack on oil infrastructure in Saudi Arabia": a facility hit in a country hits that country
            country = _prep_objects(target_tok, ["in"]) or _prep_objects(gov if gov is not None else tok, ["in"])
            if country is not None and country.ent_type_ == "GPE" and not _is_city(country):
                inner = country
        actor, actor_text, actor_span = _participant(rec, doc, actor_tok, "actor")
        if actor is None and actor_tok is not None and actor_tok.pos_ in {"NOUN", "PROPN"} and not _is_party(actor_tok):
            actor, actor_text, actor_span = None, None, None  # "the organization's summit": no agent we can name
        target, target_text, target_span = _participant(rec, doc, target_tok)
        if inner is not None:
            # "Ukraine's Western allies": keep the phrase, point at the name inside it
            i_id, i_text, i_span = _participant(rec, doc, inner)
            target = i_id
            if i_id is None or not _head_named(inner):  # "the network's licence": the network
                target_text = i_text
            elif i_span and target_span and i_span[0] > target_span[1]:
                target_text = doc.text[target_span[0]:i_span[1]]  # "port of Odesa"
                target_span = [target_span[0], i_span[1]]
        if target_text and actor_text and " and " in target_text and actor_text in target_text:
            target_text = target_text.rsplit(" and ", 1)[1]  # split coordinated subject: the second party
        if (actor_span and target_span and actor_span == target_span) or (actor is not None and actor == target) \
                or (actor_text and target_text and actor_text.lower() == target_text.lower()):
            target, target_text, target_span = None, None, None  # no one acts on themselves in these codes
        sent = tok.sent
        ev: Event = {
            "type": etype, "mode": mode,
            "actor": actor, "actor_text": actor_text,
            "target": target, "target_text": target_text,
            "date": _date(rec, sent, tok, is_verb, gov),
            "location": _location(rec, sent, tok, [actor_span, target_span]),
            "figures": [], "claim": claim_id,
            "negated": modality == "negated",
            "span": [tok.idx, tok.idx + len(tok.text)],
            "trigger": tok.text,
        }
        if not is_verb and tok.dep_ == "pobj" and tok.head.lower_ in {"despite", "amid", "amidst"}:
            # "announced it on Friday despite criticism": the criticism came before; the clause's time is not its own
            ev["date"] = {"start": None, "end": None, "precision": None, "text": None}
        if etype == "CONSULT" and mode == "visit" and not target_text and ev["location"]:
            ev["target_text"] = ev["location"]["name"]  # "visited the memorial wall in Kyiv": a visit to Kyiv
        aff = entity_by_id(rec, actor)
        if aff and aff.get("affiliation"):
            ev["actor_affiliation"] = aff["affiliation"]
        ev["cameo_root"], ev["acled_sub_event_type"] = _derived(etype, mode)
        ev["_sent"] = (sent.start_char, sent.end_char)
        ev["_verb"] = is_verb
        ev["_tok"] = tok.i
        ev["_head"] = tok.head.i if tok.dep_ in {"advcl", "conj", "xcomp"} else None
        # "attacked the town, killing 12" adds its toll to the attack; "12 were killed when missiles struck a
        # block" is the other way round: the actorless passive is the mention, merged into the strike later
        ev["_participle"] = tok.tag_ == "VBG"
        ev["_gov"] = gov.i if gov is not None else None
        ev["_mention"] = mention_only
        ev["_abstract"] = abstract
        ev["_epithet"] = bool(spec.get("epithet"))
        ev["_plural"] = actor_tok is not None and (actor_tok.tag_ in {"NNS", "NNPS"}
                                                   or any(c.dep_ == "conj" for c in actor_tok.children))
        out.append(ev)
        if etype not in SYMMETRIC and actor_tok is not None and not mention_only:
            # "Warren and Bloomberg ended their campaigns": each of them did
            base = (_appos_name(actor_tok) or actor_tok) if actor_tok.pos_ == "NOUN" else actor_tok
            for conj in _conjuncts(base):
                c_id, c_text, c_span = _participant(rec, doc, conj, "actor")
                if c_text and c_span != actor_span and c_text != actor_text and c_text != target_text:
                    twin = dict(ev, actor=c_id, actor_text=c_text, figures=[], _copy=True)
                    twin.pop("actor_affiliation", None)
                    c_ent = entity_by_id(rec, c_id)
                    if c_ent and c_ent.get("affiliation"):
                        twin["actor_affiliation"] = c_ent["affiliation"]
                    out.append(twin)
    _attach_figures(rec, out)
    return out


def _attach_figures(rec: Record, events: list[Event]) -> None:
    """Each figure of a sentence goes to the nearest event trigger of that sentence."""
    for fig in rec.get("figures", []) or []:
        sp = fig.get("span")
        if not sp:
            continue
        near = [ev for ev in events if ev["_sent"][0] <= sp[0] and sp[1] <= ev["_sent"][1]]
        if near:
            ev = min(near, key=lambda v: abs(v["span"][0] - sp[0]))
            ev["figures"].append(fig["id"])


# ----------------------------------------------------------------- merging

def _key(ev: Event, role: str) -> str | None:
    if ev.get(role):
        return ev[role]
    text = ev.get(role + "_text")
    if not text:
        return None
    words = [w.strip(".,’'s").lower() for w in text.split()]
    return words[-1] if words else None


def _weak(d: dict[str, Any]) -> bool:
    """A date the event's own text did not give: the publication day by default, or none."""
    return not d.get("start") or d.get("precision") == "inferred" or bool(d.get("inherited"))


def _dates_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if _weak(a) or _weak(b):
        return True
    a0, a1, b0, b1 = a.get("start"), a.get("end") or a.get("start"), b.get("start"), b.get("end") or b.get("start")
    if not (a0 and b0):
        return True
    return str(a0)[:10] <= str(b1)[:10] and str(b0)[:10] <= str(a1)[:10]


def _content_words(text: str | None) -> set[str]:
    stop = {"the", "a", "an", "of", "on", "in", "and", "s"}
    return {w.strip(".,’'").lower().removesuffix("’s").removesuffix("'s") for w in (text or "").split()} - stop


def _absorb(main: Event, other: Event) -> None:
    """Fill what ``main`` lacks from another mention of the same event."""
    if _weak(main["date"]) and not _weak(other["date"]):
        main["date"] = other["date"]
    if main.get("location") is None and other.get("location"):
        main["location"] = other["location"]
    for f in other["figures"]:
        if f not in main["figures"]:
            main["figures"].append(f)
    if main.get("claim") is None and other.get("claim"):
        main["claim"] = other["claim"]
    named_main = any(w[:1].isupper() for w in (main.get("target_text") or "").split())
    named_other = any(w[:1].isupper() for w in (other.get("target_text") or "").split())
    if other.get("target") and not main.get("target") and other.get("_speech"):
        # "X called Y's admission 'a ploy'": the speech reading names the party Y; the verb reading kept a phrase
        main["target"], main["target_text"] = other["target"], other["target_text"]
    elif other.get("target_text") and (not main.get("target_text") or (named_other and not named_main)):
        main["target"], main["target_text"] = other["target"], other["target_text"]


def merge(events: list[Event]) -> list[Event]:
    """One event per referent: repeated mentions merge, actorless nominal mentions join their event."""
    lex = lexicon()
    kept: list[Event] = []
    for ev in events:
        if ev["actor"] is None and not ev["actor_text"]:
            continue
        if ev.get("_mention"):
            continue
        twin = next((k for k in kept if k["type"] == ev["type"] and _key(k, "actor") == _key(ev, "actor")
                     and (_key(k, "target") == _key(ev, "target") or not _key(ev, "target") or not _key(k, "target"))
                     and _dates_compatible(k["date"], ev["date"]) and k["negated"] == ev["negated"]), None)
        if twin is not None:
            _absorb(twin, ev)
            continue
        kept.append(ev)
    # actorless mentions ("the attack on the fleet headquarters") add date/figures/place to their event; a
    # second pass lets an early mention ("last week's strike on X") find an event that a later one named X
    mentions = [ev for ev in events if (ev["actor"] is None and not ev["actor_text"]) or ev.get("_mention")]
    for ev in mentions + mentions:
        if (ev["actor"] is not None or ev["actor_text"]) and not ev.get("_mention"):
            continue
        same = [k for k in kept if k["type"] == ev["type"] and not k["negated"]]
        words = _content_words(ev.get("target_text"))
        by_target = [k for k in same if words and words & _content_words(k.get("target_text"))]
        pool = list(by_target)
        if ev["type"] == "ASSAULT":
            # "the attack", "were hit by drone strikes": the nearest attack of a compatible date, or one
            # anywhere in the article that names the same target
            near = [k for k in same if _dates_compatible(k["date"], ev["date"])
                    and abs(k["span"][0] - ev["span"][0]) <= NEAR_CHARS]
            pool += [k for k in near if not k.get("target_text")] if by_target else near
        pick = min(pool, key=lambda k: abs(k["span"][0] - ev["span"][0])) if pool else None
        if pick is not None:
            _absorb(pick, ev)
    out = []
    for ev in kept:
        if not ev.get("target_text") and ev["type"] not in lex["target_optional_types"]:
            continue
        if not ev.get("target_text") and ev["type"] == "CONSULT" and not ev.get("_plural") \
                and ev["mode"] != "multilateral":
            continue  # a meeting needs two sides: "X met" alone is a greeting or a misparse
        out.append(ev)
    return out


def _drop_support_duplicates(events: list[Event]) -> list[Event]:
    """"pledged support", "imposed sanctions": one event, not two. The noun wins unless the verb is an
    intent verb coded AGREE (future cooperation); an AGREE verb borrows the target of what it governs."""
    by_tok = {ev["_tok"]: ev for ev in events if not ev.get("_copy")}
    drop: set[int] = set()
    for ev in events:
        head = by_tok.get(ev.get("_head"))
        if head is not None and head is not ev and head["type"] == ev["type"] == "ASSAULT" and ev["_verb"] \
                and (head.get("actor_text") or ev.get("_participle")):
            # "attacked the town, killing 12": one attack; the participle adds its toll
            head["figures"] += [f for f in ev["figures"] if f not in head["figures"]]
            drop.add(id(ev))
            continue
        gov = ev.get("_gov")
        if gov is not None and gov in by_tok:
            verb_ev = by_tok[gov]
            if verb_ev.get("_epithet"):
                drop.add(id(ev))  # "called the agreement 'void'": the label is the event, not the agreement
                continue
            if verb_ev["type"] == "AGREE":
                if not verb_ev.get("target_text") and ev.get("target_text"):
                    verb_ev["target"], verb_ev["target_text"] = ev["target"], ev["target_text"]
                drop.add(id(ev))
            else:
                for key in ("actor", "actor_text"):
                    if not ev.get(key):
                        ev[key] = verb_ev.get(key)
                drop.add(id(verb_ev))
    return [ev for ev in events if id(ev) not in drop]


def _inherit_dates(rec: Record, events: list[Event]) -> None:
    """An undated event takes the date of the previous dated event of the same actor in its paragraph
    ("X met Y on Wednesday ... They called on Z"): news narrates one occasion per paragraph."""
    paras = rec.get("article", {}).get("paragraphs") or []
    starts = [s for s, _ in paras]

    def para(pos: int) -> int:  # bisect: linear in the number of events, not events x paragraphs
        i = bisect.bisect_right(starts, pos) - 1
        return i if i >= 0 and pos < paras[i][1] else -1

    where = [para(ev["span"][0]) for ev in events]
    by_para: dict[int, list[int]] = {}
    for i, p in enumerate(where):
        by_para.setdefault(p, []).append(i)
    for i, ev in enumerate(events):
        if not _weak(ev["date"]) or where[i] < 0:
            continue
        for j in reversed([j for j in by_para[where[i]] if j < i]):
            prev = events[j]
            if _weak(prev["date"]):
                continue
            if _key(prev, "actor") and _key(prev, "actor") == _key(ev, "actor"):
                ev["date"] = dict(prev["date"], inherited=True)
                break


def _author_targets(events: list[Event]) -> None:
    """"X condemned the move": the move is the act told just before, so its author is the target. Only an
    event of another actor within about two paragraphs counts; with none, the event keeps no target."""
    nouns = lexicon()["nouns"]
    for i, ev in enumerate(events):
        if not ev.get("_abstract") or ev.get("target_text"):
            continue
        me = _key(ev, "actor")
        prior = [p for p in reversed(events[:i]) if not p.get("_mention") and (p.get("actor") or p.get("actor_text"))
                 and _key(p, "actor") != me and p["_tok"] != ev["_tok"]]  # not a co-actor of the same act
        # "the agreement" is the agreement told before, wherever it was; "the move" is the act just told
        kind = (nouns.get(ev["_abstract"]) or {}).get("type")
        same = [p for p in prior if kind and p["type"] == kind]
        near = [p for p in prior if ev["span"][0] - p["span"][0] <= 2 * NEAR_CHARS]
        pick = (same or near or [None])[0]
        if pick is not None:
            ev["target"], ev["target_text"] = pick.get("actor"), pick.get("actor_text")


# ----------------------------------------------------------------- speech acts

PARTY_TYPES = {"PERSON", "ORG", "GPE"}


@cache
def _speech_lexicon() -> dict[str, Any]:
    """data/speech_events.json with its word lists as sets (loaded once)."""
    lex = dict(data.load("speech_events.json"))
    for key in ("negative_words", "demand_modals", "demand_verbs", "act_nouns_extra", "blame_nouns", "blame_adjectives",
                "blame_preps"):
        lex[key] = set(lex[key])
    return lex


def _party(rec: Record, eid: str | None) -> bool:
    ent = entity_by_id(rec, eid) or {}
    return ent.get("type") in PARTY_TYPES


def _same_side(rec: Record, a: str | None, b: str | None) -> bool:
    """The speaker, the party it acts for, or the party acting for it: no one accuses their own side."""
    if a is None or b is None:
        return False
    if a == b:
        return True
    ea, eb = entity_by_id(rec, a) or {}, entity_by_id(rec, b) or {}
    return ea.get("affiliation") == b or eb.get("affiliation") == a or (
        bool(ea.get("affiliation")) and ea.get("affiliation") == eb.get("affiliation"))


def _disapproves(toks: Any) -> Any:
    """The first negative evaluative word of a quote or claim that is not itself negated, or None."""
    lex = _speech_lexicon()
    low = " ".join(t.lower_ for t in toks)
    for t in toks:
        if t.lemma_.lower() in lex["negative_words"] or t.lower_ in lex["negative_words"]:
            if any(c.dep_ == "neg" for c in t.children) or any(c.dep_ == "neg" for c in t.head.children):
                continue  # "not illegal", "did not undermine"
            return t
    phrase = next((ph for ph in lex["negative_phrases"] if ph in low), None)
    if phrase is not None:
        first = phrase.split()[0]
        return next((t for t in toks if t.lower_ == first), toks[0])
    return None


def _party_in(rec: Record, toks: Any, speaker: str, skip: tuple[int, int] | None = None) -> tuple[str, Any] | None:
    """A named party in ``toks`` other than the speaker's side: a subject or possessor first."""
    found: list[tuple[int, str, Any]] = []
    for t in toks:
        if skip and skip[0] <= t.idx < skip[1]:
            continue
        if not t.ent_type_ or t.ent_iob_ not in {"B", "I"} or t.pos_ not in {"PROPN", "ADJ", "NOUN"}:
            continue
        eid = entity_at(rec, t.idx, t.idx + len(t.text))
        if eid is None or not _party(rec, eid) or _same_side(rec, speaker, eid):
            continue
        head = t
        while head.dep_ == "compound" and head.head is not head:
            head = head.head
        agent = head.dep_ == "pobj" and head.head.lower_ in {"by", "against"}
        if head.dep_ not in {"nsubj", "nsubjpass", "poss", "dobj"} and not agent:
            continue  # "in London", "an insult to Christians": a place or a victim, not the one blamed
        found.append((0 if head.dep_ != "dobj" else 1, eid, t))
    if not found:
        return None
    rank, eid, t = min(found, key=lambda f: f[0])
    return eid, t


def _cue_token(sent: Any, cue: str | None, skip: tuple[int, int]) -> Any:
    cue = (cue or "").lower()
    for t in sent:
        if skip[0] <= t.idx < skip[1]:
            continue
        if cue and (t.lower_ == cue or t.lemma_.lower() == cue):
            return t
    return sent.root


def _definite_act(toks: Any) -> bool:
    """"the move", "this kind of act", "the stabbing": the content is about an act told before."""
    nouns = lexicon()["act_nouns"] | _speech_lexicon()["act_nouns_extra"]
    return any(t.lemma_.lower() in nouns and t.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"} for c in t.children) for t in toks)


def _demanded(rec: Record, toks: Any, speaker: str) -> tuple[str, Any] | None:
    """"Congress must act", "Iran should stop": the named subject of a verb under must/should."""
    lex = _speech_lexicon()
    for t in toks:
        if t.lower_ in lex["demand_modals"] and t.dep_ == "aux":
            subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)  # a passive subject is no addressee
            if subj is None:
                continue
            hit = _party_in(rec, list(subj.subtree), speaker)
            if hit is not None:
                return hit
    return None


def _judged(rec: Record, neg: Any, speaker: str, raw: list[Event], pos: int) -> tuple[str, Any] | None:
    """Who a negative word is aimed at, read from the parse: the possessor of the word ("Russia's aggression"),
    else the subject of its clause ("Johnson is trying ... dangerous", "the French president's suggestion evokes
    a colonialist mentality"), else the object of the speech verb when the speaker is the subject ("X called the
    move 'a ploy'"). "The move", "this" alone name no one: the act they point back at may be anyone's, and
    guessing its author cost more false accusations than it found."""
    poss = next((c for c in neg.children if c.dep_ == "poss"), None)
    if poss is not None:
        hit = _party_in(rec, list(poss.subtree), speaker)
        if hit is not None:
            return hit
    verb, steps = neg, 0
    while verb.pos_ not in {"VERB", "AUX"} and verb.head is not verb and steps < 6:
        verb, steps = verb.head, steps + 1
    args = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    subj_is_speaker = any(entity_at(rec, c.idx, c.idx + len(c.text)) == speaker or c.lower_ in {"i", "we"} for c in args)
    if subj_is_speaker or not args:
        args = [c for c in verb.children if c.dep_ in {"dobj"}]
    for arg in args:
        hit = _party_in(rec, list(arg.subtree), speaker)
        if hit is not None:
            return hit
    return None


def _points_back(neg: Any) -> bool:
    """The judged clause's subject is "this", "that" or "it": the act the statement itself told before."""
    verb, steps = neg, 0
    while verb.pos_ not in {"VERB", "AUX"} and verb.head is not verb and steps < 6:
        verb, steps = verb.head, steps + 1
    return any(c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"this", "that", "it"} for c in verb.children)


def _blamed(rec: Record, toks: Any, speaker: str) -> tuple[str, Any] | None:
    """"the Abu Sayyaf Group are the suspected perpetrators", "Iran was behind the attack", "the Taliban are
    responsible for the bombing", "Moscow is to blame": the subject of a clause that names it as the one who
    did it. The predicate must say so: "responsible" alone ("a responsible government") blames no one."""
    lex = _speech_lexicon()
    for t in toks:
        low = t.lemma_.lower()
        pred = None
        if low in lex["blame_nouns"] and t.dep_ in {"attr", "acomp", "oprd"}:
            pred = t.head
        elif low in lex["blame_adjectives"] and t.dep_ in {"acomp", "attr", "oprd"} and any(
                c.dep_ == "prep" and c.lower_ in {"for", "of"} for c in t.children):
            pred = t.head
        elif t.lower_ in lex["blame_preps"] and t.dep_ == "prep" and t.head.lemma_ == "be":
            pred = t.head
        elif low == "blame" and t.dep_ == "xcomp" and t.head.lemma_ == "be":
            pred = t.head  # "X is to blame"
        if pred is None or any(c.dep_ == "neg" for c in pred.children):
            continue
        for subj in (c for c in pred.children if c.dep_ in {"nsubj", "nsubjpass"}):
            hit = _party_in(rec, list(subj.subtree), speaker)
            if hit is not None:
                return hit
    return None


def _speech_events(rec: Record, doc: Any, raw: list[Event]) -> list[Event]:
    """Criticism or demands voiced as speech with no trigger verb ("X called the plan 'a ploy'", "X said Y
    must resign"): the quote and claim stages already found the content and resolved its speaker, so an
    attributed statement that disapproves of a named party is an ACCUSE of that party by the speaker, and
    one that says what a named party must do is a REQUEST. With no party named in the statement, its
    sentence, or (for "the move", "this act") the act told just before, nothing is coded."""
    out: list[Event] = []
    items = [(q, q.get("speaker"), None) for q in rec.get("quotes", []) or []]
    items += [(c, c.get("source"), c.get("id")) for c in rec.get("claims", []) or []
              if c.get("status") != "contradicted"]
    for item, speaker, claim_id in items:
        sp = item.get("span") or None
        if not sp or speaker is None or not _party(rec, speaker):
            continue
        span = doc.char_span(sp[0], sp[1], alignment_mode="expand")
        if span is None or not len(span):
            continue
        toks = list(span)
        if any(t.lemma_.lower() in {"if", "whether"} for t in toks[:2]) or toks[-1].text == "?":
            continue  # a question or a condition voices no judgement
        sent = toks[0].sent
        skip = (sp[0], sp[1])
        etype, mode, hit = None, None, None
        neg = _disapproves(toks)
        if neg is not None:
            etype, mode = "ACCUSE", "criticize"
            hit = _judged(rec, neg, speaker, raw, sp[0])
            if hit is None and _points_back(neg):
                # "Johnson is trying to use the Queen ... — this is a deeply dangerous way to govern": "this" is
                # what the same statement just said the named party does
                hit = next((h for t in toks if t.dep_ == "nsubj" and t.i < neg.i
                            for h in [_party_in(rec, list(t.subtree), speaker)] if h is not None), None)
        if hit is None:
            hit = _blamed(rec, toks, speaker)
            if hit is not None:
                etype, mode = "ACCUSE", "accuse"
        if hit is None and neg is None:
            hit = _demanded(rec, toks, speaker)
            if hit is not None:
                etype, mode = "REQUEST", "demand"
        if etype is None or hit is None:
            continue
        target = hit[0]
        if _same_side(rec, speaker, target):
            continue
        cue = _cue_token(sent, item.get("cue"), skip)
        s_ent, t_ent = entity_by_id(rec, speaker) or {}, entity_by_id(rec, target) or {}
        ev: Event = {
            "type": etype, "mode": mode,
            "actor": speaker, "actor_text": s_ent.get("name") or item.get("speaker_text") or item.get("source_text"),
            "target": target, "target_text": t_ent.get("name"),
            "date": _date(rec, cue.sent, cue, True, None),
            "location": None, "figures": [], "claim": claim_id, "negated": False,
            "span": [cue.idx, cue.idx + len(cue.text)], "trigger": cue.text,
        }
        if s_ent.get("affiliation"):
            ev["actor_affiliation"] = s_ent["affiliation"]
        ev["cameo_root"], ev["acled_sub_event_type"] = _derived(etype, mode)
        ev.update(_sent=(cue.sent.start_char, cue.sent.end_char), _verb=True, _tok=cue.i, _head=None, _gov=None,
                  _mention=False, _abstract=False, _epithet=False, _plural=False, _speech=True)
        out.append(ev)
    return out


def _refused_askers(events: list[Event]) -> None:
    """"The government asked Judge Miller to delay his ruling, but he declined": a refusal with no one named
    refuses whoever asked the refuser just before (a REQUEST aimed at the refuser within about a paragraph)."""
    for i, ev in enumerate(events):
        if ev["type"] != "REJECT" or ev.get("target_text") or ev.get("_mention"):
            continue
        me = _key(ev, "actor")
        asks = [p for p in events[:i] if p["type"] == "REQUEST" and me and _key(p, "target") == me
                and (p.get("actor") or p.get("actor_text")) and 0 <= ev["span"][0] - p["span"][0] <= NEAR_CHARS]
        if asks:
            ev["target"], ev["target_text"] = asks[-1].get("actor"), asks[-1].get("actor_text")


def run(rec: Record, doc: Any) -> None:
    """Add ``rec["events"]`` (PLOVER events with actor, target, date, place, figures, claim)."""
    raw = extract_events(rec, doc)
    raw = _drop_support_duplicates(raw)
    _inherit_dates(rec, raw)
    _author_targets(raw)
    _refused_askers(raw)
    raw += _speech_events(rec, doc, raw)
    events = merge(raw)
    for n, ev in enumerate(events, 1):
        for k in [k for k in ev if k.startswith("_")]:
            del ev[k]
        ev["id"] = f"v{n}"
    rec["events"] = [{"id": ev.pop("id"), **ev} for ev in events]
