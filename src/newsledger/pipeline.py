"""The pipeline: read -> article -> language -> entities -> quotes -> claims ->
time / figures / places -> events. Each stage is ``run(record, doc)`` and adds
its own section of the record; see SPEC.md for the record.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from newsledger import article as article_stage
from newsledger.analysis import language
from newsledger.limits import DEFAULT_TIME_BUDGET, time_budget
from newsledger.read import Document
from newsledger.record import NewsledgerError, Record, content_id, new_record

# (module, function): order is the order data flows; a stage reads only what earlier ones wrote.
STAGES: list[str] = [
    "newsledger.analysis.entities",
    "newsledger.analysis.quotes",
    "newsledger.analysis.claims",
    "newsledger.analysis.timexes",
    "newsledger.analysis.figures",
    "newsledger.analysis.places",
    "newsledger.analysis.events",
]


class Stage(Protocol):
    """An analysis stage: each module in ``STAGES`` has ``run(record, doc)`` of this shape. It reads the record
    so far (the sections of earlier stages) and the parsed spaCy doc, and adds its own section; it never reads
    another stage's internals. Shared needs (the speaker/actor resolver) live in their own module."""

    def __call__(self, rec: Record, doc: Any) -> None: ...


# Wall-clock seconds one document may take in this process (None: no limit); set by --time-budget.
TIME_BUDGET: float | None = DEFAULT_TIME_BUDGET


def _stages() -> list[Stage]:
    return [importlib.import_module(name).run for name in STAGES]


def prepare(doc: Document, url: str | None = None, published: str | None = None) -> Record:
    """Article and language stages: a record with the article filled, ready to parse.

    ``record["analysis"]`` says whether the analysis stages are to run: a page in another language is read
    (body, title, authors, date, publisher) and kept with empty sections and the reason, not refused.
    """
    art = article_stage.build(doc, url=url, published=published)
    reason = language.check_language(art, doc.source)
    rec = new_record(art)
    analysis = {"ran": reason is None, "reason": reason}
    return {k: v for key, value in rec.items()  # "analysis" right after "article", where a reader looks
            for k, v in ([(key, value), ("analysis", analysis)] if key == "article" else [(key, value)])}


def parse_text(rec: Record) -> str:
    """The text the parser reads: ``article.text`` with a wire dateline that opens it ("CAIRO, May 21 (Reuters) -")
    blanked to spaces. Same length, so every offset into the parse is an offset into ``article.text``; the
    dateline stays in the stored text, it is only kept out of the first sentence's grammar."""
    text = rec["article"]["text"]
    dateline = article_stage.wire_dateline(text)
    return text if dateline is None else " " * dateline[0] + text[dateline[0]:]


def will_analyse(rec: Record) -> bool:
    return (rec.get("analysis") or {}).get("ran", True)


def analyse(rec: Record, doc: Any) -> Record:
    """Run every NLP stage over an already parsed spaCy ``doc`` of ``rec['article']['text']``."""
    with time_budget(TIME_BUDGET, what=f"document {rec['article'].get('id')}"):
        for run in _stages():
            run(rec, doc)
    return rec


def extract(doc: Document, url: str | None = None, published: str | None = None) -> Record:
    """One document -> one full record. Raises NewsledgerError on unusable input."""
    language.nlp()  # load the model outside the document's time budget
    with time_budget(TIME_BUDGET, what=doc.source or "document"):
        rec = prepare(doc, url, published)
        return analyse(rec, language.parse(parse_text(rec))) if will_analyse(rec) else rec


def extract_many(docs: Iterable[Document], url: str | None = None, published: str | None = None,
                 batch_size: int = 8) -> Iterator[Record]:
    """Records in input order; a bad document becomes ``{"id", "error"}`` and the rest go on.

    Parsing is batched through ``language.pipe`` (``nlp.pipe``) which is markedly faster than one call per text.
    """
    batch: list[tuple[Document, Record | dict]] = []

    def flush() -> Iterator[Record]:
        good = [(i, r) for i, (_, r) in enumerate(batch) if "error" not in r and will_analyse(r)]
        parsed = language.pipe([parse_text(r) for _, r in good], batch_size=batch_size)
        for (_, rec), sdoc in zip(good, parsed, strict=True):
            try:
                analyse(rec, sdoc)
            except Exception as err:  # a stage bug (or a blown time budget) on one document must not lose the batch
                art = rec.get("article") or {}
                rec.clear()
                msg = str(err) if isinstance(err, NewsledgerError) else \
                    f"internal error in analysis: {err.__class__.__name__}: {err}"
                rec.update(error_record(art.get("id"), msg))
                if art.get("url"):
                    rec["url"] = art["url"]
        for _, rec in batch:
            yield rec
        batch.clear()

    for d in docs:
        try:
            with time_budget(TIME_BUDGET, what=d.source or "document"):
                rec: Record | dict = prepare(d, url, published)
        except NewsledgerError as err:
            rec = error_record(_doc_id(d), str(err), d.source)
        except Exception as err:  # never let one hostile page stop a batch
            rec = error_record(_doc_id(d), f"{d.source}: {err.__class__.__name__}: {err}", d.source)
        if "error" in rec and d.url:
            rec["url"] = d.url
        batch.append((d, rec))
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()


def _doc_id(d: Document) -> str | None:
    """The id a failed document is reported under: its own, else a hash of its raw content."""
    if d.id:
        return d.id
    raw = d.text if d.text is not None else d.html if d.html is not None else d.nitf
    return content_id(raw) if raw else None


def error_record(doc_id: str | None, message: str, source: str = "") -> dict:
    out = {"id": doc_id, "error": message}
    if source:
        out["source"] = source
    return out
