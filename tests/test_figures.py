"""Figures: money with ISO 4217 currency, casualties with their kind, counts with their noun (issue 4)."""

from __future__ import annotations

import pytest

from newsledger.analysis import figures, language


def _find(sentence: str) -> list[dict]:
    return figures.find(sentence, language.parse(sentence))


def _by_text(sentence: str) -> dict[str, dict]:
    return {f["text"]: f for f in _find(sentence)}


@pytest.mark.parametrize("sentence,text,value,unit", [
    ("NATO has contracts for 2.4 billion euros in ammunition.", "2.4 billion euros", 2_400_000_000, "EUR"),
    ("The contracts are worth 2.4 billion euros ($2.5 billion).", "$2.5 billion", 2_500_000_000, "USD"),
    ("The club paid £3m for the striker.", "£3m", 3_000_000, "GBP"),
    ("Aid of US$40 million was pledged.", "US$40 million", 40_000_000, "USD"),
    ("The fine was €1.2bn.", "€1.2bn", 1_200_000_000, "EUR"),
    ("Each victim will receive one million rubles.", "one million rubles", 1_000_000, "RUB"),
    ("The bank lent 500 million yuan.", "500 million yuan", 500_000_000, "CNY"),
    ("The ministry allotted 2,500 hryvnias per family.", "2,500 hryvnias", 2500, "UAH"),
])
def test_money(sentence: str, text: str, value: int, unit: str) -> None:
    f = _by_text(sentence)[text]
    assert (f["value"], f["unit"], f["kind"]) == (value, unit, "money")
    assert f["value"] > 0


@pytest.mark.parametrize("sentence,expected", [
    ("Ukraine said the attack had killed 34 officers and wounded 105 others.",
     [(34, "killed"), (105, "wounded")]),
    ("At least 40 people were killed in the strike.", [(40, "killed")]),
    ("Officials said 68 people were missing.", [(68, "missing")]),
    ("A total of 39 are confirmed dead.", [(39, "killed")]),
    ("Officials said three people died.", [(3, "killed")]),
    ("The ministry said six deaths were of children.", [(6, "killed")]),
    ("More than 1000 people have been arrested since June.", [(1000, "arrested")]),
    ("The spokesman said the attack had killed twelve and injured twelve more.", [(12, "killed"), (12, "wounded")]),
    ("The car bomb kills dozens.", [(24, "killed")]),
    ("Recovered bodies raised the death toll from fourteen to 31.", [(14, "killed"), (31, "killed")]),
    ("The floods displaced 20,000 residents.", [(20000, "displaced")]),
    ("Some 500,000 people fled their homes.", [(500000, "displaced")]),
    ("Two dozen others remain missing.", [(24, "missing")]),
    ("The strike killed 11 people, including two children.", [(11, "killed"), (2, "killed")]),
    ("At least 3 people died and 15 were hospitalised.", [(3, "killed"), (15, "wounded")]),
])
def test_casualties(sentence: str, expected: list[tuple[int, str]]) -> None:
    got = [(f["value"], f["kind"]) for f in _find(sentence)]
    assert got == expected


def test_qualifiers_and_ranges() -> None:
    f = _by_text("At least 40 people were killed.")["At least 40 people"]
    assert f["qualifier"] == "at least"
    f = _by_text("More than 1000 people have been arrested.")["More than 1000 people"]
    assert f["qualifier"] == "more than"
    f = _by_text("Organisers said roughly one million people marched.")["roughly one million people"]
    assert (f["value"], f["qualifier"]) == (1_000_000, "about")
    (f,) = _find("Officials said between 36 and 40 people were under the rubble.")
    assert (f["value"], f["value_max"], f["qualifier"]) == (36, 40, "between")
    f = _by_text("Turkey hosts over three-and-a-half million refugees.")["over three-and-a-half million refugees"]
    assert (f["value"], f["qualifier"]) == (3_500_000, "more than")


def test_counts_keep_their_noun() -> None:
    f = _by_text("He cited 40 drone attacks overnight.")["40 drone attacks"]
    assert (f["value"], f["kind"], f["unit"]) == (40, "count", "drone attacks")
    f = _by_text("The Houthis said they used ten drones.")["ten drones"]
    assert (f["value"], f["kind"], f["unit"]) == (10, "count", "drones")


def test_percent_and_quantity() -> None:
    got = {f["text"]: (f["value"], f["kind"]) for f in _find("About 52% voted to leave, a swing of five percent.")}
    assert got == {"About 52%": (52, "percent"), "five percent": (5, "percent")}
    f = _by_text("The field is about 160 km east of Riyadh.")["about 160 km"]
    assert (f["value"], f["kind"], f["unit"]) == (160, "quantity", "km")


@pytest.mark.parametrize("sentence", [
    "NATO ordered 155 mm Howitzer shells.",
    "The 56-year-old commander was replaced.",
    "He was aged 72 when he died.",
    "The meeting started at 10:30 a.m.",
    "The UK joined in 1973.",
    "The talks lasted two weeks.",
    "One of the officials left.",
    "The jets were F-16 fighters.",
    "He died in 2020 at 44.",
    "Shares rose to 450 on Monday.",
])
def test_non_figures(sentence: str) -> None:
    assert [f for f in _find(sentence) if f["kind"] != "quantity"] == [], _find(sentence)


def test_ids_and_spans() -> None:
    text = "The strike killed 12 soldiers and cost $3 million."
    items = _find(text)
    assert [f["id"] for f in items] == ["f1", "f2"]
    for f in items:
        assert text[f["span"][0]:f["span"][1]] == f["text"]
        assert set(f) >= {"id", "text", "value", "unit", "kind", "span", "qualifier"}


def test_seed_figures(seed_record: dict) -> None:
    got = {(f["value"], f["unit"] if f["kind"] == "money" else f["kind"]) for f in seed_record["figures"]}
    assert {(2_400_000_000, "EUR"), (2_500_000_000, "USD"), (34, "killed"), (105, "wounded"),
            (40, "count")} <= got
    assert not any(f["value"] == 155 for f in seed_record["figures"])
