#!/usr/bin/env python3
"""Throughput of the NLP part of newsledger: bare ``nlp.pipe`` vs the full extract.

    .venv/bin/python bench/nlp_bench.py [--repeat N] [--rounds R] [--model NAME]
    .venv/bin/python bench/nlp_bench.py --processes 44 [--rounds R]

Reads the bundled examples/*.txt, repeats them N times, and prints words/s for
  pipe      the spaCy pipeline alone (language.nlp().pipe, batched)
  analyse   pipe + every NLP stage (entities, quotes, claims, ...) on the parsed docs
  extract   pipeline.extract_many end to end (article stage, language id, parse, stages)
and the time of each of our stages alone. Rounds alternate the variants so that
load from other processes on a shared machine hits them alike; the best round counts.
Standalone: prints numbers, asserts nothing.

``--processes N`` measures instead what bench/run.py section 1 reports: whole processes (imports and model
load included) of bench/scale_tasks.py ``bare`` and ``extract`` over the same N documents, alternating, and
prints the CPU-second ratio of each round (CPU seconds, because other jobs inflate wall time, not CPU time).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="copies of the example set per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--model", help="spaCy pipeline name (sets NEWSLEDGER_SPACY_MODEL)")
    ap.add_argument("--inputs", default=str(ROOT / "examples"), help="folder of .txt articles (default examples/)")
    ap.add_argument("--processes", type=int, metavar="N",
                    help="compare whole bare / extract processes over N documents (bench/run.py section 1)")
    args = ap.parse_args(argv)
    if args.model:
        os.environ["NEWSLEDGER_SPACY_MODEL"] = args.model
    if args.processes:
        return processes(args.processes, args.rounds)

    from newsledger import pipeline
    from newsledger.analysis import language
    from newsledger.read import read_path

    # plain-text captures of news articles only: skip anything too big to be one (a stray output file)
    paths = [p for p in sorted(Path(args.inputs).glob("*.txt")) if p.stat().st_size < 100_000]
    docs = [d for p in paths for d in read_path(p)] * args.repeat
    recs = [pipeline.prepare(d) for d in docs]
    texts = [r["article"]["text"] for r in recs]
    words = sum(len(t.split()) for t in texts)
    nlp = language.nlp()
    print(f"model {language.model_name()} pipes {nlp.pipe_names}; {len(texts)} texts, {words} words")
    list(nlp.pipe(texts[:2]))  # warm up

    def run_pipe() -> list:
        return list(nlp.pipe(texts, batch_size=8))

    best = {"pipe": 1e9, "analyse": 1e9, "extract": 1e9}
    stage_time: dict[str, float] = {}
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        parsed = run_pipe()
        best["pipe"] = min(best["pipe"], time.perf_counter() - t0)

        t0 = time.perf_counter()
        parsed = run_pipe()
        fresh = [pipeline.prepare(d) for d in docs]
        t_stages = {name: 0.0 for name in pipeline.STAGES}
        for rec, sdoc in zip(fresh, parsed, strict=True):
            for name in pipeline.STAGES:
                s0 = time.perf_counter()
                importlib.import_module(name).run(rec, sdoc)
                t_stages[name] += time.perf_counter() - s0
        best["analyse"] = min(best["analyse"], time.perf_counter() - t0)
        for k, v in t_stages.items():
            stage_time[k] = min(stage_time.get(k, 1e9), v)

        t0 = time.perf_counter()
        out = list(pipeline.extract_many(docs))
        best["extract"] = min(best["extract"], time.perf_counter() - t0)
        assert len(out) == len(docs)

    for k, v in best.items():
        print(f"{k:8s} {v:7.2f} s  {words / v:8.0f} words/s  {v / best['pipe']:.2f}x pipe")
    for k, v in sorted(stage_time.items(), key=lambda kv: -kv[1]):
        print(f"  stage {k.rsplit('.', 1)[-1]:10s} {v * 1000:8.1f} ms  ({v / best['pipe'] * 100:.1f}% of pipe)")
    return 0


def processes(n: int, rounds: int) -> int:
    """Whole-process CPU and wall seconds of bare nlp.pipe vs extract, as bench/run.py measures them."""
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from run import build_documents, run_task

    with tempfile.TemporaryDirectory(prefix="nlp-bench-") as tmp:
        docs = Path(tmp) / "docs.jsonl"
        build_documents(docs, n)
        ratios = []
        for r in range(rounds):
            bare = run_task("bare", "--docs", str(docs))
            one = run_task("extract", "--docs", str(docs))
            cpu = one["process_cpu_s"] / bare["process_cpu_s"]
            ratios.append(cpu)
            print(f"round {r + 1}: bare {bare['process_cpu_s']:.2f} CPU s ({bare['process_wall_s']:.1f} wall), "
                  f"extract {one['process_cpu_s']:.2f} CPU s ({one['process_wall_s']:.1f} wall): "
                  f"ratio {cpu:.3f} CPU, {one['process_wall_s'] / bare['process_wall_s']:.3f} wall, "
                  f"{one['run_s'] / bare['run_s']:.3f} loop")
    print(f"extract / bare whole-process CPU ratio over {n} documents: best {min(ratios):.3f}, "
          f"median {sorted(ratios)[len(ratios) // 2]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
