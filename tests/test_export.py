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


def test_geojson_every_event_with_its_place(filled, tmp_path):
    url, counts = filled
    export(url, "geojson", tmp_path / "events.geojson")
    doc = json.loads((tmp_path / "events.geojson").read_text())
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == counts["events"]  # none dropped
    with Ledger(url) as led:
        events = {v["id"]: v for v in led.events(limit=1000)}
    located = 0
    for f in doc["features"]:
        ev = events[f["id"]]
        p = f["properties"]
        assert f["type"] == "Feature" and p["type"] in PLOVER_TYPES and p["type"] == ev["type"]
        loc = ev.get("location") or {}
        if loc.get("lat") is not None and loc.get("lon") is not None:
            located += 1
            assert f["geometry"] == {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]}  # GeoJSON: lon first
            assert p["placed"] == "point" and p["place"] == loc["name"]
        else:
            assert f["geometry"] is None and p["placed"] in {"country", "named", "none"}
        killed = [x["value"] for x in ev["figures"] if x["kind"] == "killed"]
        assert p.get("killed") == (max(killed) if killed else None)
        assert set(p["articles"]) == {a for a in ev["articles"]} and len(p["articles"]) == 2
        assert p["evidence"].startswith("/articles/") and "#evidence" in p["evidence"]
    assert located >= 1


def test_graphml_and_gexf_read_back_as_the_actor_network(filled, tmp_path):
    import networkx as nx

    url, _ = filled
    export(url, "graphml", tmp_path / "net.graphml")
    export(url, "gexf", tmp_path / "net.gexf")
    with Ledger(url) as led:
        events = led.events(limit=1000)
    with_both = [v for v in events if (v["actor"] or v["actor_text"]) and (v["target"] or v["target_text"])]
    pairs = {(v["actor"] or v["actor_text"].lower(), v["target"] or v["target_text"].lower(), v["type"])
             for v in with_both}
    for g in (nx.read_graphml(tmp_path / "net.graphml"), nx.read_gexf(tmp_path / "net.gexf")):
        assert g.is_directed() and g.is_multigraph()
        assert g.number_of_edges() == len(pairs) > 0
        assert sum(int(d["weight"]) for _, _, d in g.edges(data=True)) == len(with_both)
        assert {d["event_type"] for _, _, d in g.edges(data=True)} <= PLOVER_TYPES
        labels = {str(d.get("label")) for _, d in g.nodes(data=True)}
        assert any("Stoltenberg" in x for x in labels)
        for _, _, d in g.edges(data=True):  # every edge names the events behind it
            ids = str(d["events"]).split()
            assert len(ids) == int(d["weight"]) and all(i.startswith("V") for i in ids)


def test_event_places_and_tolls_from_odd_values():
    from newsledger.ledger.export import actor_network, casualties, event_place

    assert event_place({"location": {"name": "Gulf of Guinea", "lat": 0, "lon": 0}}) == ("point", 0.0, 0.0)
    assert event_place({"location": {"name": "Nowhere", "lat": 91, "lon": 10, "country": "NO"}})[0] == "country"
    assert event_place({"location": {"name": "the border", "lat": True, "lon": None}})[0] == "named"
    assert event_place({"location": None})[0] == "none"
    figs = [{"kind": "killed", "value": 12}, {"kind": "killed", "value": 15}, {"kind": "wounded", "value": 40},
            {"kind": "count", "value": 900}, {"kind": "killed", "value": "many"}, {"kind": "injured", "value": -3}]
    assert casualties({"figures": figs}) == {"killed": 15, "injured": 40}
    net = actor_network([
        {"id": "V1", "type": "ASSAULT", "actor": "E1", "actor_name": "Army", "target": None, "target_text": "Protesters"},
        {"id": "V2", "type": "ASSAULT", "actor": "E1", "actor_name": "Army", "target": None, "target_text": "protesters"},
        {"id": "V3", "type": "PROTEST", "actor": None, "actor_text": "protesters", "target": "E1", "target_name": "Army"},
        {"id": "V4", "type": "MOBILIZE", "actor": "E1", "actor_name": "Army", "target": None, "target_text": None},
    ], {"E1": {"name": "The Army", "type": "ORG"}})
    edges = {(e["source"], e["target"], e["type"]): e for e in net["edges"]}
    assert edges[("E1", "text:protesters", "ASSAULT")]["weight"] == 2  # the same words, one node
    assert edges[("E1", "text:protesters", "ASSAULT")]["events"] == ["V1", "V2"]
    assert ("text:protesters", "E1", "PROTEST") in edges and net["no_target"] == 1
    assert {n["id"]: n["label"] for n in net["nodes"]}["E1"] == "The Army"
