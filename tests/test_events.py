"""events stage: PLOVER coding of sentences written for these tests, plus the seed article."""

from __future__ import annotations

from typing import Any

import pytest

from newsledger.analysis import events, language, places
from newsledger.record import entity_by_id, new_record

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

def test_date_from_the_clause_timex_else_paragraph_time_else_present_else_undated() -> None:
    text = "Russia accused Ukraine of sabotage on Tuesday. Poland criticized Belarus."
    s = text.index("on Tuesday")
    timexes = [{"text": "on Tuesday", "start": "2024-03-12", "end": "2024-03-12", "precision": "day",
                "span": [s, s + len("on Tuesday")]}]
    evs = code(text, timexes=timexes)
    by_actor = {e["actor_text"]: e for e in evs}
    assert by_actor["Russia"]["date"] == {"start": "2024-03-12", "end": "2024-03-12", "precision": "day",
                                          "text": "on Tuesday"}
    # a past-tense clause without a time continues the paragraph's narrative time
    assert by_actor["Poland"]["date"]["start"] == "2024-03-12" and by_actor["Poland"]["date"]["inherited"]
    # the present tense happens now: the publication day, marked as inferred
    now = one("Poland urges Belarus to open the border.")
    assert (now["date"]["start"], now["date"]["precision"]) == ("2024-03-14", "inferred")
    # a past event that nothing dates stays undated, never the publication day
    past = one("Poland criticized Belarus.")
    assert past["date"]["start"] is None


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


# ------------------------------------------------------------------ one sentence per PLOVER type, actor and target
# Sentences written for these tests; each names its actor and target as a reader would code them.

ONE_SENTENCE = [
    ("AGREE", "Kenya", "Uganda", "Kenya signed a trade agreement with Uganda on Monday."),
    ("CONSULT", "Macron", "Scholz", "French President Emmanuel Macron held talks with Olaf Scholz in Paris."),
    ("SUPPORT", "Obama", "Harris", "Former president Barack Obama endorsed his party's nominee, Kamala Harris."),
    ("CONCEDE", "Venezuela", "American", "Venezuela freed six American prisoners."),
    ("CONCEDE", "Clegg", "voters", "Nick Clegg apologised to voters for the broken pledge."),
    ("COOPERATE", "Norway", "Sweden", "Norway partnered with Sweden on Arctic research."),
    ("AID", "World Bank", "Ghana", "The World Bank lent $300 million to Ghana."),
    ("RETREAT", "Kamala Harris", None, "Senator Kamala Harris dropped out of the presidential race."),
    ("RETREAT", "Theresa May", None, "Theresa May resigned as prime minister."),
    ("REQUEST", "Guterres", "Israel", "UN Secretary-General Antonio Guterres called on Israel to halt the demolitions."),
    ("REQUEST", "Pelosi", "Trump", "Nancy Pelosi told Donald Trump to reopen the government."),
    ("ACCUSE", "Amnesty International", "Egypt", "Amnesty International condemned Egypt for the arrests."),
    ("ACCUSE", "prosecutors", "Smith", "Federal prosecutors charged John Smith with fraud."),
    ("REJECT", "Hungary", "European Commission", "Hungary rejected the European Commission's proposal."),
    ("THREATEN", "Erdogan", "Greece", "Turkish President Recep Erdogan threatened Greece with military action."),
    ("PROTEST", "protesters", "parliament", "Thousands of protesters gathered outside the parliament in Tbilisi."),
    ("SANCTION", "Canada", "Russia", "Canada imposed sanctions on Russia over the annexation."),
    ("MOBILIZE", "Russia", "Ukraine", "Russia deployed 100,000 troops against Ukraine."),
    ("COERCE", "police", "Navalny", "Russian police arrested opposition leader Alexei Navalny in Moscow."),
    ("COERCE", "court", "Meta", "A Dutch court ordered Meta to pay damages to the users."),
    ("COERCE", "police", "Jones", "Mark Jones was arrested by police in Leeds."),
    ("ASSAULT", "Boko Haram", "Maiduguri", "Boko Haram militants attacked Maiduguri on Sunday."),
    ("ASSAULT", "man", "Rushdie", "A man stabbed Salman Rushdie on stage in New York."),
]


