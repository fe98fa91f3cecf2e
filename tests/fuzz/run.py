"""Coverage-guided fuzzing (atheris / libFuzzer) of the readers, the article stage and the quote and claim
stages. ``python tests/fuzz/run.py --seconds N``; ``make fuzz`` runs it for $FUZZ_SECONDS (CI: 60).

The target: bytes -> read_bytes -> article.build -> (text parsed by spaCy) -> entities -> quotes -> claims,
then the record must validate (schema + spans). A NewsledgerError is a clean refusal; anything else, or an
invalid record, is a crash. Crashes are not fatal by default: each distinct one (by exception type and the
innermost newsledger frame) is saved under out/fuzz/crashes/ with its traceback and the run goes on, so one
bounded run reports every kind of crash it met. ``--strict`` stops at the first (plain libFuzzer behaviour).

The parent process runs the fuzzer in a child and prints a summary from the child's stats file, because
libFuzzer ends the process with exit() when its time is up, before Python could print anything.
Exit status: 0 when no crash was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "out" / "fuzz"
SEEDS = [ROOT / "examples", ROOT / "tests" / "pages", ROOT / "tests" / "fuzz" / "regressions"]
MAX_LEN = 4_096  # bytes per input: a short article; small inputs keep the runs per second up
PARSE_CHARS = 3_000  # the stages get at most this much text, so spaCy does not dominate the time


def fuzz_one(data: bytes, stages: bool = True) -> str:
    """Run one input through every fuzzed layer (``stages=False``: readers and article only, ~50x faster).
    Returns how far it got; raises on a crash."""
    from newsledger import article, validate
    from newsledger.analysis import claims, entities, language, quotes
    from newsledger.read import read_bytes
    from newsledger.record import NewsledgerError, new_record

    try:
        docs = list(read_bytes(data, "fuzz"))
    except NewsledgerError:
        return "refused"
    reached = "read"
    for doc in docs[:3]:
        try:
            art = article.build(doc)
        except NewsledgerError:
            continue
        reached = "article"
        rec = new_record(art)
        if not stages:
            found = validate.problems(rec)
            if found:
                raise AssertionError("invalid record: " + "; ".join(found[:3]))
            continue
        text = art["text"]
        if len(text) > PARSE_CHARS:
            continue
        parsed = language.nlp()(text)
        for stage in (entities, quotes, claims):
            stage.run(rec, parsed)
        found = validate.problems(rec)
        if found:
            raise AssertionError("invalid record: " + "; ".join(found[:3]))
        reached = "stages"
    return reached


def signature(err: BaseException) -> str:
    """Exception type + innermost frame in our code: one file per distinct bug, not per input."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if "newsledger" in f.filename] or \
        traceback.extract_tb(err.__traceback__)[-1:]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(err).__name__}@{where}"


class Stats:
    """Counters written to a JSON file now and then, so the parent can report after libFuzzer exits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = {"inputs": 0, "refused": 0, "read": 0, "article": 0, "stages": 0, "crashes": {}}
        self.last = 0.0

    def save(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last > 2:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, indent=1))
            os.replace(tmp, self.path)
            self.last = now


def worker(args: argparse.Namespace) -> None:
    import atheris

    with atheris.instrument_imports(include=["newsledger"]):
        from newsledger import article, read, validate  # noqa: F401
        from newsledger.analysis import claims, entities, quotes  # noqa: F401
        from newsledger.article import html  # noqa: F401
        from newsledger.read import warc  # noqa: F401
    from newsledger.analysis import language

    if args.target == "all":
        language.nlp()  # load the model before fuzzing starts, not inside the first input's time
    stats = Stats(Path(args.stats))
    crash_dir = Path(args.crashes)

    def target(data: bytes) -> None:
        stats.data["inputs"] += 1
        try:
            stats.data[fuzz_one(data, stages=args.target == "all")] += 1
        except Exception as err:
            if args.strict:
                raise
            sig = signature(err)
            seen = stats.data["crashes"].setdefault(sig, {"count": 0, "file": None})
            seen["count"] += 1
            if seen["file"] is None:
                name = f"crash-{hashlib.sha1(data).hexdigest()[:12]}"
                (crash_dir / name).write_bytes(data)
                (crash_dir / (name + ".txt")).write_text(f"{sig}\n\n{traceback.format_exc()}")
                seen["file"] = name
                stats.save(force=True)
        stats.save()

    atheris.Setup([sys.argv[0], *args.libfuzzer], target)
    atheris.Fuzz()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60, help="fuzzing time (default 60)")
    ap.add_argument("--target", choices=["all", "readers"], default="all",
                    help="all: readers, article, entities, quotes, claims (default); readers: readers and article only")
    ap.add_argument("--strict", action="store_true", help="stop at the first crash (libFuzzer's own behaviour)")
    ap.add_argument("--corpus", default=str(OUT / "corpus"), help="working corpus folder (grows between runs)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--stats", help=argparse.SUPPRESS)
    ap.add_argument("--crashes", default=str(OUT / "crashes"), help=argparse.SUPPRESS)
    ap.add_argument("libfuzzer", nargs="*", help="extra libFuzzer flags after --, e.g. -- -jobs=2")
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return 0

    corpus, crashes = Path(args.corpus), Path(args.crashes)
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    for folder in SEEDS:  # real articles and pages as the starting corpus, cut to the input size limit
        for p in sorted(folder.glob("*")):
            if p.is_file() and p.suffix in (".txt", ".html", ".xml", ".jsonl"):
                (corpus / f"seed-{p.name}").write_bytes(p.read_bytes()[:MAX_LEN])
    stats_path = OUT / f"stats-{os.getpid()}.json"
    before = set(crashes.glob("crash-*"))
    flags = [f"-max_total_time={args.seconds}", f"-max_len={MAX_LEN}", "-timeout=60", "-rss_limit_mb=4096",
             f"-artifact_prefix={crashes}/", "-print_final_stats=1", *args.libfuzzer, str(corpus)]
    cmd = [sys.executable, __file__, "--worker", "--stats", str(stats_path), "--crashes", str(crashes),
           "--target", args.target, *(["--strict"] if args.strict else []), "--", *flags]
    started = time.monotonic()
    # generous wall limit: model loading plus the fuzzing time plus one slow last input
    proc = subprocess.run(cmd, timeout=args.seconds + 600, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace")
    elapsed = time.monotonic() - started
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {"inputs": 0, "crashes": {}}
    stats_path.unlink(missing_ok=True)
    new = sorted(set(crashes.glob("crash-*")) - before)
    libfuzzer_crash = proc.returncode != 0
    print(f"fuzzed {stats['inputs']} inputs in {elapsed:.0f} s: refused {stats.get('refused', 0)}, read "
          f"{stats.get('read', 0)}, article only {stats.get('article', 0)}, through quotes+claims "
          f"{stats.get('stages', 0)}; corpus {len(list(corpus.iterdir()))} files")
    for sig, info in sorted(stats["crashes"].items()):
        print(f"CRASH {sig}: {info['count']} inputs, first saved as {crashes / info['file']}")
    if libfuzzer_crash:
        print(proc.stdout[-4000:])
        print(f"fuzzer exited with status {proc.returncode} (crash, timeout or out of memory; see above)")
    elif not stats["crashes"]:
        print("no crashes")
    for p in new:
        if not p.name.endswith(".txt"):
            print(f"new crash input: {p}")
    return 1 if stats["crashes"] or libfuzzer_crash else 0


if __name__ == "__main__":
    sys.exit(main())
