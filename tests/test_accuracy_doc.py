"""scripts/eval.py writes docs/ACCURACY.md from the two sets' scores: made-up scores, checked row by row."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _eval_module():
    spec = importlib.util.spec_from_file_location("nl_eval_script", ROOT / "scripts" / "eval.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _article(q: tuple[int, int, int], failed: list[str]) -> dict:
    tp, pred, gold = q
    return {"article": {"passed": 3 - len(failed), "total": 3, "failed": failed},
            "quotes": {"span_f1": 1.0, "counts": {"tp": tp, "pred": pred, "gold": gold}, "attribution": 0.5},
            "claims": {"span_f1": 0.5, "counts": {"tp": 0, "pred": 1, "gold": 2}, "source_acc": 0.0, "status_acc": 0.0},
            "events": {"counts": {"tp": 1, "pred": 4, "gold": 2}, "date_acc": 1.0},
            "figures": {"found": 1, "of": 2}, "timexes": {"found": 2, "of": 2}}


def test_accuracy_page_from_both_sets(tmp_path):
    ev = _eval_module()
    shared, out = tmp_path / "shared", tmp_path / "out"
    for name, rel in ev.SETS.items():
        gold = shared / rel
        gold.mkdir(parents=True)
        (gold / "a.json").write_text(json.dumps({"article": {"title": "T", "chrome": ["x", "y"]}}))
        (gold / "b.json").write_text(json.dumps({"article": {"title": "U", "authors": ["A"]}}))
        arts = {"a": _article((3, 4, 6), ["title", "chrome1"]), "b": _article((1, 1, 1), [])}
        (out / name).mkdir(parents=True)
        (out / name / "scores.json").write_text(json.dumps({"articles": arts, "total": {}}))
    page = tmp_path / "ACCURACY.md"
    assert ev.write_accuracy(page, shared, out, today=dt.date(2026, 12, 4))
    text = page.read_text()
    assert "Measured on 2026-12-04 with newsledger" in text
    rows, section = {}, ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("| ") and not line.startswith("| measure"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0] if section == "Article" else f"{section}: {cells[0]}"] = cells[1:]
    assert rows["title"][0] == "0.50 (1/2)"  # failed in a, passed in b
    assert rows["authors (all, and only them)"][0] == "1.00 (1/1)"  # only b's gold has authors
    assert rows["page furniture kept out of the text"][0] == "0.50 (1/2)"
    assert rows["Quotes: precision"][0] == "0.80 (4/5)" and rows["Quotes: recall"][0] == "0.57 (4/7)"  # micro
    assert rows["Quotes: F1: words and speaker both right"][0] == "0.67"
    assert rows["Events: precision"] == ["0.25 (2/8)", "0.25 (2/8)"]
    assert rows["Claims: source right, of the claims found"][0] == "–"  # no claim found, no mean
    assert rows["Figures and dates: figures found (numbers, casualties, money)"][1] == "0.50 (2/4)"


def test_no_page_without_both_sets(tmp_path):
    ev = _eval_module()
    (tmp_path / "out" / "dev").mkdir(parents=True)
    (tmp_path / "out" / "dev" / "scores.json").write_text('{"articles": {}}')
    assert not ev.write_accuracy(tmp_path / "ACCURACY.md", tmp_path, tmp_path / "out")
    assert not (tmp_path / "ACCURACY.md").exists()
