//! Why a webhook request was rejected, or its event could not be read.

use std::fmt;

/// Why a webhook request was rejected, or its event could not be read.
///
/// No variant holds or shows an endpoint secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A secret given to [`Webhook::new`](super::Webhook::new) or
    /// [`Webhook::with_secret`](super::Webhook::with_secret) is empty (or blank): an
    /// unset environment variable, say. Any event signed with the empty key would verify.
    #[error(
        "the webhook endpoint secret is empty; set it to the endpoint's signing secret (`whsec_…`)"
    )]
    EmptySecret,
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
    /// that is wrong. (A timestamp in the future is accepted, as by Stripe's official libraries.)
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
    /// The signature is valid but the payload is not JSON.
    #[error("the payload is not valid JSON: {0}")]
    InvalidJson(#[source] serde_json::Error),
    /// The payload is JSON but its envelope does not decode as an [`Event`](super::Event).
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
    /// The payload was probably parsed and serialized again before verification: with leading
    /// or trailing whitespace removed or added it matches a signature, or it is JSON on a single
    /// line while Stripe sends events pretty-printed. Told only for payloads up to
    /// [`HINT_MAX_BYTES`](super::HINT_MAX_BYTES), and without re-serializing anything.
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
