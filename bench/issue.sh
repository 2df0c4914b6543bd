#!/usr/bin/env bash
# Times a full certificate issuance (new account, one order for two names, tls-alpn-01, download) with acmejx
# and with lego against a local Pebble, and reports median/min wall-clock seconds and the acmejx/lego ratio.
#
#   bash bench/issue.sh            RUNS=5 by default; RUNS=3 bash bench/issue.sh for a quicker look
#   KEEP=1 bash bench/issue.sh     keep the work directory (Pebble's and every run's logs) afterwards
#
# Everything runs on 127.0.0.1 with ports picked at run time, so it can run next to another Pebble or the tests.
# The target is acmejx taking less than 0.2 x lego's median time. See bench/README.md for what is measured.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
runs=${RUNS:-5}
target_ratio=0.2
email=bench@example.org

work=""          # scratch directory: Pebble's state and one config dir per run
pebble_up=0      # whether pebble.sh start ran, so the exit trap knows to stop it
ok=0             # set when the benchmark finished; a failed run keeps its logs

say() { printf '%s\n' "$*" >&2; }
die() { say "issue.sh: $*"; exit 1; }

cleanup() {
  stop_pebble
  [[ -n $work && -d $work ]] || return 0
  if ((ok)) && [[ -z ${KEEP:-} ]]; then rm -rf "$work"; else say "issue.sh: logs kept in $work"; fi
}

# --- 1. tools ---------------------------------------------------------------------------------------------

