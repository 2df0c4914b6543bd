#!/usr/bin/env bash
# Puts three TLS-passthrough multiplexers side by side in front of the same nginx HTTPS backend and drives each
# with wrk: acmejx serve, HAProxy (tcp mode, the classic req_ssl_hello_type / req.ssl_alpn ACME routing) and nginx
# (stream, ssl_preread, a map on the ALPN). For each proxy and load it prints wrk's requests/s and the proxy's
# own CPU time per 1,000 requests (medians over the rounds), then acmejx's ratios to the best of the other two.
#
#   bash bench/mux.sh                  3 rounds of 10 s runs after 20 s of warm-up per mode, 32 connections,
#                                      2 wrk threads, then the memory figures: about 17 minutes in all
#   DURATION=5 ROUNDS=1 bash bench/mux.sh   a quicker look (seconds; 30s and 1m work too)
#   CONNECTIONS=64 THREADS=2 WARMUP=0 PROXY_WORKERS=2 BACKEND_WORKERS=2 KEEP=1 bash bench/mux.sh
#     WARMUP: seconds of unmeasured load per mode (0: none); PROXY_WORKERS: haproxy's nbthread and the nginx
#     stream proxy's worker_processes (default 1); BACKEND_WORKERS: the backend's worker_processes (default 1);
#     KEEP=1: keep the work directory (configs, logs, every wrk output)
#   ACMEJX_OPTS='--transport epoll' bash bench/mux.sh    extra options for acmejx serve, split on spaces
#   ACMEJX_SOCKETS=passed bash bench/mux.sh   serve on a socket passed as acmejx.socket passes it (socket_unit.py)
#   COLD=10 HOLD='2000 10000' SETTLE=10 bash bench/mux.sh   the defaults: CPU per new connection in the first 10 s
#     after each proxy starts (COLD=0: not measured), RSS with these many forwarded connections held open (HOLD=:
#     none), read when they have opened and again SETTLE seconds later (SETTLE=0: once)
#
# Everything runs on 127.0.0.1 with ports picked at run time. The proxies all run from the start, but only the
# one being measured gets traffic; the others sit idle. ROUNDS (3) rounds each measure every proxy in every mode.
# Targets (issue 15): in every mode acmejx's requests/s at least the best of HAProxy's and nginx stream's, its CPU
# per request at most the best, and with new connections its p99 at most the best; at most 128 MiB RSS with 2,000
# connections open; in the first seconds after start, CPU per new connection at most twice its steady state.
# See bench/README.md for what is measured and how to read it.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
# shellcheck source=bench/mux-memory.sh
source "$repo/bench/mux-memory.sh"
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
warmup=${WARMUP:-20}                  # seconds of unmeasured load per mode before each proxy's runs
rounds=${ROUNDS:-3}                   # rounds of measured runs; the report gives each figure's median
proxy_workers=${PROXY_WORKERS:-1}     # haproxy nbthread and nginx stream worker_processes
backend_workers=${BACKEND_WORKERS:-1} # the nginx backend's worker_processes
read -r -a acmejx_opts <<<"${ACMEJX_OPTS:-}"  # extra options for acmejx serve, e.g. --transport epoll
acmejx_sockets=${ACMEJX_SOCKETS:-bound}       # bound: serve binds --listen; passed: a socket unit's socket
name=bench.acmejx.test                # the TLS name: SNI, Host header and the backend's certificate
target_throughput=1                   # acmejx / best requests/s, at least
target_cpu=1                          # acmejx / best CPU per request, at most
target_p99=1                          # acmejx / best p99, at most

work=""     # scratch directory: configs, certificate, logs, wrk outputs
acmejx_control=""  # serve's own control socket, in work: never the machine's /run/acmejx
started=()  # PIDs of every process this script started and has not stopped yet
ok=0        # set when the benchmark finished; a failed run keeps its logs

say() { printf '%s\n' "$*" >&2; }
die() { say "mux.sh: $*"; exit 1; }

# Stops what this script started, nothing else: each PID is checked to still be a child of this shell.
cleanup() {
  local pid
  for pid in "${started[@]}"; do stop_pid "$pid"; done
  started=()
  [[ -n $work && -d $work ]] || return 0
  if ((ok)) && [[ -z ${KEEP:-} ]]; then rm -rf "$work"; else say "mux.sh: logs kept in $work"; fi
}

# --- 1. tools ---------------------------------------------------------------------------------------------

stream_module=/usr/lib/nginx/modules/ngx_stream_module.so  # Debian's libnginx-mod-stream

