#!/usr/bin/env bash
# ACME conformance: the real server process against real clients from Debian's packages - certbot, lego,
# uacme - and a Go program on golang.org/x/crypto/acme (cert-manager's library). Every chain a client gets
# is checked with openssl verify against the development root. pebble-challtestsrv is the DNS server the
# validator and lego use (every name resolves to 127.0.0.1; dns-01 TXT records are set through its
# management API). Usage: conformance/acme/run.sh [server.dll]
#
# State modes (ACME_STATE_MODES, default "embedded"): embedded (SQLite) and redis (a redis-server of this run, started
# on a free 127.0.0.1 port; every ACME store is then in Redis). test.sh runs both.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/common.sh"
. "$here/cases/preauth.sh"
. "$here/cases/limits.sh"

SERVER_DLL=${1:-$root/src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll}
[ -f "$SERVER_DLL" ] || { echo "server not built: $SERVER_DLL (run: dotnet build -c Release)"; exit 2; }
for tool in certbot lego uacme pebble-challtestsrv go openssl curl jq python3 unshare; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install certbot lego uacme pebble golang-go golang-golang-x-crypto-dev openssl curl jq python3)"; exit 2; }
done

WORK=$(mktemp -d /tmp/pki-acme-conformance.XXXXXX)
CHALL_PID=
HELPER_PID=
cleanup() {
  stop_server
  stop_redis
  [ -n "$HELPER_PID" ] && kill "$HELPER_PID" 2>/dev/null
  [ -n "$CHALL_PID" ] && kill "$CHALL_PID" 2>/dev/null && wait "$CHALL_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# cert-manager's stand-in, built offline from Debian's golang-golang-x-crypto-dev.
if (cd "$here/xcrypto" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$WORK/gocache" go build -o "$WORK/xcrypto-client" .) >"$WORK/go-build.log" 2>&1; then
  pass "x/crypto/acme client builds offline"
else
  fail "x/crypto/acme client builds offline" "$(tail -n 3 "$WORK/go-build.log" | tr '\n' ' ')"
fi

# The local test DNS server: A for any name is 127.0.0.1, no AAAA; TXT records set through its API.
DNS_PORT=$(free_port)
MGMT_PORT=$(free_port)
pebble-challtestsrv -dns01 "127.0.0.1:$DNS_PORT" -management "127.0.0.1:$MGMT_PORT" -http01 "" -https01 "" -tlsalpn01 "" \
  -defaultIPv4 127.0.0.1 -defaultIPv6 "" >"$WORK/challtestsrv.log" 2>&1 &
CHALL_PID=$!
MGMT=http://127.0.0.1:$MGMT_PORT

# lego's exec DNS provider: "present|cleanup FQDN VALUE" sets or clears the TXT record in the test DNS server.
cat >"$WORK/dns-hook.sh" <<HOOK
#!/bin/sh
case "\$1" in
  present) curl -fsS -X POST -d "{\"host\":\"\$2\",\"value\":\"\$3\"}" $MGMT/set-txt ;;
  cleanup) curl -fsS -X POST -d "{\"host\":\"\$2\"}" $MGMT/clear-txt ;;
esac
HOOK
chmod +x "$WORK/dns-hook.sh"

# uacme's hook: http-01 only, from a webroot served by python on the http-01 port.
mkdir -p "$WORK/webroot/.well-known/acme-challenge"
cat >"$WORK/uacme-hook.sh" <<HOOK
#!/bin/sh
[ "\$2" = http-01 ] || exit 1
case "\$1" in
  begin) printf '%s' "\$5" >"$WORK/webroot/.well-known/acme-challenge/\$4" ;;
  done|failed) rm -f "$WORK/webroot/.well-known/acme-challenge/\$4" ;;
esac
HOOK
chmod +x "$WORK/uacme-hook.sh"

AGENT_TOKEN=$(openssl rand -hex 24)
export Pki__HttpsPort=$(free_port)
export Pki__HttpPort=$(free_port)
export Pki__Admin__Tokens__0__Name=conformance-agent
export Pki__Admin__Tokens__0__Persona=agent
export Pki__Admin__Tokens__0__Sha256=$(printf %s "$AGENT_TOKEN" | sha256sum | cut -d' ' -f1)
export Pki__Keys__Software__Passphrase=conformance-passphrase
export Pki__Acme__HttpChallengePort=$(free_port)
export Pki__Acme__TlsAlpnChallengePort=$(free_port)
export Pki__Acme__DnsResolvers__0=127.0.0.1:$DNS_PORT
export Pki__Acme__Directories__eab__Role=acme-default
export Pki__Acme__Directories__eab__ExternalAccountRequired=true
# CAA (RFC 8659) is checked for the default directory; challtestsrv answers no CAA unless a case sets some.
export Pki__Acme__Directories__default__CaaIdentities__0=pki.example.test
export ASPNETCORE_ENVIRONMENT=Production
HTTP01=$Pki__Acme__HttpChallengePort
TLSALPN=$Pki__Acme__TlsAlpnChallengePort
BASE=https://localhost:$Pki__HttpsPort
DIRECTORY=$BASE/acme/directory
EAB_DIRECTORY=$BASE/acme/eab/directory
. "$here/cases/ari.sh"

