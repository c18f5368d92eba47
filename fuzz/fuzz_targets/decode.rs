//! `cargo +nightly fuzz run decode`: the `decode` target of `tests::fuzz` under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = tests::fuzz::decode::check(data) {
        panic!("{problem}");
    }
});
