#!/usr/bin/env bash
# Times a no-op `renew` (one lineage, nothing due: the common case of a twice-daily timer) with acmejx and with
# certbot on copies of the same config dir, and reports median/min wall-clock seconds and the acmejx/certbot ratio.
#
#   bash bench/renew.sh            RUNS=10 by default; RUNS=20 bash bench/renew.sh for steadier medians
#   KEEP=1 bash bench/renew.sh     keep the work directory (both config dirs, Pebble's and every run's logs)
#
# Pebble runs on 127.0.0.1 with ports picked at run time, only to issue the one certificate; it is stopped before
# the timed runs, since a renew with nothing due must not need the CA. The target is acmejx taking at most
# 0.5 x certbot's median time. Uses hyperfine (-N, one run per call) when present, else `date +%s%N`.
# See bench/README.md for what is measured.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh disable=SC1091  # followed with shellcheck -x
source "$repo/bench/lib.sh"
runs=${RUNS:-10}
target_ratio=0.5
name=renew.bench.test

work=""          # scratch directory: Pebble's state, both config dirs, logs
pebble_up=0      # whether pebble.sh start ran, so the exit trap knows to stop it
ok=0             # set when the benchmark finished; a failed run keeps its logs

say() { printf '%s\n' "$*" >&2; }
die() { say "renew.sh: $*"; exit 1; }


cleanup() {
  stop_pebble
  [[ -n $work && -d $work ]] || return 0
  if ((ok)) && [[ -z ${KEEP:-} ]]; then rm -rf "$work"; else say "renew.sh: logs kept in $work"; fi
}

# --- 1. tools ---------------------------------------------------------------------------------------------

