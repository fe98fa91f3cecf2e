"""Scale-out extraction: the same records from one process, N local processes, or a Dask cluster.

``extract_stream`` is the single entry point the ``ingest`` command uses. Whatever the execution, it
yields exactly what ``pipeline.extract_many`` yields for the same documents, in the same order, because
every worker runs ``extract_many`` itself over a batch of ``batch_size`` documents (the same ``nlp.pipe``
batches as in process). The caller stays the single writer to the database, so there is no write
contention; only extraction (reading pages, parsing, the NLP stages) is spread out.

Memory stays bounded: documents are pulled from the input iterator lazily and at most ``max_in_flight``
batches are submitted but not yet yielded at any time (results that finish early wait for their turn,
and they count against the bound too).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from newsledger.read import Document

# How many times a local batch is resubmitted after its worker process died (a crash or the OOM killer).
LOCAL_RETRIES = 1
# Dask retries a task that raised; a task whose worker died is rescheduled by the scheduler by itself
# (up to distributed.scheduler.allowed-failures), which is safe because the batch function is pure.
DASK_RETRIES = 2


def extract_stream(docs: Iterable[Document], workers: int = 1, dask: str | None = None, batch_size: int = 8,
                   url: str | None = None, published: str | None = None,
                   max_in_flight: int | None = None) -> Iterator[dict]:
    """Records of ``docs`` in input order; a failing document is an ``{"id", "error"}`` record.

    ``workers == 1`` and no ``dask``: in this process. ``workers > 1``: that many local worker processes
    (forkserver/spawn, each loads the spaCy pipeline once). ``dask``: ``"local"`` (a LocalCluster with one
    single-threaded worker process per core), ``"local:N"`` (N workers), or a scheduler address
    (``"tcp://host:8786"``).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if dask:
        yield from _dask_stream(docs, dask, batch_size, url, published, max_in_flight)
    elif workers > 1:
        yield from _local_stream(docs, workers, batch_size, url, published, max_in_flight)
    else:
        from newsledger.pipeline import extract_many

        yield from extract_many(docs, url=url, published=published, batch_size=batch_size)


def extractor(workers: int = 1, dask: str | None = None, batch_size: int = 8,
              published: str | None = None) -> Callable[[Iterable[Document]], Iterator[dict]]:
    """``extract_stream`` with its options bound: what ``ledger.ingest.ingest_paths(extractor=...)`` takes
    for ``newsledger ingest --workers N`` / ``--dask ADDRESS``."""
    def run(docs: Iterable[Document]) -> Iterator[dict]:
        return extract_stream(docs, workers=workers, dask=dask, batch_size=batch_size, published=published)
    return run


