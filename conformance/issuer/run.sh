#!/usr/bin/env bash
# End-to-end run of the issuer core through the real server process, with curl and openssl as the
# clients and an intermediate whose key lives in SoftHSM2. Usage: conformance/issuer/run.sh [server.dll]
# The cases run twice: on embedded SQLite state, then with all state in a redis-server this script starts
# (PKI_CONFORMANCE_STATE=embedded runs only the first pass; =redis runs the cases on the Redis that
# Pki__Redis names, which is how the second pass runs).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/common.sh"

SERVER_DLL=${1:-$root/src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll}
[ -f "$SERVER_DLL" ] || { echo "server not built: $SERVER_DLL (run: dotnet build -c Release)"; exit 2; }
for tool in softhsm2-util pkcs11-tool openssl curl jq python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install softhsm2 opensc openssl curl jq python3)"; exit 2; }
done

STATE=${PKI_CONFORMANCE_STATE:-both}
case "$STATE" in
  both) command -v redis-server >/dev/null || { echo "missing redis-server for the Redis-state pass (apt-get install redis-server), or run with PKI_CONFORMANCE_STATE=embedded"; exit 2; } ;;
  redis) [ -n "${Pki__Redis:-}" ] || { echo "PKI_CONFORMANCE_STATE=redis needs Pki__Redis"; exit 2; } ;;
  embedded) unset Pki__Redis ;;
  *) echo "PKI_CONFORMANCE_STATE must be both, embedded or redis"; exit 2 ;;
esac
[ "$STATE" = both ] && unset Pki__Redis

WORK=$(mktemp -d /tmp/pki-issuer-conformance.XXXXXX)
trap 'stop_server; stop_redis; rm -rf "$WORK"' EXIT

# An isolated SoftHSM token for this run.
mkdir -p "$WORK/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK/tokens" >"$WORK/softhsm2.conf"
export SOFTHSM2_CONF=$WORK/softhsm2.conf
softhsm2-util --init-token --free --label pki-ca --pin 123456 --so-pin 12345678 >/dev/null

TOKEN=$(openssl rand -hex 24)
export Pki__DataDirectory=$WORK/data
export Pki__HttpsPort=$(free_port)
export Pki__HttpPort=$(free_port)
export Pki__Admin__Tokens__0__Name=conformance
export Pki__Admin__Tokens__0__Persona=operator
export Pki__Admin__Tokens__0__Sha256=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
export Pki__Keys__Pkcs11__TokenLabel=pki-ca
export PKI_PKCS11_PIN=123456
export Pki__Keys__Software__Passphrase=conformance-passphrase
export ASPNETCORE_ENVIRONMENT=Production

API=https://localhost:$Pki__HttpsPort/api/v1
PLAIN=http://127.0.0.1:$Pki__HttpPort
ROOT=$Pki__DataDirectory/root-ca.pem

api() { # api METHOD PATH [JSON-FILE] -> body on stdout, status in $WORK/status
  local method=$1 path=$2 body=${3:-}
  curl -sS --cacert "$ROOT" -o "$WORK/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${body:+--data @"$body"} "$API$path" >"$WORK/status"
  cat "$WORK/body"
}
status() { cat "$WORK/status"; }
csr() { # csr NAME SUBJECT SAN -> $WORK/NAME.csr and .key (P-256)
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/$1.key" -subj "$2" \
    ${3:+-addext "subjectAltName=$3"} -out "$WORK/$1.csr" 2>/dev/null
}
json_csr() { jq -n --rawfile csr "$WORK/$1.csr" '{csr:$csr}' >"$WORK/$1.json"; }

echo "# issuer conformance: server $SERVER_DLL, SoftHSM token pki-ca, data $Pki__DataDirectory, state ${Pki__Redis:+Redis at }${Pki__Redis:-embedded SQLite}"
start_server "$WORK/server.log" || { fail "server starts on an empty data directory"; summary; exit 1; }
pass "server starts on an empty data directory and becomes ready"
if [ -n "${Pki__Redis:-}" ]; then
  # Issuers, roles and certificates live in Redis; the SQLite file holds only the stores without a Redis provider yet.
  check "the server runs on Redis state (banner says so, issuers live in Redis)" sh -c "grep -q 'State (Redis):' '$WORK/server.log' && redis-cli -h 127.0.0.1 -p '${Pki__Redis##*:}' --scan --pattern 'pki:issuers*' | grep -q ."
fi

