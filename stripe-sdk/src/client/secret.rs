//! The API key, kept out of every `Debug` output.

use std::fmt;

/// A Stripe API key. Its `Debug` shows at most the key's public prefix (`sk_test_…(redacted)`),
/// and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SecretKey(String);

impl SecretKey {
    pub(crate) fn new(key: String) -> SecretKey {
        SecretKey(key)
    }

    /// The key itself, only for the `Authorization` header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// Stripe's key prefixes, which say what kind of key it is but nothing secret.
const PREFIXES: [&str; 6] =
    ["sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_"];

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match PREFIXES.iter().find(|prefix| self.0.starts_with(*prefix)) {
            Some(prefix) => write!(f, "\"{prefix}…(redacted)\""),
            None => f.write_str("\"[redacted]\""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SecretKey;

    #[test]
    fn debug_never_shows_the_key() {
        let key = SecretKey::new("sk_test_51abcSECRET".into());
        assert_eq!(format!("{key:?}"), "\"sk_test_…(redacted)\"");
        let other = SecretKey::new("whatever-SECRET".into());
        assert_eq!(format!("{other:?}"), "\"[redacted]\"");
        assert_eq!(other.expose(), "whatever-SECRET");
    }
}
