"""Every real page read (issue 15 items 1-4 and 6, issue 14 item 1): other languages kept with the reason the analysis
did not run, deep pages read, broken text repaired before any stage, absurd dates that are not dates, metadata as
a reader writes it, and input at every grain (one sentence, one paragraph, a JSON line's "text")."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, SEED, run_cli
from newsledger import validate
from newsledger.analysis.language import check_language
from newsledger.article import agencies_in, person_name, publisher_name, repair
from newsledger.pipeline import extract, extract_many
from newsledger.read import Document, read_bytes, read_path

PAGES = Path(__file__).parent / "pages"
PARAS = "".join(
    f"<p>The council said on Monday that bridge number {i} would open in the spring after years of delays and "
    "rising costs for the city, officials told reporters.</p>" for i in range(6))


def _cli_record(*args: str, input: bytes | None = None) -> dict:
    res = run_cli("extract", *args, input=input)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stderr == b""
    return json.loads(res.stdout)


# ------------------------------------------------------------------ 1. any language

def test_portuguese_page_is_read_and_says_why_not_analysed() -> None:
    rec = _cli_record(str(PAGES / "jornal-chuvas-pt.html"))
    a = rec["article"]
    assert a["language"] == "pt"
    assert a["title"] == "Chuvas deixam milhares de desalojados no Rio Grande do Sul"
    assert a["authors"] == ["Mariana Souza"] and a["publisher"] == "Jornal Exemplo"
    assert a["published"] == "2024-05-06T09:15:00-03:00"
    assert a["text"].startswith("As fortes chuvas") and len(a["paragraphs"]) == 4
    assert rec["analysis"]["ran"] is False and "Portuguese" in rec["analysis"]["reason"]
    assert all(rec[k] == [] for k in ("entities", "quotes", "claims", "events", "figures", "timexes"))
    assert validate.problems(rec) == []


def test_japanese_page_unspaced_script_is_an_article() -> None:
    (doc,) = list(read_path(PAGES / "asahi-typhoon-ja.html"))
    rec = extract(doc)
    a = rec["article"]
    assert a["language"] == "ja" and a["title"] == "台風で離島への定期船が運休、住民３千人が孤立"
    assert a["publisher"] == "The Asahi Shimbun" and a["published"] == "2024-09-01T08:30:00+09:00"
    assert len(a["paragraphs"]) == 3 and rec["analysis"]["ran"] is False


OTHER_LANGUAGES = {
    "ru": ["Власти эвакуировали жителей трёх сёл из-за лесного пожара",
           "Спасатели в субботу эвакуировали жителей трёх сёл в горах, после того как сильный ветер разнёс лесной "
           "пожар по сухим склонам и уничтожил не менее десяти домов.",
           "По данным региональной службы, к тушению привлечены более четырёхсот пожарных и шесть самолётов."],
    "ar": ["حريق غابات يجبر السلطات على إخلاء ثلاث قرى",
           "أجلت فرق الإطفاء يوم السبت سكان ثلاث قرى جبلية بعد أن دفعت الرياح القوية حريقا في الغابات عبر الأراضي "
           "الجافة، ما أدى إلى احتراق عشرة منازل على الأقل وإغلاق الطريق الرئيسي.",
           "وقالت خدمة الإطفاء الإقليمية إن أكثر من أربعمئة رجل إطفاء وست طائرات شاركوا في إخماد الحريق."],
    "zh": ["山火迫使三个山区村庄紧急疏散",
           "周六，强风推动山火蔓延至干燥的灌木丛，至少十几栋房屋被烧毁，消防部门紧急疏散了三个山区村庄的居民，并关闭了通往海岸的主要公路。",
           "地区消防部门表示，已有四百多名消防员和六架灭火飞机投入救援，预计周日晚间风力将减弱。"],
    "hi": ["जंगल की आग के कारण तीन गांव खाली कराए गए",
           "शनिवार को तेज हवाओं के कारण जंगल की आग सूखी झाड़ियों में फैल गई, जिससे कम से कम दस घर जल गए और दमकल "
           "कर्मियों ने तीन पहाड़ी गांवों को खाली करा दिया।",
           "क्षेत्रीय अग्निशमन सेवा ने कहा कि चार सौ से अधिक दमकलकर्मी और छह विमान तैनात किए गए हैं।"],
}


@pytest.mark.parametrize("lang", sorted(OTHER_LANGUAGES))
@pytest.mark.parametrize("kind", ["html", "text"])
def test_other_scripts_are_read(lang: str, kind: str) -> None:
    title, *paras = OTHER_LANGUAGES[lang]
    doc = (Document(html=f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                         + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>")
           if kind == "html" else Document(text=title + "\n\n" + "\n\n".join(paras) + "\n"))
    rec = extract(doc)
    assert rec["article"]["language"] == lang and rec["article"]["title"] == title
    assert [rec["article"]["text"][s:e] for s, e in rec["article"]["paragraphs"]] == paras
    assert rec["analysis"]["ran"] is False and validate.problems(rec) == []


def test_non_english_report_shows_the_text_and_the_reason() -> None:
    res = run_cli("extract", "--format", "md", str(PAGES / "jornal-chuvas-pt.html"))
    out = res.stdout.decode()
    assert res.returncode == 0 and "Analysis did not run" in out and "Portuguese" in out
    assert "As fortes chuvas" in out


def test_english_record_says_analysis_ran(seed_record: dict) -> None:
    assert seed_record["analysis"] == {"ran": True, "reason": None}
    assert list(seed_record)[:3] == ["schema", "article", "analysis"]


@pytest.mark.parametrize("text, lang", [
    ("Obasanjo urged calm.", "en"),
    ("Nigeria sent troops to Mali.", "en"),
    ("Kenya and Uganda agreed to cooperate on security.", "en"),
    ("Putin met Xi in Beijing.", "en"),
    ("Taliban seize Kunduz.", "en"),
    ("Oil prices rose.", "en"),
    ("A polícia prendeu ontem dois suspeitos em Lisboa.", "pt"),
    ("Die Polizei hat am Montag zwei Männer festgenommen.", "de"),
    ("La policía detuvo a dos hombres en Madrid.", "es"),
    ("Le président a démissionné.", "fr"),
])
def test_short_text_language(text: str, lang: str) -> None:
    art = {"text": text}
    reason = check_language(art)
    assert art["language"] == lang
    assert (reason is None) == (lang == "en")


# ------------------------------------------------------------------ issue 14.1: input at every grain

def test_three_hundred_one_sentence_json_lines_give_three_hundred_records(tmp_path: Path) -> None:
    subjects = ["Police", "The army", "Protesters", "The president of Kenya", "Rebels", "The foreign minister",
                "Nigeria", "The United Nations", "Villagers", "The central bank", "Opposition leaders", "Turkey",
                "A court in Lagos", "Farmers", "Obasanjo"]
    predicates = ["arrested 12 people in the capital on Monday.", "withdrew from the border town.",
                  "condemned the attack on the embassy.", "called for an end to the fighting.",
                  "signed a trade deal with Ghana.", "met the prime minister in Paris.", "sent troops to Mali.",
                  "imposed sanctions on three banks.", "marched through the city centre.",
                  "rejected the peace proposal.", "warned of further strikes.", "delivered food aid to refugees.",
                  "apologised for the delay.", "shelled the village overnight.", "backed the new constitution.",
                  "agreed to cooperate on security.", "released two hostages.", "urged calm.", "resigned.",
                  "threatened to quit the talks."]
    lines = [json.dumps({"id": f"s{i}", "text": f"{s} {p}"})
             for i, (s, p) in enumerate(itertools.product(subjects, predicates))]
    assert len(lines) == 300
    path = tmp_path / "sentences.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run_cli("extract", str(path))
    assert res.returncode == 0, res.stderr.decode()[:500]
    recs = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert len(recs) == 300 and not [r for r in recs if "error" in r]
    assert {r["article"]["language"] for r in recs} == {"en"} and all(r["analysis"]["ran"] for r in recs)
    first = recs[0]["article"]
    assert first["title"] is None and first["text"] == "Police arrested 12 people in the capital on Monday."
    assert sum(bool(r["events"]) for r in recs) > 100  # the sentence is analysed as a body, not lost as a headline


def test_json_line_title_is_its_own_key() -> None:
    line = json.dumps({"id": "j1", "title": "Strike ends", "text": "Dock workers ended their strike on Friday after "
                       "accepting a pay offer, the union said.\nShips began unloading within hours."})
    (doc,) = list(read_bytes(line.encode(), "x.jsonl"))
    a = extract(doc)["article"]
    assert a["title"] == "Strike ends" and a["text"].startswith("Dock workers ended") and len(a["paragraphs"]) == 2


def test_json_line_without_title() -> None:
    sentences = json.dumps({"text": "Police arrested 12 people in the capital on Monday.\nThe army withdrew."})
    page = json.dumps({"text": "Dock workers end strike\n\nBy Jane Doe\n\nDock workers ended their strike on Friday "
                               "after accepting a pay offer, the union said.\n\nShips began unloading within hours.\n"})
    first, second = (extract(d)["article"] for d in read_bytes((sentences + "\n" + page).encode(), "x.jsonl"))
    assert first["title"] is None and first["text"].startswith("Police arrested") and len(first["paragraphs"]) == 2
    assert second["title"] == "Dock workers end strike" and second["authors"] == ["Jane Doe"]
    assert second["text"].startswith("Dock workers ended")


def test_one_paragraph_text_and_stdin_are_a_body(tmp_path: Path) -> None:
    sentence = "Police arrested 12 protesters outside parliament in Nairobi on Monday, a spokesman said."
    p = tmp_path / "one.txt"
    p.write_text(sentence + "\n", encoding="utf-8")
    for rec in (_cli_record(str(p)), _cli_record("-", input=sentence.encode())):
        assert rec["article"]["title"] is None and rec["article"]["text"] == sentence
        assert rec["analysis"]["ran"] is True


def test_a_long_first_sentence_is_the_lede_not_a_headline() -> None:
    lede = ("The city council voted on Tuesday to close the old bridge over the river for repairs that engineers say "
            "will take at least two years and cost more than the council had planned.")
    a = extract(Document(text=f"{lede}\n\nThe mayor said a ferry would run in the meantime.\n"))["article"]
    assert a["title"] is None and a["text"].startswith("The city council voted")
    a = extract(Document(text="Council closes old bridge\n\n" + lede + "\n"))["article"]
    assert a["title"] == "Council closes old bridge"  # a short first line is still the headline


def test_a_short_first_sentence_with_a_full_stop_is_body_in_a_text_file_too() -> None:
    text = ("Ukrainian President Volodymyr Zelenskyy visited troops near Bakhmut on Tuesday.\n\n"
            "\"We will not back down,\" he told soldiers.\n")
    rec = extract(Document(text=text, source="capture.txt"))
    assert rec["article"]["title"] is None and rec["article"]["text"].startswith("Ukrainian President")
    speakers = {e["id"]: e["name"] for e in rec["entities"]}
    assert [speakers.get(q["speaker"]) for q in rec["quotes"]] == ["Volodymyr Zelenskyy"]
    assert extract(Document(text="Zelenskyy visits troops near Bakhmut\n\n" + text))["article"]["title"] == (
        "Zelenskyy visits troops near Bakhmut")


# ------------------------------------------------------------------ 2. deep and large pages

@pytest.mark.parametrize("depth", [400, 1400])
def test_deep_page_is_read(depth: int) -> None:
    html = ("<html><head><title>Bridge opens in spring</title></head><body>" + "<div>" * depth + PARAS
            + "</div>" * depth + "</body></html>")
    rec = extract(Document(html=html))
    assert rec["article"]["text"].count("bridge number") == 6 and rec["article"]["title"] == "Bridge opens in spring"


def test_thousands_of_levels_are_refused_with_one_line(tmp_path: Path) -> None:
    p = tmp_path / "hostile.html"
    p.write_text("<html><body>" + "<div>" * 5000 + PARAS + "</div>" * 5000 + "</body></html>", encoding="utf-8")
    res = run_cli("extract", str(p))
    err = res.stderr.decode()
    assert res.returncode != 0 and "nested" in err and err.count("\n") == 1 and "Traceback" not in err


LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))


@pytest.mark.parametrize("kind", ["html", "nitf"])
def test_entity_expansion_bomb_is_not_expanded(kind: str) -> None:
    body = PARAS.replace("the city", "the city &lol9;")
    raw = (f"<!DOCTYPE html [{LAUGHS}]><html><head><title>T</title></head><body><article>{body}</article></body></html>"
           if kind == "html" else
           f'<?xml version="1.0"?><!DOCTYPE nitf [{LAUGHS}]><nitf><body><body.content>{body}</body.content></body></nitf>')
    rec = extract(Document(**{kind: raw}))
    assert "lollol" not in rec["article"]["text"] and len(rec["article"]["text"]) < 2000


# ------------------------------------------------------------------ 3. broken text repaired

def test_wire_item_with_escaped_bytes_is_repaired_and_its_quotes_found() -> None:
    text = ("The transport minister resigned on Tuesday, saying the rail plan was \\xe2\\x80\\x9cunworkable and "
            "unfair to the regions.\\xe2\\x80\\x9d\n\nThe prime minister\\xe2\\x80\\x99s office said a successor "
            "would be named this week \\xe2\\x80\\x94 possibly before Friday.\n\n\\xe2\\x80\\x9cWe thank him for "
            "his service,\\xe2\\x80\\x9d a spokeswoman said.")
    line = json.dumps({"id": "wire-1", "title": "Minister quits over \\xe2\\x80\\x98unworkable\\xe2\\x80\\x99 plan",
                       "text": text})
    (doc,) = list(read_bytes(line.encode(), "wire.jsonl"))
    rec = extract(doc)
    a = rec["article"]
    assert "\\x" not in a["text"] and "“unworkable" in a["text"] and "minister’s office" in a["text"]
    assert a["title"] == "Minister quits over ‘unworkable’ plan" and a["repaired"] == ["escaped bytes"]
    assert {q["text"] for q in rec["quotes"]} >= {"We thank him for his service,"}
    assert validate.problems(rec) == []  # spans point into the repaired, stored text


def test_mojibake_and_entities_are_repaired() -> None:
    text = ("Bridge vote\n\nThe mayor said â€œthe bridge will open in Mayâ€\x9d after years of delays, officials "
            "said.\n\nIt&#8217;s the city&#8217;s largest project &amp; its costliest, the council said.\n")
    rec = extract(Document(text=text))
    a = rec["article"]
    assert "“the bridge will open in May”" in a["text"] and "It’s the city’s largest project & its" in a["text"]
    assert a["repaired"] == ["html entities", "mojibake"]
    assert validate.problems(rec) == []


@pytest.mark.parametrize("text", [
    "C:\\new\\x files and \\x41 stay", "The “quote” stays curly", "Ｆｕｌｌ width 東京 stays", "cafe\u0301 stays",
    "5 < 6 &amp; 7 in code", "plain English"])
def test_repair_leaves_good_text_alone(text: str) -> None:
    assert repair(text) == text


def test_clean_text_is_not_marked_repaired(seed_record: dict) -> None:
    assert "repaired" not in seed_record["article"]


# ------------------------------------------------------------------ 4. no internal error on real input

ABSURD = ["12 March 99999", "March 12, 99999", "99999-03-12", "999999999 days ago", "99999 years ago",
          "in 10000 years", "December 31, 9999", "January 1, 0001", "Feb 30 2024", "the 99999s"]


@pytest.mark.parametrize("published", [None, "2024-03-12", "0001-01-01", "9999-12-31"])
def test_absurd_dates_are_not_dates(published: str | None) -> None:
    text = "Council approves budget\n\n" + "\n\n".join(
        f"The city council said on Tuesday the plan takes effect {d}, officials said." for d in ABSURD) + "\n"
    rec = extract(Document(text=text, published=published))
    assert rec["article"]["published"] == ("2024-03-12" if published == "2024-03-12" else None)
    assert validate.problems(rec) == []
    assert not any(t["start"] and not t["start"].startswith(("20", "19")) for t in rec["timexes"])


def test_absurd_page_date_falls_back_to_the_next_source() -> None:
    html = ('<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Bridge opens",'
            '"datePublished":"0001-01-01T00:00:00+05:00"}</script>'
            '<meta property="article:published_time" content="2024-03-12T10:00:00+01:00"></head>'
            f"<body><article>{PARAS}</article></body></html>")
    assert extract(Document(html=html))["article"]["published"] == "2024-03-12T10:00:00+01:00"


def _all_pages() -> list[tuple[str, bytes]]:
    pages = [(p.name, p.read_bytes()) for p in sorted(PAGES.iterdir()) if p.is_file()]
    pages += [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.txt"))]
    pages += [(p.name, p.read_bytes()) for p in sorted((Path(__file__).parent / "fuzz" / "regressions").glob("*"))
              if p.suffix != ".md"]
    made = {  # pages made here: deep, bombed, absurdly dated, broken, empty of text
        "deep-400.html": "<html><body>" + "<div>" * 400 + PARAS + "</div>" * 400 + "</body></html>",
        "bomb.html": f"<!DOCTYPE html [{LAUGHS}]><html><body><p>&lol9;</p>{PARAS}</body></html>",
        "dates.html": ('<html><head><meta name="date" content="99999-03-12"><script type="application/ld+json">'
                       '{"@type":"NewsArticle","headline":"X","datePublished":"12 March 99999"}</script></head><body>'
                       f"<time datetime='0000-00-00'>x</time>{PARAS}<p>Talks end 999999999 days ago.</p></body></html>"),
        "dated-absurd-text.html": ('<html><head><meta property="article:published_time" content="2024-03-12T10:00:00Z">'
                                   f"</head><body>{PARAS}<p>The dispute began 999999999 days ago, or 99999 years ago, "
                                   "and ends on 12 March 99999, on Tuesday.</p></body></html>"),
        "broken.html": "<html><body><p>Mojibake â€œquoteâ€\x9d &amp;amp; \\xe2\\x80\\x94 dash</p>" + PARAS,
        "no-text.html": "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "escaped.txt": "Title\n\n" + "The minister\\xe2\\x80\\x99s plan \\xff\\xfe failed, aides said. " * 5,
    }
    return pages + [(name, body.encode("utf-8")) for name, body in made.items()]


def test_no_page_gives_an_internal_error() -> None:
    docs = []
    for name, data in _all_pages():
        try:
            docs.extend(read_bytes(data, name))
        except Exception as err:  # a reader refusal is a one-line error, never an exception of another kind
            assert type(err).__name__ == "NewsledgerError", (name, err)
    recs = list(extract_many(docs))
    assert len(recs) == len(docs) >= 20
    for rec in recs:
        assert "internal error" not in rec.get("error", "") and "Error:" not in rec.get("error", ""), rec
        if "error" not in rec:
            assert validate.problems(rec) == [], rec["article"]["id"]


# ------------------------------------------------------------------ 6. metadata as a reader writes it

METADATA = {
    # page: (title, publisher, authors, agencies, published)
    "wire-ap-code.html": ("Harbour pilots end strike after ‘fair’ deal", "The Associated Press", ["Dana Whitfield"],
                          ["The Associated Press"], "2024-02-10T07:05:00-05:00"),
    "abc-code-reuters.html": ("Wildfire forces evacuation of hill towns", "ABC News", ["Ana Lima"], ["Reuters"],
                              "2024-08-03T11:42:10+00:00"),
    "dw-domain-name.html": ("Rail operator cancels night trains to the coast", "DW", [], [],
                            "2024-01-15T14:20:00+01:00"),
    "asahi-native-name.html": ("Ferry service to outlying islands resumes after typhoon", "The Asahi Shimbun", [], [],
                               "2024-03-09T18:30:00+09:00"),
    "wire-distributor.xml": ("Central bank holds rates steady, signals cuts later in the year", "The Associated Press",
                             ["Jane Roe"], ["The Associated Press"], "2024-03-12T10:15:00-04:00"),
    "wire-story.xml": ("Drought cuts hydropower output in Zambia, forcing daily blackouts", "Example Wire Service",
                       ["Grace Mwansa", "Peter Lindqvist"], [], "2023-09-28T13:26:00+01:00"),
}


@pytest.mark.parametrize("page", sorted(METADATA))
def test_page_metadata_as_a_reader_writes_it(page: str) -> None:
    (doc,) = list(read_path(PAGES / page))
    a = extract(doc)["article"]
    assert (a["title"], a["publisher"], a["authors"], a["agencies"], a["published"]) == METADATA[page]


@pytest.mark.parametrize("declared, url, name", [
    ("AP", None, "The Associated Press"),
    ("Associated Press", None, "The Associated Press"),
    ("ABC", "https://abcnews.go.com/US/story", "ABC News"),
    ("www.dw.com", None, "DW"),
    ("朝日新聞", None, "The Asahi Shimbun"),
    (None, "https://edition.cnn.com/2024/01/01/world/x", "CNN"),
    ("ＮＨＫ", None, "NHK"),
    ("The Daily Gazette", "https://www.theguardian.com/x", "The Daily Gazette"),  # a name we do not know is kept
    ("www.example-news.org", None, "example-news.org"),
    ("Wikinews", None, "Wikinews"),
    (None, None, None),
])
def test_publisher_names(declared: str | None, url: str | None, name: str | None) -> None:
    assert publisher_name(declared, url) == name


@pytest.mark.parametrize("raw, name", [
    ("Hanna Arhirova", "Hanna Arhirova"), ("JANE DOE", "Jane Doe"), ("By Jean-Pierre de la Fontaine", "Jean-Pierre de la Fontaine"),
    ("Mary O'Neill", "Mary O'Neill"), ("J. K. Rowling", "J. K. Rowling"), ("Hanna Arhirova in Kyiv", "Hanna Arhirova"),
    ("山田太郎", "山田太郎"),
    ("Related Topics Share", None), ("The Kremlin", None), ("Police said", None), ("Reuters", None),
    ("Associated Press", None), ("BBC News", None), ("Senior Correspondent", None), ("Staff Writer", None),
    ("Zelenskyy", None), ("jane doe", None), ("@janedoe", None),
])
def test_person_names(raw: str, name: str | None) -> None:
    assert person_name(raw) == name


def test_agency_credits() -> None:
    assert agencies_in("By Jane Doe, Associated Press") == ["The Associated Press"]
    assert agencies_in("JOHN ROE | Reuters; additional reporting by AFP") == ["Reuters", "Agence France-Presse"]
    assert agencies_in("Apple maps the APEX summit") == []


def test_text_capture_byline_with_agency(tmp_path: Path) -> None:
    text = ("Ferry sinks off coast\n\nBy JANE ROE, Associated Press\n\nA ferry carrying 40 passengers sank off the "
            "coast on Sunday and all on board were rescued by fishing boats, the coast guard said.\n\n"
            "The cause of the sinking was not yet known, officials said.\n")
    a = extract(Document(text=text))["article"]
    assert a["authors"] == ["Jane Roe"] and a["agencies"] == ["The Associated Press"]


def test_seed_metadata_unchanged() -> None:
    (doc,) = list(read_path(SEED))
    a = extract(doc)["article"]
    assert (a["publisher"], a["authors"], a["agencies"], a["published"]) == (
        "The Independent", ["Hanna Arhirova"], [], "2023-09-28T13:26:00+01:00")


def test_entities_in_a_jsonld_headline_and_a_local_time_given_its_offset_elsewhere() -> None:
    html = ('<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Bridge &#8216;opens'
            '&#8217; &#8211; Daily Gazette","datePublished":"2024-02-10T07:05:00"}</script>'
            '<meta property="og:site_name" content="Daily Gazette">'
            '<meta property="article:published_time" content="2024-02-10T07:05:00-05:00">'
            f"</head><body><article>{PARAS}</article></body></html>")
    a = extract(Document(html=html))["article"]
    assert (a["title"], a["published"], a["publisher"]) == ("Bridge ‘opens’", "2024-02-10T07:05:00-05:00",
                                                           "Daily Gazette")


# ------------------------------------------------------------------ wire datelines

@pytest.mark.parametrize(("lede", "length", "credit"), [
    ("CAIRO, May 21 (Reuters) - Sudan's army signed a ceasefire.", 26, "Reuters"),
    ("KYIV, Ukraine (AP) — Russia launched a missile attack on Kyiv.", 21, "AP"),
    ("NEW YORK, Oct. 3 (AP) — A fire broke out.", 24, "AP"),
    ("WASHINGTON — The Senate voted on Tuesday.", 13, None),
])
def test_wire_datelines_are_recognised(lede: str, length: int, credit: str | None) -> None:
    from newsledger.article.meta import wire_dateline
    assert wire_dateline(lede) == (length, credit)


@pytest.mark.parametrize("lede", ["US - China talks resumed on Monday.", "Iran - the country said - would talk.",
                                  "Russia launched a strike on Monday."])
def test_sentences_are_not_datelines(lede: str) -> None:
    from newsledger.article.meta import wire_dateline
    assert wire_dateline(lede) is None


def test_a_dateline_stays_in_the_text_names_its_agency_and_is_no_party_to_the_first_sentence() -> None:
    text = ("Sudan truce agreed\n\nCAIRO, May 21 (Reuters) - Sudan's army and the paramilitary Rapid Support Forces "
            "signed a week-long ceasefire agreement on Saturday after talks in Jeddah.\n")
    rec = extract(Document(text=text, source="wire.txt"), published="2023-05-21T18:00:00+00:00")
    assert rec["article"]["text"].startswith("CAIRO, May 21 (Reuters) - Sudan's army")
    assert rec["article"]["agencies"] == ["Reuters"]
    names = {e["id"]: e["name"] for e in rec["entities"]}
    assert "Reuters" not in names.values()
    assert [(ev["type"], names.get(ev["actor"])) for ev in rec["events"]] == [("AGREE", "Sudan")]
