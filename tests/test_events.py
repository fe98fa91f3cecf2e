"""events stage: PLOVER coding of sentences written for these tests, plus the seed article."""

from __future__ import annotations

from typing import Any

import pytest

from newsledger import events, language, places
from newsledger.record import new_record

PUBLISHED = "2024-03-14T10:00:00+00:00"


def code(text: str, **sections: Any) -> list[dict[str, Any]]:
    """Run places + events over ``text`` on a record whose other sections are given (default empty)."""
    rec = new_record({"text": text, "published": PUBLISHED, "paragraphs": [[0, len(text)]]})
    rec.update(sections)
    doc = language.parse(text)
    places.run(rec, doc)
    events.run(rec, doc)
    for ev in rec["events"]:
        s, e = ev["span"]
        assert text[s:e] == ev["trigger"]
    return rec["events"]


def one(text: str, **sections: Any) -> dict[str, Any]:
    evs = code(text, **sections)
    assert len(evs) == 1, [(e["type"], e["actor_text"], e["target_text"]) for e in evs]
    return evs[0]


# ------------------------------------------------------------------ one test per PLOVER type

def test_agree_signed_deal() -> None:
    ev = one("Turkey and Libya signed a maritime agreement in Istanbul on Wednesday.")
    assert ev["type"] == "AGREE"
    assert "Turkey" in ev["actor_text"]


def test_consult_meeting_with_place() -> None:
    ev = one("President Biden met with Chancellor Scholz in Berlin.")
    assert (ev["type"], ev["mode"]) == ("CONSULT", "meet")
    assert ev["actor_text"].endswith("Biden") and ev["target_text"].endswith("Scholz")
    assert ev["location"]["name"] == "Berlin" and ev["location"]["country"] == "DE"
    assert ev["negated"] is False


def test_support_praise() -> None:
    ev = one("France praised Kenya for its mediation.")
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("SUPPORT", "France", "Kenya")


def test_concede_release() -> None:
    ev = one("Iran released two French prisoners.")
    assert (ev["type"], ev["actor_text"]) == ("CONCEDE", "Iran")


def test_cooperate_with() -> None:
    ev = one("Egypt cooperated with Israel on border security.")
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("COOPERATE", "Egypt", "Israel")


def test_aid_verb_and_noun_are_one_event() -> None:
    ev = one("The European Union provided humanitarian aid to Sudan.")
    assert ev["type"] == "AID"
    assert ev["actor_text"] == "European Union" and ev["target_text"] == "Sudan"


def test_retreat_withdrew() -> None:
    ev = one("Russian troops withdrew from Kherson.")
    assert ev["type"] == "RETREAT" and ev["actor_text"] == "Russian troops"


def test_request_urged() -> None:
    ev = one("The United Nations urged Israel to allow aid into Gaza.")
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("REQUEST", "United Nations", "Israel")


def test_accuse() -> None:
    ev = one("China accused the United States of spying.")
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("ACCUSE", "China", "United States")
    assert ev["cameo_root"] == "11"


def test_reject_points_at_the_name_inside_the_phrase() -> None:
    ev = one("Hamas rejected the Israeli proposal.")
    assert ev["type"] == "REJECT" and ev["actor_text"] == "Hamas"
    assert ev["target_text"] == "Israeli"


def test_threaten_without_coding_the_threatened_strike() -> None:
    ev = one("North Korea threatened South Korea with nuclear strikes.")
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("THREATEN", "North Korea", "South Korea")


def test_conditional_future_attack_is_a_threat() -> None:
    ev = one("Iran said that if Israel strikes its nuclear sites, Iran will attack Tel Aviv.")
    assert ev["type"] == "THREATEN" and ev["actor_text"] == "Iran"


def test_protest_march() -> None:
    ev = one("Thousands of protesters marched against the government in Paris.")
    assert ev["type"] == "PROTEST"
    assert ev["acled_sub_event_type"] == "Peaceful protest"
    assert ev["location"]["name"] == "Paris"


def test_sanction_nominal_with_support_verb() -> None:
    ev = one("The United States imposed new sanctions on Iran.")
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("SANCTION", "United States", "Iran")


