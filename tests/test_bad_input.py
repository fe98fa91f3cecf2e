"""Bad input through `newsledger extract`: one line on stderr and a non-zero exit for a single file, never a
traceback or a hang; in a multi-document run the bad document becomes {"id", "error"} and the rest come out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import SEED, run_cli

PAGES = Path(__file__).parent / "pages"
PARA = ("<p>The council said on Monday that the new bridge would open in the spring after years of delays and "
        "rising costs for the city.</p>")


def _warc(gz: bool = True) -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for url, name in (("https://a.example/1", "gazette-bridge.html"), ("https://b.example/2", "herald-strike.html")):
        hdr = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO((PAGES / name).read_bytes()),
                                            http_headers=hdr))
    return buf.getvalue()


BAD: dict[str, tuple[str, bytes | None, str]] = {
    # name: (file name, content (None: built below), words the message must contain)
    "empty": ("empty.txt", b"", "empty document"),
    "blank": ("blank.txt", b"\n \n\t\n", "empty document"),
    "binary": ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64, "binary data"),
    "nul-heavy": ("nul.bin", b"\x00" * 5000 + b"text", "binary data"),
    "deep-html": ("deep.html", b"<html><body>" + b"<div>" * 100_000 + PARA.encode() + b"</div>" * 100_000, "nested"),
    "unclosed-deep": ("open.html", b"<html><body>" + b"<span><b>" * 50_000 + PARA.encode(), "nested"),
    "one-line-20mb": ("huge.txt", b"word " * 4_000_000, "single line"),
    "non-gzip-warc": ("crawl.warc.gz", b"plain text pretending to be a web archive\n" * 10, "not a WARC file"),
    "damaged-gzip": ("crawl2.warc.gz", b"\x1f\x8b\x08\x00" + b"\x13\x37" * 500, "gzip data"),
    "warc-cut-early": ("cut.warc.gz", None, "truncated"),
    "garbage-warc": ("junk.warc", b"WARC/1.0\r\nWARC-Type: response\r\nnonsense\r\n\r\n", "WARC"),
    "html-no-text": ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    "missing": ("does-not-exist.txt", None, "no such file"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_single_bad_file_one_line_error(tmp_path: Path, case: str) -> None:
    name, content, words = BAD[case]
    p = tmp_path / name
    if case == "warc-cut-early":
        content = _warc()[:300]
    if content is not None:
        p.write_bytes(content)
    res = run_cli("extract", str(p))
    err = res.stderr.decode()
    assert res.returncode != 0
    assert res.stdout == b""
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith("newsledger: error: ") and words in err, err


@pytest.mark.parametrize("enc", ["utf-16", "utf-16-le", "latin-1", "cp1252"])
def test_other_encodings_work(tmp_path: Path, enc: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    if enc in ("latin-1",):
        text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"}))
    p = tmp_path / f"seed-{enc}.txt"
    p.write_bytes(text.encode(enc))
    from newsledger.pipeline import prepare
    from newsledger.read import read_path

    (doc,) = read_path(p)
    rec = prepare(doc)
    assert rec["article"]["published"] == "2023-09-28T13:26:00+01:00"
    assert rec["article"]["authors"] == ["Hanna Arhirova"] and rec["article"]["language"] == "en"
    assert "Zelenskyy" in rec["article"]["text"]


def test_truncated_html_still_reads(tmp_path: Path) -> None:
    html = (PAGES / "gazette-bridge.html").read_text(encoding="utf-8")
    cut = html[: html.index("Local businesses on the north bank") + 40]
    p = tmp_path / "cut.html"
    p.write_text(cut, encoding="utf-8")
    from newsledger.article import build
    from newsledger.read import read_path

    (doc,) = read_path(p)
    a = build(doc)
    assert a["title"].startswith("Flood-damaged Harlow bridge") and "£2.4 million" in a["text"]


def test_multi_document_run_keeps_going(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    batch = tmp_path / "batch.jsonl"
    french = ("Le gouvernement a annoncé jeudi une nouvelle réforme des retraites. Les syndicats ont appelé à la "
              "grève générale dans tout le pays, selon plusieurs médias.\n" * 3)
    batch.write_text("\n".join([json.dumps({"id": "fr-1", "text": french}),
                                "{broken json",
                                json.dumps({"id": "nitf-less", "html": "<html><body></body></html>"})]) + "\n",
                     encoding="utf-8")
    cut = tmp_path / "cut.warc.gz"
    data = _warc()
    cut.write_bytes(data[: len(data) * 3 // 4])
    res = run_cli("extract", str(good), str(empty), str(batch), str(cut))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr.decode()
    recs = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert len(recs) == 7, recs
    assert "error" not in recs[0], recs[0]
    assert recs[0]["article"]["authors"] == ["Hanna Arhirova"]
    assert "empty document" in recs[1]["error"]
    # another language is read, not refused: the record says the analysis did not run, and why
    fr = recs[2]
    assert fr["article"]["id"] == "fr-1" and fr["article"]["language"] == "fr" and "error" not in fr
    assert fr["analysis"]["ran"] is False and "French" in fr["analysis"]["reason"] and fr["entities"] == []
    assert recs[3]["id"] == "line-2" and "invalid JSON" in recs[3]["error"]
    assert recs[4]["id"] == "nitf-less" and "error" in recs[4]
    assert recs[5]["article"]["url"] == "https://a.example/1"
    assert "truncated" in recs[6]["error"]
