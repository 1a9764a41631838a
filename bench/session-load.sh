#!/usr/bin/env bash
# Session load on 127.0.0.1: records/s over one session, complete handshakes/s against one daemon, idle
# sessions held by one daemon (docs/benchmarks.md, "Sessions (issue 4)"). Prints the measurements, a table
# and one line "RESULT_JSON {...}".
#
#   bench/session-load.sh                      # all three with the defaults
#   bench/session-load.sh all --tests=hold --sessions=5000
#   bench/session-load.sh handshakes --concurrency=2,4,8 --duration=10 --runs=3
#   JAVA_HOME=<a JDK 25> bench/session-load.sh
#
# Options (--name=value): throughput: --payloads=200000 --size=1024 --window=64 --in-flight=1024 --runs=3
# --cap=60 --warmup-payloads=20000; handshakes: --contacts=840 --concurrency=2,4,8 --duration=10 --runs=3
# --warmup=20 --max-pending=256 --max-connections=512; hold: --sessions=10000 --wave=500
# --hold-concurrency=16 --hold-keepalive=300 --hold-max-pending=256 --hold-max-connections=<sessions+256>;
# any: --daemon-jvm='<JVM options of the daemon JVM, space-separated>' --log=WARNING.
# SESSION_LOAD_JVM_OPTS: JVM options of the driver JVM.
#
# Build first (never from the repository root without -pl):
#   mvn -B -q install -DskipTests -pl bench -am
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "no $jar: build it with 'mvn -B -q install -DskipTests -pl bench -am'" >&2
  exit 1
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# 10,000 sessions need about 10,000 descriptors in each JVM (the daemon's and the simulated peers').
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then
  ulimit -n 1048576 2>/dev/null || true
else
  ulimit -n "$hard" 2>/dev/null || true
fi
echo "fd limit $(ulimit -n); $("$java" -version 2>&1 | head -1); nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg)"

command=${1:-all}
if [ $# -gt 0 ]; then shift; fi
# shellcheck disable=SC2086
exec "$java" ${SESSION_LOAD_JVM_OPTS:-} -cp "$jar" jarvis.bench.SessionLoad "$command" "$@"
