#!/usr/bin/env bash
# RUSTC_WRAPPER for compile.sh: runs rustc under /usr/bin/time and appends "<crate name> <user s>
# <sys s>" to $RUSTC_CPU_LOG, so that the CPU seconds of each crate (all of rustc's threads) can be
# summed exactly; `cargo build --timings` only gives each unit's wall-clock duration, which grows
# when other crates compile beside it.
name=-
args=("$@")
for ((i = 1; i < ${#args[@]}; i++)); do
    if [ "${args[$i]}" = "--crate-name" ]; then
        name=${args[$((i + 1))]}
    fi
done
exec /usr/bin/time -f "$name %U %S" -a -o "${RUSTC_CPU_LOG:?}" "$@"
