#!/usr/bin/env bash
# A real Matrix homeserver (Synapse, from PyPI) on 127.0.0.1 for the tests and
# the demo. Nothing here is Parasol server code: it is Synapse with its
# embedded SQLite and a test configuration.
#
#   bash scripts/synapse.sh install      # cached virtualenv (about 30 s, once)
#   bash scripts/synapse.sh start DIR    # config + start + admin user; prints DIR/env
#   bash scripts/synapse.sh stop DIR     # stops the server started in DIR (by its pid)
#   bash scripts/synapse.sh installed    # exit 0 when the virtualenv is ready
#   bash scripts/synapse.sh register URL PREFIX   # a fresh user: prints "user_id password"
#
# The virtualenv lives outside the clone ($PARASOL_SYNAPSE_VENV, default
# /var/cache/parasol/synapse-venv-<version>), so a fresh clone on a warm machine
# skips the install. `start` writes DIR/env with PARASOL_SYNAPSE_URL,
# PARASOL_SYNAPSE_ADMIN_TOKEN and PARASOL_SYNAPSE_DIR for the tests. Every wait
# is bounded; the server is stopped by the pid recorded at start, never by name.
set -euo pipefail
VERSION=1.163.2
VENV=${PARASOL_SYNAPSE_VENV:-/var/cache/parasol/synapse-venv-$VERSION}
PY=$VENV/bin/python

install() {
  [ -f "$VENV/.parasol-ready" ] && return 0
  echo "synapse: installing matrix-synapse $VERSION into $VENV" >&2
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "matrix-synapse==$VERSION" >&2
  touch "$VENV/.parasol-ready"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

rand() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

start() {
  local dir=$1
  [ -f "$VENV/.parasol-ready" ] || { echo "synapse: not installed (run: bash scripts/synapse.sh install)" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/server.pid" ] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
    echo "synapse: already running in $dir" >&2
    cat "$dir/env"
    return 0
  fi
  local port; port=$(free_port)
  local secret; secret=$(rand)
  # Rate limits are generous for the tests, except failed logins (the tests
  # provoke a real 429 with retry_after_ms there) and what a test sets per
  # user through the admin API.
  cat > "$dir/hs.yaml" <<EOF
server_name: parasol.test
public_baseurl: http://127.0.0.1:$port/
listeners:
  - port: $port
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources: [{names: [client], compress: false}]
database:
  name: sqlite3
  args: {database: $dir/homeserver.db}
media_store_path: $dir/media
signing_key_path: $dir/signing.key
report_stats: false
macaroon_secret_key: "$(rand)"
form_secret: "$(rand)"
registration_shared_secret: "$secret"
enable_registration: true
bcrypt_rounds: 4
enable_registration_without_verification: true
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
max_event_delay_duration: 24h
rc_message: {per_second: 1000, burst_count: 1000}
rc_delayed_event_mgmt: {per_second: 1000, burst_count: 1000}
rc_registration: {per_second: 1000, burst_count: 1000}
rc_room_creation: {per_second: 1000, burst_count: 1000}
rc_joins:
  local: {per_second: 1000, burst_count: 1000}
  remote: {per_second: 1000, burst_count: 1000}
rc_invites:
  per_room: {per_second: 1000, burst_count: 1000}
  per_user: {per_second: 1000, burst_count: 1000}
  per_issuer: {per_second: 1000, burst_count: 1000}
rc_login:
  address: {per_second: 1000, burst_count: 1000}
  account: {per_second: 1000, burst_count: 1000}
  failed_attempts: {per_second: 0.05, burst_count: 3}
EOF
  "$PY" -m synapse.app.homeserver -c "$dir/hs.yaml" --generate-keys >/dev/null 2>&1
  # Synapse writes its pid file only when it daemonizes: keep our own.
  (cd "$dir" && exec nohup "$PY" -m synapse.app.homeserver -c "$dir/hs.yaml" \
      > "$dir/homeserver.log" 2>&1) &
  echo $! > "$dir/server.pid"
  local url=http://127.0.0.1:$port
  local i
  for i in $(seq 1 120); do
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "$url/_matrix/client/versions" >/dev/null 2>&1; then break; fi
    if [ "$i" = 120 ] || ! kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
      echo "synapse: not ready after 60 s; log:" >&2
      tail -30 "$dir/homeserver.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  local admin_pw; admin_pw=$(rand)
  "$VENV/bin/register_new_matrix_user" -u parasol-admin -p "$admin_pw" --admin \
    -k "$secret" "$url" >/dev/null
  local token
  token=$(ADMIN_PW=$admin_pw python3 - "$url" <<'PY'
import json, os, sys, urllib.request
body = json.dumps({"type": "m.login.password",
                   "identifier": {"type": "m.id.user", "user": "parasol-admin"},
                   "password": os.environ["ADMIN_PW"]}).encode()
req = urllib.request.Request(sys.argv[1] + "/_matrix/client/v3/login", data=body,
                             headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=20))["access_token"])
PY
)
  umask 077
  cat > "$dir/env" <<EOF
export PARASOL_SYNAPSE_URL=$url
export PARASOL_SYNAPSE_ADMIN_TOKEN=$token
export PARASOL_SYNAPSE_DIR=$dir
EOF
  cat "$dir/env"
}

stop() {
  local dir=$1
  local pidfile=$dir/server.pid
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

register() { # URL PREFIX: registers a fresh user (open registration, tests only)
  python3 - "$1" "$2" <<'PY'
import json, os, sys, urllib.request
name = sys.argv[2] + "-" + os.urandom(5).hex()
password = os.urandom(12).hex()
body = json.dumps({"username": name, "password": password,
                   "auth": {"type": "m.login.dummy"}}).encode()
req = urllib.request.Request(sys.argv[1] + "/_matrix/client/v3/register", data=body,
                             headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=20))["user_id"], password)
PY
}

case "${1:-}" in
  install) install ;;
  installed) [ -f "$VENV/.parasol-ready" ] ;;
  start) [ -n "${2:-}" ] || { echo "usage: $0 start DIR" >&2; exit 2; }; start "$2" ;;
  stop) [ -n "${2:-}" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
  register) [ -n "${3:-}" ] || { echo "usage: $0 register URL PREFIX" >&2; exit 2; }; register "$2" "$3" ;;
  *) echo "usage: $0 install | installed | start DIR | stop DIR | register URL PREFIX" >&2; exit 2 ;;
esac