@pytest.mark.parametrize(("etype", "actor", "target", "text"), ONE_SENTENCE)
def test_one_sentence_per_type(etype: str, actor: str, target: str | None, text: str) -> None:
    evs = code(text)
    got = [(e["type"], e["actor_text"], e["target_text"]) for e in evs]
    assert any(e["type"] == etype and actor.lower() in (e["actor_text"] or "").lower()
               and (target is None or target.lower() in (e["target_text"] or "").lower()) for e in evs), got


def test_every_plover_type_has_a_one_sentence_test() -> None:
    assert {t for t, *_ in ONE_SENTENCE} == set(events.lexicon()["cameo_root"])


def test_common_noun_target_that_names_no_party_is_dropped() -> None:
    # "the proceedings" is no party; with no act told before it, the accusation has no target and is not coded
    assert code("The archbishop criticised the proceedings.") == []
    # a role noun or a party noun stays ("the network", "suspected users")
    ev = one("The regulator ordered the network to stop broadcasting.")
    assert (ev["type"], ev["target_text"]) == ("COERCE", "network")


def test_the_move_points_at_the_author_of_the_act_told_before() -> None:
    evs = code("Germany banned Iranian airline Mahan Air on Monday. Iran condemned the move.")
    acc = [e for e in evs if e["type"] == "ACCUSE"]
    assert acc and acc[0]["actor_text"] == "Iran" and acc[0]["target_text"] == "Germany"


def test_pronoun_actor_goes_through_the_shared_resolver() -> None:
    text = "Angela Merkel arrived in Rome on Friday. She criticised Italy over its budget."
    ents = [{"id": "e1", "name": "Angela Merkel", "type": "PERSON", "aliases": [], "titles": [], "affiliation": None,
             "mentions": [[0, 13]]},
            {"id": "e2", "name": "Italy", "type": "GPE", "aliases": [], "titles": [], "affiliation": None,
             "mentions": [[text.index("Italy"), text.index("Italy") + 5]]}]
    ev = next(e for e in code(text, entities=ents) if e["type"] == "ACCUSE")
    assert (ev["actor"], ev["target"]) == ("e1", "e2")


def test_charge_needs_a_crime_and_tell_needs_an_infinitive() -> None:
    assert code("The company charged customers a fee.") == []
    assert [e["type"] for e in code("The minister told reporters that the talks had failed.")] == []


def test_ending_a_campaign_is_a_retreat_and_coordinated_actors_each_retreat() -> None:
    ev = one("Michael Bloomberg ended his campaign on Wednesday.")
    assert (ev["type"], ev["actor_text"]) == ("RETREAT", "Michael Bloomberg")


def test_a_quoted_label_is_an_accusation_an_unquoted_one_is_not() -> None:
    ev = one('The senator described Donald Trump as "a disgrace".')
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("ACCUSE", "senator", "Donald Trump")
    assert code("Critics called him a hero.") == []


def test_the_agreement_points_at_the_parties_that_made_it() -> None:
    text = ("Turkey and Libya signed a maritime agreement in November. Diplomats met in Cairo on Wednesday. "
            'Greece called the agreement "null and void".')
    acc = [e for e in code(text) if e["type"] == "ACCUSE"]
    assert acc and acc[0]["actor_text"] == "Greece" and acc[0]["target_text"] == "Turkey"


def test_a_date_inside_a_noun_phrase_is_no_narrative_time() -> None:
    text = "The November 27 agreement angered Athens. Greece expelled the Libyan ambassador."
    s = text.index("November 27")
    timexes = [{"text": "November 27", "start": "2023-11-27", "end": "2023-11-27", "precision": "day",
                "span": [s, s + len("November 27")]}]
    ev = next(e for e in code(text, timexes=timexes) if e["type"] == "SANCTION")
    assert ev["date"]["start"] is None


