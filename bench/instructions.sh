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
# The count of one run: the program's total instructions and branch mispredictions.
count() {
  valgrind --tool=cachegrind --cache-sim=no --branch-sim=yes --cachegrind-out-file=/dev/null "$@" 2>&1 \
    | awk -F: '/I *refs/ {gsub(/[ ,]/, "", $2); i=$2} /Mispredicts/ {gsub(/[ ,]/, "", $2); split($2, m, "("); b=m[1]} END {print i, b}'
}
case "${1:-decode}" in
  decode)
    shift || true
    for input in "${@:-product payment_intent invoice}"; do
      for one in $input; do
        # The loop runs 10,000 decodes between clock checks: one second under valgrind is one
        # batch or a few; the run with 0 seconds (no decode) is the fixed cost subtracted.
        read -r i0 m0 < <(PROFILE_INPUT=$one PROFILE_SECONDS=0 count $bin decode)
        out=$(PROFILE_INPUT=$one PROFILE_SECONDS=1 valgrind --tool=cachegrind --cache-sim=no --branch-sim=yes --cachegrind-out-file=/dev/null $bin decode 2>&1)
        n=$(echo "$out" | grep -o '[0-9]* decodes' | cut -d' ' -f1)
        i1=$(echo "$out" | awk -F: '/I *refs/ {gsub(/[ ,]/, "", $2); print $2}')
        m1=$(echo "$out" | awk -F: '/Mispredicts/ {gsub(/[ ,]/, "", $2); split($2, m, "("); print m[1]}')
        echo "$one: $(( (i1 - i0) / n )) instructions, $(( (m1 - m0) / n )) mispredicted branches (simulated) per decode ($n decodes)"
      done
    done
    ;;
  request)
    for client in ours raw theirs; do
      read -r i1 m1 < <(ONLY=$client ONLY_CALLS=1000 count $bin request)
      read -r i2 m2 < <(ONLY=$client ONLY_CALLS=2000 count $bin request)
      echo "$client: $(( (i2 - i1) / 1000 )) instructions per call (client and server threads, user space)"
    done
    ;;
  *) echo "usage: bash bench/instructions.sh decode [INPUT...] | request" >&2; exit 2 ;;
esac
