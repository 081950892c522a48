#!/usr/bin/env bash
# The ACME load mode as one counted check for test.sh: a 5 s run at concurrency 4 against the embedded-state server
# must complete orders with no failure and nothing left in flight. Usage: conformance/load/acme-smoke.sh [server.dll]
exec "$(dirname "$0")/acme.sh" --smoke "$@"
