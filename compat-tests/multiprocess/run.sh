#!/usr/bin/env bash
# Several processes in one environment: mp_env.c is built against the system
# libdb (cc -ldb) and against Tern (pkg-config tern from ${TERN_BUILD:-build}),
# and each build runs every configuration in a fresh home, under a timeout
# that kills the whole process group. Outputs (stdout, then the exit status)
# must be identical, and must show every check passing.
#
#   bash compat-tests/multiprocess/run.sh [mpool|lock ...]
#
# Configurations: "mpool" (DB_INIT_MPOOL: children attach at once, write in
# turns, read concurrently) and "lock" (DB_INIT_LOCK|DB_INIT_MPOOL: children
# write concurrently).
#
# mp_log.c (built against both too): children commit DB_TXN_SYNC
# transactions through one shared log ("run": then checks, verify,
# DB_RECOVER; "kill": SIGKILLed mid-run, DB_RECOVER keeps every reported
# commit; "ckpt": a checkpoint by one process carries another's files).
# log_guard.c (Tern only): log sharing rules, and the in-memory log
# kept to one process.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="${TERN_BUILD:-$root/build}"
out="$build/compat-out/multiprocess"
mkdir -p "$out"
export PKG_CONFIG_PATH="$build/lib/pkgconfig"
tern_flags=$(pkg-config --cflags --libs tern) || { echo "pkg-config tern failed (run make first)"; exit 2; }
CC=${CC:-cc}
CFLAGS="-g -O1 -Wall -Wno-unused"

