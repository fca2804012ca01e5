#!/usr/bin/env bash
# Runs Bridge locally with everything it needs:
#   Azurite (storage)            127.0.0.1:10000-10002, data in .local/azurite
#   smtp4dev (mail catcher)      SMTP on localhost:2525, web UI on http://localhost:5000
#   Bridge.Server (API + worker) http://localhost:7071 (override with ASPNETCORE_URLS or --urls)
# Extra arguments are passed to Bridge.Server. Ctrl+C stops everything it started.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p .local/azurite .local/logs
"$root/scripts/install-tools.sh" azurite smtp4dev

pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() {
  local port=$1 name=$2
  for _ in $(seq 1 100); do listening "$port" && return 0; sleep 0.2; done
  echo "run-local: $name did not start on port $port; see .local/logs/" >&2
  exit 1
}

if listening 10001; then
  echo "run-local: Azurite is already running on 10000-10002; using it"
else
  .tools/azurite/node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --location .local/azurite \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >.local/logs/azurite.log 2>&1 &
  pids+=($!)
  wait_for 10001 Azurite
fi

if listening 2525; then
  echo "run-local: something already listens on 2525; assuming it is smtp4dev"
else
  .tools/smtp4dev/smtp4dev --smtpport=2525 --imapport=1143 --pop3port=1110 --urls=http://localhost:5000 \
    --db= --nousersettings --hostname=localhost >.local/logs/smtp4dev.log 2>&1 &
  pids+=($!)
  wait_for 2525 smtp4dev
fi

dotnet build src/Bridge.Server --nologo -v q
cat <<'INFO'

  Bridge is starting on http://localhost:7071 (Development settings, local API key: bridge-local-dev-key)
  Caught mail:  http://localhost:5000
  Try it:       see "Send a message" in README.md
  Stop:         Ctrl+C

INFO
ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development \
  dotnet run --no-build --no-launch-profile --project src/Bridge.Server -- "$@" &
pids+=($!)
wait "${pids[-1]}"
