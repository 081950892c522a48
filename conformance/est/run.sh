#!/usr/bin/env bash
# EST (RFC 7030 + RFC 8951) end to end: the real server process, with curl and openssl as an independent device.
# A device enrolls with a password, re-enrolls over mutual TLS with the certificate it got, gets a server-generated
# key, reads cacerts and csrattrs, waits for manual approval, and proves channel binding with openssl s_client
# (tls-unique on TLS 1.2, tls-exporter on TLS 1.3). Usage: conformance/est/run.sh [server.dll]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/common.sh"

SERVER_DLL=${1:-$root/src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll}
[ -f "$SERVER_DLL" ] || { echo "server not built: $SERVER_DLL (run: dotnet build -c Release)"; exit 2; }
for tool in openssl curl jq python3 base64 awk; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install openssl curl jq python3 coreutils gawk)"; exit 2; }
done

WORK=$(mktemp -d /tmp/pki-est-conformance.XXXXXX)
trap 'stop_server; exec 3>&- 2>/dev/null; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT

TOKEN=$(openssl rand -hex 24)
export Pki__DataDirectory=$WORK/data
export Pki__HttpsPort=$(free_port)
export Pki__HttpPort=$(free_port)
export Pki__Admin__Tokens__0__Name=conformance
export Pki__Admin__Tokens__0__Persona=operator
export Pki__Admin__Tokens__0__Sha256=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
export Pki__Keys__Software__Passphrase=conformance-passphrase
export ASPNETCORE_ENVIRONMENT=Production
# Named labels: an EC P-384 role (RFC 7030 csrattrs form), the same role in the RFC 9908 template form, manual
# approval, and a certificate-only label that requires channel binding.
export Pki__Est__Labels__sensors__Role=sensors
export Pki__Est__Labels__templated__Role=sensors
export Pki__Est__Labels__templated__CsrAttributes=Template
export Pki__Est__Labels__held__Role=est-device
export Pki__Est__Labels__held__ManualApproval=true
export Pki__Est__Labels__held__RetryAfterSeconds=1
export Pki__Est__Labels__bound__Role=est-device
export Pki__Est__Labels__bound__Authentication=Certificate
export Pki__Est__Labels__bound__RequireChannelBinding=true

HOST=localhost:$Pki__HttpsPort
EST=https://$HOST/.well-known/est
API=https://$HOST/api/v1
ROOT=$Pki__DataDirectory/root-ca.pem
W=$WORK

