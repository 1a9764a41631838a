#!/usr/bin/env bash
# The load run of docs/benchmarks.md ("Messages between daemons"): real jarvisd daemons of the distribution on
# 127.0.0.1, then the session and start-up figures from the existing tools. Prints each part's table and writes
# one JSON document (default bench/target/load.json) holding every part's RESULT_JSON.
#
#   bench/load.sh                                   # everything, about 10 minutes on an idle 2-core machine
#   bench/load.sh --parts=messages --messages=5000  # one part; the other options go to MessageLoad
#   JAVA_HOME=<a JDK 25> bench/load.sh              # the same on another JDK (daemons and tools alike)
#
# Parts (--parts=a,b,...): cold-start (bench/cold-start.sh, 5 runs; run first so that the class data sharing
# archive of the distribution exists before the daemons are timed), messages (jarvis.bench.MessageLoad: one-to-one
# and fan-in throughput, latency at 1,000 msgs/s, unlock), handshakes and hold (jarvis.bench.SessionLoad, shortened:
# one 10 s run at C = 4, 10,000 idle sessions). Other --name=value options are passed to MessageLoad; see its
# javadoc. LOAD_JSON names the output file; JARVIS_DIST the distribution (default launcher/target/jarvis).
#
# Build first (never from the repository root without -pl):
#   mvn -B -q install -DskipTests -pl bench,launcher -am
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
jar="$here/target/benchmarks.jar"
dist=${JARVIS_DIST:-$root/launcher/target/jarvis}
out=${LOAD_JSON:-$here/target/load.json}
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$jar" ] || { echo "no $jar: build it with 'mvn -B -q install -DskipTests -pl bench,launcher -am'" >&2; exit 1; }
[ -x "$dist/bin/jarvisd" ] || { echo "no distribution at $dist: build it first" >&2; exit 1; }

parts=cold-start,messages,handshakes,hold
pass=()
for a in "$@"; do
  case "$a" in
    --parts=*) parts=${a#--parts=} ;;
    --*=*) pass+=("$a") ;;
    *) echo "options are --name=value, not $a" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "$("$java" -version 2>&1 | head -1); nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
json_parts=()

has() { case ",$parts," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

if has cold-start; then
  echo "== cold start to ready (bench/cold-start.sh, 5 runs)"
  "$here/cold-start.sh" "$dist" 5 | tee "$work/cold.txt"
  line=$(tail -1 "$work/cold.txt")
  ms=$(echo "$line" | sed -n 's/^median of [0-9]*: \([0-9.]*\) ms to ready, \([0-9.]*\) ms CPU.*/\1/p')
  cpu=$(echo "$line" | sed -n 's/^median of [0-9]*: \([0-9.]*\) ms to ready, \([0-9.]*\) ms CPU.*/\2/p')
  json_parts+=("\"cold_start\":{\"median_ms_to_ready\":${ms:-null},\"median_cpu_ms\":${cpu:-null},\"runs\":5}")
fi

if has messages; then
  echo "== messages between daemons (jarvis.bench.MessageLoad)"
  "$java" ${LOAD_JVM_OPTS:-} -cp "$jar" jarvis.bench.MessageLoad "--dist=$dist" "${pass[@]}" | tee "$work/messages.txt" \
    | grep -v '^RESULT_JSON'
  json_parts+=("\"messages\":$(sed -n 's/^RESULT_JSON //p' "$work/messages.txt" | tail -1)")
fi

# SessionLoad needs about 10,000 descriptors per JVM for the hold test.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then ulimit -n 1048576 2>/dev/null || true; else ulimit -n "$hard" 2>/dev/null || true; fi

if has handshakes; then
  echo "== complete handshakes/s against one daemon (jarvis.bench.SessionLoad, shortened)"
  "$java" -cp "$jar" jarvis.bench.SessionLoad handshakes --concurrency=4 --runs=1 --duration=10 --warmup=10 \
    | tee "$work/handshakes.txt" | grep -v '^RESULT_JSON'
  json_parts+=("\"handshakes\":$(sed -n 's/^RESULT_JSON //p' "$work/handshakes.txt" | tail -1)")
fi

if has hold; then
  echo "== idle sessions held by one daemon (jarvis.bench.SessionLoad)"
  "$java" -cp "$jar" jarvis.bench.SessionLoad hold --sessions=10000 | tee "$work/hold.txt" | grep -v '^RESULT_JSON'
  json_parts+=("\"hold\":$(sed -n 's/^RESULT_JSON //p' "$work/hold.txt" | tail -1)")
fi

mkdir -p "$(dirname "$out")"
{
  printf '{"java":"%s","load_at_end":"%s"' "$("$java" -version 2>&1 | head -1 | sed 's/"/\\"/g')" "$(cut -d' ' -f1-3 /proc/loadavg)"
  for p in "${json_parts[@]}"; do printf ',%s' "$p"; done
  printf '}\n'
} > "$out"
echo "JSON: $out"
grep -q '"exactly_once":false' "$out" && { echo "FAILED: a message was lost, duplicated or altered" >&2; exit 1; }
exit 0
