"""Resource limits for one document, so that one pathological page cannot stall a batch.

``time_budget`` bounds the wall-clock time of a block with a POSIX interval timer (SIGALRM). Signals can only
be handled in the main thread, so elsewhere (API worker threads, dask workers) it is a no-op and the caller
must bound time by other means (a process pool with a timeout). The size cap lives in ``read.read_bytes``
(``max_bytes``); ``check_size`` gives the same message for callers that hold a length before reading.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from newsledger.record import NewsledgerError

DEFAULT_TIME_BUDGET = 120.0  # seconds for one document: far above any real article (< 5 s)


class TimeBudgetExceeded(NewsledgerError):
    """A document ran past its time budget; a NewsledgerError so batch readers report it as one line."""


def _fmt(seconds: float) -> str:
    return f"{seconds:g}"


def can_time() -> bool:
    """Whether ``time_budget`` can enforce anything here (main thread of a POSIX process)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None, what: str = "document") -> Iterator[None]:
    """Raise TimeBudgetExceeded("document took longer than Ns; raise with --time-budget") when the block
    runs past ``seconds``. ``None``, 0 or a negative budget means no limit; outside the main thread it is a
    no-op. An enclosing timer (another ``time_budget`` or the caller's own SIGALRM) is restored afterwards
    with the time it has left, firing at once if that ran out meanwhile.
    """
    if not seconds or seconds <= 0 or math.isnan(seconds) or not can_time():
        yield
        return
    seconds = float(seconds)
    message = f"{what} took longer than {_fmt(seconds)}s; raise with --time-budget"

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeBudgetExceeded(message)

    started = time.monotonic()
    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, 0)
    # an enclosing budget that ends sooner than ours wins: ours must not extend it
    own = min(seconds, old_delay) if old_delay > 0 else seconds
    outer_first = old_delay > 0 and old_delay <= seconds
    try:
        if outer_first:
            signal.signal(signal.SIGALRM, old_handler)  # the outer budget fires with its own message
        signal.setitimer(signal.ITIMER_REAL, own)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay > 0:
            left = old_delay - (time.monotonic() - started)
            # 1 µs rather than 0: a zero delay would disarm the timer instead of firing it
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), old_interval)


def check_size(size: int, max_bytes: int, source: str = "input") -> None:
    """The size cap's error, for callers that know a length before reading the bytes."""
    if max_bytes and size > max_bytes:
        raise NewsledgerError(f"{source}: document too large: {size / 1e6:.0f} MB > {max_bytes / 1e6:.0f} MB limit; "
                              "raise with --max-bytes")
