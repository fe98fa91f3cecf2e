"""Documents and bytes: the ``Document`` every reader yields, and how raw bytes are decoded and sniffed.

Kept apart from the readers so that each reader (``warc`` and the ones in ``read/__init__``) depends on it
and not on one another.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from newsledger.record import NewsledgerError

MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Document:
    """One raw news item. Exactly one of ``text``/``html``/``nitf`` is set unless ``error`` is."""

    id: str | None = None
    url: str | None = None
    published: str | None = None
    text: str | None = None
    html: str | None = None
    nitf: str | None = None
    source: str = ""
    error: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "html" if self.html is not None else "nitf" if self.nitf is not None else "text"


def decode(data: bytes, source: str = "", hint: str | None = None) -> str:
    """Bytes -> str: BOMs and UTF-8 first, then the charset the container (``hint``, e.g. an HTTP header)
    or the document declares, then charset-normalizer's best guess."""
    if not data.strip():
        raise NewsledgerError(f"{source or 'input'}: empty document")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    bom_less = utf16_without_bom(data)
    if bom_less:
        return data.decode(bom_less, "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _known_charset(hint) or declared_charset(data[:4096])
    if declared:
        return data.decode(declared, "replace")
    results = from_bytes(data[:2_000_000])
    best = results.best()
    if best is None:
        raise NewsledgerError(f"{source or 'input'}: binary data, not a text, HTML, XML, WARC or JSON lines document")
    encoding = best.encoding
    # charset-normalizer ranks Latin code pages by language coherence, unreliable on short text (cp1250,
    # cp775 for "Núñez"); windows-1252 is by far the commonest legacy encoding of English news, so it wins
    # whenever it decodes as cleanly (equal "chaos"); mojibake from a wrong code page raises chaos, so
    # Cyrillic or Greek code pages still win on their own text.
    for m in results:
        if m.encoding in ("cp1252", "latin_1") and m.chaos <= best.chaos + 0.01:
            encoding = "cp1252"
            break
    return data.decode(encoding, "replace")


# WHATWG Encoding Standard: these labels mean windows-1252 on the web
WEB_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
               "ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252"}


def _known_charset(label: str | None) -> str | None:
    """Python's codec name for a charset label (web aliases applied), None for unknown or UTF-8/16/32."""
    import codecs

    if not label:
        return None
    label = WEB_ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name.startswith(("utf-16", "utf-32", "utf-8")) else name


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML/XML document declares (<meta charset>, http-equiv, <?xml encoding?>), if Python knows it."""
    import re

    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", head, re.I)
    if not m:
        return None
    return _known_charset((m.group(1) or m.group(2)).decode("ascii"))


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 text, else None.

    charset-normalizer does not recognise UTF-16 without a BOM reliably; Latin-script UTF-16
    has a NUL in every other byte, on the odd positions (LE) or the even ones (BE).
    """
    head = data[:8192]
    if len(head) < 16 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    n = len(head) // 2
    for name, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) > 0.9 * n and other.count(0) < 0.05 * n:
            try:
                data[: len(data) - len(data) % 2].decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (images, archives, executables)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):
        return False
    if head.count(b"\x00") > len(head) // 10 + 1:
        return True
    try:  # valid UTF-8 (a cut multi-byte character at the end allowed) is text: skip the costly guess
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return False
    except UnicodeDecodeError:
        pass
    return from_bytes(head).best() is None if head else False


def sniff(data: bytes) -> str:
    """Name of the reader for these bytes: warc, jsonl, nitf, html or text."""
    head = data[:4096]
    if head[:2] == b"\x1f\x8b":
        try:
            inner = gzip.GzipFile(fileobj=io.BytesIO(data[:65536])).read(16)
        except (OSError, EOFError, zlib.error):
            inner = b""
        return "warc" if inner.startswith(b"WARC/") else "gzip"
    enc = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_without_bom(head)
    if enc:  # look at UTF-16 text through its characters, not its bytes
        head = head[: len(head) // 2 * 2].decode(enc, "ignore").encode("utf-8", "ignore")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"WARC/"):
        return "warc"
    low = stripped[:2048].lower()
    if low.startswith(b"{"):
        return "jsonl"
    if b"<nitf" in low:
        return "nitf"
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<!--")) or b"<html" in low:
        return "html"
    if low.startswith(b"<") and (b"<p" in low or b"<div" in low or b"<article" in low):
        return "html"
    return "text"
