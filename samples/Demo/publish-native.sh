#!/usr/bin/env bash
# Publishes samples/Demo with NativeAOT (linux-x64) and fails when the publish fails or prints any warning (IL
# trim/AOT warnings included: warnings are errors in the project anyway). Used by ./demo.sh and by
# samples/Demo/ci-smoke.sh; on success prints the native binary's path (relative to the repository root) on stdout.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

project=samples/Demo
binary="$project/bin/Release/net10.0/linux-x64/publish/Demo"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
dotnet publish "$project" -c Release -r linux-x64 --nologo -v q >"$log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
    cat "$log" >&2
    echo "publish-native: the NativeAOT publish of $project failed (exit code $rc)" >&2
    exit 1
fi
if grep -Eq '(^|[ :])warning [A-Z]+[0-9]+' "$log"; then
    grep -E '(^|[ :])warning [A-Z]+[0-9]+' "$log" | sort -u >&2
    echo "publish-native: the NativeAOT publish of $project printed warnings (trim/AOT problems must be fixed, not ignored)" >&2
    exit 1
fi
if [ ! -x "$binary" ]; then
    echo "publish-native: the publish succeeded but $binary is missing" >&2
    exit 1
fi
echo "$binary"
