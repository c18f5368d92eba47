#!/usr/bin/env bash
# Compile-time, memory, generated-size and binary-size comparison of stripe-sdk against
# async-stripe 1.0.0-rc.10, for two builds of the same "portal app" per SDK:
#   - full:   the whole SDK enabled (ours: default features + blocking; async-stripe: all 11 API
#             crates with `full`). Neither side's optional serde features are on: ours
#             `serialize` / `deserialize`, theirs `serialize` / `deserialize`;
#   - portal: only what billing portal sessions need (ours: `default-features = false,
#             features = ["billing_portal"]`; async-stripe: `async-stripe-billing` with
#             `billing_portal_session`).
#
#   bash bench/compile.sh                        # dev + release, all four apps (8 clean builds)
#   PROFILES=release APPS="ours-full ours-portal" bash bench/compile.sh
#
# Each build is a clean `cargo build --timings` of a throwaway crate in $WORK, in its own fresh
# --target-dir, under /usr/bin/time -v. The throwaway crate is the "portal app": a binary that only
# creates billing portal sessions (the same source as bench/src/bin/portal_*.rs), so the release
# build also gives the binary size. Two per-crate measures: "unit-s", each unit's duration from
# the UNIT_DATA JSON embedded in target/cargo-timings/cargo-timing-*.html (wall-clock, so it grows
# when other crates compile beside it), and "rustc CPU-s", the user+sys time of each rustc process
# (all its threads), recorded by bench/rustc-cpu.sh as RUSTC_WRAPPER.
set -euo pipefail

WORK="${WORK:-/tmp/stripe-compile-bench}"
# Build from a clone of the committed HEAD, so that edits in the working tree during the (long)
# run cannot leak into it.
rm -rf "$WORK/repo"
mkdir -p "$WORK"
git clone -q "$(cd "$(dirname "$0")/.." && pwd)" "$WORK/repo"
REPO="$WORK/repo"
PROFILES="${PROFILES:-dev release}"
JOBS="${JOBS:-2}"
APPS="${APPS:-ours-full ours-portal async-stripe-full async-stripe-portal}"
V=1.0.0-rc.10
mkdir -p "$WORK"

make_project() { # name, main.rs, deps
    local dir="$WORK/$1"
    rm -rf "$dir"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "portal-$1"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
tokio = { version = "1", features = ["rt", "macros"] }
$3
EOF
    cp "$REPO/bench/src/bin/$2" "$dir/src/main.rs"
}

make_project ours-full portal_ours.rs \
    "stripe-sdk = { path = \"$REPO/stripe-sdk\", features = [\"blocking\"] }"
make_project ours-portal portal_ours.rs \
    "stripe-sdk = { path = \"$REPO/stripe-sdk\", default-features = false, features = [\"billing_portal\"] }"

THEIR_CRATES="billing checkout connect core fraud issuing misc payment product terminal treasury"
their_client="async-stripe = { version = \"=$V\", default-features = false, features = [\"rustls-tls-webpki-roots\", \"rustls-ring\"] }"
deps="$their_client"
for c in $THEIR_CRATES; do
    deps+=$'\n'"async-stripe-$c = { version = \"=$V\", features = [\"full\"] }"
done
make_project async-stripe-full portal_async_stripe.rs "$deps"
make_project async-stripe-portal portal_async_stripe.rs \
    "$their_client"$'\n'"async-stripe-billing = { version = \"=$V\", features = [\"billing_portal_session\"] }"

summarise_timings() { # html file -> "total_cpu_s sdk_cpu_s top packages"
    python3 - "$1" "$2" <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
m = re.search(r'UNIT_DATA\s*=\s*(\[.*?\]);', html, re.S)
units = json.loads(m.group(1))
per = {}
for u in units:
    per[u["name"]] = per.get(u["name"], 0.0) + float(u["duration"])
total = sum(per.values())
pat = re.compile(sys.argv[2])
sdk = sum(v for k, v in per.items() if pat.search(k))
top = sorted(per.items(), key=lambda kv: -kv[1])[:6]
print(f"{total:.1f} {sdk:.1f} " + ",".join(f"{k}={v:.1f}s" for k, v in top))
EOF
}

