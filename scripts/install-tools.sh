#!/usr/bin/env bash
# Installs the local tools Bridge runs and tests against into .tools/ (idempotent).
#   azurite   Azure Storage emulator (npm)           -> .tools/azurite/node_modules/.bin/azurite
#   smtp4dev  local mail catcher with a web UI (dotnet tool) -> .tools/smtp4dev/smtp4dev
#   smtp-server  Nodemailer's SMTP server (npm), the XOAUTH2 peer of the OAuth tests
#             (tests/peers/xoauth2-smtp.mjs) -> .tools/smtp-server/node_modules/smtp-server
#   npm:<package>@<version>  any npm package at a pinned version (e.g. npm:playwright-core@1.65.1, which
#             drives Debian's chromium in the delivery log page's browser test; npm:@sendgrid/mail@8.1.6 and
#             npm:postmark@4.0.7, the official SDKs the drop-in endpoints are tested with)
#             -> .tools/npm-<package, '/' as '-'>/node_modules/<package>
#   apt:<package>  a Debian package (the test peers: dnsmasq, dovecot, chromium, wordpress, mariadb-server, ...),
#             installed with apt-get when dpkg does not have it yet, starting no system service; needs root, as CI has
# Usage: scripts/install-tools.sh [azurite] [smtp4dev] [smtp-server] [npm:<package>@<version> ...] [apt:<package> ...]
#        (no argument: azurite, smtp4dev and smtp-server)
set -euo pipefail

AZURITE_VERSION=3.37.0
SMTP4DEV_VERSION=3.15.0
SMTP_SERVER_VERSION=3.21.6

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(azurite smtp4dev smtp-server)

need() { command -v "$1" >/dev/null 2>&1 || { echo "install-tools: '$1' is required but not on PATH ($2)" >&2; exit 1; }; }

# Debian packages go in one apt-get call: update once, then install what is missing.
debian=()
for tool in "${wanted[@]}"; do
  case "$tool" in
    apt:*) dpkg -s "${tool#apt:}" >/dev/null 2>&1 || debian+=("${tool#apt:}") ;;
  esac
done
if [ ${#debian[@]} -gt 0 ]; then
  need apt-get "the test peers are Debian packages"
  echo "install-tools: installing ${debian[*]} (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  # Postfix as a test peer runs privately (its own config folder, a high port): the system's own stays unconfigured.
  if [[ " ${debian[*]} " == *" postfix "* ]]; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  fi
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  # Packages such as mariadb-server and apache2 (which wordpress pulls in) start a system service on install; the
  # tests run private instances on their own sockets and ports instead. Container images carry a policy-rc.d that
  # forbids starting services; elsewhere one is put in place for this install only.
  policy=/usr/sbin/policy-rc.d
  placed=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && placed=1
  fi
  status=0
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${debian[@]}" >/dev/null || status=$?
  [ -n "$placed" ] && rm -f "$policy"
  [ "$status" -eq 0 ] || exit "$status"
fi

for tool in "${wanted[@]}"; do
  case "$tool" in
    apt:*) ;;
    npm:*@*)
      spec="${tool#npm:}"
      package="${spec%@*}"
      # A scoped package gets a flat folder: @sendgrid/mail -> .tools/npm-@sendgrid-mail
      folder="$tools/npm-${package//\//-}"
      if [ ! -f "$folder/node_modules/$package/package.json" ]; then
        need npm "install Node.js 20+ with npm"
        echo "install-tools: installing $spec (npm)"
        mkdir -p "$folder"
        npm install --prefix "$folder" --no-audit --no-fund --loglevel=error "$spec" >/dev/null
      fi
      ;;
    azurite)
      if [ ! -x "$tools/azurite/node_modules/.bin/azurite" ]; then
        need npm "install Node.js 20+ with npm"
        echo "install-tools: installing azurite $AZURITE_VERSION"
        mkdir -p "$tools/azurite"
        npm install --prefix "$tools/azurite" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null
      fi
      ;;
    smtp4dev)
      if [ ! -x "$tools/smtp4dev/smtp4dev" ]; then
        need dotnet "install the .NET 10 SDK"
        echo "install-tools: installing smtp4dev $SMTP4DEV_VERSION"
        dotnet tool install --tool-path "$tools/smtp4dev" Rnwood.Smtp4dev --version "$SMTP4DEV_VERSION" >/dev/null
      fi
      ;;
    smtp-server)
      if [ ! -f "$tools/smtp-server/node_modules/smtp-server/package.json" ]; then
        need npm "install Node.js 20+ with npm"
        echo "install-tools: installing smtp-server $SMTP_SERVER_VERSION"
        mkdir -p "$tools/smtp-server"
        npm install --prefix "$tools/smtp-server" --no-audit --no-fund --loglevel=error "smtp-server@$SMTP_SERVER_VERSION" >/dev/null
      fi
      ;;
    *) echo "install-tools: unknown tool '$tool'" >&2; exit 2 ;;
  esac
done
