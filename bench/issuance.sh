#!/usr/bin/env bash
# CSR -> certificate issuance benchmark (software and SoftHSM P-256) beside `openssl speed ecdsap256`,
# written to docs/performance.md. Builds Release and runs the harness in tests/PkiProtocolServer.Benchmarks;
# takes about two minutes. Extra arguments go to the harness, e.g. --csrs 2000 --rounds 3 --no-softhsm,
# or --output - to print without writing the doc.
set -euo pipefail
cd "$(dirname "$0")/.."

project=tests/PkiProtocolServer.Benchmarks/PkiProtocolServer.Benchmarks.csproj
dotnet build "$project" -c Release --nologo -v quiet
output=docs/performance.md
for argument in "$@"; do
  if [ "$argument" = "--output" ]; then output=""; fi
done
exec dotnet tests/PkiProtocolServer.Benchmarks/bin/Release/net10.0/PkiProtocolServer.Benchmarks.dll \
  --invoked-as "bench/issuance.sh${*:+ $*}" ${output:+--output "$output"} "$@"
