#!/usr/bin/env bash
# The soak run of README's "Under load": one client, 200,000 calls (or the
# first argument) at concurrency 64 against a keep-alive loopback stub that
# throttles 1 % of attempts, answers 503 to 1 % and resets 0.5 % of
# connections. It is `tests/tests/soak.rs` (CI runs it with 10,000 calls in
# a debug build) in a release build; the test fails on a lost call, a
# broken attempt budget or growth of descriptors or memory after warm-up.
#
#   bash scripts/soak.sh          # 200,000 calls
#   bash scripts/soak.sh 50000
#
# Prints `soak: N calls, N ok, N typed errors, 0 lost, fds A→B, rss A→B MB,
# p50/p99 X/Y ms`, then the attempts, connections and faults the stub saw and
# the samples taken after each tenth of the calls.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-200000}
SOAK_CALLS=$calls exec cargo test --release --locked -q -p opgen-tests --test soak -- --nocapture