sum_cpu() { # rustc-cpu.sh log, crate-name regex -> CPU seconds of the matching crates
    awk -v pat="$2" '$1 ~ pat { s += $2 + $3 } END { printf "%.1f", s }' "$1"
}

RESULTS="$WORK/results-${PROFILES// /-}.tsv"
printf "sdk\tprofile\twall_s\tmax_rss_mb\tcpu_s_all_units\tcpu_s_sdk_crates\tsdk_rustc_cpu_s\tuser+sys_s\ttop_units\n" >"$RESULTS"
for sdk in $APPS; do
    # Package names for the timings; library (crate) names for rustc-cpu.sh: async-stripe's are
    # stripe, stripe_shared, stripe_billing, …
    case "$sdk" in ours*) pat='^stripe-sdk$'; cpu_pat='^stripe_sdk$' ;; *) pat='^async-stripe'; cpu_pat='^stripe' ;; esac
    for profile in $PROFILES; do
        dir="$WORK/$sdk"
        tdir="$WORK/target-$sdk-$profile"
        rm -rf "$tdir" "$dir/target"
        flag=""; [ "$profile" = release ] && flag="--release"
        echo "== $sdk $profile" >&2
        cpu_log="$WORK/rustc-cpu-$sdk-$profile.log"
        rm -f "$cpu_log"
        (cd "$dir" && RUSTC_WRAPPER="$REPO/bench/rustc-cpu.sh" RUSTC_CPU_LOG="$cpu_log" \
            /usr/bin/time -v cargo build $flag -j "$JOBS" --timings --target-dir "$tdir" \
            2>"$WORK/build-$sdk-$profile.log") || { tail -20 "$WORK/build-$sdk-$profile.log"; exit 1; }
        log="$WORK/build-$sdk-$profile.log"
        wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
        rss=$(grep 'Maximum resident set size' "$log" | awk '{printf "%.0f", $NF/1024}')
        user=$(grep 'User time' "$log" | awk '{print $NF}')
        sys=$(grep 'System time' "$log" | awk '{print $NF}')
        html=$(ls -t "$tdir"/cargo-timings/cargo-timing-*.html 2>/dev/null | head -1)
        [ -n "$html" ] || html=$(ls -t "$dir"/target/cargo-timings/cargo-timing-*.html | head -1)
        read -r total sdkcpu top < <(summarise_timings "$html" "$pat")
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$sdk" "$profile" "$wall" "$rss" "$total" "$sdkcpu" \
            "$(sum_cpu "$cpu_log" "$cpu_pat")" \
            "$(python3 -c "print(round($user+$sys,1))")" "$top" >>"$RESULTS"
        if [ "$profile" = release ]; then
            bin="$tdir/release/portal-$sdk"
            cp "$bin" "$WORK/portal-$sdk.stripped"
            strip "$WORK/portal-$sdk.stripped"
            printf "binary\tportal-%s\t%s bytes\tstripped %s bytes\n" "$sdk" "$(stat -c %s "$bin")" \
                "$(stat -c %s "$WORK/portal-$sdk.stripped")" >>"$RESULTS"
        fi
    done
done

# Generated source lines per operation.
ours_lines=$(find "$REPO/stripe-sdk/src/generated" -name '*.rs' -print0 | xargs -0 cat | wc -l)
reg=$(ls -d "$HOME"/.cargo/registry/src/*/ | head -1)
their_lines=0
for c in $THEIR_CRATES shared; do
    n=$(find "$reg/async-stripe-$c-$V/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
    their_lines=$((their_lines + n))
done
python3 - "$ours_lines" "$their_lines" >>"$RESULTS" <<'EOF'
import sys
o, t = int(sys.argv[1]), int(sys.argv[2])
print(f"lines\tours {o} / 468 ops = {o/468:.0f} per op\tasync-stripe {t} / 565 ops = {t/565:.0f} per op\tratio {o/468/(t/565):.2f}x")
EOF
column -t -s $'\t' "$RESULTS"
