# Pre-authorization (RFC 8555 7.4.1) and CAA (RFC 8659, RFC 8657) with golang.org/x/crypto/acme (cert-manager's
# library), against the default directory, whose CAA issuer domain run.sh sets to pki.example.test. Sourced by
# run.sh; cases_preauth MODE runs inside run_mode with the server up.

# caa_set HOST VALUE: the CAA RRset of HOST in the test DNS server becomes one "issue" property with VALUE.
caa_set() {
  curl -fsS -X POST -d "$(jq -cn --arg host "$1" --arg value "$2" '{host: $host, policies: [{tag: "issue", value: $value}]}')" "$MGMT/add-caa" >/dev/null
}

cases_preauth() {
  local mode=$1
  [ -x "$WORK/xcrypto-client" ] || { fail "[$mode] preauth: the x/crypto/acme client was built"; return; }
  local dir=$WORK/$mode/preauth
  mkdir -p "$dir"
  local go=("$WORK/xcrypto-client" -directory "$DIRECTORY" -ca "$ROOT" -mgmt "$MGMT")

  # (a) One process holds the DNS credentials and pre-authorizes with dns-01; another, with the same account but
  # no DNS access, orders the name and is issued without answering any challenge.
  check "[$mode] x/crypto/acme: newAuthz pre-authorizes a name over dns-01 (Client.Authorize)" \
    "${go[@]}" -mode preauth -account-key "$dir/account.pem" -domain pre.go.example.test
  check "[$mode] x/crypto/acme: a second process orders the pre-authorized name, the order is ready at once, certificate issued" \
    "${go[@]}" -mode order-preauthorized -account-key "$dir/account.pem" -domain pre.go.example.test -out "$dir/pre.pem"
  verify_chain "[$mode] x/crypto/acme pre-authorized" "$dir/pre.pem"

  # (b) CAA: a record naming another CA refuses with a caa error naming the identifier.
  caa_set other.caa.example.test "other-ca.example"
  check "[$mode] CAA naming another CA: the order fails with caa naming the identifier" sh -c \
    "! '$WORK/xcrypto-client' -directory '$DIRECTORY' -ca '$ROOT' -mgmt '$MGMT' -mode dns01 -account-key '$dir/caa.pem' -domain www.other.caa.example.test -out '$dir/other.pem' >'$dir/other.log' 2>&1 \
      && grep -q 'urn:ietf:params:acme:error:caa' '$dir/other.log' && grep -q 'www.other.caa.example.test' '$dir/other.log' && grep -q 'other-ca.example' '$dir/other.log'"

  # Our issuer domain with the accounturi of another account refuses; with this account's URL it issues.
  local account
  account=$("${go[@]}" -mode account -account-key "$dir/caa.pem" 2>"$dir/account.log")
  check "[$mode] x/crypto/acme: the CAA account's URL is known" test -n "$account"
  caa_set theirs.caa.example.test "pki.example.test; accounturi=$BASE/acme/account/someone-else"
  check "[$mode] CAA with our identity but another account's accounturi: refused with caa" sh -c \
    "! '$WORK/xcrypto-client' -directory '$DIRECTORY' -ca '$ROOT' -mgmt '$MGMT' -mode dns01 -account-key '$dir/caa.pem' -domain theirs.caa.example.test -out '$dir/theirs.pem' >'$dir/theirs.log' 2>&1 \
      && grep -q 'urn:ietf:params:acme:error:caa' '$dir/theirs.log' && grep -q 'theirs.caa.example.test' '$dir/theirs.log'"
  caa_set mine.caa.example.test "pki.example.test; accounturi=$account; validationmethods=dns-01"
  check "[$mode] CAA with our identity, this account's accounturi and dns-01 allowed: certificate issued" \
    "${go[@]}" -mode dns01 -account-key "$dir/caa.pem" -domain mine.caa.example.test -out "$dir/mine.pem"
  verify_chain "[$mode] CAA allowed" "$dir/mine.pem"
}