def default_workers() -> int:
    """Worker processes when the user does not say: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# --- the work a worker does -------------------------------------------------------------------------

def extract_batch(batch: list[Document], url: str | None = None, published: str | None = None,
                  batch_size: int = 8) -> list[dict]:
    """One batch -> its records, never raising: what every worker runs (a pure function of its input)."""
    from newsledger.pipeline import extract_many

    try:
        return list(extract_many(batch, url=url, published=published, batch_size=batch_size))
    except Exception as err:  # extract_many already isolates documents; this is a last line of defence
        return failed_batch(batch, f"internal error in batch: {err.__class__.__name__}: {err}")


def failed_batch(batch: list[Document], message: str) -> list[dict]:
    """Error records for every document of a batch that could not be run at all."""
    from newsledger.pipeline import error_record

    return [error_record(d.id, message, d.source) for d in batch]


def warm_up(coordinator: int | None = None) -> None:
    """Load the spaCy pipeline and data in a worker before the first batch arrives.

    With ``coordinator`` (the pid of the process that owns the pool) a watchdog thread ends this worker
    when the coordinator is gone: a SIGKILLed ``ingest`` must not leave workers of ~300 MB each behind
    (the pool's own shutdown never runs then, and a forkserver child is not told of its death).
    """
    from newsledger import pipeline
    from newsledger.analysis import language

    if coordinator:
        threading.Thread(target=_exit_with, args=(coordinator, os.getppid()), daemon=True,
                         name="newsledger-orphan-watch").start()
    language.nlp()
    pipeline._stages()


def _exit_with(coordinator: int, parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:  # our parent (the forkserver or the coordinator) died: we were re-parented
            os._exit(1)
        try:
            os.kill(coordinator, 0)
            with open(f"/proc/{coordinator}/stat", "rb") as fh:  # a killed, not yet reaped coordinator
                if fh.read().split(b") ", 1)[-1][:1] == b"Z":
                    os._exit(1)
        except ProcessLookupError:
            os._exit(1)
        except OSError:  # no /proc (not Linux) or no permission: the kill(0) probe above is what we have
            pass


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (what the benchmark reports per worker)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while batch := list(islice(it, size)):
        yield batch


# --- N local processes ------------------------------------------------------------------------------

def _mp_context() -> Any:
    import multiprocessing as mp

    # fork would copy a parent that may hold threads (Dask, SQLAlchemy pools) and is unsafe; forkserver
    # starts clean and cheap where it exists (Linux), spawn elsewhere.
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    return mp.get_context(method)


def _local_stream(docs: Iterable[Document], workers: int, batch_size: int, url: str | None,
                  published: str | None, max_in_flight: int | None) -> Iterator[dict]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    limit = max_in_flight or 2 * workers

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(), initializer=warm_up,
                                   initargs=(os.getpid(),))

    pool = new_pool()
    # (batch, future, attempts): the deque is in input order, so popping from the left yields in order.
    pending: deque[list[Any]] = deque()
    source = _batches(docs, batch_size)
    try:
        while True:
            while len(pending) < limit and (batch := next(source, None)) is not None:
                pending.append([batch, pool.submit(extract_batch, batch, url, published, batch_size), 0])
            if not pending:
                return
            entry = pending[0]
            try:
                records = entry[1].result()
            except BrokenProcessPool:
                # a worker died (segfault, OOM kill): every pending future is lost; start a fresh pool and
                # resubmit them in order, giving up on a batch that already killed a pool LOCAL_RETRIES times
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                entry[2] += 1
                given_up = pending.popleft() if entry[2] > LOCAL_RETRIES else None
                for item in pending:
                    fut = item[1]
                    if not (fut.done() and not fut.cancelled() and fut.exception() is None):  # keep finished work
                        item[1] = pool.submit(extract_batch, item[0], url, published, batch_size)
                if given_up is not None:
                    yield from failed_batch(given_up[0], "worker process died while extracting this batch")
                continue
            pending.popleft()
            yield from records
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- Dask -------------------------------------------------------------------------------------------

def dask_client(address: str) -> tuple[Any, Callable[[], None]]:
    """A connected ``distributed.Client`` and a function that closes it (and the LocalCluster it started)."""
    from distributed import Client, LocalCluster

    if address == "local" or address.startswith("local:"):
        n = int(address.split(":", 1)[1]) if ":" in address else default_workers()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)

        def close() -> None:
            client.close()
            cluster.close()
        return client, close
    client = Client(address)
    return client, client.close


def _dask_stream(docs: Iterable[Document], address: str, batch_size: int, url: str | None,
                 published: str | None, max_in_flight: int | None) -> Iterator[dict]:
    from distributed import as_completed

    client, close = dask_client(address)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        client.run(warm_up)  # each worker process loads spaCy once, before the first batch
        limit = max_in_flight or 2 * n_workers
        source = _batches(docs, batch_size)
        batches: dict[int, list[Document]] = {}  # index -> batch, only while in flight (for error records)
        # keyed by the future object's identity: identical batches share a Dask key but not a Future object
        index_of: dict[int, tuple[int, Any]] = {}
        done: dict[int, list[dict]] = {}
        futures = as_completed()
        next_submit = next_yield = 0
        exhausted = False
        while True:
            # submitted but not yet yielded (running or finished and waiting for its turn) stays <= limit
            while not exhausted and next_submit - next_yield < limit:
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                    break
                # pure=True: the key is a hash of the input, so the scheduler may recompute it anywhere,
                # e.g. when the worker holding it is lost
                fut = client.submit(extract_batch, batch, url, published, batch_size, pure=True,
                                    retries=DASK_RETRIES)
                batches[next_submit] = batch
                index_of[id(fut)] = (next_submit, fut)
                futures.add(fut)
                next_submit += 1
            if next_yield in done:
                yield from done.pop(next_yield)
                batches.pop(next_yield, None)
                next_yield += 1
                continue
            if next_yield >= next_submit:
                return
            fut = next(futures)
            i, _ = index_of.pop(id(fut))
            try:
                done[i] = fut.result()
            except Exception as err:  # retries spent or the batch killed its workers (KilledWorker)
                done[i] = failed_batch(batches[i], f"batch failed on the cluster: {err.__class__.__name__}: {err}")
    finally:
        close()
