"""One benchmark measurement per process, run by bench/run.py as ``python bench/scale_tasks.py TASK ...``.

Each task prints one JSON object on its last line of standard output. Whole processes are measured
(imports and model load included) by the caller; the task itself reports the times of its phases,
its own peak RSS and the peak RSS of every process it started (sampled from /proc, Linux only).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import threading
import time
from pathlib import Path
from typing import Any


class ChildPeaks:
    """Samples the peak RSS (VmHWM) of every descendant process while running.

    Written by hand over /proc because psutil is not a dependency and VmHWM is exactly the figure
    wanted (the kernel's high-water mark, so sampling misses nothing but a process's last instants).
    """

    def __init__(self, every: float = 0.25) -> None:
        self.every, self.peaks, self._stop = every, {}, threading.Event()
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds (user + system) last seen
        self._tick = os.sysconf("SC_CLK_TCK")
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> ChildPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _descendants(self) -> list[int]:
        parent: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    parent[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        mine, found = {os.getpid()}, True
        while found:
            found = False
            for pid, ppid in parent.items():
                if ppid in mine and pid not in mine:
                    mine.add(pid)
                    found = True
        mine.discard(os.getpid())
        return sorted(mine)

    def sample(self) -> None:
        for pid in self._descendants():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            hwm = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime
            old = self.peaks.get(pid, (0, ""))
            self.peaks[pid] = (max(old[0], hwm), cmd[:160] or old[1])

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def cpu_s(self) -> float:
        """CPU seconds of this process and every descendant seen (workers a pool never reaps included)."""
        own = resource.getrusage(resource.RUSAGE_SELF)
        return own.ru_utime + own.ru_stime + sum(self.cpu.values())

    def report(self) -> list[dict]:
        return [{"pid": pid, "peak_rss_mb": round(kb / 1024, 1), "cpu_s": round(self.cpu.get(pid, 0.0), 2), "cmd": cmd}
                for pid, (kb, cmd) in sorted(self.peaks.items())]


def self_peak_mb() -> float:
    from newsledger.scale import peak_rss_mb

    return round(peak_rss_mb(), 1)


def task_bare(args: argparse.Namespace) -> dict:
    """spaCy alone: the same pipeline object newsledger uses, nlp.pipe over the same input texts."""
    t0 = time.perf_counter()
    from newsledger.analysis import language

    nlp = language.nlp()
    texts = [json.loads(line)["text"] for line in open(args.docs, encoding="utf-8") if line.strip()]
    t1 = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=args.batch_size))
    t2 = time.perf_counter()
    return {"n": n, "chars": sum(map(len, texts)), "load_s": t1 - t0, "run_s": t2 - t1, "peak_rss_mb": self_peak_mb()}


def task_extract(args: argparse.Namespace) -> dict:
    """newsledger end to end (read, article, language check, parse, every stage) in one execution mode."""
    t0 = time.perf_counter()
    from newsledger.analysis import language
    from newsledger.read import read_path
    from newsledger.scale import extract_stream

    if args.workers == 1 and not args.dask:
        language.nlp()  # so run_s compares with the bare run's; in the other modes workers load it themselves
    out = open(args.records, "w", encoding="utf-8") if args.records else None
    n = errors = 0
    first = None
    with ChildPeaks() as peaks:
        t1 = time.perf_counter()
        for rec in extract_stream(read_path(args.docs), workers=args.workers, dask=args.dask,
                                  batch_size=args.batch_size):
            n += 1
            if first is None:
                first = time.perf_counter()
            errors += "error" in rec
            if out:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        t2 = time.perf_counter()
        peaks.sample()
    if out:
        out.close()
    # after the first batch arrives every worker is loaded and busy: the rate a long run settles at
    done_first = args.batch_size
    steady = (n - done_first) / (t2 - first) if first and t2 > first and n > done_first else None
    return {"n": n, "errors": errors, "load_s": t1 - t0, "run_s": t2 - t1, "first_record_s": (first or t2) - t1,
            "steady_docs_per_s": steady, "peak_rss_mb": self_peak_mb(), "children": peaks.report(),
            "cpu_s": peaks.cpu_s()}


def db_size(url: str) -> int:
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite:///"):
        base = Path(url[len("sqlite:///"):])
        return sum(p.stat().st_size for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists())
    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    engine.dispose()
    return int(size)


def server_cpu_s(url: str) -> float:
    """CPU seconds the PostgreSQL server processes serving this database have used (Linux /proc: the backends
    whose title names the database); 0.0 for SQLite, whose work is the writer's own."""
    if not url.startswith("postgresql"):
        return 0.0
    db = f" {url.rsplit('/', 1)[-1].split('?')[0]} "
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not cmd.startswith("postgres:") or db not in cmd:
                continue
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def task_store(args: argparse.Namespace) -> dict:
    """Ledger write throughput: ``--n`` documents of a growing corpus (bench/corpus.py) made from
    pre-extracted records, one writer, ``--store-batch`` records per transaction."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import GrowingCorpus

    from newsledger.ledger import Ledger

    base = [json.loads(line) for line in open(args.records, encoding="utf-8") if line.strip()]
    corpus = GrowingCorpus(base)
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",")} | {args.n})
    ledger = Ledger(args.url)
    outcomes: dict[str, int] = {}
    marks: list[dict] = []
    t0 = time.perf_counter()
    busy = cpu = server = 0.0  # wall seconds in the store, this process's and the database server's CPU seconds
    done = 0
    while done < args.n:
        # a batch never crosses a checkpoint, so every checkpoint is measured exactly
        nxt = min(c for c in checkpoints if c > done)
        size = min(args.store_batch, nxt - done)
        recs = [corpus.record(i) for i in range(done, done + size)]  # making the corpus is not the ledger's work
        sv = server_cpu_s(args.url)  # read before the clocks start: scanning /proc is not the store's work
        t, c = time.perf_counter(), time.process_time()
        results = ledger.ingest_records(recs)
        busy += time.perf_counter() - t
        cpu += time.process_time() - c
        server += server_cpu_s(args.url) - sv
        for res in results:
            outcomes[res] = outcomes.get(res, 0) + 1
        done += size
        over = args.seconds is not None and busy > args.seconds
        if done in checkpoints or over:
            marks.append({"docs": done, "store_s": busy, "cpu_s": cpu, "server_cpu_s": server,
                          "wall_s": time.perf_counter() - t0,
                          "counts": ledger.counts() if done in checkpoints else None})
        if over:  # out of time: report how far it got rather than run past the caller's budget
            break
    counts = ledger.counts()
    ledger.close()
    return {"n": marks[-1]["docs"], "asked": args.n, "stopped_early": marks[-1]["docs"] < args.n,
            "outcomes": outcomes, "marks": marks, "counts": counts, "db_bytes": db_size(args.url),
            "store_batch": args.store_batch, "peak_rss_mb": self_peak_mb()}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("task", choices=["bare", "extract", "store"])
    p.add_argument("--docs", help="JSON lines of documents")
    p.add_argument("--records", help="extract: write records here; store: read records from here")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--dask")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--url", help="store: database URL")
    p.add_argument("--n", type=int, default=5000)
    p.add_argument("--checkpoints", default="500,1000,2000,3000,4000,5000")
    p.add_argument("--seconds", type=float, default=None, help="store: stop after this much store time")
    p.add_argument("--store-batch", type=int, default=128, help="store: records per write transaction")
    args = p.parse_args()
    out: Any = {"bare": task_bare, "extract": task_extract, "store": task_store}[args.task](args)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
