#!/usr/bin/env python3
"""How much parsing could be skipped: the share of sentences (and tokens) that hold no quotation mark and no
word of any cue or trigger lexicon (PLOVER verbs and nouns, quote cues, claim cues, speech events), so that no
stage could take a quote, claim or event from them.

    .venv/bin/python bench/skippable_bench.py [FOLDER ...]     # default: examples/

The parser's share of the pipeline's time times this token share bounds what running the parser only on the
other sentences could save. Standalone: prints numbers, asserts nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUOTE_MARKS = "\"“”‘’'«»"
LEXICONS = {"plover.json": ("verbs", "nouns", "epithet_verbs", "support_verbs", "act_nouns"),
            "quote_cues.json": ("verbs", "nouns", "prepositional"),
            "claim_cues.json": ("clause_verbs", "infinitive_verbs", "object_claims", "accuse_verbs"),
            "speech_events.json": ("demand_verbs", "act_nouns_extra", "blame_nouns")}


def cue_words() -> set[str]:
    data = ROOT / "src" / "newsledger" / "data"
    words: set[str] = set()
    for name, keys in LEXICONS.items():
        lex = json.loads((data / name).read_text(encoding="utf-8"))
        for key in keys:
            entry = lex.get(key)
            if isinstance(entry, dict | list):
                words.update(w.lower() for w in entry if isinstance(w, str))
    return words


def main(argv: list[str]) -> int:
    from newsledger import pipeline
    from newsledger.analysis import language
    from newsledger.read import read_path

    folders = [Path(a) for a in argv] or [ROOT / "examples"]
    words, nlp = cue_words(), language.nlp()
    for folder in folders:
        paths = sorted(folder.glob("*.txt"))
        sents = skip = toks = skip_toks = 0
        for path in paths:
            for doc_in in read_path(path):
                rec = pipeline.prepare(doc_in)
                if not pipeline.will_analyse(rec):
                    continue
                for s in nlp(pipeline.parse_text(rec)).sents:
                    sents += 1
                    toks += len(s)
                    if any(c in s.text for c in QUOTE_MARKS):
                        continue
                    if any(t.lemma_.lower() in words or t.lower_ in words for t in s):
                        continue
                    skip += 1
                    skip_toks += len(s)
        if sents:
            print(f"{folder}: {len(paths)} texts, {skip}/{sents} sentences ({skip / sents:.0%}) and "
                  f"{skip_toks}/{toks} tokens ({skip_toks / toks:.0%}) hold no quote mark and no cue or trigger word "
                  f"({len(words)} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
