"""The JSON API and the server-rendered pages, through the real app over a real SQLite ledger
holding real records (the seed article and a hostile one, both through the real pipeline)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from newsledger.serve.api import MAX_BODY_BYTES, create_app
from newsledger.serve.web import Mark, markup_text
from web_fixtures import IMG, SCRIPT, build_ledger, free_port, seed_and_hostile

TOKEN = "test-token-4f9c"


@pytest.fixture(scope="module")
def records() -> tuple[dict, ...]:
    return seed_and_hostile()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory, records):
    led = build_ledger(tmp_path_factory.mktemp("api") / "ledger.db", records)
    yield led
    led.close()


@pytest.fixture(scope="module")
def client(ledger) -> TestClient:
    return TestClient(create_app(ledger=ledger, token=TOKEN))


@pytest.fixture(scope="module")
def readonly(ledger, monkeypatch_module) -> TestClient:
    return TestClient(create_app(ledger=ledger, token=None))


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.delenv("NEWSLEDGER_TOKEN", raising=False)
    yield mp
    mp.undo()


def seed_id(records) -> str:
    return records[0]["article"]["id"]


def hostile_id(records) -> str:
    return records[1]["article"]["id"]


# ------------------------------------------------------------------ reading


def test_stats_and_articles(client, records):
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 2
    assert stats["quotes"] >= 2 and stats["claims"] >= 1
    items = client.get("/api/articles").json()["items"]
    assert {a["id"] for a in items} == {seed_id(records), hostile_id(records)}
    assert all("text" not in a for a in items)
    assert client.get("/api/articles", params={"limit": 1}).json()["items"][0]["id"] in {seed_id(records),
                                                                                         hostile_id(records)}


def test_one_article_is_its_full_record(client, records):
    rec = client.get(f"/api/articles/{seed_id(records)}").json()
    assert rec["schema"] == "newsledger.record/1"
    assert rec["article"]["text"] == records[0]["article"]["text"]
    assert "Stoltenberg" in rec["article"]["text"]
    missing = client.get("/api/articles/nope")
    assert missing.status_code == 404
    assert missing.json() == {"error": "no such article"}


def test_entities_quotes_claims_events_filters(client, records):
    ents = client.get("/api/entities", params={"q": "Stoltenberg"}).json()["items"]
    assert ents and any("Stoltenberg" in e["name"] for e in ents)
    eid = next(e["id"] for e in ents if "Stoltenberg" in e["name"])
    one = client.get(f"/api/entities/{eid}").json()
    assert one["id"] == eid and {"quotes", "claims", "events_as_actor", "events_as_target", "neighbours"} <= set(one)
    assert client.get("/api/entities/E999999").status_code == 404

    quotes = client.get("/api/quotes", params={"speaker": eid}).json()["items"]
    assert quotes and all(q["speaker"] == eid for q in quotes)
    words = client.get("/api/quotes", params={"q": "aggression"}).json()["items"]
    assert words and all("aggression" in q["text"].lower() for q in words)

    every = client.get("/api/claims", params={"limit": 1000}).json()["items"]
    by_status = {}
    for status in ("asserted", "unverified", "denied", "contradicted"):
        claims = client.get("/api/claims", params={"status": status, "limit": 1000}).json()["items"]
        assert all(c["status"] == status for c in claims)
        by_status[status] = {c["id"] for c in claims}
    assert set().union(*by_status.values()) == {c["id"] for c in every}
    assert by_status["unverified"] | by_status["denied"]  # the hostile article's claims are contested
    bad = client.get("/api/claims", params={"status": "maybe"})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid request"

    events = client.get("/api/events").json()["items"]
    assert events
    etype = events[0]["type"]
    typed = client.get("/api/events", params={"type": etype.lower()}).json()["items"]
    assert typed and all(v["type"] == etype for v in typed)
    dated = [v for v in events if v.get("date") and v["date"].get("start")]
    assert dated
    day = dated[0]["date"]["start"][:10]
    window = client.get("/api/events", params={"since": day, "until": day}).json()["items"]
    assert window and all(v["date"]["start"][:10] <= day <= (v["date"]["end"] or v["date"]["start"])[:10]
                          for v in window)
    assert client.get("/api/events", params={"since": "next tuesday"}).status_code == 422


def test_search(client, records):
    hits = client.get("/api/search", params={"q": "ammunition"}).json()["items"]
    assert hits and hits[0]["article"] == seed_id(records)
    assert client.get("/api/search").status_code == 422


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/entities", "/api/quotes", "/api/claims",
                 "/api/events", "/api/search"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/articles"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger-ui-bundle.js" in docs.text


def test_map_and_network_data_follow_the_filters(client, records):
    import networkx as nx

    events = client.get("/api/events", params={"limit": 5000}).json()["items"]
    geo = client.get("/api/events.geojson")
    assert geo.status_code == 200 and geo.headers["content-type"].startswith("application/geo+json")
    feats = geo.json()["features"]
    assert sorted(f["id"] for f in feats) == sorted(v["id"] for v in events)
    dated = sorted((v["date"]["start"], v["date"]["end"]) for v in events if (v.get("date") or {}).get("start"))
    lo, hi = dated[0][0], dated[-1][0]
    assert lo < hi
    for params in ({"type": "assault"}, {"since": hi}, {"until": lo}, {"since": lo, "until": lo}):
        want = {v["id"] for v in client.get("/api/events", params={**params, "limit": 5000}).json()["items"]}
        got = {f["id"] for f in client.get("/api/events.geojson", params=params).json()["features"]}
        assert got == want and len(want) < len(events), params  # each filter on its own parameter
        net = client.get("/api/network", params=params).json()
        assert net["events"] == len(want)
        assert {i for e in net["edges"] for i in e["events"]} <= want
    placed = [f for f in feats if f["geometry"]]
    assert placed and all(-180 <= f["geometry"]["coordinates"][0] <= 180 for f in placed)
    net = client.get("/api/network").json()
    assert sum(e["weight"] for e in net["edges"]) + net["no_actor"] + net["no_target"] == len(events)
    assert any(n["label"] == SCRIPT and n["entity"] is None for n in net["nodes"])  # a party known by words only
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        res = client.get(f"/api/network.{fmt}", params={"type": "ASSAULT"})
        assert res.status_code == 200 and res.headers["content-type"].startswith(f"application/{fmt}+xml")
        g = reader(__import__("io").BytesIO(res.content))
        assert g.number_of_edges() >= 1 and {d["event_type"] for *_, d in g.edges(data=True)} == {"ASSAULT"}
    assert client.get("/api/network.xml").status_code == 422
    assert client.get("/api/events.geojson", params={"since": "next week"}).status_code == 422
    assert client.get("/map", params={"until": "soon"}).status_code == 422


def test_network_with_quote_mentions(client, records):
    plain = client.get("/api/network").json()
    assert all(e["type"] != "QUOTE" for e in plain["edges"])
    net = client.get("/api/network", params={"quotes": "true"}).json()
    quoted = [e for e in net["edges"] if e["type"] == "QUOTE"]
    assert quoted and net["quotes"] >= 1
    assert [e for e in net["edges"] if e["type"] != "QUOTE"] == plain["edges"]  # the event edges are unchanged
    quotes = {q["id"]: q for q in client.get("/api/quotes", params={"limit": 1000}).json()["items"]}
    for e in quoted:
        ent = client.get(f"/api/entities/{e['target']}").json()
        assert e["weight"] == len(e["events"]) and e["source"] != e["target"]
        for qid in e["events"]:  # the speaker said it, and the named entity has a mention inside its words
            q = quotes[qid]
            assert q["speaker"] == e["source"]
            assert any(m["article"] == qm["article"] and qm["span"][0] <= m["span"][0] and m["span"][1] <= qm["span"][1]
                       for m in ent["mentions"] for qm in q["mentions"])
    speaker = quoted[0]["source"]
    one = client.get("/api/network", params={"quotes": "true", "actor": speaker}).json()
    assert {e["source"] for e in one["edges"] if e["type"] == "QUOTE"} == {speaker}
    assert "QUOTE" in client.get("/api/network.graphml", params={"quotes": "true"}).text


def test_map_page_counts_every_event(client, records):
    events = client.get("/api/events", params={"limit": 5000}).json()["items"]
    body = client.get("/map").text
    counts = {k: int(v) for k, v in re.findall(r'id="n-(\w+)">(\d+)<', body)}
    assert sum(counts.values()) == len(events) and counts["point"] >= 1
    assert body.count("<tr>") - 1 == counts["unplaced"] or counts["unplaced"] == 0


# ------------------------------------------------------------------ writing


ARTICLE = ("Ministers agree on grain corridor\n\n"
           "The foreign ministers of Turkey and Ukraine agreed on Friday in Ankara to reopen the grain corridor, "
           "the Turkish Foreign Ministry said.\n\n"
           "\u201cThe ships will sail next week,\u201d said Turkish Foreign Minister Hakan Fidan.\n")


def test_writes_need_the_token(client, ledger):
    before = ledger.counts()["articles"]
    body = {"text": ARTICLE, "published": "2024-06-07T12:00:00+03:00"}
    assert client.post("/api/articles", json=body).status_code == 401
    wrong = client.post("/api/articles", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json() == {"error": "missing or wrong bearer token"}
    # refused before the body is even parsed
    garbage = client.post("/api/articles", content=b"{not json", headers={"Content-Type": "application/json"})
    assert garbage.status_code == 401
    assert ledger.counts()["articles"] == before


def test_no_token_configured_means_no_writes(readonly):
    res = readonly.post("/api/articles", json={"text": ARTICLE}, headers={"Authorization": "Bearer anything"})
    assert res.status_code == 403
    assert "disabled" in res.json()["error"]


def test_post_ingests_and_returns_the_record(client, ledger):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    res = client.post("/api/articles", headers=auth,
                      json={"id": "grain-1", "text": ARTICLE, "url": "https://example.org/grain",
                            "published": "2024-06-07T12:00:00+03:00"})
    assert res.status_code == 201, res.text
    out = res.json()
    assert out["status"] == "ingested"
    assert out["record"]["article"]["id"] == "grain-1"
    assert out["record"]["article"]["title"] == "Ministers agree on grain corridor"
    assert out["record"]["article"]["published"] == "2024-06-07T12:00:00+03:00"
    assert client.get("/api/articles/grain-1").json()["article"]["url"] == "https://example.org/grain"
    assert client.get("/api/search", params={"q": "corridor"}).json()["items"][0]["article"] == "grain-1"
    # the same document again is not a second article
    again = client.post("/api/articles", headers=auth, json={"id": "grain-1", "text": ARTICLE,
                                                             "url": "https://example.org/grain",
                                                             "published": "2024-06-07T12:00:00+03:00"})
    assert again.status_code == 201 and again.json()["status"] == "skipped"

    both = client.post("/api/articles", headers=auth, json={"text": "a", "html": "<p>a</p>"})
    assert both.status_code == 422 and "exactly one" in both.json()["error"]
    empty = client.post("/api/articles", headers=auth, json={"text": "   "})
    assert empty.status_code == 422 and "Traceback" not in empty.text
    html_doc = client.post("/api/articles", headers=auth, json={
        "html": "<html><head><title>Ankara talks</title></head><body><article><h1>Ankara talks</h1>"
                "<p>Turkish officials met Ukrainian envoys in Ankara on Friday to discuss grain exports "
                "and the safety of ships in the Black Sea, the ministry said.</p></article></body></html>",
        "published": "2024-06-08T09:00:00Z"})
    assert html_doc.status_code == 201, html_doc.text
    assert "Ankara" in html_doc.json()["record"]["article"]["text"]


def test_body_size_limit(client):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    big = b'{"text": "' + b"a" * (MAX_BODY_BYTES + 10) + b'"}'
    res = client.post("/api/articles", content=big, headers=auth)
    assert res.status_code == 413 and "error" in res.json()

    def chunks():  # no Content-Length: the limit holds while the body streams in
        yield b'{"text": "'
        for _ in range(6):
            yield b"a" * (1024 * 1024)
        yield b'"}'

    streamed = client.post("/api/articles", content=chunks(), headers=auth)
    assert streamed.status_code == 413


# ------------------------------------------------------------------ pages and security


PAGES = ["/", "/articles", "/claims", "/timeline", "/entities", "/quotes", "/search?q=diplomacy", "/docs", "/map",
         "/network", "/map?type=assault&since=2020", "/network?until=2023-09"]


def page_urls(client, records) -> list[str]:
    ents = client.get("/api/entities", params={"q": "Petrova"}).json()["items"]
    return PAGES + [f"/articles/{seed_id(records)}", f"/articles/{hostile_id(records)}",
                    f"/entities/{ents[0]['id']}"]


def test_every_page_renders_with_security_headers(client, records):
    for url in page_urls(client, records):
        res = client.get(url)
        assert res.status_code == 200, url
        csp = res.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert res.headers["x-content-type-options"] == "nosniff"
        # no inline script: every <script> has a same-origin src
        for tag in re.findall(r"<script\b[^>]*>", res.text):
            assert re.search(r'src="/static/[\w.-]+\.js"', tag), (url, tag)
        tags = _Tags()
        tags.feed(res.text)
        assert not [a for _, attrs in tags.tags for a, _ in attrs if a.startswith("on")], url
        assert ("img", [("src", "x")]) not in [(t, a[:1]) for t, a in tags.tags], url
    assert "content-security-policy" in client.get("/api/stats").headers


def test_hostile_article_is_text_on_every_page(client, records):
    hostile = hostile_id(records)
    pages = {
        "/": [SCRIPT, IMG],  # latest articles (title)
        "/articles": [SCRIPT, IMG],
        f"/articles/{hostile}": [SCRIPT, IMG, "<b>bold</b>"],
        "/quotes": [SCRIPT, IMG],
        "/quotes?q=alert": [SCRIPT],
        "/claims": [SCRIPT],
        "/map": [SCRIPT, IMG],  # the hostile event's parties, in the map's data and tooltips
        "/network": [SCRIPT, IMG],  # ... and as nodes of the network
    }
    for q in client.get("/api/quotes", params={"q": "alert"}).json()["items"]:
        if q["speaker"]:  # the speaker's page lists what they said
            pages[f"/entities/{q['speaker']}"] = [q["text"]]
    for url, payloads in pages.items():
        body = client.get(url).text
        assert "alert(1)</script>" not in body and "<img src=x" not in body and "<b>bold" not in body, url
        for p in payloads:
            assert html.escape(p, quote=False) in body or html.escape(p) in body, (url, p)


def test_article_page_marks_items_in_place(client, records):
    rec = records[0]
    body = client.get(f"/articles/{seed_id(records)}").text
    text = rec["article"]["text"]
    # the marked-up body holds the article text exactly, once the marks are taken away
    inner = body.split('id="article-text"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", inner)) == text
    for q in rec["quotes"]:
        assert f'id="quote-quote-{q["id"]}-{q["span"][0]}"' in inner
    for c in rec["claims"]:
        assert f'data-status="{c["status"]}"' in inner
    records_attr = re.search(r'data-records="([^"]*)"', body).group(1)
    data = json.loads(html.unescape(records_attr))
    assert any(v["kind"] == "quote" and v["speaker"] for v in data.values())


def test_evidence_link_highlights_the_claim(client, records):
    claims = client.get("/api/claims", params={"limit": 1000}).json()["items"]
    claim = next(c for c in claims if c["status"] != "asserted" and c["mentions"])
    art, (s, e) = claim["mentions"][0]["article"], claim["mentions"][0]["span"]
    page = client.get(f"/articles/{art}", params={"mark": f"{s}-{e}"}).text
    assert 'id="evidence"' in page
    assert f"/articles/{art}?mark={s}-{e}#evidence" in client.get("/claims").text
    assert client.get(f"/articles/{art}", params={"mark": "x"}).status_code == 422


def test_errors_are_json_without_tracebacks(client):
    for res in (client.get("/api/nothing"), client.get("/api/articles", params={"limit": "lots"}),
                client.get("/api/events", params={"since": "2024-13-45"})):
        assert res.headers["content-type"].startswith("application/json")
        assert "error" in res.json() and "Traceback" not in res.text
    page = client.get("/articles/missing")
    assert page.status_code == 404 and "no such article" in page.text and "Traceback" not in page.text


# ------------------------------------------------------------------ the marking algorithm


class _Tags(HTMLParser):
    """Every start tag and its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


