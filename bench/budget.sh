#!/usr/bin/env bash
# Compile budgets of `stripe-sdk` alone (its dependencies built first), for this checkout and a
# baseline commit in one run, so that the ratios come from the same machine state:
#   CPU-seconds (user + sys of cargo and rustc) per operation, dev and release, full SDK;
#   CPU-seconds of a portal-only build (`--no-default-features --features billing_portal`);
#   CPU-seconds of what an application builds: stripe-sdk (default features) and a small binary
#   using it, the portal app (bench/src/bin/portal_ours.rs, one operation) and the webhook app
#   (bench/src/bin/webhook_ours.rs, `construct_event`, which decodes every event object type),
#   each checkout with its own copy of an app where it has one, other dependencies built first. Since bde2b8d
#   decoders are compiled in the crate that uses them, so these rows show what an application
#   pays, which the stripe-sdk rows alone no longer do.
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

# app DIR PROFILE NAME: the minimum user+sys seconds of rebuilding stripe-sdk and a throwaway
# binary crate whose main.rs is bench/src/bin/NAME_ours.rs, in DIR's target directory (so its
# other dependencies are the ones already built there) with DIR's Cargo.lock.
app() {
  local dir="$1" profile="$2" name="$3"
  local crate="$work/apps/$(basename "$dir")-$name"
  # The checkout's own copy of the app, else this checkout's (the webhook app's API is the same).
  local main="$dir/bench/src/bin/${name}_ours.rs"
  [ -f "$main" ] || main="$root/bench/src/bin/${name}_ours.rs"
  mkdir -p "$crate/src"
  cp "$main" "$crate/src/main.rs"
  cp "$dir/Cargo.lock" "$crate/Cargo.lock"
  cat >"$crate/Cargo.toml" <<EOF
[package]
name = "budget-$name"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
stripe-sdk = { path = "$dir/stripe-sdk" }
tokio = { version = "1", features = ["rt", "macros"] }
EOF
  (cd "$crate" && CARGO_TARGET_DIR="$dir/target" cargo build -q $profile >/dev/null)
  local best=""
  for _ in $(seq "$runs"); do
    (cd "$crate" && CARGO_TARGET_DIR="$dir/target" cargo clean -q -p stripe-sdk -p "budget-$name" $profile)
    local t
    t=$( { cd "$crate" && CARGO_TARGET_DIR="$dir/target" /usr/bin/time -f '%U %S' cargo build -q $profile >/dev/null; } 2>&1 | tail -n 1 | awk '{printf "%.1f", $1 + $2}')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; fi
  done
  echo "$best"
}

for name in portal webhook; do
  for profile in "" "--release"; do
    label="application: stripe-sdk + the $name app, ${profile:-dev}"
    base=$(app "$work/baseline" "$profile" "$name")
    this=$(app "$root" "$profile" "$name")
    awk -v n="$label" -v b="$base" -v t="$this" \
      'BEGIN{printf "| %s | %.1f CPU-s | %.1f CPU-s | | %.2fx |\n", n, b, t, t/b}'
  done
done