check "development root PEM is written to the data directory" test -s "$ROOT"
check "CA certificate is served over plain HTTP" sh -c "curl -fsS $PLAIN/ca.pem | openssl x509 -noout"
check "admin API is refused over plain HTTP" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' $PLAIN/api/v1/issuers)\" = 404 ]"
check "HTTPS certificate chains to the development root" curl -fsS --cacert "$ROOT" "$API/issuers" -o /dev/null
curl -fsS "$PLAIN/ca-chain.pem" >"$WORK/devchain.pem"
check "default issuer's chain verifies with openssl" openssl verify -CAfile "$ROOT" "$WORK/devchain.pem"

# An intermediate whose key is generated on the HSM, signed by the development root.
jq -n '{key_name:"hsm-int-key", common_name:"HSM Intermediate", custody:"pkcs11", key_type:"ec", key_bits:256}' >"$WORK/genint.json"
api POST /issuers/generate/intermediate "$WORK/genint.json" >"$WORK/genint.out"
check "intermediate CSR is generated with a key on the HSM" sh -c "[ $(status) = 200 ] && jq -r .key_ref '$WORK/genint.out' | grep -q '^pkcs11:token=pki-ca'"
jq -r .csr "$WORK/genint.out" >"$WORK/int.csr"
check "openssl verifies the intermediate CSR's signature" openssl req -in "$WORK/int.csr" -noout -verify
check "the HSM key is sensitive and never extractable" sh -c "pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label pki-ca --login --pin 123456 --list-objects --type privkey 2>/dev/null | grep -A6 'hsm-int-key' | grep -q 'never extractable'"

jq -n --rawfile csr "$WORK/int.csr" '{csr:$csr, ttl:"365d", max_path_length:0}' >"$WORK/signint.json"
api POST /issuers/dev-root/sign-intermediate "$WORK/signint.json" >"$WORK/signint.out"
check "development root signs the HSM intermediate" sh -c "[ $(status) = 200 ]"
jq -n --rawfile pem <(jq -r .certificate "$WORK/signint.out") '{pem_bundle:$pem, name:"hsm-int"}' >"$WORK/import.json"
api POST /intermediate/set-signed "$WORK/import.json" >"$WORK/import.out"
check "set-signed imports it as an issuer with its HSM key" sh -c "[ $(status) = 200 ] && jq -e '.imported_issuers[0].key_id != null' '$WORK/import.out'"
api GET /issuers/hsm-int >"$WORK/hsmint.out"
check "the imported issuer reports pkcs11 custody" sh -c "jq -e '.custody == \"pkcs11\"' '$WORK/hsmint.out'"

jq -n '{issuer_ref:"hsm-int", allowed_domains:["example.com"], allow_subdomains:true, ttl:"24h", max_ttl:"72h"}' >"$WORK/role.json"
api PUT /roles/hsm-web "$WORK/role.json" >/dev/null
check "an agent-level role is written" sh -c "[ $(status) = 200 ]"

csr leaf "/CN=www.example.com" "DNS:www.example.com,DNS:api.example.com"
json_csr leaf
api POST /sign/hsm-web "$WORK/leaf.json" >"$WORK/leaf.out"
check "the HSM intermediate signs a CSR under the role" sh -c "[ $(status) = 200 ]"
jq -r .certificate "$WORK/leaf.out" >"$WORK/leaf.pem"
jq -r '.ca_chain[]' "$WORK/leaf.out" >"$WORK/leafchain.pem"
check "openssl verifies the leaf against the root through the HSM intermediate" openssl verify -CAfile "$ROOT" -untrusted "$WORK/leafchain.pem" "$WORK/leaf.pem"
check "the leaf carries the SANs, server auth EKU and AIA" sh -c "openssl x509 -in '$WORK/leaf.pem' -noout -ext subjectAltName,extendedKeyUsage,authorityInfoAccess | grep -q 'DNS:api.example.com' && openssl x509 -in '$WORK/leaf.pem' -noout -ext extendedKeyUsage | grep -q 'Server Authentication'"
check "the leaf's key is the CSR's key" sh -c "[ \"\$(openssl x509 -in '$WORK/leaf.pem' -noout -pubkey)\" = \"\$(openssl pkey -in '$WORK/leaf.key' -pubout)\" ]"
SERIAL=$(jq -r .serial_number "$WORK/leaf.out")
check "the issued certificate is readable by serial without a token" sh -c "curl -fsS --cacert '$ROOT' '$API/certs/$SERIAL' | jq -e '.serial_number == \"$SERIAL\"'"

csr evil "/CN=evil.net" "DNS:evil.net"
json_csr evil
api POST /sign/hsm-web "$WORK/evil.json" >"$WORK/evil.out"
check "a name outside the role is refused with a problem naming the rule and the name" sh -c "[ $(status) = 400 ] && jq -e '.type == \"urn:pkiprotocolserver:problem:policy-refused\" and .subproblems[0].rule == \"allowed_domains\" and .subproblems[0].value == \"evil.net\"' '$WORK/evil.out'"

