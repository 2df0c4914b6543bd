#!/usr/bin/env bash
# Build step (cli/pom.xml runs it in package, after the jar): records which classes the commands load and archives
# them for class-data sharing (a static AppCDS archive), so that no user's first command pays for it. serve maps it
# too: the issue run below loads the mux, Netty's epoll transport and the responder's TLS, much of what serve runs.
#
#   cli/class-data.sh JAR CLASS-LIST ARCHIVE
#
# CLASS-LIST: every training run's classes, each once, in the order first seen (what the Debian package ships and
# dumps into an archive at install time, for the JVM installed there). ARCHIVE: that dump for the java on PATH, the
# one the checkout's ./acmejx runs and maps. Not JDK 17's dynamic archive (-XX:ArchiveClassesAtExit): it cannot hold
# picocli, whose classes are Java 5 bytecode, nor any class that extends or implements one of them.
#
# Nothing here needs the network or a CA: each subcommand's --help (which builds its option model and renders its
# usage), a no-op renew and certificates on an empty config dir, and an issue that binds its responder on an
# ephemeral loopback port and then fails to reach a CA on 127.0.0.1:1, where nothing listens, after loading the
# account, key and HTTP client code. The launcher's other JVM options (C1 only, the serial collector) change how the
# code runs, not which classes it loads, so the runs here go without them.
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
# Exit statuses do not matter (the issue run fails on purpose), but a JVM that recorded nothing did not run at all.
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