# verify_chain NAME FULLCHAIN: the leaf (first block) verifies against the root through the rest of the file.
verify_chain() {
  local dir=$WORK/verify-$1
  mkdir -p "$dir"
  awk -v d="$dir" '/BEGIN CERTIFICATE/{n++} {print > (n==1 ? d "/leaf.pem" : d "/cas.pem")}' "$2"
  [ -s "$dir/cas.pem" ] || : >"$dir/cas.pem"
  check "$1: chain verifies with openssl against the root" openssl verify -CAfile "$ROOT" -untrusted "$dir/cas.pem" "$dir/leaf.pem"
}
# eab_key: a new EAB key for the eab directory through the admin API -> "ID HMAC" on stdout.
eab_key() {
  curl -fsS --cacert "$ROOT" -H "Authorization: Bearer $AGENT_TOKEN" -H 'Content-Type: application/json' \
    -d '{"directory":"eab","label":"conformance"}' "$BASE/api/v1/acme/eab-keys" | jq -r '"\(.id) \(.hmac_key)"'
}
serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
# revoked NAME SERIAL REASON_CODE: the public revocation lookup shows SERIAL (read before the client revoked:
# some clients move the file away) revoked with that CRLReason code.
revoked() {
  local serial
  serial=$(printf %s "$2" | tr 'A-F' 'a-f' | sed 's/^0*//')
  [ -n "$serial" ] || { fail "$1: no serial to look up"; return; }
  check "$1: /api/v1/revoked/$serial shows it revoked with reason $3" sh -c \
    "curl -fsS --cacert '$ROOT' '$BASE/api/v1/revoked/$serial' | jq -e '(.serial_number | sub(\"^0+\"; \"\")) == \"$serial\" and .state == \"revoked\" and .reason_code == $3'"
}

