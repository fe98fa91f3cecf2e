"""The record's JSON Schema (schema/record.json) and the span checks hold for every record we produce:
the bundled examples, the test pages, and hostile pages written to attack a reader.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from newsledger import validate
from newsledger.pipeline import extract_many
from newsledger.read import read_bytes, read_path
from newsledger.record import NewsledgerError

ROOT = Path(__file__).resolve().parent.parent
# Real articles are a few kB; anything far larger in examples/ is not one of the bundled news captures
# (the scale tests cover big inputs), so it would only make this file slow.
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.txt") if p.stat().st_size < 200_000)
PAGES = sorted((Path(__file__).parent / "pages").glob("*"))

LEDE = ("The city council of Springfield voted on Tuesday to approve a new budget of $12 million for road repairs, "
        "officials said. Mayor Joan Carter said the plan would start in March.")

# Pages written to attack a reader: markup and script in the text, direction and width tricks, quotes that
# never close, impossible dates and absurd numbers. Each must come out as a valid record.
HOSTILE: dict[str, bytes] = {
    "script-and-markup.html": (
        "<html><head><title>Council &lt;script&gt; vote</title><script>alert(1)</script></head><body><article>"
        f"<p>{LEDE}</p><p onclick=\"steal()\">\u201cWe will <b>not</b> wait,\u201d Carter said "
        "<img src=x onerror=alert(2)> on Tuesday.</p><p>Police said 3 people were arrested in "
        "<a href=\"javascript:alert(3)\">the protest</a> near City Hall.</p></article></body></html>").encode(),
    "bidi-zero-width.txt": (
        f"Budget vote\n\n{LEDE}\n\n\u202eCarter\u202c said \u201cthe roads\u200b will be fixed\u200d by June,\u201d "
        "adding that \u2066\u05e9\u05dc\u05d5\u05dd\u2069 residents from the \u0627\u0644\u0642\u062f\u0633 quarter "
        "approved.\n\nThe cafe\u0301 owner Zoe\u0308 Smith said \ufeffit was \u201cabout time.\u201d\n").encode(),
    "unbalanced-quotes.txt": (
        f"Quote storm\n\n{LEDE}\n\n" + "\u201cWe said \"no\" and \u2018never\u2019 " * 50 + "\n\n"
        + '"' * 3000 + "\n\nCarter said \u201cthis quote never closes.\n\n\u201d\u201d\u201c\"'\u2019 she said.\n"
    ).encode(),
    "impossible-dates.txt": (
        f"Dates\n\nPublished Feb 30, 2024 25:99 XYZ\n\n{LEDE}\n\nThe talks on Feb 30 and on 31 April 2023 "
        "collapsed, officials said, and the ministry said 1e308 euros and 1e309 dollars and "
        "99999999999999999999999999 people were involved, with -0 killed and NaN wounded on Day 0 of month 13.\n"
    ).encode(),
    "nul-and-controls.txt": (f"Controls\n\n{LEDE}\x00\x01\x07\n\nCarter\x0b said\x0c \u201cok\x1b[31m\u201d on "
                             "Tuesday.\r\n\r\nLine\u2028separator and\u2029paragraph.\n").encode(),
    "jsonlines-mixed.jsonl": "\n".join([
        json.dumps({"id": "ok-1", "url": "https://example.org/1", "published": "2024-02-30T10:00:00Z",
                    "text": LEDE}),
        "{not json",
        json.dumps({"id": "html-2", "html": f"<p>{LEDE}</p><p>\u201cFine,\u201d she said.</p>",
                    "published": "yesterday"}),
        json.dumps({"id": None, "text": 12}),
        json.dumps(["a", "list"]),
    ]).encode(),
}


def records_of(paths_or_pages: list[tuple[str, bytes]]) -> list[dict]:
    docs = []
    for name, data in paths_or_pages:
        try:
            docs.extend(read_bytes(data, name))
        except NewsledgerError:
            continue
    return [r for r in extract_many(docs) if "error" not in r]


@pytest.fixture(scope="module")
def example_records() -> list[dict]:
    docs = [d for p in EXAMPLES for d in read_path(p)]
    return list(extract_many(docs))


@pytest.fixture(scope="module")
def hostile_records() -> list[dict]:
    return list(extract_many([d for name, data in HOSTILE.items() for d in read_bytes(data, name)]))


def test_shipped_schema_is_the_canonical_copy():
    shipped = ROOT / "src" / "newsledger" / "data" / "record.schema.json"
    assert (ROOT / "schema" / "record.json").read_bytes() == shipped.read_bytes()
    Draft202012Validator.check_schema(validate.schema())
    assert validate.schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_example_record_validates(example_records):
    assert len(example_records) == len(EXAMPLES) >= 10
    for rec in example_records:
        assert "error" not in rec, rec
        assert validate.problems(rec) == [], rec["article"]["id"]
        validate.validate(rec)
    # the examples exercise every section, so the schema was checked on real items of each kind
    for section in ("entities", "quotes", "claims", "events", "figures", "timexes"):
        assert sum(len(r[section]) for r in example_records) > 5, section


def test_seed_record_validates(seed_record):
    validate.validate(seed_record)


def test_test_pages_validate():
    recs = records_of([(p.name, p.read_bytes()) for p in PAGES])
    assert len(recs) >= len(PAGES)
    for rec in recs:
        assert validate.problems(rec) == [], rec["article"]["id"]


def test_hostile_pages_validate(hostile_records):
    good = [r for r in hostile_records if "error" not in r]
    bad = [r for r in hostile_records if "error" in r]
    assert len(good) >= len(HOSTILE) - 1 + 1  # the JSON lines file brings two good documents
    assert {r["id"] for r in bad} >= {"line-2", "line-5"}
    for rec in good:
        assert validate.problems(rec) == [], rec["article"]["id"]
    text = "\n".join(r["article"]["text"] for r in good)
    assert "alert(1)" not in text and "<script" not in text and "onerror" not in text


def test_hostile_text_survives_character_for_character(hostile_records):
    by_id = {r["article"]["id"]: r for r in hostile_records if "error" not in r}
    bidi = next(r for r in by_id.values() if "\u202eCarter" in r["article"]["text"])
    assert "\u05e9\u05dc\u05d5\u05dd" in bidi["article"]["text"] and "cafe\u0301" in bidi["article"]["text"]
    controls = next(r for r in by_id.values() if "Controls" in (r["article"]["title"] or "") or
                    "Line\u2028separator" in r["article"]["text"])
    assert "\x00" not in controls["article"]["text"]


# --- the validator itself must catch what it promises to catch -------------------------------------------------

def test_validator_rejects_broken_records(seed_record):
    def broken(change) -> list[str]:
        rec = copy.deepcopy(seed_record)
        change(rec)
        return validate.problems(rec)

    n = len(seed_record["article"]["text"])
    assert any("schema" in p for p in broken(lambda r: r.update(schema="newsledger.record/2")))
    assert any("'quotes' is a required property" in p for p in broken(lambda r: r.pop("quotes")))
    assert any("outside the text" in p for p in broken(lambda r: r["entities"][0]["mentions"].append([n, n + 3])))
    assert any("!= text[" in p for p in broken(lambda r: r["quotes"][0].update(text=r["quotes"][0]["text"] + "x")))
    assert any("!= text[" in p for p in broken(lambda r: r["claims"][0]["span"].__setitem__(0, 0)))
    assert any("outside the text" in p for p in broken(lambda r: r["timexes"][0].update(span=[9, 3])))
    assert any("not an item" in p for p in broken(lambda r: r["quotes"][0].update(speaker="e999")))
    assert any("duplicate id" in p for p in broken(lambda r: r["figures"].append(dict(r["figures"][0]))))
    assert any("status" in p for p in broken(lambda r: r["claims"][0].update(status="probably")))
    assert any("type" in p for p in broken(lambda r: r["events"][0].update(type="PARTY")))
    assert any("mentions/0" in p for p in broken(lambda r: r["entities"][0]["mentions"].__setitem__(0, [1, -2])))
    assert any("published" in p for p in broken(lambda r: r["article"].update(published="last Tuesday")))
    with pytest.raises(NewsledgerError, match="^invalid record: "):
        validate.validate({"schema": "newsledger.record/1"})
    assert any("analysis" in p for p in broken(lambda r: r.update(analysis={"ran": "no"})))
    assert any("analysis" in p for p in broken(lambda r: r.update(analysis={"ran": False})))
    assert any("agencies" in p for p in broken(lambda r: r["article"].update(agencies="AP")))
    # the fields added since (analysis, agencies, repaired) are optional: records stored before them still validate
    assert broken(lambda r: (r.pop("analysis"), r["article"].pop("agencies"))) == []
    # extra fields are allowed
    assert broken(lambda r: r["entities"][0].update(code="XYZ", wikidata="Q1")) == []