check_tools() {
  install_tools pebble pebble-challtestsrv lego openssl curl
  command -v java >/dev/null || die "java is missing (acmejx needs Java 17: apt-get install openjdk-17-jdk-headless)"
  [[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$runs'"
}

# --- 2. acmejx build --------------------------------------------------------------------------------------

# The launcher rebuilds whenever a source file is newer than cli/target/acmejx.jar. A timed run that included
# a Maven build would measure Maven, so build once here and then make sure the launcher is satisfied.
build_acmejx() {
  say "issue.sh: building acmejx if needed ($repo/acmejx --version)"
  "$repo/acmejx" --version >/dev/null || die "acmejx --version failed (output above)"
  local again
  again=$("$repo/acmejx" --version 2>&1 >/dev/null) || die "acmejx --version failed: $again"
  if [[ $again == *"acmejx: building"* ]]; then
    say "issue.sh: the acmejx launcher rebuilds on every start, so its timings would include a Maven build."
    say "  These sources are newer than cli/target/acmejx.jar; when none of them changes the cli module"
    say "  (test sources, say), the build leaves the jar as it is and the next start builds again:"
    find "$repo/pom.xml" "$repo"/{mux,responder,core,cli} \( -name '*.java' -o -name 'pom.xml' \
      -o -path '*/src/main/resources/*' \) -newer "$repo/cli/target/acmejx.jar" -print 2>/dev/null \
      | sed "s|^$repo/|    |" | head -20 >&2
    die "rebuild the jar from scratch (rm $repo/cli/target/acmejx.jar; $repo/acmejx --version) and rerun"
  fi
}

# --- 3. Pebble --------------------------------------------------------------------------------------------



# --- 4. timed runs ----------------------------------------------------------------------------------------

now_ns() { date +%s%N; }

# Fails unless FILE is a certificate whose subjectAltName lists every NAME: proof the run really issued.
check_cert() { # FILE NAME...
  local file=$1 san name
  shift
  [[ -s $file ]] || return 1
  san=$(openssl x509 -in "$file" -noout -ext subjectAltName 2>/dev/null) || return 1
  for name in "$@"; do [[ $san == *"DNS:$name"* ]] || return 1; done
}

# Each run gets its own config dir (so a new account and a full order, nothing reused) and its own names.
# Sets $elapsed to the wall-clock seconds of the client alone.
run_acmejx() { # RUN
  local dir=$work/acmejx-$1 a=bench-acmejx-$1-a.test b=bench-acmejx-$1-b.test start end
  mkdir -p "$dir"
  start=$(now_ns)
  "$repo/acmejx" issue -d "$a" -d "$b" --server "$acme_directory" --ca-cert "$acme_ca_cert" \
    --config-dir "$dir/config" --listen "127.0.0.1:$tls_port" --agree-tos --non-interactive -m "$email" -q \
    >"$dir/log" 2>&1 || { cat "$dir/log" >&2; die "acmejx run $1 failed (log: $dir/log)"; }
  end=$(now_ns)
  # The launcher announces a build on stderr; such a run timed Maven, not acmejx.
  if grep -q '^acmejx: building' "$dir/log"; then
    die "acmejx run $1 rebuilt the jar (sources changed during the benchmark); its time is not comparable"
  fi
  check_cert "$dir/config/live/$a/cert.pem" "$a" "$b" ||
    { cat "$dir/log" >&2; die "acmejx run $1 exited 0 but left no certificate for $a, $b in $dir/config"; }
  elapsed=$(seconds "$start" "$end")
}

run_lego() { # RUN
  local dir=$work/lego-$1 a=bench-lego-$1-a.test b=bench-lego-$1-b.test start end
  mkdir -p "$dir"
  start=$(now_ns)
  # cd into the run's directory: lego must not leave a .lego directory wherever the script was started.
  (cd "$dir" && LEGO_CA_CERTIFICATES=$acme_ca_cert lego --server "$acme_directory" --email "$email" --accept-tos \
    --path "$dir/lego" --domains "$a" --domains "$b" --tls --tls.port "127.0.0.1:$tls_port" run) \
    >"$dir/log" 2>&1 || { cat "$dir/log" >&2; die "lego run $1 failed (log: $dir/log)"; }
  end=$(now_ns)
  check_cert "$dir/lego/certificates/$a.crt" "$a" "$b" ||
    { cat "$dir/log" >&2; die "lego run $1 exited 0 but left no certificate for $a, $b in $dir/lego"; }
  elapsed=$(seconds "$start" "$end")
}

seconds() { # START_NS END_NS
  awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'
}

# --- 5. report --------------------------------------------------------------------------------------------


report() {
  local acmejx_median lego_median ratio verdict
  acmejx_median=$(median "${acmejx_times[@]}")
  lego_median=$(median "${lego_times[@]}")
  ratio=$(awk -v a="$acmejx_median" -v l="$lego_median" 'BEGIN { printf "%.3f", a / l }')
  if awk -v r="$ratio" -v t="$target_ratio" 'BEGIN { exit !(r < t) }'; then verdict="met"; else verdict="NOT met"; fi
  echo
  echo "Full issuance of 2 names (new account, tls-alpn-01) against Pebble on loopback, $runs runs each"
  echo
  printf '%-8s %10s %10s   %s\n' tool "median s" "min s" "every run, s"
  printf '%-8s %10s %10s   %s\n' acmejx "$acmejx_median" "$(minimum "${acmejx_times[@]}")" "${acmejx_times[*]}"
  printf '%-8s %10s %10s   %s\n' lego "$lego_median" "$(minimum "${lego_times[@]}")" "${lego_times[*]}"
  echo
  echo "acmejx / lego (medians): $ratio"
  echo "target: acmejx under $target_ratio x lego: $verdict"
}

main() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  check_tools
  build_acmejx
  work=$(mktemp -d "${TMPDIR:-/tmp}/acmejx-bench.XXXXXX")
  start_pebble

  acmejx_times=() lego_times=()
  local i
  for ((i = 1; i <= runs; i++)); do
    # Alternate which tool goes first, so neither always runs right after the other's load on Pebble.
    if ((i % 2)); then
      run_acmejx "$i"; acmejx_times+=("$elapsed")
      run_lego "$i"; lego_times+=("$elapsed")
    else
      run_lego "$i"; lego_times+=("$elapsed")
      run_acmejx "$i"; acmejx_times+=("$elapsed")
    fi
    say "issue.sh: run $i/$runs: acmejx ${acmejx_times[-1]} s, lego ${lego_times[-1]} s"
  done

  report
  ok=1
}

main "$@"
