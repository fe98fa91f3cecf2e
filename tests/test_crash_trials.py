"""SIGKILL during `newsledger ingest` at random points, many times: after every kill the database is intact
(SQLite integrity_check / foreign keys; PostgreSQL constraints), a rerun of the same command completes, and the
ledger then equals, item for item, the ledger of one clean uninterrupted run. Nothing lost, nothing doubled.

To fit 20+ trials in a couple of minutes, each ingest runs `newsledger.cli.main(["ingest", ...])` in a forked
child of this process, which has the spaCy model loaded already: the kill lands in the real command's code
(migrations, reading, NLP, the write transactions) at a random instant, without paying for the model load each
time. Two more trials run the command as its own `python -m newsledger.cli` process, killed at random points
that include start-up. (tests/test_ingest_kill.py does one large kill-and-rerun per database.)
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from ledger_dbs import snapshot
from newsledger import validate
from newsledger.analysis import language
from newsledger.cli import main as cli_main
from newsledger.ledger import Ledger

N_DOCS = 8
KILLS_SQLITE = 20  # kills that land mid-ingest (a trial whose ingest finished first does not count)
MAX_TRIALS_SQLITE = 32
TRIALS_SUBPROCESS = 2
TRIALS_PG = 6
SEED = int(os.environ.get("NEWSLEDGER_CRASH_SEED", "20240305"))
PEOPLE = ["Anna Berg", "Tomas Keller", "Maria Lopez", "Jonas Weber"]
PLACES = ["Berlin", "Madrid", "Vienna", "Prague"]
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")


def write_docs(path: Path) -> None:
    """Tiny news items as JSON lines, plus one broken line (it must fail the same way on every run)."""
    lines = []
    for i in range(N_DOCS):
        who, other, where = PEOPLE[i % 4], PEOPLE[(i + 1) % 4], PLACES[i % 4]
        body = (f"Talks in {where}, report {i}\n\n{who} met {other} in {where} on Monday about plan {i}.\n\n"
                f"\u201cWe agreed on point {i},\u201d {who.split()[1]} said.")
        lines.append(json.dumps({"id": f"crash-{i:02d}", "url": f"https://example.org/c/{i}",
                                 "published": f"2024-03-{1 + i:02d}T10:00:00Z", "text": body}))
    lines.insert(5, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def start_ingest(docs: Path, url: str, log: Path) -> int:
    """Fork a child that runs the ingest command; returns its pid."""
    pid = os.fork()
    if pid == 0:  # child: the real command, output to a file, never back into pytest
        code = 70
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdout = os.fdopen(1, "w", buffering=1)
            sys.stderr = os.fdopen(2, "w", buffering=1)
            code = cli_main(["ingest", str(docs), "--db", url, "--no-progress"])
            sys.stdout.flush()
        except BaseException:  # noqa: BLE001 - anything here must end the child, not run pytest on
            import traceback

            traceback.print_exc()
        finally:
            os._exit(code)
    return pid


def run_ingest(docs: Path, url: str, log: Path, timeout: float = 300) -> tuple[int, str]:
    """An ingest to completion: (exit status, last line of its output)."""
    pid = start_ingest(docs, url, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            out = log.read_text(errors="replace").strip().splitlines()
            return os.waitstatus_to_exitcode(status), (out[-1] if out else "")
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError(f"ingest did not finish in {timeout} s: {log.read_text(errors='replace')[-2000:]}")


def kill_at(docs: Path, url: str, log: Path, delay: float) -> bool:
    """Start an ingest, SIGKILL it after ``delay`` s. True when the kill landed before it finished."""
    pid = start_ingest(docs, url, log)
    end = time.monotonic() + delay
    while time.monotonic() < end:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def sqlite_intact(path: Path) -> None:
    """The file as the kill left it (before any reopen by our code): intact, foreign keys hold."""
    if not path.exists():
        return  # killed before the database was created
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


def summary_ok(rc: int, line: str) -> None:
    """"ingested A, skipped B, failed 1": every good document is in the ledger exactly once, the broken one fails."""
    assert rc == 0, line
    m = re.match(r"ingested (\d+), skipped (\d+), failed (\d+)", line)
    assert m, line
    ingested, skipped, failed = map(int, m.groups())
    assert ingested + skipped == N_DOCS and failed == 1, line


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "docs.jsonl"
    write_docs(path)
    language.nlp()  # loaded once here; every forked ingest inherits it
    return path


@pytest.fixture(scope="module")
def clean(docs, tmp_path_factory) -> tuple[dict, float]:
    """The reference ledger from one uninterrupted run, and how long that run took."""
    where = tmp_path_factory.mktemp("clean")
    url = f"sqlite:///{where / 'clean.db'}"
    started = time.monotonic()
    rc, line = run_ingest(docs, url, where / "log.txt")
    took = time.monotonic() - started
    assert (rc, line) == (0, f"ingested {N_DOCS}, skipped 0, failed 1")
    snap = snapshot(url)
    assert snap["counts"]["articles"] == N_DOCS and snap["counts"]["quotes"] >= N_DOCS
    assert all(validate.problems(json.loads(r)) == [] for r in snap["records"])  # stored records stay valid
    return snap, took


def trial_delays(n: int, took: float, rng: random.Random) -> list[float]:
    """Kill instants spread over the whole run: start-up and migrations, reading, NLP, the writes."""
    return [rng.uniform(0.0, 0.9 * took) for _ in range(n)]


def test_sigkill_at_random_points_sqlite(docs, clean, tmp_path):
    reference, took = clean
    rng = random.Random(SEED)
    killed = trials = 0
    while killed < KILLS_SQLITE and trials < MAX_TRIALS_SQLITE:
        n, trials = trials, trials + 1
        delay = rng.uniform(0.0, 0.9 * took)  # start-up and migrations, reading, NLP, the writes
        db = tmp_path / f"t{n}.db"
        url = f"sqlite:///{db}"
        killed += kill_at(docs, url, tmp_path / f"kill{n}.log", delay)
        sqlite_intact(db)
        if rng.random() < 0.3:  # sometimes the rerun is killed too
            killed += kill_at(docs, url, tmp_path / f"kill{n}b.log", rng.uniform(0, 0.9 * took))
            sqlite_intact(db)
        rc, line = run_ingest(docs, url, tmp_path / f"rerun{n}.log")
        summary_ok(rc, line)
        sqlite_intact(db)
        assert snapshot(url) == reference, f"trial {n} (kill after {delay:.2f} s, seed {SEED})"
    print(f"\nSQLite: {killed} SIGKILLs landed mid-ingest in {trials} trials (seed {SEED}); "
          "every rerun complete and equal to the clean run")
    assert killed >= KILLS_SQLITE


def test_sigkill_of_the_real_command_sqlite(docs, clean, tmp_path):
    """The command as users run it, in its own process, killed at random points (start-up included)."""
    reference, _ = clean
    rng = random.Random(SEED + 1)
    cmd = [sys.executable, "-m", "newsledger.cli", "ingest", str(docs), "--no-progress", "--db"]
    for n in range(TRIALS_SUBPROCESS):
        db = tmp_path / f"p{n}.db"
        url = f"sqlite:///{db}"
        proc = subprocess.Popen(cmd + [url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # wait until the model is loaded and writing may begin, or just die early: both are real kill points
        time.sleep(rng.uniform(0.5, 4.0))
        end = time.monotonic() + 60
        while n > 0 and time.monotonic() < end and proc.poll() is None and not _stored_any(db):
            time.sleep(0.05)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        sqlite_intact(db)
        res = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=600)
        summary_ok(res.returncode, res.stdout.strip().splitlines()[-1])
        sqlite_intact(db)
        assert snapshot(url) == reference


def _stored_any(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        finally:
            con.close()
    except sqlite3.Error:
        return False


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("NEWSLEDGER_TEST_PG"), reason="NEWSLEDGER_TEST_PG not set (make test sets it)")
def test_sigkill_at_random_points_postgresql(docs, clean, tmp_path):
    from ledger_dbs import fresh_pg

    reference, took = clean
    rng = random.Random(SEED + 2)
    killed = 0
    for n, delay in enumerate(trial_delays(TRIALS_PG, took, rng)):
        with fresh_pg() as url:
            killed += kill_at(docs, url, tmp_path / f"kill{n}.log", delay)
            rc, line = run_ingest(docs, url, tmp_path / f"rerun{n}.log")
            summary_ok(rc, line)
            assert snapshot(url) == reference, f"trial {n} (kill after {delay:.2f} s, seed {SEED})"
            with Ledger(url) as led, led.engine.connect() as conn:
                for tab, col, ref in (("entity_mentions", "entity_id", "entities"),
                                      ("quote_mentions", "quote_id", "quotes"),
                                      ("claim_mentions", "claim_id", "claims"),
                                      ("event_mentions", "event_id", "events")):
                    orphans = conn.execute(text(
                        f"SELECT count(*) FROM {tab} m LEFT JOIN {ref} i ON i.id = m.{col} "
                        f"LEFT JOIN articles a ON a.id = m.article_id WHERE i.id IS NULL OR a.id IS NULL")).scalar_one()
                    assert orphans == 0, (n, tab)
    print(f"\nPostgreSQL: {killed} SIGKILLs landed mid-ingest in {TRIALS_PG} trials; every rerun equal to the clean run")