jq -n '{common_name:"gen.example.com", key_type:"rsa", key_bits:2048}' >"$WORK/issue.json"
api POST /issue/hsm-web "$WORK/issue.json" >"$WORK/issue.out"
jq -r .certificate "$WORK/issue.out" >"$WORK/gen.pem"; jq -r .private_key "$WORK/issue.out" >"$WORK/gen.key"
check "issue returns a server-generated key that matches its certificate" sh -c "[ $(status) = 200 ] && [ \"\$(openssl x509 -in '$WORK/gen.pem' -noout -pubkey)\" = \"\$(openssl pkey -in '$WORK/gen.key' -pubout)\" ]"
check "the generated key is not kept in the data directory or the audit log" sh -c "! grep -rqF \"\$(sed -n 2p '$WORK/gen.key')\" '$Pki__DataDirectory'"

for spec in "ed25519 0" "rsa 3072" "ec 384"; do
  set -- $spec
  jq -n --arg t "$1" --argjson b "$2" '{name:("hsm-root-"+$t), common_name:("HSM Root "+$t), custody:"pkcs11", key_type:$t, key_bits:$b, ttl:"3650d", permitted_dns_domains:["example.org"]}' >"$WORK/root-$1.json"
  api POST /issuers/generate/root "$WORK/root-$1.json" >"$WORK/root-$1.out"
  jq -r .certificate "$WORK/root-$1.out" >"$WORK/root-$1.pem"
  jq -n --arg t "$1" '{issuer_ref:("hsm-root-"+$t), allowed_domains:["example.org"], allow_subdomains:true}' >"$WORK/rrole.json"
  api PUT "/roles/direct-$1" "$WORK/rrole.json" >/dev/null
  csr "d$1" "/CN=svc.example.org"
  json_csr "d$1"
  api POST "/sign/direct-$1" "$WORK/d$1.json" | jq -r .certificate >"$WORK/d$1.pem"
  check "a $1 root on the HSM issues a leaf that openssl verifies" openssl verify -CAfile "$WORK/root-$1.pem" "$WORK/d$1.pem"
done
check "permitted_dns_domains is a critical name constraint on the root" sh -c "openssl x509 -in '$WORK/root-ec.pem' -noout -text | grep -A2 'Name Constraints: critical' | grep -q 'DNS:example.org'"

ROOT_FP=$(openssl x509 -in "$ROOT" -noout -fingerprint -sha256)
stop_server
start_server "$WORK/server2.log" || fail "server restarts on the same data directory"
check "a restart keeps the same development root" sh -c "[ \"\$(openssl x509 -in '$ROOT' -noout -fingerprint -sha256)\" = '$ROOT_FP' ]"
check "a restart keeps issued certificates" sh -c "curl -fsS --cacert '$ROOT' '$API/certs/$SERIAL' | jq -e '.serial_number == \"$SERIAL\"'"
csr leaf2 "/CN=again.example.com"
json_csr leaf2
api POST /sign/hsm-web "$WORK/leaf2.json" | jq -r .certificate >"$WORK/leaf2.pem"
check "after a restart the HSM intermediate still issues verifiable certificates" openssl verify -CAfile "$ROOT" -untrusted "$WORK/leafchain.pem" "$WORK/leaf2.pem"
check "the audit log has one JSON line per change and no private key" sh -c "jq -e . '$Pki__DataDirectory/audit.log' >/dev/null && ! grep -q 'PRIVATE KEY' '$Pki__DataDirectory/audit.log' && ! grep -qF '$TOKEN' '$Pki__DataDirectory/audit.log'"

# Second pass: every case again with all state in a redis-server of this run (free port, stopped by PID).
if [ "$STATE" = both ]; then
  stop_server
  if start_redis "$WORK/redis"; then
    PKI_CONFORMANCE_STATE=redis Pki__Redis=127.0.0.1:$REDIS_PORT "$here/run.sh" "$SERVER_DLL" 2>&1 \
      | sed -E 's/^(ok     |FAILED )/\1[redis] /; s/^([0-9]+ passed, [0-9]+ failed)$/# redis state: \1/' | tee "$WORK/redis-pass.log"
    line=$(grep -E '^# redis state: [0-9]+ passed, [0-9]+ failed$' "$WORK/redis-pass.log")
    if [ -z "$line" ]; then
      fail "[redis] the Redis-state pass ends with a summary"
    else
      set -- ${line#\# redis state: }
      PASSED=$((PASSED + $1)); FAILED=$((FAILED + $3))
    fi
    stop_redis
  else
    fail "[redis] redis-server starts for the Redis-state pass"
  fi
fi

summary
