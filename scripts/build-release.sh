#!/usr/bin/env bash
# Builds the release binary with profile-guided optimisation (PGO):
#   1. an instrumented build (target/pgo-gen) runs a training workload and records which
#      branches and calls are hot;
#   2. the release build (target/pgo) is compiled with that profile, so the optimiser lays
#      out and inlines the hot paths of a corpus run.
# The result is target/pgo/release/sourcecheck: the same program, byte-identical output,
# about 5% fewer instructions than `cargo build --release` (docs/performance.md).
#
#   scripts/build-release.sh
#
# Training workload: the PolNeAR dev split (../shared/eval/polnear/dev.jsonl) when it lies
# beside the checkout, else the example articles; plus the table, JSON and report outputs of
# the examples, so that the desk editor's paths are trained too. The benchmark corpus
# (PolNeAR train) is never used for training.
#
# Needs llvm-profdata, from the rustup component `llvm-tools` (added here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  rustup component add llvm-tools >&2 || rustup component add llvm-tools-preview >&2
fi
[ -x "$profdata" ] || { echo "build-release: llvm-profdata not found at $profdata" >&2; exit 2; }

data="$PWD/target/pgo-data"
rm -rf "$data"
mkdir -p "$data"

echo "build-release: instrumented build (target/pgo-gen)" >&2
RUSTFLAGS="-Cprofile-generate=$data" cargo build --release --quiet --target-dir target/pgo-gen
gen=target/pgo-gen/release/sourcecheck

echo "build-release: training run" >&2
dev=../shared/eval/polnear/dev.jsonl
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if [ -f "$dev" ]; then
  "$gen" check --format jsonl -j1 "$dev" > /dev/null
else
  echo "build-release: $dev not found; training on the examples only" >&2
fi
# the examples: corpus, table, pretty JSON and review reports (exit 1 = claims below the bar)
"$gen" check --format jsonl -j1 examples/wire-roundup.jsonl > /dev/null || [ $? -eq 1 ]
for f in examples/harbour-deal.txt examples/council-vote.md; do
  "$gen" check "$f" > /dev/null || [ $? -eq 1 ]
  "$gen" check --format json "$f" > /dev/null || [ $? -eq 1 ]
done
"$gen" report examples/harbour-deal.txt examples/council-vote.md examples/wire-roundup.jsonl \
  --out "$out/reports" > /dev/null || [ $? -eq 1 ]

"$profdata" merge -o "$data/merged.profdata" "$data"/*.profraw

echo "build-release: optimised build (target/pgo)" >&2
RUSTFLAGS="-Cprofile-use=$data/merged.profdata" cargo build --release --quiet --target-dir target/pgo
echo "target/pgo/release/sourcecheck"
