"""Readers: every container and encoding newsledger accepts, on files the tests write."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import SEED
from newsledger.read import read_bytes, read_path, sniff
from newsledger.record import NewsledgerError

PAGES = Path(__file__).parent / "pages"


def make_warc(pages: list[tuple[str, str, bytes]], gz: bool = True) -> bytes:
    """A WARC with one response record per (url, content type, body)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, ctype, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


def warc_pages() -> list[tuple[str, str, bytes]]:
    return [("https://gazette.example/news/bridge", "text/html; charset=utf-8", (PAGES / "gazette-bridge.html").read_bytes()),
            ("https://gazette.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
            ("https://herald.example/strike", "text/html", (PAGES / "herald-strike.html").read_bytes())]


def test_text_capture_is_text() -> None:
    (doc,) = read_path(SEED)
    assert doc.kind == "text" and doc.text.startswith("Stay up to date") and "Zelenskyy" in doc.text


def test_html_sniffed_without_extension(tmp_path: Path) -> None:
    p = tmp_path / "page.download"
    p.write_bytes((PAGES / "gazette-bridge.html").read_bytes())
    (doc,) = read_path(p)
    assert doc.kind == "html" and "Harlow" in doc.html


def test_nitf_sniffed() -> None:
    (doc,) = read_path(PAGES / "wire-story.xml")
    assert doc.kind == "nitf" and "<hl1>" in doc.nitf


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_records_only(tmp_path: Path, gz: bool) -> None:
    p = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    p.write_bytes(make_warc(warc_pages(), gz=gz))
    docs = list(read_path(p))
    assert [d.url for d in docs] == ["https://gazette.example/news/bridge", "https://herald.example/strike"]
    assert all(d.html and not d.error for d in docs)
    assert "Kestrel Bay" in docs[1].html  # cp1252 page decoded


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_complete_records(tmp_path: Path, gz: bool) -> None:
    data = make_warc(warc_pages(), gz=gz)
    p = tmp_path / "cut.warc.gz"
    p.write_bytes(data[: len(data) * 2 // 3])
    docs = list(read_path(p))
    assert docs[0].url == "https://gazette.example/news/bridge" and not docs[0].error
    assert docs[-1].error and "truncated" in docs[-1].error


def test_warc_cut_before_first_record(tmp_path: Path) -> None:
    p = tmp_path / "stub.warc.gz"
    p.write_bytes(make_warc(warc_pages())[:300])
    with pytest.raises(NewsledgerError, match="truncated or damaged WARC"):
        list(read_path(p))


def test_non_gzip_warc_gz(tmp_path: Path) -> None:
    p = tmp_path / "fake.warc.gz"
    p.write_text("just some text pretending to be an archive\n" * 5)
    with pytest.raises(NewsledgerError, match="not a WARC file"):
        list(read_path(p))


def test_damaged_gzip(tmp_path: Path) -> None:
    p = tmp_path / "broken.warc.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00" + b"garbage" * 50)
    with pytest.raises(NewsledgerError, match="gzip data that is not a readable WARC"):
        list(read_path(p))


def test_jsonl_ids_and_errors(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "story-1", "text": SEED.read_text(encoding="utf-8"), "url": "https://x.example/1",
                         "published": "2023-09-28T13:26:00+01:00"}),
             json.dumps({"html": (PAGES / "gazette-bridge.html").read_text(encoding="utf-8")}),
             "{not json",
             json.dumps(["a", "list"]),
             json.dumps({"id": "empty", "url": "u"})]
    p = tmp_path / "batch.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_path(p))
    assert [d.id for d in docs] == ["story-1", None, "line-3", "line-4", "empty"]
    assert docs[0].kind == "text" and docs[0].url == "https://x.example/1" and docs[0].published.startswith("2023")
    assert docs[1].kind == "html" and not docs[1].error
    assert "invalid JSON" in docs[2].error and "object" in docs[3].error and "text" in docs[4].error


def test_utf16_with_and_without_bom() -> None:
    text = SEED.read_text(encoding="utf-8")
    for enc in ("utf-16", "utf-16-le", "utf-16-be"):
        (doc,) = read_bytes(text.encode(enc), "seed")
        assert doc.text.replace("\r\n", "\n").strip() == text.strip(), enc


def test_utf16_html_is_sniffed_as_html() -> None:
    data = (PAGES / "gazette-bridge.html").read_text(encoding="utf-8").encode("utf-16-le")
    assert sniff(data) == "html"


def test_latin1_and_cp1252() -> None:
    text = "Café owner José Núñez said the council’s “plan” was costly.\n\nIt will cost €3 million, he said.\n"
    (doc,) = read_bytes(text.encode("cp1252"), "cp")
    assert doc.text == text
    latin = "Le café de José Núñez à Zürich was closed on Monday, the owner said.\n\nPolice gave no reason.\n"
    (doc,) = read_bytes(latin.encode("latin-1"), "l1")
    assert doc.text == latin


def test_nul_bytes_dropped() -> None:
    (doc,) = read_bytes(b"Headline here\n\nThe mayor said on Monday\x00 that the road would reopen.\n", "nul")
    assert "\x00" not in doc.text and "the road would reopen" in doc.text


def test_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((PAGES / "wire-story.xml").read_bytes())))
    (doc,) = read_path("-")
    assert doc.kind == "nitf" and doc.source == "<stdin>"


def test_warc_http_charset_header(tmp_path: Path) -> None:
    page = "<html><body><p>Café owners in Zürich said on Monday the “new tax” would hurt trade.</p></body></html>"
    page = page.encode("cp1252")  # no <meta charset>: only the HTTP header says what this is
    p = tmp_path / "cp.warc.gz"
    p.write_bytes(make_warc([("https://c.example/", "text/html; charset=windows-1252", page)]))
    (doc,) = read_path(p)
    assert "Café owners in Zürich" in doc.html and "“new tax”" in doc.html
