//! Integration tests of the generated SDK, and what they share.

pub mod capture;
pub mod conformance;
pub mod deep;
pub mod expansions;
pub mod fixtures;
pub mod fuzz;
pub mod json;
pub use stripe_sdk_mock as mock;
#[rustfmt::skip]
pub mod operations;
#[rustfmt::skip]
pub mod resources;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes `json` as `T` and encodes it again.
pub type Roundtrip = fn(&Value) -> Result<Value, String>;

/// Decodes a JSON object into `T` (reporting the JSON path of a failure) and serializes it back.
pub fn roundtrip<T: DeserializeOwned + Serialize>(json: &Value) -> Result<Value, String> {
    let text = json.to_string();
    let decoded: T = serde_json::from_str(&text).map_err(|err| format!("decode: {err}"))?;
    serde_json::to_value(&decoded).map_err(|err| format!("encode: {err}"))
}

/// The workspace root.
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Into::into).unwrap_or_default()
}
