"""``newsledger extract`` and ``newsledger info``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from newsledger.read import MAX_BYTES, Document, read_path
from newsledger.record import NewsledgerError


def register(sub: Any) -> None:
    p = sub.add_parser("extract", help="print the record of one or many documents",
                       description="Read documents (text captures, HTML, NITF XML, WARC, JSON lines) and print "
                                   "their records. One document -> one JSON record; several -> JSON lines.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to read, or - for standard input")
    p.add_argument("--format", choices=["json", "jsonl", "md"], default=None,
                   help="json (one pretty record), jsonl (one compact record a line) or md (a report to read)")
    p.add_argument("--published", help="publication instant (ISO 8601) when the document does not say")
    p.add_argument("--url", help="the document's URL")
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=f"size limit per input file (default {MAX_BYTES})")
    add_time_budget(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("info", help="version, spaCy pipeline and data files")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_info)


def _documents(paths: list[str], args: argparse.Namespace, errors: list[dict]) -> Iterator[Document]:
    for path in paths:
        try:
            yield from read_path(path, url=args.url, published=args.published, max_bytes=args.max_bytes)
        except NewsledgerError as err:
            yield Document(source=path, error=str(err))


def _quiet_libraries() -> None:
    """trafilatura, htmldate and friends log page-level warnings; the CLI reports problems itself, one line each."""
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer", "readability", "justext", "warcio"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def add_time_budget(p: argparse.ArgumentParser) -> None:
    from newsledger.limits import DEFAULT_TIME_BUDGET

    p.add_argument("--time-budget", type=float, default=DEFAULT_TIME_BUDGET, metavar="SECONDS",
                   help=f"wall-clock limit per document (default {DEFAULT_TIME_BUDGET:g}; 0 = none)")


def cmd_extract(args: argparse.Namespace) -> int:
    from newsledger import pipeline

    pipeline.TIME_BUDGET = args.time_budget or None

    _quiet_libraries()

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        # a single plain file with one document: one record, errors as a one-line message
        docs = list(_documents(args.paths, args, [])) if len(args.paths) == 1 else None
        if docs is not None and len(docs) == 1 and not docs[0].meta.get("container"):
            doc = docs[0]
            if doc.error:
                raise NewsledgerError(doc.error)
            try:
                rec = pipeline.extract(doc, url=args.url, published=args.published)
            except (NewsledgerError, KeyboardInterrupt):
                raise
            except RecursionError:
                raise NewsledgerError(f"{doc.source or 'input'}: document structure too deeply nested") from None
            except Exception as err:  # a hostile page must end in one line, not a traceback
                raise NewsledgerError(f"{doc.source or 'input'}: could not process ({err.__class__.__name__}: "
                                      f"{str(err).splitlines()[0][:160] if str(err) else ''})") from None
            fmt = args.format or "json"
            if fmt == "md":
                from newsledger.cli.report import markdown
                out.write(markdown(rec))
            else:
                out.write(json.dumps(rec, ensure_ascii=False, indent=None if fmt == "jsonl" else 1) + "\n")
            return 0
        failed = 0
        stream = docs if docs is not None else _documents(args.paths, args, [])
        for rec in pipeline.extract_many(stream, url=None, published=args.published):
            if "error" in rec:
                failed += 1
            if args.format == "md" and "error" not in rec:
                from newsledger.cli.report import markdown
                out.write(markdown(rec) + "\n---\n\n")
            else:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()
        if failed:
            print(f"newsledger: {failed} document(s) failed", file=sys.stderr)
            return 1
        return 0
    finally:
        if out is not sys.stdout:
            out.close()


def cmd_info(args: argparse.Namespace) -> int:
    import spacy

    from newsledger import __version__, data
    from newsledger.analysis import language

    nlp = language.nlp()
    info = {"version": __version__, "spacy": spacy.__version__, "spacy_model": language.model_name(),
            "spacy_model_version": nlp.meta.get("version"), "pipeline": nlp.pipe_names, "data_files": data.sizes()}
    if args.format == "json":
        print(json.dumps(info, indent=1))
    else:
        for k, v in info.items():
            print(f"{k}: {v}")
    return 0
