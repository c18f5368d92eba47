//! Webhooks: checking the `Stripe-Signature` header of a request and reading its typed [`Event`].
//!
//! Stripe signs every webhook request: the `Stripe-Signature` header holds a timestamp and one or
//! more HMAC-SHA256 signatures of `"{timestamp}.{raw body}"`, keyed with the endpoint's signing
//! secret (`whsec_…`). [`Webhook::construct_event`] checks them the way Stripe's official
//! libraries do (any matching `v1` signature is accepted, compared in constant time; other schemes
//! are ignored), rejects timestamps outside a tolerance (300 seconds by default, in the past *and*
//! in the future), and then decodes the body into an [`Event`] whose `data.object` is an
//! [`EventObject`].
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
//! let webhook = Webhook::new("whsec_test").now(1692140010); // `now` only in tests
//! let event = webhook.construct_event(payload, Some(&header))?;
//! assert_eq!(event.type_.as_str(), "customer.created");
//! assert!(matches!(event.data.object, EventObject::Unknown(_)));
//! # Ok::<(), stripe_sdk::webhook::WebhookError>(())
//! ```
//!
//! The payload must be the request body exactly as received, byte for byte: a body that was parsed
//! and serialized again no longer matches its signature.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::runtime::de;

pub use crate::{EventObject, EventType};

/// The name of the HTTP header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// How far a signature's timestamp may be from the current time unless set otherwise: 300 seconds,
/// as in Stripe's official libraries.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The only signature scheme Stripe uses for live events; others (`v0`) are ignored.
const SCHEME: &str = "v1";

/// A webhook event, as Stripe sends it to an endpoint: `data.object` is typed by its `object`
/// field, and `type` is an [`EventType`].
#[derive(Clone)]
pub struct Event {
    /// Unique identifier of the event (`evt_…`).
    pub id: String,
    /// What happened (`customer.created`); types this version does not know are
    /// [`EventType::Unknown`].
    pub type_: EventType,
    /// When the event was created.
    pub created: crate::Timestamp,
    /// Whether the event happened in live mode.
    pub livemode: bool,
    /// The API version `data` is rendered with (that of the webhook endpoint).
    pub api_version: Option<String>,
    /// The connected account the event happened on, for Connect endpoints.
    pub account: Option<String>,
    /// The object the event is about, and what changed.
    pub data: EventData,
    /// The API request that caused the event, if any.
    pub request: Option<crate::NotificationEventRequest>,
    /// How many webhook deliveries of this event are still pending.
    pub pending_webhooks: i64,
}

impl crate::HasId for Event {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The `data` of an [`Event`].
#[derive(Clone)]
pub struct EventData {
    /// The object as it is after the event, decoded by its `object` field; objects of types this
    /// version does not know are [`EventObject::Unknown`], with their raw JSON.
    pub object: EventObject,
    /// For `*.updated` events, the previous values of the fields that changed.
    pub previous_attributes: Option<serde_json::Value>,
}

de::decode_struct! {
    Event {
        id: String = "id" => required,
        type_: EventType = "type" => required,
        created: crate::Timestamp = "created" => required,
        livemode: bool = "livemode" => required,
        api_version: String = "api_version" => nullable,
        account: String = "account" => optional,
        data: EventData = "data" => required,
        request: crate::NotificationEventRequest = "request" => nullable,
        pending_webhooks: i64 = "pending_webhooks" => or_default,
    }
}

de::decode_struct! {
    EventData {
        object: EventObject = "object" => required,
        previous_attributes: serde_json::Value = "previous_attributes" => optional,
    }
}

/// Checks webhook signatures with one or more endpoint secrets, and decodes events.
///
/// Its `Debug` output never shows the secrets.
#[derive(Clone)]
pub struct Webhook {
    secrets: Vec<String>,
    tolerance: Duration,
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
    pub fn new(secret: impl Into<String>) -> Webhook {
        Webhook { secrets: vec![secret.into()], tolerance: DEFAULT_TOLERANCE, now: None }
    }

    /// Also accepts signatures made with `another` secret, for the time a rolled secret and its
    /// successor are both in use.
    pub fn with_secret(mut self, another: impl Into<String>) -> Webhook {
        self.secrets.push(another.into());
        self
    }

    /// How far a signature's timestamp may be from the current time, in the past or in the
    /// future (whole seconds; a timestamp exactly at the limit is accepted).
    pub fn tolerance(mut self, tolerance: Duration) -> Webhook {
        self.tolerance = tolerance;
        self
    }

    /// Uses `unix_seconds` as the current time instead of the system clock (for tests, or replays
    /// of stored requests).
    pub fn now(mut self, unix_seconds: i64) -> Webhook {
        self.now = Some(unix_seconds);
        self
    }

    /// Checks that `signature_header` (the value of the `Stripe-Signature` header) holds a `v1`
    /// signature of `payload` made with one of the secrets, and that its timestamp is within the
    /// tolerance.
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
    /// has no `Stripe-Signature` header), then decodes the payload into an [`Event`].
    pub fn construct_event(
        &self,
        payload: &[u8],
        signature_header: Option<&str>,
    ) -> Result<Event, WebhookError> {
        let header = signature_header.ok_or(WebhookError::MissingHeader)?;
        self.verify(payload, header)?;
        decode_event(payload)
    }