def test_request_for_a_partys_action_and_a_seconded_call() -> None:
    evs = code("On Thursday, Macron called for G7 action. The call was quickly seconded by Angela Merkel.")
    got = {(e["type"], e["actor_text"], e["target_text"]) for e in evs}
    assert ("REQUEST", "Macron", "G7") in got  # "On Thursday" is no one called on
    assert ("SUPPORT", "Angela Merkel", "Macron") in got  # the call is Macron's


def test_actor_of_a_gerund_after_an_adjective() -> None:
    ev = one("The United States was more forceful in blaming Iran for the attack.")
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("ACCUSE", "United States", "Iran")


def test_withdrawing_a_nomination_targets_the_nominee_and_forces_of_nature_are_no_actor() -> None:
    ev = one("The party withdrew the nomination of Princess Ubonrat on Friday.")
    assert (ev["type"], ev["target_text"]) == ("RETREAT", "Princess Ubonrat")
    assert code("Wildfires destroying the Amazon rainforest alarmed Macron.") == []


def test_a_refusal_needs_someone_refused() -> None:
    assert code("The minister refused to comment.") == []


def test_an_allegation_targets_the_one_alleged_against() -> None:
    ev = one("Activists alleged that the police had beaten detainees.")
    assert (ev["type"], ev["actor_text"], ev["target_text"]) == ("ACCUSE", "Activists", "police")


def test_a_planned_time_is_no_narrative_time() -> None:
    text = "The summit was scheduled to meet this weekend. Merkel backed Macron."
    s = text.index("this weekend")
    timexes = [{"text": "this weekend", "start": "2024-03-16", "end": "2024-03-17", "precision": "week",
                "span": [s, s + len("this weekend")]}]
    ev = next(e for e in code(text, timexes=timexes) if e["type"] == "SUPPORT")
    assert ev["date"]["start"] is None


# ------------------------------------------------------------------ speech acts with no trigger verb

def _full(text: str) -> list[dict[str, Any]]:
    """The whole pipeline: speech events read the quotes and claims (and their speakers) of the record."""
    from newsledger import pipeline
    from newsledger.read import Document
    return pipeline.extract(Document(text=text, source="test"), published=PUBLISHED)["events"]


def test_criticism_voiced_as_a_quoted_label_is_an_accuse() -> None:
    evs = _full('Opposition leader Jeremy Corbyn said Boris Johnson\'s plan was "a dangerous and irresponsible ploy".')
    assert [(e["type"], e["actor_text"], e["target_text"]) for e in evs] == [("ACCUSE", "Jeremy Corbyn", "Boris Johnson")]


def test_a_quoted_verdict_on_a_party_s_act_accuses_that_party() -> None:
    evs = _full('"The Kremlin\'s decision is an outrage," said Foreign Minister Annalena Baerbock.')
    assert [(e["type"], e["actor_text"], e["target_text"]) for e in evs] == [("ACCUSE", "Annalena Baerbock", "Kremlin")]


def test_a_demand_voiced_as_speech_is_a_request() -> None:
    evs = _full('"Russia must withdraw its troops from Ukraine," said French President Emmanuel Macron.')
    assert [(e["type"], e["actor_text"], e["target_text"]) for e in evs] == [("REQUEST", "Emmanuel Macron", "Russia")]


def test_a_negated_judgement_accuses_no_one() -> None:
    assert _full('"Russia\'s move is not illegal," said President Emmanuel Macron.') == []


# ------------------------------------------------------------------ passives with no by-phrase

def _roles(evs: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(e["type"], e["actor_text"], e["target_text"]) for e in evs]


def test_a_passive_order_takes_the_court_of_the_sentence_before() -> None:
    evs = _full("The Vienna court ruled against the company on Monday. Facebook was ordered to remove the post.")
    assert ("COERCE", "Vienna court", "Facebook") in _roles(evs)


