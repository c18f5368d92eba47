//! Reading a `Stripe-Signature` header (`t=<timestamp>,v1=<signature>,…`), in one pass.

use super::{HeaderProblem, WebhookError, SCHEME};
use crate::error::shorten;

/// How much of a malformed header an error quotes.
const QUOTED_CHARS: usize = 40;

/// How many distinct other schemes an error names; the rest are counted, not listed, so that
/// parsing stays linear in the header's length however many schemes it has.
const LISTED_SCHEMES: usize = 8;

/// The parts of a `Stripe-Signature` header.
pub(super) struct SignatureHeader<'a> {
    pub(super) timestamp: i64,
    /// The timestamp as written in the header, which is what was signed.
    pub(super) timestamp_text: &'a str,
    pub(super) v1: Vec<&'a str>,
    /// The first few other schemes present (`v0`, …), for the error when there is no `v1`.
    pub(super) other_schemes: Vec<String>,
}

impl<'a> SignatureHeader<'a> {
    pub(super) fn parse(header: &'a str) -> Result<SignatureHeader<'a>, WebhookError> {
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
                other if other_schemes.len() < LISTED_SCHEMES => {
                    let other = shorten(other, QUOTED_CHARS);
                    if !other_schemes.contains(&other) {
                        other_schemes.push(other);
                    }
                }
                _ => {}
            }
        }
        let Some(timestamp_text) = timestamp else {
            return malformed(HeaderProblem::NoTimestamp);
        };
        let Some(timestamp) = parse_timestamp(timestamp_text) else {
            return malformed(HeaderProblem::BadTimestamp(shorten(timestamp_text, QUOTED_CHARS)));
        };
        Ok(SignatureHeader { timestamp, timestamp_text, v1, other_schemes })
    }
}

/// Seconds since the epoch: ASCII digits only (no sign), fitting an `i64`.
fn parse_timestamp(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i64>().ok()
}
