"""WARC / WARC.gz reader (warcio): HTML response records only.

This is how web archives and Common Crawl's CC-News ship pages. A truncated
archive yields the records read so far and then one error document; one that
cannot be read at all is a NewsledgerError.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from newsledger.read.document import Document, decode
from newsledger.record import NewsledgerError


def _cut(record: object) -> bool:
    """True when the archive ended before this record's Content-Length (warcio's LimitReader has bytes left)."""
    return getattr(getattr(record, "raw_stream", None), "limit", 0) > 0


def read_warc(data: bytes, source: str = "") -> Iterator[Document]:
    """One Document per HTML response record, WARC-Target-URI as its url, WARC-Date kept in meta."""
    n = records = 0
    truncated = False
    from warcio.archiveiterator import ArchiveIterator  # imported on use: ~0.1 s a process that reads no WARC

    it = ArchiveIterator(io.BytesIO(data))
    try:
        for record in it:
            records += 1
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if record.rec_type != "response" or "html" not in ctype.lower():
                record.raw_stream.read()  # drain, to see whether the record is complete
                if _cut(record):
                    truncated = True
                    break
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#{n}"
            body = record.content_stream().read()
            if _cut(record):  # the archive ends inside this record: its page is incomplete
                n -= 1
                records -= 1
                truncated = True
                break
            meta = {"container": "warc", "warc_date": record.rec_headers.get_header("WARC-Date"),
                    "record_id": record.rec_headers.get_header("WARC-Record-ID")}
            try:
                charset = re.search(r"charset=[\"']?([\w.:-]+)", ctype, re.I)
                html = decode(body, where, hint=charset.group(1) if charset else None)
            except NewsledgerError as err:
                yield Document(id=url, url=url, source=where, error=str(err), meta=meta)
                continue
            yield Document(url=url, html=html, source=where, meta=meta)
    except Exception as err:  # warcio raises bare Exceptions / ArchiveLoadFailed on damaged input
        msg = str(err).splitlines()[0] if str(err) else err.__class__.__name__
        if records == 0:
            raise NewsledgerError(f"{source}: not a readable WARC file ({msg[:120]})") from None
        yield Document(source=f"{source}#{n + 1}", error=f"{source}: WARC damaged after record {records} ({msg[:120]})",
                       meta={"container": "warc"})
        return
    # warcio stops quietly at a cut-off record or gzip member: a record short of its Content-Length,
    # or bytes left unread, mean truncation
    if truncated or data[it.offset:].strip():
        if records == 0:
            raise NewsledgerError(f"{source}: truncated or damaged WARC file (no complete record)")
        yield Document(source=f"{source}#{n + 1}", meta={"container": "warc"},
                       error=f"{source}: WARC truncated after record {records} "
                             f"(byte {it.offset} of {len(data)})")
    elif records == 0:
        raise NewsledgerError(f"{source}: WARC file with no records")