def test_a_passive_arrest_takes_the_police_of_its_sentence() -> None:
    evs = _full("Police in Gdansk said on Monday that the attacker, Stefan Wilmont, was detained at the scene.")
    assert ("COERCE", "Police", "Stefan Wilmont") in _roles(evs)


def test_a_court_in_another_paragraph_gives_no_actor() -> None:
    assert _full("The court ruled against the company on Monday.\n\nFacebook was ordered to remove the post.") == []


def test_an_authority_that_is_the_agent_of_another_act_is_no_arrester() -> None:
    evs = _full("Abuse was perpetrated by church authorities, and Cardinal John Smith was convicted in 2019.")
    assert not [e for e in evs if e["type"] == "COERCE"]


def test_thanks_are_courtesy_not_support() -> None:
    assert code("Mayor Henrik Dahl thanked the firefighters of Gdansk on Monday.") == []


def test_a_passive_condemnation_in_a_statement_by_a_party() -> None:
    ev = code("Turkey was condemned in a joint statement by Egypt on Tuesday.")
    assert _roles(ev) == [("ACCUSE", "Egypt", "Turkey")]


def test_a_coordinated_passive_shares_the_subject_as_target() -> None:
    evs = code("Turkey is already under sanctions, and was condemned by Egypt on Tuesday.")
    assert ("ACCUSE", "Egypt", "Turkey") in _roles(evs)


def test_despite_criticism_by_y_is_y_accusing_the_subject() -> None:
    evs = code("Erdogan announced the change on Friday, despite criticism by the Greek foreign minister George Katrougalos.")
    acc = [e for e in evs if e["type"] == "ACCUSE"]
    assert [(e["actor_text"], e["target_text"]) for e in acc] == [("George Katrougalos", "Erdogan")]
    assert acc[0]["date"]["start"] is None  # the criticism came before Friday's announcement


def test_a_role_noun_target_is_the_person_named_in_that_role() -> None:
    from newsledger import pipeline
    from newsledger.read import Document
    rec = pipeline.extract(Document(text="Police identified the gunman as Marek Nowak, 34, of Gdynia. "
                                    "State prosecutors charged the gunman with murder on Sunday.", source="test"),
                           published=PUBLISHED)
    charge = [e for e in rec["events"] if e["trigger"] == "charged"]
    assert len(charge) == 1 and charge[0]["actor_text"] == "State prosecutors"
    assert (entity_by_id(rec, charge[0]["target"]) or {}).get("name") == "Marek Nowak"


# ------------------------------------------------------------------ refusals

def test_a_refusal_targets_the_one_who_asked() -> None:
    evs = _full("The government asked Judge Gray Miller to delay his ruling, but he declined.")
    assert ("REJECT", "Gray Miller", "government") in _roles(evs)


def test_a_refusal_to_give_targets_the_one_refused() -> None:
    assert _roles(code("The commission refused to provide the network with a licence on Monday.")) == [
        ("REJECT", "commission", "network")]


def test_declining_to_comment_is_no_event() -> None:
    assert code("Asked by reporters, the minister declined to comment.") == []


# ------------------------------------------------------------------ kinds of news sentence, one table

def _roles_ids(text: str) -> list[tuple[str, str | None, str | None]]:
    """(type, actor name, target name) with names read from the record's entities, through the full pipeline."""
    from newsledger import pipeline
    from newsledger.read import Document
    rec = pipeline.extract(Document(text=text, source="test"), published=PUBLISHED)

    def name(eid: str | None, fallback: str | None) -> str | None:
        return (entity_by_id(rec, eid) or {}).get("name") or fallback
    return [(e["type"], name(e["actor"], e["actor_text"]), name(e["target"], e["target_text"])) for e in rec["events"]]


