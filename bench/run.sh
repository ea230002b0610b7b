#!/usr/bin/env bash
# The benchmarks (`make bench`): bench/bench.c is built against the system
# libdb (cc bench.c -ldb -O2) and against Tern (pkg-config tern, from the
# build folder), each test group runs with both libraries in fresh
# directories, and a table shows libdb ops/s, Tern ops/s and Tern/libdb.
#
#   bash bench/run.sh [group ...]      groups: small large bigdata autonosync autosync
#   BENCH_N=200000 bash bench/run.sh   (default N=1000000)
#   TERN_BUILD=/path/to/build          (default: BUILD, then build/)
#   BENCH_RUNS=3                       runs of each group per library, taken in turn
#                                      (libdb, Tern, libdb, ...); the table shows each
#                                      test's median rate (default 3)
#   BENCH_DIR=/path                    scratch folder (default: $build/bench-run);
#                                      must be on a real disk for the fsync test
# Exits non-zero if any run fails (an unexpected return code in either library).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="${TERN_BUILD:-${BUILD:-$root/build}}"
N="${BENCH_N:-1000000}"
RUNS="${BENCH_RUNS:-3}"
work="${BENCH_DIR:-$build/bench-run}"
CC=${CC:-cc}
CFLAGS="-O2 -Wall"
mkdir -p "$work"
export PKG_CONFIG_PATH="$build/lib/pkgconfig"
tern_flags=$(pkg-config --cflags --libs tern) || { echo "pkg-config tern failed (run make first)"; exit 2; }

$CC $CFLAGS -o "$work/bench.libdb" "$here/bench.c" -ldb || { echo "bench: does not build against libdb"; exit 2; }
$CC $CFLAGS -o "$work/bench.tern" "$here/bench.c" $tern_flags || { echo "bench: does not build against Tern"; exit 2; }

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(small large bigdata autonosync autosync)

declare -A libdb_rate tern_rate
names=()
failed=0

run_group() { # library group -> fills <library>_rate[name]
  local lib=$1 group=$2 dir libpath="" out line
  [ "$lib" = tern ] && libpath="$build/lib"
  dir="$work/$group.$lib"
  rm -rf "$dir" && mkdir -p "$dir"
  if ! out=$(LD_LIBRARY_PATH="$libpath" "$work/bench.$lib" "$group" "$dir" "$N" 2>"$work/$group.$lib.stderr"); then
    echo "FAIL $group with $lib (exit $?):" >&2
    sed 's/^/    /' "$work/$group.$lib.stderr" | head -20 >&2
    failed=1
    rm -rf "$dir"
    return
  fi
  rm -rf "$dir"
  while read -r tag name ops secs; do
    [ "$tag" = RESULT ] || continue
    local rate
    rate=$(awk -v o="$ops" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? o / s : 0) }')
    if [ "$lib" = libdb ]; then libdb_rate[$name]+="$rate "; else tern_rate[$name]+="$rate "; fi
    case " ${names[*]-} " in *" $name "*) ;; *) names+=("$name") ;; esac
  done <<< "$out"
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

printf '%-22s %14s %14s %11s\n' test "libdb ops/s" "Tern ops/s" Tern/libdb
ratios=()
for name in "${names[@]}"; do
  l=$(median ${libdb_rate[$name]:-}) t=$(median ${tern_rate[$name]:-})
  if [ -n "$l" ] && [ -n "$t" ] && [ "$l" -gt 0 ]; then
    r=$(awk -v t="$t" -v l="$l" 'BEGIN { printf "%.2f", t / l }')
    ratios+=("$r")
  else
    r="-"
  fi
  printf '%-22s %14s %14s %11s\n' "$name" "${l:--}" "${t:--}" "$r"
done
for s in "put_txn_1000" "put_txn_1" "commit_sync_8_threads"; do
  printf '%-22s %s\n' "$s" "skipped: needs transactions"
done
if [ ${#ratios[@]} -gt 0 ]; then
  printf '%s\n' "${ratios[@]}" | awk -v n="$N" -v failed="$failed" '
    { s += log($1); c++; if ($1 >= 1) faster++; if (min == "" || $1 < min) min = $1 }
    END { printf "summary: N=%d, %d tests, Tern faster in %d, geometric mean Tern/libdb %.2f, worst %.2f%s\n",
          n, c, faster, exp(s / c), min, (failed ? ", SOME RUNS FAILED" : "") }'
else
  echo "summary: N=$N, no results$([ "$failed" -ne 0 ] && echo ", SOME RUNS FAILED")"
fi
exit $failed
