"""Date expressions resolved against a fixed publication day, form by form (issue 4, TIME)."""

from __future__ import annotations

from datetime import date

import pytest

from newsledger.analysis import language, timexes

PUB = date(2023, 9, 28)  # a Thursday


def _find(sentence: str, pub: date | None = PUB, southern: bool = False) -> list[dict]:
    return timexes.find(sentence, pub, language.parse(sentence), southern)


def _one(sentence: str, needle: str, pub: date | None = PUB) -> dict:
    hits = [t for t in _find(sentence, pub) if needle.lower() in t["text"].lower()]
    assert len(hits) == 1, (needle, _find(sentence, pub))
    return hits[0]


@pytest.mark.parametrize("sentence,needle,start,end,precision", [
    # weekdays: the latest on or before publication, unless the verb speaks of the future
    ("The minister met his counterpart on Thursday.", "Thursday", "2023-09-28", "2023-09-28", "day"),
    ("Rebels attacked the base on Monday.", "Monday", "2023-09-25", "2023-09-25", "day"),
    ("The talks collapsed late on Sunday.", "Sunday", "2023-09-24", "2023-09-24", "day"),
    ("The council will vote on Monday.", "Monday", "2023-10-02", "2023-10-02", "day"),
    ("The president plans to visit Kyiv on Saturday.", "Saturday", "2023-09-30", "2023-09-30", "day"),
    ("Leaders meet again next Friday.", "next Friday", "2023-09-29", "2023-09-29", "day"),
    ("She said last Thursday that the deal was off.", "last Thursday", "2023-09-21", "2023-09-21", "day"),
    ("Talks collapsed last Wednesday.", "last Wednesday", "2023-09-20", "2023-09-20", "day"),  # not yesterday
    ("Talks collapsed last Monday.", "last Monday", "2023-09-25", "2023-09-25", "day"),
    ("Shots were heard on Monday night.", "Monday night", "2023-09-25", "2023-09-25", "day"),
    # deictic days
    ("The ministry confirmed the figures yesterday.", "yesterday", "2023-09-27", "2023-09-27", "day"),
    ("Protesters gathered again today.", "today", "2023-09-28", "2023-09-28", "day"),
    ("The prime minister will speak tonight.", "tonight", "2023-09-28", "2023-09-28", "day"),
    ("Rockets fell on the city last night.", "last night", "2023-09-27", "2023-09-27", "day"),
    # weeks, months, years relative to publication
    ("Last week a car bomb killed five people.", "Last week", "2023-09-18", "2023-09-24", "week"),
    ("They blamed last week's missile strike on the allies.", "last week", "2023-09-18", "2023-09-24", "week"),
    ("Prices rose sharply this week.", "this week", "2023-09-25", "2023-10-01", "week"),
    ("The company cut 500 jobs last month.", "last month", "2023-08-01", "2023-08-31", "month"),
    ("Earlier this month the army pulled back.", "Earlier this month", "2023-09-01", "2023-09-27", "month"),
    ("The union sanctioned Iran earlier in the month.", "earlier in the month", "2023-09-01", "2023-09-27", "month"),
    ("Exports fell last year.", "last year", "2022-01-01", "2022-12-31", "year"),
    # seasons (meteorological, northern hemisphere by default)
    ("Power plants were damaged by attacks last winter.", "last winter", "2022-12-01", "2023-02-28", "season"),
    ("At the summit this summer in Lithuania, members pledged support.", "this summer", "2023-06-01",
     "2023-08-31", "season"),
    ("Fighting may slow this winter.", "this winter", "2023-12-01", "2024-02-29", "season"),
    ("The offensive began in the spring of 2022.", "spring of 2022", "2022-03-01", "2022-05-31", "season"),
    # months
    ("The protests began in June.", "in June", "2023-06-01", "2023-06-30", "month"),
    ("He was envoy until December.", "until December", "2022-12-01", "2022-12-31", "month"),
    ("He intends to leave the bloc by the end of January.", "the end of January", "2024-01-21", "2024-01-31",
     "month"),
    ("Crowds have filled the streets since early this June.", "early this June", "2023-06-01", "2023-06-10",
     "month"),
    ("Fighting flared in mid-March.", "mid-March", "2023-03-11", "2023-03-20", "month"),
    ("Last April the department designated the group.", "Last April", "2023-04-01", "2023-04-30", "month"),
    ("The deadliest assault since August 2018 hit Ghazni.", "August 2018", "2018-08-01", "2018-08-31", "month"),
    # years
    ("In 2016, the country held a referendum.", "In 2016", "2016-01-01", "2016-12-31", "year"),
    # explicit dates
    ("The riot of Jan. 6 shocked the nation.", "Jan. 6", "2023-01-06", "2023-01-06", "day"),
    ("The election is set for May 7, 2025.", "May 7, 2025", "2025-05-07", "2025-05-07", "day"),
    ("The summit took place on 28 September 2023.", "28 September 2023", "2023-09-28", "2023-09-28", "day"),
    ("A summit is planned for Nov. 15-16.", "Nov. 15-16", "2023-11-15", "2023-11-16", "day"),
    ("Lawmakers may vote in March, she said.", "in March", "2024-03-01", "2024-03-31", "month"),
    ("The plan, unveiled three months ago, was shelved.", "three months ago", "2023-06-01", "2023-06-30", "month"),
    ("A week ago, rebels seized the town.", "A week ago", "2023-09-18", "2023-09-24", "week"),
    ("The mine will stay shut until the end of the year.", "the end of the year", "2023-01-01", "2023-12-31",
     "year"),
    ("The deal expires in late 2025.", "late 2025", "2025-09-01", "2025-12-31", "year"),
    ("The filing is dated 2023-09-28.", "2023-09-28", "2023-09-28", "2023-09-28", "day"),
    ("They condemned the November 27 agreement.", "November 27", "2022-11-27", "2022-11-27", "day"),
    ("The embassy was attacked on December 27th.", "December 27th", "2022-12-27", "2022-12-27", "day"),
])
def test_date_forms(sentence: str, needle: str, start: str, end: str, precision: str) -> None:
    t = _one(sentence, needle)
    assert (t["start"], t["end"], t["precision"]) == (start, end, precision)
    s, e = t["span"]
    assert sentence[s:e] == t["text"]


