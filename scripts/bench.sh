#!/usr/bin/env bash
# Times the whole binary over the PolNeAR train corpus repeated to at least 100 MB,
# single-threaded and with all cores: MB/s, articles/s and peak RSS (/usr/bin/time -v).
#
#   scripts/bench.sh [MIN_MB] [BUILD]   # MIN_MB default 100; BUILD: plain, pgo or both (default)
#
# plain is `cargo build --release`; pgo is the profile-guided release build of
# scripts/build-release.sh (trained on PolNeAR dev, never on the train corpus timed here).
set -euo pipefail
cd "$(dirname "$0")/.."
min_mb="${1:-100}"
build="${2:-both}"
case "$build" in plain|pgo|both) ;; *) echo "bench: BUILD is plain, pgo or both" >&2; exit 2;; esac
train="../shared/eval/polnear/train.jsonl"
[ -f "$train" ] || { echo "bench: $train not found (it lies beside the checkout)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
bins=()
if [ "$build" != pgo ]; then
  cargo build --release --quiet
  bins+=(target/release/sourcecheck)
fi
if [ "$build" != plain ]; then
  scripts/build-release.sh > /dev/null
  bins+=(target/pgo/release/sourcecheck)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
corpus="$work/corpus.jsonl"
: > "$corpus"
while [ "$(stat -c %s "$corpus")" -lt $((min_mb * 1000 * 1000)) ]; do cat "$train" >> "$corpus"; done
bytes=$(stat -c %s "$corpus")
articles=$(wc -l < "$corpus")
cores=$(nproc)
echo "corpus: $((bytes / 1000000)) MB, $articles articles; machine: $cores cores"
for bin in "${bins[@]}"; do
  echo "$bin:"
  for jobs in 1 "$cores"; do
    /usr/bin/time -v "./$bin" check --format jsonl -j "$jobs" "$corpus" > /dev/null 2> "$work/time.txt"
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    python3 - "$bytes" "$articles" "$secs" "$rss" "$jobs" <<'PY'
import sys
b, a, s, rss, j = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"jobs {j}: {s:.2f} s, {b/1e6/s:.1f} MB/s ({b/1e6/s/j:.1f} MB/s per core), {a/s:.0f} articles/s, peak RSS {rss/1024:.1f} MB")
PY
  done
done
