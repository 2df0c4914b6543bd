# shellcheck shell=bash
# Shared by the benchmark scripts; sourced, not run. Expects say() and die() functions in the caller.

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
