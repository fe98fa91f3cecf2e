"""Read stage: bytes on disk (or stdin) -> documents.

A document is one news item before any analysis: its raw text or HTML, and
whatever the container told us (id, url, publication instant). The reader is
chosen by content, not by file extension, because crawls and downloads
routinely carry wrong or missing extensions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from newsledger.read.document import (  # noqa: F401  (re-exported: the read stage's public names)
    MAX_BYTES,
    Document,
    declared_charset,
    decode,
    looks_binary,
    sniff,
    utf16_without_bom,
)
from newsledger.read.warc import read_warc
from newsledger.record import NewsledgerError


def read_bytes(data: bytes, source: str = "", url: str | None = None, published: str | None = None,
               max_bytes: int = MAX_BYTES) -> Iterator[Document]:
    """Every document in ``data``: one for a page or text, many for WARC and JSON lines."""
    if len(data) > max_bytes:
        raise NewsledgerError(
            f"{source or 'input'}: document too large: {len(data) / 1e6:.0f} MB > {max_bytes / 1e6:.0f} MB limit; "
            "raise with --max-bytes")
    kind = sniff(data)
    if kind == "warc":
        yield from read_warc(data, source)
        return
    if kind == "gzip":
        raise NewsledgerError(f"{source or 'input'}: gzip data that is not a readable WARC file "
                              "(damaged, truncated or another kind of archive)")
    if looks_binary(data):
        raise NewsledgerError(f"{source or 'input'}: binary data, not a text, HTML, XML, WARC or JSON lines document")
    text = decode(data, source).replace("\x00", "")
    if kind == "jsonl":
        yield from read_jsonl(text, source)
        return
    doc = Document(url=url, published=published, source=source)
    if kind == "nitf":
        doc.nitf = text
    elif kind == "html":
        doc.html = text
    else:
        doc.text = text
    yield doc


def read_jsonl(text: str, source: str = "") -> Iterator[Document]:
    """One document per line of ``{"id", "text"|"html", "title"?, "url"?, "published"?}``; a bad line is an error
    document. With a ``"title"``, a line's ``"text"`` is the body alone; without one, a text of one paragraph, or
    whose first line ends like a sentence, is all body (event-coded data sets hold one sentence a line, and reading
    that line as a headline left them with no body), and a saved page's text keeps its headline line."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        meta = {"container": "jsonl"}
        try:
            obj = json.loads(line)
        except ValueError as err:
            yield Document(id=f"line-{n}", source=where, error=f"{where}: invalid JSON ({err.msg})",
                           meta=meta)
            continue
        if not isinstance(obj, dict):
            yield Document(id=f"line-{n}", source=where, error=f"{where}: a JSON line must be an object",
                           meta=meta)
            continue
        doc_id = str(obj["id"]) if obj.get("id") is not None else None
        body_text, body_html = obj.get("text"), obj.get("html")
        if not isinstance(body_text, str) and not isinstance(body_html, str):
            yield Document(id=doc_id or f"line-{n}", source=where, meta=meta,
                           error=f"{where}: needs a \"text\" or \"html\" string")
            continue
        # JSON allows any type here; only strings are a URL or an instant, anything else is ignored
        url_v, pub_v, title_v = obj.get("url"), obj.get("published"), obj.get("title")
        if isinstance(title_v, str) and title_v.strip():
            meta["title"] = " ".join(title_v.split())
            meta["body_only"] = True
        doc = Document(id=doc_id, url=url_v if isinstance(url_v, str) and url_v.strip() else None,
                       published=pub_v if isinstance(pub_v, str) and pub_v.strip() else None, source=where, meta=meta)
        if isinstance(body_html, str):
            doc.html = body_html
        else:
            doc.text = body_text
        yield doc


def read_path(path: str | Path, url: str | None = None, published: str | None = None,
              max_bytes: int = MAX_BYTES) -> Iterator[Document]:
    """Documents in one file, or in ``-`` (standard input)."""
    if str(path) == "-":
        import sys
        data = sys.stdin.buffer.read()
        yield from read_bytes(data, "<stdin>", url, published, max_bytes)
        return
    p = Path(path)
    if not p.exists():
        raise NewsledgerError(f"{p}: no such file")
    if p.is_dir():
        raise NewsledgerError(f"{p}: is a folder (use `newsledger ingest` for folders)")
    size = p.stat().st_size
    if size > max_bytes and sniff(p.open("rb").read(4096)) != "warc":
        raise NewsledgerError(
            f"{p}: document too large: {size / 1e6:.0f} MB > {max_bytes / 1e6:.0f} MB limit; raise with --max-bytes")
    data = p.read_bytes()
    kind = sniff(data)
    if p.name.lower().endswith((".warc", ".warc.gz")) and kind not in ("warc", "gzip") and data.strip():
        raise NewsledgerError(f"{p}: not a WARC file (no WARC/1.x record header; a .warc.gz must be gzip data)")
    if kind == "warc":
        yield from read_warc(data, str(p))
        return
    yield from read_bytes(data, str(p), url, published, max_bytes)
