#!/usr/bin/env bash
# `make demo`: until replication lands (a later issue), the demo shows what is
# built: the library, and an existing libdb binary running on Tern.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
echo "Tern demo"
echo "---------"
echo "Replication is not built yet: the replicated group with writes and a"
echo "failover will be shown here when it lands. Today Tern provides libdb's"
echo "C interface (include/db.h, layout-identical) and runs libdb binaries:"
echo
bash "$root/compat-tests/dropin-test.sh"
