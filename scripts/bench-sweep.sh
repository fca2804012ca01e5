#!/usr/bin/env bash
# Chooses the queue listener's batch size and the SMTP connections per profile from measurements
# (docs/benchmarks.md, "Tuning"): the same 1 KiB workload through the realistic sink (Postfix with
# STARTTLS + AUTH) once per setting, each a full scripts/bench.sh run with only that setting changed
# (through the environment, as an operator would override host.json and Bridge:Delivery).
#
# Usage: scripts/bench-sweep.sh [messages]    (default 1000 per run; about 3 minutes per run here)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
messages="${1:-1000}"
out="$(mktemp -d /tmp/bridge-sweep.XXXXXX)"

run() {
  local name="$1"; shift
  echo "== $name" >&2
  env "$@" "$root/scripts/bench.sh" --messages "$messages" --sizes 1k --sinks postfix \
    --memory-sizes 1k --naive-messages 50 --warmup 100 > "$out/$name.txt"
  grep -E '^\| E2E ' "$out/$name.txt" | sed "s/^/$name /"
}

q=AzureFunctionsJobHost__extensions__queues
run "batch8-conn8"   "${q}__batchSize=8"  "${q}__newBatchThreshold=4"  Bridge__Delivery__MaxConnectionsPerProfile=8
run "batch16-conn8"  "${q}__batchSize=16" "${q}__newBatchThreshold=8"  Bridge__Delivery__MaxConnectionsPerProfile=8
run "batch32-conn8"  "${q}__batchSize=32" "${q}__newBatchThreshold=16" Bridge__Delivery__MaxConnectionsPerProfile=8
run "batch16-conn4"  "${q}__batchSize=16" "${q}__newBatchThreshold=8"  Bridge__Delivery__MaxConnectionsPerProfile=4
run "batch16-conn16" "${q}__batchSize=16" "${q}__newBatchThreshold=8"  Bridge__Delivery__MaxConnectionsPerProfile=16
echo "whole reports: $out" >&2