# (kind, sentence, every event coded as (type, actor text, target text)): the places and events stages alone
CODED = [
    ("demand names its content clause's subject", "Student unions demanded that Governor Maria Lopez withdraw the bill.",
     [("REQUEST", "Student unions", "Governor Maria Lopez")]),
    ("approving X's request agrees with X", "King Harald approved Prime Minister Erna Solberg's request to dissolve parliament.",
     [("AGREE", "King Harald", "Prime Minister Erna Solberg")]),
    ("speaking to a named person consults", "Foreign Minister Ana Ruiz spoke to her French counterpart Jean Morel by phone on Tuesday.",
     [("CONSULT", "Foreign Minister Ana Ruiz", "Jean Morel")]),
    ("aid is weapons, not a bill", "Germany sent weapons to Ukraine in March.", [("AID", "Germany", "Ukraine")]),
    ("withdrawal from a treaty leaves its party", "In May, President Alan Ford withdrew Canada from the fisheries treaty with Norway.",
     [("RETREAT", "President Alan Ford", "Norway")]),
    ("what is withdrawn from is no event", "On Monday the Green Party withdrew from backing Senator Jane Holt as its candidate.",
     [("RETREAT", "Green Party", "Senator Jane Holt")]),
    ("writing to X asking asks X", "Chief constable Nick Adams wrote to the French Embassy in London asking to lift the ban.",
     [("REQUEST", "Chief constable Nick Adams", "French Embassy")]),
    ("a bare call to a leader is a phone call", "President Lula called Prime Minister Modi on Sunday to discuss the summit.",
     [("CONSULT", "President Lula", "Modi")]),
    ("a call on is a request, whatever the date", "The UN called on Israel on Sunday to allow aid into Gaza.",
     [("REQUEST", "UN", "Israel")]),
    ("an object makes a reduced relative active", "Israeli airstrikes killed at least 20 people in Gaza on Tuesday, health officials said.",
     [("ASSAULT", "Israeli", "at least 20 people")]),
    ("an actorless passive is a mention of the strike", "At least 12 people were killed when Russian missiles struck an apartment block in Dnipro on Saturday.",
     [("ASSAULT", "Russian", "At least 12 people")]),
    ("opening fire", "Security forces opened fire on demonstrators in Khartoum on Monday, killing three.",
     [("ASSAULT", "Security forces", "demonstrators")]),
    ("a threat targets whom the act would hit", "President Ozturk threatened to block Finland's membership on Monday.",
     [("THREATEN", "President Ozturk", "Finland")]),
    ("a threat on its preposition", "The president threatened to impose tariffs on Mexico.", [("THREATEN", "president", "Mexico")]),
    ("a court bars a candidate", "The Supreme Court barred Maria Rojas from running for office on Friday.",
     [("COERCE", "Supreme Court", "Maria Rojas")]),
    ("releasing kidnapped workers", "The militants released the kidnapped aid workers after two weeks.",
     [("CONCEDE", "militants", "kidnapped aid workers")]),
    ("the tool used is no actor", "Police used tear gas to disperse protesters outside parliament.", [("COERCE", "Police", "protesters")]),
    ("clashed with", "Indian troops clashed with Chinese soldiers in the Galwan valley in 2020.", [("ASSAULT", "Indian troops", "Chinese")]),
    ("clashes between", "Clashes between police and protesters erupted in Dhaka on Sunday.", [("ASSAULT", "police", "protesters")]),
    ("a nominal withdrawal's from-phrase", "France's withdrawal from Mali was completed in August.", [("RETREAT", "France", "Mali")]),
    ("the target on the participle's agent", "The sanctions imposed by the EU on Belarus took effect on Monday.", [("SANCTION", "EU", "Belarus")]),
    ("accusing politicians", "The minister accused opposition politicians of paying young people to riot.",
     [("ACCUSE", "minister", "opposition politicians")]),
    ("a decision taken to sanction is the sanction", "EU leaders agreed on Thursday to impose a new package of sanctions on Russia.",
     [("SANCTION", "EU leaders", "Russia")]),
    ("a vote to sanction", "The Security Council voted to impose sanctions on North Korea.", [("SANCTION", "Security Council", "North Korea")]),
    ("pepper spray on a crowd", "Riot police blocked the avenue and used pepper spray to push back the crowd.", [("COERCE", "Riot police", "crowd")]),
    ("force against demonstrators", "Police used force against demonstrators in Tbilisi.", [("COERCE", "Police", "demonstrators")]),
]


