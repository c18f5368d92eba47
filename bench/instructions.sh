#!/usr/bin/env bash
# Instructions (and simulated branch mispredictions) per call, counted by valgrind: deterministic,
# unlike times on a shared machine, so a change's effect shows even when it is smaller than the
# timing noise. Needs valgrind and the release bench binary (cargo build --release --bins).
#   bash bench/instructions.sh decode [INPUT...]   per decode_json of each input (default: product
#                                                  payment_intent invoice), the PROFILE_INPUT loop
#   bash bench/instructions.sh request            per call of ours, the hand-written reqwest call
#                                                  and async-stripe (the ONLY=... loop of `request`)
set -euo pipefail
cd "$(dirname "$0")"
bin=${BENCH:-./target/release/bench}
# The count of one run: the program's total instructions, branch mispredictions, and the number
# of decodes it reports (0 for `request`).
count() {
  valgrind --tool=cachegrind --cache-sim=no --branch-sim=yes --cachegrind-out-file=/dev/null "$@" 2>&1 \
    | awk -F: '/I *refs/ {gsub(/[ ,]/, "", $2); i=$2}
               /Mispredicts/ {gsub(/[ ,]/, "", $2); split($2, m, "("); b=m[1]}
               / decodes of / {split($2, d, " "); n=d[1]}
               END {print i, b, n + 0}'
}
case "${1:-decode}" in
  decode)
    shift || true
    for one in ${@:-product payment_intent invoice}; do
      # The loop runs 10,000 decodes between clock checks: one second under valgrind is one batch
      # or a few; the run of 0 seconds (no decode) is the fixed cost subtracted.
      read -r i0 m0 _ < <(PROFILE_INPUT=$one PROFILE_SECONDS=0 count $bin decode)
      read -r i1 m1 n < <(PROFILE_INPUT=$one PROFILE_SECONDS=1 count $bin decode)
      echo "$one: $(( (i1 - i0) / n )) instructions, $(( (m1 - m0) / n )) mispredicted branches (simulated) per decode ($n decodes)"
    done
    ;;
  request)
    for client in ours raw theirs; do
      read -r i1 _ _ < <(ONLY=$client ONLY_CALLS=1000 count $bin request)
      read -r i2 _ _ < <(ONLY=$client ONLY_CALLS=2000 count $bin request)
      echo "$client: $(( (i2 - i1) / 1000 )) instructions per call (client and server threads, user space)"
    done
    ;;
  *) echo "usage: bash bench/instructions.sh decode [INPUT...] | request" >&2; exit 2 ;;
esac
