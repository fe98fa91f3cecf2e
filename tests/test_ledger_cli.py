"""The ledger commands end to end: ingest (files, folders, standard input), idempotence, the query commands
in every format, on a SQLite file and on a PostgreSQL server."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from conftest import EXAMPLES, run_cli
from ledger_dbs import DB_KINDS, ledger_db
from newsledger.cli import main
from newsledger.ledger import Ledger


@pytest.fixture(params=DB_KINDS)
def db_url(request, tmp_path):
    with ledger_db(request.param, tmp_path) as url:
        yield url


def test_ingest_examples_twice_gives_the_same_ledger(tmp_path):
    url = f"sqlite:///{tmp_path / 'ex.db'}"
    n_docs = len(list(EXAMPLES.glob("*.txt")))
    first = run_cli("ingest", str(EXAMPLES), "--db", url)
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout.decode().strip().splitlines()[-1] == f"ingested {n_docs}, skipped 0, failed 0"
    assert "skipped (not a news file): " in first.stderr.decode() and "SOURCES.md" in first.stderr.decode()
    with Ledger(url) as led:
        counts = led.counts()
    second = run_cli("ingest", str(EXAMPLES), "--db", url)
    assert second.returncode == 0, second.stderr.decode()
    assert second.stdout.decode().strip().splitlines()[-1] == f"ingested 0, skipped {n_docs}, failed 0"
    with Ledger(url) as led:
        assert led.counts() == counts
    assert counts["articles"] == n_docs


def cli(capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_ingest_stdin_and_every_query(db_url, seed_path, capsys, monkeypatch, tmp_path):
    copy_line = json.dumps({"id": "other-outlet-1", "url": "https://other-daily.example/nato",
                            "text": seed_path.read_text(encoding="utf-8")}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(copy_line.encode())))
    out = cli(capsys, "ingest", str(seed_path), "-", "--db", db_url)
    assert out.strip() == "ingested 2, skipped 0, failed 0"

    ents = json.loads(cli(capsys, "entities", "--db", db_url, "--format", "json"))
    stolt = [e for e in ents if e["name"].endswith("Stoltenberg") and e["type"] == "PERSON"]
    assert len(stolt) == 1 and "other-outlet-1" in stolt[0]["articles"] and len(stolt[0]["articles"]) == 2
    assert {"id", "name", "type", "aliases", "titles", "affiliation", "mentions", "articles"} <= set(ents[0])

    quotes = json.loads(cli(capsys, "quotes", "--db", db_url, "--speaker", "Shapps", "--format", "json"))
    assert quotes and all("Shapps" in q["speaker_name"] for q in quotes)
    assert any("absolutely undented" in q["text"] and len(q["articles"]) == 2 for q in quotes)

    claims = json.loads(cli(capsys, "claims", "--db", db_url, "--status", "contradicted", "--format", "json"))
    assert any("Sokolov" in c["text"] for c in claims) and all(c["status"] == "contradicted" for c in claims)

    events = json.loads(cli(capsys, "events", "--db", db_url, "--type", "CONSULT", "--since", "2023-09-28",
                            "--until", "2023-09-28", "--format", "json"))
    assert events and all(e["type"] == "CONSULT" and e["date"]["start"] <= "2023-09-28" <= e["date"]["end"]
                          for e in events)
    assert any(len(e["articles"]) == 2 for e in events)
    by_actor = json.loads(cli(capsys, "events", "--db", db_url, "--actor", "Stoltenberg", "--format", "json"))
    assert by_actor and all("Stoltenberg" in (e["actor_name"] or e["actor_text"] or "") for e in by_actor)

    timeline = json.loads(cli(capsys, "timeline", "--db", db_url, "--entity", "Zelenskyy", "--format", "json"))
    days = [e["date"]["start"] for e in timeline]
    assert days and days == sorted(days)

    hits = json.loads(cli(capsys, "search", "air defense", "--db", db_url, "--format", "json"))
    assert {h["article"] for h in hits} == {"other-outlet-1", json.loads(
        cli(capsys, "entities", "--db", db_url, "--format", "json", "--limit", "1"))[0]["articles"][0]}

    rows = list(csv.DictReader(io.StringIO(cli(capsys, "claims", "--db", db_url, "--format", "csv"))))
    assert rows and {"id", "text", "source", "status", "articles", "history"} <= set(rows[0])
    assert all(len(json.loads(r["articles"])) == 2 for r in rows)

    table = cli(capsys, "events", "--db", db_url, "--type", "CONSULT")
    assert "CONSULT" in table and "date" in table

    # the same input again: nothing new
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(copy_line.encode())))
    assert cli(capsys, "ingest", str(seed_path), "-", "--db", db_url).strip() == "ingested 0, skipped 2, failed 0"


def test_folder_ingest_lists_skipped_files_and_failures(tmp_path, capsys):
    src = tmp_path / "in"
    (src / "nested").mkdir(parents=True)
    (src / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (src / "nested" / "feed.jsonl").write_text(
        json.dumps({"id": "ok-1", "text": "Flood closes bridge\n\nThe river rose overnight and the city closed the "
                                          "main bridge to traffic, officials said on Tuesday."}) + "\n"
        + json.dumps({"id": "bad-1", "html": ""}) + "\n" + "{not json\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'f.db'}"
    capsys.readouterr()
    assert main(["ingest", str(src), "--db", url]) == 0
    cap = capsys.readouterr()
    assert cap.out.strip() == "ingested 1, skipped 0, failed 2"
    assert f"skipped (not a news file): {src / 'photo.png'}" in cap.err
    assert cap.err.count("failed: ") == 2 and "invalid JSON" in cap.err


def test_bad_database_is_one_line_error(tmp_path):
    res = run_cli("entities", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert res.returncode == 1
    err = res.stderr.decode().strip()
    assert err.startswith("newsledger: error: cannot open ledger") and "\n" not in err and "Traceback" not in err


def test_syndicated_copy_from_the_cli(db_url, seed_path, capsys, tmp_path):
    """The seed story saved from a second outlet (its header names ABC News): a second carrier, shown by the
    query commands; ingesting either file again changes nothing."""
    import re

    abc = tmp_path / "abc-nato.txt"
    abc.write_text(re.sub(r"The\s+Independent", "ABC News", seed_path.read_text(encoding="utf-8"), count=1),
                   encoding="utf-8")
    assert cli(capsys, "ingest", str(seed_path), "--db", db_url).strip() == "ingested 1, skipped 0, failed 0"
    out = cli(capsys, "ingest", str(abc), "--db", db_url).strip()
    assert out == "ingested 0, skipped 0, failed 0 (1 carried: a text already stored, from another outlet)"
    assert cli(capsys, "ingest", str(seed_path), str(abc), "--db", db_url).strip() == \
        "ingested 0, skipped 2, failed 0"
    arts = json.loads(cli(capsys, "articles", "--db", db_url, "--format", "json"))
    assert len(arts) == 1 and arts[0]["carried_by"] == ["The Independent", "ABC News"]
    quotes = json.loads(cli(capsys, "quotes", "--db", db_url, "--format", "json"))
    assert quotes and all(q["carried_by"] == ["The Independent", "ABC News"] for q in quotes)
    table = " ".join(cli(capsys, "articles", "--db", db_url).split())
    assert "carried by" in table and "The Independent, ABC News" in table
