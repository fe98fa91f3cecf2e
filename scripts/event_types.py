"""Per-PLOVER-type precision and recall of events, with the shared scorer's own matching.

    python scripts/event_types.py --gold-dir ../shared/check/gold --pred-dir out/eval/check [-v]

Imports ``score.py`` from ``<shared>/eval`` (so the matching is exactly the scorer's: one-to-one, best
pairs first) and counts per type: a true positive under the predicted type, a prediction under its type,
a gold event under its first listed type. ``-v`` lists misses and false positives per article, the
material for reading errors by kind.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path


def load_scorer(shared: Path):  # noqa: ANN201 - a module
    spec = importlib.util.spec_from_file_location("nl_score", shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no scorer at {shared / 'eval' / 'score.py'}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold-dir", required=True)
    ap.add_argument("--pred-dir", required=True)
    ap.add_argument("--shared", default=None, help="folder holding eval/score.py (default: gold-dir's parents)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    gold_dir = Path(args.gold_dir)
    shared = Path(args.shared) if args.shared else next(
        (p for p in gold_dir.resolve().parents if (p / "eval" / "score.py").exists()), None)
    if shared is None:
        print("cannot find eval/score.py; give --shared", file=sys.stderr)
        return 2
    sc = load_scorer(shared)
    tp, npred, ngold = Counter(), Counter(), Counter()
    dated = right = 0
    for gpath in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        try:
            pred = json.loads((Path(args.pred_dir) / gpath.name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pred = {}
        gnames, pnames = sc.GoldNames(gold.get("entities", [])), sc.PredNames(pred.get("entities"))
        golds, preds = gold.get("events", []), pred.get("events", []) or []

        def sim(g, p, gnames=gnames, pnames=pnames):  # noqa: ANN001, ANN202 - score_events' similarity
            if p.get("type") not in sc.as_list(g["type"]):
                return None
            if not sc.names_match(pnames.of(p.get("actor"), p.get("actor_text")), gnames.expand(g["actor"])):
                return None
            s = 1.0
            if g.get("target"):
                if not sc.names_match(pnames.of(p.get("target"), p.get("target_text")), gnames.expand(g["target"])):
                    return None
                s += 1
            if g.get("date") and p.get("date") and sc.date_ok(g["date"], p["date"]):
                s += 0.5
            return s

        pairs = sc.greedy_match(golds, preds, sim)
        opt_preds = {pi for gi, pi in pairs if golds[gi].get("optional")}
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, pi in pairs:
            if golds[gi].get("optional"):
                continue
            tp[preds[pi].get("type")] += 1
            if golds[gi].get("date"):
                dated += 1
                ok = bool(preds[pi].get("date")) and sc.date_ok(golds[gi]["date"], preds[pi]["date"])
                right += ok
                if args.verbose and not ok:
                    d = preds[pi]["date"]
                    print(f"  {gpath.stem[9:40]} DATE {golds[gi]['type']} gold={golds[gi]['date']} "
                          f"pred={d.get('start')}..{d.get('end')} ({d.get('text')!r}) trig={preds[pi].get('trigger')}")
        for pi, p in enumerate(preds):
            if pi not in opt_preds:
                npred[p.get("type")] += 1
        for g in golds:
            if not g.get("optional"):
                ngold[sc.as_list(g["type"])[0]] += 1
        if args.verbose:
            for gi, g in enumerate(golds):
                if gi not in matched_g and not g.get("optional"):
                    print(f"  {gpath.stem[9:40]} MISS {g['type']} {g['actor']} -> {g.get('target')} {g.get('date')}"
                          f" | {g.get('text', g.get('evidence', ''))[:90]}")
            for pi, p in enumerate(preds):
                if pi not in matched_p:
                    print(f"  {gpath.stem[9:40]} FP   {p['type']} {p.get('actor_text')!r} -> "
                          f"{p.get('target_text')!r} [{p.get('trigger')}] {p['date'].get('start')}")
    print(f"{'type':10} {'P':>6} {'R':>6} {'F1':>6}   tp pred gold")
    for t in sorted(set(npred) | set(ngold), key=str):
        p, r, f = sc.prf(tp[t], npred[t], ngold[t])
        print(f"{t!s:10} {p:6.3f} {r:6.3f} {f:6.3f}  {tp[t]:3} {npred[t]:4} {ngold[t]:4}")
    p, r, f = sc.prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
    print(f"{'ALL':10} {p:6.3f} {r:6.3f} {f:6.3f}  {sum(tp.values()):3} {sum(npred.values()):4} {sum(ngold.values()):4}")
    print(f"date accuracy {right}/{dated} = {right / dated if dated else 0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
