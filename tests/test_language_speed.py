"""The faster ways language.py runs things give what the stock ones give (issue 17): the attribute rules
applied without the Matcher, and py3langid's model read from the uncompressed cache."""

from __future__ import annotations

from pathlib import Path

from newsledger.analysis import language

ROOT = Path(__file__).resolve().parent.parent
ATTRS = ("tag_", "pos_", "morph", "lemma_", "dep_", "ent_type_", "ent_iob_")
ODD = ["I ain't gonna do it, y'all. Let's go! Gotta run; c'mon, 'em too. There is a dog. There's nothin' left.",
       "We'd have done it. She'd said no. I'd rather not. You'll see. It gets worse; it got worse. 'Nuff said.",
       "Them  two   spaces\n\nand a line.  Being been had did does.", ""]


def _sig(doc) -> list:
    return [tuple(str(getattr(t, a)) for a in ATTRS) + (t.head.i,) for t in doc]


def test_attribute_rules_give_the_stock_docs() -> None:
    texts = [p.read_text(encoding="utf-8")[:3000] for p in sorted((ROOT / "examples").glob("*.txt"))[:4]] + ODD
    assert language._attribute_rules() is not None  # en_core_web_sm's rules are all of the reproduced kinds
    stock = [_sig(d) for d in language.nlp().pipe(texts, batch_size=4)]
    assert [_sig(d) for d in language.pipe(texts, batch_size=4)] == stock
    assert [_sig(language.parse(t)) for t in texts[-4:]] == [_sig(language.nlp()(t)) for t in texts[-4:]]


def test_rules_outside_the_reproduced_kinds_fall_back() -> None:
    class Ruler:
        patterns = [{"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {}, "index": 0}]

        class vocab:  # noqa: N801
            strings = language.nlp().vocab.strings

    assert language.AttributeRules.compile(Ruler()) is None


def test_cached_language_model_scores_as_py3langid(tmp_path, monkeypatch) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("NEWSLEDGER_CACHE", str(tmp_path))
    arrays = language._langid_arrays()
    assert arrays is not None and any(tmp_path.iterdir())
    language._identifier.cache_clear()
    try:
        ours, ref = language._identifier(True), LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        for text in ["Putin met Xi in Beijing.", "Der Hund schläft im Garten.", "台風で定期船が運休", "",
                     (ROOT / "examples").glob("*.txt").__next__().read_text(encoding="utf-8")[:5000]]:
            assert ours.classify(text) == ref.classify(text) and ours.rank(text) == ref.rank(text)
    finally:
        language._identifier.cache_clear()
