//! `cargo +nightly fuzz run form`: the `form` target of `tests::fuzz` under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = tests::fuzz::form::check(data) {
        panic!("{problem}");
    }
});
