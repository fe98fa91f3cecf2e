"""Quotes stage on short articles written for these tests (not from the dev set)."""

from __future__ import annotations

import pytest

from newsledger.analysis import entities, language, quotes
from newsledger.article import join_paragraphs
from newsledger.record import entity_by_id, new_record


def analyse(*paragraphs: str) -> dict:
    """A record with entities and quotes for paragraphs joined as an article body."""
    text, spans = join_paragraphs(list(paragraphs))
    rec = new_record({"text": text, "paragraphs": spans})
    doc = language.parse(text)
    entities.run(rec, doc)
    quotes.run(rec, doc)
    return rec


def speaker_name(rec: dict, quote: dict) -> str | None:
    ent = entity_by_id(rec, quote["speaker"])
    return ent["name"] if ent else None


def by_text(rec: dict, start: str) -> dict:
    hits = [q for q in rec["quotes"] if q["text"].startswith(start)]
    assert len(hits) == 1, [q["text"] for q in rec["quotes"]]
    return hits[0]


@pytest.fixture(scope="module")
def council() -> dict:
    return analyse(
        "Mayor Maria Lopez visited the flooded district of Valencia on Tuesday with two ministers.",
        "“The water came in within minutes and people had nowhere to go,” she said. “We will rebuild every house.”",
        "Opposition leader Daniel Ortega Ruiz said the warnings had come too late. “The city knew about the risk "
        "for years,” Ortega Ruiz told reporters. But Lopez disagreed: “Nobody could have predicted this much rain.”",
        "Posters reading “bring the money home” were seen on several walls, and some residents called the plan "
        "a “disaster”.",
    )


def test_offsets_and_marks(council: dict) -> None:
    text = council["article"]["text"]
    for q in council["quotes"]:
        s, e = q["span"]
        assert text[s:e] == q["text"]
        assert not q["text"].startswith(("“", '"')) and not q["text"].endswith(("”", '"'))
    assert [q["id"] for q in council["quotes"]] == [f"q{i}" for i in range(1, len(council["quotes"]) + 1)]


def test_pronoun_speaker_and_continuation(council: dict) -> None:
    q1 = by_text(council, "The water came in")
    q2 = by_text(council, "We will rebuild")
    assert speaker_name(council, q1) == "Maria Lopez" and q1["speaker_text"] == "she" and q1["cue"] == "say"
    assert q2["speaker"] == q1["speaker"]
    assert q1["kind"] == "direct"


def test_two_speakers_in_one_paragraph(council: dict) -> None:
    ortega = by_text(council, "The city knew")
    lopez = by_text(council, "Nobody could have")
    assert speaker_name(council, ortega) == "Daniel Ortega Ruiz" and ortega["cue"] == "tell"
    assert speaker_name(council, lopez) == "Maria Lopez"
    assert ortega["speaker"] != lopez["speaker"]


def test_quote_without_speaker_and_scare_quote(council: dict) -> None:
    poster = by_text(council, "bring the money home")
    assert poster["speaker"] is None and poster["kind"] == "partial"
    assert not any(q["text"] == "disaster" for q in council["quotes"])


def test_one_entity_per_speaker(council: dict) -> None:
    lopez = [e for e in council["entities"] if e["name"] == "Maria Lopez"]
    assert len(lopez) == 1 and "Lopez" in lopez[0]["aliases"]


def test_nested_quotes_and_apostrophes() -> None:
    rec = analyse(
        "Ukraine’s foreign minister, Dmytro Kuleba, said the talks had stalled. “They told us ‘there is nothing "
        "to discuss’ and walked out, which doesn’t help anyone,” Kuleba said.",
    )
    assert len(rec["quotes"]) == 1
    q = rec["quotes"][0]
    assert q["text"].startswith("They told us ‘there is nothing to discuss’ and walked out")
    assert speaker_name(rec, q) == "Dmytro Kuleba"


def test_quote_across_paragraphs() -> None:
    rec = analyse(
        "General Mark Hollis spoke to troops at the base on Friday.",
        "“We have held this line for a year. We will hold it for another if we must.",
        "“Nobody should doubt our resolve,” Hollis said.",
    )
    texts = [q["text"] for q in rec["quotes"]]
    assert texts == ["We have held this line for a year. We will hold it for another if we must.",
                     "Nobody should doubt our resolve,"]
    assert {speaker_name(rec, q) for q in rec["quotes"]} == {"Mark Hollis"}


def test_speaker_before_colon_and_inverted_order() -> None:
    rec = analyse(
        "The company issued a short statement on Monday. Chief executive Laura Bennett wrote: “We regret the "
        "delay and will refund every customer.” “The refunds start next week,” said spokesman Tim Alder.",
    )
    assert speaker_name(rec, by_text(rec, "We regret")) == "Laura Bennett"
    assert speaker_name(rec, by_text(rec, "The refunds")) == "Tim Alder"


def test_straight_quotes_and_partial_kind() -> None:
    rec = analyse(
        'Prime Minister Anna Berg said the agreement was "a first step toward lasting peace" and promised more talks.',
        '"We are not there yet," Berg added.',
    )
    partial = by_text(rec, "a first step")
    assert partial["kind"] == "partial" and speaker_name(rec, partial) == "Anna Berg"
    direct = by_text(rec, "We are not there yet")
    assert direct["kind"] == "direct" and direct["cue"] == "add" and speaker_name(rec, direct) == "Anna Berg"


def test_seed_quotes(seed_record: dict) -> None:
    qs = seed_record["quotes"]
    assert len(qs) == 8
    names = [speaker_name(seed_record, q) for q in qs]
    assert names.count("Volodymyr Zelenskyy") == 3 and names.count("Jens Stoltenberg") == 2
    assert names.count("Grant Shapps") == 2
    nato = by_text(seed_record, "when allies agree")
    assert nato["kind"] == "partial" and entity_by_id(seed_record, nato["speaker"])["code"] == "NATO"


