#!/usr/bin/env bash
# Build step (cli/pom.xml runs it in package, after the jar): records which classes the commands load and archives
# them for class-data sharing (a static AppCDS archive), so that no user's first command pays for it. serve maps it
# too: a training serve below starts, answers a challenge and forwards a connection.
#
#   cli/class-data.sh JAR CLASS-LIST ARCHIVE
#
# CLASS-LIST: every training run's classes, each once, in the order first seen (what the Debian package ships and
# dumps into an archive at install time, for the JVM installed there). ARCHIVE: that dump for the java on PATH, the
# one the checkout's ./acmejx runs and maps. Not JDK 17's dynamic archive (-XX:ArchiveClassesAtExit): it cannot hold
# picocli, whose classes are Java 5 bytecode, nor any class that extends or implements one of them.
#
# Nothing here needs the network or a CA: each subcommand's --help (which builds its option model and renders its
# usage), a no-op renew and certificates on an empty config dir, an issue that binds its responder on an
# ephemeral loopback port and then fails to reach a CA on 127.0.0.1:1, where nothing listens, after loading the
# account, key and HTTP client code, and a serve on an ephemeral loopback port with its clients. The launcher's
# other JVM options (C1 only, the serial collector) change how the code runs, not which classes it loads, so the
# runs here go without them.
set -euo pipefail
(($# == 3)) || { echo "usage: $0 JAR CLASS-LIST ARCHIVE" >&2; exit 2; }
jar=$1
list=$2
archive=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config=$work/config
mkdir "$config" "$work/issue-config"

# The subcommands, as the top-level help lists them (two spaces, then the name, on the first line of each entry).
mapfile -t subcommands < <(java -jar "$jar" --help | sed -n '/^Commands:/,$ s/^  \([a-z][a-z-]*\).*/\1/p')
((${#subcommands[@]})) || { echo "class-data.sh: 'java -jar $jar --help' lists no subcommands" >&2; exit 1; }

runs=0
# Starts one training run of the command with arguments "$@", in the background: the runs are independent, and on
# several cores they finish in the time of the slowest. Each run's list and output are numbered in starting order,
# zero-padded, so that the shell's glob lists them in that order.
train() {
  runs=$((runs + 1))
  local recorded
  printf -v recorded '%s/%03d.classlist' "$work" "$runs"
  java -XX:DumpLoadedClassList="$recorded" -jar "$jar" "$@" >"$recorded.log" 2>&1 &
}

train --version
train --help
for subcommand in "${subcommands[@]}"; do
  train "$subcommand" --help
done
train renew --config-dir "$config" --no-random-sleep-on-renew
train certificates --config-dir "$config"
train issue -d class-data.acmejx.test --server https://127.0.0.1:1/directory --config-dir "$work/issue-config" \
  --listen 127.0.0.1:0 --control "$work/no-serve.sock" --agree-tos --non-interactive -m class-data@example.org

# serve as it answers its first challenge: start it, publish a tls-alpn-01 challenge through its control socket (the
# challenge add is a training run of its own), let class-data-handshakes.java make a validator's handshake and
# forward a visitor's connection (to a backend where nothing listens), stop it. Without this run serve would load
# BouncyCastle's certificate code and the JDK's TLS server from their jars at its first renewal, and keep them.
train_serve() {
  local recorded log sock=$work/serve.sock port="" i
  runs=$((runs + 1))
  printf -v recorded '%s/%03d.classlist' "$work" "$runs"
  log=$recorded.log
  # Created here, not by the background java's redirection, which may not have run yet when the loop first reads it.
  : >"$log"
  java -XX:DumpLoadedClassList="$recorded" -jar "$jar" serve --listen 127.0.0.1:0 --backend 127.0.0.1:1 \
    --control "$sock" >"$log" 2>&1 &
  local serve=$!
  for ((i = 0; i < 300; i++)); do
    kill -0 "$serve" 2>/dev/null || break
    port=$(sed -n 's/.* serving on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$log")
    [[ -z $port ]] || break
    sleep 0.1
  done
  if [[ -z $port ]]; then
    kill "$serve" 2>/dev/null || true
    cat "$log" >&2
    echo "class-data.sh: the training serve did not log 'serving on' within 30 s (its output above)" >&2
    return 1
  fi
  runs=$((runs + 1))
  printf -v recorded '%s/%03d.classlist' "$work" "$runs"
  java -XX:DumpLoadedClassList="$recorded" -jar "$jar" challenge add --control "$sock" --type tls-alpn-01 \
    --identifier class-data.acmejx.test --key-authorization class-data-token.class-data-thumbprint \
    >"$recorded.log" 2>&1 &&
    java "$(dirname "$0")/class-data-handshakes.java" "$port" class-data.acmejx.test >>"$log" 2>&1 || {
    kill "$serve" 2>/dev/null || true
    cat "$log" "$recorded.log" >&2
    echo "class-data.sh: the training serve did not answer its challenge (its output above)" >&2
    return 1
  }
  kill -TERM "$serve"
  wait "$serve" || true
}
train_serve &
serving=$!
# The training serve must have answered its challenge (it said why not). The other runs' exit statuses do not matter
# (the issue run fails on purpose), but a JVM that recorded nothing did not run at all.
wait "$serving" || exit 1
wait
for log in "$work"/*.classlist.log; do
  if [[ ! -s ${log%.log} ]]; then
    cat "$log" >&2
    echo "class-data.sh: a training run of $jar recorded no classes (its output above); is it a runnable jar?" >&2
    exit 1
  fi
done

awk '!seen[$0]++' "$work"/*.classlist >"$list.$$"
mv -f "$list.$$" "$list"

# The dump resolves each line against the jar's class path (its manifest names lib/); lines it cannot resolve, a
# JDK-internal lambda form say, are skipped with a warning on stdout.
if ! java -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$archive.$$" -cp "$jar" \
  >"$work/dump.log" 2>&1 || [[ ! -s $archive.$$ ]]; then
  rm -f "$archive.$$"
  tail -n 20 "$work/dump.log" >&2
  echo "class-data.sh: java -Xshare:dump of $list into $archive failed (the end of its output above)" >&2
  exit 1
fi
mv -f "$archive.$$" "$archive"
