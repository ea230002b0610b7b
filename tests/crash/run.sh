#!/usr/bin/env bash
# Crash test (`make crash-test`): tests/crash/crash.c is built once with
# `cc crash.c -ldb` against /usr/include/db.h, and that one binary runs
# against whichever libdb-5.3.so the loader finds first: the system libdb, or
# Tern when LD_LIBRARY_PATH starts with Tern's build/lib (the Makefile sets
# it). Each mode runs ROUNDS rounds of: a child commits transactions, the
# parent SIGKILLs it at a random moment, recovers (DB_RECOVER) and checks
# what survived (see crash.c).
#
#   bash tests/crash/run.sh [ROUNDS]          (default 50)
#   CRASH_MODES="sync nosync"                 modes to run (default both)
#   CRASH_SEED=N                              seed (default: random, printed)
#   CRASH_FRESH_EVERY=10                      a fresh environment every N rounds
#   TEST_EXPECT=tern|libdb                   fail unless that library was loaded
#   CRASH_DIR=/path                           scratch (default ${TERN_BUILD:-build}/crash-test;
#                                             on a real disk: DB_TXN_SYNC means fdatasync)
#
# Prints, per mode, the failing rounds and "crash: N rounds, M failures (...)";
# each mode's full log (every round, the child's stderr) stays in
# $CRASH_DIR/<mode>.log. Exits non-zero if any round of any mode failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${1:-50}
build="${TERN_BUILD:-$root/build}"
work="${CRASH_DIR:-$build/crash-test}"
modes=${CRASH_MODES:-sync nosync}
fresh=${CRASH_FRESH_EVERY:-10}
seed=${CRASH_SEED:-$(( (RANDOM << 15 | RANDOM) % 1000000000 ))}
CC=${CC:-cc}
case "$rounds" in ''|*[!0-9]*) echo "usage: run.sh [ROUNDS]"; exit 2 ;; esac
mkdir -p "$work" || exit 2

# Built against the system header and libdb, so the same binary serves both.
$CC -g -O1 -Wall -o "$work/crash" "$here/crash.c" -I/usr/include -ldb 2>"$work/build.log" \
  || { echo "FAIL: crash.c does not build"; head -20 "$work/build.log"; exit 2; }

version=$("$work/crash" -V) || { echo "FAIL: crash -V: the library does not load"; exit 2; }
echo "crash: library: $version (LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-})"
case "${TEST_EXPECT:-}" in
  tern)  case "$version" in Tern*) ;; *) echo "FAIL: expected Tern, the loader found: $version"; exit 2 ;; esac ;;
  libdb) case "$version" in Tern*) echo "FAIL: expected the system libdb, the loader found: $version"; exit 2 ;; esac ;;
esac
echo "crash: seed $seed, $rounds rounds per mode (reproduce the choices with CRASH_SEED=$seed)"

status=0
for mode in $modes; do
  log="$work/$mode.log"
  start=$(date +%s.%N)
  # A hung library must not hang the run: generous, whole-group timeout.
  timeout -k 10 $((rounds * 30 + 300)) "$work/crash" -m "$mode" -d "$work/$mode" -n "$rounds" \
    -s "$seed" -f "$fresh" > "$log" 2>&1
  rc=$?
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  grep -E '^(FAIL|crash: stopping)' "$log" | head -20 | sed "s/^/  $mode: /"
  # The libraries' own messages (error channel, the child's stderr), if any failed.
  [ "$rc" -eq 0 ] || grep -vE '^(round|FAIL|crash:)' "$log" | head -5 | sed "s/^/  $mode stderr: /"
  summary=$(grep '^crash: [0-9]* rounds' "$log" | tail -1)
  if [ -z "$summary" ]; then
    echo "crash: mode $mode: no summary (exit $rc$([ "$rc" -eq 124 ] && echo ", timed out")), last lines of $log:"
    tail -5 "$log" | sed 's/^/    /'
    status=1
  else
    echo "$summary [$mode, ${secs}s]"
    [ "$rc" -eq 0 ] || status=1
  fi
  # The environments are scratch; keep them only when something failed.
  [ "$rc" -eq 0 ] && rm -rf "$work/$mode"
done
[ "$status" -eq 0 ] && echo "crash: all modes passed" || echo "crash: FAILED (logs in $work)"
exit $status