def test_single_quotes_role_nouns_and_guillemets() -> None:
    rec = analyse(
        "Russian Foreign Ministry spokeswoman Maria Zakharova accused Britain of escalating the war. 'London is "
        "playing with fire,' the spokeswoman said on Thursday.",
        "Ukrainian President Volodymyr Zelenskyy rejected the claim. “Nobody believes this,” the Ukrainian president "
        "told a news conference in Kyiv.",
        "Zelenskyy was later quoted as saying: «We will keep fighting.»",
    )
    fire = by_text(rec, "London is playing with fire")
    assert speaker_name(rec, fire) == "Maria Zakharova" and fire["speaker_text"] == "the spokeswoman"
    assert speaker_name(rec, by_text(rec, "Nobody believes this")) == "Volodymyr Zelenskyy"
    assert speaker_name(rec, by_text(rec, "We will keep fighting.")) == "Volodymyr Zelenskyy"
    assert len(rec["quotes"]) == 3


def test_titles_of_works_and_one_word_scare_quotes_are_skipped() -> None:
    rec = analyse(
        "The documentary “Twenty Days in Mariupol” won the award, and critics called the so-called “referendum” "
        "a farce. “It is a film everyone should see,” said juror Anne Weber.",
    )
    assert [q["text"] for q in rec["quotes"]] == ["It is a film everyone should see,"]
    assert speaker_name(rec, rec["quotes"][0]) == "Anne Weber"


# ------------------------------------------------------------------ issue 13: kinds of speaker errors

def test_pronoun_speaker_agrees_in_gender() -> None:
    rec = analyse("Health Minister Sofia Lindgren visited the hospital with its director, Peter Novak.",
                  "“We need two hundred more beds before winter,” she said.",
                  "“The staff have worked without a break since March,” he said.")
    assert speaker_name(rec, by_text(rec, "We need two hundred")) == "Sofia Lindgren"
    assert speaker_name(rec, by_text(rec, "The staff have worked")) == "Peter Novak"


def test_role_noun_speaker_points_back() -> None:
    rec = analyse("Clara Weiss, a spokeswoman for the regional police, confirmed two arrests on Sunday.",
                  "The mayor, Henrik Dahl, thanked the officers.",
                  "“Both suspects are in custody,” the spokeswoman said.")
    assert speaker_name(rec, by_text(rec, "Both suspects")) == "Clara Weiss"


def test_statement_said_goes_to_its_issuer() -> None:
    rec = analyse("The Red Cross released a statement on Friday which read, “Our teams reached the valley at dawn.”")
    assert "Red Cross" in speaker_name(rec, by_text(rec, "Our teams reached"))


def test_lead_in_with_colon_and_according_to() -> None:
    rec = analyse("Peter Olsen chaired the meeting. According to the engineer Maria Castillo, the dam is safe for "
                  "now: “The cracks we found are on the surface only.”")
    assert speaker_name(rec, by_text(rec, "The cracks we found")) == "Maria Castillo"


def test_who_clause_before_colon_gives_the_speaker() -> None:
    rec = analyse("Another rescuer was the fisherman Tomas Rivera, 51, who described the scene: "
                  "“The water was up to my chest and still rising.”")
    assert speaker_name(rec, by_text(rec, "The water was up to my chest")) == "Tomas Rivera"


def test_speaker_named_after_the_quote() -> None:
    rec = analyse("“The harvest is the worst in twenty years,” said Anna Berg, director of the Nordic Grain Board.")
    assert speaker_name(rec, by_text(rec, "The harvest is the worst")) == "Anna Berg"


def test_run_of_quote_paragraphs_keeps_the_speaker() -> None:
    rec = analyse("Jakob Huber, 63, lost half his herd. “The barn collapsed at three in the morning,” "
                  "Huber said.",
                  "“We heard the cows before we saw the water.”",
                  "“By noon there was nothing left to save.”")
    assert speaker_name(rec, by_text(rec, "We heard the cows")) == "Jakob Huber"
    assert speaker_name(rec, by_text(rec, "By noon there was")) == "Jakob Huber"


def test_aside_verbs_are_not_the_cue() -> None:
    rec = analyse("Opposition leader Karin Holm said — as the Nordic Herald reported on Monday — "
                  "“The budget will not pass in this form.”")
    assert speaker_name(rec, by_text(rec, "The budget will not pass")) == "Karin Holm"


def test_pull_quote_takes_the_body_quote_speaker() -> None:
    rec = analyse("“Nobody could have stopped this fire”",
                  "The blaze destroyed forty homes near Sacramento on Tuesday.",
                  "“Nobody could have stopped this fire,” said fire chief Daniel Ortiz. “It jumped the highway twice.”")
    pulls = [q for q in rec["quotes"] if q["text"].startswith("Nobody could have stopped")]
    assert len(pulls) == 2 and all(speaker_name(rec, q) == "Daniel Ortiz" for q in pulls)


def test_unnamed_speakers_are_not_the_nearest_name() -> None:
    rec = analyse("Governor Rachel Adeyemi visited the camp on Thursday.",
                  "“We have had no clean water for a week,” a resident said.",
                  "“The children are sick,” one teacher told reporters.")
    q1, q2 = by_text(rec, "We have had no clean water"), by_text(rec, "The children are sick")
    assert speaker_name(rec, q1) == "resident" and speaker_name(rec, q2) == "teacher"
    assert q1["speaker"] != q2["speaker"]
    assert entity_by_id(rec, q1["speaker"])["type"] == "UNNAMED"