# est METHOD URL [BODYFILE] [curl options...] -> body in $W/body, headers in $W/headers, status in $W/status
est() {
  local method=$1 url=$2 body=${3:-}; shift 3 2>/dev/null || shift $#
  curl -sS --cacert "$ROOT" -o "$W/body" -D "$W/headers" -w '%{http_code}' -X "$method" \
    ${body:+-H 'Content-Type: application/pkcs10' --data-binary @"$body"} "$@" "$url" >"$W/status"
}
status() { cat "$W/status"; }
header() { grep -i "^$1:" "$W/headers" | head -n1 | cut -d: -f2- | tr -d '\r' | sed 's/^ //'; }
api() { # api METHOD PATH [JSON] -> body on stdout
  curl -sS --cacert "$ROOT" -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+--data "$3"} "$API$2"
}
# csr NAME SUBJECT [SAN] [KEYFILE]: a P-256 key (new, or KEYFILE) and a CSR, base64 of DER in $W/NAME.b64
csr() {
  local key=${4:-$W/$1.key}
  [ -f "$key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null
  openssl req -new -key "$key" -subj "$2" ${3:+-addext "subjectAltName=$3"} -outform DER -out "$W/$1.der" 2>/dev/null
  base64 "$W/$1.der" >"$W/$1.b64"
}
# certs_of FILE OUT: base64 certs-only body -> PEM certificates
certs_of() { base64 -d "$1" | openssl pkcs7 -inform DER -print_certs -out "$2" 2>/dev/null; }
same_key() { [ "$(openssl x509 -in "$1" -noout -pubkey)" = "$(openssl pkey -in "$2" -pubout)" ]; }
hex_to_base64() { python3 -c 'import base64, sys; print(base64.b64encode(bytes.fromhex(sys.argv[1])).decode())' "$1"; }

echo "# EST conformance: server $SERVER_DLL, data $Pki__DataDirectory"
start_server "$W/server.log" || { fail "server starts with EST labels configured"; summary; exit 1; }
pass "server starts with EST labels configured and becomes ready"
check "the startup banner prints the EST URL" grep -q "EST (RFC 7030): *https://localhost:$Pki__HttpsPort/.well-known/est/" "$W/server.log"
check "the default EST password is generated into the data directory, owner-only" \
  sh -c "[ -s '$Pki__DataDirectory/est-password' ] && [ \"\$(stat -c %a '$Pki__DataDirectory/est-password')\" = 600 ]"
PASSWORD=$(cat "$Pki__DataDirectory/est-password")
api PUT /roles/sensors '{"key_type":"ec","key_bits":384,"allowed_domains":["sensors.example.com"],"allow_subdomains":true,"organization":["Example Sensors"],"ext_key_usage":["ClientAuth"]}' >/dev/null

# --- cacerts -------------------------------------------------------------------------------------------------------
est GET "$EST/cacerts"
check "cacerts answers 200 certs-only base64 without credentials" \
  sh -c "[ $(status) = 200 ] && [ '$(header content-type)' = 'application/pkcs7-mime; smime-type=certs-only' ] && [ '$(header content-transfer-encoding)' = base64 ]"
certs_of "$W/body" "$W/cacerts.pem"
check "openssl pkcs7 -print_certs reads the issuing CA and the root" sh -c "[ \$(grep -c 'BEGIN CERTIFICATE' '$W/cacerts.pem') = 2 ]"
check "openssl verify accepts the cacerts chain against the published root" openssl verify -CAfile "$ROOT" "$W/cacerts.pem"

# --- csrattrs ------------------------------------------------------------------------------------------------------
est GET "$EST/sensors/csrattrs"
base64 -d "$W/body" >"$W/attrs.der" 2>/dev/null
check "csrattrs (RFC 7030 form) asks for EC P-384, ecdsa-with-SHA384 and the role's usages" \
  sh -c "[ $(status) = 200 ] && [ '$(header content-type)' = application/csrattrs ] && openssl asn1parse -inform DER -in '$W/attrs.der' >'$W/attrs.txt' && grep -q secp384r1 '$W/attrs.txt' && grep -q ecdsa-with-SHA384 '$W/attrs.txt' && grep -q 'Extended Key Usage' '$W/attrs.txt'"
est GET "$EST/templated/csrattrs"
base64 -d "$W/body" >"$W/template.der" 2>/dev/null
check "csrattrs (RFC 9908 template form) holds the template with the role's organization" \
  sh -c "openssl asn1parse -inform DER -in '$W/template.der' >'$W/template.txt' && grep -q '1.2.840.113549.1.9.16.2.61' '$W/template.txt' && grep -q 'Example Sensors' '$W/template.txt'"

# --- simpleenroll with a password ----------------------------------------------------------------------------------
csr dev "/CN=device-0001" "DNS:device-0001.local"
est POST "$EST/simpleenroll" "$W/dev.b64" -u "est:$PASSWORD"
cp "$W/body" "$W/dev.p7b64"
check "simpleenroll with HTTP Basic answers 200 certs-only base64" \
  sh -c "[ $(status) = 200 ] && [ '$(header content-type)' = 'application/pkcs7-mime; smime-type=certs-only' ]"
certs_of "$W/dev.p7b64" "$W/dev.pem"
check "the certificate verifies with openssl against the root through the cacerts chain" openssl verify -CAfile "$ROOT" -untrusted "$W/cacerts.pem" "$W/dev.pem"
dev_names() { same_key "$W/dev.pem" "$W/dev.key" && openssl x509 -in "$W/dev.pem" -noout -ext subjectAltName | grep -q 'DNS:device-0001.local'; }
check "the certificate certifies the device's own key and names it" dev_names
est POST "$EST/simpleenroll" "$W/dev.b64" -u "est:wrong-password"
check "a wrong password is 401 with a Basic challenge and no hint" \
  sh -c "[ $(status) = 401 ] && grep -qi '^www-authenticate: Basic realm=' '$W/headers' && jq -e '.detail | test(\"password\") | not' '$W/body' >/dev/null"
est POST "$EST/simpleenroll" "$W/dev.b64"
check "no credentials is 401" sh -c "[ $(status) = 401 ]"

# --- simplereenroll over mutual TLS with the new certificate -------------------------------------------------------
csr renew "/CN=device-0001" "DNS:device-0001.local"
est POST "$EST/simplereenroll" "$W/renew.b64" --cert "$W/dev.pem" --key "$W/dev.key"
certs_of "$W/body" "$W/renewed.pem"
check "simplereenroll with the issued certificate as TLS client certificate answers a renewed certificate" \
  sh -c "[ $(status) = 200 ] && openssl verify -CAfile '$ROOT' -untrusted '$W/cacerts.pem' '$W/renewed.pem' >/dev/null"
check "the renewed certificate keeps the subject, has a new serial and the new key" \
  sh -c "[ \"\$(openssl x509 -in '$W/renewed.pem' -noout -subject)\" = \"\$(openssl x509 -in '$W/dev.pem' -noout -subject)\" ] && [ \"\$(openssl x509 -in '$W/renewed.pem' -noout -serial)\" != \"\$(openssl x509 -in '$W/dev.pem' -noout -serial)\" ] && [ \"\$(openssl x509 -in '$W/renewed.pem' -noout -pubkey)\" = \"\$(openssl pkey -in '$W/renew.key' -pubout)\" ]"
csr other "/CN=device-9999"
est POST "$EST/simplereenroll" "$W/other.b64" --cert "$W/dev.pem" --key "$W/dev.key"
check "re-enrolling for another subject is 403 (RFC 7030 4.2.2)" sh -c "[ $(status) = 403 ] && jq -e '.type == \"urn:pkiprotocolserver:problem:forbidden\"' '$W/body' >/dev/null"
est POST "$EST/simplereenroll" "$W/renew.b64" -u "est:$PASSWORD"
check "re-enrolling with a password but no certificate is 403" sh -c "[ $(status) = 403 ]"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/foreign.key" -subj /CN=device-0001 -days 1 -out "$W/foreign.pem" 2>/dev/null
est POST "$EST/simplereenroll" "$W/renew.b64" --cert "$W/foreign.pem" --key "$W/foreign.key"
check "a foreign client certificate cannot re-enroll (401: no acceptable credentials)" sh -c "[ $(status) = 401 ]"

# --- serverkeygen --------------------------------------------------------------------------------------------------
csr keygen "/CN=keyless-0001"
est POST "$EST/serverkeygen" "$W/keygen.b64" --cert "$W/renewed.pem" --key "$W/renew.key"
boundary=$(header content-type | sed -n 's/^multipart\/mixed; boundary=//p')
awk -v b="--$boundary" -v dir="$W" 'index($0,b)==1{part++; body=0; next} /^\r?$/{if(!body){body=1; next}} body{print > (dir "/part" part ".b64")}' "$W/body"
base64 -d "$W/part1.b64" >"$W/skg.p8" 2>/dev/null
openssl pkey -inform DER -in "$W/skg.p8" -out "$W/skg.key" 2>/dev/null
certs_of "$W/part2.b64" "$W/skg.pem"
check "serverkeygen answers multipart/mixed with an application/pkcs8 part then a certs-only part" \
  sh -c "[ $(status) = 200 ] && [ -n '$boundary' ] && grep -q 'Content-Type: application/pkcs8' '$W/body' && grep -q 'smime-type=certs-only' '$W/body'"
check "the server-generated key matches its certificate, which openssl verifies" \
  sh -c "[ \"\$(openssl x509 -in '$W/skg.pem' -noout -pubkey)\" = \"\$(openssl pkey -in '$W/skg.key' -pubout)\" ] && openssl verify -CAfile '$ROOT' -untrusted '$W/cacerts.pem' '$W/skg.pem' >/dev/null"
check "the generated key is not the CSR's key and is not kept on the server" \
  sh -c "[ \"\$(openssl pkey -in '$W/skg.key' -pubout)\" != \"\$(openssl pkey -in '$W/keygen.key' -pubout)\" ] && ! grep -rqF \"\$(head -c 60 '$W/part1.b64')\" '$Pki__DataDirectory'"

# --- bad requests --------------------------------------------------------------------------------------------------
printf 'this is not base64!!' >"$W/garbage.b64"
est POST "$EST/simpleenroll" "$W/garbage.b64" -u "est:$PASSWORD"
check "malformed base64 is 400 with a problem document" sh -c "[ $(status) = 400 ] && [ '$(header content-type)' = application/problem+json ]"
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[-5]^=1; open(sys.argv[2],"wb").write(d)' "$W/dev.der" "$W/tampered.der"
base64 "$W/tampered.der" >"$W/tampered.b64"
est POST "$EST/simpleenroll" "$W/tampered.b64" -u "est:$PASSWORD"
check "a CSR whose signature does not verify is 400 bad-csr" sh -c "[ $(status) = 400 ] && jq -e '.type == \"urn:pkiprotocolserver:problem:bad-csr\"' '$W/body' >/dev/null"
USER_JSON=$(api POST /est/labels/sensors/users '{"name":"sensor-17"}')
SENSOR_PASSWORD=$(jq -r .password <<<"$USER_JSON")
csr evil "/CN=evil.example.net"
est POST "$EST/sensors/simpleenroll" "$W/evil.b64" -u "sensor-17:$SENSOR_PASSWORD"
check "a name the label's role refuses is 403 naming the rule and the name" \
  sh -c "[ $(status) = 403 ] && jq -e '.subproblems[0].rule == \"allowed_domains\" and .subproblems[0].value == \"evil.example.net\"' '$W/body' >/dev/null"
check "a one-time password created through the admin API is shown once" jq -e '.one_time == true and (.password | length) >= 20' <<<"$USER_JSON"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$W/sensor.key" 2>/dev/null
csr sensor "/CN=s17.sensors.example.com" "" "$W/sensor.key"
est POST "$EST/sensors/simpleenroll" "$W/sensor.b64" -u "sensor-17:$SENSOR_PASSWORD"
certs_of "$W/body" "$W/sensor.pem"
check "the one-time password enrolls a P-384 sensor on a named label" \
  sh -c "[ $(status) = 200 ] && openssl x509 -in '$W/sensor.pem' -noout -subject | grep -q 'O = Example Sensors'"
csr sensor2 "/CN=s18.sensors.example.com" "" "$W/sensor.key"
est POST "$EST/sensors/simpleenroll" "$W/sensor2.b64" -u "sensor-17:$SENSOR_PASSWORD"
check "the spent one-time password is 401 for another CSR" sh -c "[ $(status) = 401 ]"
est POST "$EST/nolabel/simpleenroll" "$W/dev.b64" -u "est:$PASSWORD"
check "an unknown label is 404" sh -c "[ $(status) = 404 ]"
est POST "$EST/fullcmc" "$W/dev.b64" -u "est:$PASSWORD"
check "fullcmc is 501 with a problem document" sh -c "[ $(status) = 501 ] && jq -e '.status == 501' '$W/body' >/dev/null"
est POST "$EST/simpleenroll" "$W/dev.b64" -u "est:$PASSWORD" -H 'Content-Type: application/json'
check "a body that is not application/pkcs10 is 415" sh -c "[ $(status) = 415 ]"

# --- manual approval -----------------------------------------------------------------------------------------------
HELD_USER=$(api POST /est/labels/held/users '{"name":"line-1","one_time":false}')
HELD_PASSWORD=$(jq -r .password <<<"$HELD_USER")
csr held "/CN=held-device-1"
est POST "$EST/held/simpleenroll" "$W/held.b64" -u "line-1:$HELD_PASSWORD"
check "manual approval answers 202 with Retry-After" sh -c "[ $(status) = 202 ] && [ '$(header retry-after)' = 1 ]"
ID=$(api GET '/est/enrollments?state=pending' | jq -r '.enrollments[] | select(.common_name == "held-device-1") | .id')
check "the held request is listed for the operator" test -n "$ID"
sleep 1
est POST "$EST/held/simpleenroll" "$W/held.b64" -u "line-1:$HELD_PASSWORD"
check "polling before a decision is 202 again" sh -c "[ $(status) = 202 ]"
check "the operator approves it through the admin API" sh -c "api() { curl -sS --cacert '$ROOT' -X POST -H 'Authorization: Bearer $TOKEN' '$API'\$1; }; api /est/enrollments/$ID/approve | jq -e '.state == \"approved\"' >/dev/null"
est POST "$EST/held/simpleenroll" "$W/held.b64" -u "line-1:$HELD_PASSWORD"
certs_of "$W/body" "$W/held.pem"
check "the next poll gets the certificate" sh -c "[ $(status) = 200 ] && openssl verify -CAfile '$ROOT' -untrusted '$W/cacerts.pem' '$W/held.pem' >/dev/null"

# --- channel binding with openssl s_client (RFC 7030 3.5, RFC 9266) ------------------------------------------------
# bound VERSION: opens a TLS session with the renewed certificate, reads its channel binding from s_client's output,
# makes a CSR whose challengePassword is that binding, and sends it inside the same session. Status in $W/bound.status.
bound() {
  local version=$1 fifo=$W/s_client.in out=$W/s_client.$1.out binding
  rm -f "$fifo" "$out"; mkfifo "$fifo"
  if [ "$version" = tls1_3 ]; then extra=(-keymatexport EXPORTER-Channel-Binding -keymatexportlen 32); else extra=(-msg); fi
  openssl s_client -connect "$HOST" -servername localhost "-$version" -CAfile "$ROOT" -cert "$W/renewed.pem" -key "$W/renew.key" \
    -ign_eof "${extra[@]}" <"$fifo" >"$out" 2>&1 &
  local client=$!
  exec 3>"$fifo"
  local ready='Keying material:'; [ "$version" = tls1_2 ] && ready='Verify return code'
  for _ in $(seq 1 100); do grep -q "$ready" "$out" 2>/dev/null && break; sleep 0.1; done
  if [ "$version" = tls1_3 ]; then
    binding=$(hex_to_base64 "$(sed -n 's/^ *Keying material: *//p' "$out" | head -n1)")
  else
    # tls-unique: the first Finished message of the handshake (the client's), its 12 bytes after the 4-byte header.
    binding=$(hex_to_base64 "$(awk '/^>>> TLS 1.2, Handshake .*Finished/{getline; print; exit}' "$out" | awk '{for(i=5;i<=16;i++) printf "%s", $i}')")
  fi
  printf '[req]\nprompt=no\ndistinguished_name=dn\nattributes=attrs\n[dn]\nCN=device-0001\n[attrs]\nchallengePassword=%s\n' "$binding" >"$W/bound.cnf"
  openssl req -new -key "$W/renew.key" -config "$W/bound.cnf" -addext "subjectAltName=DNS:device-0001.local" -outform DER -out "$W/bound.der" 2>/dev/null
  local body; body=$(base64 -w0 "$W/bound.der")
  printf 'POST /.well-known/est/bound/simplereenroll HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pkcs10\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' "${#body}" "$body" >&3
  exec 3>&-
  wait "$client" 2>/dev/null
  # The response may follow s_client's own session dump on the same line.
  grep -o 'HTTP/1.1 [0-9]*' "$out" | head -n1 | cut -d' ' -f2 >"$W/bound.status"
  [ -n "$binding" ]
}
bound tls1_2
check "TLS 1.2: a CSR carrying the session's tls-unique in challengePassword re-enrolls (RFC 7030 3.5)" sh -c "[ \"\$(cat '$W/bound.status')\" = 200 ]"
bound tls1_3
check "TLS 1.3: a CSR carrying the session's RFC 9266 tls-exporter re-enrolls" sh -c "[ \"\$(cat '$W/bound.status')\" = 200 ]"
est POST "$EST/bound/simplereenroll" "$W/renew.b64" --cert "$W/renewed.pem" --key "$W/renew.key"
check "the same label refuses a CSR made outside the session with 403" sh -c "[ $(status) = 403 ] && jq -e '.detail | test(\"channel binding\")' '$W/body' >/dev/null"

check "the audit log records EST issuance and never a password" \
  sh -c "grep -q '\"actor\":\"est:default/user:est\"' '$Pki__DataDirectory/audit.log' && ! grep -qF '$PASSWORD' '$Pki__DataDirectory/audit.log' && ! grep -qF '$SENSOR_PASSWORD' '$Pki__DataDirectory/audit.log'"

summary
