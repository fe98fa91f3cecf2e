"""Claims stage: attribution forms, sources and evidential status on sentences written for these tests,
plus the seed article's three flagged claims."""

from __future__ import annotations

import pytest

from newsledger import data
from newsledger.analysis import claims, language
from newsledger.record import new_record


def claims_of(text: str) -> list[dict]:
    """Run the claims stage alone on ``text`` (no entities or quotes: tests this stage in isolation)."""
    paras, pos = [], 0
    for block in text.split("\n\n"):
        paras.append([pos, pos + len(block)])
        pos += len(block) + 2
    rec = new_record({"text": text, "paragraphs": paras})
    claims.run(rec, language.parse(text))
    for c in rec["claims"]:
        assert text[c["span"][0]:c["span"][1]] == c["text"]
    return rec["claims"]


def only(text: str) -> dict:
    found = claims_of(text)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ attribution forms

def test_said_that_clause_is_the_claim_without_attribution_words() -> None:
    c = only("The health ministry said that 12 people were killed in the shelling of the market.")
    assert c["text"] == "12 people were killed in the shelling of the market"
    assert c["source_text"] == "The health ministry"
    assert c["cue"] == "said" and c["status"] == "asserted" and c["status_cue"] is None


def test_told_and_trailing_said() -> None:
    c = only("The mayor told reporters the bridge would reopen next month.")
    assert c["text"] == "the bridge would reopen next month" and c["source_text"] == "The mayor"
    c = only("The bridge will reopen next month, the mayor said.")
    assert c["text"] == "The bridge will reopen next month" and c["source_text"] == "the mayor"


def test_according_to_before_and_after() -> None:
    c = only("According to the port authority, three ships were damaged in the storm.")
    assert c["text"] == "three ships were damaged in the storm" and c["source_text"] == "the port authority"
    c = only("Three ships were damaged in the storm, according to the port authority.")
    assert c["text"] == "Three ships were damaged in the storm"


def test_accused_of_keeps_the_object_clause() -> None:
    c = only("The government accused the rebel commanders of shelling the hospital on Sunday.")
    assert c["text"].startswith("the rebel commanders of shelling the hospital")
    assert c["cue"] == "accused" and c["source_text"] == "The government"


def test_unnamed_officials_have_no_entity() -> None:
    c = only("Officials said the fire started in a warehouse near the station.")
    assert c["source"] is None and c["source_text"] == "Officials"


def test_claim_inside_a_direct_quote_is_left_to_quotes() -> None:
    assert claims_of('The general said: "Our troops will hold the city until the spring."') == []
    # a partial quote inside reported speech is still a claim
    c = only('The general said his troops would hold the city "until the spring".')
    assert c["text"].startswith("his troops would hold the city")


def test_claim_stays_in_its_paragraph() -> None:
    found = claims_of("The storm flooded two villages.\n\nThe governor said the army would help clean up.")
    assert [c["text"] for c in found] == ["the army would help clean up"]


def test_pronoun_source_resolves_to_earlier_name() -> None:
    found = claims_of("Ukraine said the strike hit a depot near the border. "
                      "But it also claimed to have destroyed two Russian helicopters.")
    assert len(found) == 2
    assert found[1]["source_text"] == "Ukraine"


# ------------------------------------------------------------------ status: unverified

@pytest.mark.parametrize("sentence, cue", [
    ("The army said without providing evidence that 40 fighters had been killed in the raid.",
     "without providing evidence"),
    ("Unconfirmed news reports said the minister had resigned over the scandal.", "Unconfirmed"),
    ("The militia claimed to have shot down a military helicopter near the airport.", "claimed to"),
    ("Police said the suspect had allegedly bought the explosives online.", "allegedly"),
    ("The group said it had planted bombs at the station. The claim could not be independently verified.",
     "could not be independently verified"),
])
def test_unverified(sentence: str, cue: str) -> None:
    c = claims_of(sentence)[0]
    assert c["status"] == "unverified"
    assert c["status_cue"].lower() == cue.lower()


def test_having_evidence_is_not_unverified() -> None:
    c = only("The ministry said it had evidence that the rebels fired first.")
    assert c["status"] == "asserted" and c["status_cue"] is None


def test_unverified_cue_of_the_next_claim_does_not_leak_back() -> None:
    found = claims_of("The mayor said the water was safe to drink. "
                      "The opposition said without providing evidence that the wells were poisoned.")
    assert [c["status"] for c in found] == ["asserted", "unverified"]


# ------------------------------------------------------------------ status: denied

