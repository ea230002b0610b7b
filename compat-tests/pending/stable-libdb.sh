#!/usr/bin/env bash
# Stability check for pending cases against the system libdb: builds each
# case once, runs it N times (default 10, REPEAT=N) in fresh scratch
# directories and requires every run's output (stdout, then the exit status)
# to be byte-identical to the first. Threaded and multi-process cases must
# not print anything that depends on scheduling; this catches it.
#
#   bash compat-tests/pending/stable-libdb.sh [case-name ...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
out="${OUT:-/tmp/tern-pending-out}/stable"
mkdir -p "$out"
CC=${CC:-cc}
CFLAGS="-g -O0 -Wall -Wno-unused -pthread -I$here/../include"
n=${REPEAT:-10}

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for f in "$here"/*.c; do cases+=("$(basename "$f" .c)"); done
fi

bad=0
for name in "${cases[@]}"; do
  if ! $CC $CFLAGS -o "$out/$name" "$here/$name.c" -ldb 2>"$out/$name.build"; then
    echo "FAIL $name: does not build"; bad=$((bad+1)); continue
  fi
  diffs=0
  for i in $(seq 1 "$n"); do
    dir=$(mktemp -d "$out/run.XXXXXX")
    ( cd "$dir" && timeout -k 5 60 "$out/$name" 2>/dev/null; echo "exit $?" ) > "$out/$name.$i.out"
    rm -rf "$dir"
    if [ "$i" -gt 1 ] && ! cmp -s "$out/$name.1.out" "$out/$name.$i.out"; then
      diffs=$((diffs+1))
      diff "$out/$name.1.out" "$out/$name.$i.out" | head -10 | sed 's/^/    /'
    fi
  done
  if [ "$diffs" -eq 0 ] && [ "$(tail -n 1 "$out/$name.1.out")" = "exit 0" ]; then
    echo "ok   $name: $n runs identical ($(wc -l < "$out/$name.1.out") lines)"
  else
    echo "FAIL $name: $diffs of $n runs differ from the first; first ends $(tail -n 1 "$out/$name.1.out")"
    bad=$((bad+1))
  fi
done
[ "$bad" -eq 0 ]
