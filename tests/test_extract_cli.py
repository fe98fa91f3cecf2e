"""`newsledger extract` end to end on every reader, and the --format md report."""

from __future__ import annotations

import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import SEED, cli_json, run_cli
from newsledger.cli.report import markdown

PAGES = Path(__file__).parent / "pages"


def test_html_page_record() -> None:
    rec = cli_json("extract", str(PAGES / "gazette-bridge.html"))
    a = rec["article"]
    assert a["title"] == "Flood-damaged Harlow bridge to reopen next month, council says"
    assert a["authors"] == ["Priya Natarajan", "Owen Whitlock"] and a["language"] == "en"
    for s, e in a["paragraphs"]:
        assert a["text"][s:e].strip()
    assert any(q["text"].startswith("We know how much disruption") for q in rec["quotes"])


def test_nitf_with_overrides_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "rec.json"
    res = run_cli("extract", str(PAGES / "wire-story.xml"), "--url", "https://wire.example/zambia", "-o", str(out))
    assert res.returncode == 0, res.stderr.decode()
    a = json.loads(out.read_text(encoding="utf-8"))["article"]
    assert a["url"] == "https://wire.example/zambia" and a["published"] == "2023-09-28T13:26:00+01:00"
    assert a["authors"] == ["Grace Mwansa", "Peter Lindqvist"]


def test_warc_and_jsonl_give_json_lines(tmp_path: Path) -> None:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    hdr = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=windows-1252")], protocol="HTTP/1.1")
    w.write_record(w.create_warc_record("https://herald.example/strike", "response",
                                        payload=io.BytesIO((PAGES / "herald-strike.html").read_bytes()),
                                        http_headers=hdr))
    warc = tmp_path / "one.warc.gz"
    warc.write_bytes(buf.getvalue())
    jsonl = tmp_path / "two.jsonl"
    jsonl.write_text(json.dumps({"id": "seed", "text": SEED.read_text(encoding="utf-8"),
                                 "url": "https://independent.example/nato"}) + "\n", encoding="utf-8")
    res = run_cli("extract", str(warc), str(jsonl))
    assert res.returncode == 0, res.stderr.decode()
    recs = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert [r["article"]["url"] for r in recs] == ["https://herald.example/strike", "https://independent.example/nato"]
    assert recs[1]["article"]["id"] == "seed" and recs[0]["article"]["id"].startswith("a")
    assert recs[0]["article"]["published"] == "2023-11-02T16:45:00-04:00"


def test_single_warc_record_is_still_json_lines(tmp_path: Path) -> None:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    hdr = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    w.write_record(w.create_warc_record("https://p.example/c", "response",
                                        payload=io.BytesIO((PAGES / "plain-council.html").read_bytes()),
                                        http_headers=hdr))
    p = tmp_path / "c.warc"
    p.write_bytes(buf.getvalue())
    res = run_cli("extract", "--format", "jsonl", str(p))
    assert res.returncode == 0, res.stderr.decode()
    (line,) = res.stdout.decode().splitlines()
    assert json.loads(line)["article"]["authors"] == ["Lena Fischer"]


def test_markdown_report_sections() -> None:
    rec = {"article": {"title": "Port strike called", "subtitle": None, "publisher": "Riverside Herald",
                       "url": "https://herald.example/strike", "published": "2023-11-02T16:45:00-04:00",
                       "authors": ["Helen Okafor"], "contributors": [], "text": "one two three", "paragraphs": [[0, 13]],
                       "removed": []},
           "entities": [{"id": "e1", "name": "Tomasz Nowak"}, {"id": "e2", "name": "Kestrel Bay Holdings"}],
           "quotes": [{"id": "q1", "text": "We will not accept a pay cut,", "speaker": "e1", "speaker_text": "Nowak"}],
           "claims": [{"id": "c1", "text": "the offer was fair", "source": "e2", "status": "asserted",
                       "status_cue": None, "contradicted_by": []},
                      {"id": "c2", "text": "ships were diverted", "source": None, "source_text": "unconfirmed reports",
                       "status": "unverified", "status_cue": "unconfirmed", "contradicted_by": []}],
           "events": [{"id": "v2", "type": "PROTEST", "mode": "strike", "actor": None, "actor_text": "dock workers",
                       "target": "e2", "date": {"start": "2023-11-09", "end": "2023-11-11", "precision": "range"},
                       "location": {"name": "Kestrel Bay", "country": "US"}, "figures": [], "claim": None},
                      {"id": "v1", "type": "REJECT", "actor": "e1", "target": "e2",
                       "date": {"start": "2023-11-02", "end": "2023-11-02", "precision": "day"}, "figures": [],
                       "claim": None}]}
    md = markdown(rec)
    assert md.startswith("# Port strike called\n")
    assert "**Source:** Riverside Herald · https://herald.example/strike" in md
    assert "**Published:** 2023-11-02T16:45:00-04:00" in md
    assert "**Tomasz Nowak**\n- “We will not accept a pay cut,”" in md
    assert md.index("### unverified (1)") < md.index("### asserted (1)")
    assert "unconfirmed reports**: ships were diverted _[unconfirmed]_" in md
    timeline = md[md.index("## Timeline"):]
    assert timeline.index("2023-11-02: **REJECT**") < timeline.index("2023-11-09 … 2023-11-11")
    assert "@ Kestrel Bay, US" in timeline


def test_markdown_from_cli_multi(tmp_path: Path) -> None:
    res = run_cli("extract", "--format", "md", str(SEED), str(PAGES / "gazette-bridge.html"))
    assert res.returncode == 0, res.stderr.decode()
    out = res.stdout.decode()
    assert out.startswith("# NATO's secretary-general meets with Zelenskyy")
    assert "# Flood-damaged Harlow bridge to reopen next month, council says" in out
    assert out.count("## Timeline") == 2
