#!/usr/bin/env python3
"""Sentence-level event coding throughput: bare ``nlp.pipe`` vs coding each sentence as its own record.

    .venv/bin/python bench/sentence_bench.py [--rounds R] [--repeat N] [--inputs DIR]

Event-data researchers feed newsledger one English sentence per item. This splits the bundled
examples/*.txt articles into sentences (once, outside the timing), then times per round
  pipe      language.nlp().pipe over the sentences (batched): the floor
  code      the same pipe + every NLP stage (entities, quotes, claims, timexes, figures, places,
            events) on one record per sentence: what a one-sentence JSON lines item costs
and prints sentences/s for each and the ratio. Rounds alternate the two so that load from other
processes hits them alike; the best round counts. Standalone: prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = "2024-03-14T10:00:00+00:00"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=1, help="copies of the sentence set per round")
    ap.add_argument("--inputs", default=str(ROOT / "examples"), help="folder of .txt articles (default examples/)")
    args = ap.parse_args(argv)

    from newsledger import pipeline
    from newsledger.analysis import language
    from newsledger.read import read_path
    from newsledger.record import new_record

    paths = [p for p in sorted(Path(args.inputs).glob("*.txt")) if p.stat().st_size < 100_000]
    nlp = language.nlp()
    sentences: list[str] = []
    for p in paths:
        for d in read_path(p):
            text = pipeline.prepare(d)["article"]["text"]
            sentences += [s.text.strip() for s in nlp(text).sents if len(s.text.split()) >= 4]
    sentences *= args.repeat
    stages = [importlib.import_module(name).run for name in pipeline.STAGES]
    print(f"model {language.model_name()}; {len(sentences)} sentences from {len(paths)} articles")
    list(nlp.pipe(sentences[:8]))  # warm up

    best = {"pipe": 1e9, "code": 1e9}
    n_events = 0
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        list(nlp.pipe(sentences, batch_size=64))
        best["pipe"] = min(best["pipe"], time.perf_counter() - t0)

        t0 = time.perf_counter()
        n_events = 0
        for sent, sdoc in zip(sentences, nlp.pipe(sentences, batch_size=64), strict=True):
            rec = new_record({"text": sent, "published": PUBLISHED, "paragraphs": [[0, len(sent)]]})
            for run in stages:
                run(rec, sdoc)
            n_events += len(rec["events"])
        best["code"] = min(best["code"], time.perf_counter() - t0)

    n = len(sentences)
    for k, v in best.items():
        print(f"{k:5s} {v:7.2f} s  {n / v:8.0f} sentences/s  {v / best['pipe']:.2f}x pipe")
    print(f"events coded: {n_events} in {n} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
