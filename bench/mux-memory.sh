# shellcheck shell=bash
# bench/mux.sh's memory and first-seconds figures; sourced by mux.sh, not run. Uses mux.sh's launch, stop_pid,
# running, tree_ticks, run_wrk, say, die and its variables (work, repo, name, clk_tck).
# shellcheck disable=SC2154 # the variables are mux.sh's

cold_seconds=${COLD:-10}  # seconds of new-connection load measured right after each proxy starts (0: none)
# Open forwarded connections at which RSS is measured (HOLD=0: none). A one-process proxy needs two descriptors
# per connection, so the larger count is capped by the hard limit on open files (20,000 here: 9,900 connections).
read -r -a hold_counts <<<"${HOLD-2000 10000}"
# Seconds between the two readings with the connections open (0: one reading). Right after they opened, a JVM may be
# compiling: C2's work area of a big method is up to about 24 MiB of RSS until it is freed and serve's 5-s trim of
# the C library's heap returns it. The second reading, still holding them, is the steady state with that many.
settle_seconds=${SETTLE:-10}
declare -A rss_idle rss_held rss_settled held_count cold_cpu cold_reqs

# Called with the other checks, once die exists: COLD whole seconds, HOLD positive whole numbers.
check_memory_settings() {
  local count
  [[ $cold_seconds =~ ^[0-9]+$ ]] || die "COLD must be whole seconds (0 for none), not '$cold_seconds'"
  [[ $settle_seconds =~ ^[0-9]+$ ]] || die "SETTLE must be whole seconds (0 for one reading), not '$settle_seconds'"
  for count in "${hold_counts[@]}"; do
    [[ $count =~ ^[1-9][0-9]*$ ]] || die "HOLD must list positive whole numbers of connections, not '$count'"
  done
}

# Resident memory of PID and every process descended from it, in KiB (/proc/PID/stat's rss, in pages). For
# nginx that adds the master's and the workers' own counts, so pages they share are counted once per process.
tree_rss_kib() { # PID
  local page
  page=$(getconf PAGESIZE)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" -v page="$page" '
    { pid = $1; rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
      parent[pid] = f[2]; rss[pid] = f[22] }
    END { total = 0
      for (p in rss) { q = p; depth = 0
        while (q != "" && q != root && (q + 0) > 1 && depth++ < 64) q = parent[q]
        if (q == root) total += rss[p] }
      printf "%d", total * page / 1024 }'
}

# The most connections one proxy process can hold forwarded under this shell's hard limit on open files.
hold_limit() {
  local hard
  hard=$(ulimit -Hn)
  [[ $hard == unlimited ]] && { echo 1000000; return; }
  echo $(((hard - 200) / 2))
}

# The load before the warm-up: CPU per request in the first COLD seconds of new TLS connections after TARGET
# started (its JIT has compiled nothing of the connection path yet, for acmejx), next to the steady state later.
measure_cold() { # TARGET PID
  ((cold_seconds > 0)) || return 0
  local p0 p1 out=$work/cold-$1.txt
  p0=$(tree_ticks "$2")
  run_wrk close "$cold_seconds" "$out"
  p1=$(tree_ticks "$2")
  cold_reqs[$1]=$(awk '/ requests in / { print $1 }' "$out")
  cold_cpu[$1]=$(awk -v t=$((p1 - p0)) -v hz="$clk_tck" -v n="${cold_reqs[$1]}" \
    'BEGIN { printf "%.1f", (n > 0) ? 1e6 * t / hz / n : 0 }')
  say "mux.sh:   first ${cold_seconds} s: ${cold_reqs[$1]} requests, proxy CPU ${cold_cpu[$1]} ms/1k req"
}

# RSS of TARGET idle, then while hold.py keeps each COUNT of forwarded connections open through it.
measure_memory() { # TARGET PID PORT COUNT...
  local count log i limit target=$1 proxy=$2 port=$3
  shift 3
  rss_idle[$target]=$(tree_rss_kib "$proxy")
  limit=$(hold_limit)
  for count in "$@"; do
    ((count <= limit)) || count=$limit
    log=$work/hold-$target-$count.log
    launch "$log" python3 "$repo/bench/hold.py" 127.0.0.1 "$port" "$name" "$count"
    local holder=$pid
    for ((i = 0; i < 1200; i++)); do
      grep -q '^held ' "$log" 2>/dev/null && break
      running "$holder" || { cat "$log" >&2; die "hold.py could not open $count connections through $target"; }
      sleep 0.1
    done
    grep -q '^held ' "$log" || die "hold.py did not open $count connections through $target within 120 s"
    rss_held[$target:$count]=$(tree_rss_kib "$proxy")
    if ((settle_seconds > 0)); then
      sleep "$settle_seconds"
      running "$holder" || { cat "$log" >&2; die "hold.py stopped holding $count connections through $target"; }
      rss_settled[$target:$count]=$(tree_rss_kib "$proxy")
    fi
    held_count[$count]=1
    stop_pid "$holder"
    say "mux.sh:   $target with $count connections open: RSS $((${rss_held[$target:$count]} / 1024)) MiB" \
      "${rss_settled[$target:$count]:+, ${settle_seconds} s later $((${rss_settled[$target:$count]} / 1024)) MiB}"
  done
}

