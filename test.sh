#!/usr/bin/env bash
# Runs every test of ProxySql.Gen: `dotnet build` of ProxySql.Gen.sln, then `dotnet test --no-build -m:1`, one test
# assembly at a time.
#
# The tests start their own MariaDB servers (mariadbd on loopback ports, files under the temp folder).
# On a fresh Debian machine this script first installs Debian's mariadb-server with apt-get (as root,
# non-interactive) when /usr/sbin/mariadbd is missing; it does not start the system MariaDB service.
# Needs the .NET 10 SDK on PATH.
#
# The real-ProxySQL suites (tests in Category=ProxySql) run when the proxysql binary is found: PROXYSQL_BIN, or
# ../shared/proxysql/proxysql next to this checkout. Without it they are filtered out, one line says why, and the
# summary line says they were not run (they are not counted as passed).
#
# Ends with exactly one summary line: "tests: N passed, N failed" (", N skipped" when any were skipped;
# ", ProxySQL suites not run" when the binary was missing).
# Exits non-zero when the build fails, a test fails, or no test ran.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DEBIAN_FRONTEND=noninteractive
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results_dir="TestResults/trx"

proxysql_not_run=""

summary() { # passed failed skipped
    local line="tests: $1 passed, $2 failed"
    if [ "$3" -gt 0 ]; then line="$line, $3 skipped"; fi
    if [ -n "$proxysql_not_run" ]; then line="$line, ProxySQL suites not run"; fi
    echo "$line"
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

install_mariadb() {
    if [ -x /usr/sbin/mariadbd ] && [ -x /usr/bin/mariadb-install-db ]; then
        return 0
    fi
    echo "test.sh: /usr/sbin/mariadbd is missing; installing mariadb-server with apt-get" >&2
    # keep the package's maintainer scripts from starting the system service: tests start their own
    local created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null && as_root chmod 755 /usr/sbin/policy-rc.d && created_policy=1
    fi
    local rc=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || rc=$?
    if [ "$rc" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-server || rc=$?
    fi
    if [ "$created_policy" -eq 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
    if [ "$rc" -ne 0 ] || [ ! -x /usr/sbin/mariadbd ]; then
        echo "test.sh: could not install mariadb-server (run as root: apt-get install -y mariadb-server)" >&2
        return 1
    fi
}

if ! install_mariadb; then
    summary 0 0 0
    exit 1
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "test.sh: the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK" >&2
    summary 0 0 0
    exit 1
fi

# the real ProxySQL the Category=ProxySql suites start (tests/ProxySql.Gen.Testing/ProxySqlNode.cs)
export PROXYSQL_BIN="${PROXYSQL_BIN:-$(cd .. && pwd)/shared/proxysql/proxysql}"
test_filter=()
if [ ! -f "$PROXYSQL_BIN" ]; then
    proxysql_not_run="no proxysql binary at PROXYSQL_BIN=$PROXYSQL_BIN"
elif ! version=$("$PROXYSQL_BIN" --version 2>&1); then
    proxysql_not_run="$PROXYSQL_BIN --version failed: $(printf '%s' "$version" | head -n 1)"
fi
if [ -n "$proxysql_not_run" ]; then
    echo "test.sh: the real-ProxySQL suites (Category=ProxySql) were not run: $proxysql_not_run (set PROXYSQL_BIN, see README)" >&2
    test_filter=(--filter "Category!=ProxySql")
fi

rm -rf "$results_dir"
mkdir -p "$results_dir"

# Build once (in parallel), then run the test assemblies one after another (-m:1). Several suites start real servers
# and drive them with dozens of workers; run side by side on a 2-core CI machine they starved each other (a mariadbd
# once took over 30 s to start) and turned timing margins into failures. One at a time costs a few minutes.
if ! dotnet build ProxySql.Gen.sln -c Release --nologo; then
    echo "test.sh: the build failed" >&2
    summary 0 0 0
    exit 1
fi
dotnet test ProxySql.Gen.sln -c Release --nologo --no-build -m:1 "${test_filter[@]}" \
    --logger trx --results-directory "$results_dir" \
    --blame-hang-timeout 10m --blame-hang-dump-type none
test_rc=$?

# sum the counters of every project's TRX file
passed=0 failed=0 skipped=0 files=0
shopt -s nullglob
for trx in "$results_dir"/*.trx; do
    files=$((files + 1))
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    count() { # attribute name -> value (0 when absent)
        local value
        value=$(printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p")
        echo "${value:-0}"
    }
    passed=$((passed + $(count passed)))
    failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
    # a skipped test is counted in "total" but not in "executed" (its "notExecuted" stays 0)
    skipped=$((skipped + $(count total) - $(count executed)))
done

status=0
if [ "$test_rc" -ne 0 ]; then
    echo "test.sh: dotnet test exited with code $test_rc (build failure, failed tests or a crashed test host)" >&2
    status=1
fi
if [ "$failed" -gt 0 ]; then status=1; fi
if [ $((passed + failed)) -eq 0 ]; then
    echo "test.sh: no test ran ($files TRX files in $results_dir)" >&2
    status=1
fi

# --- demo smoke test (samples/Demo, owned by the demo): publishes the demo with NativeAOT (any warning
# fails it) and runs the native binary in its short mode; counted as one test.
if bash samples/Demo/ci-smoke.sh; then
    passed=$((passed + 1))
else
    echo "test.sh: the demo smoke test failed (samples/Demo/ci-smoke.sh)" >&2
    failed=$((failed + 1))
    status=1
fi
# --- end of demo smoke test

summary "$passed" "$failed" "$skipped"
exit "$status"
