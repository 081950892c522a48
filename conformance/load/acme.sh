#!/usr/bin/env bash
# ACME load run, side by side in one run on this machine: this server with embedded state (SQLite), this server
# with Redis state (a redis-server of this run, its CPU counted with the server's), and Debian's pebble, all driven
# through full orders (newOrder, http-01, finalize, download) by PkiProtocolServer.LoadGenerator's acme mode, which
# answers http-01 itself. pebble-challtestsrv is the DNS server both servers use (every name is 127.0.0.1).
# Prints a table; with --write it also replaces the section between the acme markers of docs/performance.md.
#
# Usage: conformance/load/acme.sh [--write] [--quick] [--smoke] [server.dll]
#   --quick: 10 s windows and 20 s at 64/128 (a look, not the figures for the docs)
#   --smoke: one counted check for test.sh: 5 s at concurrency 4 on embedded state must complete orders, 0 failures,
#            none left in flight (ends with "N passed, N failed")
# Environment: ACME_LOAD_RUNS (default "embedded:16 redis:16 pebble:16 pebble:4 redis:64 redis:128"; pebble at 4 as
# well because it often deadlocks at 16), ACME_LOAD_DURATION
# (30s), ACME_LOAD_HIGH_DURATION (60s, for concurrency above 16), ACME_LOAD_WARMUP (5s), ACME_LOAD_POLL (5ms).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/common.sh"

write=false; smoke=false
SERVER_DLL=$root/src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll
duration=${ACME_LOAD_DURATION:-30s}; high_duration=${ACME_LOAD_HIGH_DURATION:-60s}
for arg in "$@"; do
  case "$arg" in
    --write) write=true ;;
    --quick) duration=10s; high_duration=20s ;;
    --smoke) smoke=true ;;
    *.dll) SERVER_DLL=$arg ;;
    *) echo "usage: $0 [--write] [--quick] [--smoke] [server.dll]"; exit 2 ;;
  esac
done
warmup=${ACME_LOAD_WARMUP:-5s}; poll=${ACME_LOAD_POLL:-5ms}
runs=${ACME_LOAD_RUNS:-embedded:16 redis:16 pebble:16 pebble:4 redis:64 redis:128}
if $smoke; then runs=embedded:4; duration=5s; warmup=2s; write=false; fi

LOADGEN=$root/conformance/load/PkiProtocolServer.LoadGenerator/bin/Release/net10.0/PkiProtocolServer.LoadGenerator.dll
[ -f "$SERVER_DLL" ] && [ -f "$LOADGEN" ] || { echo "build first: dotnet build -c Release PkiProtocolServer.sln"; exit 2; }
for tool in pebble pebble-challtestsrv redis-server openssl jq python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install pebble redis-server openssl jq python3)"; exit 2; }
done

WORK=$(mktemp -d /tmp/pki-acme-load.XXXXXX)
CHALL_PID=; PEBBLE_PID=
stop_pid() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && { kill "$1"; wait "$1" 2>/dev/null; }; return 0; }
cleanup() { stop_server; stop_redis; stop_pid "$PEBBLE_PID"; stop_pid "$CHALL_PID"; rm -rf "$WORK"; }
trap cleanup EXIT

DNS_PORT=$(free_port); MGMT_PORT=$(free_port); HTTP01=$(free_port)
pebble-challtestsrv -dns01 "127.0.0.1:$DNS_PORT" -management "127.0.0.1:$MGMT_PORT" -http01 "" -https01 "" -tlsalpn01 "" \
  -defaultIPv4 127.0.0.1 -defaultIPv6 "" >"$WORK/challtestsrv.log" 2>&1 &
CHALL_PID=$!

# Our server: the environment est.sh and the conformance run use; request logging at Warning (at Information it
# costs more than an order); http-01 validated on the generator's port; DNS from the test DNS server.
export Pki__HttpsPort=$(free_port) Pki__HttpPort=$(free_port)
export Pki__Keys__Software__Passphrase=load-passphrase ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
export Pki__Acme__HttpChallengePort=$HTTP01 Pki__Acme__DnsResolvers__0=127.0.0.1:$DNS_PORT
# No per-account order limit and no per-IP account limit (Pebble has neither): one generator worker is one account
# doing ~10 orders a second from 127.0.0.1, past 300 orders in 3 h within a minute, and the runs at 16, 64 and 128
# open 208 accounts on one server.
export Pki__Acme__RateLimits__NewOrdersPerAccount__Limit=0 Pki__Acme__RateLimits__NewAccountsPerIp__Limit=0

# Pebble: its TLS certificate from a CA made here (Debian ships none of its test certificates), validation without
# its random sleep, no random nonce rejection, no authorization reuse; http-01 on the generator's port.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=pebble-load-ca \
  -keyout "$WORK/pebble-ca.key" -out "$WORK/pebble-ca.pem" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost -keyout "$WORK/pebble.key" -out "$WORK/pebble.csr" 2>/dev/null
