#!/usr/bin/env bash
# `make demo`: what Tern runs today. A program built against the system
# libdb (cc -ldb) runs unchanged on Tern: it stores records in a logged
# environment, reopens it and reads them back. The replicated group with
# writes and a failover is shown here once replication lands (later issues).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build="${TERN_BUILD:-$root/build}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -o "$work/demo" "$root/demo/demo.c" -ldb
mkdir -p "$work/home"
echo "== a libdb program, run on Tern (LD_LIBRARY_PATH=$build/lib)"
LD_LIBRARY_PATH="$build/lib" "$work/demo" "$work/home"
echo "== files Tern wrote in the environment home"
ls "$work/home"
echo
echo "== the binary drop-in check"
TERN_BUILD="$build" bash "$root/compat-tests/dropin-test.sh"
