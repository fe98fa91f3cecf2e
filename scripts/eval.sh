#!/usr/bin/env bash
# make eval: extract every gold input in ../shared and score it with ../shared/eval/score.py.
set -euo pipefail
SHARED=${NEWSLEDGER_SHARED:-../shared}
if [ ! -f "$SHARED/eval/score.py" ]; then
  echo "make eval: $SHARED/eval/score.py not found; eval needs the shared gold set next to the project (set NEWSLEDGER_SHARED)" >&2
  exit 2
fi
OUT=${EVAL_OUT:-out/eval}
rm -rf "$OUT"; mkdir -p "$OUT"
for gold in "$SHARED"/gold/*.json; do
  name=$(basename "$gold" .json)
  input=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["input"])' "$gold")
  .venv/bin/newsledger extract "$SHARED/$input" -o "$OUT/$name.json" || echo "{}" > "$OUT/$name.json"
done
python3 "$SHARED/eval/score.py" ${VERBOSE:+-v} --gold-dir "$SHARED/gold" --pred-dir "$OUT" --json "$OUT/scores.json"
