"""Every input that once crashed or stalled a stage stays here as a regression test.

Inputs found by the fuzzer (tests/fuzz/run.py) live as files in tests/fuzz/regressions/ and are replayed through
the same target the fuzzer runs (read_bytes -> article.build -> entities -> quotes -> claims -> validate):
only a NewsledgerError may come out, and the record must validate. An input whose bug lives in a module this
suite does not own is listed in KNOWN with the reason, as an expected failure, until that module is fixed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from newsledger import pipeline, validate
from newsledger.limits import time_budget
from newsledger.read import Document

FUZZ = Path(__file__).parent / "fuzz"
REGRESSIONS = sorted(p for p in (FUZZ / "regressions").glob("*") if p.suffix != ".md")

# file name -> why it still fails (the owner's bug); remove the entry when the fix lands
KNOWN: dict[str, str] = {}


def _target():
    spec = importlib.util.spec_from_file_location("newsledger_fuzz_target", FUZZ / "run.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod.fuzz_one


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name, marks=[pytest.mark.xfail(strict=False, reason=KNOWN[p.name])]
                                               if p.name in KNOWN else []) for p in REGRESSIONS])
def test_fuzz_found_input_is_handled(path: Path) -> None:
    fuzz_one = _target()
    with time_budget(60, what=path.name):
        assert fuzz_one(path.read_bytes()) in ("refused", "read", "article", "stages")


def test_seed_pages_pass_the_fuzz_target() -> None:
    """The target itself works: the test pages get through every fuzzed stage."""
    fuzz_one = _target()
    pages = sorted((Path(__file__).parent / "pages").glob("*.html"))
    assert pages and all(fuzz_one(p.read_bytes()[:4096]) in ("article", "stages") for p in pages)


def test_many_short_paragraphs_finish_in_bounded_time() -> None:
    # found when a 1.8 MB JSON file landed in examples/ as an article: ~10k one-line paragraphs stalled extraction
    text = "Attacks\n\n" + "\n\n".join(f"Rebels attacked the town of Kamba {i} and police arrested protesters."
                                       for i in range(600))
    with time_budget(45, what="600-paragraph article"):
        rec = pipeline.extract(Document(text=text, source="paragraphs"))
    assert validate.problems(rec) == []
