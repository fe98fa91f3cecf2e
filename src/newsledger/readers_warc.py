"""WARC / WARC.gz reader (warcio): HTML response records only.

This is how web archives and Common Crawl's CC-News ship pages. A truncated
archive yields the records read so far and then one error document.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator

from newsledger.read import Document, decode
from newsledger.record import NewsledgerError


def read_warc(data: bytes, source: str = "") -> Iterator[Document]:
    n = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response":
                continue
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if "html" not in ctype.lower():
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            published = record.rec_headers.get_header("WARC-Date")
            body = record.content_stream().read()
            try:
                html = decode(body, f"{source}#{n}")
            except NewsledgerError as err:
                yield Document(id=None, url=url, source=f"{source}#{n}", error=str(err))
                continue
            yield Document(url=url, html=html, source=f"{source}#{n}",
                           meta={"warc_date": published, "record_id": record.rec_headers.get_header("WARC-Record-ID")})
    except Exception as err:  # warcio raises bare Exceptions / ArchiveLoadFailed on damaged input
        msg = str(err).splitlines()[0] if str(err) else err.__class__.__name__
        if n == 0:
            raise NewsledgerError(f"{source}: not a readable WARC file ({msg[:120]})") from None
        yield Document(source=f"{source}#{n + 1}", error=f"{source}: WARC truncated or damaged after record {n}")
