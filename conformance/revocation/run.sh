#!/usr/bin/env bash
# End-to-end revocation through two real server processes sharing one data directory ("nodes" A and B),
# with openssl as the relying party: OCSP good -> revoked on both nodes, CRL checks, delta CRLs, BYOC,
# an HSM-held intermediate whose CRL is signed in SoftHSM, malformed and foreign OCSP requests, tidy.
# Usage: conformance/revocation/run.sh [server.dll]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/common.sh"

SERVER_DLL=${1:-$root/src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll}
[ -f "$SERVER_DLL" ] || { echo "server not built: $SERVER_DLL (run: dotnet build -c Release)"; exit 2; }
for tool in softhsm2-util openssl curl jq python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install softhsm2 openssl curl jq python3)"; exit 2; }
done

WORK=$(mktemp -d /tmp/pki-revocation-conformance.XXXXXX)
PID_A=; PID_B=
stop_node() { # stop_node PID
  if [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; then kill "$1"; wait "$1" 2>/dev/null || true; fi
}
trap 'stop_node "$PID_A"; stop_node "$PID_B"; rm -rf "$WORK"' EXIT

mkdir -p "$WORK/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK/tokens" >"$WORK/softhsm2.conf"
export SOFTHSM2_CONF=$WORK/softhsm2.conf
softhsm2-util --init-token --free --label pki-ca --pin 123456 --so-pin 12345678 >/dev/null

TOKEN=$(openssl rand -hex 24)
export Pki__DataDirectory=$WORK/data
export Pki__Admin__Tokens__0__Name=conformance
export Pki__Admin__Tokens__0__Persona=operator
export Pki__Admin__Tokens__0__Sha256=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
export Pki__Keys__Pkcs11__TokenLabel=pki-ca
export PKI_PKCS11_PIN=123456
export Pki__Keys__Software__Passphrase=conformance-passphrase
export ASPNETCORE_ENVIRONMENT=Production
# The configured delays this run holds the server to.
export Pki__Revocation__PollInterval=00:00:02
export Pki__Revocation__Crl__RevocationDebounce=00:00:01
export Pki__Revocation__Crl__NodeCacheTtl=00:00:01
export Pki__Revocation__Ocsp__NodeCacheTtl=00:00:01
OCSP_DELAY=3   # seconds within which node B's OCSP must say revoked (node cache 1 s)
CRL_DELAY=10   # seconds within which both nodes' CRLs must list it (debounce 1 s + build + node cache 1 s)

HTTPS_A=$(free_port); HTTP_A=$(free_port); HTTPS_B=$(free_port); HTTP_B=$(free_port)
A=http://127.0.0.1:$HTTP_A; B=http://127.0.0.1:$HTTP_B
API=https://localhost:$HTTPS_A/api/v1
ROOT=$Pki__DataDirectory/root-ca.pem

start_node() { # start_node NAME HTTPS HTTP [extra env assignments...] -> sets PID_<NAME>
  local name=$1 https=$2 http=$3; shift 3
  env Pki__HttpsPort="$https" Pki__HttpPort="$http" Pki__NodeId="node-$name" "$@" dotnet "$SERVER_DLL" >"$WORK/server-$name.log" 2>&1 &
  local pid=$!
  eval "PID_$name=$pid"
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$http/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "node $name exited:"; tail -n 30 "$WORK/server-$name.log"; return 1; fi
    sleep 0.5
  done
  echo "node $name did not become ready in 60 s"; tail -n 30 "$WORK/server-$name.log"; return 1
}
api() { # api METHOD PATH [JSON-FILE] -> body on stdout, status in $WORK/status
  local method=$1 path=$2 body=${3:-}
  curl -sS --cacert "$ROOT" -o "$WORK/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${body:+--data @"$body"} "$API$path" >"$WORK/status"
  cat "$WORK/body"
}
status() { cat "$WORK/status"; }
issue() { # issue ROLE CN NAME -> $WORK/NAME.pem, NAME.key, NAME.int.pem, NAME.serial
  jq -n --arg cn "$2" '{common_name:$cn}' >"$WORK/$3.json"
  api POST "/issue/$1" "$WORK/$3.json" >"$WORK/$3.out"
  jq -r .certificate "$WORK/$3.out" >"$WORK/$3.pem"; jq -r .private_key "$WORK/$3.out" >"$WORK/$3.key"
  jq -r .issuing_ca "$WORK/$3.out" >"$WORK/$3.int.pem"; jq -r .serial_number "$WORK/$3.out" >"$WORK/$3.serial"
}
revoke() { # revoke NAME REASON
  jq -n --arg s "$(cat "$WORK/$1.serial")" --arg r "$2" '{serial_number:$s, reason:$r}' >"$WORK/revoke-$1.json"
  api POST /revoke "$WORK/revoke-$1.json" >"$WORK/revoke-$1.out"
}
ocsp() { # ocsp NAME URL -> openssl's verdict on stdout
  openssl ocsp -issuer "$WORK/$1.int.pem" -cert "$WORK/$1.pem" -url "$2" -CAfile "$ROOT" 2>&1
}
crl_pem() { # crl_pem URL OUT.pem: fetch a DER CRL and convert it
  curl -fsS "$1" -o "$2.der" && openssl crl -inform DER -in "$2.der" -out "$2"
}
verify_crl() { # verify_crl NAME CRL.pem [more openssl args]
  local name=$1 crl=$2; shift 2
  openssl verify -crl_check -CAfile "$ROOT" -untrusted "$WORK/$name.int.pem" -CRLfile "$crl" "$@" "$WORK/$name.pem" 2>&1
}
within() { # within SECONDS COMMAND...: retries every 0.2 s; prints the seconds it took
  local limit=$1; shift; local start; start=$(date +%s.%N)
  while true; do
    if "$@" >/dev/null 2>&1; then python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')"; return 0; fi
    if python3 -c "import sys; sys.exit(0 if $(date +%s.%N) - $start > $limit else 1)"; then return 1; fi
    sleep 0.2
  done
}

echo "# revocation conformance: server $SERVER_DLL, nodes A ($HTTP_A) and B ($HTTP_B) on data $Pki__DataDirectory"
start_node A "$HTTPS_A" "$HTTP_A" || { fail "node A starts on an empty data directory"; summary; exit 1; }
pass "node A starts on an empty data directory"
start_node B "$HTTPS_B" "$HTTP_B" || { fail "node B starts on the same data directory"; summary; exit 1; }
pass "node B starts on the same data directory"

jq -n '{allowed_domains:["example.com"], allow_subdomains:true, ttl:"24h"}' >"$WORK/role.json"
api PUT /roles/web "$WORK/role.json" >/dev/null
jq -n '{allowed_domains:["example.com"], allow_subdomains:true, ttl:"24h", no_store:true}' >"$WORK/role-ns.json"
api PUT /roles/ephemeral "$WORK/role-ns.json" >/dev/null
issue web www.example.com leaf
check "an issued certificate carries a CRL distribution point and an OCSP URL on the server" sh -c "
  openssl x509 -in '$WORK/leaf.pem' -noout -ext crlDistributionPoints | grep -q 'URI:http://localhost:$HTTP_A/crl/.*\.crl' &&
  [ \"\$(openssl x509 -in '$WORK/leaf.pem' -noout -ocsp_uri)\" = 'http://localhost:$HTTP_A/ocsp' ]"
OCSP_URL=$(openssl x509 -in "$WORK/leaf.pem" -noout -ocsp_uri)
CDP_URL=$(openssl x509 -in "$WORK/leaf.pem" -noout -ext crlDistributionPoints | grep -o 'http://[^ ]*\.crl')
CDP_PATH=${CDP_URL#http://localhost:$HTTP_A}

check "openssl ocsp -url (the certificate's AIA) says good, response verified" sh -c "ocsp_out=\$(openssl ocsp -issuer '$WORK/leaf.int.pem' -cert '$WORK/leaf.pem' -url '$OCSP_URL' -CAfile '$ROOT' 2>&1); echo \"\$ocsp_out\" | grep -q 'Response verify OK' && echo \"\$ocsp_out\" | grep -q 'leaf.pem: good'"
check "node B's OCSP says good too" sh -c "openssl ocsp -issuer '$WORK/leaf.int.pem' -cert '$WORK/leaf.pem' -url '$B/ocsp' -CAfile '$ROOT' 2>&1 | grep -q 'leaf.pem: good'"
check "the response is signed by a delegated responder (OCSP Signing, OCSP No Check)" sh -c "openssl ocsp -issuer '$WORK/leaf.int.pem' -cert '$WORK/leaf.pem' -url '$A/ocsp' -CAfile '$ROOT' -resp_text 2>&1 | grep -q 'OCSP No Check' && openssl ocsp -issuer '$WORK/leaf.int.pem' -cert '$WORK/leaf.pem' -url '$A/ocsp' -CAfile '$ROOT' -resp_text 2>&1 | grep -q 'OCSP Signing'"
crl_pem "$CDP_URL" "$WORK/before.crl.pem"
check "openssl verify -crl_check passes with the CRL at the certificate's CDP" sh -c "verify_out=\$(openssl verify -crl_check -CAfile '$ROOT' -untrusted '$WORK/leaf.int.pem' -CRLfile '$WORK/before.crl.pem' '$WORK/leaf.pem' 2>&1); echo \"\$verify_out\" | grep -q ': OK'"
check "the CRL is signed by the issuer and carries a CRL number, AKI and a Freshest CRL pointer" sh -c "openssl crl -in '$WORK/before.crl.pem' -CAfile '$WORK/leaf.int.pem' -noout -text 2>&1 | grep -q 'verify OK' && openssl crl -in '$WORK/before.crl.pem' -noout -text | grep -q 'CRL Number' && openssl crl -in '$WORK/before.crl.pem' -noout -text | grep -q 'Authority Key Identifier' && openssl crl -in '$WORK/before.crl.pem' -noout -text | grep -q 'Freshest CRL'"
curl -sS -D "$WORK/crl.headers" -o /dev/null "$B$CDP_PATH"
check "CRLs are served with public caching headers, Last-Modified and an ETag" sh -c "grep -qi '^cache-control: public, max-age=' '$WORK/crl.headers' && grep -qi '^last-modified:' '$WORK/crl.headers' && grep -qi '^etag:' '$WORK/crl.headers' && grep -qi '^content-type: application/pkix-crl' '$WORK/crl.headers'"

# The revocation.
revoke leaf key_compromise
check "an operator revokes by serial with a reason (200, recorded before the answer)" sh -c "[ $(status) = 200 ] && jq -e '.reason == \"key_compromise\" and .state == \"revoked\"' '$WORK/revoke-leaf.out'"
revoke leaf superseded >/dev/null
check "revoking it again answers 409 already-revoked" sh -c "[ $(status) = 409 ] && jq -e '.type == \"urn:pkiprotocolserver:problem:already-revoked\"' '$WORK/body'"
check "openssl ocsp on node A says revoked at once, with the reason" sh -c "out=\$(openssl ocsp -issuer '$WORK/leaf.int.pem' -cert '$WORK/leaf.pem' -url '$OCSP_URL' -CAfile '$ROOT' 2>&1); echo \"\$out\" | grep -q 'leaf.pem: revoked' && echo \"\$out\" | grep -q 'Reason: keyCompromise' && echo \"\$out\" | grep -q 'Response verify OK'"
if took=$(within "$OCSP_DELAY" sh -c "openssl ocsp -issuer '$WORK/leaf.int.pem' -cert '$WORK/leaf.pem' -url '$B/ocsp' -CAfile '$ROOT' 2>&1 | grep -q 'leaf.pem: revoked'"); then
  pass "node B's OCSP says revoked within ${OCSP_DELAY} s (took ${took} s)"
else fail "node B's OCSP says revoked within ${OCSP_DELAY} s"; fi
# pipefail would count openssl's non-zero exit (the point of these checks) against the pipeline: grep a file instead.
revoked_by_crl() { verify_crl "$1" "$2" >"$WORK/verify.out"; grep -q 'certificate revoked' "$WORK/verify.out"; }
crl_revoked() { crl_pem "$1" "$WORK/after.crl.pem" && revoked_by_crl leaf "$WORK/after.crl.pem"; }
if took=$(within "$CRL_DELAY" crl_revoked "$B$CDP_PATH"); then
  pass "openssl verify -crl_check fails (certificate revoked) with node B's CRL within ${CRL_DELAY} s (took ${took} s)"
else fail "openssl verify -crl_check fails with node B's CRL within ${CRL_DELAY} s" "$(verify_crl leaf "$WORK/after.crl.pem" | tail -n 2)"; fi
if took=$(within "$CRL_DELAY" crl_revoked "$CDP_URL"); then
  pass "openssl verify -crl_check fails with the CRL at the certificate's CDP (node A) within ${CRL_DELAY} s (took ${took} s)"
else fail "openssl verify -crl_check fails with node A's CRL within ${CRL_DELAY} s"; fi
check "the CRL entry carries the reason code" sh -c "openssl crl -in '$WORK/after.crl.pem' -noout -text | grep -A4 \"\$(tr a-f A-F <'$WORK/leaf.serial')\" | grep -q 'Key Compromise'"
crl_pem "${CDP_URL%.crl}-delta.crl" "$WORK/delta.crl.pem"
BASE_NUMBER=$(python3 -c "print(int('$(openssl crl -in "$WORK/after.crl.pem" -noout -crlnumber | cut -d= -f2)', 16))")
check "the delta CRL is served, with a critical Delta CRL Indicator naming the complete CRL's number ($BASE_NUMBER)" sh -c "
  openssl crl -in '$WORK/delta.crl.pem' -noout -text | grep -A1 'Delta CRL Indicator: critical' | tail -n 1 | grep -qw '$BASE_NUMBER'"
B64=$(openssl ocsp -issuer "$WORK/leaf.int.pem" -cert "$WORK/leaf.pem" -no_nonce -reqout /dev/stdout 2>/dev/null | base64 -w0 | python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.stdin.read().strip(),safe=""))')
curl -sS -D "$WORK/ocsp.headers" -o "$WORK/get.resp" "$A/ocsp/$B64"
check "OCSP over GET (RFC 5019) answers revoked with max-age, Last-Modified and ETag" sh -c "openssl ocsp -respin '$WORK/get.resp' -issuer '$WORK/leaf.int.pem' -CAfile '$ROOT' -no_nonce -cert '$WORK/leaf.pem' 2>&1 | grep -q ': revoked' && grep -qi '^cache-control: max-age=[0-9]*, public, no-transform, must-revalidate' '$WORK/ocsp.headers' && grep -qi '^last-modified:' '$WORK/ocsp.headers' && grep -qi '^etag:' '$WORK/ocsp.headers'"

# Errors a responder must answer well.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/foreign.key" -subj /CN=Foreign -days 1 -out "$WORK/foreign.pem" 2>/dev/null
check "OCSP for a foreign issuer answers unauthorized" sh -c "openssl ocsp -issuer '$WORK/foreign.pem' -serial 0x1234 -url '$A/ocsp' 2>&1 | grep -q 'unauthorized (6)'"
printf 'garbage' | curl -sS -o "$WORK/malformed.resp" -w '%{http_code}' --data-binary @- -H 'Content-Type: application/ocsp-request' "$A/ocsp" >"$WORK/malformed.status"
check "a malformed OCSP POST gets HTTP 200 with malformedRequest, never a 500" sh -c "[ \"\$(cat '$WORK/malformed.status')\" = 200 ] && [ \"\$(od -An -v -tx1 '$WORK/malformed.resp' | tr -d ' \\n')\" = '30030a0101' ]"
check "a malformed OCSP GET gets malformedRequest too" sh -c "[ \"\$(curl -sS '$B/ocsp/%25%25not-base64' | od -An -v -tx1 | tr -d ' \\n')\" = '30030a0101' ]"
check "openssl reads the malformed answer as malformedrequest (1)" sh -c "printf 'garbage' | curl -sS --data-binary @- '$A/ocsp' -o '$WORK/mal.resp' && openssl ocsp -respin '$WORK/mal.resp' -noverify 2>&1 | grep -qi 'malformedrequest (1)'"

# Bring your own certificate: a no_store certificate.
issue ephemeral eph.example.com eph
check "a no_store certificate is unknown to OCSP" sh -c "openssl ocsp -issuer '$WORK/eph.int.pem' -cert '$WORK/eph.pem' -url '$A/ocsp' -CAfile '$ROOT' 2>&1 | grep -q 'eph.pem: unknown'"
jq -n --rawfile c "$WORK/eph.pem" '{certificate:$c, reason:"superseded"}' >"$WORK/byoc.json"
api POST /revoke "$WORK/byoc.json" >/dev/null
check "it is revoked by giving the certificate (BYOC) and OCSP then says revoked" sh -c "[ $(status) = 200 ] && openssl ocsp -issuer '$WORK/eph.int.pem' -cert '$WORK/eph.pem' -url '$A/ocsp' -CAfile '$ROOT' 2>&1 | grep -q 'eph.pem: revoked'"

# revoke-with-key: a signature by the certificate's key over the revocation statement.
issue web keyed.example.com keyed
NOW=$(date +%s)
printf 'pkiprotocolserver-revoke:%s:%s' "$(cat "$WORK/keyed.serial")" "$NOW" >"$WORK/statement.txt"
openssl dgst -sha256 -sign "$WORK/keyed.key" -out "$WORK/statement.sig" "$WORK/statement.txt"
jq -n --rawfile c "$WORK/keyed.pem" --arg s "$(base64 -w0 "$WORK/statement.sig")" --argjson t "$NOW" '{certificate:$c, signature:$s, signed_at:$t, reason:"key_compromise"}' >"$WORK/withkey.json"
api POST /revoke-with-key "$WORK/withkey.json" >/dev/null
check "revoke-with-key accepts a signature made with openssl by the certificate's key" sh -c "[ $(status) = 200 ] && openssl ocsp -issuer '$WORK/keyed.int.pem' -cert '$WORK/keyed.pem' -url '$A/ocsp' -CAfile '$ROOT' 2>&1 | grep -q 'keyed.pem: revoked'"

# An intermediate whose key is in the HSM: CRLs signed in SoftHSM, OCSP through a delegated responder.
jq -n '{key_name:"hsm-int-key", common_name:"HSM Intermediate", custody:"pkcs11", key_type:"ec", key_bits:256}' >"$WORK/genint.json"
api POST /issuers/generate/intermediate "$WORK/genint.json" | jq -r .csr >"$WORK/hsm.csr"
jq -n --rawfile csr "$WORK/hsm.csr" '{csr:$csr, ttl:"365d", max_path_length:0}' >"$WORK/signint.json"
api POST /issuers/dev-root/sign-intermediate "$WORK/signint.json" | jq -r .certificate >"$WORK/hsm-int.pem"
jq -n --rawfile pem "$WORK/hsm-int.pem" '{pem_bundle:$pem, name:"hsm-int"}' >"$WORK/import.json"
HSM_ID=$(api POST /intermediate/set-signed "$WORK/import.json" | jq -r '.imported_issuers[0].issuer_id')
jq -n --arg id "$HSM_ID" --arg h "$HTTP_A" '{crl_distribution_points:["http://localhost:"+$h+"/crl/"+$id+".crl"], ocsp_servers:["http://localhost:"+$h+"/ocsp"]}' >"$WORK/urls.json"
api PATCH /issuers/hsm-int "$WORK/urls.json" >/dev/null
check "an HSM-held intermediate is set up with CDP and OCSP URLs" sh -c "[ $(status) = 200 ]"
jq -n '{issuer_ref:"hsm-int", allowed_domains:["example.com"], allow_subdomains:true, ttl:"24h"}' >"$WORK/hsmrole.json"
api PUT /roles/hsm-web "$WORK/hsmrole.json" >/dev/null
issue hsm-web hsm.example.com hsmleaf
check "the HSM intermediate's delegated responder answers good" sh -c "openssl ocsp -issuer '$WORK/hsmleaf.int.pem' -cert '$WORK/hsmleaf.pem' -url '$A/ocsp' -CAfile '$ROOT' 2>&1 | grep -q 'hsmleaf.pem: good'"
revoke hsmleaf ca_compromise
check "after its revocation the HSM intermediate's OCSP answer is revoked" sh -c "openssl ocsp -issuer '$WORK/hsmleaf.int.pem' -cert '$WORK/hsmleaf.pem' -url '$A/ocsp' -CAfile '$ROOT' 2>&1 | grep -q 'hsmleaf.pem: revoked'"
hsm_revoked() { crl_pem "$A/crl/$HSM_ID.crl" "$WORK/hsm.crl.pem" && revoked_by_crl hsmleaf "$WORK/hsm.crl.pem"; }
if took=$(within "$CRL_DELAY" hsm_revoked); then
  pass "the HSM intermediate's CRL, signed in SoftHSM, revokes it for openssl within ${CRL_DELAY} s (took ${took} s)"
else fail "the HSM intermediate's CRL revokes it for openssl within ${CRL_DELAY} s"; fi
check "that CRL's signature verifies against the HSM intermediate's certificate" sh -c "openssl crl -in '$WORK/hsm.crl.pem' -CAfile '$WORK/hsm-int.pem' -noout 2>&1 | grep -q 'verify OK'"

# Tidy, on demand, on node B's API.
jq -n '{safety_buffer:"72h"}' >"$WORK/tidy.json"
curl -sS --cacert "$ROOT" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data @"$WORK/tidy.json" "https://localhost:$HTTPS_B/api/v1/tidy" >"$WORK/tidy.out"
check "tidy runs on demand and reports what it removed" jq -e '.certificates_removed >= 0 and .revocations_removed >= 0 and .node == "node-B"' "$WORK/tidy.out"
api GET /tidy-status >"$WORK/tidy-status.out"
check "tidy-status on node A shows node B's run" jq -e '.last_run.node == "node-B"' "$WORK/tidy-status.out"

# Delta mode: revocations go to the delta CRL; openssl with -use_deltas sees them before the complete CRL does.
stop_node "$PID_B"; PID_B=
stop_node "$PID_A"; PID_A=
start_node A "$HTTPS_A" "$HTTP_A" Pki__Revocation__Crl__RebuildOnRevocation=Delta || fail "node A restarts in delta mode"
check "after a restart the revocation is still answered (durable)" sh -c "openssl ocsp -issuer '$WORK/leaf.int.pem' -cert '$WORK/leaf.pem' -url '$A/ocsp' -CAfile '$ROOT' 2>&1 | grep -q 'leaf.pem: revoked'"
api POST /crl/rotate /dev/null >/dev/null
issue web delta.example.com dleaf
revoke dleaf cessation_of_operation
delta_lists() { crl_pem "${CDP_URL%.crl}-delta.crl" "$WORK/d2.crl.pem" && openssl crl -in "$WORK/d2.crl.pem" -noout -text | grep -q "$(tr a-f A-F <"$WORK/dleaf.serial")"; }
if took=$(within "$CRL_DELAY" delta_lists); then
  pass "in delta mode the delta CRL lists the new revocation within ${CRL_DELAY} s (took ${took} s)"
else fail "in delta mode the delta CRL lists the new revocation"; fi
crl_pem "$CDP_URL" "$WORK/c2.crl.pem"
check "the complete CRL does not list it yet" sh -c "! openssl crl -in '$WORK/c2.crl.pem' -noout -text | grep -q \"\$(tr a-f A-F <'$WORK/dleaf.serial')\""
check "openssl verify -crl_check -use_deltas with both CRLs says certificate revoked" sh -c "verify_out=\$(openssl verify -crl_check -use_deltas -CAfile '$ROOT' -untrusted '$WORK/dleaf.int.pem' -CRLfile '$WORK/c2.crl.pem' -CRLfile '$WORK/d2.crl.pem' '$WORK/dleaf.pem' 2>&1); echo \"\$verify_out\" | grep -q 'certificate revoked'"
check "no request in this run made the server log an unhandled error" sh -c "! grep -h 'Unhandled error' '$WORK'/server-*.log"

summary