@pytest.mark.parametrize(("kind", "text", "roles"), CODED, ids=[c[0] for c in CODED])
def test_kinds_of_news_sentence_are_coded(kind: str, text: str, roles: list[tuple[str, str, str]]) -> None:
    assert _roles(code(text)) == roles


# (kind, sentence): no event at all
NOTHING = [
    ("speaking to reporters", "The foreign minister spoke to reporters in Madrid on Tuesday."),
    ("telling reporters", "Sophie Marchand told reporters: \"Victims do not have to justify their lives.\""),
    ("sending a bill", "President Ruiz will send a bill to Congress next week."),
    ("agreeing to provide information", "The ministry agreed to provide information to the Census Bureau."),
    ("an election rally", "Thousands attended an election rally held by Governor Lopez in Leon on Friday."),
    ("goals do not act", "One of the stated goals of the treaty is to encourage more trade between members."),
    ("asking for clarification of a law", "The Dutch court referred the case to the tribunal, asking for clarifications of EU law."),
    ("one politician at a rally", "On Friday in Ankara, President Ali Demir spoke at a rally."),
    ("a fire breaking out", "A fire broke out at the market in Kano on Monday."),
    ("barred windows", "The shop had barred windows."),
    ("releasing a statement", "The company released a statement on Monday."),
    ("advice to act", "He advised his brother to attack the guards."),
    ("a decision to come", "The EU will decide next week whether to impose sanctions on Iran."),
    ("using money", "The government used the money to build schools."),
]


@pytest.mark.parametrize(("kind", "text"), NOTHING, ids=[c[0] for c in NOTHING])
def test_kinds_of_news_sentence_code_nothing(kind: str, text: str) -> None:
    assert code(text) == []


def test_a_claim_naming_the_perpetrators_accuses_them() -> None:
    roles = _roles_ids("A car bomb exploded near the market on Sunday. "
                       "General Ramon Cabrera said the Maute Group were the suspected perpetrators.")
    assert ("ACCUSE", "Ramon Cabrera", "Maute Group") in roles


def test_behind_and_responsible_for_blame_but_a_responsible_government_does_not() -> None:
    assert ("ACCUSE", "Interior Ministry", "Taliban") in _roles_ids(
        "The Interior Ministry said the Taliban were responsible for the bombing.")
    assert [r for r in _roles_ids("Governor Ali Rahimi said a responsible government would act.") if r[0] == "ACCUSE"] == []


def test_this_in_a_judgement_points_at_the_party_the_same_quote_named() -> None:
    roles = _roles_ids('Opposition leader Kemal Kilicdaroglu said: "Erdogan wants to silence the press. That is unacceptable."')
    assert ("ACCUSE", "Kemal Kilicdaroglu", "Erdogan") in roles


def test_the_suspect_is_the_one_the_police_arrested() -> None:
    roles = _roles_ids("A gunman killed six people at a mall in Tampere on Saturday. Police arrested Mark Feldman, 24, "
                       "at the scene. Prosecutors charged the suspect in the shooting with murder on Sunday.")
    assert ("ACCUSE", "Prosecutors", "Mark Feldman") in roles


def test_a_fact_in_a_that_clause_is_no_demand() -> None:
    assert [e for e in code("The unions said that Maria Lopez withdrew the bill.") if e["type"] == "REQUEST"] == []


def test_attacking_a_decision_verbally_is_criticism_of_its_author() -> None:
    evs = code("On Wednesday the senator attacked the decision by President Laura Chen to close the border.")
    assert [(e["type"], e["target_text"]) for e in evs] == [("ACCUSE", "President Laura Chen")]


def test_any_other_country_is_no_one_to_request_of() -> None:
    assert [e for e in code("The minister said: \"We call on any other country that wishes to join us to do so.\"")
            if e["type"] == "REQUEST"] == []


def test_a_crowd_at_a_rally_against_the_government_protests() -> None:
    assert [e["type"] for e in code("Thousands of opposition supporters held a rally against the government in Lima.")] == [
        "PROTEST"]


