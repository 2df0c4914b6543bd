# shellcheck shell=bash
# Shared by the benchmark scripts; sourced, not run. Expects say() and die() functions, and repo and work
# (the checkout and the scratch directory), in the caller.
# shellcheck disable=SC2154 # repo and work are the caller's

# Ports below the kernel's ephemeral range (32768+ on Linux) that no socket in this network namespace uses,
# TCP or UDP, in any state: a DNS port needs both protocols, and a port held by a client connection would
# also make the bind fail. Reads /proc/net so no extra tool is needed.
free_ports() { # COUNT
  local used chosen=() port hex tries=0
  used=$(awk 'FNR > 1 { n = split($2, a, ":"); print a[n] }' /proc/net/tcp /proc/net/tcp6 /proc/net/udp \
    /proc/net/udp6 2>/dev/null | sort -u)
  while ((${#chosen[@]} < $1)); do
    ((tries++ < 1000)) || die "found no free ports between 20000 and 32000"
    port=$((20000 + RANDOM % 12000))
    printf -v hex '%04X' "$port"
    grep -qx "$hex" <<<"$used" && continue
    [[ " ${chosen[*]} " == *" $port "* ]] && continue
    chosen+=("$port")
  done
  echo "${chosen[@]}"
}

# Debian's package for a tool: Pebble's two binaries come in one package, the rest under their own names.
package_of() {
  case $1 in
    pebble | pebble-challtestsrv) echo pebble ;;
    *) echo "$1" ;;
  esac
}

# Installs the packages of the TOOLs not on PATH when running as root with apt-get; otherwise dies naming them.
# Expects say() and die() in the caller.
install_tools() { # TOOL...
  local tool missing=() packages=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  ((${#missing[@]})) || return 0
  for tool in "${missing[@]}"; do packages+=("$(package_of "$tool")"); done
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
  if ((EUID == 0)) && command -v apt-get >/dev/null; then
    say "installing ${packages[*]} (missing: ${missing[*]})"
    apt-get update -qq >&2 && apt-get install -y -qq "${packages[@]}" >&2
    for tool in "${missing[@]}"; do command -v "$tool" >/dev/null || die "$tool is still missing"; done
  else
    die "missing ${missing[*]}; install them with: apt-get install ${packages[*]}"
  fi
}

# Starts Pebble and challtestsrv on six free ports with pebble-config/pebble.sh, state in $work/pebble, and sets
# acme_directory, acme_ca_cert, tls_port (where Pebble validates tls-alpn-01) and challtestsrv (its management URL). Sets pebble_up for stop_pebble.
# pebble.sh waits until both servers answer, so no sleep is needed here; it prints KEY=VALUE lines.
start_pebble() {
  local ports info
  read -r -a ports <<<"$(free_ports 6)"
  ((${#ports[@]} == 6)) || die "could not pick six free ports"
  tls_port=${ports[2]}
  pebble_up=1
  info=$(PEBBLE_PORT=${ports[0]} PEBBLE_MGMT_PORT=${ports[1]} PEBBLE_TLS_PORT=$tls_port \
    PEBBLE_HTTP_PORT=${ports[3]} DNS_PORT=${ports[4]} CHALLTESTSRV_PORT=${ports[5]} \
    "$repo/pebble-config/pebble.sh" start "$work/pebble") || die "pebble.sh start failed (output above)"
  acme_directory=$(sed -n 's/^ACME_DIRECTORY=//p' <<<"$info")
  acme_ca_cert=$(sed -n 's/^ACME_CA_CERT=//p' <<<"$info")
  challtestsrv=$(sed -n 's/^CHALLTESTSRV=//p' <<<"$info")
  [[ -n $acme_directory && -f $acme_ca_cert ]] || die "pebble.sh start printed no directory or CA: $info"
  say "Pebble at $acme_directory, validating tls-alpn-01 on 127.0.0.1:$tls_port"
}

# pebble.sh stop only kills the two processes its start recorded in $work, never anything else.
stop_pebble() {
  if ((${pebble_up:-0})); then "$repo/pebble-config/pebble.sh" stop "$work/pebble" || true; fi
  pebble_up=0
}

# The median of the numbers given (the mean of the middle two for an even count), to 3 decimals; and the least.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
  printf "%.3f", (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }
minimum() { printf '%s\n' "$@" | sort -g | head -1; }
