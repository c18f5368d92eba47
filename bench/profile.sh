#!/usr/bin/env bash
# Where decoding one input spends its time: `perf record` of `decode_json` on that fixture in a loop
# (the client's path), then the symbols above 1% of the samples, self time.
#   bash bench/profile.sh [INPUT] [SECONDS]   INPUT: customer (default), charge, invoice,
#   subscription, payment_intent, checkout.session, billing_portal.session, product, price
# Needs `perf` (Debian: linux-perf) and the release bench binary (cargo build --release --bins).
set -euo pipefail
cd "$(dirname "$0")"
input="${1:-customer}"
seconds="${2:-10}"
out="${PERF_DATA:-/tmp/stripe-bench-$input.perf.data}"
PROFILE_INPUT="$input" PROFILE_SECONDS="$seconds" \
  perf record -q -F 999 -o "$out" ./target/release/bench decode
perf report -i "$out" --stdio --no-children --sort symbol -F overhead,sym --percent-limit 1 2>/dev/null | sed "s/ *$//" \
  | grep -v "^#" | grep -v "^$" | sort -rn | head -40
