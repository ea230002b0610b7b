#!/usr/bin/env bash
# `make bigtxn-test`: one 2 GiB transaction end to end (tests/bigtxn/bigtxn.c),
# against Tern (build/lib first on LD_LIBRARY_PATH) or, with
# BIGTXN_LIB=system, the system libdb. Not part of `make check`: it writes
# several GiB and takes minutes.
#
#   BIGTXN_N=2048 BIGTXN_SIZE=1048576   items and value size (default 2 GiB)
#   BIGTXN_CACHE=bytes                  cache size (default: the library's)
#   BIGTXN_DIR=/path                    scratch (default $TERN_BUILD/bigtxn-test)
#
# Phases: load (puts, commit DB_TXN_SYNC, close), verify (plain reopen),
# recover (reopen with DB_RECOVER); then in a fresh environment crash (the
# same transaction, then _exit without closing) and recover (DB_RECOVER
# replays the whole transaction from the log). Each under /usr/bin/time -v;
# prints wall time, peak RSS and the log's size.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="${TERN_BUILD:-$root/build}"
work="${BIGTXN_DIR:-$build/bigtxn-test}"
n=${BIGTXN_N:-2048}
size=${BIGTXN_SIZE:-1048576}
cache=${BIGTXN_CACHE:-0}
CC=${CC:-cc}
mkdir -p "$work" || exit 2
$CC -g -O2 -Wall -o "$work/bigtxn" "$here/bigtxn.c" -I/usr/include -ldb 2>"$work/build.log" \
  || { echo "FAIL: bigtxn.c does not build"; head -20 "$work/build.log"; exit 2; }
version=$("$work/bigtxn" -V) || { echo "FAIL: the library does not load"; exit 2; }
echo "bigtxn: library: $version"
case "${TEST_EXPECT:-}" in
  tern)  case "$version" in Tern*) ;; *) echo "FAIL: expected Tern, found: $version"; exit 2 ;; esac ;;
  libdb) case "$version" in Tern*) echo "FAIL: expected the system libdb, found: $version"; exit 2 ;; esac ;;
esac
env="$work/env"
rm -rf "$env" && mkdir -p "$env"
status=0
for phase in load verify recover crash recover; do
  [ "$phase" = crash ] && { rm -rf "$env" && mkdir -p "$env"; }
  /usr/bin/time -v "$work/bigtxn" -d "$env" -p $phase -n "$n" -s "$size" -c "$cache" \
    > "$work/$phase.out" 2> "$work/$phase.time"
  rc=$?
  cat "$work/$phase.out"
  grep -v -E '^\s' "$work/$phase.time" | grep -v '^Command' | head -5
  wall=$(grep 'Elapsed (wall clock)' "$work/$phase.time" | sed 's/.*: //')
  rss=$(grep 'Maximum resident set size' "$work/$phase.time" | sed 's/.*: //')
  echo "bigtxn: $phase: exit $rc, wall $wall, peak RSS $((rss / 1024)) MiB"
  if [ "$phase" = load ] || [ "$phase" = crash ]; then
    logbytes=$(cat "$env"/log.* 2>/dev/null | wc -c)
    echo "bigtxn: log: $(ls "$env"/log.* 2>/dev/null | wc -l) files, $logbytes bytes; home: $(du -sb "$env" | cut -f1) bytes"
  fi
  [ $rc -eq 0 ] || { status=1; break; }
done
rm -rf "$env"
[ $status -eq 0 ] && echo "bigtxn: PASS" || echo "bigtxn: FAIL"
exit $status
