"""Ledger commands: ``ingest`` and the queries (entities, quotes, claims, events, timeline, search), ``export``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from newsledger.record import NewsledgerError

FORMATS = ["table", "json", "csv"]


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None,
                   help="database URL: sqlite:///FILE (default $NEWSLEDGER_DB or sqlite:///newsledger.db) or "
                        "postgresql://USER@HOST/DB")


def _query(sub: Any, name: str, help: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help)
    _db(p)
    p.add_argument("--format", choices=FORMATS, default="table", help="table (default), json or csv")
    p.add_argument("--limit", type=int, default=None, help="at most this many items")
    p.add_argument("--offset", type=int, default=0, help="skip this many items first")
    return p


def register(sub: Any) -> None:
    p = sub.add_parser("ingest", help="extract documents and store them in the ledger",
                       description="Read files, folders (recursively: .txt .html .htm .xml .warc .warc.gz .jsonl) "
                                   "or - (JSON lines on standard input), extract each document and merge it into "
                                   "the ledger. Already stored documents are skipped, changed ones replaced.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _db(p)
    p.add_argument("--published", help="publication instant (ISO 8601) for documents that do not say")
    p.add_argument("--batch-size", type=int, default=8, help="documents parsed per spaCy batch (default 8)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--workers", type=int, default=None,
                   help="local worker processes that extract in parallel (default: the number of cores; "
                        "1 = in this process). One writer stores, so the database sees no write contention")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="extract on a Dask cluster: a scheduler address (tcp://host:8786), 'local' for a "
                        "LocalCluster sized to this machine, or 'local:N'")
    from newsledger.cli.extract import add_time_budget

    add_time_budget(p)
    p.set_defaults(func=cmd_ingest)

    p = _query(sub, "articles", "list stored articles in ingestion order, with every outlet that carried each")
    p.set_defaults(func=cmd_articles)

    p = _query(sub, "entities", "list ledger entities (people, organisations, places), most mentioned first")
    p.add_argument("--type", help="only this type (PERSON, ORG, GPE, ...)")
    p.add_argument("--name", "-q", dest="q", help="name or alias contains this")
    p.set_defaults(func=cmd_entities)

    p = _query(sub, "quotes", "list quotes, each stored once with every article that carries it")
    p.add_argument("--speaker", help="speaker name or ledger id (E12)")
    p.add_argument("--text", "-q", dest="q", help="quote contains this")
    p.set_defaults(func=cmd_quotes)

    p = _query(sub, "claims", "list claims with their current status and its history")
    p.add_argument("--status", choices=["asserted", "unverified", "denied", "contradicted"])
    p.add_argument("--source", help="source name or ledger id (E12)")
    p.set_defaults(func=cmd_claims)

    p = _query(sub, "events", "list PLOVER events by date")
    p.add_argument("--type", help="PLOVER type (ASSAULT, CONSULT, ...)")
    p.add_argument("--actor", help="actor name or ledger id (E12)")
    p.add_argument("--since", help="events on or after this date (YYYY[-MM[-DD]])")
    p.add_argument("--until", help="events on or before this date (YYYY[-MM[-DD]])")
    p.set_defaults(func=cmd_events)

    p = _query(sub, "timeline", "dated events in date order, optionally of one entity (as actor or target)")
    p.add_argument("--entity", help="entity name or ledger id (E12)")
    p.set_defaults(func=cmd_timeline)

    p = _query(sub, "search", "full-text search over article text and quotes")
    p.add_argument("text", metavar="TEXT")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export", help="export the ledger",
                       description="jsonl: one record per line; csv / parquet: one file per table in the folder "
                                   "PATH; plover: PLOVER event JSON lines; claims-jsonld: schema.org Claim JSON-LD; "
                                   "geojson: events as GeoJSON features; graphml / gexf: the actor network.")
    _db(p)
    p.add_argument("--format", required=True, choices=["jsonl", "csv", "parquet", "plover", "claims-jsonld",
                                                          "geojson", "graphml", "gexf"])
    p.add_argument("-o", "--output", required=True, metavar="PATH")
    p.set_defaults(func=cmd_export)


def _open(args: argparse.Namespace) -> Any:
    from newsledger.ledger import Ledger

    return Ledger(args.db)


def cmd_ingest(args: argparse.Namespace) -> int:
    from newsledger.cli.extract import _quiet_libraries
    from newsledger.ledger.ingest import ingest_paths, print_failures

    _quiet_libraries()
    if args.batch_size < 1:
        raise NewsledgerError("--batch-size must be at least 1")
    from newsledger import pipeline, scale

    pipeline.TIME_BUDGET = args.time_budget or None

    workers = scale.default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise NewsledgerError("--workers must be at least 1")
    extractor = None
    if args.dask or workers > 1:
        extractor = scale.extractor(workers=workers, dask=args.dask, batch_size=args.batch_size,
                                    published=args.published)
    ledger = _open(args)
    try:
        progress = sys.stderr.isatty() and not args.no_progress
        stats = ingest_paths(ledger, args.paths, progress=progress, batch_size=args.batch_size,
                             published=args.published, extractor=extractor)
    finally:
        ledger.close()
    print_failures(stats)
    print(stats.summary())
    return 0 if not stats.failed or stats.ingested + stats.replaced + stats.skipped else 1


def _limit(args: argparse.Namespace, default: int) -> int:
    return args.limit if args.limit is not None else default


def cmd_articles(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        items = ledger.articles(limit=_limit(args, 100000), offset=args.offset)
    return _emit(args, items, [("id", "id"), ("published", "published"), ("title", "title"),
                               ("carried by", _join("carried_by", ", "))])


def cmd_entities(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        items = ledger.entities(q=args.q, type=args.type, limit=_limit(args, 100000), offset=args.offset)
    return _emit(args, items, [("id", "id"), ("name", "name"), ("type", "type"), ("articles", _n("articles")),
                               ("mentions", _n("mentions")), ("aliases", _join("aliases"))])


def cmd_quotes(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        items = ledger.quotes(speaker=args.speaker, q=args.q, limit=_limit(args, 100000), offset=args.offset)
    return _emit(args, items, [("id", "id"), ("speaker", _who("speaker")), ("text", "text"),
                               ("articles", _n("articles")), ("carried by", _join("carried_by", ", "))])


def cmd_claims(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        items = ledger.claims(status=args.status, source=args.source, limit=_limit(args, 100000), offset=args.offset)
    return _emit(args, items, [("id", "id"), ("source", _who("source")), ("status", "status"), ("text", "text"),
                               ("articles", _n("articles")), ("carried by", _join("carried_by", ", "))])



def cmd_events(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        items = ledger.events(type=args.type, actor=args.actor, since=args.since, until=args.until,
                              limit=_limit(args, 100000), offset=args.offset)
    return _emit(args, items, _event_columns())


def cmd_timeline(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        items = ledger.timeline(entity=args.entity, limit=_limit(args, 100000), offset=args.offset)
    return _emit(args, items, _event_columns())


def cmd_search(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        items = ledger.search(args.text, limit=_limit(args, 50))
    return _emit(args, items, [("kind", "kind"), ("article", "article"), ("id", "id"), ("snippet", "snippet")])


def cmd_export(args: argparse.Namespace) -> int:
    from newsledger.ledger.export import export

    with _open(args) as ledger:
        n = export(ledger, args.format, args.output)
    unit = {"jsonl": "records", "geojson": "events", "graphml": "edges", "gexf": "edges"}.get(args.format, "rows")
    print(f"exported {n} {unit} to {args.output}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- output
def _n(key: str) -> Any:
    return lambda it: len(it.get(key) or [])


def _join(key: str, sep: str = "; ") -> Any:
    return lambda it: sep.join(str(x) for x in it.get(key) or [])


def _who(key: str) -> Any:
    return lambda it: it.get(f"{key}_name") or it.get(f"{key}_text") or ""


def _event_columns() -> list[tuple[str, Any]]:
    def date(it: dict) -> str:
        d = it.get("date") or {}
        if not d.get("start"):
            return ""
        return d["start"] if d.get("end") in (None, d["start"]) else f"{d['start']}..{d['end']}"

    def place(it: dict) -> str:
        return (it.get("location") or {}).get("name") or ""

    return [("id", "id"), ("date", date), ("type", "type"), ("actor", _who("actor")), ("target", _who("target")),
            ("place", place), ("articles", _n("articles")), ("carried by", _join("carried_by", ", "))]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _emit(args: argparse.Namespace, items: list[dict], columns: list[tuple[str, Any]]) -> int:
    """Print items as json (every field), csv (every field, nested ones as JSON) or a table (the columns)."""
    if args.format == "json":
        json.dump(items, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if args.format == "csv":
        keys: list[str] = []
        for it in items:
            keys += [k for k in it if k not in keys]
        w = csv.writer(sys.stdout)
        w.writerow(keys)
        for it in items:
            w.writerow([_cell(it.get(k)) for k in keys])
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for title, _ in columns:
        table.add_column(title, overflow="fold")
    for it in items:
        table.add_row(*[_cell(get(it) if callable(get) else it.get(get)) for _, get in columns])
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    print(f"{len(items)} item(s)", file=sys.stderr)
    return 0
