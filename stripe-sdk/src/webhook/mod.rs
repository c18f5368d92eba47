//! Webhooks: checking the `Stripe-Signature` header of a request and reading its typed [`Event`].
//!
//! Stripe signs every webhook request: the `Stripe-Signature` header holds a timestamp and one or
//! more HMAC-SHA256 signatures of `"{timestamp}.{raw body}"`, keyed with the endpoint's signing
//! secret (`whsec_…`). [`Webhook::construct_event`] checks them the way Stripe's official
//! libraries do (any matching lower-case hex `v1` signature is accepted, compared in constant
//! time; other schemes are ignored), rejects timestamps older than a tolerance (300 seconds by
//! default; timestamps in the future are accepted), and then decodes the body into an [`Event`]
//! whose `data.object` is an [`EventObject`].
//!
//! ```
//! use stripe_sdk::webhook::{sign_test_header, EventObject, Webhook};
//!
//! let payload = br#"{"id": "evt_1", "object": "event", "type": "customer.created",
//!     "created": 1692140000, "livemode": false, "api_version": "2023-08-16",
//!     "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null},
//!     "data": {"object": {"id": "cus_1", "object": "made_up_object"}}}"#;
//! // In a real handler: the raw request body, and the value of the `Stripe-Signature` header.
//! let header = sign_test_header(payload, "whsec_test", 1692140000);
//!
//! let webhook = Webhook::new("whsec_test")?.now(1692140010); // `now` only in tests
//! let event = webhook.construct_event(payload, Some(&header))?;
//! assert_eq!(event.type_.as_str(), "customer.created");
//! assert!(matches!(event.data.object, EventObject::Unknown(_)));
//! # Ok::<(), stripe_sdk::webhook::WebhookError>(())
//! ```
//!
//! The payload must be the request body exactly as received, byte for byte: a body that was parsed
//! and serialized again no longer matches its signature.
//!
//! Events are rendered in the webhook endpoint's API version, which may not be this SDK's
//! [`API_VERSION`](crate::API_VERSION): a verified event is returned even when its `data.object`
//! does not decode (then [`EventObject::Undecoded`], with the raw JSON and the error), and
//! [`Event::api_version_matches`] tells whether the versions agree.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

mod error;
mod event;
mod header;
mod hint;
mod notification;

pub use crate::{EventObject, EventType};
pub use error::{HeaderProblem, MismatchHint, WebhookError};
pub use event::{Event, EventData, EventParts, ObjectDecodeError, UndecodedObject};
use header::SignatureHeader;
pub use notification::{EventNotification, RelatedObject};

/// The name of the HTTP header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// The maximum age of a signature's timestamp unless set otherwise: 300 seconds, as in Stripe's
/// official libraries.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The largest payload whose signature mismatch gets a [`MismatchHint`] other than
/// [`MismatchHint::EmptyPayload`] and [`MismatchHint::NotASigningSecret`] (64 KiB; Stripe's events
/// are far smaller), so that rejecting a forged request never costs much more than accepting a
/// valid one.
pub const HINT_MAX_BYTES: usize = 64 * 1024;

/// The only signature scheme Stripe uses for live events; others (`v0`) are ignored.
const SCHEME: &str = "v1";

/// Checks webhook signatures with one or more endpoint secrets, and decodes events.
///
/// Its `Debug` output never shows the secrets.
#[derive(Clone)]
pub struct Webhook {
    secrets: Vec<String>,
    /// The maximum age of a timestamp; `None` when the time is not checked.
    tolerance: Option<Duration>,
    now: Option<i64>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secrets", &format_args!("[{} redacted]", self.secrets.len()))
            .field("tolerance", &self.tolerance)
            .field("now", &self.now)
            .finish()
    }
}

impl Webhook {
    /// A verifier for the endpoint with signing secret `secret` (`whsec_…`, from the dashboard or
    /// the `secret` of the created webhook endpoint), with the default tolerance of 300 seconds.
    ///
    /// An empty or blank secret (an unset environment variable read with `unwrap_or_default()`)
    /// is refused with [`WebhookError::EmptySecret`]: anyone can sign with the empty key.
    pub fn new(secret: impl Into<String>) -> Result<Webhook, WebhookError> {
        Ok(Webhook {
            secrets: vec![checked(secret)?],
            tolerance: Some(DEFAULT_TOLERANCE),
            now: None,
        })
    }

    /// Also accepts signatures made with `another` secret, for the time a rolled secret and its
    /// successor are both in use. An empty or blank secret is refused, as by [`Webhook::new`].
    pub fn with_secret(mut self, another: impl Into<String>) -> Result<Webhook, WebhookError> {
        self.secrets.push(checked(another)?);
        Ok(self)
    }

