#!/usr/bin/env bash
# The demo, from one command: ./demo.sh [demo options]   (./demo.sh --help lists them)
#
# Installs what is missing (as root, non-interactive): Debian's mariadb-server when /usr/sbin/mariadbd is
# missing (the system service is not started: the demo starts its own mariadbd), and a C toolchain for
# NativeAOT (clang) when neither clang nor gcc is on PATH. Needs the .NET 10 SDK on PATH.
# Then publishes samples/Demo natively (samples/Demo/publish-native.sh: NativeAOT, linux-x64, failing on any
# warning, IL trim/AOT warnings included), and runs the native binary with the arguments given here: one real
# MariaDB, three real ProxySQL nodes in front of it (binary from PROXYSQL_BIN, default
# ../shared/proxysql/proxysql; three relays standing in for them when it is missing), a concurrent workload,
# and a scripted rolling maintenance (PROXYSQL PAUSE, drain, stop, start, RESUME), kill and lost backends
# (or blackhole, with relays), shown live.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

project=samples/Demo

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

missing=()
if [ ! -x /usr/sbin/mariadbd ] || [ ! -x /usr/bin/mariadb-install-db ]; then
    missing+=(mariadb-server)
fi
# NativeAOT compiles with clang, or gcc when clang is absent, and strips with objcopy; .NET 10 links its own zlib.
if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
    missing+=(clang)
fi
if ! command -v objcopy >/dev/null 2>&1 && ! command -v llvm-objcopy >/dev/null 2>&1; then
    missing+=(binutils)
fi

if [ "${#missing[@]}" -gt 0 ]; then
    echo "demo.sh: installing ${missing[*]} with apt-get" >&2
    # keep mariadb-server's maintainer scripts from starting the system service: the demo starts its own
    created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
        as_root chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    rc=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || rc=$?
    if [ "$rc" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" || rc=$?
    fi
    if [ "$created_policy" -eq 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
    if [ "$rc" -ne 0 ]; then
        echo "demo.sh: could not install ${missing[*]} (as root: apt-get install -y ${missing[*]})" >&2
        exit 1
    fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "demo.sh: the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK" >&2
    exit 1
fi

echo "demo.sh: publishing $project with NativeAOT (linux-x64); the first publish takes a minute or two" >&2
binary=$(bash samples/Demo/publish-native.sh) || exit 1
echo "demo.sh: native binary $binary ($(du -h "$binary" | cut -f1))" >&2

# the nodes: real ProxySQL when its binary is there (PROXYSQL_BIN, default ../shared/proxysql/proxysql), else relays;
# the demo says which at start
# a child, not exec: the demo measures its start-up from its own process start
rc=0
"$binary" "$@" || rc=$?
exit "$rc"
