//! Why a payload may not match its signature: told only after the signature failed, for small
//! payloads, in time linear in the payload and without re-serializing it, so that a forged
//! request costs about what a valid one does.

use serde::de::IgnoredAny;

use super::{MismatchHint, Webhook, HINT_MAX_BYTES};

impl Webhook {
    /// Why `payload` may not match any of `v1`, when that can be told cheaply.
    pub(super) fn mismatch_hint(
        &self,
        timestamp: &str,
        payload: &[u8],
        v1: &[&str],
    ) -> Option<MismatchHint> {
        if payload.is_empty() {
            return Some(MismatchHint::EmptyPayload);
        }
        if payload.len() <= HINT_MAX_BYTES {
            if let Some(hint) = self.text_hint(timestamp, payload, v1) {
                return Some(hint);
            }
        }
        if self.secrets.iter().any(|secret| !secret.starts_with("whsec_")) {
            return Some(MismatchHint::NotASigningSecret);
        }
        None
    }

    /// What the payload's text tells: not UTF-8, whitespace trimmed or added (checked against the
    /// signatures: one more HMAC), or compact JSON where Stripe sends it pretty-printed.
    fn text_hint(&self, timestamp: &str, payload: &[u8], v1: &[&str]) -> Option<MismatchHint> {
        let Ok(text) = std::str::from_utf8(payload) else {
            return Some(MismatchHint::NotUtf8);
        };
        let trimmed = text.trim();
        let padded = format!("{trimmed}\n");
        let candidates: [&str; 2] = [trimmed, &padded];
        let whitespace_changed = candidates
            .iter()
            .filter(|candidate| candidate.as_bytes() != payload)
            .any(|candidate| self.matches(timestamp, candidate.as_bytes(), v1));
        if whitespace_changed || (!trimmed.contains('\n') && is_json(trimmed)) {
            return Some(MismatchHint::Reserialized);
        }
        None
    }
}

/// Whether `text` is one JSON value (read without building it; serde_json limits the depth).
fn is_json(text: &str) -> bool {
    serde_json::from_str::<IgnoredAny>(text).is_ok()
}