    fn current_time(&self) -> i64 {
        self.now.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
                .unwrap_or(0)
        })
    }

    fn check_timestamp(&self, timestamp: i64) -> Result<(), WebhookError> {
        let now = self.current_time();
        let tolerance = i64::try_from(self.tolerance.as_secs()).unwrap_or(i64::MAX);
        let age = now.saturating_sub(timestamp);
        if age > tolerance {
            return Err(WebhookError::TimestampTooOld { timestamp, now, age, tolerance });
        }
        let ahead = timestamp.saturating_sub(now);
        if ahead > tolerance {
            return Err(WebhookError::TimestampInFuture { timestamp, now, ahead, tolerance });
        }
        Ok(())
    }

    /// Whether any `v1` signature is that of `payload` under any secret.
    fn matches(&self, timestamp: &str, payload: &[u8], v1: &[&str]) -> bool {
        let candidates: Vec<Option<[u8; 32]>> = v1.iter().map(|hex| decode_hex(hex)).collect();
        self.secrets.iter().any(|secret| {
            let Some(expected) = sign(secret.as_bytes(), timestamp, payload) else {
                return false;
            };
            candidates.iter().flatten().any(|candidate| bool::from(candidate.ct_eq(&expected)))
        })
    }

    /// Why a payload may not match its signature, when that can be told.
    fn mismatch_hint(&self, timestamp: &str, payload: &[u8], v1: &[&str]) -> Option<MismatchHint> {
        if payload.is_empty() {
            return Some(MismatchHint::EmptyPayload);
        }
        let Ok(text) = std::str::from_utf8(payload) else {
            return Some(MismatchHint::NotUtf8);
        };
        // Does the body as Stripe would have formatted it match? Then this one was re-serialized
        // (`JSON.stringify(req.body)`, a framework's JSON extractor, a trimmed body…).
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
            let compact = serde_json::to_string(&value).unwrap_or_default();
            let candidates = [format!("{pretty}\n"), pretty, compact, text.trim().to_owned()];
            let reserialized = candidates
                .iter()
                .filter(|candidate| candidate.as_bytes() != payload)
                .any(|candidate| self.matches(timestamp, candidate.as_bytes(), v1));
            if reserialized {
                return Some(MismatchHint::Reserialized);
            }
        }
        if self.secrets.iter().any(|secret| !secret.starts_with("whsec_")) {
            return Some(MismatchHint::NotASigningSecret);
        }
        None
    }
}

/// Decodes a verified payload into an [`Event`], naming the JSON path of a failure.
fn decode_event(payload: &[u8]) -> Result<Event, WebhookError> {
    let event: Event = de::decode_json(payload).map_err(|err| match err.error.classify() {
        serde_json::error::Category::Data => {
            WebhookError::Decode { path: err.path, source: err.error }
        }
        _ => WebhookError::InvalidJson(err.error),
    })?;
    Ok(event)
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

/// The 32 bytes of a 64-digit hex signature (either case), or `None`.
fn decode_hex(text: &str) -> Option<[u8; 32]> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
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

/// The parts of a `Stripe-Signature` header.
struct SignatureHeader<'a> {
    timestamp: i64,
    /// The timestamp as written in the header, which is what was signed.
    timestamp_text: &'a str,
    v1: Vec<&'a str>,
    /// The other schemes present (`v0`, …), for the error when there is no `v1`.
    other_schemes: Vec<String>,
}

