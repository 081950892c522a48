#!/usr/bin/env bash
# Runs every test of the project and ends with one line "N passed, N failed" summing all suites.
# On Debian it installs what the tests need (softhsm2, opensc, openssl, curl, jq, redis-server, and the ACME clients
# certbot, lego, uacme, pebble's test DNS server and Go's x/crypto/acme) when missing.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results=$root/artifacts/test-results
rm -rf "$results"; mkdir -p "$results"

# 1. What the tests need from the system.
missing=()
command -v openssl >/dev/null || missing+=(openssl)
[ -f /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null || missing+=(softhsm2)
command -v pkcs11-tool >/dev/null || missing+=(opensc)
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
command -v python3 >/dev/null || missing+=(python3)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v certbot >/dev/null || missing+=(certbot)
command -v lego >/dev/null || missing+=(lego)
command -v uacme >/dev/null || missing+=(uacme)
command -v pebble-challtestsrv >/dev/null || missing+=(pebble)
command -v go >/dev/null || missing+=(golang-go)
[ -d /usr/share/gocode/src/golang.org/x/crypto/acme ] || missing+=(golang-golang-x-crypto-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null \
      || { echo "apt-get could not install: ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
  else
    echo "Missing: ${missing[*]}. Install them (Debian: sudo apt-get install ${missing[*]}) and run again."
    echo "0 passed, 1 failed"; exit 1
  fi
fi
command -v dotnet >/dev/null || { echo "The .NET 10 SDK (dotnet) is required."; echo "0 passed, 1 failed"; exit 1; }

# 2. Build once (warnings are errors in src/).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build PkiProtocolServer.sln -c Release 2>&1 | tee "$results/build.log" | grep -E "error|Build succeeded" | sort -u; then :; fi
if ! grep -q "Build succeeded" "$results/build.log" || grep -q " error " "$results/build.log"; then
  echo "The build failed (see $results/build.log)."; echo "0 passed, 1 failed"; exit 1
fi

passed=0; failed=0

# 3. xunit suites: one TRX per test project; a project that produced no TRX counts as a failure.
dotnet test PkiProtocolServer.sln -c Release --no-build --logger "trx" --results-directory "$results/xunit" \
  2>&1 | tee "$results/xunit.log" | grep -E "^(Passed|Failed)!|error" || true
projects=$(grep -l '<IsTestProject>true</IsTestProject>' tests/*/*.csproj | wc -l)
trx_count=0
for trx in "$results"/xunit/*.trx; do
  [ -f "$trx" ] || continue
  trx_count=$((trx_count + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f))
done
if [ "$trx_count" -lt "$projects" ]; then
  echo "Only $trx_count of $projects test projects reported results (a test host crashed?)."
  failed=$((failed + projects - trx_count))
fi

# 4. Conformance scripts: the real server process against real clients. ACME runs on both state providers. The ACME
#    load smoke (5 s, concurrency 4) checks the load generator still completes orders; the load run itself is not here.
export ACME_STATE_MODES="${ACME_STATE_MODES:-embedded redis}"
for script in conformance/issuer/run.sh conformance/revocation/run.sh conformance/est/run.sh conformance/acme/run.sh conformance/load/acme-smoke.sh; do
  echo "== $script"
  out=$("$script" "$root/src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll" 2>&1 | tee "$results/$(basename "$(dirname "$script")").log")
  grep -E '^(ok|FAILED) ' <<<"$out" | grep -v '^ok' || true
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n 1)
  if [ -z "$line" ]; then
    echo "$script ended without a summary:"; tail -n 20 <<<"$out"; failed=$((failed + 1))
  else
    echo "$line"
    passed=$((passed + $(cut -d' ' -f1 <<<"$line"))); failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