def test_denied_by_another_party() -> None:
    found = claims_of("Rebel leaders said their fighters had captured the northern airport on Monday. "
                      "The army denied that rebels had captured the airport.")
    assert found[0]["status"] == "denied" and found[0]["status_cue"] == "denied"
    assert len(found) == 1  # the denial restates the claim: not a second claim


def test_dismissed_the_claim_as_false() -> None:
    found = claims_of("Opposition groups said the election had been rigged in three provinces. "
                      "The electoral commission dismissed the claim as baseless.")
    assert found[0]["status"] == "denied" and found[0]["status_cue"] == "dismissed the claim as baseless"


def test_did_not_deny_is_not_denied() -> None:
    found = claims_of("Witnesses said soldiers had entered the village at dawn. "
                      "The ministry did not deny that soldiers had entered the village.")
    assert all(c["status"] == "asserted" for c in found)


def test_rejecting_a_plan_is_not_denying_a_claim() -> None:
    found = claims_of("The union said the strike would go ahead on Monday. The company rejected the new pay plan.")
    assert found[0]["status"] == "asserted"


# ------------------------------------------------------------------ status: contradicted

def test_killed_then_shown_alive_is_contradicted() -> None:
    found = claims_of("The rebels said they had killed General Ivan Petrov in an ambush. "
                      "Petrov appeared on state television on Friday speaking with reporters.")
    c = found[0]
    assert c["status"] == "contradicted"
    s, e = c["contradicted_by"][0]
    assert "appeared on state television" in c["status_cue"] and s > c["span"][1] and e > s


def test_killed_without_counter_evidence_stays_unflagged() -> None:
    c = only("The rebels said they had killed General Ivan Petrov in an ambush.")
    assert c["status"] == "asserted" and c["contradicted_by"] == []


# ------------------------------------------------------------------ data and seed

def test_cue_lexicons_carry_scope_rules() -> None:
    ev = data.load("evidential.json")
    scopes = {"attribution", "subject", "proposition", "follow"}
    assert ev["unverified"] and all(set(r["scope"]) <= scopes and r["scope"] for r in ev["unverified"])
    assert "say" in data.load("claim_cues.json")["clause_verbs"]


def test_seed_statuses(seed_record: dict) -> None:
    text = seed_record["article"]["text"]
    by_text = {c["text"]: c for c in seed_record["claims"]}
    for c in seed_record["claims"]:
        assert text[c["span"][0]:c["span"][1]] == c["text"]
    killed = by_text["the attack had killed 34 officers and wounded 105 others"]
    assert killed["status"] == "unverified" and "without providing supporting evidence" in killed["status_cue"]
    sokolov = next(c for c in seed_record["claims"] if "Sokolov" in c["text"])
    assert sokolov["status"] == "contradicted" and "shown on Russian state television" in sokolov["status_cue"]
    storm = next(c for c in seed_record["claims"] if c["text"].startswith("Storm Shadow missiles"))
    assert storm["status"] == "unverified" and storm["source"] is None
    assert storm["source_text"] == "Unconfirmed news reports"
    assert sum(c["status"] == "asserted" for c in seed_record["claims"]) >= 5


# ------------------------------------------------------------------ more forms and scope rules

def test_claimed_responsibility_keeps_its_subject() -> None:
    c = only("The Islamic State group has claimed responsibility for the bombing.")
    assert c["text"] == "The Islamic State group has claimed responsibility for the bombing"
    assert c["status"] == "asserted"  # claiming responsibility is not the doubt-marking "claimed that"


def test_source_found_through_a_participle() -> None:
    c = only("The senator posted a message on Twitter blaming the governor for the blackout.")
    assert c["text"] == "the governor for the blackout" and c["source_text"] == "The senator"


def test_report_of_a_report_keeps_the_inner_claim() -> None:
    c = only("The interior minister told parliament that the suspect had acted alone, "
             "according to a transcript seen by the newspaper.")
    assert c["text"] == "the suspect had acted alone" and c["source_text"] == "The interior minister"


def test_trailing_despite_clause_is_not_part_of_the_claim() -> None:
    found = claims_of("Investigators say they have found no trace of explosives despite a website claiming "
                      "that a bomb was hidden in the basement.")
    assert found[0]["text"] == "they have found no trace of explosives"
    assert found[0]["status"] == "asserted"


def test_figures_sentence_flags_the_claim_with_the_number() -> None:
    found = claims_of("Hamas said an Israeli strike killed 12 people in Gaza City. "
                      "Israel said it had targeted a weapons depot. The figures could not be independently verified.")
    assert [c["status"] for c in found] == ["unverified", "asserted"]