impl<'a> SignatureHeader<'a> {
    fn parse(header: &'a str) -> Result<SignatureHeader<'a>, WebhookError> {
        let malformed = |problem| Err(WebhookError::MalformedHeader(problem));
        if header.trim().is_empty() {
            return malformed(HeaderProblem::Empty);
        }
        let mut timestamp = None;
        let mut v1 = Vec::new();
        let mut other_schemes = Vec::new();
        // Items without `=` are ignored, like unknown schemes.
        for (key, value) in header.split(',').filter_map(|item| item.split_once('=')) {
            let (key, value) = (key.trim(), value.trim());
            match key {
                "t" if timestamp.is_some() => return malformed(HeaderProblem::SeveralTimestamps),
                "t" => timestamp = Some(value),
                SCHEME => v1.push(value),
                other => {
                    let other = shorten(other);
                    if !other_schemes.contains(&other) {
                        other_schemes.push(other);
                    }
                }
            }
        }
        let Some(timestamp_text) = timestamp else {
            return malformed(HeaderProblem::NoTimestamp);
        };
        let parsed =
            if !timestamp_text.is_empty() && timestamp_text.bytes().all(|b| b.is_ascii_digit()) {
                timestamp_text.parse::<i64>().ok()
            } else {
                None
            };
        let Some(timestamp) = parsed else {
            return malformed(HeaderProblem::BadTimestamp(shorten(timestamp_text)));
        };
        Ok(SignatureHeader { timestamp, timestamp_text, v1, other_schemes })
    }
}

/// At most 40 characters of header text, for error messages.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Why a webhook request was rejected, or its event could not be read.
///
/// No variant holds or shows an endpoint secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no `Stripe-Signature` header.
    #[error("the request has no `Stripe-Signature` header; is it really from Stripe?")]
    MissingHeader,
    /// The `Stripe-Signature` header cannot be read.
    #[error("malformed `Stripe-Signature` header: {0}")]
    MalformedHeader(HeaderProblem),
    /// The header has no `v1` signature (only other schemes, such as `v0`, or none).
    #[error(
        "the `Stripe-Signature` header has no `v1` signature{}",
        if schemes.is_empty() { String::new() } else { format!(" (only {})", schemes.join(", ")) }
    )]
    NoV1Signature {
        /// The other schemes the header has.
        schemes: Vec<String>,
    },
    /// No `v1` signature is the payload's signature with any of the secrets.
    #[error(
        "no signature matches the payload: {signatures} `v1` signature(s) checked against {secrets} endpoint secret(s){}",
        hint.map(|hint| format!("; {hint}")).unwrap_or_default()
    )]
    NoMatchingSignature {
        /// How many `v1` signatures the header has.
        signatures: usize,
        /// How many secrets were tried.
        secrets: usize,
        /// What probably went wrong, when it can be told.
        hint: Option<MismatchHint>,
    },
    /// The signature is valid but older than the tolerance allows: a replayed request, or a clock
    /// that is wrong.
    #[error(
        "the signature's timestamp ({timestamp}) is {age} seconds old, {} seconds beyond the tolerance of {tolerance} seconds (now is {now})",
        age.saturating_sub(*tolerance)
    )]
    TimestampTooOld {
        /// The header's timestamp.
        timestamp: i64,
        /// The current time.
        now: i64,
        /// `now - timestamp`, in seconds.
        age: i64,
        /// The tolerance, in seconds.
        tolerance: i64,
    },
    /// The signature is valid but its timestamp is further in the future than the tolerance
    /// allows: a clock that is wrong.
    #[error(
        "the signature's timestamp ({timestamp}) is {ahead} seconds in the future, {} seconds beyond the tolerance of {tolerance} seconds (now is {now}); is a clock wrong?",
        ahead.saturating_sub(*tolerance)
    )]
    TimestampInFuture {
        /// The header's timestamp.
        timestamp: i64,
        /// The current time.
        now: i64,
        /// `timestamp - now`, in seconds.
        ahead: i64,
        /// The tolerance, in seconds.
        tolerance: i64,
    },
    /// The signature is valid but the payload is not JSON.
    #[error("the payload is not valid JSON: {0}")]
    InvalidJson(#[source] serde_json::Error),
    /// The payload is JSON but does not decode as an [`Event`].
    #[error("the event does not decode at `{path}`: {source}")]
    Decode {
        /// Where in the payload decoding failed (`data.object.email`, or `.` for the top level).
        path: String,
        /// What failed.
        #[source]
        source: serde_json::Error,
    },
}

/// What is wrong with a `Stripe-Signature` header.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// The header is empty.
    Empty,
    /// The header has no `t=` timestamp.
    NoTimestamp,
    /// The header has more than one `t=` timestamp.
    SeveralTimestamps,
    /// The timestamp is not a number of seconds (the text found, shortened).
    BadTimestamp(String),
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderProblem::Empty => {
                f.write_str("it is empty; expected `t=<timestamp>,v1=<signature>`")
            }
            HeaderProblem::NoTimestamp => {
                f.write_str("it has no `t=` timestamp; expected `t=<timestamp>,v1=<signature>`")
            }
            HeaderProblem::SeveralTimestamps => f.write_str("it has more than one `t=` timestamp"),
            HeaderProblem::BadTimestamp(text) => {
                write!(
                    f,
                    "the timestamp `t={text}` is not a number of seconds since the Unix epoch"
                )
            }
        }
    }
}

/// What probably caused a signature mismatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MismatchHint {
    /// The payload is empty: the request body was probably read before, or not passed on.
    EmptyPayload,
    /// The payload is not UTF-8, which Stripe's JSON always is: it was altered on the way.
    NotUtf8,
    /// The payload, formatted as Stripe formats JSON, matches a signature: it was parsed and
    /// serialized again before verification.
    Reserialized,
    /// A secret does not start with `whsec_`: it is probably not the endpoint's signing secret
    /// (an API key, say).
    NotASigningSecret,
}

impl fmt::Display for MismatchHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MismatchHint::EmptyPayload => {
                "the payload is empty; pass the raw request body, byte for byte (was the body already read?)"
            }
            MismatchHint::NotUtf8 => {
                "the payload is not valid UTF-8; it must be the raw request body, byte for byte, not re-encoded"
            }
            MismatchHint::Reserialized => {
                "the payload must be the raw request body, byte for byte; it looks like it was parsed and re-serialized"
            }
            MismatchHint::NotASigningSecret => {
                "a secret does not start with `whsec_`; use the webhook endpoint's signing secret, not an API key"
            }
        })
    }
}
