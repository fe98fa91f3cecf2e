"""Ingest: paths -> documents -> records -> the ledger.

Extraction and storing are separate steps on purpose: ``documents`` lists what
to read, any record stream (``pipeline.extract_many`` in process, or a
parallel/Dask one from ``newsledger.scale``) does the NLP, and ``store_records``
is the single writer that puts the records into the ledger a batch per
transaction. A kill at any moment loses at most the batch being written, and
a rerun skips what is already stored, so it finishes the job exactly once.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsledger.read import Document, read_path
from newsledger.record import NewsledgerError

MAX_LISTED = 20  # failure lines printed; the summary line has the full count
NEWS_SUFFIXES = (".txt", ".html", ".htm", ".xml", ".warc", ".warc.gz", ".jsonl")


@dataclass
class IngestStats:
    ingested: int = 0
    replaced: int = 0
    skipped: int = 0
    carried: int = 0  # the same text already stored, from another outlet: one more carrier
    failed: int = 0
    failures: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = f"ingested {self.ingested + self.replaced}, skipped {self.skipped}, failed {self.failed}"
        notes = [f"{self.replaced} replaced"] if self.replaced else []
        if self.carried:
            notes.append(f"{self.carried} carried: a text already stored, from another outlet")
        return line + (f" ({'; '.join(notes)})" if notes else "")


def find_files(paths: list[str], stats: IngestStats) -> list[str]:
    """Files to read, in a stable order: named files as given, folders walked recursively for news files."""
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            for f in sorted(x for x in path.rglob("*") if x.is_file()):
                if f.name.lower().endswith(NEWS_SUFFIXES):
                    out.append(str(f))
                else:
                    stats.skipped_files.append(str(f))
        else:
            out.append(p)  # a named file is read whatever its extension; a missing one fails as a document
    return out


def count_documents(files: list[str]) -> int | None:
    """How many documents the files hold, when that is cheap to know (for the progress bar's ETA)."""
    total = 0
    for f in files:
        low = f.lower()
        if f == "-" or low.endswith((".warc", ".warc.gz")):
            return None
        if low.endswith(".jsonl"):
            try:
                with open(f, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def documents(files: list[str], published: str | None = None) -> Iterator[Document]:
    """Every document of every file; a file that cannot be read becomes one error document."""
    for f in files:
        try:
            yield from read_path(f, published=published)
        except NewsledgerError as err:
            yield Document(source=f, error=str(err))
        except OSError as err:
            yield Document(source=f, error=f"{f}: {err.strerror or err}")


def unseen(docs: Iterable[Document], ledger: object, stats: IngestStats,
           on_skip: Callable[[], None] | None = None) -> Iterator[Document]:
    """Drop documents the ledger already holds unchanged before the costly NLP.

    Runs only the cheap article stage to learn the article id and text; a rerun after a kill therefore
    re-parses only what was not yet stored.
    """
    from newsledger import article as article_stage

    for d in docs:
        if d.error is None:
            try:
                art = article_stage.build(d)
            except Exception:  # let extraction report the problem in its own words
                art = None
            if art and ledger.has_article(str(art["id"]), art.get("url"), text_hash(art["text"]),  # type: ignore[attr-defined]
                                          art.get("publisher")):
                stats.skipped += 1
                if on_skip:
                    on_skip()
                continue
        yield d


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


STORE_BATCH = 128  # records per write transaction (batched writes: one lock and one commit for all). Why 128:
# the pages a commit writes are shared by more records (SQLite, 12,000 documents stored: 7.9 ms/doc against
# 8.9 at 32; PostgreSQL alike), and a kill still loses at most one batch, which a rerun stores again
STORE_BATCH_SECONDS = 2.0  # ... or fewer, so a slow extraction never keeps stored work uncommitted for long


def store_records(ledger: object, records: Iterable[dict], stats: IngestStats,
                  on_done: Callable[[], None] | None = None, batch: int = STORE_BATCH) -> IngestStats:
    """The single writer: records are stored a batch per transaction (a kill loses at most that batch,
    which a rerun stores again); error records are counted as failed."""
    pending: list[dict] = []
    since = 0.0

    def count(result: str | None) -> None:
        if result == "ingested":
            stats.ingested += 1
        elif result == "replaced":
            stats.replaced += 1
        elif result == "skipped":
            stats.skipped += 1
        elif result == "carried":
            stats.carried += 1

    def flush() -> None:
        try:
            results = ledger.ingest_records(pending)  # type: ignore[attr-defined]
        except NewsledgerError:  # one unusable record: store the others one by one, report that one
            results = []
            for rec in pending:
                try:
                    results.append(ledger.ingest_record(rec))  # type: ignore[attr-defined]
                except NewsledgerError as err:
                    stats.failed += 1
                    stats.failures.append(str(err))
                    results.append(None)
        for result in results:
            count(result)
            if on_done:
                on_done()
        pending.clear()

    for rec in records:
        if "error" in rec:
            stats.failed += 1
            stats.failures.append(str(rec.get("error")))
            if on_done:
                on_done()
            continue
        if not pending:
            since = time.monotonic()
        pending.append(rec)
        if len(pending) >= batch or time.monotonic() - since >= STORE_BATCH_SECONDS:
            flush()
    if pending:
        flush()
    return stats


def ingest_paths(ledger: object, paths: list[str], progress: bool = False, batch_size: int = 8,
                 extractor: Callable[[Iterable[Document]], Iterable[dict]] | None = None,
                 published: str | None = None) -> IngestStats:
    """Read, extract and store everything under ``paths``. ``extractor`` turns documents into records
    (default: ``pipeline.extract_many`` in this process)."""
    stats = IngestStats()
    files = find_files(paths, stats)
    if extractor is None:
        from newsledger.pipeline import extract_many

        def extractor(docs: Iterable[Document]) -> Iterable[dict]:
            return extract_many(docs, published=published, batch_size=batch_size)

    # the pre-check costs a second article stage per new document: worth it only when something is stored
    precheck = ledger.counts()["articles"] > 0  # type: ignore[attr-defined]

    def todo(on_skip: Callable[[], None] | None = None) -> Iterable[Document]:
        docs = documents(files, published)
        return unseen(docs, ledger, stats, on_skip) if precheck else docs

    if not progress:
        store_records(ledger, extractor(todo()), stats)
        return stats
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class RateColumn(TextColumn):
        def render(self, task):  # type: ignore[no-untyped-def]
            from rich.text import Text
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} docs/s" if speed else "… docs/s")

    with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), RateColumn(""),
                  TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), transient=True,
                  console=None) as bar:
        task = bar.add_task("ingest", total=count_documents(files))

        def tick() -> None:
            bar.advance(task)

        store_records(ledger, extractor(todo(tick)), stats, tick)
    return stats


def print_failures(stats: IngestStats, stream: object = None) -> None:
    stream = stream or sys.stderr
    for f in stats.skipped_files:
        print(f"skipped (not a news file): {f}", file=stream)  # type: ignore[arg-type]
    for msg in stats.failures[:MAX_LISTED]:
        print(f"failed: {msg}", file=stream)  # type: ignore[arg-type]
    if len(stats.failures) > MAX_LISTED:
        print(f"failed: ... and {len(stats.failures) - MAX_LISTED} more", file=stream)  # type: ignore[arg-type]
