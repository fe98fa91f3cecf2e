"""The per-document time budget and the size cap: one pathological page must end with a clear one-line error."""

from __future__ import annotations

import re
import signal
import threading
import time

import pytest

from newsledger.limits import TimeBudgetExceeded, check_size, time_budget
from newsledger.read import read_bytes
from newsledger.record import NewsledgerError


def spin(seconds: float) -> None:
    """Pure-Python busy work, as a runaway stage would be."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_budget_stops_a_runaway_block_with_the_documented_message():
    started = time.monotonic()
    with pytest.raises(NewsledgerError, match=r"^document took longer than 0\.2s; raise with --time-budget$"):
        with time_budget(0.2):
            spin(5)
    assert time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_budget_interrupts_catastrophic_regex_backtracking():
    # the classic ReDoS shape: the re engine checks for signals, so the budget ends it
    with pytest.raises(TimeBudgetExceeded):
        with time_budget(0.3, what="page.html"):
            re.match(r"(a+)+$", "a" * 40 + "!")


def test_block_within_budget_is_untouched_and_disarmed():
    with time_budget(5):
        value = sum(range(1000))
    assert value == 499500
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
    spin(0.05)  # no stray alarm arrives later


@pytest.mark.parametrize("budget", [None, 0, -1, float("nan")])
def test_no_budget_means_no_limit(budget):
    with time_budget(budget):
        spin(0.1)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0.0


def test_inner_budget_restores_the_outer_one():
    with pytest.raises(TimeBudgetExceeded, match="outer took longer than 0.6s"):
        with time_budget(0.6, what="outer"):
            with time_budget(5, what="inner"):
                spin(0.1)
            assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] < 0.6
            spin(5)


def test_outer_budget_that_ends_first_keeps_its_own_message():
    with pytest.raises(TimeBudgetExceeded, match="^outer took"):
        with time_budget(0.3, what="outer"):
            with time_budget(10, what="inner"):
                spin(5)


def test_budget_is_a_no_op_outside_the_main_thread():
    result: list[object] = []

    def work() -> None:
        try:
            with time_budget(0.05):
                spin(0.2)
            result.append("done")
        except Exception as err:  # pragma: no cover - reported through the assertion
            result.append(err)

    t = threading.Thread(target=work)
    t.start()
    t.join(5)
    assert result == ["done"]


def test_size_cap_message_and_read_bytes_cap():
    with pytest.raises(NewsledgerError, match=r"^page\.html: document too large: 250 MB > 50 MB limit; raise with --max-bytes$"):
        check_size(250_000_000, 50_000_000, "page.html")
    check_size(10, 50_000_000)
    with pytest.raises(NewsledgerError, match=r"document too large: .* raise with --max-bytes"):
        list(read_bytes(b"Some words of news. " * 600, "big.txt", max_bytes=10_000))
