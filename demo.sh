#!/usr/bin/env bash
# The main job of this repository: the demo (a NativeAOT sample app balancing over relays that stand
# in for ProxySQL nodes, with live fault injection). It is not built yet; this placeholder says so.
set -euo pipefail
echo "ProxySql.Gen demo: not built yet (it will live under samples/ and be run by this script)."
echo "Meanwhile, ./test.sh builds the solution and runs all tests against real MariaDB servers."
exit 0
