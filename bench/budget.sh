#!/usr/bin/env bash
# Compile budgets of `stripe-sdk` alone (its dependencies built first), for this checkout and a
# baseline commit in one run, so that the ratios come from the same machine state:
#   CPU-seconds (user + sys of cargo and rustc) per operation, dev and release, full SDK;
#   CPU-seconds of a portal-only build (`--no-default-features --features billing_portal`).
# Usage: bash bench/budget.sh [BASELINE_COMMIT]   (default: the last commit on the 2023-08-16 pin)
# Each build runs RUNS times (default 2); the table shows the minimum.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
baseline="${1:-d60484f}"
runs="${RUNS:-2}"
work="${WORK:-/tmp/stripe-budget}"
export CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never

mkdir -p "$work"
if [ ! -d "$work/baseline" ]; then
  git -C "$root" worktree add --detach "$work/baseline" "$baseline" >/dev/null
fi

operations() { grep -c 'operation_id:' "$1/tests/src/operations.rs"; }

# cpu DIR PROFILE_FLAG FEATURE_FLAGS...: the minimum user+sys seconds of rebuilding stripe-sdk.
cpu() {
  local dir="$1" profile="$2"; shift 2
  (cd "$dir" && cargo build -q -p stripe-sdk $profile "$@" >/dev/null)
  local best=""
  for _ in $(seq "$runs"); do
    (cd "$dir" && cargo clean -q -p stripe-sdk $profile)
    local t
    t=$( { cd "$dir" && /usr/bin/time -f '%U %S' cargo build -q -p stripe-sdk $profile "$@" >/dev/null; } 2>&1 | tail -n 1 | awk '{printf "%.1f", $1 + $2}')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; fi
  done
  echo "$best"
}

printf '| build | baseline (%s, %s ops) | this checkout (%s ops) | per operation, baseline / this | ratio |\n' \
  "$baseline" "$(operations "$work/baseline")" "$(operations "$root")"
printf '|---|---:|---:|---:|---:|\n'
for profile in "" "--release"; do
  name="full SDK, ${profile:-dev}"
  base=$(cpu "$work/baseline" "$profile")
  this=$(cpu "$root" "$profile")
  awk -v n="$name" -v b="$base" -v t="$this" -v bo="$(operations "$work/baseline")" -v to="$(operations "$root")" \
    'BEGIN{printf "| %s | %.1f CPU-s | %.1f CPU-s | %.3f / %.3f | %.2fx |\n", n, b, t, b/bo, t/to, (t/to)/(b/bo)}'
done
for profile in "" "--release"; do
  name="portal-only (billing_portal), ${profile:-dev}"
  base=$(cpu "$work/baseline" "$profile" --no-default-features --features billing_portal)
  this=$(cpu "$root" "$profile" --no-default-features --features billing_portal)
  awk -v n="$name" -v b="$base" -v t="$this" \
    'BEGIN{printf "| %s | %.1f CPU-s | %.1f CPU-s | | %.2fx |\n", n, b, t, t/b}'
done
