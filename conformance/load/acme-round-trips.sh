#!/usr/bin/env bash
# Redis round trips per ACME order: this server with Redis state, one worker of PkiProtocolServer.LoadGenerator's
# acme mode doing full orders for a few seconds while `redis-cli monitor` records every command. Prints the top-level
# commands (the round trips the server waits for; commands run inside Lua scripts are left out) per completed order,
# by command. Background work (the validator's polling, the janitor) is counted with the orders, as it is part of
# their cost. A look at where the round trips go, not a CPU measurement (monitor itself slows Redis).
#
# Usage: conformance/load/acme-round-trips.sh [server.dll]   Environment: ACME_ROUND_TRIPS_DURATION (10s)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/common.sh"

SERVER_DLL=${1:-$root/src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll}
LOADGEN=$root/conformance/load/PkiProtocolServer.LoadGenerator/bin/Release/net10.0/PkiProtocolServer.LoadGenerator.dll
[ -f "$SERVER_DLL" ] && [ -f "$LOADGEN" ] || { echo "build first: dotnet build -c Release PkiProtocolServer.sln"; exit 2; }
for tool in pebble-challtestsrv redis-server redis-cli jq; do
  command -v "$tool" >/dev/null || { echo "missing $tool"; exit 2; }
done

WORK=$(mktemp -d /tmp/pki-acme-round-trips.XXXXXX)
CHALL_PID=; MONITOR_PID=
stop_pid() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && { kill "$1"; wait "$1" 2>/dev/null; }; return 0; }
cleanup() { stop_pid "$MONITOR_PID"; stop_server; stop_redis; stop_pid "$CHALL_PID"; rm -rf "$WORK"; }
trap cleanup EXIT

DNS_PORT=$(free_port); HTTP01=$(free_port)
pebble-challtestsrv -dns01 "127.0.0.1:$DNS_PORT" -management "127.0.0.1:$(free_port)" -http01 "" -https01 "" -tlsalpn01 "" \
  -defaultIPv4 127.0.0.1 -defaultIPv6 "" >"$WORK/challtestsrv.log" 2>&1 &
CHALL_PID=$!

# The environment of conformance/load/acme.sh.
export Pki__HttpsPort=$(free_port) Pki__HttpPort=$(free_port) Pki__DataDirectory=$WORK/data
export Pki__Keys__Software__Passphrase=load-passphrase ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
export Pki__Acme__HttpChallengePort=$HTTP01 Pki__Acme__DnsResolvers__0=127.0.0.1:$DNS_PORT
# One worker means one account: lift its order limit (300 / 3 h) so that refusals do not mix into the count.
export Pki__Acme__RateLimits__NewOrdersPerAccount__Limit=0
start_redis "$WORK/redis" || exit 1
export Pki__Redis=127.0.0.1:$REDIS_PORT
start_server "$WORK/server.log" || exit 1

redis-cli -p "$REDIS_PORT" monitor >"$WORK/monitor.txt" 2>/dev/null &
MONITOR_PID=$!
sleep 0.5
dotnet "$LOADGEN" acme --directory "https://localhost:$Pki__HttpsPort/acme/directory" --cacert "$Pki__DataDirectory/root-ca.pem" \
  --server-pid "$SERVER_PID" --concurrency 1 --duration "${ACME_ROUND_TRIPS_DURATION:-10s}" --warmup 2s --poll 5ms \
  --http01-port "$HTTP01" --drain 5s --json "$WORK/run.json" >"$WORK/run.txt"
stop_pid "$MONITOR_PID"; MONITOR_PID=

cat "$WORK/run.txt"
orders=$(jq .run_completed "$WORK/run.json")
posts=$(jq '.counters["signed POSTs"] // 0' "$WORK/run.json")
[ "${orders:-0}" -gt 0 ] || { echo "no order completed"; cat "$WORK/run.txt"; exit 1; }
# monitor lines: <time> [<db> <client address>] "COMMAND" ...; commands from scripts show "[<db> lua]".
grep -v '^OK' "$WORK/monitor.txt" | grep -v ' lua\] ' | sed -E 's/^[^]]*\] "([^"]*)".*/\1/' | tr '[:lower:]' '[:upper:]' \
  | sort | uniq -c | sort -rn | awk -v n="$orders" -v p="$posts" '{ total += $1; printf "%8.1f  %s\n", $1 / n, $2 }
      END { printf "%8.1f  round trips per order (%d orders, %.1f signed POSTs each: %.1f round trips per signed POST)\n", total / n, n, p / n, total / p }'