check_tools() {
  local tool missing=() packages=()
  for tool in haproxy nginx wrk openssl curl; do
    command -v "$tool" >/dev/null || { missing+=("$tool"); packages+=("$tool"); }
  done
  [[ -f $stream_module ]] || { missing+=("nginx's stream module"); packages+=(libnginx-mod-stream); }
  if ((${#missing[@]})); then
    if ((EUID == 0)) && command -v apt-get >/dev/null; then
      say "mux.sh: installing ${packages[*]}"
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
      for tool in haproxy nginx wrk openssl curl; do command -v "$tool" >/dev/null || die "$tool is still missing"; done
      [[ -f $stream_module ]] || die "$stream_module is still missing after installing libnginx-mod-stream"
    else
      die "missing ${missing[*]}; install them with: apt-get install ${packages[*]}"
    fi
  fi
  command -v java >/dev/null || die "java is missing (acmejx needs Java 17: apt-get install openjdk-17-jdk-headless)"
  [[ $duration =~ ^[1-9][0-9]*(s|m)?$ ]] || die "DURATION must be seconds (10, 10s) or minutes (1m), not '$duration'"
  [[ $warmup =~ ^[0-9]+s?$ ]] || die "WARMUP must be whole seconds (0 for none), not '$warmup'"
  local n
  for n in connections threads proxy_workers backend_workers rounds; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "${n^^} must be a positive whole number, not '${!n}'"
  done
  ((connections >= threads)) || die "CONNECTIONS ($connections) must be at least THREADS ($threads)"
  check_memory_settings
  case $duration in *m) duration=$((${duration%m} * 60)) ;; *) duration=${duration%s} ;; esac
  warmup=${warmup%s}
  clk_tck=$(getconf CLK_TCK)
}

# --- 2. acmejx build --------------------------------------------------------------------------------------

# The launcher builds when a main source is newer than the jar; do that here, not while a proxy is timed.
build_acmejx() {
  say "mux.sh: building acmejx if needed ($repo/acmejx --version)"
  "$repo/acmejx" --version >/dev/null || die "acmejx --version failed (output above)"
  local again
  again=$("$repo/acmejx" --version 2>&1 >/dev/null) || die "acmejx --version failed: $again"
  [[ $again != *"acmejx: building"* ]] ||
    die "the acmejx launcher rebuilds on every start (rm $repo/cli/target/acmejx.jar; $repo/acmejx --version)"
}

# --- 3. processes -----------------------------------------------------------------------------------------


# Starts a command in the background as a child of this shell, stdout and stderr to LOG; sets $pid.
# Must not be called inside $( ): the process has to be this shell's own child so stop_pid can vouch for it.
launch() { # LOG COMMAND...
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  pid=$!
  started+=("$pid")
}

is_our_child() { # PID
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ $(cut -d' ' -f2 <<<"$stat") == "$$" ]]
}

# Whether PID is this shell's child and has not exited (a zombie has: it only waits to be reaped).
running() { # PID
  is_our_child "$1" && [[ $(stat_field "$1" 1) != Z ]]
}

# SIGTERM, a bounded wait for it to go (acmejx drains open connections; wrk has closed them all by then),
# SIGKILL if it is still there, and reaping. Only for PIDs this shell started.
stop_pid() { # PID
  local i
  is_our_child "$1" || { wait "$1" 2>/dev/null || true; forget "$1"; return 0; }
  kill -TERM "$1" 2>/dev/null || true
  for ((i = 0; i < 400; i++)); do
    running "$1" || break
    sleep 0.05
  done
  if running "$1"; then
    say "mux.sh: PID $1 ignored SIGTERM for 20 s; killing it"
    kill -KILL "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null || true
  forget "$1"
}

forget() { # PID
  local kept=() p
  for p in "${started[@]}"; do [[ $p == "$1" ]] || kept+=("$p"); done
  started=("${kept[@]+"${kept[@]}"}")
}

stat_field() { # PID N: the Nth field after "pid (comm) ", 1 = state
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  cut -d' ' -f"$2" <<<"$stat"
}

# Polls /proc/net/tcp* until PORT is in LISTEN state, for at most SECONDS (60); fails at once if PID has exited.
wait_listening() { # PORT PID WHAT LOG [SECONDS]
  local hex i limit=${5:-60}
  printf -v hex '%04X' "$1"
  for ((i = 0; i < limit * 10; i++)); do
    awk -v h="$hex" 'FNR > 1 && $4 == "0A" { n = split($2, a, ":"); if (a[n] == h) found = 1 }
      END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
    if ! running "$2"; then
      cat "$4" >&2
      die "$3 exited before it listened on 127.0.0.1:$1 (log above: $4)"
    fi
    sleep 0.1
  done
  cat "$4" >&2
  die "$3 did not listen on 127.0.0.1:$1 within $limit s (log: $4)"
}

# utime + stime (clock ticks) of PID and every process descended from it, e.g. nginx's master and workers.
tree_ticks() { # PID
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { pid = $1; rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
      parent[pid] = f[2]; ticks[pid] = f[12] + f[13] }
    END { total = 0
      for (p in ticks) { q = p; depth = 0
        while (q != "" && q != root && (q + 0) > 1 && depth++ < 64) q = parent[q]
        if (q == root) total += ticks[p] }
      print total }'
}

