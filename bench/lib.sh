# Shared by the benchmark scripts; sourced, not run. Expects a die() function in the caller.

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
