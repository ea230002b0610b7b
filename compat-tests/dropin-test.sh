#!/usr/bin/env bash
# Binary drop-in: a program linked against the system libdb (cc -ldb, so it
# needs libdb-5.3.so with symbols versioned DB5_3) runs unchanged with
# LD_LIBRARY_PATH=build/lib and is served by Tern, not by the system library.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="${TERN_BUILD:-$root/build}"
out="$build/compat-out"; mkdir -p "$out"
cc -o "$out/dropin" "$here/dropin/dropin.c" -ldb
readelf -d "$out/dropin" | grep -q 'NEEDED.*libdb-5.3.so' || { echo "FAIL: dropin does not need libdb-5.3.so"; exit 1; }
nm -D "$out/dropin" | grep -q 'db_version@DB5_3' || { echo "FAIL: dropin does not bind db_version@DB5_3"; exit 1; }
system=$("$out/dropin")
tern=$(LD_LIBRARY_PATH="$build/lib" "$out/dropin")
echo "system libdb: $system"
echo "on Tern:      $tern"
case "$system" in *Tern*) echo "FAIL: the system run reached Tern"; exit 1;; esac
case "$tern" in *"Tern "*"5.3.28"*) ;; *) echo "FAIL: the drop-in run did not reach Tern"; exit 1;; esac
# The loader must have resolved the versioned symbols from build/lib.
LD_LIBRARY_PATH="$build/lib" LD_DEBUG=bindings "$out/dropin" 2>&1 >/dev/null \
  | grep -F "$build/lib/libdb-5.3.so" | grep -q "db_version.*DB5_3" \
  || { echo "FAIL: db_version not bound to Tern's DB5_3"; exit 1; }
echo "dropin: 1 passed, 0 failed"
