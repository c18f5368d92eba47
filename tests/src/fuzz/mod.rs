//! Fuzz targets shared by the bounded CI run (`cargo run -p tests --bin fuzz`, inputs from a
//! seeded PRNG) and the cargo-fuzz targets in `fuzz/` (inputs from libFuzzer). Each target reads
//! what it needs from the input bytes through a [`Source`] and returns `Err` with a description
//! when a property does not hold; a panic is a failure too.

pub mod decode;
pub mod form;
pub mod json_params;
pub mod notification;
mod source;
pub mod webhook;

pub use source::Source;

/// The longest error message a target accepts: errors must not copy large inputs.
pub const MAX_MESSAGE: usize = 4096;
