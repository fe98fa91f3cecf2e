"""The ledger on real databases (a SQLite file and a PostgreSQL server): storing, merging across outlets,
claim status over time, replacement, queries and full-text search."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest

from ledger_dbs import DB_KINDS, ledger_db
from newsledger.ledger import Ledger


@pytest.fixture(params=DB_KINDS)
def db_url(request, tmp_path):
    with ledger_db(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def ledger(db_url):
    led = Ledger(db_url)
    yield led
    led.close()


def other_outlet_copy(rec: dict, aid: str = "other-outlet-1", published: str | None = None) -> dict:
    """The same wire story as another outlet prints it: same text, other id, URL and publisher."""
    out = copy.deepcopy(rec)
    out["article"].update(id=aid, url=f"https://other-daily.example/world/{aid}", publisher="Other Daily")
    if published:
        out["article"]["published"] = published
    return out


def build(aid: str, text: str, published: str, entities=(), quotes=(), claims=(), events=()) -> dict:
    """A record over ``text``; items name their spans by the words they cover (first occurrence)."""
    def span(words: str) -> list[int]:
        s = text.index(words)
        return [s, s + len(words)]

    rec = {"schema": "newsledger.record/1",
           "article": {"id": aid, "url": f"https://news.example/{aid}", "publisher": "Example News",
                       "title": text.split(".")[0], "published": published, "language": "en", "text": text,
                       "paragraphs": [[0, len(text)]], "removed": []},
           "entities": [], "quotes": [], "claims": [], "events": [], "figures": [], "timexes": []}
    for n, (name, etype, mention_words, extra) in enumerate(entities, 1):
        rec["entities"].append({"id": f"e{n}", "name": name, "type": etype, "aliases": extra.get("aliases", []),
                                "titles": [], "affiliation": extra.get("affiliation"),
                                "mentions": [span(w) for w in mention_words]})
    for n, (words, speaker) in enumerate(quotes, 1):
        rec["quotes"].append({"id": f"q{n}", "text": words, "span": span(words), "speaker": speaker,
                              "speaker_text": None, "cue": "said", "kind": "direct"})
    for n, (words, source, status, cue) in enumerate(claims, 1):
        rec["claims"].append({"id": f"c{n}", "text": words, "source": source, "source_text": None, "cue": "said",
                              "status": status, "status_cue": cue, "contradicted_by": [], "span": span(words)})
    for n, (etype, actor, target, date, words, place) in enumerate(events, 1):
        rec["events"].append({"id": f"v{n}", "type": etype, "mode": None, "actor": actor, "actor_text": None,
                              "target": target, "target_text": None, "date": date, "location": place,
                              "figures": [], "claim": None, "negated": False, "span": span(words)})
    return rec


DAY = {"start": "2024-05-06", "end": "2024-05-06", "precision": "day", "text": "Monday"}
WEEK = {"start": "2024-05-06", "end": "2024-05-12", "precision": "week", "text": "this week"}
OTHER_DAY = {"start": "2024-05-20", "end": "2024-05-20", "precision": "day", "text": "May 20"}
OSLO = {"name": "Oslo", "country": "NO", "lat": 59.91, "lon": 10.75, "geonameid": 3143244}


# ------------------------------------------------------------------ the seed story from two outlets
def test_wire_copy_merges_into_one_set_of_items(ledger, seed_record):
    assert ledger.ingest_record(seed_record) == "ingested"
    single = ledger.counts()
    assert ledger.ingest_record(seed_record) == "skipped"
    assert ledger.ingest_record(other_outlet_copy(seed_record)) == "ingested"
    both = ledger.counts()
    # same text from another outlet: one more article, and not one more entity, quote, claim or event
    assert both == dict(single, articles=2)
    assert ledger.article("other-outlet-1")["article"]["publisher"] == "Other Daily"
    assert ledger.article(seed_record["article"]["id"]) == seed_record

    arts = {seed_record["article"]["id"], "other-outlet-1"}
    stolt = [e for e in ledger.entities(q="Stoltenberg") if e["type"] == "PERSON"]
    assert len(stolt) == 1 and set(stolt[0]["articles"]) == arts
    assert stolt[0]["name"].endswith("Stoltenberg")

    meetings = [v for v in ledger.events(type="CONSULT", since="2023-09-28", until="2023-09-28")
                if "Stoltenberg" in (v["actor_name"] or "") + (v["target_name"] or "")]
    assert len(meetings) == 1 and set(meetings[0]["articles"]) == arts
    assert meetings[0]["date"]["start"] == "2023-09-28"

    shapps = [q for q in ledger.quotes() if "absolutely undented" in q["text"]]
    assert len(shapps) == 1 and set(shapps[0]["articles"]) == arts
    assert "Shapps" in (shapps[0]["speaker_name"] or "")
    assert len(shapps[0]["mentions"]) == 2

    sokolov = [c for c in ledger.claims() if "Sokolov" in c["text"]]
    assert sokolov and all(c["status"] == "contradicted" for c in sokolov)
    assert [h["article"] for h in sokolov[0]["history"]] == [seed_record["article"]["id"], "other-outlet-1"]
    # the evidence against it is kept per article (the record's contradicted_by)
    assert {c["article"] for c in sokolov[0]["contradicted_by"]} == arts


def abc_copy(rec: dict) -> dict:
    """The seed story as a second outlet ran it: the very same text (so the same content id), another
    publisher, URL and time."""
    out = copy.deepcopy(rec)
    out["article"].update(publisher="ABC News", published="2023-09-28T09:40:00-04:00",
                          url="https://abcnews.go.com/International/wireStory/nato-chief-meets-zelenskyy-103592157")
    return out


def test_syndicated_copy_is_a_second_carrier(ledger, seed_record):
    aid = seed_record["article"]["id"]
    assert ledger.ingest_record(seed_record) == "ingested"
    single = ledger.counts()
    abc = abc_copy(seed_record)
    assert abc["article"]["id"] == aid
    assert ledger.ingest_record(abc) == "carried"
    # a second carrier of the same article: no new article, no item stored twice
    assert ledger.counts() == single
    # re-ingesting either copy, or both in one batch, changes nothing
    assert ledger.ingest_record(abc) == "skipped"
    assert ledger.ingest_records([seed_record, abc]) == ["skipped", "skipped"]
    assert ledger.counts() == single

    carriers = ledger.carriers(aid)
    assert [c["publisher"] for c in carriers] == ["The Independent", "ABC News"]
    assert carriers[0]["url"] == seed_record["article"]["url"] and carriers[1]["url"] == abc["article"]["url"]
    assert carriers[0]["published"] == seed_record["article"]["published"]
    assert carriers[1]["published"] == "2023-09-28T09:40:00-04:00"
    assert all(c["ingested_at"] for c in carriers)
    assert ledger.articles()[0]["carried_by"] == ["The Independent", "ABC News"]
    assert ledger.article(aid) == seed_record  # the first carrier's record stays the audit trail

    # every item of the article cites both outlets
    items = ledger.quotes() + ledger.claims() + ledger.events() + ledger.entities()
    assert items and all(it["carried_by"] == ["The Independent", "ABC News"] for it in items)
    shapps = next(q for q in ledger.quotes() if "absolutely undented" in q["text"])
    assert {c["url"] for c in shapps["carriers"]} == {seed_record["article"]["url"], abc["article"]["url"]}

    # the pre-check before extraction knows the copy is stored, and that a third outlet is not
    digest = hashlib.sha256(seed_record["article"]["text"].encode()).hexdigest()
    assert ledger.has_article(aid, abc["article"]["url"], digest, "ABC News")
    assert not ledger.has_article(aid, "https://third.example/nato", digest, "Third Daily")
    third = copy.deepcopy(abc)
    third["article"].update(publisher="Third Daily", url=None)
    assert ledger.ingest_record(third) == "carried"
    assert [c["publisher"] for c in ledger.carriers(aid)] == ["The Independent", "ABC News", "Third Daily"]


def test_a_carrier_url_with_new_text_leaves_the_other_carriers(ledger, seed_record):
    aid = seed_record["article"]["id"]
    ledger.ingest_record(seed_record)
    abc = abc_copy(seed_record)
    ledger.ingest_record(abc)
    update = copy.deepcopy(abc)
    text = update["article"]["text"] + "\n\nThis story has been updated."
    update["article"].update(id="abc-update", text=text)
    assert ledger.ingest_record(update) == "replaced"
    assert [c["publisher"] for c in ledger.carriers(aid)] == ["The Independent"]
    assert [c["publisher"] for c in ledger.carriers("abc-update")] == ["ABC News"]
    assert ledger.counts()["articles"] == 2


def test_web_article_page_says_carried_by(ledger, seed_record):
    from fastapi.testclient import TestClient

    from newsledger.serve.api import create_app

    ledger.ingest_record(seed_record)
    client = TestClient(create_app(ledger=ledger, token=None))
    page = client.get(f"/articles/{seed_record['article']['id']}")
    assert page.status_code == 200 and "carried by" not in page.text
    ledger.ingest_record(abc_copy(seed_record))
    page = client.get(f"/articles/{seed_record['article']['id']}")
    assert "carried by The Independent, ABC News" in page.text


def test_search_finds_air_defense(ledger, seed_record):
    ledger.ingest_record(seed_record)
    hits = ledger.search("air defense")
    kinds = {h["kind"] for h in hits}
    assert "article" in kinds and "quote" in kinds
    assert all(h["article"] == seed_record["article"]["id"] for h in hits)
    quote_hit = next(h for h in hits if h["kind"] == "quote")
    assert quote_hit["id"].startswith("Q") and "air" in quote_hit["snippet"].lower()
    assert ledger.search("zzzyqx unlikelyword") == []


# ------------------------------------------------------------------ merging rules on hand-made records
def test_entities_merge_only_with_a_guard(ledger):
    a = build("a1", "Boris Johnson met Jens Stoltenberg in Oslo. Volodymyr Zelensky joined.", "2024-05-06T09:00:00Z",
              entities=[("Boris Johnson", "PERSON", ["Boris Johnson"], {}),
                        ("Jens Stoltenberg", "PERSON", ["Jens Stoltenberg"], {}),
                        ("Volodymyr Zelensky", "PERSON", ["Volodymyr Zelensky"], {}),
                        ("Oslo", "GPE", ["Oslo"], {})])
    b = build("b1", "Dustin Johnson won. Stoltenberg spoke. Zelenskyy replied. Ukraine and Kyiv and Oslo Group.",
              "2024-05-07T09:00:00Z",
              entities=[("Dustin Johnson", "PERSON", ["Dustin Johnson"], {}),
                        ("Stoltenberg", "PERSON", ["Stoltenberg"], {}),
                        ("Volodymyr Zelenskyy", "PERSON", ["Zelenskyy"], {"aliases": ["Zelenskyy"]}),
                        ("Ukraine", "GPE", ["Ukraine"], {"aliases": ["Kyiv"]}),
                        ("Oslo", "ORG", ["Oslo Group"], {})])
    c = build("c1", "Kyiv was quiet.", "2024-05-08T09:00:00Z", entities=[("Kyiv", "GPE", ["Kyiv"], {})])
    for rec in (a, b, c):
        assert ledger.ingest_record(rec) == "ingested"
    names = sorted((e["name"], e["type"], tuple(e["articles"])) for e in ledger.entities())
    assert names == [
        ("Boris Johnson", "PERSON", ("a1",)),
        ("Dustin Johnson", "PERSON", ("b1",)),  # same surname, other given name: not merged
        ("Jens Stoltenberg", "PERSON", ("a1", "b1")),  # surname of a full name
        ("Kyiv", "GPE", ("c1",)),  # a metonymic alias of Ukraine is not the city
        ("Oslo", "GPE", ("a1",)),
        ("Oslo", "ORG", ("b1",)),  # same name, other type
        ("Ukraine", "GPE", ("b1",)),
        ("Volodymyr Zelensky", "PERSON", ("a1", "b1")),  # fuzzy spelling, same type, compatible names
    ]
    zel = ledger.entities(q="Zelenskyy")[0]
    assert "Volodymyr Zelenskyy" in zel["aliases"]


def test_unnamed_speakers_never_merge_across_articles(ledger):
    for aid in ("w1", "w2"):
        rec = build(aid, f"A witness said the bridge fell ({aid}).", "2024-05-06T09:00:00Z",
                    entities=[("a witness", "UNNAMED", ["A witness"], {})])
        assert ledger.ingest_record(rec) == "ingested"
    witnesses = [e for e in ledger.entities() if e["type"] == "UNNAMED"]
    assert sorted(tuple(e["articles"]) for e in witnesses) == [("w1",), ("w2",)]
    same_text = build("w3", "A witness said the bridge fell (w1).", "2024-05-07T09:00:00Z",
                      entities=[("a witness", "UNNAMED", ["A witness"], {})])
    assert ledger.ingest_record(same_text) == "ingested"  # the same text under another id: the same witness
    witnesses = [e for e in ledger.entities() if e["type"] == "UNNAMED"]
    assert sorted(tuple(e["articles"]) for e in witnesses) == [("w1", "w3"), ("w2",)]


def test_events_merge_by_type_parties_date_and_place(ledger):
    text = "Jens Stoltenberg met Erna Solberg in Oslo."
    ents = [("Jens Stoltenberg", "PERSON", ["Jens Stoltenberg"], {}), ("Erna Solberg", "PERSON", ["Erna Solberg"], {})]
    meet = ("CONSULT", "e1", "e2")
    recs = [
        build("d1", text, "2024-05-06T12:00:00Z", entities=ents, events=[(*meet, DAY, text, OSLO)]),
        build("d2", text + " Again.", "2024-05-07T12:00:00Z", entities=ents, events=[(*meet, WEEK, text, None)]),
        build("d3", text + " Later.", "2024-05-21T12:00:00Z", entities=ents, events=[(*meet, OTHER_DAY, text, OSLO)]),
        build("d4", text + " Also.", "2024-05-06T13:00:00Z", entities=ents,
              events=[("ACCUSE", "e1", "e2", DAY, text, OSLO)]),
        build("d5", text + " Elsewhere.", "2024-05-06T14:00:00Z", entities=ents,
              events=[(*meet, DAY, text, {"name": "Bergen", "country": "NO", "lat": 60.4, "lon": 5.3,
                                          "geonameid": 3161732})]),
    ]
    for rec in recs:
        ledger.ingest_record(rec)
    evs = ledger.events()
    got = sorted((v["type"], v["date"]["start"], tuple(v["articles"])) for v in evs)
    assert got == [
        ("ACCUSE", "2024-05-06", ("d4",)),  # other type
        ("CONSULT", "2024-05-06", ("d1", "d2")),  # a day inside "this week": the same meeting
        ("CONSULT", "2024-05-06", ("d5",)),  # same day, other city
        ("CONSULT", "2024-05-20", ("d3",)),  # two weeks later
    ]
    merged = next(v for v in evs if v["articles"] == ["d1", "d2"])
    assert merged["date"]["precision"] == "day" and merged["location"]["name"] == "Oslo"
    assert [v["id"] for v in ledger.events(since="2024-05-10")] == [next(v["id"] for v in evs if v["articles"] == ["d3"])]
    assert {v["type"] for v in ledger.events(type="accuse")} == {"ACCUSE"}
    assert len(ledger.events(actor="Stoltenberg")) == 4
    assert len(ledger.timeline(entity="Solberg")) == 4


def test_a_busy_actors_other_events_do_not_hide_the_match(ledger):
    """Merging compares an incoming event with a capped number of stored candidates. Those must be events it
    could be (same negation, parties that agree), not the first of everything its actor did: after more
    than the cap of police arrests of other people in the same week, a second report of one arrest still
    finds the first."""
    from newsledger.ledger.batch import EVENT_CANDIDATES

    def arrest(aid: str, who: str, extra: str = "") -> dict:
        text = f"Police arrested {who} on Monday.{extra}"
        ents = [("Police", "ORG", ["Police"], {}), (who, "ORG", [who], {})]
        return build(aid, text, "2024-05-06T12:00:00Z", entities=ents,
                     events=[("ARREST", "e1", "e2", DAY, f"Police arrested {who}", None)])

    others = [arrest(f"b{n}", f"Brigade {n}") for n in range(100, 100 + EVENT_CANDIDATES + 5)]
    for s in range(0, len(others), 50):
        ledger.ingest_records(others[s:s + 50])
    ledger.ingest_record(arrest("first", "Harbour Guard"))
    ledger.ingest_record(arrest("second", "Harbour Guard", " It was the second report."))
    found = [v for v in ledger.events(type="ARREST") if "first" in v["articles"] or "second" in v["articles"]]
    assert [sorted(v["articles"]) for v in found] == [["first", "second"]]
    assert len(ledger.events(type="ARREST")) == len(others) + 1


def test_claim_status_follows_newest_evidence_with_history(ledger):
    text = "Officials said the commander Viktor Sokolov was killed in the strike."
    words = "the commander Viktor Sokolov was killed in the strike"
    ents = [("Ukraine", "GPE", ["Officials"], {})]
    day2 = build("n2", text, "2024-05-08T09:00:00+02:00", entities=ents,
                 claims=[(words, "e1", "contradicted", "appeared on television")])
    day1 = build("n1", text + " More.", "2024-05-07T09:00:00Z", entities=ents, claims=[(words, "e1", "asserted", None)])
    day3 = build("n3", "Officials said the commander, Viktor Sokolov, was killed in the strike.", "2024-05-09T09:00:00Z",
                 entities=ents,
                 claims=[("the commander, Viktor Sokolov, was killed in the strike", "e1", "asserted", None)])
    # evidence arrives out of order: the newest publication decides, not the ingestion order
    for rec in (day2, day1, day3):
        ledger.ingest_record(rec)
    (claim,) = ledger.claims()
    assert claim["status"] == "contradicted" and claim["status_cue"] == "appeared on television"
    assert [(h["article"], h["status"]) for h in claim["history"]] == [
        ("n1", "asserted"), ("n2", "contradicted"), ("n3", "asserted")]
    assert claim["articles"] == ["n2", "n1", "n3"]
    assert ledger.claims(status="contradicted") == [claim]
    assert ledger.claims(status="asserted") == []
    assert ledger.claims(source="Ukraine")[0]["id"] == claim["id"]
    # a different proposition from the same source stays apart
    ledger.ingest_record(build("n4", "Officials said the bridge was reopened to traffic.", "2024-05-10T09:00:00Z",
                               entities=ents, claims=[("the bridge was reopened to traffic", "e1", "asserted", None)]))
    assert len(ledger.claims()) == 2


def test_quotes_stored_once_per_speaker_and_words(ledger):
    q1 = "We will not give up,"
    t1 = f"\u201c{q1}\u201d Anna Berg said."
    ents = [("Anna Berg", "PERSON", ["Anna Berg"], {})]
    ledger.ingest_record(build("q1", t1, "2024-05-06T09:00:00Z", entities=ents, quotes=[(q1, "e1")]))
    # another outlet, straight quotes and different casing: same words, same speaker
    t2 = '"We will NOT give up," said Anna Berg.'
    ledger.ingest_record(build("q2", t2, "2024-05-06T10:00:00Z", entities=ents,
                               quotes=[("We will NOT give up,", "e1")]))
    # same words by somebody else is another quote
    t3 = f'"{q1}" Tomas Keller said.'
    ledger.ingest_record(build("q3", t3, "2024-05-06T11:00:00Z",
                               entities=[("Tomas Keller", "PERSON", ["Tomas Keller"], {})], quotes=[(q1, "e1")]))
    quotes = ledger.quotes()
    assert sorted((q["speaker_name"], tuple(q["articles"])) for q in quotes) == [
        ("Anna Berg", ("q1", "q2")), ("Tomas Keller", ("q3",))]
    assert [q["speaker_name"] for q in ledger.quotes(speaker="berg")] == ["Anna Berg"]
    e = ledger.entity(quotes[0]["speaker"])
    assert e["name"] == "Anna Berg" and len(e["quotes"]) == 1


def test_changed_text_replaces_and_unsupported_items_go(ledger):
    ents = [("Anna Berg", "PERSON", ["Anna Berg"], {})]
    v1 = build("r1", "Anna Berg met Erna Solberg.", "2024-05-06T09:00:00Z",
               entities=ents + [("Erna Solberg", "PERSON", ["Erna Solberg"], {})])
    assert ledger.ingest_record(v1) == "ingested"
    v2 = build("r1", "Anna Berg resigned.", "2024-05-06T10:00:00Z", entities=ents)
    assert ledger.ingest_record(v2) == "replaced"
    assert ledger.counts() == {"articles": 1, "entities": 1, "quotes": 0, "claims": 0, "events": 0}
    assert ledger.article("r1")["article"]["text"] == "Anna Berg resigned."
    assert ledger.search("Solberg") == [] and len(ledger.search("resigned")) == 1
    # same URL under another id with the old text: the URL identifies the article, so it is replaced again
    v3 = copy.deepcopy(v1)
    v3["article"]["id"] = "r1-bis"
    assert ledger.ingest_record(v3) == "replaced"
    assert [a["id"] for a in ledger.articles()] == ["r1-bis"]
    assert ledger.ingest_record(v3) == "skipped"


def test_entity_detail_and_articles_listing(ledger):
    text = "Jens Stoltenberg met Erna Solberg in Oslo."
    ents = [("Jens Stoltenberg", "PERSON", ["Jens Stoltenberg"], {"affiliation": "e3"}),
            ("Erna Solberg", "PERSON", ["Erna Solberg"], {}), ("NATO", "ORG", ["Oslo"], {})]
    ledger.ingest_record(build("x1", text, "2024-05-06T12:00:00Z", entities=ents,
                               events=[("CONSULT", "e1", "e2", DAY, text, OSLO)]))
    (stolt,) = ledger.entities(q="Stoltenberg")
    assert ledger.entities(q="stolten")[0]["id"] == stolt["id"]
    assert ledger.entities(q="berg") == []  # names are matched from the start of a word, not inside one
    detail = ledger.entity(stolt["id"])
    assert detail["affiliation_name"] == "NATO"
    assert len(detail["events_as_actor"]) == 1 and detail["events_as_target"] == []
    assert {n["name"] for n in detail["neighbours"]} == {"Erna Solberg", "NATO"}
    assert ledger.entity("E999999") is None and ledger.entity("nonsense") is None
    (art,) = ledger.articles()
    assert art["id"] == "x1" and "text" not in art and art["published"] == "2024-05-06T12:00:00Z"
    json.dumps([detail, art])  # everything is plain JSON


def test_ingest_lookups_use_indexes(tmp_path):
    """Merging must not scan the ledger: every query an ingest, a replacement or an entity's page runs is an
    index search (SQLite's query plan), so the cost per document does not grow with the ledger."""
    from sqlalchemy import event

    led = Ledger(f"sqlite:///{tmp_path / 'plan.db'}")
    text = "Jens Stoltenberg met Erna Solberg in Oslo."
    ents = [("Jens Stoltenberg", "PERSON", ["Jens Stoltenberg"], {}), ("Erna Solberg", "PERSON", ["Erna Solberg"], {})]
    claims = [("Jens Stoltenberg met Erna Solberg", "e1", "asserted", None)]
    led.ingest_record(build("p0", text, "2024-05-06T12:00:00Z", entities=ents, quotes=[("Erna Solberg", "e2")],
                            claims=claims, events=[("CONSULT", "e1", "e2", DAY, text, OSLO)]))
    stolt = led.entities(q="Stoltenberg")[0]["id"]  # a name search may scan; merging and item pages may not
    seen: list[tuple[str, object]] = []

    @event.listens_for(led.engine, "before_cursor_execute")
    def grab(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    led.ingest_record(build("p1", text + " Again.", "2024-05-07T12:00:00Z", entities=ents,
                            quotes=[("Erna Solberg", "e2")], claims=claims,
                            events=[("CONSULT", "e1", "e2", DAY, text, OSLO)]))
    # a changed version of p0 replaces it (its support is taken out of every item), and an entity's page
    led.ingest_record(build("p0", "Erna Solberg spoke.", "2024-05-06T12:00:00Z",
                            entities=[("Erna Solberg", "PERSON", ["Erna Solberg"], {})]))
    led.entity(stolt)
    event.remove(led.engine, "before_cursor_execute", grab)
    assert len(seen) > 10
    scans = []
    with led.engine.connect() as conn:
        for stmt, params in seen:
            for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + stmt, params).all():
                detail = row[-1]
                # "SCAN anon_1" reads a UNION's own rows, each part an index search (checked too); "SCAN json_each"
                # reads a list bound as a parameter (the batch's own affiliations), not the ledger
                if detail.startswith("SCAN") and "CONSTANT ROW" not in detail \
                        and not detail.startswith(("SCAN anon_", "SCAN json_each")):
                    scans.append((detail, stmt.split("FROM")[1][:60] if "FROM" in stmt else stmt))
    led.close()
    assert scans == []


def test_migrations_build_exactly_the_declared_schema(db_url):
    """The Alembic migrations (run on open) and the tables the code uses must not drift apart."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from newsledger.ledger.schema import metadata

    led = Ledger(db_url)
    with led.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_revision() is not None
        diffs = compare_metadata(ctx, metadata)
        tables = set(led.engine.dialect.get_table_names(conn))
    led.close()
    # full-text machinery is created by the migration in each dialect's own terms and is not in the metadata
    ignored = {"search_fts", "search_fts_config", "search_fts_data", "search_fts_docsize", "search_fts_idx",
               "alembic_version"}
    diffs = [d for d in diffs if not (d[0] == "remove_table" and d[1].name in ignored)
             and not (d[0] == "remove_column" and d[3].name == "tsv")
             and not (d[0] == "remove_index" and d[1].name == "ix_search_docs_tsv")]
    assert diffs == []
    assert {"articles", "entities", "quotes", "claims", "events", "search_docs"} <= tables


def test_upgrade_to_0005_rebuilds_the_blocking_keys(db_url, seed_record):
    """Revision 0005 changes what entities and claims are looked up by: a ledger written before it (here:
    downgraded, its keys emptied) gets every key rebuilt from the stored names and texts, so another outlet's
    copy still merges into the same items."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from newsledger.ledger.store import MIGRATIONS

    led = Ledger(db_url)
    led.ingest_record(seed_record)
    before = led.counts()
    statuses = sorted((c["text"], c["status"]) for c in led.claims())
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with led.engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
        conn.execute(text("DELETE FROM entity_keys"))
        conn.execute(text("DELETE FROM claim_keys"))
    led.close()
    with Ledger(db_url) as led:  # opening upgrades to the newest revision
        assert sorted((c["text"], c["status"]) for c in led.claims()) == statuses
        assert led.ingest_record(other_outlet_copy(seed_record)) == "ingested"
        assert led.counts() == dict(before, articles=2)