run_mode() {
  local mode=$1
  export Pki__DataDirectory=$WORK/$mode/data
  ROOT=$Pki__DataDirectory/root-ca.pem
  unset Pki__Redis
  if [ "$mode" = redis ]; then
    command -v redis-server >/dev/null || { fail "[$mode] redis-server is installed (apt-get install redis-server)"; return; }
    start_redis "$WORK/redis" || { fail "[$mode] redis-server starts"; return; }
    export Pki__Redis=127.0.0.1:$REDIS_PORT
  fi
  echo "# acme conformance ($mode state): server $SERVER_DLL, directory $DIRECTORY"
  start_server "$WORK/$mode-server.log" || { fail "[$mode] server starts"; return; }
  pass "[$mode] server starts with the ACME directory"
  check "[$mode] directory answers with newNonce and meta" sh -c "curl -fsS --cacert '$ROOT' '$DIRECTORY' | jq -e '.newNonce and .meta'"
  check "[$mode] eab directory requires external accounts" sh -c "curl -fsS --cacert '$ROOT' '$EAB_DIRECTORY' | jq -e '.meta.externalAccountRequired == true'"

  # --- certbot: standalone http-01 ---
  local cb="$WORK/$mode/certbot"
  local certbot_common=(--non-interactive --agree-tos --config-dir "$cb/config" --work-dir "$cb/work" --logs-dir "$cb/logs" --standalone --http-01-port "$HTTP01")
  export REQUESTS_CA_BUNDLE=$ROOT
  check "[$mode] certbot: ECDSA certificate for three names (standalone http-01)" \
    certbot certonly "${certbot_common[@]}" --server "$DIRECTORY" -m certbot@example.org --key-type ecdsa --cert-name cb-ec \
      -d ec.certbot.example.test -d www.ec.certbot.example.test -d api.ec.certbot.example.test
  verify_chain "[$mode] certbot ECDSA" "$cb/config/live/cb-ec/fullchain.pem"
  check "[$mode] certbot: the ECDSA certificate names all three" sh -c \
    "openssl x509 -in '$cb/config/live/cb-ec/cert.pem' -noout -ext subjectAltName | grep -q 'api.ec.certbot.example.test' && openssl x509 -in '$cb/config/live/cb-ec/cert.pem' -noout -text | grep -q 'id-ecPublicKey'"
  check "[$mode] certbot: RSA 2048 certificate" \
    certbot certonly "${certbot_common[@]}" --server "$DIRECTORY" -m certbot@example.org --key-type rsa --rsa-key-size 2048 --cert-name cb-rsa -d rsa.certbot.example.test
  verify_chain "[$mode] certbot RSA" "$cb/config/live/cb-rsa/fullchain.pem"
  check "[$mode] certbot: the RSA certificate has an RSA key" sh -c "openssl x509 -in '$cb/config/live/cb-rsa/cert.pem' -noout -text | grep -q 'rsaEncryption'"
  local before
  before=$(serial_of "$cb/config/live/cb-ec/cert.pem")
  check "[$mode] certbot: forced renewal" \
    certbot renew --non-interactive --no-random-sleep-on-renew --config-dir "$cb/config" --work-dir "$cb/work" --logs-dir "$cb/logs" --cert-name cb-ec --force-renewal
  check "[$mode] certbot: the renewed certificate is a new one" sh -c "[ \"\$(openssl x509 -in '$cb/config/live/cb-ec/cert.pem' -noout -serial | cut -d= -f2)\" != '$before' ]"
  verify_chain "[$mode] certbot renewed" "$cb/config/live/cb-ec/fullchain.pem"
  local eab
  eab=$(eab_key)
  check "[$mode] certbot: External Account Binding on the eab directory" \
    certbot certonly "${certbot_common[@]}" --server "$EAB_DIRECTORY" -m certbot@example.org --eab-kid="${eab% *}" --eab-hmac-key="${eab#* }" \
      --cert-name cb-eab -d eab.certbot.example.test
  verify_chain "[$mode] certbot EAB" "$cb/config/live/cb-eab/fullchain.pem"
  check "[$mode] certbot: without EAB the eab directory refuses the account" sh -c \
    "! certbot register --non-interactive --agree-tos --config-dir '$cb/config2' --work-dir '$cb/work' --logs-dir '$cb/logs' --server '$EAB_DIRECTORY' -m x@example.org"
  # revokeCert (RFC 8555 7.6): by the account that ordered it (kid), then by the certificate's own key (jwk,
  # from a config directory with no account), then a second revocation, which must fail.
  local certbot_revoke=(--non-interactive --work-dir "$cb/work" --logs-dir "$cb/logs" --server "$DIRECTORY" --no-delete-after-revoke)
  check "[$mode] certbot: revoke by the ordering account (keyCompromise)" \
    certbot revoke "${certbot_revoke[@]}" --config-dir "$cb/config" --cert-path "$cb/config/live/cb-rsa/cert.pem" --reason keycompromise
  revoked "[$mode] certbot revoke by account" "$(serial_of "$cb/config/live/cb-rsa/cert.pem")" 1
  check "[$mode] certbot: revoke by the certificate's key (superseded)" \
    certbot revoke "${certbot_revoke[@]}" --config-dir "$cb/config-nokey" --cert-path "$cb/config/live/cb-eab/cert.pem" \
      --key-path "$cb/config/live/cb-eab/privkey.pem" --reason superseded
  revoked "[$mode] certbot revoke by certificate key" "$(serial_of "$cb/config/live/cb-eab/cert.pem")" 4
  check "[$mode] certbot: revoking again is refused (alreadyRevoked)" sh -c \
    "! certbot revoke ${certbot_revoke[*]} --config-dir '$cb/config' --cert-path '$cb/config/live/cb-rsa/cert.pem' >'$cb/again.log' 2>&1 && grep -q alreadyRevoked '$cb/again.log' '$cb/logs/letsencrypt.log'"
  unset REQUESTS_CA_BUNDLE

  # --- lego: http-01, tls-alpn-01, dns-01 (wildcard), renew ---
  local lg="$WORK/$mode/lego"
  local lego_common=(--accept-tos --email lego@example.org --path "$lg" --server "$DIRECTORY")
  export LEGO_CA_CERTIFICATES=$ROOT
  check "[$mode] lego: http-01" lego "${lego_common[@]}" --domains http.lego.example.test --http --http.port "127.0.0.1:$HTTP01" run
  verify_chain "[$mode] lego http-01" "$lg/certificates/http.lego.example.test.crt"
  check "[$mode] lego: tls-alpn-01" lego "${lego_common[@]}" --domains tls.lego.example.test --tls --tls.port "127.0.0.1:$TLSALPN" run
  verify_chain "[$mode] lego tls-alpn-01" "$lg/certificates/tls.lego.example.test.crt"
  # The exec provider presents one record at a time; its default 60 s between them is for real DNS, not this one.
  check "[$mode] lego: dns-01 with a wildcard" env EXEC_PATH="$WORK/dns-hook.sh" EXEC_SEQUENCE_INTERVAL=1 EXEC_POLLING_INTERVAL=1 EXEC_PROPAGATION_TIMEOUT=10 \
    lego "${lego_common[@]}" --domains "*.dns.lego.example.test" --domains dns.lego.example.test \
      --dns exec --dns.resolvers "127.0.0.1:$DNS_PORT" --dns.disable-cp run
  verify_chain "[$mode] lego dns-01 wildcard" "$lg/certificates/_.dns.lego.example.test.crt"
  check "[$mode] lego: the wildcard certificate names *.dns.lego.example.test" sh -c \
    "openssl x509 -in '$lg/certificates/_.dns.lego.example.test.crt' -noout -ext subjectAltName | grep -qF '*.dns.lego.example.test'"
  before=$(serial_of "$lg/certificates/http.lego.example.test.crt")
  check "[$mode] lego: renew" lego "${lego_common[@]}" --domains http.lego.example.test --http --http.port "127.0.0.1:$HTTP01" renew --days 365 --no-random-sleep
  check "[$mode] lego: the renewed certificate is a new one" sh -c "[ \"\$(openssl x509 -in '$lg/certificates/http.lego.example.test.crt' -noout -serial | cut -d= -f2)\" != '$before' ]"
  verify_chain "[$mode] lego renewed" "$lg/certificates/http.lego.example.test.crt"
  check "[$mode] lego: revoke by the account (superseded)" lego "${lego_common[@]}" --domains tls.lego.example.test revoke --reason 4 --keep
  revoked "[$mode] lego revoke" "$(serial_of "$lg/certificates/tls.lego.example.test.crt")" 4
  unset LEGO_CA_CERTIFICATES

  # --- uacme: http-01 through a hook; keyChange. uacme (GnuTLS) reads only the system bundle, so it runs in
  # its own mount namespace where the bundle is the development root: the machine's trust store is untouched.
  local ua="$WORK/$mode/uacme"
  mkdir -p "$ua"
  (cd "$WORK/webroot" && exec python3 -m http.server "$HTTP01" --bind 127.0.0.1) >"$WORK/$mode-webroot.log" 2>&1 &
  HELPER_PID=$!
  uacme_run() { unshare -rm sh -c 'mount --bind "$0" /etc/ssl/certs/ca-certificates.crt && shift && exec uacme "$@"' "$ROOT" -- -y -a "$DIRECTORY" -c "$ua" "$@"; }
  check "[$mode] uacme: new account" uacme_run new uacme@example.org
  check "[$mode] uacme: EC certificate over http-01" uacme_run -t EC -h "$WORK/uacme-hook.sh" issue one.uacme.example.test two.uacme.example.test
  verify_chain "[$mode] uacme" "$ua/one.uacme.example.test/cert.pem"
  check "[$mode] uacme: keyChange (newkey)" uacme_run newkey
  check "[$mode] uacme: the account works with its new key" uacme_run -t EC -h "$WORK/uacme-hook.sh" -f issue one.uacme.example.test two.uacme.example.test
  verify_chain "[$mode] uacme after keyChange" "$ua/one.uacme.example.test/cert.pem"
  local uacme_serial
  uacme_serial=$(serial_of "$ua/one.uacme.example.test/cert.pem")
  check "[$mode] uacme: revoke by the account after keyChange" uacme_run revoke "$ua/one.uacme.example.test/cert.pem"
  revoked "[$mode] uacme revoke" "$uacme_serial" 0
  kill "$HELPER_PID" 2>/dev/null; wait "$HELPER_PID" 2>/dev/null; HELPER_PID=

  # --- golang.org/x/crypto/acme (cert-manager's library): EAB, order, http-01, download ---
  if [ -x "$WORK/xcrypto-client" ]; then
    eab=$(eab_key)
    check "[$mode] x/crypto/acme: EAB account, order, http-01, finalize, download" \
      "$WORK/xcrypto-client" -directory "$EAB_DIRECTORY" -ca "$ROOT" -domain go.example.test -http01 "127.0.0.1:$HTTP01" \
        -eab-kid "${eab% *}" -eab-hmac "${eab#* }" -out "$WORK/$mode-xcrypto.pem"
    verify_chain "[$mode] x/crypto/acme" "$WORK/$mode-xcrypto.pem"
  fi

  cases_preauth "$mode"
  cases_ari "$mode"

  check "[$mode] the server logged no unhandled error" sh -c "! grep -q 'Unhandled error' '$WORK/$mode-server.log'"
  if [ "$mode" = redis ]; then
    check "[$mode] ACME accounts, orders and authorizations are in Redis" sh -c \
      "for p in 'pki:acme:account:*' 'pki:acme:order:*' 'pki:acme:authz:*'; do redis-cli -p '$REDIS_PORT' --scan --pattern \"\$p\" | grep -q . || exit 1; done"
  fi
  cases_limits "$mode"
  stop_server
  stop_redis
  unset Pki__Redis
}

for mode in ${ACME_STATE_MODES:-embedded}; do
  run_mode "$mode"
done
summary