def test_rejected_accusations_go_to_the_accusation() -> None:
    found = claims_of("The mayor said the new bridge would open in May. "
                      "Ukraine accused Russia of shelling the nuclear plant. Moscow rejected the accusations as lies.")
    assert [c["status"] for c in found] == ["asserted", "denied"]


def test_contradicted_by_names_the_claim_carrying_the_evidence() -> None:
    found = claims_of("State media reported that rebel commander Abu Omar had been killed in an air strike. "
                      "A day later, Abu Omar appeared in a video posted online, saying he was alive and well.")
    killed = found[0]
    alive = next(c for c in found if c["text"] == "he was alive and well")
    assert killed["status"] == "contradicted" and killed["contradicted_by"] == [alive["id"]]


def test_called_the_allegations_baseless_denies() -> None:
    found = claims_of("Opposition leaders said the vote had been rigged in three provinces. "
                      "The election commission called the allegations baseless.")
    assert found[0]["status"] == "denied" and found[0]["status_cue"] == "called the allegations baseless"


def test_said_the_reports_were_false_denies_and_stays_a_claim() -> None:
    found = claims_of("Rebels said they had captured the town of Kafr Nabl. "
                      "A government spokesman said the reports were false.")
    assert [c["status"] for c in found] == ["denied", "asserted"]
    assert found[0]["status_cue"] == "the reports were false"


def test_quoted_as_saying_names_the_speaker() -> None:
    c = only("The minister was quoted as saying that the talks had collapsed.")
    assert c["source_text"] == "The minister" and c["text"] == "the talks had collapsed"


def test_unable_to_verify_in_the_next_sentence() -> None:
    c = claims_of("Residents said troops had looted shops. AP was unable to independently verify the accounts.")[0]
    assert c["status"] == "unverified" and c["status_cue"] == "unable to independently verify"


def test_bare_reports_suggesting_are_unverified() -> None:
    c = only("Some reports suggest a deliberate criminal act.")
    assert c["text"] == "Some reports suggest a deliberate criminal act"
    assert c["status"] == "unverified" and c["source"] is None


def test_claimed_the_lives_is_not_a_claim() -> None:
    assert claims_of("The earthquake claimed the lives of at least 20 people in the mountain villages.") == []


def test_figure_refuted_by_official_data_is_contradicted() -> None:
    found = claims_of("The rebels said 12 soldiers were killed in the ambush. "
                      "Hospital records later showed that 40 soldiers died.")
    assert found[0]["status"] == "contradicted"
    assert found[0]["status_cue"] == "Hospital records later showed that 40 soldiers died"


def test_figure_matching_official_data_stays_asserted() -> None:
    found = claims_of("Officials said five people were killed in the blast. "
                      "The official death toll released on Friday stood at five.")
    assert found[0]["status"] == "asserted"


def test_wire_dateline_is_not_part_of_the_claim() -> None:
    c = only("KYIV, Ukraine (AP) — Russian forces launched a wave of drone attacks overnight, officials said Friday.")
    assert c["text"] == "Russian forces launched a wave of drone attacks overnight"


def test_dismissed_reports_that_p_makes_a_denied_claim_of_the_reports() -> None:
    found = claims_of("Kremlin spokesman Dmitry Peskov told reporters that the West was fueling the conflict. "
                      "He dismissed reports that Russia was preparing a new offensive as speculation.")
    assert [(c["text"], c["status"]) for c in found] == [
        ("the West was fueling the conflict", "asserted"),
        ("Russia was preparing a new offensive", "denied")]
    assert found[1]["source"] is None and found[1]["source_text"] == "reports"


def test_condition_of_anonymity_is_unverified() -> None:
    c = only("Western officials, speaking on condition of anonymity, said Russia had lost 300,000 troops.")
    assert c["status"] == "unverified" and c["status_cue"] == "anonymity"


def test_a_charge_rejected_in_a_relative_clause() -> None:
    c = only("China's foreign ministry accused the United States of interfering in its internal affairs, "
             "a charge Washington rejected.")
    assert c["status"] == "denied" and c["status_cue"] == "rejected"


def test_disputed_that_account() -> None:
    found = claims_of("The police chief insisted his officers had acted lawfully, but witnesses disputed that account.")
    assert found[0]["text"] == "his officers had acted lawfully" and found[0]["status"] == "denied"


# ------------------------------------------------------------------ issue 13: every form of reported speech

def full(*paragraphs: str) -> dict:
    """Entities, quotes and claims on paragraphs written for these tests (the stages as the pipeline runs them)."""
    from newsledger.analysis import entities, quotes
    from newsledger.article import join_paragraphs

    text, spans = join_paragraphs(list(paragraphs))
    rec = new_record({"text": text, "paragraphs": spans})
    doc = language.parse(text)
    entities.run(rec, doc)
    quotes.run(rec, doc)
    claims.run(rec, doc)
    return rec


