#!/usr/bin/env bash
# CI smoke test of the demo: publishes samples/Demo with NativeAOT (samples/Demo/publish-native.sh, failing on
# any warning, trim/AOT ones included) and runs the native binary in its short mode, on real ProxySQL nodes when
# the binary is found. Exits non-zero when the publish fails or warns, or
# the run fails (an open failed, the paused node did not drain, or a statement failed other than by a kill).
# Called by ./test.sh; runnable alone. Needs mariadbd and a C toolchain (./demo.sh installs them).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
binary=$(bash samples/Demo/publish-native.sh) || { echo "demo smoke: the NativeAOT publish failed or warned" >&2; exit 1; }
published=$(date +%s)
echo "demo smoke: published in $((published - started)) s; native binary $(stat -c %s "$binary") bytes"

# real ProxySQL nodes when the binary is there (PROXYSQL_BIN, default ../shared/proxysql/proxysql), relays otherwise;
# the run bounds itself (about 20 s); the timeout only guards against a hang
rc=0
timeout --kill-after=10 180 "$binary" --short --plain </dev/null || rc=$?
echo "demo smoke: the short run exited with $rc after $(($(date +%s) - published)) s"
exit "$rc"
