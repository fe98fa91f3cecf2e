"""``newsledger serve``: the web app and JSON API over a ledger, served by uvicorn."""

from __future__ import annotations

import argparse
import os
from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the web app and JSON API over a ledger",
                       description="Serve the pages and the JSON API (OpenAPI docs at /docs). Binds to 127.0.0.1 "
                                   "unless --host says otherwise. Writes (POST /api/articles) need the token.")
    p.add_argument("--db", help="ledger URL (default: $NEWSLEDGER_DB, else sqlite:///newsledger.db)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--token", help="bearer token that enables writes (default: $NEWSLEDGER_TOKEN; none: read-only)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import sys

    import uvicorn

    from newsledger.serve.api import create_app

    token = args.token or os.environ.get("NEWSLEDGER_TOKEN") or None
    loopback = args.host in LOOPBACK
    app = create_app(args.db, token, allowed_hosts=["127.0.0.1", "localhost", "::1"] if loopback else None)
    writes = "writes need the bearer token" if token else "read-only (no token configured)"
    print(f"newsledger: serving on http://{args.host}:{args.port}/ ({writes})", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False,
                proxy_headers=False, timeout_keep_alive=5)
    return 0
