"""make eval: extract every gold input of the dev set (SHARED/gold) and the check set
(SHARED/check/gold) in one process, then score each set apart with SHARED/eval/score.py.

Usage: python scripts/eval.py [--shared ../shared] [--out out/eval] [--set dev|check|all] [-v]
Writes OUT/<set>/<name>.json and OUT/<set>/scores.json; prints one TOTAL line per set.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

SETS = {"dev": "gold", "check": "check/gold"}


def extract_set(shared: Path, gold_dir: Path, out: Path) -> int:
    """Extract each gold file's input into out/<name>.json; a failure writes {} so the scorer counts misses."""
    from newsledger import pipeline
    from newsledger.cli_extract import _quiet_libraries
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--out", default="out/eval")
    ap.add_argument("--set", choices=["dev", "check", "all"], default="all")
    ap.add_argument("-v", "--verbose", action="store_true")
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
    return rc


if __name__ == "__main__":
    sys.exit(main())
