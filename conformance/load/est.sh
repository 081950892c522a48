#!/usr/bin/env bash
# EST load run: starts the Release server on a fresh data directory, with the issuing key in software custody
# (the development P-256 intermediate) or in SoftHSM2 (a P-256 intermediate generated on the token and made the
# default issuer), then drives simpleenroll over mutual TLS with the load generator and prints its report.
# Usage: conformance/load/est.sh software|softhsm [concurrency] [duration] [extra load generator options...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/common.sh"

custody=${1:-software}; concurrency=${2:-32}; duration=${3:-30s}; shift $(( $# < 3 ? $# : 3 ))
SERVER_DLL=$root/src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll
LOADGEN=$root/conformance/load/PkiProtocolServer.LoadGenerator/bin/Release/net10.0/PkiProtocolServer.LoadGenerator.dll
[ -f "$SERVER_DLL" ] && [ -f "$LOADGEN" ] || { echo "build first: dotnet build -c Release PkiProtocolServer.sln"; exit 2; }

WORK=$(mktemp -d /tmp/pki-est-load.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT
TOKEN=$(openssl rand -hex 24)
export Pki__DataDirectory=$WORK/data Pki__HttpsPort=$(free_port) Pki__HttpPort=$(free_port)
export Pki__Admin__Tokens__0__Name=load Pki__Admin__Tokens__0__Persona=operator
export Pki__Admin__Tokens__0__Sha256=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
export Pki__Keys__Software__Passphrase=load-passphrase ASPNETCORE_ENVIRONMENT=Production
# Request logging at Information costs more than an enrollment; keep the log to warnings.
export Logging__LogLevel__Default=Warning
if [ "$custody" = softhsm ]; then
  mkdir -p "$WORK/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK/tokens" >"$WORK/softhsm2.conf"
  export SOFTHSM2_CONF=$WORK/softhsm2.conf Pki__Keys__Pkcs11__TokenLabel=pki-ca PKI_PKCS11_PIN=123456
  softhsm2-util --init-token --free --label pki-ca --pin 123456 --so-pin 12345678 >/dev/null
fi

start_server "$WORK/server.log" || exit 1
ROOT=$Pki__DataDirectory/root-ca.pem
API=https://localhost:$Pki__HttpsPort/api/v1
api() { curl -fsS --cacert "$ROOT" -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+--data "$3"} "$API$2"; }
if [ "$custody" = softhsm ]; then
  csr=$(api POST /issuers/generate/intermediate '{"key_name":"hsm-int","common_name":"HSM Intermediate","custody":"pkcs11","key_type":"ec","key_bits":256}' | jq -r .csr)
  cert=$(api POST /issuers/dev-root/sign-intermediate "$(jq -n --arg csr "$csr" '{csr:$csr, ttl:"365d", max_path_length:0}')" | jq -r .certificate)
  api POST /intermediate/set-signed "$(jq -n --arg pem "$cert" '{pem_bundle:$pem, name:"hsm-int"}')" >/dev/null
  api PUT /config/issuers '{"default":"hsm-int"}' >/dev/null
  echo "default issuer: $(api GET /issuers/default | jq -r '.issuer_name + " (" + .custody + ", " + .key_type + ")"')"
else
  echo "default issuer: $(api GET /issuers/default | jq -r '.issuer_name + " (" + .custody + ", " + .key_type + ")"')"
fi

echo "server pid $SERVER_PID, $(nproc) cores, concurrency $concurrency, $duration"
dotnet "$LOADGEN" est --url "https://localhost:$Pki__HttpsPort" --cacert "$ROOT" --password-file "$Pki__DataDirectory/est-password" \
  --concurrency "$concurrency" --duration "$duration" --server-pid "$SERVER_PID" "$@"
