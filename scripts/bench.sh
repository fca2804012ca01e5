#!/usr/bin/env bash
# Runs the benchmark (bench/Bridge.Bench, see docs/benchmarks.md) against real peers, all on 127.0.0.1:
#   - postfix's smtp-sink, plain (the fastest SMTP server there is),
#   - a private Postfix instance with STARTTLS + AUTH (Cyrus sasldb, self-signed certificate),
#   - a private in-memory Azurite and Bridge.Server, both started by the bench itself.
# Installs what is missing (Debian packages postfix, sasl2-bin; Azurite via scripts/install-tools.sh),
# builds Release, runs, prints one table, and tears everything down. Needs root (apt-get, postfix).
#
# Usage: scripts/bench.sh [bench options]      e.g. scripts/bench.sh --quick
#        scripts/bench.sh --messages 2000 --concurrency 16 --sizes 1k,100k --sinks smtp-sink,postfix
# Environment: BENCH_SINK_PORT (default 42526), BENCH_POSTFIX_PORT (default 42587),
#              BENCH_TIMEOUT (default 40m: the whole run is killed after that), BRIDGE_AZURITE,
#              BENCH_NO_BUILD=1 (use the Release build already there, as scripts/bench-sweep.sh does after building once).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sink_port="${BENCH_SINK_PORT:-42526}"
postfix_port="${BENCH_POSTFIX_PORT:-42587}"
run_timeout="${BENCH_TIMEOUT:-40m}"
sasl_user="bench"
sasl_realm="localhost"

log() { echo "bench.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "run as root: it installs Debian packages and starts a private Postfix"; exit 1
fi

# --- install -----------------------------------------------------------------------------------
if [ ! -x /usr/sbin/postfix ] || [ ! -x /usr/sbin/smtp-sink ] || ! command -v saslpasswd2 >/dev/null; then
  log "installing postfix and Cyrus SASL (about a minute)"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postfix sasl2-bin libsasl2-modules openssl >/dev/null
fi
if [ -z "${BRIDGE_AZURITE:-}" ]; then
  "$root/scripts/install-tools.sh" azurite
  export BRIDGE_AZURITE="$root/.tools/azurite/node_modules/.bin/azurite"
fi

for port in "$sink_port" "$postfix_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is already in use; set BENCH_SINK_PORT / BENCH_POSTFIX_PORT"; exit 1
  fi
done

# --- private Postfix and smtp-sink under a temp dir --------------------------------------------
work="$(mktemp -d /tmp/bridge-bench.XXXXXX)"
sink_pid=""
cleanup() {
  set +e
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null
  [ -f "$work/etc/main.cf" ] && postfix -c "$work/etc" stop >/dev/null 2>&1
  # Postfix's master may take a moment to go; never leave it running.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ -f "$work/queue/pid/master.pid" ] && kill -0 "$(tr -d ' ' < "$work/queue/pid/master.pid")" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "${BENCH_KEEP:-}" ] && log "kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$work/etc/sasl" "$work/queue" "$work/data"
chmod 755 "$work"   # Postfix daemons run as postfix and must reach data/ and sasldb
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/etc/key.pem" -out "$work/etc/cert.pem" 2>/dev/null
chmod 600 "$work/etc/key.pem"
thumbprint="$(openssl x509 -in "$work/etc/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d :)"
password="$(openssl rand -hex 16)"

cat > "$work/etc/sasl/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN
sasldb_path: $work/etc/sasldb2
EOF
printf %s "$password" | saslpasswd2 -p -f "$work/etc/sasldb2" -c -u "$sasl_realm" "$sasl_user"
chown root:postfix "$work/etc/sasldb2"
chmod 640 "$work/etc/sasldb2"

printf '/./ OK\n' > "$work/etc/domains"
printf '/./ sink/\n' > "$work/etc/mailboxes"
cat > "$work/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $work/queue
data_directory = $work/data
maillog_file = $work/maillog
maillog_file_prefixes = /var, /dev/stdout, $work
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = bench.localhost
mydestination =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
# Every recipient is a virtual mailbox, and the mail is thrown away once queued: the bench measures SMTP, not disks.
virtual_mailbox_domains = regexp:$work/etc/domains
virtual_mailbox_maps = regexp:$work/etc/mailboxes
virtual_mailbox_base = $work/vmail
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_transport = discard
# Room for the 25 MiB request case (its MIME is about 26 MB).
message_size_limit = 104857600
smtpd_tls_cert_file = $work/etc/cert.pem
smtpd_tls_key_file = $work/etc/key.pem
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $work/etc/sasl
smtpd_sasl_local_domain = $sasl_realm
smtpd_delay_reject = no
EOF
sed -E -e '/^smtp[[:space:]]+inet/d' \
       -e 's/^([^#[:space:]][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+)y([[:space:]])/\1n\2/' \
       /etc/postfix/master.cf > "$work/etc/master.cf"
cat >> "$work/etc/master.cf" <<EOF
127.0.0.1:$postfix_port inet n - n - - smtpd
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_sender_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
EOF

chown postfix "$work/data"
postfix -c "$work/etc" check >/dev/null 2>&1 || true
if ! postfix -c "$work/etc" start >/dev/null 2>&1; then
  log "postfix did not start; its own words:"
  script -qc "postfix -c $work/etc start" /dev/null >&2 || true
  exit 1
fi
/usr/sbin/smtp-sink -u nobody -a "127.0.0.1:$sink_port" 256 &
sink_pid=$!

for port in "$sink_port" "$postfix_port"; do
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
done

# --- build and run -------------------------------------------------------------------------------
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  log "building (Release)"
  dotnet build -c Release "$root/src/Bridge.Server" -nologo -v q >/dev/null
  dotnet build -c Release "$root/bench/Bridge.Bench" -nologo -v q >/dev/null
fi

log "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB memory, dotnet $(dotnet --version)," \
    "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
set +e
timeout --signal=TERM --kill-after=30s "$run_timeout" \
  dotnet "$root/bench/Bridge.Bench/bin/Release/net10.0/Bridge.Bench.dll" \
    --server "$root/src/Bridge.Server/bin/Release/net10.0/Bridge.Server.dll" \
    --smtp-sink "127.0.0.1:$sink_port" \
    --postfix "127.0.0.1:$postfix_port" --postfix-user "$sasl_user@$sasl_realm" \
    --postfix-password "$password" --postfix-thumbprint "$thumbprint" \
    "$@"
status=$?
set -e
exit $status