def test_day_after_dates_the_clause_it_introduces() -> None:
    text = ("Stoltenberg met Zelenskyy on Thursday, the day after Russia accused Ukraine's allies of helping "
            "plan the strike.")
    items = _find(text)
    assert [(t["text"], t["start"]) for t in items] == [("on Thursday", "2023-09-28"),
                                                        ("the day after", "2023-09-27")]


def test_following_day_counts_from_the_last_narrative_day() -> None:
    text = ("On Wednesday, the ministers denounced the November 27 agreement. "
            "In a press release issued the following day, Ankara rejected the statement.")
    hit = _one(text, "the following day", date(2020, 1, 11))
    assert hit["start"] == "2020-01-09"


def test_days_earlier_and_before_a_noun() -> None:
    text = "The blast hit on Monday. The tenant moved in the day before the blast."
    items = {t["text"]: t["start"] for t in _find(text, date(2019, 1, 4))}
    assert items["the day before the blast"] == "2018-12-30"
    text = "Also on Sunday, the US announced a pullout, beyond the one first announced seven days earlier."
    items = {t["text"]: t["start"] for t in _find(text, date(2019, 10, 15))}
    assert items["seven days earlier"] == "2019-10-06"
    assert _one("The talks ended two days ago.", "two days ago")["start"] == "2023-09-26"


def test_today_in_a_quote_is_the_day_it_was_spoken() -> None:
    text = ('Late on Sunday, the president announced the pullout.\n\n'
            'The envoy wrote: "The statement tonight shows a complete lack of understanding."')
    hit = _one(text, "tonight", date(2019, 10, 8))
    assert hit["start"] == "2019-10-06"
    assert _one("The statement tonight was clear.", "tonight", date(2019, 10, 8))["start"] == "2019-10-08"


def test_southern_hemisphere_flips_seasons() -> None:
    t = _find("Bushfires burned across the state last summer.", PUB, southern=True)
    assert (t[0]["start"], t[0]["end"]) == ("2022-12-01", "2023-02-28")  # southern summer: Dec-Feb
    t = _find("Snow closed the passes this winter.", PUB, southern=True)
    assert (t[0]["start"], t[0]["end"]) == ("2023-06-01", "2023-08-31")


def test_without_publication_date_text_and_span_stay() -> None:
    items = _find("The rebels attacked on Monday and again last week.", None)
    assert [t["text"] for t in items] == ["on Monday", "last week"]
    assert all(t["start"] is None and t["end"] is None for t in items)


@pytest.mark.parametrize("sentence", [
    "Shapps hosted a Ukrainian family in his home for a year.",
    "The 56-year-old commander was replaced.",
    "The talks lasted two weeks.",
    "The meeting started at 10:30 a.m.",
    "You may march on the capital, he said.",
    "Prices fall in the market.",
    "The company employs 2000 workers.",
])
def test_non_dates(sentence: str) -> None:
    assert _find(sentence) == []


def test_seed_timexes(seed_record: dict) -> None:
    got = {(t["text"].lower(), t["start"], t["end"]) for t in seed_record["timexes"]}
    assert ("on thursday", "2023-09-28", "2023-09-28") in got
    assert ("last week", "2023-09-18", "2023-09-24") in got
    assert ("last winter", "2022-12-01", "2023-02-28") in got
    assert ("this summer", "2023-06-01", "2023-08-31") in got
    assert ("on wednesday", "2023-09-27", "2023-09-27") in got
    text = seed_record["article"]["text"]
    for t in seed_record["timexes"]:
        assert text[t["span"][0]:t["span"][1]] == t["text"]
        assert t["precision"] in ("day", "week", "month", "season", "year")


def test_person_named_may_is_no_month() -> None:
    text = "Ministers in May's government resigned. Theresa May met Macron in May."
    items = timexes.find(text, date(2019, 7, 1), language.parse(text), names=frozenset({"Theresa", "May"}))
    assert [(t["text"], t["start"]) for t in items] == [("in May", "2019-05-01")]
