"""Helpers shared by test_api.py and test_web_browser.py: a real ledger on a real SQLite file, filled
with real records (the bundled examples and a hostile article through the real pipeline), and a real
uvicorn server on a free loopback port."""

from __future__ import annotations

import functools
import json
import os
import socket
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "ap-nato-stoltenberg-zelenskyy-2023-09-28.txt"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# An article written to attack the pages: markup in its title, its quotes and a statement.
HOSTILE_TEXT = f"""Minister says {SCRIPT} and {IMG} were found in the talks
By Jane Doe
KYIV, Ukraine (AP) — Foreign Minister Anna Petrova said on Tuesday that the delegation from Moldova had walked out \
of the talks in Geneva.

“{SCRIPT} is what they sent us,” Petrova said. “We will answer with diplomacy, not with {IMG}.”

Petrova accused Moldova of attacking a border post near Chisinau on Monday, without providing supporting evidence. \
Moldova denied the accusation.

The Moldovan Foreign Ministry said in a statement that “nothing <b>bold</b> happened” and that the talks would \
resume next week.
"""
HOSTILE_PUBLISHED = "2024-03-05T10:00:00+00:00"


def _extract_text(text: str, published: str | None = None) -> dict:
    from newsledger.pipeline import extract
    from newsledger.read import Document

    return extract(Document(text=text, source="test"), published=published)


@functools.cache
def hostile_record() -> dict:
    """The hostile article's record from the real pipeline.

    The payloads must reach a quote and a claim whatever the extractors of the day find, so where the
    pipeline found none carrying them, a quote and a claim over the payload sentence are added with
    correct spans (a valid record, as another tool or an older version could have written it). An event
    whose actor and target are the payloads is added too, for the map and the network."""
    rec = _extract_text(HOSTILE_TEXT, HOSTILE_PUBLISHED)
    text = rec["article"]["text"]
    start = text.index(SCRIPT)
    if not any(SCRIPT in q["text"] for q in rec["quotes"]):
        end = text.index("sent us,") + len("sent us,")
        rec["quotes"].append({"id": f"q{len(rec['quotes']) + 1}", "text": text[start:end], "span": [start, end],
                              "speaker": None, "speaker_text": "Petrova", "cue": "said", "kind": "direct"})
    if not any(SCRIPT in c["text"] or IMG in c["text"] for c in rec["claims"]):
        end = text.index(IMG) + len(IMG)
        rec["claims"].append({"id": f"c{len(rec['claims']) + 1}", "text": text[start:end], "source": None,
                              "source_text": "Petrova", "cue": "said", "status": "unverified",
                              "status_cue": "without providing supporting evidence", "contradicted_by": [],
                              "span": [start, end]})
    # an event whose parties are the payloads, at a place, so the map and the network draw them as labels
    start, end = text.index(SCRIPT), text.index("sent us,") + len("sent us")
    rec["events"].append({"id": f"v{len(rec['events']) + 1}", "type": "THREATEN", "mode": None, "actor": None,
                          "actor_text": SCRIPT, "target": None, "target_text": IMG,
                          "date": {"start": "2024-03-04", "end": "2024-03-04", "precision": "day", "text": "Monday"},
                          "location": {"name": "Chisinau", "country": "MD", "lat": 47.00556, "lon": 28.8575,
                                       "geonameid": 618426},
                          "figures": [], "claim": None, "negated": False, "span": [start, end]})
    return rec


@functools.cache
def example_records() -> tuple[dict, ...]:
    """Records of every bundled example (the seed first), extracted once per test process."""
    from newsledger.pipeline import extract_many
    from newsledger.read import read_path

    cache = os.environ.get("NEWSLEDGER_TEST_RECORDS")  # a developer's shortcut: reuse records between runs
    if cache and Path(cache).exists():
        return tuple(json.loads(Path(cache).read_text()))
    paths = [SEED] + sorted(p for p in EXAMPLES.glob("*.txt") if p != SEED)
    docs = [d for p in paths for d in read_path(p)]
    out = tuple(extract_many(docs))
    if cache:
        Path(cache).write_text(json.dumps(out))
    return out


@functools.cache
def seed_and_hostile() -> tuple[dict, ...]:
    """The seed article's record and the hostile one (enough for the API tests)."""
    from newsledger.pipeline import extract
    from newsledger.read import read_path

    (doc,) = list(read_path(SEED))
    return (extract(doc), hostile_record())


def build_ledger(db_path: Path, records: tuple[dict, ...]):
    """A real Ledger on a fresh SQLite file holding ``records``."""
    import copy

    from newsledger.ledger import Ledger

    if db_path.exists():
        db_path.unlink()
    ledger = Ledger(f"sqlite:///{db_path}")
    for rec in records:
        assert "error" not in rec, rec.get("error")
        ledger.ingest_record(copy.deepcopy(rec))
    return ledger


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app served by a real uvicorn in a background thread on 127.0.0.1."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
