"""make eval: extract every gold input of the dev set (SHARED/gold) and the check set
(SHARED/check/gold) in one process, then score each set apart with SHARED/eval/score.py.

Usage: python scripts/eval.py [--shared ../shared] [--out out/eval] [--set dev|check|all] [-v]
                              [--accuracy docs/ACCURACY.md | --accuracy '']
Writes OUT/<set>/<name>.json and OUT/<set>/scores.json; prints one TOTAL line per set; with both sets
scored, writes the per-measure table users read (docs/ACCURACY.md; --accuracy '' skips it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SETS = {"dev": "gold", "check": "check/gold"}


def extract_set(shared: Path, gold_dir: Path, out: Path) -> int:
    """Extract each gold file's input into out/<name>.json; a failure writes {} so the scorer counts misses."""
    from newsledger import pipeline
    from newsledger.cli.extract import _quiet_libraries
    from newsledger.read import read_path
    from newsledger.record import NewsledgerError

    _quiet_libraries()
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for gold in sorted(gold_dir.glob("*.json")):
        spec = json.loads(gold.read_text(encoding="utf-8"))
        base = gold_dir.parent  # inputs are relative to the folder above gold/
        path = base / spec["input"]
        try:
            docs = list(read_path(str(path)))
            rec = pipeline.extract(docs[0])
        except (NewsledgerError, OSError, IndexError) as err:
            print(f"eval: {path}: {err}", file=sys.stderr)
            rec, failures = {}, failures + 1
        (out / gold.name).write_text(json.dumps(rec, ensure_ascii=False, indent=1), encoding="utf-8")
    return failures


# ---------------------------------------------------------------------------------------------------------------
# docs/ACCURACY.md: how far to trust each field, from the two sets' scores.json

ARTICLE_FIELDS = [("title", "title"), ("subtitle", "subtitle"), ("authors", "authors (all, and only them)"),
                  ("published", "publication time"), ("publisher", "publisher"),
                  ("chrome", "page furniture kept out of the text"), ("body_first", "text starts where the article does"),
                  ("body_last", "text ends where the article does")]


def _ratio(n: float, d: float) -> str:
    return f"{n / d:.2f} ({int(n)}/{int(d)})" if d else "–"


def _micro(arts: list[dict], section: str) -> tuple[str, str, str]:
    tp = sum(a[section]["counts"]["tp"] for a in arts if section in a)
    pred = sum(a[section]["counts"]["pred"] for a in arts if section in a)
    gold = sum(a[section]["counts"]["gold"] for a in arts if section in a)
    p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"{f1:.2f}", _ratio(tp, pred), _ratio(tp, gold)


def _mean(arts: list[dict], section: str, key: str, when: str | None = None) -> str:
    vals = [a[section][key] for a in arts if section in a and isinstance(a[section].get(key), (int, float))
            and (when is None or a[section]["counts"][when])]
    return f"{sum(vals) / len(vals):.2f} (mean of {len(vals)})" if vals else "–"


def set_measures(gold_dir: Path, scores: dict) -> dict[str, str]:
    """One set's figure for each row of ACCURACY.md (micro counts where the scorer gives them)."""
    arts = scores.get("articles") or {}
    rows: dict[str, str] = {}
    for key, _ in ARTICLE_FIELDS:  # a check counts only where the gold file has that field
        had = passed = 0
        for name, a in arts.items():
            gold_file = gold_dir / f"{name}.json"
            ga = json.loads(gold_file.read_text(encoding="utf-8")).get("article", {}) if gold_file.is_file() else {}
            failed = set((a.get("article") or {}).get("failed") or [])
            checks = [f"chrome{i}" for i in range(len(ga.get("chrome", [])))] if key == "chrome" \
                else ([key] if key in ga else [])
            had += len(checks)
            passed += sum(1 for c in checks if c not in failed)
        rows[f"article:{key}"] = _ratio(passed, had)
    values = list(arts.values())
    for section in ("quotes", "claims", "events"):
        f1, p, r = _micro(values, section)
        rows[f"{section}:f1"], rows[f"{section}:p"], rows[f"{section}:r"] = f1, p, r
    rows["quotes:span_f1"] = _mean(values, "quotes", "span_f1")
    rows["quotes:attribution"] = _mean(values, "quotes", "attribution", when="tp")
    rows["claims:span_f1"] = _mean(values, "claims", "span_f1")
    rows["claims:source"] = _mean(values, "claims", "source_acc", when="tp")
    rows["claims:status"] = _mean(values, "claims", "status_acc", when="tp")
    rows["events:date"] = _mean(values, "events", "date_acc", when="tp")
    for section in ("figures", "timexes"):
        rows[f"{section}:found"] = _ratio(sum(a[section]["found"] for a in values if section in a),
                                          sum(a[section]["of"] for a in values if section in a))
    rows["articles"] = str(len(arts))
    return rows


