#!/usr/bin/env bash
# The benchmarks (`make bench`): bench/bench.c is built against the system
# libdb (cc bench.c -ldb -O2) and against Tern (pkg-config tern, from the
# build folder), each test group runs with both libraries in fresh
# directories, and a table shows libdb ops/s, Tern ops/s and Tern/libdb.
#
#   bash bench/run.sh [group ...]      groups: small large bigdata autonosync autosync
#                                      txnsmall txn1 txnlarge txnsync txnsync8 txnbigdata
#   BENCH_N=200000 bash bench/run.sh   (default N=1000000)
#   TERN_BUILD=/path/to/build          (default: BUILD, then build/)
#   BENCH_RUNS=3                       runs of each group per library, taken in turn
#                                      (libdb, Tern, libdb, ...); the table shows each
#                                      test's median rate (default 3)
#   BENCH_DIR=/path                    scratch folder (default: $build/bench-run);
#                                      must be on a real disk for the fsync test
#   BENCH_TIMEOUT=3600                 seconds before one group's run is killed
# A group that fails on one library does not stop the others: the lines it
# printed before failing keep their rates, the rest show "n/a (exit N)" in
# that library's column, and the group is not run again on that library.
# Exit 3 is bench's "DB_OPNOTSUP" (the library does not support a call yet,
# e.g. transactions on Tern): such lines are n/a but not a failure.
# Exits non-zero if any run fails otherwise (an unexpected return code, a
# wrong result, a timeout) in either library.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="${TERN_BUILD:-${BUILD:-$root/build}}"
N="${BENCH_N:-1000000}"
RUNS="${BENCH_RUNS:-3}"
TIMEOUT="${BENCH_TIMEOUT:-3600}"
work="${BENCH_DIR:-$build/bench-run}"
CC=${CC:-cc}
CFLAGS="-O2 -Wall -pthread"
mkdir -p "$work"
export PKG_CONFIG_PATH="$build/lib/pkgconfig"
tern_flags=$(pkg-config --cflags --libs tern) || { echo "pkg-config tern failed (run make first)"; exit 2; }

$CC $CFLAGS -o "$work/bench.libdb" "$here/bench.c" -ldb || { echo "bench: does not build against libdb"; exit 2; }
$CC $CFLAGS -o "$work/bench.tern" "$here/bench.c" $tern_flags || { echo "bench: does not build against Tern"; exit 2; }

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(small large bigdata autonosync autosync
  txnsmall txn1 txnlarge txnsync txnsync8 txnbigdata)

declare -A libdb_rate tern_rate group_rc line_group
names=()
failed=0
# The lines of the chosen groups, in order (bench list), so that a line shows
# up (as n/a) even when its group fails on both libraries.
while read -r group name; do
  for g in "${groups[@]}"; do
    if [ "$g" = "$group" ]; then names+=("$name"); line_group[$name]=$group; fi
  done
done < <("$work/bench.libdb" list)

run_group() { # library group -> fills <library>_rate[name], group_rc[library.group] on failure
  local lib=$1 group=$2 dir libpath="" out rc
  [ -n "${group_rc[$lib.$group]:-}" ] && return  # failed before: not again
  [ "$lib" = tern ] && libpath="$build/lib"
  dir="$work/$group.$lib"
  rm -rf "$dir" && mkdir -p "$dir"
  out=$(LD_LIBRARY_PATH="$libpath" timeout -k 10 "$TIMEOUT" "$work/bench.$lib" "$group" "$dir" "$N" \
    2>"$work/$group.$lib.stderr")
  rc=$?
  rm -rf "$dir"
  if [ "$rc" -ne 0 ]; then
    group_rc[$lib.$group]=$rc
    if [ "$rc" -eq 3 ]; then
      echo "n/a  $group with $lib (exit 3, not supported): $(grep -m1 . "$work/$group.$lib.stderr")" >&2
    else
      echo "FAIL $group with $lib (exit $rc$([ "$rc" -eq 124 ] && echo ", timed out after ${TIMEOUT}s")):" >&2
      sed 's/^/    /' "$work/$group.$lib.stderr" | head -20 >&2
      failed=1
    fi
  fi
  # Lines measured before a failure are as valid as any.
  while read -r tag name ops secs; do
    [ "$tag" = RESULT ] || continue
    local rate
    rate=$(awk -v o="$ops" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? o / s : 0) }')
    if [ "$lib" = libdb ]; then libdb_rate[$name]+="$rate "; else tern_rate[$name]+="$rate "; fi
    case " ${names[*]-} " in *" $name "*) ;; *) names+=("$name") ;; esac
  done <<< "$out"
}

cell() { # library name median -> the median, or why there is none
  local lib=$1 name=$2 m=$3 rc
  if [ -n "$m" ]; then echo "$m"; return; fi
  rc=${group_rc[$lib.${line_group[$name]:-}]:-}
  if [ -n "$rc" ]; then echo "n/a (exit $rc)"; else echo "-"; fi
}

median() { # rates... -> the median (the lower middle one for an even count)
  [ $# -eq 0 ] && return
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "Tern vs libdb benchmarks, N=$N, median of $RUNS runs ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, scratch $work)"
for g in "${groups[@]}"; do
  for ((i = 0; i < RUNS; i++)); do
    run_group libdb "$g"
    run_group tern "$g"
  done
done

printf '%-28s %14s %14s %11s\n' test "libdb ops/s" "Tern ops/s" Tern/libdb
ratios=()
na=0
for name in "${names[@]}"; do
  l=$(median ${libdb_rate[$name]:-}) t=$(median ${tern_rate[$name]:-})
  if [ -n "$l" ] && [ -n "$t" ] && [ "$l" -gt 0 ]; then
    r=$(awk -v t="$t" -v l="$l" 'BEGIN { printf "%.2f", t / l }')
    ratios+=("$r")
  else
    r="-"
    na=$((na + 1))
  fi
  printf '%-28s %14s %14s %11s\n' "$name" "$(cell libdb "$name" "$l")" "$(cell tern "$name" "$t")" "$r"
done
nas=""
[ "$na" -gt 0 ] && nas=", $na without a ratio (n/a)"
if [ ${#ratios[@]} -gt 0 ]; then
  printf '%s\n' "${ratios[@]}" | awk -v n="$N" -v failed="$failed" -v nas="$nas" '
    { s += log($1); c++; if ($1 >= 1) faster++; if (min == "" || $1 < min) min = $1 }
    END { printf "summary: N=%d, %d tests, Tern faster in %d, geometric mean Tern/libdb %.2f, worst %.2f%s%s\n",
          n, c, faster, exp(s / c), min, nas, (failed ? ", SOME RUNS FAILED" : "") }'
else
  echo "summary: N=$N, no results$nas$([ "$failed" -ne 0 ] && echo ", SOME RUNS FAILED")"
fi
exit $failed
