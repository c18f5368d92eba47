//! The headers every request carries that need care: the idempotency key, the `Authorization`
//! value (marked sensitive), and values checked to be printable ASCII.

use reqwest::header::{HeaderMap, HeaderValue};

use super::guard;
use super::secret::SecretKey;
use crate::error::Error;

/// A random (version 4) UUID to use as an idempotency key. Its bytes come from `fastrand`, whose
/// per-thread generator is seeded from the OS once, instead of a system call per request: a key
/// must be unique, not secret.
pub(super) fn idempotency_key() -> String {
    let bytes = fastrand::u128(..).to_le_bytes();
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// The `Authorization` header for a key, or why there is none.
pub(super) fn bearer(key: &SecretKey) -> Result<HeaderValue, Error> {
    if key.expose().is_empty() {
        return Err(Error::Config(
            "no API key: give one to Client::new or in RequestOptions::api_key".to_owned(),
        ));
    }
    authorization(key).map_err(|_| {
        Error::Config("the API key contains characters that HTTP headers do not allow".to_owned())
    })
}

/// `Bearer <key>`, marked sensitive; `Err` for a key that is not printable ASCII.
pub(super) fn authorization(key: &SecretKey) -> Result<HeaderValue, ()> {
    let text = format!("Bearer {}", key.expose());
    let mut value = header_text_value(&text).ok_or(())?;
    value.set_sensitive(true);
    Ok(value)
}

/// A header value from printable ASCII text (see [`guard::is_header_text`]).
pub(super) fn header_text_value(value: &str) -> Option<HeaderValue> {
    guard::is_header_text(value).then(|| HeaderValue::from_str(value).ok()).flatten()
}

pub(super) fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    header_text_value(value).ok_or_else(|| {
        Error::Config(format!(
            "the {name} header value contains characters that HTTP headers do not allow (only printable ASCII is sent)"
        ))
    })
}

pub(super) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    #[test]
    fn idempotency_keys_are_distinct_version_4_uuids() {
        let keys: Vec<String> = (0..1000).map(|_| super::idempotency_key()).collect();
        for key in &keys {
            let uuid = uuid::Uuid::parse_str(key).expect("a UUID");
            assert_eq!(uuid.get_version_num(), 4, "{key}");
            assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{key}");
        }
        let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len());
    }
}
