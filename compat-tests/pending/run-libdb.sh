#!/usr/bin/env bash
# Pending storage-engine cases, run against the system libdb only: each
# compat-tests/pending/*.c is built with cc case.c -ldb and run in a fresh
# scratch directory (as compat-tests/run.sh does). Reports, per case, whether
# it builds and exits 0, with its number of output lines; the outputs are kept
# in $OUT (default /tmp/tern-pending-out) as NAME.out for inspection.
#
#   bash compat-tests/pending/run-libdb.sh [case-name ...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
out="${OUT:-/tmp/tern-pending-out}"
mkdir -p "$out"
CC=${CC:-cc}
CFLAGS="-g -O0 -Wall -Wno-unused -pthread -I$here/../include"

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for f in "$here"/*.c; do cases+=("$(basename "$f" .c)"); done
fi

passed=0; failed=0
for name in "${cases[@]}"; do
  if ! $CC $CFLAGS -o "$out/$name" "$here/$name.c" -ldb 2>"$out/$name.build"; then
    echo "FAIL $name: does not build"; sed 's/^/    /' "$out/$name.build" | head -20
    failed=$((failed+1)); continue
  fi
  dir=$(mktemp -d "$out/run.XXXXXX")
  ( cd "$dir" && timeout 60 "$out/$name" 2>"$dir.stderr"; echo "exit $?" ) > "$out/$name.out"
  rm -rf "$dir" "$dir.stderr"
  status=$(tail -n 1 "$out/$name.out")
  if [ "$status" = "exit 0" ]; then
    echo "ok   $name ($(wc -l < "$out/$name.out") lines)"
    passed=$((passed+1))
  else
    echo "FAIL $name: $status"; tail -n 5 "$out/$name.out" | sed 's/^/    /'
    failed=$((failed+1))
  fi
done
echo "pending (libdb only): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