ROWS = [
    ("Article", [(f"article:{k}", label) for k, label in ARTICLE_FIELDS]),
    ("Quotes", [("quotes:f1", "F1: words and speaker both right"), ("quotes:p", "precision"),
                ("quotes:r", "recall"), ("quotes:span_f1", "F1 of the words alone"),
                ("quotes:attribution", "speaker right, of the quotes found")]),
    ("Claims", [("claims:f1", "F1: words, source and status all right"), ("claims:p", "precision"),
                ("claims:r", "recall"), ("claims:span_f1", "F1 of the words alone"),
                ("claims:source", "source right, of the claims found"),
                ("claims:status", "status right, of the claims found")]),
    ("Events", [("events:f1", "F1: PLOVER type, actor and target right"), ("events:p", "precision"),
                ("events:r", "recall"), ("events:date", "date right, of the events found")]),
    ("Figures and dates", [("figures:found", "figures found (numbers, casualties, money)"),
                           ("timexes:found", "time expressions resolved to their day or range")]),
]


def _version() -> str:
    from newsledger import __version__

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = dirty = ""
    return f"{__version__}" + (f" (commit {commit}{' with uncommitted changes' if dirty else ''})" if commit else "")


def write_accuracy(path: Path, shared: Path, out: Path, today: dt.date | None = None) -> bool:
    """docs/ACCURACY.md from OUT/{dev,check}/scores.json; False (nothing written) unless both sets were scored."""
    measures: dict[str, dict[str, str]] = {}
    for name, rel in SETS.items():
        scores = out / name / "scores.json"
        if not scores.is_file():
            return False
        measures[name] = set_measures(shared / rel, json.loads(scores.read_text(encoding="utf-8")))
    dev, check = measures["dev"], measures["check"]
    lines: list[Any] = [
        "# How far to trust each field",
        "",
        f"Measured on {(today or dt.date.today()).isoformat()} with newsledger {_version()} by `make eval`, "
        "which writes this page (scripts/eval.py); do not edit it by hand.",
        "",
        "Two hand-annotated sets of news articles, scored by the project's scorer (`shared/eval/score.py`, "
        "matching rules in `shared/eval/GOLD.md`):",
        "",
        f"- **dev** ({dev['articles']} articles): the set the developers read and test against. Its figures are "
        "optimistic.",
        f"- **check** ({check['articles']} articles): read only as a whole, never tuned on. Its figures are the "
        "better guide to what you will see on news you bring.",
        "",
        "F1, precision and recall count every gold item once across a set (micro); a figure given as a mean is the "
        "mean over articles that have such items. Ratios show the counts behind them.",
        "",
    ]
    for title, rows in ROWS:
        lines += [f"## {title}", "", "| measure | dev | check |", "|---|---|---|"]
        lines += [f"| {label} | {dev.get(key, '–')} | {check.get(key, '–')} |" for key, label in rows]
        lines.append("")
    lines += ["Every extracted item carries the characters it came from (its `span`): where a figure above is low, "
              "read the evidence before relying on the field.", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--out", default="out/eval")
    ap.add_argument("--set", choices=["dev", "check", "all"], default="all")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--accuracy", default="docs/ACCURACY.md",
                    help="where to write the per-measure table of both sets ('' to skip)")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    scorer = shared / "eval" / "score.py"
    if not scorer.is_file():
        print(f"make eval: {scorer} not found; eval needs the shared gold sets next to the project "
              "(set NEWSLEDGER_SHARED)", file=sys.stderr)
        return 2
    rc = 0
    for name, rel in SETS.items():
        if args.set not in ("all", name):
            continue
        gold_dir = shared / rel
        if not gold_dir.is_dir():
            print(f"make eval: {gold_dir} not found; skipping the {name} set", file=sys.stderr)
            continue
        out = Path(args.out) / name
        failures = extract_set(shared, gold_dir, out)
        print(f"== {name} set ({gold_dir}){f', {failures} extraction failures' if failures else ''}", flush=True)
        cmd = [sys.executable, str(scorer), "--gold-dir", str(gold_dir), "--pred-dir", str(out),
               "--json", str(out / "scores.json")]
        if args.verbose:
            cmd.insert(2, "-v")
        proc = subprocess.run(cmd, capture_output=not args.verbose, text=True)
        if not args.verbose:
            lines = proc.stdout.splitlines()
            print("\n".join(line for line in lines if line.startswith("TOTAL")) or proc.stdout)
        rc = rc or proc.returncode
    if args.accuracy and args.set == "all" and rc == 0:
        if write_accuracy(Path(args.accuracy), shared, Path(args.out)):
            print(f"wrote {args.accuracy}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
