#!/usr/bin/env bash
# make eval: extract the dev set (../shared/gold) and the check set (../shared/check/gold) and score
# each apart with ../shared/eval/score.py. VERBOSE=1 prints per-article scores.
set -euo pipefail
SHARED=${NEWSLEDGER_SHARED:-../shared}
exec .venv/bin/python scripts/eval.py --shared "$SHARED" --out "${EVAL_OUT:-out/eval}" ${EVAL_SET:+--set "$EVAL_SET"} ${VERBOSE:+-v}
