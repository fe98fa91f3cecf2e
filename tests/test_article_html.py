"""HTML and NITF article stage on pages written for these tests (tests/pages) and built in tmp dirs."""

from __future__ import annotations

import json
from pathlib import Path

from newsledger.article import build
from newsledger.article.html import clean_authors, from_html, nitf_date, strip_site_suffix
from newsledger.read import read_path

PAGES = Path(__file__).parent / "pages"


def article(path: Path) -> dict:
    (doc,) = read_path(path)
    return build(doc)


def test_jsonld_page_metadata_and_clean_body() -> None:
    a = article(PAGES / "gazette-bridge.html")
    assert a["title"] == "Flood-damaged Harlow bridge to reopen next month, council says"
    assert a["authors"] == ["Priya Natarajan", "Owen Whitlock"]  # the Organization author is not a person
    assert a["publisher"] == "The Daily Gazette"
    assert a["published"] == "2024-03-14T09:30:00+00:00"
    assert a["url"] == "https://gazette.example/news/harlow-bridge-reopen"
    assert a["text"].startswith("The Harlow Street bridge, closed since floodwater")
    assert a["text"].endswith("load tests are finished in the summer.")
    assert a["contributors"] == ["Sofia Marin"]
    for chrome in ("cookie", "Share on", "Advertisement", "Flood warnings issued", "About time", "newsletter",
                   "All rights reserved", "Weather"):
        assert chrome not in a["text"], chrome
    reasons = {r["reason"] for r in a["removed"]}
    assert {"cookie notice", "navigation", "share bar", "comments", "newsletter prompt", "page footer"} <= reasons
    for s, e in a["paragraphs"]:
        assert a["text"][s:e] and a["text"][s:e] == a["text"][s:e].strip()


def test_opengraph_page_cp1252_and_time_offset() -> None:
    a = article(PAGES / "herald-strike.html")
    assert a["title"] == "Port workers vote to strike over pay offer"
    assert a["authors"] == ["Helen Okafor"]  # meta author "By Staff" is not a person; the page byline is
    assert a["publisher"] == "Riverside Herald"
    assert a["published"] == "2023-11-02T16:45:00-04:00"
    assert "“fair and affordable”" in a["text"] and "aren’t going to accept" in a["text"]
    assert "Most read" not in a["text"] and "Shameful" not in a["text"] and "Read more" not in a["text"]


def test_page_without_classes() -> None:
    a = article(PAGES / "plain-council.html")
    assert a["title"] == "Wellford council approves new cycle lanes"
    assert a["authors"] == ["Lena Fischer"]  # meta author is the outlet; the "Posted ... by" line names the person
    assert a["published"] == "2022-06-07T18:20:00+02:00"
    assert "Share this article" not in a["text"] and "Recommended" not in a["text"] and "Cookies" not in a["text"]
    removed = {r["text"]: r["reason"] for r in a["removed"]}
    assert removed["Share this article: Facebook | Twitter | Email"] == "share bar"
    assert removed["3 comments"] == "comments prompt"


def test_title_suffixes() -> None:
    assert strip_site_suffix("Storm hits coast | The Coast Times", ["The Coast Times"]) == "Storm hits coast"
    assert strip_site_suffix("Storm hits coast - Coast Times", ["The Coast Times"]) == "Storm hits coast"
    assert strip_site_suffix("Storm hits coast | World | Daily Planet", []) == "Storm hits coast"
    assert strip_site_suffix("Storm hits coast — coasttimes.com", []) == "Storm hits coast"
    # a dash that belongs to the headline stays
    assert strip_site_suffix("Rates rise - but not for long, bank says", ["Daily Planet"]) == \
        "Rates rise - but not for long, bank says"


def test_authors_are_people() -> None:
    assert clean_authors(["By Staff", "The Daily Planet", "By Jane Doe and John Roe"], "The Daily Planet") == \
        ["Jane Doe", "John Roe"]
    assert clean_authors(["Associated Press", "https://example.com/staff/jd", "Mia Wong | Reuters"], None) == \
        ["Mia Wong"]


def test_jsonld_list_and_byline_string(tmp_path: Path) -> None:
    ld = [{"@type": "Organization", "name": "Metro Wire"},
          {"@type": ["NewsArticle"], "headline": "Tram strike ends after two weeks",
           "author": "By Carla Mendes", "datePublished": "2021-02-03T07:05:00+09:00",
           "publisher": {"@type": "Organization", "name": "Metro Wire"}}]
    body = "".join(f"<p>{s}</p>" for s in (
        "Tram drivers in the city returned to work on Wednesday after a two-week strike over shift patterns ended.",
        "The union and the operator agreed a new rota that limits split shifts to two a week.",
        "Commuters had faced crowded buses and long queues at taxi ranks since the walkout began."))
    html = (f'<html><head><title>Tram strike ends after two weeks - Metro Wire</title>'
            f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
            f'<body><article><h1>Tram strike ends after two weeks</h1>{body}</article></body></html>')
    f = from_html(html)
    assert f["title"] == "Tram strike ends after two weeks"
    assert f["authors"] == ["Carla Mendes"] and f["publisher"] == "Metro Wire"
    assert f["published"] == "2021-02-03T07:05:00+09:00"
    assert f["paragraph_texts"][0].startswith("Tram drivers in the city returned")


def test_nitf_story() -> None:
    a = article(PAGES / "wire-story.xml")
    assert a["title"] == "Drought cuts hydropower output in Zambia, forcing daily blackouts"
    assert a["subtitle"] == "Kariba dam reservoir at lowest level in three decades"
    assert a["authors"] == ["Grace Mwansa", "Peter Lindqvist"]
    assert a["publisher"] == "Example Wire Service"
    assert a["published"] == "2023-09-28T13:26:00+01:00"
    assert a["text"].startswith("Zambia's state power company said on Thursday")
    assert len(a["paragraphs"]) == 4
    assert a["contributors"] == ["Tendai Moyo"]
    assert {"byline", "dateline"} <= {r["reason"] for r in a["removed"]}


def test_nitf_dates() -> None:
    assert nitf_date("20230928T132600+0100") == "2023-09-28T13:26:00+01:00"
    assert nitf_date("20230928T1326Z") == "2023-09-28T13:26:00+00:00"
    assert nitf_date("20230928") == "2023-09-28"


def test_namespaced_nitf(tmp_path: Path) -> None:
    xml = (PAGES / "wire-story.xml").read_text(encoding="utf-8").replace(
        '<nitf version="-//IPTC//DTD NITF 3.6//EN">', '<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">')
    p = tmp_path / "ns.xml"
    p.write_text(xml, encoding="utf-8")
    a = article(p)
    assert a["title"].startswith("Drought cuts hydropower") and a["published"] == "2023-09-28T13:26:00+01:00"