openssl x509 -req -in "$WORK/pebble.csr" -CA "$WORK/pebble-ca.pem" -CAkey "$WORK/pebble-ca.key" -CAcreateserial -days 2 \
  -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n') -out "$WORK/pebble.pem" 2>/dev/null
PEBBLE_PORT=$(free_port)
jq -n --arg listen "127.0.0.1:$PEBBLE_PORT" --arg mgmt "127.0.0.1:$(free_port)" --arg cert "$WORK/pebble.pem" --arg key "$WORK/pebble.key" \
  --argjson http "$HTTP01" --argjson tls "$(free_port)" \
  '{pebble:{listenAddress:$listen, managementListenAddress:$mgmt, certificate:$cert, privateKey:$key, httpPort:$http, tlsPort:$tls, ocspResponderURL:"", externalAccountBindingRequired:false}}' \
  >"$WORK/pebble-config.json"
PEBBLE_CMD="PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 pebble -config pebble-config.json -dnsserver 127.0.0.1:$DNS_PORT"

common=(--warmup "$warmup" --poll "$poll" --http01-port "$HTTP01" --drain 10s)
current=   # the server now running: embedded, redis or pebble

start_ours() {
  export Pki__DataDirectory=$WORK/$1/data
  unset Pki__Redis
  if [ "$1" = redis ]; then
    start_redis "$WORK/redis" || return 1
    export Pki__Redis=127.0.0.1:$REDIS_PORT
  fi
  start_server "$WORK/$1-server.log" || return 1
  TARGET=(--directory "https://localhost:$Pki__HttpsPort/acme/directory" --cacert "$Pki__DataDirectory/root-ca.pem" --server-pid "$SERVER_PID")
  [ "$1" = redis ] && TARGET+=(--extra-pid "$REDIS_PID" --extra-name redis)
  return 0
}

start_pebble() {
  (cd "$WORK" && PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 exec pebble -config pebble-config.json -dnsserver "127.0.0.1:$DNS_PORT") \
    >"$WORK/pebble.log" 2>&1 &
  PEBBLE_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS --cacert "$WORK/pebble-ca.pem" "https://127.0.0.1:$PEBBLE_PORT/dir" >/dev/null 2>&1 && break
    kill -0 "$PEBBLE_PID" 2>/dev/null || { echo "pebble exited:"; tail -n 5 "$WORK/pebble.log"; return 1; }
    sleep 0.1
  done
  TARGET=(--directory "https://127.0.0.1:$PEBBLE_PORT/dir" --cacert "$WORK/pebble-ca.pem" --server-pid "$PEBBLE_PID")
}

stop_current() {
  case "$current" in
    embedded|redis) [ "$current" = redis ] && redis-cli -p "$REDIS_PORT" info commandstats >"$WORK/redis-commandstats.txt" 2>/dev/null
                    stop_server; stop_redis ;;
    pebble) stop_pid "$PEBBLE_PID"; PEBBLE_PID= ;;
  esac
  current=
}

