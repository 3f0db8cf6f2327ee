#!/usr/bin/env bash
# Runs the PolNeAR evaluation end to end and prints the figures.
#
#   scripts/eval.sh [SPLIT...]            # default: dev (train, dev)
#   scripts/eval.sh --min-f1 50 dev       # exit 1 if the dev headline F1 is below 50
#
# Needs ../shared/eval (beside the checkout) and python3. Builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
min=""
splits=()
while [ $# -gt 0 ]; do
  case "$1" in
    --min-f1) min="$2"; shift 2 ;;
    *) splits+=("$1"); shift ;;
  esac
done
[ ${#splits[@]} -gt 0 ] || splits=(dev)
eval_dir="../shared/eval"
if [ ! -f "$eval_dir/score.py" ]; then
  echo "eval: $eval_dir not found (it lies beside the checkout in CI)" >&2
  exit 2
fi
cargo build --release --quiet
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
for split in "${splits[@]}"; do
  gold="$eval_dir/polnear/$split.jsonl"
  ./target/release/sourcecheck check --format jsonl "$gold" > "$out/$split.jsonl"
  echo "== PolNeAR $split"
  python3 "$eval_dir/score.py" "$gold" "$out/$split.jsonl" | tee "$out/$split.txt"
  if [ -n "$min" ]; then
    f1=$(python3 "$eval_dir/score.py" "$gold" "$out/$split.jsonl" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["headline_relation_f1"])')
    if python3 -c "import sys; sys.exit(0 if float('$f1') >= float('$min') else 1)"; then
      echo "ok: $split headline relation F1 $f1 >= $min"
    else
      echo "FAIL: $split headline relation F1 $f1 < $min" >&2
      status=1
    fi
  fi
done
exit $status