def test_mobilize_deploy() -> None:
    ev = one("Russia deployed troops along the border.")
    assert (ev["type"], ev["actor_text"]) == ("MOBILIZE", "Russia")


def test_coerce_arrest() -> None:
    ev = one("Police arrested three journalists in Minsk.")
    assert (ev["type"], ev["mode"]) == ("COERCE", "arrest")
    assert ev["actor_text"] == "Police" and ev["acled_sub_event_type"] == "Arrests"


def test_assault_passive_by_phrase() -> None:
    ev = one("The hospital was attacked by Sudanese paramilitaries.")
    assert ev["type"] == "ASSAULT"
    assert ev["actor_text"] == "Sudanese paramilitaries" and ev["target_text"] == "hospital"


def test_assault_nominal_strike_on_target_with_possessor_actor() -> None:
    ev = one("Ukraine's missile strike on the Black Sea Fleet headquarters in Sevastopol killed 34 officers.")
    assert ev["type"] == "ASSAULT" and ev["mode"] == "heavy-weapons"
    assert ev["actor_text"] == "Ukraine"
    assert "Black Sea Fleet" in ev["target_text"]
    assert ev["location"]["name"] == "Sevastopol"
    assert ev["acled_sub_event_type"] == "Shelling/artillery/missile attack"


def test_nationality_modifier_is_the_actor() -> None:
    ev = one("Israeli airstrikes on Rafah killed 12 people.")
    assert ev["type"] == "ASSAULT" and ev["actor_text"] == "Israeli" and ev["target_text"] == "Rafah"


def test_labour_strike_is_a_protest_not_an_attack() -> None:
    ev = one("Thousands of workers at Samsung went on strike in Seoul.")
    assert (ev["type"], ev["mode"], ev["actor_text"]) == ("PROTEST", "strike", "workers")
    assert not [e for e in code("Rail workers began a general strike on Monday.") if e["type"] == "ASSAULT"]


def test_refusing_a_demand_is_reject() -> None:
    ev = one("The governor did not accede to the protesters' demands.")
    assert (ev["type"], ev["target_text"], ev["negated"]) == ("REJECT", "protesters", False)


def test_tear_gas_is_coercion_and_drones_bring_their_owner() -> None:
    assert one("Police fired tear gas at protesters in Tbilisi.")["type"] == "COERCE"
    ev = one("Russian drones attacked the port of Odesa overnight.")
    assert (ev["type"], ev["actor_text"]) == ("ASSAULT", "Russian")


def test_shooting_down_drones_is_not_an_attack() -> None:
    assert code("Ukraine's air force shot down 20 drones.") == []


# ------------------------------------------------------------------ modality

def test_negated_event_is_flagged() -> None:
    ev = one("Putin did not meet with Erdogan.")
    assert ev["type"] == "CONSULT" and ev["negated"] is True


@pytest.mark.parametrize("text", [
    "Russia could attack Poland.",
    "If Iran attacks Israel, oil prices will rise.",
    "Will China invade Taiwan?",
    "Analysts fear that Serbia might attack Kosovo.",
])
def test_hypotheticals_and_questions_are_not_events(text: str) -> None:
    assert code(text) == []


def test_future_cooperation_is_agree() -> None:
    ev = one("Germany will send tanks to Ukraine.")
    assert ev["type"] == "AGREE" and ev["actor_text"] == "Germany" and ev["target_text"] == "Ukraine"


def test_vow_to_veto_is_no_agreement() -> None:
    assert code("The president has vowed to veto the law.") == []


def test_would_not_withdraw_is_nothing_announced() -> None:
    assert code("The prime minister said he would not withdraw the bill.") == []


def test_future_attack_is_not_coded() -> None:
    assert code("Russia will attack Kyiv.") == []


def test_pledge_to_provide_is_one_agree_with_the_inner_target() -> None:
    ev = one("Britain pledged to provide more ammunition to Ukraine.")
    assert ev["type"] == "AGREE" and ev["actor_text"] == "Britain" and ev["target_text"] == "Ukraine"


