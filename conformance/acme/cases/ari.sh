# ACME Renewal Information (RFC 9773) and certificate profiles (draft-ietf-acme-profiles). Sourced by run.sh before
# the server starts (the exports below configure it), then cases_ari MODE runs with the server up, after the lego
# cases (it reuses lego's certificates).
#
# (a) curl + openssl as an ARI client: the certID computed from lego's certificate (AKI + serial), renewalInfo's
#     suggestedWindow and Retry-After, then the window moved through the admin API (operator token).
# (b) conformance/acme/pyacme/order.py on Debian's python3-acme 2.1.0 (certbot's own library; Debian's certbot and
#     lego send neither `profile` nor `replaces`): an order with a profile, a replacement, alreadyReplaced, invalidProfile.

ARI_PROFILE=shortlived
ARI_ROLE=acme-ari-short
ARI_OPERATOR_TOKEN=$(openssl rand -hex 24)
export Pki__Acme__Directories__default__Profiles__${ARI_PROFILE}__Role=$ARI_ROLE
export Pki__Acme__Directories__default__Profiles__${ARI_PROFILE}__Description="one-day certificates"
export Pki__Admin__Tokens__9__Name=conformance-operator
export Pki__Admin__Tokens__9__Persona=operator
export Pki__Admin__Tokens__9__Sha256=$(printf %s "$ARI_OPERATOR_TOKEN" | sha256sum | cut -d' ' -f1)

# ari_b64url HEX: the bytes of HEX, base64url without padding.
ari_b64url() { printf %s "$1" | xxd -r -p | base64 -w0 | tr '+/' '-_' | tr -d '='; }

