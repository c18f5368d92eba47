//! When to retry, and how long to wait: pure functions, so that they can be tested without a server.

use std::time::Duration;

/// The default delay before the first retry; each further retry doubles it.
pub(crate) const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(500);

/// The longest wait between two attempts, as a multiple of the base delay (0.5 s · 10 = 5 s).
const MAX_DELAY_FACTOR: u32 = 10;

/// The delay before retry number `retry` (0 for the first retry): `base · 2^retry`, capped at
/// `10 · base`, scaled by a jitter factor in `[0.5, 1]` computed from `jitter` (a number in
/// `[0, 1]`, normally random).
pub(crate) fn backoff(base: Duration, retry: u32, jitter: f64) -> Duration {
    let cap = base.saturating_mul(MAX_DELAY_FACTOR);
    let exponential = base.saturating_mul(2u32.saturating_pow(retry.min(31)));
    let delay = exponential.min(cap);
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 1.0 };
    Duration::try_from_secs_f64(delay.as_secs_f64() * (0.5 + 0.5 * jitter)).unwrap_or(delay)
}

/// Whether a response with this status deserves another attempt. `should_retry_header` is the
/// parsed `Stripe-Should-Retry` header, which overrides the status rules; `body` is read only for a
/// 429, which is retried only for a `lock_timeout` error code. Successes are never retried.
pub(crate) fn should_retry_response(
    status: u16,
    should_retry_header: Option<bool>,
    body: &[u8],
) -> bool {
    if (200..300).contains(&status) {
        return false;
    }
    if let Some(decision) = should_retry_header {
        return decision;
    }
    match status {
        409 => true,
        429 => error_code(body).as_deref() == Some("lock_timeout"),
        500..=599 => true,
        _ => false,
    }
}

/// Parses a `Stripe-Should-Retry` header value.
pub(crate) fn parse_should_retry(value: &str) -> Option<bool> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Some(true),
        v if v.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// `error.code` of a JSON error body, if the body is one.
fn error_code(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("error")?.get("code")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let base = Duration::from_millis(500);
        assert_eq!(backoff(base, 0, 1.0), Duration::from_millis(500));
        assert_eq!(backoff(base, 1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(base, 3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(base, 4, 1.0), Duration::from_secs(5));
        assert_eq!(backoff(base, u32::MAX, 1.0), Duration::from_secs(5));
        assert_eq!(backoff(base, 0, 0.0), Duration::from_millis(250));
        assert_eq!(backoff(base, 4, 0.0), Duration::from_millis(2500));
        assert_eq!(backoff(base, 1, f64::NAN), Duration::from_secs(1));
        assert_eq!(backoff(base, 1, 7.0), Duration::from_secs(1));
        assert_eq!(backoff(Duration::MAX, 3, 1.0), Duration::MAX);
    }

    #[test]
    fn retry_rules() {
        let lock = br#"{"error":{"code":"lock_timeout","type":"invalid_request_error"}}"#;
        assert!(!should_retry_response(200, Some(true), b""));
        assert!(should_retry_response(500, None, b""));
        assert!(should_retry_response(503, None, b"<html>"));
        assert!(should_retry_response(409, None, b""));
        assert!(should_retry_response(429, None, lock));
        assert!(!should_retry_response(429, None, br#"{"error":{"code":"rate_limit"}}"#));
        assert!(!should_retry_response(429, None, b"not json"));
        assert!(!should_retry_response(400, None, b""));
        assert!(should_retry_response(400, Some(true), b""));
        assert!(!should_retry_response(500, Some(false), b""));
        assert_eq!(parse_should_retry(" TRUE "), Some(true));
        assert_eq!(parse_should_retry("false"), Some(false));
        assert_eq!(parse_should_retry("maybe"), None);
    }
}