def source_name(rec: dict, claim: dict) -> str | None:
    ent = next((e for e in rec["entities"] if e["id"] == claim["source"]), None)
    return ent["name"] if ent else None


def claim_starting(rec: dict, start: str) -> dict:
    hits = [c for c in rec["claims"] if c["text"].startswith(start)]
    assert len(hits) == 1, [c["text"] for c in rec["claims"]]
    return hits[0]


def test_quoted_statement_is_a_claim_of_the_quote_speaker() -> None:
    rec = full("Mayor Ingrid Solheim toured the flooded streets on Monday.",
               "“The river rose two metres overnight. We had never seen the Glomma move that fast,” Solheim said.")
    c = claim_starting(rec, "The river rose two metres overnight")
    assert source_name(rec, c) == "Ingrid Solheim" and c["status"] == "asserted"
    assert "We had never seen" not in c["text"]  # one claim per quoted sentence
    claim_starting(rec, "We had never seen the Glomma move that fast")


def test_quoted_hypotheticals_and_unnamed_generalities_are_not_claims() -> None:
    rec = full("“The government could still save the factory,” said union leader Petra Novak.",
               "“People are tired,” Novak added.")
    assert rec["claims"] == [], [c["text"] for c in rec["claims"]]


def test_quoted_questions_thanks_and_sympathy_are_not_claims() -> None:
    rec = full("“Why did nobody warn the villages?” asked Ahmed Karimi, a farmer.",
               "“Thank you to every volunteer who came,” Karimi said. “Our thoughts are with the families.”",
               "“I pray for the missing fishermen,” he added.")
    assert rec["claims"] == [], [c["text"] for c in rec["claims"]]


def test_reportedly_and_is_reported_to_are_claims_of_reports() -> None:
    rec = full("The gunman reportedly fired more than thirty shots inside the market.",
               "The convoy is reported to have crossed the border at night.")
    a = claim_starting(rec, "The gunman")
    b = claim_starting(rec, "The convoy is reported to have crossed")
    assert a["source"] is None and a["source_text"] == "reports" and b["source_text"] == "reports"


def test_attack_reportedly_carried_out_is_a_description_not_a_claim() -> None:
    rec = full("Dozens died in the blast, reportedly carried out by a local militia.")
    assert not [c for c in rec["claims"] if c["source_text"] == "reports"]


def test_pronoun_source_agrees_in_gender() -> None:
    rec = full("Prime Minister Helen Marsh met the union leader Thomas Berg on Monday.",
               "He said the dock strike would continue until Christmas.")
    c = claim_starting(rec, "the dock strike would continue")
    assert source_name(rec, c) == "Thomas Berg"


def test_role_noun_source_points_back_to_the_person() -> None:
    rec = full("Jonas Lindqvist, the defence minister, visited the northern base on Friday.",
               "Later the minister said more troops would arrive in the spring.")
    c = claim_starting(rec, "more troops would arrive")
    assert source_name(rec, c) == "Jonas Lindqvist"


def test_unnamed_source_gets_an_entity_of_its_own() -> None:
    rec = full("President Laura Chen arrived in Nairobi on Tuesday.",
               "A senior official said the talks had collapsed overnight.")
    c = claim_starting(rec, "the talks had collapsed")
    ent = next(e for e in rec["entities"] if e["id"] == c["source"])
    assert ent["type"] == "UNNAMED" and ent["name"] == "senior official"


def test_pointed_out_that_is_a_claim_but_pointing_to_is_not() -> None:
    rec = full("The engineer Marta Ruiz pointed out that the dam had never been inspected.",
               "The council pointed to the storm of 2019 as an example of the danger that residents faced.")
    claim_starting(rec, "the dam had never been inspected")
    assert not [c for c in rec["claims"] if "residents faced" in c["text"]]


def test_status_stays_right_for_quote_claims_and_claimed_verbs() -> None:
    rec = full("The rebel commander Yusuf Adan claimed that his fighters had shot down a helicopter.",
               "“We control the whole Jubba valley,” Adan said, without providing evidence.")
    assert claim_starting(rec, "his fighters had shot down")["status"] == "unverified"
    assert claim_starting(rec, "We control the whole Jubba valley")["status"] == "unverified"


def test_relative_pronoun_source_is_the_person_it_describes() -> None:
    rec = full("The talks were hosted by Mayor Grace Ochieng, who said the city would pay for the new clinic.")
    c = claim_starting(rec, "the city would pay for the new clinic")
    assert source_name(rec, c) == "Grace Ochieng"
