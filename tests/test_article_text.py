"""Plain-text captures: furniture, header lines, datelines with time zones, contributors."""

from __future__ import annotations

import pytest

from conftest import SEED
from newsledger.article import build, from_text, parse_instant
from newsledger.read import read_path

CAPTURE = """Sign in
Share on Facebook | Twitter | Email
Wildfire forces evacuation of mountain towns
Thousands leave homes as flames reach the valley floor
By Ana Ruiz and Mark Chen
Tuesday 4 July 2023 18:05 EDT
Firefighters ordered the evacuation of three mountain towns on Tuesday as a wildfire driven by strong winds spread into the valley, officials said.
Cookies help us deliver our services. By using our services, you agree to our use of cookies.
Smoke from the fire over the ridge. Photo: Sam Lee.
"We have never seen it move this fast," fire chief Dana Hill said.
Related: Heatwave breaks records across the region
Advertisement
About 4,000 people were told to leave by nightfall, and shelters opened in two schools.
Lena Park contributed to this report from Denver.
Associated Press writers Omar Haddad in Phoenix and Rita Cole contributed.
"""


def test_capture_header_furniture_and_trailer() -> None:
    f = from_text(CAPTURE)
    assert f["title"] == "Wildfire forces evacuation of mountain towns"
    assert f["subtitle"] == "Thousands leave homes as flames reach the valley floor"
    assert f["authors"] == ["Ana Ruiz", "Mark Chen"]
    assert f["contributors"] == ["Lena Park", "Omar Haddad", "Rita Cole"]  # places dropped
    assert f["published"] == "2023-07-04T18:05:00-04:00"
    body = "\n".join(f["paragraph_texts"])
    assert body.startswith("Firefighters ordered the evacuation")
    assert body.endswith("shelters opened in two schools.")
    assert '"We have never seen it move this fast," fire chief Dana Hill said.' in body
    reasons = {r["text"]: r["reason"] for r in f["removed"]}
    assert reasons["Sign in"] == "login prompt"
    assert reasons["Share on Facebook | Twitter | Email"] == "share bar"
    assert reasons["Advertisement"] == "advertisement"
    assert reasons["Related: Heatwave breaks records across the region"] == "related links"
    assert reasons["Smoke from the fire over the ridge. Photo: Sam Lee."] == "image caption"
    assert reasons["Lena Park contributed to this report from Denver."] == "contributor line"
    assert "cookie notice" in reasons.values()


@pytest.mark.parametrize(("line", "iso"), [
    ("Thursday 28 September 2023 13:26 BST", "2023-09-28T13:26:00+01:00"),
    ("Published: March 3, 2020 at 9:15 a.m. ET", "2020-03-03T09:15:00-05:00"),
    ("Monday, 6 January 2020 08:00 GMT", "2020-01-06T08:00:00+00:00"),
    ("12 May 2021 14:30 CEST", "2021-05-12T14:30:00+02:00"),
    ("2022-11-20 10:00 UTC+3", "2022-11-20T10:00:00+03:00"),
    ("July 4, 2023 9:00 p.m. ET", "2023-07-04T21:00:00-04:00"),  # ET in summer is EDT
    ("Friday, January 4, 2019", "2019-01-04"),
])
def test_datelines(line: str, iso: str) -> None:
    assert parse_instant(line) == iso


def test_wikinews_style_caption_and_pull_quote() -> None:
    raw = ("Storm closes port\n\nFriday, January 4, 2019\n\nThe port closed on Thursday after a storm damaged two cranes, "
           "its operator said.\n\nCranes at the port. Image: J.Smith.\n\n—Operator announcing the closure of the port\n\n"
           "Repairs are expected to take a week.\n\nThis article is from Wikinews, the free news source.\n")
    f = from_text(raw)
    assert f["published"] == "2019-01-04" and f["publisher"] == "Wikinews"
    assert f["paragraph_texts"] == ["The port closed on Thursday after a storm damaged two cranes, its operator said.",
                                    "Repairs are expected to take a week."]
    assert {r["reason"] for r in f["removed"]} >= {"image caption", "pull-quote attribution", "licence notice"}


def test_seed_offsets_and_publisher() -> None:
    (doc,) = read_path(SEED)
    a = build(doc)
    assert a["publisher"] == "The Independent" and a["published"] == "2023-09-28T13:26:00+01:00"
    assert a["authors"] == ["Hanna Arhirova"] and a["contributors"] == ["Brian Melley"]
    joined = "\n\n".join(a["text"][s:e] for s, e in a["paragraphs"])
    assert joined == a["text"]
    assert all("notification" not in a["text"][s:e].lower() for s, e in a["paragraphs"])


BODY = ("The mayor said on Monday that the city would build a new bridge over the river by 2026.\n"
        "Work is expected to start in the spring, officials said.\n")


@pytest.mark.parametrize(("header", "authors", "published"), [
    ("By Jane Doe, Associated Press\nSeptember 28, 2023 1:26 PM ET", ["Jane Doe"], "2023-09-28T13:26:00-04:00"),
    ("By Jane Doe | Thursday 28 September 2023 13:26 BST", ["Jane Doe"], "2023-09-28T13:26:00+01:00"),
    ("September 28, 2023\nBy Jane Doe and John Roe", ["Jane Doe", "John Roe"], "2023-09-28"),
    ("Jane Doe\nReuters\nSept. 28, 2023 at 1:26 p.m. EDT", ["Jane Doe"], "2023-09-28T13:26:00-04:00"),
    ("By JANE DOE\nUpdated 3:45 PM EDT, Thu September 28, 2023\nPublished 1:26 PM EDT, Thu September 28, 2023",
     ["Jane Doe"], "2023-09-28T13:26:00-04:00"),
])
def test_header_shapes(header: str, authors: list[str], published: str) -> None:
    f = from_text("City to build new bridge\n" + header + "\n" + BODY)
    assert f["title"] == "City to build new bridge" and f["subtitle"] is None
    assert f["authors"] == authors and f["published"] == published
    assert f["paragraph_texts"] == BODY.strip().split("\n")
    assert "\n".join(r["text"] for r in f["removed"]) == header
