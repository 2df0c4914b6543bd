#!/usr/bin/env bash
# Starts and stops a local Pebble ACME server with pebble-challtestsrv as its DNS, for the demo and the tests.
#
#   pebble-config/pebble.sh start DIR   make TLS material and config in DIR, start both, wait until they answer
#   pebble-config/pebble.sh stop DIR    stop exactly the two processes that 'start DIR' recorded
#
# Ports come from the environment (defaults in brackets); the tests pass free ones:
#   PEBBLE_PORT [14000] ACME API   PEBBLE_MGMT_PORT [15000] management (roots, cert status)
#   PEBBLE_TLS_PORT [5001] where Pebble validates tls-alpn-01   PEBBLE_HTTP_PORT [5002] http-01 (certbot's)
#   DNS_PORT [8053] challtestsrv DNS   CHALLTESTSRV_PORT [8055] challtestsrv management
# PEBBLE_EAB_KID and PEBBLE_EAB_HMAC_KEY (base64url), when both are set, make External Account Binding required
# with that one key.
# Every name resolves to 127.0.0.1 (no AAAA, so Pebble dials IPv4); challtestsrv's own challenge listeners are
# off. Pebble runs with PEBBLE_VA_NOSLEEP=1 and PEBBLE_AUTHZREUSE=0 unless the caller sets them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:-}
dir=${2:-}
[[ -n $cmd && -n $dir ]] || { sed -n '2,14p' "$0" >&2; exit 2; }

: "${PEBBLE_PORT:=14000}" "${PEBBLE_MGMT_PORT:=15000}" "${PEBBLE_TLS_PORT:=5001}" "${PEBBLE_HTTP_PORT:=5002}"
: "${DNS_PORT:=8053}" "${CHALLTESTSRV_PORT:=8055}"

stop() {
  for name in pebble challtestsrv; do
    local pidfile="$dir/$name.pid"
    [[ -f $pidfile ]] || continue
    local pid
    pid=$(cat "$pidfile")
    # Only a process that is still the one we started: its command line names our binary.
    if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "pebble"; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

make_tls() {
  [[ -f $dir/ca.pem && -f $dir/localhost.pem ]] && return
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=acmejx test root for Pebble's HTTPS" -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout "$dir/localhost.key" -out "$dir/localhost.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n' >"$dir/localhost.ext"
  openssl x509 -req -in "$dir/localhost.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 3650 -extfile "$dir/localhost.ext" -out "$dir/localhost.pem" 2>/dev/null
  chmod 600 "$dir/ca.key" "$dir/localhost.key"
}

write_config() {
  local eab='"externalAccountBindingRequired": false'
  if [[ -n ${PEBBLE_EAB_KID:-} && -n ${PEBBLE_EAB_HMAC_KEY:-} ]]; then
    eab="\"externalAccountBindingRequired\": true, \"externalAccountMACKeys\": {\"$PEBBLE_EAB_KID\": \"$PEBBLE_EAB_HMAC_KEY\"}"
  fi
  cat >"$dir/pebble.json" <<JSON
{
  "pebble": {
    "listenAddress": "127.0.0.1:$PEBBLE_PORT",
    "managementListenAddress": "127.0.0.1:$PEBBLE_MGMT_PORT",
    "certificate": "$dir/localhost.pem",
    "privateKey": "$dir/localhost.key",
    "httpPort": $PEBBLE_HTTP_PORT,
    "tlsPort": $PEBBLE_TLS_PORT,
    "ocspResponderURL": "",
    $eab
  }
}
JSON
}

wait_for() { # URL what pid: until the URL answers any HTTP status
  for _ in $(seq 100); do
    local code
    code=$(curl -sS --cacert "$dir/ca.pem" -o /dev/null -w '%{http_code}' "$1" 2>/dev/null) || true
    [[ $code != 000 && -n $code ]] && return 0
    kill -0 "$3" 2>/dev/null || { echo "pebble.sh: $2 exited; its log:" >&2; cat "$dir/$2.log" >&2; return 1; }
    sleep 0.1
  done
  echo "pebble.sh: $2 did not answer at $1 within 10 s; its log is $dir/$2.log" >&2
  return 1
}

start() {
  for tool in pebble pebble-challtestsrv openssl curl; do
    command -v "$tool" >/dev/null || { echo "pebble.sh: $tool is missing: apt-get install pebble openssl curl" >&2; exit 1; }
  done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  stop
  make_tls
  write_config
  pebble-challtestsrv -management "127.0.0.1:$CHALLTESTSRV_PORT" -dns01 "127.0.0.1:$DNS_PORT" \
    -http01 "" -https01 "" -tlsalpn01 "" -defaultIPv4 127.0.0.1 -defaultIPv6 "" \
    >"$dir/challtestsrv.log" 2>&1 &
  echo $! >"$dir/challtestsrv.pid"
  PEBBLE_VA_NOSLEEP=${PEBBLE_VA_NOSLEEP:-1} PEBBLE_AUTHZREUSE=${PEBBLE_AUTHZREUSE:-0} \
    pebble -config "$dir/pebble.json" -dnsserver "127.0.0.1:$DNS_PORT" >"$dir/pebble.log" 2>&1 &
  echo $! >"$dir/pebble.pid"
  trap 'stop' ERR
  wait_for "http://127.0.0.1:$CHALLTESTSRV_PORT/" challtestsrv "$(cat "$dir/challtestsrv.pid")"
  wait_for "https://localhost:$PEBBLE_PORT/dir" pebble "$(cat "$dir/pebble.pid")"
  curl -fsS --cacert "$dir/ca.pem" "https://localhost:$PEBBLE_MGMT_PORT/roots/0" >"$dir/issuer-root.pem"
  trap - ERR
  cat <<INFO
ACME_DIRECTORY=https://localhost:$PEBBLE_PORT/dir
ACME_CA_CERT=$dir/ca.pem
ISSUER_ROOT=$dir/issuer-root.pem
CHALLTESTSRV=http://127.0.0.1:$CHALLTESTSRV_PORT
INFO
}

case $cmd in
  start) start ;;
  stop) dir=$(cd "$dir" 2>/dev/null && pwd) || exit 0; stop ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