def test_no_event_without_an_actor() -> None:
    assert code("Dozens were killed in the explosion.") == []


# ------------------------------------------------------------------ links: dates, figures, claims, places

def test_date_from_the_clause_timex_else_publication_day() -> None:
    text = "Russia accused Ukraine of sabotage on Tuesday. Poland criticized Belarus."
    s = text.index("on Tuesday")
    timexes = [{"text": "on Tuesday", "start": "2024-03-12", "end": "2024-03-12", "precision": "day",
                "span": [s, s + len("on Tuesday")]}]
    evs = code(text, timexes=timexes)
    by_actor = {e["actor_text"]: e for e in evs}
    assert by_actor["Russia"]["date"] == {"start": "2024-03-12", "end": "2024-03-12", "precision": "day",
                                          "text": "on Tuesday"}
    assert by_actor["Poland"]["date"]["precision"] == "inferred"
    assert by_actor["Poland"]["date"]["start"] == "2024-03-14"


def test_figures_and_claim_of_the_sentence_are_linked() -> None:
    text = "Officials said Syrian forces attacked the town of Idlib, killing 12 civilians."
    s = text.index("12 civilians")
    figures = [{"id": "f1", "text": "12 civilians", "value": 12, "unit": "civilians", "kind": "killed",
                "span": [s, s + len("12 civilians")]}]
    c0 = text.index("Syrian")
    claims = [{"id": "c1", "text": text[c0:-1], "span": [c0, len(text) - 1], "source": None}]
    ev = one(text, figures=figures, claims=claims)
    assert ev["type"] == "ASSAULT" and ev["figures"] == ["f1"] and ev["claim"] == "c1"


def test_actor_entity_id_comes_from_entities_section() -> None:
    text = "Hungary blocked the sanctions. Hungary criticized Brussels."
    ents = [{"id": "e1", "name": "Hungary", "type": "GPE", "aliases": [], "titles": [], "affiliation": None,
             "mentions": [[0, 7], [31, 38]]}]
    evs = code(text, entities=ents)
    assert evs and all(e["actor"] == "e1" for e in evs)


def test_same_event_twice_is_one_event() -> None:
    text = ("Russia accused Britain of sabotage. "
            "In Moscow, Russia also accused Britain of sabotage, officials said.")
    evs = [e for e in code(text) if e["type"] == "ACCUSE"]
    assert len(evs) == 1


def test_pronoun_subject_takes_the_previous_subject() -> None:
    evs = code("The Taliban seized the district. They also attacked a police post.")
    assault = [e for e in evs if e["type"] == "ASSAULT"]
    assert assault and assault[0]["actor_text"] == "Taliban"


# ------------------------------------------------------------------ the seed article

def test_seed_article_events(seed_record: dict) -> None:
    text = seed_record["article"]["text"]
    evs = seed_record["events"]
    assert [e["id"] for e in evs] == [f"v{i}" for i in range(1, len(evs) + 1)]
    for e in evs:
        s, t = e["span"]
        assert 0 <= s < t <= len(text)
        assert e["type"] in {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                             "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
        assert e["actor_text"]
    kinds = {(e["type"], e["actor_text"].split()[-1]) for e in evs}
    assert ("CONSULT", "Stoltenberg") in kinds
    assert ("ACCUSE", "Russia") in kinds
    assault = [e for e in evs if e["type"] == "ASSAULT" and e["actor_text"] == "Ukraine"]
    assert assault and assault[0]["date"]["start"] == "2023-09-18"  # "last week's missile strike"


def test_preposition_on_the_object_gives_the_target() -> None:
    ev = one("Algeria, which cut diplomatic ties with Rabat in 2021, reopened its airspace.")
    assert (ev["type"], ev["mode"]) == ("SANCTION", "break-relations")
    assert (ev["actor_text"], ev["target_text"]) == ("Algeria", "Rabat")


def test_a_meeting_needs_two_sides() -> None:
    assert code("The envoy was met at the airport.") == []
    ev = one("The foreign ministers met in Cairo on Wednesday.")
    assert ev["type"] == "CONSULT" and ev["target_text"] is None