def test_the_same_words_are_never_both_actor_and_target() -> None:
    assert all((e["actor_text"] or "").lower() != (e["target_text"] or "").lower()
               for e in code("Witnesses said a man injured a man and two women on the high street on Sunday."))


def test_a_past_verb_beside_an_infinitive_belongs_to_the_main_subject() -> None:
    roles = _roles(code("Foreign Minister Ana Ruiz urged the embassy to reconsider and spoke with US Secretary of State "
                        "Mark Hale about the case."))
    assert ("CONSULT", "Foreign Minister Ana Ruiz", "US Secretary of State Mark Hale") in roles


def test_holding_officials_in_contempt_accuses_them_but_holding_talks_does_not() -> None:
    evs = code("The Senate voted on Tuesday to hold Energy Secretary Paul Grant in contempt of Congress.")
    assert [(e["type"], e["target_text"]) for e in evs] == [("ACCUSE", "Energy Secretary Paul Grant")]
    assert all(e["type"] != "ACCUSE" for e in code("The Senate held talks with the unions on Tuesday."))


def test_calling_someone_a_liar_is_an_accusation() -> None:
    assert [r[0] for r in _roles_ids("Trump called Biden a liar on Monday.")] == ["ACCUSE"]


def test_thousands_marching_is_a_protest() -> None:
    assert [(e["type"], e["actor_text"]) for e in code("Thousands marched in Lyon against the pension reform on Saturday.")] == [
        ("PROTEST", "Thousands")]


def test_sending_the_army_is_a_deployment_with_or_without_a_destination() -> None:
    assert [(e["type"], e["actor_text"]) for e in code(
        "Peru's government declared a state of emergency and sent the army into the streets.")] == [
        ("MOBILIZE", "Peru's government")]


def test_a_date_between_the_reporting_verb_and_the_clause_dates_the_report() -> None:
    evs = _full("Israel said on Tuesday it had killed a senior Hamas commander in an airstrike last week.")
    assert [(e["type"], e["date"]["start"], e["date"]["end"]) for e in evs] == [("ASSAULT", "2024-03-04", "2024-03-10")]


def test_a_nominal_withdrawal_from_a_region_names_no_party() -> None:
    assert [(e["type"], e["target_text"]) for e in code("The withdrawal from the region was completed in August.")
            if e["actor_text"]] == []


def test_joining_a_protest_is_protesting() -> None:
    assert [(e["type"], e["target_text"]) for e in code(
        "Thousands of students joined a protest against the government in Belgrade on Friday.")] == [
        ("PROTEST", "government")]


def test_a_place_after_the_head_is_not_the_party() -> None:
    roles = _roles_ids("Witnesses said at least two people were shot dead by the guards in Nairobi on Tuesday.")
    assert [(t, a) for t, a, _ in roles] == [("ASSAULT", "guards in Nairobi")]  # an unnamed party, not the city


def test_the_charge_is_not_part_of_the_accused_and_the_government_called_on_is_not_the_caller_s() -> None:
    roles = _roles_ids("The European Union warned that the bill could derail Georgia's membership bid. U.S. Secretary "
                       "of State Antony Blinken called on the government to withdraw it. Prime Minister Irakli "
                       "Kobakhidze accused the opposition of trying to start a revolution.")
    assert ("REQUEST", "Antony Blinken", "Georgia") in roles
    assert ("ACCUSE", "Irakli Kobakhidze", "opposition") in roles


def test_an_attack_on_a_facility_in_a_country_hits_that_country_but_a_city_stays_a_place() -> None:
    evs = code("The Houthis carried out an attack on oil infrastructure in Saudi Arabia.")
    assert [(e["type"], e["target_text"].endswith("Saudi Arabia")) for e in evs] == [("ASSAULT", True)]
    evs = code("Rebels attacked a school in Kaduna on Sunday.")
    assert [(e["type"], e["target_text"]) for e in evs] == [("ASSAULT", "school")]