# Loads of this machine come and go (it is shared): each run records its load average before the window.
declare -a rows=() commands=()
for run in $runs; do
  target=${run%%:*}; concurrency=${run#*:}
  window=$duration; [ "$concurrency" -gt 16 ] && window=$high_duration
  # Pebble starts afresh for each run: a run that deadlocked it would otherwise leave the next one nothing to measure.
  if [ "$target" != "$current" ] || [ "$target" = pebble ]; then
    stop_current
    case "$target" in
      embedded|redis) start_ours "$target" || { echo "$target server did not start"; continue; } ;;
      pebble) start_pebble || continue ;;
      *) echo "unknown target $target"; continue ;;
    esac
    current=$target
  fi
  echo "== $target, concurrency $concurrency, $window after $warmup of warm-up"
  json=$WORK/$target-$concurrency.json
  [ "$target" = redis ] && redis-cli -p "$REDIS_PORT" config resetstat >/dev/null 2>&1
  dotnet "$LOADGEN" acme "${TARGET[@]}" "${common[@]}" --concurrency "$concurrency" --duration "$window" --json "$json" \
    | tee "$WORK/$target-$concurrency.txt"
  commands+=("$target c=$concurrency: PkiProtocolServer.LoadGenerator acme --concurrency $concurrency --duration $window ${common[*]} $(sed -e 's#/tmp/pki-acme-load\.[A-Za-z0-9]*#$WORK#g' <<<"${TARGET[*]}" | sed -E 's/--(server|extra)-pid [0-9]+/--\1-pid PID/g')")
  redis_per_order=–
  if [ "$target" = redis ] && [ -f "$json" ]; then
    # commandstats counts the commands Lua scripts run too: "all commands (EVALSHA)" per completed order of the run.
    redis_per_order=$(redis-cli -p "$REDIS_PORT" info commandstats 2>/dev/null | tr -d '\r' | awk -F'[:=,]' -v n="$(jq .run_completed "$json")" \
      '/^cmdstat_/ { all += $3; if ($1 == "cmdstat_evalsha") lua = $3 } END { if (n > 0) printf "%.1f (%.1f)", all / n, lua / n }')
  fi
  [ -f "$json" ] || { rows+=("| $target | $concurrency | (no result) | | | | | | | | |"); continue; }
  # A server that hung before the window opened has no window figures: its CPU per order is then the whole run's
  # (warm-up, window, drain) over the orders it completed, marked "run".
  rows+=("$(jq -r --arg t "$target" '
    def f(d): if . == null then "–" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
    def cpu(w; r): if (.succeeded + .failed) > 0 then (w | f(2)) elif r == null then "–" elif .run_completed > 0 then "\(r | f(2)) (run, \(.run_completed) orders)" else "–" end;
    "| \($t) | \(.concurrency) | \(.load_average_before) | \(.per_second | f(1)) | \(.p50_ms | f(1)) | \(.p95_ms | f(1)) | \(.p99_ms | f(1)) | \(.failed)\(if .failed > 0 then " (" + ([.failures | to_entries[] | "\(.key): \(.value)"] | join(", ")) + ")" else "" end) | \(.in_flight_at_end) / \(.still_in_flight_after_drain) | \(cpu(.server_cpu_ms_per_request; .run_process_cpu_ms_per_request.server)) | \(cpu(.process_cpu_ms_per_request.redis; .run_process_cpu_ms_per_request.redis)) | \(cpu(.total_server_cpu_ms_per_request; .run_total_server_cpu_ms_per_request)) | \(cpu(.client_cpu_ms_per_request; .run_client_cpu_ms_per_request)) | \(if .run_completed > 0 then (.counters["signed POSTs"] / .run_completed | f(1)) else "–" end) | \($redis) |"' --arg redis "$redis_per_order" "$json")")
done
stop_current

table=$(cat <<EOF
| server | concurrency | load avg before | orders/s | p50 ms | p95 ms | p99 ms | failed | in flight at end / after drain | server CPU ms/order | redis CPU ms/order | server + redis ms/order | generator CPU ms/order | signed POSTs/order | Redis commands/order (EVALSHA) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(printf '%s\n' "${rows[@]}")
EOF
)
if $smoke; then
  if [ -f "$WORK/embedded-4.json" ] && jq -e '.succeeded > 0 and .failed == 0 and .still_in_flight_after_drain == 0' "$WORK/embedded-4.json" >/dev/null; then
    pass "acme load smoke: $(jq -r '"\(.succeeded) orders in \(.window_seconds | round) s at concurrency 4, 0 failed"' "$WORK/embedded-4.json")"
  else
    fail "acme load smoke: orders complete with no failure at concurrency 4" "$(tail -n 12 "$WORK/embedded-4.txt" 2>/dev/null | tr '\n' ' ')"
  fi
  summary; exit
fi
echo; echo "$table"; echo
[ -f "$WORK/redis-commandstats.txt" ] && { echo "redis commandstats (whole Redis-state run):"; grep -E '^cmdstat' "$WORK/redis-commandstats.txt"; echo; }

if $write; then
  machine="$(nproc) cores, $(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release), .NET $(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -n 1), pebble $(dpkg-query -W -f '${Version}' pebble 2>/dev/null), redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')"
  section=$WORK/section.md
  {
    echo "<!-- acme:begin -->"
    echo "### Run of $(date -u '+%Y-%m-%d %H:%M UTC') (written by \`conformance/load/acme.sh --write\`)"
    echo
    echo "$machine; warm-up $warmup, then $duration windows at concurrency 16 and $high_duration above it; polls every min(Retry-After, $poll)."
    echo
    echo "$table"
    echo
    echo "Command lines (\`\$WORK\` is the run's temp folder; PIDs are those of the processes the script started):"
    echo
    echo '```'
    echo "conformance/load/acme.sh --write"
    echo "pebble: (cd \$WORK && $PEBBLE_CMD)"
    printf '%s\n' "${commands[@]}"
    echo '```'
    echo "<!-- acme:end -->"
  } >"$section"
  doc=$root/docs/performance.md
  if grep -q '<!-- acme:begin -->' "$doc"; then
    python3 - "$doc" "$section" <<'PY'
import sys
doc, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
text = open(doc).read()
start, end = text.index("<!-- acme:begin -->"), text.index("<!-- acme:end -->") + len("<!-- acme:end -->")
open(doc, "w").write(text[:start] + section + text[end:])
PY
  else
    printf '\n%s\n' "$(cat "$section")" >>"$doc"
  fi
  echo "written to docs/performance.md"
fi