# ari_cert_id PEM: RFC 9773 4.1 from openssl's view of the certificate. openssl prints the serial without the sign
# octet: a leading 00 goes back when the high bit is set (DER INTEGER content octets).
ari_cert_id() {
  local aki serial
  aki=$(openssl x509 -in "$1" -noout -ext authorityKeyIdentifier | sed -n '2p' | sed 's/keyid://; s/[: ]//g')
  serial=$(openssl x509 -in "$1" -noout -serial | cut -d= -f2)
  [ $(( ${#serial} % 2 )) -eq 1 ] && serial=0$serial
  case $serial in [89A-Fa-f]*) serial=00$serial ;; esac
  printf '%s.%s' "$(ari_b64url "$aki")" "$(ari_b64url "$serial")"
}

# ari_window_check CERTID JQ [JQ ARGS...]: renewalInfo answers 200 with a Retry-After and a body for which JQ holds;
# JQ may use t (an RFC 3339 instant to unix seconds) and the variables of its arguments.
ari_window_check() {
  local headers=$WORK/ari-headers body id=$1 program=$2
  shift 2
  body=$(curl -fsS --cacert "$ROOT" -D "$headers" "$BASE/acme/renewal-info/$id") || return 1
  grep -qi '^retry-after: [0-9]' "$headers" || { echo "no Retry-After"; return 1; }
  printf '%s\n' "$body"
  printf '%s' "$body" | jq -e "$@" 'def t: sub("\\.[0-9]+"; "") | sub("[+]00:00$"; "Z") | fromdateiso8601; '"$program"
}

cases_ari() {
  local mode=$1
  local lego_cert=$WORK/$mode/lego/certificates/http.lego.example.test.crt
  local revoked_cert=$WORK/$mode/lego/certificates/tls.lego.example.test.crt
  check "[$mode] ari: the directory advertises renewalInfo and the profile" sh -c \
    "curl -fsS --cacert '$ROOT' '$DIRECTORY' | jq -e '(.renewalInfo | endswith(\"/acme/renewal-info\")) and .meta.profiles[\"$ARI_PROFILE\"]'"
  if [ ! -f "$lego_cert" ]; then
    fail "[$mode] ari: lego's http-01 certificate exists to ask about"
  else
    local id nb na serial start
    id=$(ari_cert_id "$lego_cert")
    nb=$(date -d "$(openssl x509 -in "$lego_cert" -noout -startdate | cut -d= -f2)" +%s)
    na=$(date -d "$(openssl x509 -in "$lego_cert" -noout -enddate | cut -d= -f2)" +%s)
    # The default window runs from 2/3 to 5/6 of the validity (docs/acme.md); a second of rounding either way.
    check "[$mode] ari: renewalInfo of lego's certificate (certID from openssl) is the default window with Retry-After" \
      ari_window_check "$id" '((.suggestedWindow.start | t) - ($nb + ($na - $nb) * 2 / 3) | fabs) < 2 and ((.suggestedWindow.end | t) - ($nb + ($na - $nb) * 5 / 6) | fabs) < 2' \
        --argjson nb "$nb" --argjson na "$na"
    serial=$(openssl x509 -in "$lego_cert" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
    start=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
    check "[$mode] ari: the operator moves the certificate's window (admin API)" sh -c \
      "curl -fsS --cacert '$ROOT' -X PUT -H 'Authorization: Bearer $ARI_OPERATOR_TOKEN' -H 'Content-Type: application/json' \
        -d '{\"scope\":\"certificate\",\"target\":\"$serial\",\"start\":\"$start\",\"end\":\"$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)\",\"explanation_url\":\"https://ca.example/renew-now\"}' \
        '$BASE/api/v1/acme/renewal-windows' | jq -e '.scope == \"certificate\"'"
    check "[$mode] ari: renewalInfo shows the moved window and its explanationURL" \
      ari_window_check "$id" '(.suggestedWindow.start | t) == ($start | fromdateiso8601) and .explanationURL == "https://ca.example/renew-now"' --arg start "$start"
    check "[$mode] ari: the agent persona cannot move windows" sh -c \
      "[ \"\$(curl -sS -o /dev/null -w '%{http_code}' --cacert '$ROOT' -X PUT -H 'Authorization: Bearer $AGENT_TOKEN' -H 'Content-Type: application/json' \
        -d '{\"scope\":\"role\",\"target\":\"acme-default\",\"start\":\"$start\",\"end\":\"$start\"}' '$BASE/api/v1/acme/renewal-windows')\" = 403 ]"
  fi
  if [ -f "$revoked_cert" ]; then
    check "[$mode] ari: lego's revoked certificate is told to renew now (window in the past)" \
      ari_window_check "$(ari_cert_id "$revoked_cert")" '(.suggestedWindow.end | t) <= now'
  fi
  check "[$mode] ari: a malformed certID is a malformed problem" sh -c \
    "curl -sS --cacert '$ROOT' '$BASE/acme/renewal-info/not-a-cert-id' | jq -e '.type == \"urn:ietf:params:acme:error:malformed\" and .status == 400'"
  check "[$mode] ari: an unknown certificate is 404" sh -c \
    "[ \"\$(curl -sS -o /dev/null -w '%{http_code}' --cacert '$ROOT' '$BASE/acme/renewal-info/AAECAwQ.AQID')\" = 404 ]"

  # (b) the profile's role: one-day certificates (created with the agent token, as an operator would).
  check "[$mode] ari: the profile's role is created through the admin API" sh -c \
    "curl -fsS --cacert '$ROOT' -X PUT -H 'Authorization: Bearer $AGENT_TOKEN' -H 'Content-Type: application/json' \
      -d '{\"issuer_ref\":\"default\",\"allow_any_name\":true,\"enforce_hostnames\":true,\"key_usage\":[\"DigitalSignature\",\"KeyEncipherment\"],\"ext_key_usage\":[\"ServerAuth\"],\"ttl\":\"24h\",\"max_ttl\":\"24h\"}' \
      '$BASE/api/v1/roles/$ARI_ROLE' >/dev/null"
  local out=$WORK/$mode-pyacme.log line
  if /usr/bin/python3 "$here/pyacme/order.py" --directory "$DIRECTORY" --ca "$ROOT" --http01-port "$HTTP01" \
      --profile "$ARI_PROFILE" --lifetime-hours 24 --domain py.ari.example.test >"$out" 2>&1; then
    while IFS= read -r line; do
      case $line in
        PASS\ *) pass "[$mode] python3-acme: ${line#PASS }" ;;
        FAIL\ *) fail "[$mode] python3-acme: ${line#FAIL }" ;;
      esac
    done <"$out"
  else
    fail "[$mode] python3-acme: profile and replaces client runs" "$(tail -n 5 "$out" | tr '\n' ' ')"
  fi
  if [ "$mode" = redis ]; then
    check "[$mode] ari: renewal windows and replacement claims are in Redis" sh -c \
      "redis-cli -p '$REDIS_PORT' HLEN pki:acme:renewal-windows | grep -qv '^0$' && redis-cli -p '$REDIS_PORT' --scan --pattern 'pki:acme:replacement:*' | grep -q ."
  fi
}
