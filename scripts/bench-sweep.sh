#!/usr/bin/env bash
# Chooses the queue listener's batch size and the SMTP connections per profile from measurements
# (docs/benchmarks.md, "Tuning" and "Second stage: sizing with Azure-like storage latency"): the same
# 1 KiB workload once per setting, each a full scripts/bench.sh run with only that setting changed
# (through the environment, as an operator would override host.json and Bridge:Delivery).
# The default sink is the realistic one (Postfix with STARTTLS + AUTH); options after the message
# count go to every bench run after the sweep's own, so they override them, e.g.
#   scripts/bench-sweep.sh 1000 --sinks smtp-sink --storage-latency 5
# runs the sweep at the fast sink with 5 ms added to every storage request (50 ms on one in 50).
# BENCH_SWEEP_RUNS (space-separated names below) picks a subset; BENCH_SWEEP_REPEAT=1 ends the sweep
# with the default setting again, so the first and last runs show the noise between runs.
#
# Usage: scripts/bench-sweep.sh [messages [bench options...]]   (default 1000; about 3 minutes per run here)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
messages="${1:-1000}"
[ $# -gt 0 ] && shift
out="$(mktemp -d /tmp/bridge-sweep.XXXXXX)"

# Build once; each run then skips it (bench.sh's BENCH_NO_BUILD).
dotnet build -c Release "$root/src/Bridge.Server" -nologo -v q >/dev/null
dotnet build -c Release "$root/bench/Bridge.Bench" -nologo -v q >/dev/null

run() {
  local name="$1"; shift
  if [ -n "${BENCH_SWEEP_RUNS:-}" ] && [[ " $BENCH_SWEEP_RUNS " != *" ${name%-again} "* ]]; then return; fi
  echo "== $name" >&2
  env BENCH_NO_BUILD=1 "$@" "$root/scripts/bench.sh" --messages "$messages" --sizes 1k --sinks postfix \
    --memory-sizes 1k --naive-messages 50 --warmup 100 "${bench_args[@]}" > "$out/$name.txt"
  grep -E '^Load average|^\| (storage|E2E)' "$out/$name.txt" | sed "s/^/$name /"
  grep -E 'paced, .*accept p99|accept p99 within 3x' "$out/$name.txt" | sed "s/^/$name /"
}
bench_args=("$@")

q=AzureFunctionsJobHost__extensions__queues
run "batch8-conn8"   "${q}__batchSize=8"  "${q}__newBatchThreshold=4"  Bridge__Delivery__MaxConnectionsPerProfile=8
run "batch16-conn8"  "${q}__batchSize=16" "${q}__newBatchThreshold=8"  Bridge__Delivery__MaxConnectionsPerProfile=8
run "batch32-conn8"  "${q}__batchSize=32" "${q}__newBatchThreshold=16" Bridge__Delivery__MaxConnectionsPerProfile=8
run "batch16-conn4"  "${q}__batchSize=16" "${q}__newBatchThreshold=8"  Bridge__Delivery__MaxConnectionsPerProfile=4
run "batch16-conn16" "${q}__batchSize=16" "${q}__newBatchThreshold=8"  Bridge__Delivery__MaxConnectionsPerProfile=16
if [ -n "${BENCH_SWEEP_REPEAT:-}" ]; then
  run "batch16-conn8-again" "${q}__batchSize=16" "${q}__newBatchThreshold=8" Bridge__Delivery__MaxConnectionsPerProfile=8
fi
echo "whole reports: $out" >&2
