#!/usr/bin/env bash
# Concurrency test (`make concurrency-test`): tests/concurrency/money.c is
# built once with `cc money.c -ldb -pthread` against /usr/include/db.h, and
# that one binary runs against whichever libdb-5.3.so the loader finds first:
# the system libdb, or Tern when LD_LIBRARY_PATH starts with Tern's build/lib
# (the Makefile sets it). 8 threads move money between 5 accounts in
# transactions (DB_RMW reads, deadlock retries) while an auditor checks the
# total (see money.c).
#
#   bash tests/concurrency/run.sh [money options]   e.g. -t 16 -n 5000 -a 8
#   CONCURRENCY_RUNS=3        runs, each in a fresh environment, seeds SEED, SEED+1, ...
#   CONCURRENCY_SEED=N        first seed (default: random, printed)
#   TEST_EXPECT=tern|libdb    fail unless that library was loaded
#   CONCURRENCY_DIR=/path     scratch (default ${TERN_BUILD:-build}/concurrency-test)
#
# Prints each run's facts and "concurrency: N runs, M failed"; exits non-zero
# if any run failed (a check, an unexpected return code, a hang: money's
# watchdog fails a run in which nothing commits for 60 s, and a timeout
# kills a run after 10 minutes).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="${TERN_BUILD:-$root/build}"
work="${CONCURRENCY_DIR:-$build/concurrency-test}"
runs=${CONCURRENCY_RUNS:-3}
seed=${CONCURRENCY_SEED:-$(( (RANDOM << 15 | RANDOM) % 1000000000 ))}
CC=${CC:-cc}
mkdir -p "$work" || exit 2

$CC -g -O1 -Wall -pthread -o "$work/money" "$here/money.c" -I/usr/include -ldb 2>"$work/build.log" \
  || { echo "FAIL: money.c does not build"; head -20 "$work/build.log"; exit 2; }
version=$("$work/money" -V) || { echo "FAIL: money -V: the library does not load"; exit 2; }
echo "concurrency: library: $version (LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-})"
case "${TEST_EXPECT:-}" in
  tern)  case "$version" in Tern*) ;; *) echo "FAIL: expected Tern, the loader found: $version"; exit 2 ;; esac ;;
  libdb) case "$version" in Tern*) echo "FAIL: expected the system libdb, the loader found: $version"; exit 2 ;; esac ;;
esac

failed=0
for ((i = 0; i < runs; i++)); do
  dir="$work/run$i"
  rm -rf "$dir"
  timeout -k 10 600 "$work/money" "$dir" -s $((seed + i)) "$@" > "$work/run$i.log" 2>&1
  rc=$?
  sed 's/^/  /' "$work/run$i.log" | head -40
  if [ "$rc" -ne 0 ]; then
    echo "  run $i (seed $((seed + i))): FAILED, exit $rc$([ "$rc" -eq 124 ] && echo ", timed out")"
    failed=$((failed + 1))
  else
    rm -rf "$dir"
  fi
done
echo "concurrency: $runs runs, $failed failed"
[ "$failed" -eq 0 ]