# The first challenge a serve answers loads BouncyCastle and JSSE into it for good, so a serve that has renewed
# holds more than the fresh one measured above: publish a tls-alpn-01 challenge through acmejx's control socket,
# check that a validator's handshake gets its certificate (acmeIdentifier, acme-tls/1), withdraw it, measure again.
answer_challenge() { # PORT CONTROL_SOCKET
  local sni=challenge.$name ka=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ
  local answer=$work/challenge-answer.txt
  "$repo/acmejx" challenge add --control "$2" --type tls-alpn-01 --identifier "$sni" --key-authorization "$ka" \
    >"$work/challenge-add.log" 2>&1 || { cat "$work/challenge-add.log" >&2; die "acmejx challenge add failed"; }
  openssl s_client -connect "127.0.0.1:$1" -servername "$sni" -alpn acme-tls/1 </dev/null >"$answer" 2>&1 || true
  grep -q '^ALPN protocol: acme-tls/1' "$answer" && openssl x509 -noout -text -in "$answer" 2>/dev/null |
    grep -q '1\.3\.6\.1\.5\.5\.7\.1\.31: critical' || { cat "$answer" >&2; die "serve did not answer the challenge"; }
  "$repo/acmejx" challenge remove --control "$2" --identifier "$sni" >>"$work/challenge-add.log" 2>&1 ||
    { cat "$work/challenge-add.log" >&2; die "acmejx challenge remove failed"; }
  say "mux.sh:   acmejx answered a tls-alpn-01 challenge for $sni"
}

mib() { # KIB
  awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.1f", k / 1024 }'
}

held_cell() { # TARGET:COUNT
  if [[ -n ${rss_settled[$1]:-} ]]; then
    echo "$(mib "${rss_held[$1]:-}")/$(mib "${rss_settled[$1]}")"
  else
    mib "${rss_held[$1]:-}"
  fi
}

report_memory() {
  local t c
  echo
  if ((cold_seconds > 0)); then
    echo "the first ${cold_seconds} s after start, new TLS connection per request: CPU ms/1k req, and as a" \
      "multiple of the same proxy's steady state (target for acmejx: at most 2)"
    for t in acmejx haproxy nginx-stream; do
      printf '  %-13s %7s ms/1k (%6s requests)   steady %7s   first/steady %s\n' "$t" "${cold_cpu[$t]}" \
        "${cold_reqs[$t]}" "${proxy_cpu[$t:close]}" \
        "$(awk -v a="${cold_cpu[$t]}" -v b="${proxy_cpu[$t:close]}" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
    done
  fi
  ((${#hold_counts[@]})) || return 0
  echo
  local header counts
  mapfile -t counts < <(printf '%s\n' "${!held_count[@]}" | sort -n)
  header=$(printf '%-15s %10s' "RSS MiB" idle)
  for c in "${counts[@]}"; do header+=$(printf ' %14s' "$c open"); done
  echo "$header   (the proxy's processes, after the runs; open: forwarded TLS connections held idle)"
  for t in acmejx acmejx-answered acmejx-after haproxy nginx-stream; do
    [[ -n ${rss_idle[$t]:-} ]] || continue
    local line
    line=$(printf '%-15s %10s' "$t" "$(mib "${rss_idle[$t]}")")
    for c in "${counts[@]}"; do line+=$(printf ' %14s' "$(held_cell "$t:$c")"); done
    echo "$line"
  done
  ((settle_seconds == 0)) ||
    echo "open: when they had all opened / ${settle_seconds} s later, still open"
  echo "acmejx: fresh; -answered: the same serve after it answered one tls-alpn-01 challenge, whose classes it keeps"
  [[ -z ${rss_idle[acmejx-after]:-} ]] ||
    echo "-after: the same again, back at ${counts[0]} connections after ${counts[-1]} (the heap the peak grew is" \
      "collected once the peak has passed)"
}
