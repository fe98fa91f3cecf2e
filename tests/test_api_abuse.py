"""The API under abuse: malformed JSON, oversized bodies, SQL injection in every query parameter, unknown ids,
path traversal, missing or wrong tokens. Every request gets a JSON answer (4xx for refusals), nothing leaks
(no traceback, no SQL, no file content, no server paths) and the ledger is unchanged afterwards.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from newsledger import validate
from newsledger.ledger import Ledger
from newsledger.pipeline import extract
from newsledger.read import Document
from newsledger.serve.api import MAX_BODY_BYTES, create_app

TOKEN = "abuse-token-7d1e"
ROOT = Path(__file__).resolve().parent.parent

STORIES = [
    ("Bridge vote\n\nThe city council of Springfield voted on Tuesday to approve a new bridge, officials said. "
     "\u201cWe have waited long enough,\u201d Mayor Joan Carter said after the vote."),
    ("Strike ends\n\nWorkers at the Northport docks ended their strike on Friday after the union accepted a pay "
     "offer, the company said. \u201cIt is a fair deal,\u201d union leader Tom Reyes told reporters."),
]

SQLI = ["' OR '1'='1", "1; DROP TABLE articles; --", "\" OR \"\"=\"", "') OR 1=1 --", "x' UNION SELECT sql FROM "
        "sqlite_master --", "%' AND 1=0 UNION SELECT NULL,NULL --", "1' AND sleep(5) --", "'; ATTACH DATABASE "
        "'/tmp/x.db' AS x; --", "\\'; SELECT pg_sleep(5); --", "*", "NEAR(a b)", "\"unterminated", "a OR b NOT c",
        "search_fts:foo", "^foo", "\x00", "%00", "' || (SELECT 1) || '", "E1' OR 'x'='x", "\u202e' OR 1=1"]
TRAVERSAL = ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fpyproject.toml", "....//....//etc/passwd",
             "..\\..\\windows\\win.ini", "%252e%252e%252fetc%252fpasswd", "/etc/passwd", "..;/pyproject.toml"]
LIKE_WILD = re.compile(r"[%_\x00]")  # LIKE wildcards: see test_like_wildcards_are_literal
LEAKS = re.compile(r"Traceback|File \"|sqlalchemy|sqlite3|psycopg|OperationalError|ProgrammingError|SELECT |"
                   r"INSERT |search_fts|root:x:0|\[build-system\]|/work/|site-packages", re.I)


class Tally:
    """Counts what the test sent and how it was answered, for the closing report."""

    def __init__(self) -> None:
        self.sent = self.refused = self.served = 0

    def check(self, res, *, refuse: bool | None = None, echo: str = "") -> None:  # noqa: ANN001
        """``echo``: the string the request sent, which the answer may legitimately repeat as data."""
        self.sent += 1
        assert res.status_code < 500, (res.status_code, res.request.url, res.text[:300])
        body = res.text.replace(json.dumps(echo)[1:-1], "") if echo else res.text
        assert not LEAKS.search(body), (res.request.url, res.text[:300])
        if res.request.url.path.startswith("/api/"):
            assert res.headers["content-type"].startswith("application/json"), res.request.url
            body = res.json()
            if res.status_code >= 400:
                assert isinstance(body, dict) and isinstance(body.get("error"), str), body
        if res.status_code >= 400:
            self.refused += 1
        else:
            self.served += 1
        if refuse is True:
            assert 400 <= res.status_code < 500, (res.status_code, res.request.url)
        elif refuse is False:
            assert res.status_code < 400, (res.status_code, res.request.url, res.text[:300])


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('abuse') / 'ledger.db'}"
    led = Ledger(url)
    for i, text in enumerate(STORIES):
        led.ingest_record(extract(Document(id=f"story-{i}", text=text, source=f"story-{i}",
                                           published="2024-03-05T10:00:00Z")))
    yield led
    led.close()


@pytest.fixture(scope="module")
def client(ledger) -> TestClient:
    return TestClient(create_app(ledger=ledger, token=TOKEN), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def tally() -> Tally:
    t = Tally()
    yield t
    print(f"\nAPI abuse: {t.sent} requests, {t.refused} refused with a 4xx JSON error, {t.served} answered "
          "harmlessly, 0 server errors")


def state(ledger: Ledger) -> str:
    """Everything the ledger holds, as one comparable string."""
    return json.dumps({"counts": ledger.counts(), "records": sorted(json.dumps(r, sort_keys=True) for r in ledger.records()),
                       "entities": ledger.entities(limit=10_000), "claims": ledger.claims(limit=10_000)}, sort_keys=True)


@pytest.fixture(scope="module")
def before(ledger) -> str:
    return state(ledger)


AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUERY_ROUTES = {
    "/api/articles": ["limit", "offset"],
    "/api/entities": ["q", "type", "limit", "offset"],
    "/api/quotes": ["speaker", "q", "limit", "offset"],
    "/api/claims": ["status", "source", "limit", "offset"],
    "/api/events": ["type", "actor", "since", "until", "limit", "offset"],
    "/api/search": ["q", "limit"],
}


def test_sql_injection_in_every_query_parameter(client, ledger, before, tally):
    for route, params in QUERY_ROUTES.items():
        for p in params:
            for s in SQLI:
                base = {"q": "bridge"} if route == "/api/search" and p != "q" else {}
                res = client.get(route, params={**base, p: s})
                tally.check(res, echo=s)
                if res.status_code == 200 and p not in ("limit", "offset") and not LIKE_WILD.search(s):
                    # the string is data, never SQL: an injected tautology must not open up the table
                    assert len(res.json()["items"]) <= 1, (route, p, s)
    assert state(ledger) == before


def test_like_wildcards_are_literal(client, tally):
    for route, p in (("/api/quotes", "speaker"), ("/api/quotes", "q"), ("/api/claims", "source"),
                     ("/api/entities", "q"), ("/api/events", "actor")):
        for s in ("%", "_", "\x00", "%%", "__%"):
            res = client.get(route, params={p: s})
            tally.check(res)
            assert res.json()["items"] == [], (route, p, s)


def test_raw_undecodable_query_strings(client, ledger, before, tally):
    # bytes that are not UTF-8 (a lone surrogate's encoding, a cut sequence, an overlong NUL) straight on the wire
    for raw in ("%ED%A0%80", "%FF%FE", "%C0%80", "%E2%80", "%00%27%20OR%201%3D1", "%", "%zz", "%%27"):
        for route, params in QUERY_ROUTES.items():
            for p in params:
                tally.check(client.get(f"{route}?{p}={raw}"))
    assert state(ledger) == before


def test_injection_in_path_ids_and_unknown_ids(client, ledger, before, tally):
    for route in ("/api/articles/", "/api/entities/"):
        for s in SQLI + ["nope", "E999999", "story-99", "Q1", "0", "-1", "E-1", "E1.5"]:
            res = client.get(route + quote(s.encode("utf-8", "surrogatepass"), safe=""))
            tally.check(res, refuse=True)
    assert state(ledger) == before


HUGE_IDS = ("9" * 400, "E" + "9" * 30, "E" + "9" * 19, "Q" + "9" * 25)


def test_huge_numeric_ids_are_unknown_not_errors(client, ledger, before, tally):
    for ident in HUGE_IDS:
        tally.check(client.get(f"/api/entities/{ident}"), refuse=True)
        tally.check(client.get(f"/api/articles/{ident}"), refuse=True)
        tally.check(client.get(f"/entities/{ident}"), refuse=True)
        for route, p in (("/api/quotes", "speaker"), ("/api/claims", "source"), ("/api/events", "actor")):
            res = client.get(route, params={p: ident})
            tally.check(res)
            assert res.status_code >= 400 or res.json()["items"] == []
    assert state(ledger) == before


def test_ledger_treats_huge_ids_as_unknown(ledger, before):
    for ident in HUGE_IDS:
        assert ledger.entity(ident) is None
        assert ledger.quotes(speaker=ident) == [] and ledger.claims(source=ident) == []
        assert ledger.events(actor=ident) == []
    assert state(ledger) == before


def test_path_traversal(client, ledger, before, tally):
    for t in TRAVERSAL:
        for prefix in ("/static/", "/api/articles/", "/api/entities/", "/articles/", "/entities/", "/"):
            res = client.get(prefix + t)
            tally.check(res, refuse=True)
    assert state(ledger) == before


def test_writes_without_the_right_token(client, ledger, before, tally):
    good = {"text": STORIES[0] + " New words.", "id": "intruder"}
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer wrong"},
                    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"},
                    {"Authorization": f"Bearer {TOKEN[:-1]}"}, {"Authorization": "Bearer ' OR '1'='1"},
                    {"Authorization": TOKEN}, {"X-Token": TOKEN}):
        for method in ("post", "put", "delete", "patch"):
            res = client.request(method, "/api/articles", headers=headers, content=json.dumps(good))
            tally.check(res, refuse=True)
    ro = TestClient(create_app(ledger=ledger, token=""), raise_server_exceptions=False)
    tally.check(ro.post("/api/articles", headers=AUTH, json=good), refuse=True)
    assert state(ledger) == before


def test_malformed_and_hostile_bodies(client, ledger, before, tally):
    bodies = [b"", b"{", b"{\"text\": ", b"not json at all", b"[]", b"null", b"42", b"\"text\"",
              b"{\"text\": 12}", b"{\"text\": null, \"html\": null}", b"{\"text\": \"a\", \"html\": \"<p>b</p>\"}",
              b"{\"text\": [\"a\"]}", b"\xff\xfe\x00{", b"{\"text\": \"\\ud800\"}", b"{\"id\": \"" + b"x" * 500 + b"\"}",
              b"{\"text\": \"" + b"[" * 5000 + b"\"}", b"[" * 100_000 + b"]" * 100_000, b"{\"a\":" * 50_000,
              b"{\"text\": \"x\", \"published\": \"" + b"9" * 100 + b"\"}", b"{\"text\": \"\"}", b"{\"text\": \"   \"}"]
    # (a text in another language is no longer refused: it is read and kept, its record saying the analysis did not run)
    for body in bodies:
        for ctype in ("application/json", "text/plain", "application/x-www-form-urlencoded"):
            res = client.post("/api/articles", content=body, headers={**AUTH, "Content-Type": ctype})
            tally.check(res, refuse=True)
    assert state(ledger) == before


def test_lone_surrogate_in_a_real_article_is_stored_not_a_server_error(tmp_path, tally):
    # JSON allows "\\ud800", which no UTF-8 encoder accepts; once a 500 from spaCy's tokenizer.
    # A ledger of its own: this write succeeds, and the shared ledger must stay unchanged.
    with Ledger(f"sqlite:///{tmp_path / 'own.db'}") as own:
        c = TestClient(create_app(ledger=own, token=TOKEN), raise_server_exceptions=False)
        body = json.dumps({"id": "surrogate", "text": STORIES[0].replace("bridge", "bridge \ud800")})
        res = c.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
        tally.check(res, refuse=False)
        assert validate.problems(res.json()["record"]) == []
        assert own.counts()["articles"] == 1


def test_oversized_bodies(client, ledger, before, tally):
    big = json.dumps({"text": "word " * (MAX_BODY_BYTES // 5 + 10)}).encode()
    tally.check(client.post("/api/articles", content=big, headers={**AUTH, "Content-Type": "application/json"}),
                refuse=True)

    def chunks():  # no Content-Length: the limit must hold as the body streams in
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    tally.check(client.post("/api/articles", content=chunks(), headers=AUTH), refuse=True)
    tally.check(client.post("/api/articles", content=b"{}", headers={**AUTH, "Content-Length": "nan"}), refuse=True)
    tally.check(client.post("/api/articles", content=big, headers={"Content-Type": "application/json"}), refuse=True)
    assert state(ledger) == before


def test_out_of_range_and_wrongly_typed_parameters(client, ledger, before, tally):
    for route in ("/api/articles", "/api/entities", "/api/quotes", "/api/claims", "/api/events"):
        for params in ({"limit": -1}, {"limit": 0}, {"limit": 10**12}, {"limit": "1e3"}, {"offset": -5},
                       {"offset": 10**30}, {"limit": "NaN"}):
            tally.check(client.get(route, params=params), refuse=True)
    for params in ({"since": "2024-13-45x"}, {"until": "yesterday"}, {"type": "ASSAULT;DROP"}, {"type": "x" * 100}):
        tally.check(client.get("/api/events", params=params), refuse=True)
    for params in ({}, {"q": ""}, {"q": "x" * 5000}, {"q": "bridge", "limit": 100_000}):
        tally.check(client.get("/api/search", params=params), refuse=True)
    tally.check(client.get("/api/claims", params={"status": "asserted' OR 1=1"}), refuse=True)
    assert state(ledger) == before


def test_real_queries_still_work_after_the_abuse(client, ledger, before, tally):
    """The refusals above did not break the app: ordinary reads and an authorised write still work."""
    res = client.get("/api/search", params={"q": "bridge"})
    tally.check(res, refuse=False)
    assert any(item["article"] == "story-0" for item in res.json()["items"])
    stored = client.get("/api/articles/story-1")
    tally.check(stored, refuse=False)
    assert validate.problems(stored.json()) == []  # the ledger gives back a valid record
    assert state(ledger) == before
    res = client.post("/api/articles", headers=AUTH, json={"id": "story-new", "text": STORIES[1].replace("Friday",
                                                                                                       "Saturday")})
    tally.check(res, refuse=False)
    assert validate.problems(res.json()["record"]) == []
    assert ledger.counts()["articles"] == 2 + 1
