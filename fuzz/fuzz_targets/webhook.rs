//! `cargo +nightly fuzz run webhook`: the `webhook` target of `tests::fuzz` under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = tests::fuzz::webhook::check(data) {
        panic!("{problem}");
    }
});