class _Nesting(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.ok, self.text = 0, True, []

    def handle_starttag(self, tag, attrs):
        self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        self.ok = self.ok and self.depth >= 0

    def handle_data(self, data):
        self.text.append(data)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab <>&\"'“”\n", min_size=1, max_size=60),
       st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30), st.sampled_from(["claim", "quote", "event",
                                                                                 "entity"])), max_size=8))
def test_overlapping_marks_nest_and_keep_the_text(text, spans):
    marks = [Mark(s, s + n, kind, f"{kind}:{i}", attrs={"status": "denied"} if kind == "claim" else {})
             for i, (s, n, kind) in enumerate(spans)]
    out = str(markup_text(text, marks))
    p = _Nesting()
    p.feed(out)
    p.close()
    assert p.ok and p.depth == 0
    assert "".join(p.text) == text
    for m in marks:
        if m.end <= len(text):
            assert f'data-key="{m.key}"' in out


# ------------------------------------------------------------------ the command


def test_serve_command_binds_loopback(tmp_path):
    db = tmp_path / "cli.db"
    port = free_port()
    env_free = {k: v for k, v in __import__("os").environ.items() if k != "NEWSLEDGER_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "newsledger.cli", "serve", "--db", f"sqlite:///{db}",
                             "--port", str(port)], stderr=subprocess.PIPE, env=env_free, cwd=Path(__file__).parent)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                res = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert res.json()["articles"] == 0
        assert httpx.post(f"http://127.0.0.1:{port}/api/articles", json={"text": ARTICLE}).status_code == 403
        assert httpx.get(f"http://localhost:{port}/").status_code == 200
        # a page that rebinds its own name to 127.0.0.1 still sends its own Host: refused
        assert httpx.get(f"http://127.0.0.1:{port}/api/stats", headers={"Host": "evil.example"}).status_code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert f"http://127.0.0.1:{port}/" in proc.stderr.read().decode()
