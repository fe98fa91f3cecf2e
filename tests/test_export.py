"""``newsledger export`` on both databases: records as JSON lines, tables as CSV and Parquet, PLOVER events,
schema.org Claim JSON-LD."""

from __future__ import annotations

import copy
import csv
import json

import pytest

from ledger_dbs import DB_KINDS, ledger_db
from newsledger.cli import main
from newsledger.ledger import Ledger

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


@pytest.fixture(params=DB_KINDS)
def filled(request, tmp_path, seed_record):
    """A ledger holding the seed story and another outlet's copy of it."""
    with ledger_db(request.param, tmp_path) as url:
        other = copy.deepcopy(seed_record)
        other["article"].update(id="other-outlet-1", url="https://other-daily.example/nato", publisher="Other Daily",
                                published="2023-09-29T08:00:00+00:00")
        with Ledger(url) as led:
            led.ingest_record(seed_record)
            led.ingest_record(other)
            counts = led.counts()
        yield url, counts


def export(url: str, fmt: str, path) -> None:
    assert main(["export", "--db", url, "--format", fmt, "-o", str(path)]) == 0


def test_jsonl_is_every_record(filled, tmp_path, seed_record):
    url, counts = filled
    export(url, "jsonl", tmp_path / "out.jsonl")
    recs = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["article"]["id"] for r in recs] == [seed_record["article"]["id"], "other-outlet-1"]
    assert recs[0] == seed_record and recs[1]["article"]["publisher"] == "Other Daily"


def test_csv_and_parquet_one_file_per_table(filled, tmp_path, seed_record):
    import pyarrow.parquet as pq

    url, counts = filled
    export(url, "csv", tmp_path / "csv")
    export(url, "parquet", tmp_path / "pq")
    for table in ("articles", "entities", "quotes", "claims", "events"):
        with open(tmp_path / "csv" / f"{table}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == counts[table], table
        assert pq.read_table(tmp_path / "pq" / f"{table}.parquet").num_rows == counts[table], table
        if rows:
            assert rows[0]["id"]
    with open(tmp_path / "csv" / "entities.csv", encoding="utf-8", newline="") as fh:
        ents = list(csv.DictReader(fh))
    if ents:
        assert all(json.loads(e["articles"]) for e in ents)
    mentions = pq.read_table(tmp_path / "pq" / "mentions.parquet").to_pylist()
    assert {m["article"] for m in mentions} == {"other-outlet-1", seed_record["article"]["id"]}
    assert all(m["end"] > m["start"] for m in mentions)


def test_plover_events(filled, tmp_path):
    url, counts = filled
    export(url, "plover", tmp_path / "events.jsonl")
    evs = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert len(evs) == counts["events"]
    for ev in evs:
        assert ev["event"] in PLOVER_TYPES
        assert {"id", "date", "source", "target", "event", "eventText", "mode", "context", "text",
                "publication"} <= set(ev)
        assert ev["text"] and ev["language"] == "en"
        for actor in ev["source"] + ev["target"]:
            assert actor["actorText"] and "code" in actor
        assert len(ev["articles"]) == 2  # every event of the wire story is backed by both outlets
        assert {a["publisher"] for a in ev["articles"]} >= {"Other Daily"}
    meeting = [e for e in evs if e["event"] == "CONSULT" and e["date"] == "2023-09-28"
               and any("Stoltenberg" in a["actorText"] for a in e["source"])]
    assert len(meeting) == 1


def test_claims_jsonld(filled, tmp_path):
    url, counts = filled
    export(url, "claims-jsonld", tmp_path / "claims.jsonld")
    doc = json.loads((tmp_path / "claims.jsonld").read_text())
    assert doc["@context"] == "https://schema.org"
    graph = doc["@graph"]
    assert len(graph) == counts["claims"]
    for claim in graph:
        assert claim["@type"] == "Claim" and claim["text"]
        assert len(claim["appearance"]) == 2 and all(a["@type"] == "NewsArticle" for a in claim["appearance"])
        status = {p["name"]: p["value"] for p in claim["additionalProperty"]}["status"]
        assert status in {"asserted", "unverified", "denied", "contradicted"}
    sokolov = [c for c in graph if "Sokolov" in c["text"]]
    assert sokolov and {p["name"]: p["value"] for p in sokolov[0]["additionalProperty"]}["status"] == "contradicted"


def test_export_to_a_file_where_a_folder_is_needed_fails_cleanly(filled, tmp_path, capsys):
    url, _ = filled
    target = tmp_path / "plain-file"
    target.write_text("x")
    assert main(["export", "--db", url, "--format", "csv", "-o", str(target)]) == 1
    assert "give a folder" in capsys.readouterr().err