check_tools() {
  install_tools pebble pebble-challtestsrv certbot openssl curl
  command -v java >/dev/null || die "java is missing (acmejx needs Java 17: apt-get install openjdk-17-jdk-headless)"
  [[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$runs'"
  certbot_version=$(certbot --version 2>&1 | awk '{ print $2 }')
  [[ $certbot_version =~ ^[0-9]+\.[0-9]+ ]] || die "cannot tell certbot's version from: $(certbot --version 2>&1)"
  timer="date +%s%N"
  # An if, not `&&`: as the function's last command a missing hyperfine would be its status, and set -e's exit.
  if command -v hyperfine >/dev/null; then
    timer="hyperfine $(hyperfine --version | awk '{ print $2 }')"
  fi
}

# --- 2. acmejx build --------------------------------------------------------------------------------------

# The launcher rebuilds whenever a source file is newer than cli/target/acmejx.jar. A timed run that included
# a Maven build would measure Maven, so build once here and then make sure the launcher is satisfied.
build_acmejx() {
  say "renew.sh: building acmejx if needed ($repo/acmejx --version)"
  "$repo/acmejx" --version >/dev/null || die "acmejx --version failed (output above)"
  local again
  again=$("$repo/acmejx" --version 2>&1 >/dev/null) || die "acmejx --version failed: $again"
  [[ $again == *"acmejx: building"* ]] && die "the acmejx launcher rebuilds on every start (see bench/issue.sh's" \
    "message for why); rm $repo/cli/target/acmejx.jar, run $repo/acmejx --version and rerun"
  return 0
}

# --- 3. one certificate, two config dirs ------------------------------------------------------------------


# acmejx's own lineage: what `acmejx issue` leaves, renewal conf and all. --control names a socket that does not
# exist, so the conf records no running serve and issue answers the challenge itself on --listen.
issue_cert() {
  acmejx_dir=$work/acmejx
  "$repo/acmejx" issue --server "$acme_directory" --ca-cert "$acme_ca_cert" --config-dir "$acmejx_dir" \
    --listen "127.0.0.1:$tls_port" --control "$work/no-serve.sock" --agree-tos -n -m x@example.org -d "$name" \
    >"$work/issue.log" 2>&1 || { cat "$work/issue.log" >&2; die "acmejx issue failed (log: $work/issue.log)"; }
  [[ -f $acmejx_dir/renewal/$name.conf && -s $acmejx_dir/live/$name/cert.pem ]] ||
    { cat "$work/issue.log" >&2; die "acmejx issue exited 0 but left no lineage in $acmejx_dir"; }
  say "renew.sh: issued $name ($(openssl x509 -in "$acmejx_dir/live/$name/cert.pem" -noout -enddate))"
}

# certbot's copy of the same lineage and account (acmejx writes certbot's layout). Its renewal conf gets the
# copy's paths and two changes, or certbot would not really evaluate the lineage:
# - authenticator = standalone: certbot has no "acmejx" plugin and would fail the lineage;
# - no `autorenew = False`: certbot skips such a lineage without reading its certificate.
# The conf's version (a development build writes 0.1.0.dev0, PEP 440) is left as acmejx wrote it: certbot reads it.
copy_for_certbot() {
  certbot_dir=$work/certbot
  mkdir -p "$certbot_dir"
  cp -a "$acmejx_dir" "$certbot_dir/config"
  local conf=$certbot_dir/config/renewal/$name.conf line
  while IFS= read -r line; do
    line=${line//"$acmejx_dir/"/"$certbot_dir/config/"}
    case $line in
      "autorenew ="*) continue ;;
      "authenticator ="*) line="authenticator = standalone" ;;
    esac
    printf '%s\n' "$line"
  done <"$acmejx_dir/renewal/$name.conf" >"$conf.new"
  mv "$conf.new" "$conf"
  grep -q "^authenticator = standalone$" "$conf" || die "the copied conf has no authenticator line: $conf"
}

# --- 4. timed runs ----------------------------------------------------------------------------------------

acmejx_cmd() { acmejx_argv=("$repo/acmejx" renew --config-dir "$acmejx_dir" --no-random-sleep-on-renew -q); }
certbot_cmd() {
  certbot_argv=(certbot renew --config-dir "$certbot_dir/config" --work-dir "$certbot_dir/work"
    --logs-dir "$certbot_dir/logs" --no-random-sleep-on-renew -q)
}

# Both warm-up runs are checked for what they say, without -q: each must have read the lineage and found it
# not due.
warm_up() {
  local out
  out=$("$repo/acmejx" renew --config-dir "$acmejx_dir" --no-random-sleep-on-renew 2>&1) ||
    { say "$out"; die "acmejx renew (warm-up) failed"; }
  [[ $out == *"not due   $name:"* && $out == *"0 renewed, 0 failed, 1 other"* ]] ||
    { say "$out"; die "acmejx renew (warm-up) did not find $name not due"; }
  [[ $out != *"acmejx: building"* ]] || die "acmejx renew (warm-up) rebuilt the jar: sources changed meanwhile"
  say "renew.sh: acmejx: $(grep "^not due" <<<"$out")"
  out=$(certbot renew --config-dir "$certbot_dir/config" --work-dir "$certbot_dir/work" \
    --logs-dir "$certbot_dir/logs" --no-random-sleep-on-renew 2>&1) || { say "$out"; die "certbot renew (warm-up) failed"; }
  [[ $out == *"Certificate not yet due for renewal"* && $out == *"$certbot_dir/config/live/$name/fullchain.pem"* ]] ||
    { say "$out"; die "certbot renew (warm-up) did not evaluate $name"; }
  ! grep -qiE "error|fail|warning" <<<"$out" || { say "$out"; die "certbot renew (warm-up) reported a problem"; }
  say "renew.sh: certbot: $(grep -i "not yet due" <<<"$out")"
  # Only now: the timed runs time the launcher's steady state, CDS archive and all.
  "$repo/acmejx" renew --config-dir "$acmejx_dir" --no-random-sleep-on-renew -q >/dev/null 2>&1 ||
    die "acmejx renew (second warm-up) failed"
}

# What would show a renewal: a new version in either archive directory, or a moved live link.
state() { (cd "$1" && find archive live -printf '%p %l\n' | sort | cksum); }

now_ns() { date +%s%N; }

seconds() { # START_NS END_NS
  awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'
}

# Runs ARGV... once, output to LOG, and sets $elapsed to its wall-clock seconds. Fails with the log on a
# non-zero exit.
timed() { # LOG ARGV...
  local log=$1 start end json
  shift
  if [[ $timer == hyperfine* ]]; then
    json=$log.json
    # -N: no shell in between, the command is split like a shell would, hence %q.
    hyperfine -N --runs 1 --style none --output "$log" --export-json "$json" "$(printf '%q ' "$@")" \
      >"$log.hyperfine" 2>&1 || { cat "$log" "$log.hyperfine" >&2; die "$1 failed (log: $log)"; }
    elapsed=$(sed -n 's/^ *"mean": *\([0-9.eE+-]*\),*$/\1/p' "$json" | awk 'NR == 1 { printf "%.3f", $1 }')
    [[ -n $elapsed ]] || die "no time in hyperfine's $json"
  else
    start=$(now_ns)
    "$@" >"$log" 2>&1 || { cat "$log" >&2; die "$1 failed (log: $log)"; }
    end=$(now_ns)
    elapsed=$(seconds "$start" "$end")
  fi
}

run_acmejx() { # RUN
  local log=$work/acmejx-$1.log
  timed "$log" "${acmejx_argv[@]}"
  ! grep -q '^acmejx: building' "$log" || die "acmejx run $1 rebuilt the jar (sources changed); not comparable"
  # Quiet, as certbot -q: nothing at all unless a lineage failed (the warm-up run checked the decision itself).
  [[ ! -s $log ]] || { cat "$log" >&2; die "acmejx run $1 printed something in a quiet no-op run"; }
}

run_certbot() { # RUN
  local log=$work/certbot-$1.log
  timed "$log" "${certbot_argv[@]}"
  [[ ! -s $log ]] || { cat "$log" >&2; die "certbot run $1 said something despite -q (log: $log)"; }
}

# --- 5. report --------------------------------------------------------------------------------------------

maximum() { printf '%s\n' "$@" | sort -g | tail -1; }

report() {
  local acmejx_median certbot_median ratio verdict
  acmejx_median=$(median "${acmejx_times[@]}")
  certbot_median=$(median "${certbot_times[@]}")
  ratio=$(awk -v a="$acmejx_median" -v c="$certbot_median" 'BEGIN { printf "%.3f", a / c }')
  if awk -v r="$ratio" -v t="$target_ratio" 'BEGIN { exit !(r <= t) }'; then verdict="met"; else verdict="NOT met"; fi
  echo
  echo "No-op renew (1 lineage, not due), $runs runs each, alternating; timer: $timer; certbot $certbot_version"
  echo
  printf '%-8s %10s %10s %10s   %s\n' tool "median s" "min s" "max s" "every run, s"
  printf '%-8s %10s %10s %10s   %s\n' acmejx "$acmejx_median" "$(minimum "${acmejx_times[@]}")" \
    "$(maximum "${acmejx_times[@]}")" "${acmejx_times[*]}"
  printf '%-8s %10s %10s %10s   %s\n' certbot "$certbot_median" "$(minimum "${certbot_times[@]}")" \
    "$(maximum "${certbot_times[@]}")" "${certbot_times[*]}"
  echo
  echo "acmejx / certbot (medians): $ratio"
  echo "target: acmejx at most $target_ratio x certbot: $verdict"
}

main() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  check_tools
  build_acmejx
  work=$(mktemp -d "${TMPDIR:-/tmp}/acmejx-bench.XXXXXX")
  [[ $work != *[[:space:]]* ]] || die "the work directory's path has a space: $work (set TMPDIR)"
  start_pebble
  issue_cert
  stop_pebble
  copy_for_certbot
  warm_up
  acmejx_cmd
  certbot_cmd
  local acmejx_state certbot_state i
  acmejx_state=$(state "$acmejx_dir")
  certbot_state=$(state "$certbot_dir/config")

  acmejx_times=() certbot_times=()
  for ((i = 1; i <= runs; i++)); do
    # Alternate which tool goes first, so neither always runs right after the other.
    if ((i % 2)); then
      run_acmejx "$i"; acmejx_times+=("$elapsed")
      run_certbot "$i"; certbot_times+=("$elapsed")
    else
      run_certbot "$i"; certbot_times+=("$elapsed")
      run_acmejx "$i"; acmejx_times+=("$elapsed")
    fi
    say "renew.sh: run $i/$runs: acmejx ${acmejx_times[-1]} s, certbot ${certbot_times[-1]} s"
  done
  [[ $(state "$acmejx_dir") == "$acmejx_state" ]] || die "acmejx's archive/ or live/ changed: it renewed something"
  [[ $(state "$certbot_dir/config") == "$certbot_state" ]] || die "certbot's archive/ or live/ changed: it renewed"

  report
  ok=1
}

main "$@"
