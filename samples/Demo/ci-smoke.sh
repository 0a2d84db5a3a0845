#!/usr/bin/env bash
# CI smoke test of the demo: publishes samples/Demo with NativeAOT (failing on any warning, trim/AOT ones
# included) and runs the native binary in its short mode. Exits non-zero when the publish fails or warns, or
# the run fails (an open failed, the paused node did not drain, or a statement failed other than by a kill).
# Called by ./test.sh; runnable alone. Needs mariadbd and a C toolchain (./demo.sh installs them).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

project=samples/Demo
binary="$project/bin/Release/net10.0/linux-x64/publish/Demo"
started=$(date +%s)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet publish "$project" -c Release -r linux-x64 --nologo -v q >"$log" 2>&1; then
    cat "$log" >&2
    echo "demo smoke: the NativeAOT publish of $project failed" >&2
    exit 1
fi
if grep -Eq '(^|[ :])warning [A-Z]+[0-9]+' "$log"; then
    grep -E '(^|[ :])warning [A-Z]+[0-9]+' "$log" | sort -u >&2
    echo "demo smoke: the NativeAOT publish printed warnings" >&2
    exit 1
fi
published=$(date +%s)
echo "demo smoke: published in $((published - started)) s; native binary $(stat -c %s "$binary") bytes"

# the run bounds itself (about 10 s); the timeout only guards against a hang
rc=0
timeout --kill-after=10 180 "$binary" --short --plain </dev/null || rc=$?
echo "demo smoke: the short run exited with $rc after $(($(date +%s) - published)) s"
exit "$rc"
