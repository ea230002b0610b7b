#!/usr/bin/env bash
# The compatibility suite: every compat-tests/cases/*.c is built twice, against
# the system libdb (cc case.c -ldb) and against Tern (pkg-config tern, from
# build/), both are run in fresh scratch directories, and their outputs
# (stdout, then the exit status) must be identical. Cases print facts: return
# codes, error-callback text, data. Ends with "N passed, M failed"; exits
# non-zero on any failure, including a case that does not build.
#
#   bash compat-tests/run.sh [case-name ...]
#   CASES=compat-tests/pending bash compat-tests/run.sh   (another folder)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="${TERN_BUILD:-$root/build}"
out="$build/compat-out"
mkdir -p "$out"
export PKG_CONFIG_PATH="$build/lib/pkgconfig"
tern_flags=$(pkg-config --cflags --libs tern) || { echo "pkg-config tern failed (run make first)"; exit 2; }
CC=${CC:-cc}
CFLAGS="-g -O0 -Wall -Wno-unused -pthread -I$here/include"

casedir=$(cd "${CASES:-$here/cases}" && pwd)
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for f in "$casedir"/*.c; do cases+=("$(basename "$f" .c)"); done
fi

run_one() { # binary library-path -> prints output and "exit N"
  local bin=$1 libpath=$2 dir
  dir=$(mktemp -d "$out/run.XXXXXX")
  ( cd "$dir" && LD_LIBRARY_PATH="$libpath" timeout 60 "$bin" 2>"$dir.stderr"; echo "exit $?" )
  rm -rf "$dir"
}

passed=0; failed=0
for name in "${cases[@]}"; do
  src="$casedir/$name.c"
  if ! $CC $CFLAGS -o "$out/$name.libdb" "$src" -ldb 2>"$out/$name.libdb.build"; then
    echo "FAIL $name: does not build against libdb"; sed 's/^/    /' "$out/$name.libdb.build" | head -20
    failed=$((failed+1)); continue
  fi
  if ! $CC $CFLAGS -o "$out/$name.tern" "$src" $tern_flags 2>"$out/$name.tern.build"; then
    echo "FAIL $name: does not build against Tern"; sed 's/^/    /' "$out/$name.tern.build" | head -20
    failed=$((failed+1)); continue
  fi
  run_one "$out/$name.libdb" "" > "$out/$name.libdb.out"
  run_one "$out/$name.tern" "$build/lib" > "$out/$name.tern.out"
  if cmp -s "$out/$name.libdb.out" "$out/$name.tern.out"; then
    echo "ok   $name ($(wc -l < "$out/$name.libdb.out") lines)"
    passed=$((passed+1))
  else
    echo "FAIL $name: output differs (< libdb, > tern)"
    diff "$out/$name.libdb.out" "$out/$name.tern.out" | head -30 | sed 's/^/    /'
    failed=$((failed+1))
  fi
done
echo "compat: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
