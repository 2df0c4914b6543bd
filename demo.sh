#!/usr/bin/env bash
# The main job end to end on this machine: start a local Pebble ACME server (with pebble-challtestsrv as its
# DNS, every name pointing at 127.0.0.1), let acmejx get a certificate for a demo name by answering tls-alpn-01
# itself, and show where it landed and what it says. Everything stays on loopback, in ./demo-work/.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
work=$root/demo-work
name=${DEMO_NAME:-demo.acmejx.test}

if ! command -v pebble >/dev/null || ! command -v pebble-challtestsrv >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "demo: needs Debian's pebble package: sudo apt-get install pebble" >&2
    exit 1
  fi
  echo "demo: installing Debian's pebble package" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pebble openssl curl >/dev/null
fi

# The first free loopback port at or above $1 that this script has not picked already, into variable $2:
# the usual ports may be taken on this machine.
taken=" "
pick_port() {
  local port=$1
  while [[ $taken == *" $port "* ]] || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done
  taken+="$port "
  printf -v "$2" '%s' "$port"
  export "${2?}"
}
pick_port 14000 PEBBLE_PORT
pick_port 15000 PEBBLE_MGMT_PORT
pick_port 5001 PEBBLE_TLS_PORT
pick_port 5002 PEBBLE_HTTP_PORT
pick_port 8053 DNS_PORT
pick_port 8055 CHALLTESTSRV_PORT

rm -rf "$work/config"
mkdir -p "$work"
echo "== starting Pebble (ACME on :$PEBBLE_PORT, tls-alpn-01 validations to :$PEBBLE_TLS_PORT)"
eval "$("$root/pebble-config/pebble.sh" start "$work/pebble" | sed 's/^/export /')"
trap '"$root/pebble-config/pebble.sh" stop "$work/pebble"' EXIT

echo "== acmejx issue -d $name"
"$root/acmejx" issue -d "$name" --server "$ACME_DIRECTORY" --ca-cert "$ACME_CA_CERT" \
  --config-dir "$work/config" --listen "127.0.0.1:$PEBBLE_TLS_PORT" \
  --agree-tos --non-interactive -m demo@example.org

live=$work/config/live/$name
echo
echo "== the certificate nginx would use: $live/fullchain.pem"
openssl x509 -in "$live/fullchain.pem" -noout -subject -issuer -serial -dates -ext subjectAltName
echo "== checked by openssl against Pebble's issuing root"
openssl verify -CAfile "$ISSUER_ROOT" -untrusted "$live/chain.pem" "$live/cert.pem"