configs=("$@")
[ ${#configs[@]} -eq 0 ] && configs=(mpool lock)

$CC $CFLAGS -o "$out/mp_env.libdb" "$here/mp_env.c" -ldb 2>"$out/build.libdb" \
  || { echo "FAIL: mp_env does not build against libdb"; head -20 "$out/build.libdb"; exit 1; }
$CC $CFLAGS -o "$out/mp_env.tern" "$here/mp_env.c" $tern_flags 2>"$out/build.tern" \
  || { echo "FAIL: mp_env does not build against Tern"; head -20 "$out/build.tern"; exit 1; }

run_one() { # binary library-path config -> output and "exit N"
  local bin=$1 libpath=$2 config=$3 dir
  dir=$(mktemp -d "$out/run.XXXXXX")
  # timeout signals the command's process group: forked children too.
  # The home is named relative to the working directory, as applications
  # often do (mp_env's odd children join it from inside as ".").
  ( cd "$dir" && LD_LIBRARY_PATH="$libpath" timeout -k 5 60 "$bin" home "$config" 2>"$dir.stderr"
    echo "exit $?" )
  rm -rf "$dir"
}

# Every line a passing run prints, with the counts filled in.
expected() {
  local config=$1 cfg
  [ "$config" = lock ] && cfg="DB_INIT_LOCK|DB_INIT_MPOOL" || cfg="DB_INIT_MPOOL"
  cat <<EOF
config $cfg, 4 children
parent env open -> 0
parent distinct open -> 0
parent same open -> 0
parent syncs -> 0 0
child 0 exit 0
child 1 exit 0
child 2 exit 0
child 3 exit 0
barriers passed 1
parent distinct: 20000 of 20000 keys right, 0 missing
parent distinct scan: 20000 records, 0 out of order, end -30988
parent same: 2000 of 2000 keys hold one child's value, 0 missing, owners nonempty 1
parent same scan: 2000 records, 0 out of order, end -30988
parent closes -> 0 0 0
fresh env open -> 0
fresh distinct open -> 0
fresh same open -> 0
fresh distinct: 20000 of 20000 keys right, 0 missing
fresh distinct scan: 20000 records, 0 out of order, end -30988
fresh same: 2000 of 2000 keys hold one child's value, 0 missing, owners nonempty 1
fresh same scan: 2000 records, 0 out of order, end -30988
fresh closes -> 0 0 0
fresh process exit 0
exit 0
EOF
}

rm -f "$out"/run.*.stderr  # each run's stderr stays, for a failure's diagnosis
passed=0; failed=0
for config in "${configs[@]}"; do
  expected "$config" > "$out/$config.expected"
  start=$(date +%s.%N)
  run_one "$out/mp_env.libdb" "" "$config" > "$out/$config.libdb.out"
  # libdb itself, in the "lock" configuration (concurrent writers without
  # transactions), now and then loses a write: a child's read-back of its
  # own key fails and the scan finds a key out of order (seen once in
  # about a hundred runs). That is not behaviour to match: the reference is
  # taken again, at most twice more, and each loss is reported.
  for retry in 1 2; do
    cmp -s "$out/$config.expected" "$out/$config.libdb.out" && break
    echo "note $config: libdb's own run lost writes (child exits: $(grep -c '^child .* exit [^0]' "$out/$config.libdb.out") failed); taking its reference again"
    run_one "$out/mp_env.libdb" "" "$config" > "$out/$config.libdb.out"
  done
  mid=$(date +%s.%N)
  run_one "$out/mp_env.tern" "$build/lib" "$config" > "$out/$config.tern.out"
  end=$(date +%s.%N)
  times=$(awk -v a="$start" -v b="$mid" -v c="$end" 'BEGIN { printf "libdb %.1fs, tern %.1fs", b - a, c - b }')
  if ! cmp -s "$out/$config.libdb.out" "$out/$config.tern.out"; then
    echo "FAIL $config: output differs (< libdb, > tern) ($times)"
    diff "$out/$config.libdb.out" "$out/$config.tern.out" | head -30 | sed 's/^/    /'
    failed=$((failed+1))
  elif ! cmp -s "$out/$config.expected" "$out/$config.tern.out"; then
    echo "FAIL $config: both differ from a passing run (< expected, > both) ($times)"
    diff "$out/$config.expected" "$out/$config.tern.out" | head -30 | sed 's/^/    /'
    failed=$((failed+1))
  else
    echo "ok   $config ($(wc -l < "$out/$config.tern.out") lines; $times)"
    passed=$((passed+1))
  fi
done
# Shared log: mp_log, each mode against both libraries.
$CC $CFLAGS -o "$out/mp_log.libdb" "$here/mp_log.c" -ldb 2>"$out/build.mp_log.libdb" \
  || { echo "FAIL: mp_log does not build against libdb"; head -20 "$out/build.mp_log.libdb"; exit 1; }
$CC $CFLAGS -o "$out/mp_log.tern" "$here/mp_log.c" $tern_flags 2>"$out/build.mp_log.tern" \
  || { echo "FAIL: mp_log does not build against Tern"; head -20 "$out/build.mp_log.tern"; exit 1; }
mp_log_expected() {
  local mode=$1 who
  if [ "$mode" = ckpt ]; then
    printf '%s\n' "mode ckpt" "create -> 0" "checkpoint by the other process -> 0" "reported 100" \
      "recovered env open -> 0" "recovered: 100 of 100 b.db commits present" "recovered closes -> 0" "exit 0"
    return
  fi
  echo "mode $mode, 4 children, 200 commits each"
  echo "create -> 0"
  if [ "$mode" = kill ]; then
    echo "children exited or were killed: 4 of 4"
    echo "reported at least 400: yes"
  else
    echo "children exited 0: 4 of 4"
    echo "reported 800"
  fi
  for who in $([ "$mode" = kill ] && echo recovered || echo parent recovered); do
    echo "$who env open -> 0"
    echo "$who: all reported commits present, 0 missing"
    echo "$who db closes -> 0"
    echo "$who verify -> 0"
    [ "$who" = parent ] && echo "parent log_archive -> 0, more than one log file: yes"
    echo "$who env close -> 0"
  done
  echo "exit 0"
}
for mode in run kill ckpt; do
  mp_log_expected "$mode" > "$out/mp_log.$mode.expected"
  for lib in libdb tern; do
    dir=$(mktemp -d "$out/run.XXXXXX")
    libpath=""; [ "$lib" = tern ] && libpath="$build/lib"
    ( cd "$dir" && LD_LIBRARY_PATH="$libpath" timeout -k 5 120 "$out/mp_log.$lib" home "$mode" 2>"$dir.stderr"
      echo "exit $?" ) > "$out/mp_log.$mode.$lib.out"
    rm -rf "$dir"
  done
  if ! cmp -s "$out/mp_log.$mode.libdb.out" "$out/mp_log.$mode.tern.out"; then
    echo "FAIL mp_log $mode: output differs (< libdb, > tern)"
    diff "$out/mp_log.$mode.libdb.out" "$out/mp_log.$mode.tern.out" | head -30 | sed 's/^/    /'
    failed=$((failed+1))
  elif ! cmp -s "$out/mp_log.$mode.expected" "$out/mp_log.$mode.tern.out"; then
    echo "FAIL mp_log $mode: both differ from a passing run (< expected, > both)"
    diff "$out/mp_log.$mode.expected" "$out/mp_log.$mode.tern.out" | head -30 | sed 's/^/    /'
    failed=$((failed+1))
  else
    echo "ok   mp_log $mode"
    passed=$((passed+1))
  fi
done
# Tern only: log sharing, and the in-memory log kept to one process.
if $CC $CFLAGS -o "$out/log_guard.tern" "$here/log_guard.c" $tern_flags 2>"$out/build.log_guard"; then
  dir=$(mktemp -d "$out/run.XXXXXX")
  ( cd "$dir" && LD_LIBRARY_PATH="$build/lib" timeout -k 5 60 "$out/log_guard.tern" home 2>"$dir.stderr"
    echo "exit $?" ) > "$out/log_guard.tern.out"
  rm -rf "$dir"
  printf '%s\n' "create -> 0" "second handle, same process -> 0" "second handle close -> 0" \
    "other process, logged, commits -> 0" "other process, flags 0 (adopts the log), commits -> 0" \
    "this process sees their commits: 2" "close -> 0" "other process after close -> 0" \
    "in-memory log create -> 0" "other process, in-memory log -> EBUSY" "other process, log files -> EBUSY" \
    "in-memory close -> 0" "other process after close -> 0" \
    "process died with the log open, its child lives: exit 0" "next opener is alone (in-memory log) -> 0" \
    "close -> 0" "exit 0" > "$out/log_guard.expected"
  if cmp -s "$out/log_guard.expected" "$out/log_guard.tern.out"; then
    echo "ok   log_guard (Tern only)"; passed=$((passed+1))
  else
    echo "FAIL log_guard (Tern only): < expected, > tern"
    diff "$out/log_guard.expected" "$out/log_guard.tern.out" | sed 's/^/    /'
    failed=$((failed+1))
  fi
else
  echo "FAIL log_guard: does not build against Tern"; head -20 "$out/build.log_guard"; failed=$((failed+1))
fi
echo "multiprocess: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
