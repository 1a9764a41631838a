#!/bin/sh
# Cold start of bin/jarvisd: wall time from exec to the ready file, median of N runs, each with a
# fresh data directory; also the CPU time (user + system) the daemon had used by then, which other
# load on the machine disturbs much less than wall time. Usage: bench/cold-start.sh [DIST_DIR] [RUNS]
# DIST_DIR defaults to launcher/target/jarvis (built by `mvn -B package -DskipTests`).
set -eu
dist=${1:-launcher/target/jarvis}
runs=${2:-5}
[ -x "$dist/bin/jarvisd" ] || { echo "no distribution at $dist; build it first" >&2; exit 1; }
times=""
cpus=""
i=0
while [ "$i" -lt "$runs" ]; do
  data=$(mktemp -d)
  start=$(date +%s%N)
  "$dist/bin/jarvisd" --data-dir "$data" >/dev/null 2>&1 &
  pid=$!
  while [ ! -f "$data/run/jarvisd.ready" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "jarvisd exited before it was ready" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  # utime + stime (fields 14 and 15 of /proc/PID/stat, after the command name in parentheses), in ticks
  ticks=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
  cpu=$(( ticks * 1000 / $(getconf CLK_TCK) ))
  kill -TERM "$pid"
  wait "$pid" || { echo "jarvisd did not exit 0 on SIGTERM" >&2; exit 1; }
  ms=$(( (end - start) / 1000000 ))
  echo "run $((i + 1)): ${ms} ms to ready, ${cpu} ms CPU"
  times="$times $ms"
  cpus="$cpus $cpu"
  rm -rf "$data"
  i=$((i + 1))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "median of $runs: $(median $times) ms to ready, $(median $cpus) ms CPU (load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "java: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1))"