    /// The maximum age of a signature's timestamp (whole seconds; a timestamp exactly at the limit
    /// is accepted; `Duration::ZERO` accepts only the current second or later). Timestamps in the
    /// future are accepted, as by Stripe's official libraries, so a receiver whose clock runs
    /// behind still takes events.
    pub fn tolerance(mut self, tolerance: Duration) -> Webhook {
        self.tolerance = Some(tolerance);
        self
    }

    /// Does not check the timestamp at all (what a tolerance of 0 means in Stripe's official
    /// libraries): for replays of stored requests and for tests. The signature is still checked.
    pub fn ignore_tolerance(mut self) -> Webhook {
        self.tolerance = None;
        self
    }

    /// Uses `unix_seconds` as the current time instead of the system clock (for tests, or replays
    /// of stored requests).
    pub fn now(mut self, unix_seconds: i64) -> Webhook {
        self.now = Some(unix_seconds);
        self
    }

    /// Checks that `signature_header` (the value of the `Stripe-Signature` header) holds a `v1`
    /// signature of `payload` made with one of the secrets, and that its timestamp is not older
    /// than the tolerance.
    pub fn verify(&self, payload: &[u8], signature_header: &str) -> Result<(), WebhookError> {
        let header = SignatureHeader::parse(signature_header)?;
        if header.v1.is_empty() {
            return Err(WebhookError::NoV1Signature { schemes: header.other_schemes });
        }
        if !self.matches(header.timestamp_text, payload, &header.v1) {
            return Err(WebhookError::NoMatchingSignature {
                signatures: header.v1.len(),
                secrets: self.secrets.len(),
                hint: self.mismatch_hint(header.timestamp_text, payload, &header.v1),
            });
        }
        self.check_timestamp(header.timestamp)
    }

    /// Verifies the request like [`Webhook::verify`] (`signature_header` is `None` when the request
    /// has no `Stripe-Signature` header), then decodes the payload into an [`Event`]. A verified
    /// event whose envelope decodes always comes back; a `data.object` that does not fit its type
    /// is [`EventObject::Undecoded`].
    #[inline]
    pub fn construct_event(
        &self,
        payload: &[u8],
        signature_header: Option<&str>,
    ) -> Result<Event, WebhookError> {
        let header = signature_header.ok_or(WebhookError::MissingHeader)?;
        self.verify(payload, header)?;
        event::decode_event(payload)
    }

    fn current_time(&self) -> i64 {
        self.now.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
                .unwrap_or(0)
        })
    }

    /// Refuses a timestamp older than the tolerance; a future one is fine.
    fn check_timestamp(&self, timestamp: i64) -> Result<(), WebhookError> {
        let Some(tolerance) = self.tolerance else { return Ok(()) };
        let now = self.current_time();
        let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
        let age = now.saturating_sub(timestamp);
        if age > tolerance {
            return Err(WebhookError::TimestampTooOld { timestamp, now, age, tolerance });
        }
        Ok(())
    }

    /// Whether any `v1` signature is that of `payload` under any secret.
    fn matches(&self, timestamp: &str, payload: &[u8], v1: &[&str]) -> bool {
        let candidates: Vec<[u8; 32]> = v1.iter().filter_map(|hex| decode_hex(hex)).collect();
        if candidates.is_empty() {
            return false;
        }
        self.secrets.iter().any(|secret| {
            let Some(expected) = sign(secret.as_bytes(), timestamp, payload) else {
                return false;
            };
            candidates.iter().any(|candidate| bool::from(candidate.ct_eq(&expected)))
        })
    }
}

/// `secret`, unless it is empty or blank.
fn checked(secret: impl Into<String>) -> Result<String, WebhookError> {
    let secret = secret.into();
    if secret.trim().is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    Ok(secret)
}

/// A `Stripe-Signature` header value for `payload`, signed with `secret` at `timestamp`
/// (`t={timestamp},v1={signature}`): to test webhook handlers with events of your own.
pub fn sign_test_header(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let timestamp = timestamp.to_string();
    let signature = sign(secret.as_bytes(), &timestamp, payload)
        .map(|mac| encode_hex(&mac))
        .unwrap_or_default();
    format!("t={timestamp},{SCHEME}={signature}")
}

/// HMAC-SHA256 of `"{timestamp}.{payload}"` keyed with `secret`.
fn sign(secret: &[u8], timestamp: &str, payload: &[u8]) -> Option<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(payload);
    Some(mac.finalize().into_bytes().into())
}

fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// The 32 bytes of a 64-digit lower-case hex signature, or `None`: Stripe's official libraries
/// compare the lower-case hex HMAC, so an upper-case signature matches nothing.
fn decode_hex(text: &str) -> Option<[u8; 32]> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let text = text.as_bytes();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}
