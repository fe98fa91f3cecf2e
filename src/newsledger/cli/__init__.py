"""The ``newsledger`` command.

Subcommands live in their own modules, each exposing ``register(subparsers)``;
this file only wires them, so the ledger, web and scale parts can grow without
touching one another.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from newsledger import __version__

COMMAND_MODULES = [
    "newsledger.cli.extract",
    "newsledger.cli.ledger",
    "newsledger.cli.serve",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsledger", description="Raw news in, an auditable ledger out.")
    parser.add_argument("--version", action="version", version=f"newsledger {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:
                continue
            raise
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from newsledger.record import NewsledgerError

    try:
        return int(args.func(args) or 0)
    except NewsledgerError as err:
        print(f"newsledger: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsledger: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
