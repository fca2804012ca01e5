#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (Azurite, and smtp-server for the
# XOAUTH2 peer; every other peer runs in-process), builds, runs every test project, and
# prints the totals as "N passed, N failed".
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The peers the tests run against. A Debian package is written apt:<name>.
peers=(azurite smtp-server npm:playwright-core@1.65.1 npm:@sendgrid/mail@8.1.6 npm:postmark@4.0.7 apt:php-cli apt:php-curl apt:php-mysql apt:mariadb-server apt:wordpress apt:dnsmasq-base apt:python3-dkim apt:python3-dnspython apt:chromium apt:dovecot-imapd apt:postfix)
"$root/scripts/install-tools.sh" "${peers[@]}" || exit 1
export BRIDGE_AZURITE="$root/.tools/azurite/node_modules/.bin/azurite"
export BRIDGE_SMTP_SERVER_MODULES="$root/.tools/smtp-server/node_modules"
export BRIDGE_PLAYWRIGHT_MODULES="$root/.tools/npm-playwright-core/node_modules"
export BRIDGE_SENDGRID_MODULES="$root/.tools/npm-@sendgrid-mail/node_modules"
export BRIDGE_POSTMARK_MODULES="$root/.tools/npm-postmark/node_modules"

log="$(mktemp)"
dotnet test Bridge.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly, e.g. "Passed!  - Failed: 0, Passed: 93, Skipped: 0, ..."
summary=$(grep -E '^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+).*/\1 \2/')
failed=$(echo "$summary" | awk '{s+=$1} END {print s+0}')
passed=$(echo "$summary" | awk '{s+=$2} END {print s+0}')
assemblies=$(echo "$summary" | grep -c . || true)
rm -f "$log"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build failed or a test host crashed: count it, so the totals never look green.
  failed=1
fi
echo "test: $assemblies test assemblies"
echo "$passed passed, $failed failed"
exit "$status"
