"""Property-based tests: whatever bytes or characters arrive, the reader and every stage either produce a
record that validates (schema + spans) or refuse with a one-line NewsledgerError. No other exception, ever.

Example counts are modest (the whole file runs in well under 3 minutes on 2 shared cores); the
coverage-guided fuzzer in tests/fuzz/run.py explores much further when run for longer.
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from newsledger import article as article_stage
from newsledger import pipeline, validate
from newsledger.limits import time_budget
from newsledger.read import Document, read_bytes
from newsledger.record import NewsledgerError, new_record

FAST = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
SLOW = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)

# Characters that break naive text handling: NUL and C0/C1 controls, lone surrogates, zero-width and bidi
# controls, BOM, line/paragraph separators, combining marks, RTL and CJK letters, every quotation mark.
NASTY = ("\x00\x01\x07\x0b\x0c\x1b\x7f\x85\u00a0\u00ad\ud800\udc00\udfff\u200b\u200c\u200d\u2060\ufeff"
         "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
         "\u0301\u0308\u0327\u20dd\u05e9\u05dc\u05d5\u05dd\u0627\u0644\u0642\u062f\u0633\u4e2d\u6587\U0001f600"
         "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a\u300c\u300d")
nasty_text = st.text(alphabet=st.one_of(st.characters(codec=None), st.sampled_from(NASTY)), max_size=400)

WORDS = ("the council minister said on Monday that police arrested protesters in the capital after talks with "
         "officials failed and the government rejected the plan while rebels attacked a base killing soldiers "
         "according to reports which could not be independently verified and denied").split()
NAMES = ["Anna Berg", "President Joe Biden", "Ukraine", "NATO", "the United Nations", "Vladimir Putin",
         "Moscow", "Kyiv", "the Red Cross", "Mayor Joan Carter", "Hamas", "Israel"]
CUES = ["said", "told reporters", "claimed", "denied", "accused", "added", "warned", "insisted"]
HOSTILE_BITS = ["Feb 30", "February 30, 2024", "31 April", "1e308 euros", "1e309 dollars", "$1e308",
                "99999999999999999999999 people", "-5 killed", "NaN wounded", "0.0.0 percent", "\u201c", "\u201d",
                '"', "'", "\u2018", "\u2019", "\u00ab", "\u200b", "\u202e", "\u0301", "\ud800", "\x00", "\ufeff",
                "last Feb 29th", "the day after tomorrow's yesterday", "week 54", "25:99 BST", "\u05e9\u05dc\u05d5\u05dd"]


@st.composite
def englishish(draw: st.DrawFn) -> str:
    """English-looking news text (so the language check passes and every stage gets to work) laced with
    quotation marks, impossible dates, absurd numbers and invisible or direction-changing characters."""
    paras = []
    for _ in range(draw(st.integers(1, 4))):
        sents = []
        for _ in range(draw(st.integers(1, 4))):
            words = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=14))
            bits = draw(st.lists(st.sampled_from(HOSTILE_BITS + NAMES), max_size=4))
            for b in bits:
                words.insert(draw(st.integers(0, len(words))), b)
            if draw(st.booleans()):
                q = draw(st.sampled_from(['"', "\u201c", "\u2018", "'", "\u00ab"]))
                close = {'"': '"', "\u201c": "\u201d", "\u2018": "\u2019", "'": "'", "\u00ab": "\u00bb"}[q]
                inner = " ".join(words)
                if draw(st.booleans()):
                    inner += ","
                end = close if draw(st.integers(0, 4)) else ""  # sometimes the quote never closes
                s = f"{q}{inner}{end} {draw(st.sampled_from(NAMES))} {draw(st.sampled_from(CUES))}."
            else:
                s = f"{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(CUES))} " + " ".join(words) + "."
            sents.append(s[0].upper() + s[1:])
        paras.append(" ".join(sents))
    return "\n\n".join(paras)


def assert_article_ok(art: dict) -> None:
    """The article part alone is a valid record (empty sections) and its paragraph spans are in the text."""
    assert validate.problems(new_record(dict(art, language=art.get("language")))) == []
    assert art["text"] and art["text"] == art["text"].strip()


def assert_record_ok(rec: dict) -> None:
    assert validate.problems(rec) == [], validate.problems(rec)[:5]
    json.dumps(rec, ensure_ascii=False).encode("utf-8", "surrogatepass")  # printable as the CLI prints it


def read_and_build(data: bytes, source: str = "fuzz") -> list[dict]:
    """read_bytes + article.build on every document: only NewsledgerError may escape (per document)."""
    arts = []
    try:
        docs = list(read_bytes(data, source))
    except NewsledgerError:
        return arts
    for d in docs:
        try:
            art = article_stage.build(d)
        except NewsledgerError:
            continue
        assert_article_ok(art)
        arts.append(art)
    return arts


# --- readers and the article stage --------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=3000))
@example(b"\x00" * 10 + b"news")
@example(b"\xff\xfe" + "Budget talks\n\nThe council said.".encode("utf-16-le"))
@example(b"\x1f\x8b\x08\x00garbage")
@example(b"WARC/1.0\r\n\r\n")
@example(b'{"text": "\\ud800 said"}\n{"html": "<p>x</p>"}\n{')
@example(b"<html>" + b"<div>" * 300 + b"<p>The council said so on Monday.</p>")
def test_arbitrary_bytes_read_and_build(data: bytes) -> None:
    read_and_build(data)


@FAST
@given(nasty_text)
@example("\ud800\udc00 lone surrogates \udfff said the minister.")
@example("\u202eTitle\u202c\n\n\u200b\u200b\u200b\n\nBody \u0301\u0301\u0301 text.")
@example("Title\r\n\r\n\x00\x00\x00")
def test_arbitrary_unicode_as_text_page(text: str) -> None:
    read_and_build(text.encode("utf-8", "surrogatepass"))
    # the same characters handed over directly as a str (as the API and JSON lines do), lone surrogates included
    try:
        art = article_stage.build(Document(text=text, source="str"))
    except NewsledgerError:
        return
    assert_article_ok(art)


@FAST
@given(nasty_text, st.sampled_from(["p", "div", "article", "span", "td", "li", "h1", "title", "script", "b"]),
       st.integers(0, 300))
def test_arbitrary_unicode_in_html(text: str, tag: str, depth: int) -> None:
    html = f"<html><head><title>{text[:40]}</title></head><body>" + "<div>" * depth + \
        f"<{tag}>{text}</{tag}><p>The council said on Monday that {text[-40:]} would go on.</p>"
    read_and_build(html.encode("utf-8", "surrogatepass"))
    try:
        art = article_stage.build(Document(html=html, source="str"))
    except NewsledgerError:
        return
    assert_article_ok(art)


@FAST
@given(st.lists(st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.none(), st.text(max_size=20), st.integers()),
    "url": st.one_of(st.none(), st.text(max_size=30), st.integers(), st.lists(st.integers(), max_size=2)),
    "published": st.one_of(st.none(), st.sampled_from(["2024-02-30", "Feb 30 2024", "2024-02-29T25:00Z", "1e308",
                                                        "2024-01-01T10:00:00+14:00", "\u202e2024"]), st.text(max_size=20)),
    "text": st.one_of(nasty_text, st.integers(), st.none()),
    "html": st.one_of(nasty_text.map(lambda t: f"<p>{t}</p>"), st.none()),
}), max_size=5))
def test_arbitrary_json_lines(objs: list[dict]) -> None:
    data = "\n".join(json.dumps(o) for o in objs).encode()
    assume(data.strip())
    read_and_build(b"\n" + data if not data.startswith(b"{") else data)


# once an AttributeError: read_jsonl passed a non-string url on to trafilatura
@pytest.mark.parametrize("url", [1, ["https://x.example"], {"a": 1}, True])
def test_non_string_url_in_json_line(url: object) -> None:
    line = json.dumps({"url": url, "html": "<p>The council said on Monday that the bridge would open.</p>"})
    read_and_build(line.encode())


# --- the full pipeline -----------------------------------------------------------------------------------------

@SLOW
@given(englishish(), st.sampled_from(["text", "html"]),
       st.sampled_from([None, "2024-02-29T12:00:00Z", "2023-09-28T13:26:00+01:00", "Feb 30, 2024"]))
def test_full_pipeline_on_hostile_englishish_text(body: str, kind: str, published: str | None) -> None:
    title = "Talks collapse after \u201cFeb 30\u201d deadline"
    if kind == "html":
        paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
        doc = Document(html=f"<html><head><title>{title}</title></head><body><article>{paras}</article></body></html>",
                       source="gen.html", published=published)
    else:
        doc = Document(text=f"{title}\n\n{body}", source="gen.txt", published=published)
    try:
        rec = pipeline.extract(doc)
    except NewsledgerError:
        return
    assert_record_ok(rec)


FIXED = {
    "thousands of quotation marks": "Quotes\n\n" + ("Minister Anna Berg said \u201cyes\u201d and \"no\" and "
                                                     "\u2018maybe\u2019. " * 300) + '"' * 5000 + "\u201c" * 2000,
    "unbalanced quotes": "Talks\n\n" + " ".join(f"\u201cThe plan number {i} is dead, Anna Berg said." for i in range(200))
                         + "\n\nShe added: \u201d\u201d\u201d and then \u201c.",
    "impossible dates": ("Budget\n\nThe ministry said on Feb 30 that talks held on 31 April 2023, on February 29, 2023 "
                         "and in the 13th month would resume on Feb 30, 2024, officials said on Monday."),
    "absurd numbers": ("Budget\n\nThe government said it would spend 1e308 euros, 1e309 dollars, $1e308 and "
                       "99999999999999999999999999999 pounds, and that -5 people were killed and 1.7976931348623157e308 "
                       "were wounded in the attack on Monday, officials said."),
    "nul and controls": "Title\x00\n\n" + "The council said\x00 on Monday\x07 that the\x1b[0m plan \ud800 failed. " * 20,
    "rtl and combining": ("Talks\n\nPresident \u202eAnna Berg\u202c said \u201c\u05e9\u05dc\u05d5\u05dd "
                          "\u0627\u0644\u0642\u062f\u0633 peace\u0301\u0301\u0301 now\u201d on Monday in Jerusalem, "
                          "officials told reporters. The Zoe\u0308 Cafe\u0301 was closed, police said."),
}


@pytest.mark.parametrize("case", sorted(FIXED))
def test_full_pipeline_on_named_hostile_inputs(case: str) -> None:
    started = time.monotonic()
    try:
        rec = pipeline.extract(Document(text=FIXED[case], source=case))
    except NewsledgerError:
        return
    assert_record_ok(rec)
    assert time.monotonic() - started < 120, "a hostile page must not stall the batch"


# A lone surrogate in a str document (JSON lines, an API body: JSON allows \\ud800) once reached spaCy, whose
# tokenizer raised UnicodeEncodeError; the article stage now replaces it with U+FFFD.
def test_lone_surrogate_through_the_pipeline() -> None:
    text = "Talks\n\nThe council said on Monday that the plan \ud800 failed after long talks with the union."
    rec = pipeline.extract(Document(text=text, source="surrogate"))
    assert_record_ok(rec)
    assert "plan \ufffd failed" in rec["article"]["text"]


def test_lone_surrogate_in_json_lines_is_kept_not_lost() -> None:
    line = json.dumps({"id": "s1", "text": "Talks\n\nThe council said on Monday that the plan \ud800 failed "
                                            "after long talks with the union, officials said."})
    (rec,) = pipeline.extract_many(read_bytes(line.encode(), "lines.jsonl"))
    assert "error" not in rec, rec
    assert_record_ok(rec)


def test_impossible_dates_are_not_invented() -> None:
    rec = pipeline.extract(Document(text=FIXED["impossible dates"], source="dates", published="2024-03-01T10:00:00Z"))
    assert_record_ok(rec)
    for t in rec["timexes"]:
        for v in (t["start"], t["end"]):
            assert v is None or not v.startswith(("2024-02-30", "2023-04-31", "2023-02-29")), t


def test_absurd_numbers_stay_json() -> None:
    rec = pipeline.extract(Document(text=FIXED["absurd numbers"], source="nums"))
    assert_record_ok(rec)
    out = json.dumps(rec, allow_nan=False)  # raises on inf/nan, which are not JSON
    assert "Infinity" not in out and "NaN" not in out


# --- sizes and shapes that stress the readers ------------------------------------------------------------------

def test_single_20mb_line_is_refused_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(NewsledgerError, match="single line"):
        for d in read_bytes(b"word " * 4_000_000, "line.txt"):
            article_stage.build(d)
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_extreme_html_depth(depth: int) -> None:
    html = ("<html><body>" + "<div><span>" * depth + "<p>The council said on Monday that the bridge would open in the "
            "spring, officials said.</p>" + "</span></div>" * (depth // 2)).encode()
    started = time.monotonic()
    arts = read_and_build(html, "deep.html")
    assert time.monotonic() - started < 60
    for a in arts:
        assert "bridge" in a["text"]


def test_html_page_over_the_size_cap_is_refused_quickly() -> None:
    junk = "<div class='ad'><a href='/a'>Link</a><!-- c --><span>&nbsp;</span></div>\n" * 300_000  # ~21 MB
    started = time.monotonic()
    with pytest.raises(NewsledgerError, match="too large"):
        for d in read_bytes(f"<html><body>{junk}<p>The council said so.</p></body></html>".encode(), "big.html"):
            article_stage.build(d)
    assert time.monotonic() - started < 30


def test_huge_html_page_with_little_text() -> None:
    # ~9.8 MB of markup (nav links, inline styles, comments) around one short story: well under the size cap
    junk = ("<div class='ad' style='x'><a href='/a'>Link</a><!-- comment --><span>&nbsp;</span></div>\n" * 55_000)
    html = (f"<html><head><title>Bridge</title></head><body>{junk}<article><p>The council said on Monday that the "
            f"bridge would open in the spring after years of delays, officials said.</p></article>{junk}</body></html>")
    # refused quickly with a clear message (too many elements for an article page), never a stall
    started = time.monotonic()
    with time_budget(30, what="9.8 MB page"), pytest.raises(NewsledgerError, match="elements"):
        for d in read_bytes(html.encode(), "big.html"):
            article_stage.build(d)
    assert time.monotonic() - started < 30