# utime + stime of PID's JIT compiler threads (HotSpot names them "C1 CompilerThre…", "C2 CompilerThre…"):
# the part of a JVM's CPU that goes to compiling its hot code rather than to the work itself. 0 for others.
jit_ticks() { # PID
  { cat /proc/"$1"/task/*/stat 2>/dev/null || true; } | awk '
    /\(C[12] CompilerThre/ { rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); t += f[12] + f[13] }
    END { print t + 0 }'
}

# CPU ticks (user + nice + system) the whole machine spent, from /proc/stat's first line; no fork.
machine_ticks() {
  local user nice system rest
  read -r _ user nice system rest </proc/stat
  echo $((user + nice + system))
}

# utime + stime of this shell's waited-for children (cutime + cstime): wrk's CPU once it has been reaped.
children_ticks() {
  local stat f
  read -r stat <"/proc/$$/stat"
  read -r -a f <<<"${stat##*) }"
  echo $((f[13] + f[14]))
}

# --- 4. the backend and the proxies -----------------------------------------------------------------------

make_backend() {
  local dir=$work/backend
  mkdir -p "$dir/www" "$dir/temp"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name" -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>"$dir/openssl.log" ||
    { cat "$dir/openssl.log" >&2; die "openssl could not make the test certificate"; }
  head -c 1048576 /dev/urandom >"$dir/www/1m"
  # nginx's workers run as nobody when it starts as root: let them through to www/, nothing else.
  chmod 0711 "$work" "$dir"
  chmod 0755 "$dir/www"
  chmod 0644 "$dir/www/1m"
  chmod 0600 "$dir/key.pem"
  cat >"$dir/nginx.conf" <<EOF
# The HTTPS backend every proxy forwards to (HTTP/1.1, no HTTP/2, so no ALPN is negotiated).
worker_processes $backend_workers;
worker_rlimit_nofile $(ulimit -Hn);
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
lock_file $dir/nginx.lock;
events { worker_connections $(($(hold_limit) + 1000)); }
http {
    access_log off;
    default_type application/octet-stream;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    keepalive_timeout 75s;
    keepalive_requests 100000000;   # never close a keep-alive connection because of its request count
    server {
        listen 127.0.0.1:$backend_port ssl;
        server_name $name;
        ssl_certificate $dir/cert.pem;
        ssl_certificate_key $dir/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { default_type text/plain; return 200 "hello from the backend\n"; }
        location = /1m { root $dir/www; }
    }
}
EOF
}

start_backend() {
  launch "$work/backend/stderr.log" nginx -p "$work/backend" -c "$work/backend/nginx.conf" -e "$work/backend/error.log"
  backend_pid=$pid
  wait_listening "$backend_port" "$backend_pid" "the nginx backend" "$work/backend/error.log"
}

config_haproxy() {
  local dir=$work/haproxy
  mkdir -p "$dir"
  cat >"$dir/haproxy.cfg" <<EOF
# TLS passthrough with the classic ACME tls-alpn-01 routing; no logging.
global
    nbthread $proxy_workers
    # Room for what hold.py opens; HAProxy refuses to start when 2 x maxconn and its own descriptors pass the limit.
    maxconn $(($(hold_limit) + 50))

defaults
    mode tcp
    timeout connect 5s
    timeout client 10m
    timeout server 10m

frontend tls
    bind 127.0.0.1:$haproxy_port
    tcp-request inspect-delay 5s
    tcp-request content accept if { req_ssl_hello_type 1 }
    use_backend acme if { req.ssl_alpn acme-tls/1 }
    default_backend web

backend acme
    server acme 127.0.0.1:$unused_port

backend web
    server web 127.0.0.1:$backend_port
EOF
  haproxy -c -q -f "$dir/haproxy.cfg" >"$dir/check.log" 2>&1 ||
    { cat "$dir/check.log" >&2; die "haproxy rejected $dir/haproxy.cfg"; }
}

config_nginx_stream() {
  local dir=$work/nginx-stream
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
# TLS passthrough: ssl_preread reads the ClientHello, a map on its ALPN picks the upstream.
load_module $stream_module;
worker_processes $proxy_workers;
worker_rlimit_nofile $(ulimit -Hn);
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
lock_file $dir/nginx.lock;
events { worker_connections $((2 * $(hold_limit) + 200)); }
stream {
    map \$ssl_preread_alpn_protocols \$upstream {
        ~\bacme-tls/1\b 127.0.0.1:$unused_port;
        default 127.0.0.1:$backend_port;
    }
    server {
        listen 127.0.0.1:$nginx_stream_port;
        ssl_preread on;
        proxy_pass \$upstream;
        proxy_connect_timeout 5s;
        proxy_timeout 10m;
    }
}
EOF
  nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/check.log" 2>&1 ||
    { cat "$dir/check.log" "$dir/error.log" >&2 2>/dev/null; die "nginx rejected $dir/nginx.conf"; }
}

# Starts TARGET; sets $proxy_pid (empty for direct) and $port.
start_target() { # TARGET
  case $1 in
    direct)
      proxy_pid="" port=$backend_port ;;
    acmejx)
      mkdir -p "$work/acmejx"
      build=$(describe_build)  # now: the launcher builds from the sources as they are when serve starts
      local serve=("$repo/acmejx" serve -q --backend "127.0.0.1:$backend_port" --control "$acmejx_control"
        ${acmejx_opts[@]+"${acmejx_opts[@]}"})
      if [[ $acmejx_sockets == passed ]]; then
        # The socket unit's way: socket_unit.py binds and passes the socket; its tree's CPU is serve's (it sleeps).
        launch "$work/acmejx/holder.log" python3 "$repo/it-tests/src/test/resources/socket_unit.py" \
          --listen "127.0.0.1:$acmejx_port" --name https --dir "$work/acmejx" -- "${serve[@]}"
      else
        launch "$work/acmejx/serve.log" "${serve[@]}" --listen "127.0.0.1:$acmejx_port"
      fi
      proxy_pid=$pid port=$acmejx_port
      # Up to 5 minutes: should a source change after the --version build, the launcher builds again first.
      wait_listening "$port" "$proxy_pid" "acmejx serve" "$work/acmejx/serve.log" 300
      # The launcher execs java for serve, so the PID is the JVM's own (or, passed, the holder's, whose child it is).
      [[ $acmejx_sockets == passed || $(cat "/proc/$proxy_pid/comm") == java ]] ||
        die "PID $proxy_pid is $(cat "/proc/$proxy_pid/comm"), not java: the CPU times would miss the JVM"
      ;;
    haproxy)
      launch "$work/haproxy/haproxy.log" haproxy -db -f "$work/haproxy/haproxy.cfg"
      proxy_pid=$pid port=$haproxy_port
      wait_listening "$port" "$proxy_pid" "haproxy" "$work/haproxy/haproxy.log"
      ;;
    nginx-stream)
      local dir=$work/nginx-stream
      launch "$dir/stderr.log" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
      proxy_pid=$pid port=$nginx_stream_port
      wait_listening "$port" "$proxy_pid" "nginx stream" "$dir/error.log"
      ;;
  esac
  check_target "$1"
}

# One request for the small body and one for the 1 MiB file through the target, before anything is timed.
check_target() { # TARGET
  local url="https://$name:$port" body size
  body=$(curl -sk --max-time 10 --resolve "$name:$port:127.0.0.1" "$url/") ||
    die "$1: curl $url/ failed (exit $?)"
  [[ $body == "hello from the backend" ]] || die "$1: curl $url/ answered '$body', not the backend's body"
  size=$(curl -sk --max-time 30 --resolve "$name:$port:127.0.0.1" -o /dev/null -w '%{size_download}' "$url/1m") ||
    die "$1: curl $url/1m failed (exit $?)"
  ((size == 1048576)) || die "$1: curl $url/1m got $size bytes, not 1048576"
}

stop_target() {
  [[ -n $proxy_pid ]] || return 0
  stop_pid "$proxy_pid"
  proxy_pid=""
}

# --- 5. load ----------------------------------------------------------------------------------------------

modes=(close keepalive 1m)
declare -A mode_label=([close]="new TLS conn/request" [keepalive]="keep-alive" [1m]="1 MiB, keep-alive")
targets=(direct acmejx haproxy nginx-stream)
declare -A warm_cpu warm_reqs pid_of port_of
declare -A rps reqs transfer p50 p99 rss errors proxy_cpu jit_cpu proxy_util backend_util wrk_util other_util error_detail

# wrk connects to 127.0.0.1 whatever the test name resolves to (it has no --resolve), so the SNI and the
# Host header still carry the test name.
write_wrk_script() {
  cat >"$work/resolve.lua" <<'EOF'
wrk.resolve = function(host, service)
  wrk.addrs = wrk.lookup("127.0.0.1", service)
end
EOF
}

run_wrk() { # MODE SECONDS OUT
  local args=(-t"$threads" -c"$connections" -d"$2s" --latency -s "$work/resolve.lua")
  case $1 in
    close) args+=(-H 'Connection: close') ;;
  esac
  local path=/
  [[ $1 == 1m ]] && path=/1m
  wrk "${args[@]}" "https://$name:$port$path" >"$3" 2>&1 || { cat "$3" >&2; die "wrk failed (output above)"; }
}

# Runs one measured load and records wrk's figures and the CPU the proxy (and the backend) used during it.
measure() { # TARGET MODE ROUND
  local out=$work/wrk-$1-$2-$3.txt p0=0 p1=0 j0=0 j1=0 i0 i1 b0 b1 t0 t1 w0 w1 m0 m1 wall
  [[ -n $proxy_pid ]] && p0=$(tree_ticks "$proxy_pid") && j0=$(jit_ticks "$proxy_pid")
  i0=$(idle_ticks "$1")
  b0=$(tree_ticks "$backend_pid")
  t0=$(date +%s%N)
  m0=$(machine_ticks)
  w0=$(children_ticks)
  run_wrk "$2" "$duration" "$out"
  w1=$(children_ticks)
  m1=$(machine_ticks)
  t1=$(date +%s%N)
  [[ -n $proxy_pid ]] && p1=$(tree_ticks "$proxy_pid") && j1=$(jit_ticks "$proxy_pid")
  local key=$1:$2:$3
  rss[$key]=-
  [[ -n $proxy_pid ]] && rss[$key]=$(mib "$(tree_rss_kib "$proxy_pid")")
  i1=$(idle_ticks "$1")
  b1=$(tree_ticks "$backend_pid")
  if [[ -n $proxy_pid ]] && ! running "$proxy_pid"; then
    cat "$out" >&2
    die "$1 exited during the $2 run (log in $work)"
  fi
  reqs[$key]=$(awk '/ requests in / { print $1 }' "$out")
  rps[$key]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  transfer[$key]=$(awk '/^Transfer\/sec:/ { print $2 }' "$out")
  p50[$key]=$(awk '/^ +50%/ { print $2 }' "$out")
  p99[$key]=$(awk '/^ +99%/ { print $2 }' "$out")
  [[ -n ${reqs[$key]} && -n ${rps[$key]} ]] || { cat "$out" >&2; die "could not read wrk's output ($out)"; }
  # "Socket errors: connect 0, read 12, write 0, timeout 0" and "Non-2xx or 3xx responses: 3", when any.
  error_detail[$key]=$(awk '/Socket errors:|Non-2xx/ { sub(/^ +/, ""); printf "%s%s", sep, $0; sep = "; " }' "$out")
  errors[$key]=$(awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } /Non-2xx/ { n += $NF }
    END { print n + 0 }' "$out")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')
  backend_util[$key]=$(percent $((b1 - b0)) "$wall")
  wrk_util[$key]=$(percent $((w1 - w0)) "$wall")
  # Whatever else ran meanwhile: the machine's CPU less the proxy's, the backend's and wrk's.
  other_util[$key]=$(percent $((m1 - m0 - (p1 - p0) - (i1 - i0) - (b1 - b0) - (w1 - w0))) "$wall")
  if [[ -n $proxy_pid ]]; then
    proxy_cpu[$key]=$(awk -v t=$((p1 - p0)) -v hz="$clk_tck" -v n="${reqs[$key]}" \
      'BEGIN { printf "%.1f", (n > 0) ? 1e6 * t / hz / n : 0 }')
    proxy_util[$key]=$(percent $((p1 - p0)) "$wall")
    jit_cpu[$key]=-
    if [[ $1 == acmejx ]]; then
      jit_cpu[$key]=$(awk -v t=$((j1 - j0)) -v hz="$clk_tck" -v n="${reqs[$key]}" \
        'BEGIN { printf "%.1f", (n > 0) ? 1e6 * t / hz / n : 0 }')
    fi
  else
    proxy_cpu[$key]=- proxy_util[$key]=- jit_cpu[$key]=-
  fi
  say "mux.sh:   $(printf '%-13s %-22s' "$1" "${mode_label[$2]}") ${rps[$key]} req/s, ${errors[$key]} errors," \
    "proxy CPU ${proxy_cpu[$key]} ms/1k req (JIT ${jit_cpu[$key]}; ${proxy_util[$key]}), backend ${backend_util[$key]}," \
    "wrk ${wrk_util[$key]}, other ${other_util[$key]}"
}

# CPU ticks of the proxies started but not being measured (idle, but a JVM may still be compiling): not "other".
idle_ticks() { # MEASURED_TARGET
  local t total=0
  for t in "${!pid_of[@]}"; do
    [[ $t != "$1" && -n ${pid_of[$t]} ]] && total=$((total + $(tree_ticks "${pid_of[$t]}")))
  done
  echo "$total"
}

percent() { # TICKS WALL_SECONDS: as a percentage of one core
  awk -v t="$1" -v hz="$clk_tck" -v w="$2" 'BEGIN { v = 100 * t / hz / w; if (v < 0) v = 0; printf "%.0f%%", v }'
}

# Starts TARGET and warms it up with every mode (not in the table: a JVM compiles its hot code during the first
# seconds of load, and a long-running proxy is judged at its steady state). It keeps running, idle, while the
# others are measured.
start_and_warm() { # TARGET
  local mode p0=0 p1=0 n=0
  say "mux.sh: $1: starting and warming up"
  start_target "$1"
  pid_of[$1]=$proxy_pid port_of[$1]=$port
  [[ -z $proxy_pid ]] || measure_cold "$1" "$proxy_pid"
  if ((warmup > 0)); then
    [[ -n $proxy_pid ]] && p0=$(tree_ticks "$proxy_pid")
    for mode in "${modes[@]}"; do
      run_wrk "$mode" "$warmup" "$work/warmup-$1-$mode.txt"
      n=$((n + $(awk '/ requests in / { print $1 }' "$work/warmup-$1-$mode.txt")))
    done
    [[ -n $proxy_pid ]] && p1=$(tree_ticks "$proxy_pid")
    warm_cpu[$1]=$(awk -v t=$((p1 - p0)) -v hz="$clk_tck" 'BEGIN { printf "%.1f", t / hz }')
    warm_reqs[$1]=$n
    say "mux.sh:   warm-up: $n requests, proxy CPU ${warm_cpu[$1]} s"
  fi
}

# One round measures every target in every mode. Each round starts with a different target, and every second
# round goes through them in reverse, so no target is always measured right after the same one. Single runs on a
# machine this small move by 10-40% (the scheduler's placement of wrk, backend and proxy on two cores), which the
# medians over the rounds even out.
bench_round() { # ROUND
  local i j t mode n=${#targets[@]}
  say "mux.sh: round $1 of $rounds"
  for ((i = 0; i < n; i++)); do
    j=$(((i + $1 - 1) % n))
    (($1 % 2)) || j=$((n - 1 - j))
    t=${targets[j]}
    proxy_pid=${pid_of[$t]} port=${port_of[$t]}
    for mode in "${modes[@]}"; do measure "$t" "$mode" "$1"; done
  done
}

# The median over the rounds of each figure, under the TARGET:MODE key the report reads. The rates, CPU and
# JIT figures are each their own median; latency, transfer and utilisation come from the median-rate round.
# Errors are summed: every one counts.
summarize() {
  local t m key r i
  for t in "${targets[@]}"; do
    for m in "${modes[@]}"; do
      key=$t:$m
      r=$(for ((i = 1; i <= rounds; i++)); do echo "${rps[$key:$i]} $i"; done | sort -n | awk -v n="$rounds" \
        'NR == int((n + 1) / 2) { print $2 }')
      rps[$key]=${rps[$key:$r]} transfer[$key]=${transfer[$key:$r]} p50[$key]=${p50[$key:$r]}
      p99[$key]=${p99[$key:$r]} rss[$key]=${rss[$key:$r]} reqs[$key]=${reqs[$key:$r]} proxy_util[$key]=${proxy_util[$key:$r]}
      backend_util[$key]=${backend_util[$key:$r]} wrk_util[$key]=${wrk_util[$key:$r]}
      other_util[$key]=${other_util[$key:$r]}
      proxy_cpu[$key]=$(median_of proxy_cpu "$key") jit_cpu[$key]=$(median_of jit_cpu "$key")
      errors[$key]=0 error_detail[$key]=""
      for ((i = 1; i <= rounds; i++)); do
        errors[$key]=$((${errors[$key]} + ${errors[$key:$i]}))
        [[ -z ${error_detail[$key:$i]} ]] || error_detail[$key]+="round $i: ${error_detail[$key:$i]} "
      done
    done
  done
}

median_of() { # ARRAY KEY: the median of ARRAY[KEY:1..rounds]; "-" when they are "-"
  local -n values=$1
  local i
  for ((i = 1; i <= rounds; i++)); do echo "${values[$2:$i]}"; done | sort -n | awk -v n="$rounds" \
    'NR == int((n + 1) / 2) { print }'
}

# wrk's latency (850.12us, 19.40ms, 1.02s, 2.00m) in milliseconds.
to_ms() { # LATENCY
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", n * f }'
}

# The one of TARGET... with the highest (max) or lowest (min) value of ARRAY[TARGET:MODE]: "value target".
best_of() { # ARRAY MODE max|min TARGET...
  local -n values=$1
  local mode=$2 way=$3 t
  shift 3
  for t in "$@"; do echo "${values[$t:$mode]} $t"; done | sort -g -k1,1 | { [[ $way == max ]] && tail -1 || head -1; }
}

# acmejx's ratios to the best of TARGET... in each mode: requests/s, CPU per request and p99, with verdicts.
ratio_table() { # TARGET...
  local m t r c l best_r best_c best_l best_r_who best_c_who best_l_who
  declare -A p99_ms
  for m in "${modes[@]}"; do
    for t in acmejx "$@"; do p99_ms[$t:$m]=$(to_ms "${p99[$t:$m]}"); done
  done
  echo
  printf '%-21s %9s %-22s %6s %-8s %9s %-22s %6s %-8s %9s %-22s %6s %-8s\n' mode "acmejx/s" "best/s" ratio "" \
    "CPU ms/1k" "best" ratio "" "p99 ms" "best" ratio ""
  for m in "${modes[@]}"; do
    read -r best_r best_r_who <<<"$(best_of rps "$m" max "$@")"
    read -r best_c best_c_who <<<"$(best_of proxy_cpu "$m" min "$@")"
    read -r best_l best_l_who <<<"$(best_of p99_ms "$m" min "$@")"
    r=$(awk -v a="${rps[acmejx:$m]}" -v b="$best_r" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    c=$(awk -v a="${proxy_cpu[acmejx:$m]}" -v b="$best_c" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    l=$(awk -v a="${p99_ms[acmejx:$m]}" -v b="$best_l" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    printf '%-21s %9s %-22s %6s %-8s %9s %-22s %6s %-8s %9s %-22s %6s %-8s\n' "${mode_label[$m]}" \
      "${rps[acmejx:$m]}" "$best_r ($best_r_who)" "$r" "$(verdict "$r" ">=" "$target_throughput")" \
      "${proxy_cpu[acmejx:$m]}" "$best_c ($best_c_who)" "$c" "$(verdict "$c" "<=" "$target_cpu")" \
      "${p99_ms[acmejx:$m]}" "$best_l ($best_l_who)" "$l" "$(verdict "$l" "<=" "$target_p99")"
  done
}

verdict() { # RATIO >=|<= TARGET
  awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? r >= t : (r > 0 && r <= t); print ok ? "met" : "NOT met" }'
}

# Every round's requests/s and CPU ms/1k, so the spread behind each median shows.
report_rounds() {
  local t m i line
  echo
  echo "per round: requests/s, then CPU ms/1k (rounds in the order run)"
  for t in "${targets[@]}"; do
    for m in "${modes[@]}"; do
      line=$(printf '%-13s %-21s' "$t" "${mode_label[$m]}")
      for ((i = 1; i <= rounds; i++)); do line+=$(printf ' %10s' "${rps[$t:$m:$i]}"); done
      line+="   "
      for ((i = 1; i <= rounds; i++)); do line+=$(printf ' %7s' "${proxy_cpu[$t:$m:$i]}"); done
      echo "$line"
    done
  done
}

# --- 6. report --------------------------------------------------------------------------------------------

# The commit checked out, and whether the sources the jar is built from differ from it.
describe_build() {
  local commit
  commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null) || { echo "not a git checkout"; return 0; }
  if [[ -n $(git -C "$repo" status --porcelain -- pom.xml mux core responder cli 2>/dev/null) ]]; then
    echo "commit $commit with uncommitted changes"
  else
    echo "commit $commit"
  fi
}

report() {
  local t m key
  echo
  echo "TLS passthrough on loopback: wrk -t$threads -c$connections, medians of $rounds rounds of $duration s runs" \
    "after ${warmup} s of warm-up per mode, $(nproc) cores"
  echo "backend: nginx, worker_processes $backend_workers; haproxy nbthread $proxy_workers; nginx stream" \
    "worker_processes $proxy_workers"
  local half=$(($(nproc) / 2)) loops
  loops="$((half > 0 ? half : 1)) event loop(s), the default: half the cores"
  [[ " ${acmejx_opts[*]-} " == *" --event-loops "* ]] && loops="event loops as given"
  echo "$("$repo/acmejx" --version 2>/dev/null | head -1), $build: serve -q${acmejx_opts[*]+ ${acmejx_opts[*]}}," \
    "$loops"
  echo "CPU ms/1k: the proxy's processes' utime+stime during the run per 1,000 requests (JIT: the part of it"
  echo "acmejx's JIT compiler threads used); proxy, backend, wrk: their CPU as % of one core; other: the rest"
  echo "of the machine's CPU meanwhile (processes this script did not start); RSS: the proxy's at the run's end"
  echo
  printf '%-13s %-21s %10s %10s %9s %9s %6s %9s %5s %6s %7s %5s %5s %7s\n' target mode "req/s" "transfer/s" p50 p99 \
    errors "CPU ms/1k" JIT proxy backend wrk other "RSS MiB"
  for t in "${targets[@]}"; do
    for m in "${modes[@]}"; do
      key=$t:$m
      printf '%-13s %-21s %10s %10s %9s %9s %6s %9s %5s %6s %7s %5s %5s %7s\n' "$t" "${mode_label[$m]}" \
        "${rps[$key]}" "${transfer[$key]}" "${p50[$key]}" "${p99[$key]}" "${errors[$key]}" "${proxy_cpu[$key]}" \
        "${jit_cpu[$key]}" "${proxy_util[$key]}" "${backend_util[$key]}" "${wrk_util[$key]}" "${other_util[$key]}" \
        "${rss[$key]}"
    done
  done
  if ((warmup > 0)); then
    echo
    printf 'warm-up before the runs (%d s per mode, all modes): proxy CPU seconds for the requests served\n' "$warmup"
    for t in acmejx haproxy nginx-stream; do
      printf '  %-13s %6s s for %8s requests\n' "$t" "${warm_cpu[$t]}" "${warm_reqs[$t]}"
    done
  fi
  report_rounds
  local busy=()
  for key in "${!other_util[@]}"; do
    [[ $key == *:*:* ]] || continue  # a run's own figure, not a median
    ((${other_util[$key]%\%} < 10)) || busy+=("$key")
  done
  if ((${#busy[@]})); then
    echo
    echo "WARNING: other processes used 10% of a core or more during ${#busy[@]} of the runs; on a machine this"
    echo "size that takes CPU from wrk, the backend and the proxy: rerun on an idle machine before trusting it."
  fi
  local any=0
  for t in "${targets[@]}"; do
    for m in "${modes[@]}"; do
      key=$t:$m
      if [[ ${errors[$key]} != 0 ]]; then
        ((any++)) || { echo; echo "errors reported by wrk:"; }
        printf '  %-13s %-21s %s\n' "$t" "${mode_label[$m]}" "${error_detail[$key]}"
      fi
    done
  done

  echo
  echo "acmejx / the best of haproxy and nginx-stream in each column (targets: requests/s >= $target_throughput x," \
    "CPU per request <= $target_cpu x, p99 <= $target_p99 x; the p99 target is for new connections)"
  ratio_table haproxy nginx-stream
  report_memory
  for m in "${modes[@]}"; do
    if [[ ${errors[acmejx:$m]} != 0 ]]; then
      echo "note: wrk saw errors through acmejx in the '${mode_label[$m]}' run (see above); its figures count them"
    fi
  done
  # serve's output: its own file, or with a passed socket socket_unit.py's, whose "== run N" lines are not serve's.
  local warnings log=$work/acmejx/serve.log skip='^acmejx: building|^== run '
  [[ $acmejx_sockets == passed ]] && log=$work/acmejx/service.log
  warnings=$(grep -Evc "$skip" "$log" || true)
  echo
  if grep -q '^acmejx: building' "$log"; then
    echo "note: the launcher rebuilt the jar before serve started (a source changed after the --version build);"
    echo "the build ran before the JVM started, so no run timed it, but the jar measured is that new build"
  fi
  if ((warnings)); then
    echo "acmejx serve -q logged $warnings lines (warnings and errors); the first ones:"
    grep -Ev "$skip" "$log" | head -5 | sed 's/^/  /'
  else
    echo "acmejx serve -q logged nothing (no warnings)"
  fi
}

main() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  check_tools
  build_acmejx
  work=$(mktemp -d "${TMPDIR:-/tmp}/acmejx-mux-bench.XXXXXX")
  acmejx_control=$work/acmejx/control.sock
  read -r backend_port acmejx_port haproxy_port nginx_stream_port unused_port <<<"$(free_ports 5)"
  [[ -n $unused_port ]] || die "could not pick five free ports"
  say "mux.sh: backend 127.0.0.1:$backend_port; acmejx :$acmejx_port, haproxy :$haproxy_port," \
    "nginx stream :$nginx_stream_port; acme-tls/1 would go to :$unused_port (nothing listens)"
  make_backend
  config_haproxy
  config_nginx_stream
  write_wrk_script
  start_backend

  local t r
  for t in "${targets[@]}"; do start_and_warm "$t"; done
  for ((r = 1; r <= rounds; r++)); do bench_round "$r"; done
  if ((${#hold_counts[@]})); then
    say "mux.sh: memory, idle and with ${hold_counts[*]} connections open"
    # acmejx three times: fresh with the fewest connections, after a challenge with each count, then back at the
    # fewest after the most (a JVM keeps the heap a peak grew until a full collection; serve runs one once the
    # peak has passed, HeapAfterPeak).
    measure_memory acmejx "${pid_of[acmejx]}" "${port_of[acmejx]}" "${hold_counts[0]}"
    answer_challenge "${port_of[acmejx]}" "$acmejx_control"
    measure_memory acmejx-answered "${pid_of[acmejx]}" "${port_of[acmejx]}" "${hold_counts[@]}"
    ((${#hold_counts[@]} == 1)) ||
      measure_memory acmejx-after "${pid_of[acmejx]}" "${port_of[acmejx]}" "${hold_counts[0]}"
    for t in haproxy nginx-stream; do measure_memory "$t" "${pid_of[$t]}" "${port_of[$t]}" "${hold_counts[@]}"; done
  fi
  for t in "${targets[@]}"; do proxy_pid=${pid_of[$t]}; stop_target; done
  summarize

  report
  ok=1
}

main "$@"
