# Rate limits and the BadNonceRate test knob against the real server process. Sourced by run.sh; cases_limits MODE
# runs inside run_mode with the server up, restarts it twice with other settings, and leaves it running again with
# the run's own settings (log: $WORK/$mode-server-after-limits.log).

# limits_metric NAME_AND_LABELS: the value of one sample of /metrics (plain HTTP listener), 0 when absent.
limits_metric() {
  curl -fsS "http://127.0.0.1:${Pki__HttpPort}/metrics" | awk -v m="$1" 'index($0, m " ") == 1 { v = $2 } END { print v + 0 }'
}

# limits_uacme_flow CONFDIR: a new uacme account and an EC certificate over http-01 (the webroot of run.sh), in a
# mount namespace whose system bundle is the development root, as run.sh runs uacme.
limits_uacme_flow() {
  local conf=$1
  local run=(unshare -rm sh -c 'mount --bind "$0" /etc/ssl/certs/ca-certificates.crt && shift && exec uacme "$@"' "$ROOT" -- -y -a "$DIRECTORY" -c "$conf")
  "${run[@]}" new uacme@example.org && "${run[@]}" -t EC -h "$WORK/uacme-hook.sh" issue badnonce.uacme.example.test
}

cases_limits() {
  local mode=$1
  local lm=$WORK/$mode/limits
  mkdir -p "$lm"

  # (a) Every tenth good nonce is refused with badNonce; each client must retry with the Replay-Nonce and succeed.
  stop_server
  export Pki__Acme__Testing__BadNonceRate=0.1
  if start_server "$WORK/$mode-server-badnonce.log"; then
    pass "[$mode] limits: server starts with Pki:Acme:Testing:BadNonceRate=0.1"
    check "[$mode] limits: the start warns of the test knob (log and banner)" sh -c \
      "grep -q 'ACME TEST KNOB ON' '$WORK/$mode-server-badnonce.log' && grep -q 'WARNING (ACME test knob): Pki:Acme:Testing:BadNonceRate=0.1' '$WORK/$mode-server-badnonce.log'"

    check "[$mode] badNonce 10%: certbot retries and gets its certificate" env REQUESTS_CA_BUNDLE="$ROOT" \
      certbot certonly --non-interactive --agree-tos --config-dir "$lm/certbot" --work-dir "$lm/certbot-work" --logs-dir "$lm/certbot-logs" \
        --standalone --http-01-port "$HTTP01" --server "$DIRECTORY" -m certbot@example.org --cert-name bn -d badnonce.certbot.example.test
    verify_chain "[$mode] badNonce 10% certbot" "$lm/certbot/live/bn/fullchain.pem"

    check "[$mode] badNonce 10%: lego http-01 retries and gets its certificate" env LEGO_CA_CERTIFICATES="$ROOT" \
      lego --accept-tos --email lego@example.org --path "$lm/lego" --server "$DIRECTORY" --domains badnonce.lego.example.test \
        --http --http.port "127.0.0.1:$HTTP01" run
    verify_chain "[$mode] badNonce 10% lego" "$lm/lego/certificates/badnonce.lego.example.test.crt"

    (cd "$WORK/webroot" && exec python3 -m http.server "$HTTP01" --bind 127.0.0.1) >"$lm/webroot.log" 2>&1 &
    HELPER_PID=$!
    mkdir -p "$lm/uacme"
    check "[$mode] badNonce 10%: uacme retries, new account and certificate over http-01" limits_uacme_flow "$lm/uacme"
    verify_chain "[$mode] badNonce 10% uacme" "$lm/uacme/badnonce.uacme.example.test/cert.pem"
    kill "$HELPER_PID" 2>/dev/null; wait "$HELPER_PID" 2>/dev/null; HELPER_PID=

    if [ -x "$WORK/xcrypto-client" ]; then
      local eab
      eab=$(eab_key)
      check "[$mode] badNonce 10%: x/crypto/acme retries, EAB account, order, http-01, download" \
        "$WORK/xcrypto-client" -directory "$EAB_DIRECTORY" -ca "$ROOT" -domain badnonce.go.example.test -http01 "127.0.0.1:$HTTP01" \
          -eab-kid "${eab% *}" -eab-hmac "${eab#* }" -out "$lm/xcrypto.pem"
      verify_chain "[$mode] badNonce 10% x/crypto/acme" "$lm/xcrypto.pem"
    fi

    local refused
    refused=$(limits_metric pkiprotocolserver_acme_testing_bad_nonces)
    check "[$mode] badNonce 10%: the server refused good nonces ($refused, from /metrics) and the clients got through" test "$refused" -ge 1
    check "[$mode] badNonce 10%: the server logged no unhandled error" sh -c "! grep -q 'Unhandled error' '$WORK/$mode-server-badnonce.log'"
  else
    fail "[$mode] limits: server starts with Pki:Acme:Testing:BadNonceRate=0.1"
  fi
  stop_server
  unset Pki__Acme__Testing__BadNonceRate

  # (b) newNonce limited to 3 a minute per client address: the fourth is 429 rateLimited with Retry-After.
  export Pki__Acme__RateLimits__NoncesPerIp__Limit=3
  export Pki__Acme__RateLimits__NoncesPerIp__Period=00:01:00
  if start_server "$WORK/$mode-server-ratelimit.log"; then
    local new_nonce code
    new_nonce=$(curl -fsS --cacert "$ROOT" "$DIRECTORY" | jq -r .newNonce)
    for i in 1 2 3; do
      code=$(curl -sS --cacert "$ROOT" -o /dev/null -w '%{http_code}' --head "$new_nonce")
      check "[$mode] rateLimited: newNonce $i of 3 is allowed (HEAD 200)" test "$code" = 200
    done
    code=$(curl -sS --cacert "$ROOT" -D "$lm/limited.headers" -o "$lm/limited.json" -w '%{http_code}' "$new_nonce")
    check "[$mode] rateLimited: the fourth newNonce is 429" test "$code" = 429
    check "[$mode] rateLimited: the problem is urn:ietf:params:acme:error:rateLimited naming NoncesPerIp and its reset" \
      jq -e '.type == "urn:ietf:params:acme:error:rateLimited" and .status == 429 and (.detail | contains("NoncesPerIp") and contains("resets at"))' "$lm/limited.json"
    check "[$mode] rateLimited: Retry-After says when (1..60 s), with a fresh Replay-Nonce" sh -c \
      "tr -d '\r' <'$lm/limited.headers' | awk -F': ' 'tolower(\$1) == \"retry-after\" { ok = (\$2 >= 1 && \$2 <= 60) } END { exit !ok }' && grep -qi '^replay-nonce: ' '$lm/limited.headers'"
    check "[$mode] rateLimited: /metrics counts the refusal by limit" test "$(limits_metric 'pkiprotocolserver_acme_rate_limited{limit="NoncesPerIp"}')" -ge 1
  else
    fail "[$mode] limits: server starts with Pki:Acme:RateLimits:NoncesPerIp:Limit=3"
  fi
  stop_server
  unset Pki__Acme__RateLimits__NoncesPerIp__Limit Pki__Acme__RateLimits__NoncesPerIp__Period

  start_server "$WORK/$mode-server-after-limits.log" || fail "[$mode] limits: server starts again with the run's settings"
}
