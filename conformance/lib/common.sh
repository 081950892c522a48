# Shared helpers for the conformance scripts: counting cases, free ports, starting and stopping
# the server by its PID (never by name). Sourced, not run.

PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); printf 'ok     %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAILED %s\n' "$1"; [ -n "${2:-}" ] && printf '       %s\n' "$2"; return 0; }

# check NAME COMMAND...: one case; passes when COMMAND exits 0. Output goes to $WORK/last.log.
check() {
  local name=$1; shift
  if "$@" >"$WORK/last.log" 2>&1; then pass "$name"; else fail "$name" "$(tail -n 5 "$WORK/last.log" | tr '\n' ' ')"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_server LOGFILE: starts the built server DLL with the environment already exported; sets SERVER_PID.
start_server() {
  dotnet "$SERVER_DLL" >"$1" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:${Pki__HttpPort}/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited:"; tail -n 30 "$1"; return 1; fi
    sleep 0.5
  done
  echo "server did not become ready in 60 s"; tail -n 30 "$1"; return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

summary() { printf '%d passed, %d failed\n' "$PASSED" "$FAILED"; [ "$FAILED" -eq 0 ]; }

# start_redis DIR: starts a redis-server of this run on a free 127.0.0.1 port (AOF on, no RDB snapshots),
# data and log in DIR; sets REDIS_PID and REDIS_PORT. stop_redis stops it by that PID.
start_redis() {
  mkdir -p "$1"
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly yes --dir "$1" --logfile "$1/redis.log" >/dev/null 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 100); do
    if [ "$(printf 'PING\r\n' | timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT; cat >&3; head -c 5 <&3" 2>/dev/null)" = "+PONG" ]; then return 0; fi
    if ! kill -0 "$REDIS_PID" 2>/dev/null; then echo "redis-server exited:"; tail -n 5 "$1/redis.log"; return 1; fi
    sleep 0.1
  done
  echo "redis-server did not answer PING in 10 s"; return 1
}

stop_redis() {
  if [ -n "${REDIS_PID:-}" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
  fi
  REDIS_PID=
}
