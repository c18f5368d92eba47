//! Webhook signature verification (`stripe_sdk::webhook::Webhook`) and the typed `Event`, including
//! every resource example of `fixtures3.json` carried in an event.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};
use stripe_sdk::webhook::{
    sign_test_header, Event, EventObject, EventType, HeaderProblem, MismatchHint, Webhook,
    WebhookError, DEFAULT_TOLERANCE, HINT_MAX_BYTES, SIGNATURE_HEADER,
};

const SECRET: &str = "whsec_test_secret";
const OTHER_SECRET: &str = "whsec_other_secret";
const NOW: i64 = 1_692_140_000;

fn webhook() -> Webhook {
    with_secret(SECRET).now(NOW)
}

/// A verifier for `secret`, which the tests know is not empty.
fn with_secret(secret: &str) -> Webhook {
    Webhook::new(secret).expect("a non-empty secret")
}

/// An event envelope around `object`, pretty-printed as Stripe sends it.
fn event_payload(event_type: &str, object: Value) -> Vec<u8> {
    let event = json!({
        "id": "evt_1",
        "object": "event",
        "type": event_type,
        "created": NOW,
        "livemode": false,
        "api_version": "2023-08-16",
        "pending_webhooks": 0,
        "request": {"id": null, "idempotency_key": null},
        "data": {"object": object},
    });
    serde_json::to_string_pretty(&event).expect("a JSON value serializes").into_bytes()
}

fn customer_payload() -> Vec<u8> {
    event_payload(
        "customer.created",
        json!({"id": "cus_1", "object": "made_up_object", "email": "a@b.c"}),
    )
}

fn header(payload: &[u8], timestamp: i64) -> String {
    sign_test_header(payload, SECRET, timestamp)
}

/// The hex signature of a header made by `sign_test_header`.
fn signature(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let header = sign_test_header(payload, secret, timestamp);
    header.split_once(",v1=").map(|(_, sig)| sig.to_owned()).expect("a v1 signature")
}

fn verify_err(webhook: &Webhook, payload: &[u8], header: &str) -> WebhookError {
    match webhook.verify(payload, header) {
        Ok(()) => panic!("`{header}` verified"),
        Err(err) => err,
    }
}

fn construct_err(payload: &[u8], header: &str) -> WebhookError {
    match webhook().construct_event(payload, Some(header)) {
        Ok(event) => panic!("decoded {event:?}"),
        Err(err) => err,
    }
}

fn mismatch_hint(err: &WebhookError) -> Option<MismatchHint> {
    match err {
        WebhookError::NoMatchingSignature { hint, .. } => *hint,
        other => panic!("expected NoMatchingSignature, got {other:?}"),
    }
}

fn fixtures() -> BTreeMap<String, Value> {
    tests::fixtures::all().clone()
}

fn fixture(resource: &str) -> Value {
    tests::fixtures::get(resource)
}

/// Signs an event carrying `object` and constructs it back.
fn signed_event(event_type: &str, object: Value) -> Event {
    let payload = event_payload(event_type, object);
    webhook()
        .construct_event(&payload, Some(&header(&payload, NOW)))
        .unwrap_or_else(|err| panic!("{err}"))
}

/// The variant name of an `EventObject` (from its `Debug`).
fn variant_name(object: &EventObject) -> String {
    let debug = format!("{object:?}");
    debug.split('(').next().unwrap_or_default().to_owned()
}

/// `billing_portal.session` → `BillingPortalSession`.
fn upper_camel(resource: &str) -> String {
    resource
        .split(['.', '_'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

// ---- valid signatures ----

#[test]
fn a_valid_signature_verifies() {
    let payload = customer_payload();
    assert!(webhook().verify(&payload, &header(&payload, NOW)).is_ok());
}

#[test]
fn construct_event_decodes_the_envelope() {
    let payload = customer_payload();
    let event = webhook().construct_event(&payload, Some(&header(&payload, NOW))).expect("valid");
    assert_eq!(event.id, "evt_1");
    assert_eq!(event.type_, EventType::from("customer.created"));
    assert_eq!(event.type_.as_str(), "customer.created");
    assert_eq!(event.created, NOW);
    assert!(!event.livemode);
    assert_eq!(event.api_version.as_deref(), Some("2023-08-16"));
    assert_eq!(event.account, None);
    assert_eq!(event.pending_webhooks, 0);
    assert_eq!(event.request.as_ref().and_then(|request| request.id.clone()), None);
    assert!(event.data.previous_attributes.is_none());
}

#[test]
fn a_known_test_vector_verifies() {
    // HMAC-SHA256("whsec_test_secret", "1492774577.{\"id\": \"evt_test\"}"), computed independently.
    let header = "t=1492774577,v1=9cd9b9866f890d44beea3cacd2e70f88c4a822eebc7b13495732174589be6cfc";
    let webhook = with_secret(SECRET).now(1_492_774_577);
    assert!(webhook.verify(br#"{"id": "evt_test"}"#, header).is_ok());
    assert_eq!(sign_test_header(br#"{"id": "evt_test"}"#, SECRET, 1_492_774_577), header);
}

#[test]
fn the_second_of_several_v1_signatures_may_match() {
    let payload = customer_payload();
    let wrong = signature(&payload, OTHER_SECRET, NOW);
    let right = signature(&payload, SECRET, NOW);
    assert!(webhook().verify(&payload, &format!("t={NOW},v1={wrong},v1={right}")).is_ok());
}

#[test]
fn unknown_schemes_and_v0_are_ignored_next_to_v1() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    let header = format!(
        "t={NOW},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39,v2=abc,foo=bar,v1={right}"
    );
    assert!(webhook().verify(&payload, &header).is_ok());
}

#[test]
fn header_order_does_not_matter() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    assert!(webhook().verify(&payload, &format!("v1={right},t={NOW}")).is_ok());
}

#[test]
fn whitespace_around_header_items_is_ignored() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    assert!(webhook().verify(&payload, &format!("  t = {NOW} ,  v1 = {right}  ")).is_ok());
    assert!(webhook().verify(&payload, &format!("t={NOW},\tv1={right}\n")).is_ok());
}

#[test]
fn header_items_without_an_equals_sign_are_ignored() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    assert!(webhook().verify(&payload, &format!("t={NOW},garbage,,v1={right}")).is_ok());
}

#[test]
fn uppercase_hex_signatures_are_rejected_like_the_official_libraries() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    assert!(right.bytes().any(|b| b.is_ascii_alphabetic()), "the signature has hex letters");
    let upper = right.to_uppercase();
    let err = verify_err(&webhook(), &payload, &format!("t={NOW},v1={upper}"));
    assert!(matches!(err, WebhookError::NoMatchingSignature { .. }), "{err:?}");
    // One upper-case letter is enough to refuse it; the lower-case one next to it still matches.
    let one_upper = right.replacen(|c: char| c.is_ascii_alphabetic(), "A", 1);
    assert_ne!(one_upper, right);
    assert!(webhook().verify(&payload, &format!("t={NOW},v1={one_upper}")).is_err());
    assert!(webhook().verify(&payload, &format!("t={NOW},v1={upper},v1={right}")).is_ok());
}

#[test]
fn sign_test_header_round_trips() {
    let payload = customer_payload();
    let header = sign_test_header(&payload, SECRET, NOW);
    let (t, v1) = header.split_once(',').expect("two items");
    assert_eq!(t, format!("t={NOW}"));
    let hex = v1.strip_prefix("v1=").expect("a v1 item");
    assert_eq!(hex.len(), 64);
    assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    let event = webhook().construct_event(&payload, Some(&header)).expect("round trip");
    assert_eq!(event.id, "evt_1");
}

#[test]
fn verification_works_with_the_system_clock() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .expect("after 1970");
    let payload = customer_payload();
    assert!(with_secret(SECRET).verify(&payload, &header(&payload, now)).is_ok());
    let err = verify_err(&with_secret(SECRET), &payload, &header(&payload, NOW));
    assert!(matches!(err, WebhookError::TimestampTooOld { .. }), "{err:?}");
}

#[test]
fn constants_are_as_documented() {
    assert_eq!(SIGNATURE_HEADER, "Stripe-Signature");
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
}

// ---- header errors ----

#[test]
fn a_missing_header_is_reported() {
    let payload = customer_payload();
    let err = webhook().construct_event(&payload, None).expect_err("no header");
    assert!(matches!(err, WebhookError::MissingHeader), "{err:?}");
    assert!(err.to_string().contains("no `Stripe-Signature` header"), "{err}");
}

#[test]
fn an_empty_header_is_malformed() {
    let err = verify_err(&webhook(), b"{}", "");
    assert!(matches!(err, WebhookError::MalformedHeader(HeaderProblem::Empty)), "{err:?}");
    assert!(err.to_string().contains("empty"), "{err}");
}

#[test]
fn a_blank_header_is_malformed() {
    let err = verify_err(&webhook(), b"{}", "  \t ");
    assert!(matches!(err, WebhookError::MalformedHeader(HeaderProblem::Empty)), "{err:?}");
}

#[test]
fn a_header_without_timestamp_is_malformed() {
    let payload = customer_payload();
    let err = verify_err(&webhook(), &payload, &format!("v1={}", signature(&payload, SECRET, NOW)));
    assert!(matches!(err, WebhookError::MalformedHeader(HeaderProblem::NoTimestamp)), "{err:?}");
    assert!(err.to_string().contains("no `t=` timestamp"), "{err}");
}

#[test]
fn a_header_of_garbage_has_no_timestamp() {
    let err = verify_err(&webhook(), b"{}", "not a signature header");
    assert!(matches!(err, WebhookError::MalformedHeader(HeaderProblem::NoTimestamp)), "{err:?}");
}

#[test]
fn a_non_numeric_timestamp_is_malformed() {
    let err = verify_err(&webhook(), b"{}", "t=yesterday,v1=abc");
    assert_eq!(
        format!("{err:?}"),
        format!(
            "{:?}",
            WebhookError::MalformedHeader(HeaderProblem::BadTimestamp("yesterday".into()))
        )
    );
    assert!(err.to_string().contains("`t=yesterday` is not a number"), "{err}");
}

#[test]
fn an_empty_negative_or_huge_timestamp_is_malformed() {
    for bad in ["", "-5", "+5", "1.5", "99999999999999999999999"] {
        let err = verify_err(&webhook(), b"{}", &format!("t={bad},v1=abc"));
        assert!(
            matches!(&err, WebhookError::MalformedHeader(HeaderProblem::BadTimestamp(text)) if text == bad),
            "{bad}: {err:?}"
        );
    }
}

#[test]
fn a_long_bad_timestamp_is_shortened_in_the_error() {
    let long = "x".repeat(500);
    let err = verify_err(&webhook(), b"{}", &format!("t={long},v1=abc"));
    assert!(err.to_string().len() < 200, "{err}");
}

#[test]
fn two_timestamps_are_malformed() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    let err = verify_err(&webhook(), &payload, &format!("t={NOW},t={NOW},v1={right}"));
    assert!(
        matches!(err, WebhookError::MalformedHeader(HeaderProblem::SeveralTimestamps)),
        "{err:?}"
    );
}

#[test]
fn a_header_without_signatures_has_no_v1() {
    let err = verify_err(&webhook(), b"{}", &format!("t={NOW}"));
    assert!(
        matches!(&err, WebhookError::NoV1Signature { schemes } if schemes.is_empty()),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "the `Stripe-Signature` header has no `v1` signature");
}

#[test]
fn a_v0_signature_alone_is_not_enough() {
    let payload = customer_payload();
    // Even a "v0" that is a correct HMAC is ignored: only v1 counts.
    let v0 = signature(&payload, SECRET, NOW);
    let err = verify_err(&webhook(), &payload, &format!("t={NOW},v0={v0},v0=other,x=1"));
    assert!(
        matches!(&err, WebhookError::NoV1Signature { schemes } if schemes == &["v0", "x"]),
        "{err:?}"
    );
    assert!(err.to_string().contains("(only v0, x)"), "{err}");
}

// ---- signature mismatches ----

#[test]
fn a_wrong_secret_does_not_match() {
    let payload = customer_payload();
    let err = verify_err(&with_secret(OTHER_SECRET).now(NOW), &payload, &header(&payload, NOW));
    assert!(
        matches!(err, WebhookError::NoMatchingSignature { signatures: 1, secrets: 1, hint: None }),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("no signature matches the payload"), "{err}");
}

#[test]
fn no_matching_signature_among_several() {
    let payload = customer_payload();
    let a = signature(&payload, OTHER_SECRET, NOW);
    let b = signature(&payload, "whsec_third", NOW);
    let err = verify_err(&webhook(), &payload, &format!("t={NOW},v1={a},v1={b}"));
    assert!(matches!(err, WebhookError::NoMatchingSignature { signatures: 2, .. }), "{err:?}");
}

#[test]
fn a_tampered_payload_does_not_match() {
    let payload = customer_payload();
    let header = header(&payload, NOW);
    let tampered = String::from_utf8(payload).expect("utf-8").replace("a@b.c", "evil@b.c");
    let err = verify_err(&webhook(), tampered.as_bytes(), &header);
    assert_eq!(mismatch_hint(&err), None);
}

#[test]
fn a_tampered_timestamp_does_not_match() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    let err = verify_err(&webhook(), &payload, &format!("t={},v1={right}", NOW + 1));
    assert!(matches!(err, WebhookError::NoMatchingSignature { .. }), "{err:?}");
}

#[test]
fn the_signature_is_checked_before_the_timestamp() {
    let payload = customer_payload();
    let err =
        verify_err(&with_secret(OTHER_SECRET).now(NOW), &payload, &header(&payload, NOW - 10_000));
    assert!(matches!(err, WebhookError::NoMatchingSignature { .. }), "{err:?}");
}

#[test]
fn truncated_or_non_hex_signatures_do_not_match() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    for bad in [
        &right[..63],
        &right[..10],
        "",
        "zz",
        &format!("{right}00"),
        &right.replace(|c: char| c.is_ascii_digit(), "g"),
    ] {
        let err = verify_err(&webhook(), &payload, &format!("t={NOW},v1={bad}"));
        assert!(matches!(err, WebhookError::NoMatchingSignature { .. }), "{bad}: {err:?}");
    }
}

#[test]
fn a_reserialized_compact_payload_gets_a_hint() {
    let payload = customer_payload();
    let header = header(&payload, NOW);
    let value: Value = serde_json::from_slice(&payload).expect("JSON");
    let compact = serde_json::to_vec(&value).expect("serializes");
    let err = verify_err(&webhook(), &compact, &header);
    assert_eq!(mismatch_hint(&err), Some(MismatchHint::Reserialized));
    assert!(
        err.to_string().contains(
            "the payload must be the raw request body, byte for byte; it looks like it was parsed and re-serialized"
        ),
        "{err}"
    );
}

#[test]
fn a_trimmed_payload_gets_the_reserialized_hint() {
    let mut payload = customer_payload();
    payload.push(b'\n');
    let header = header(&payload, NOW);
    let err = verify_err(&webhook(), &payload[..payload.len() - 1], &header);
    assert_eq!(mismatch_hint(&err), Some(MismatchHint::Reserialized));
}

#[test]
fn a_payload_with_padding_added_gets_the_reserialized_hint() {
    let payload = customer_payload();
    let header = header(&payload, NOW);
    let mut padded = b"  ".to_vec();
    padded.extend_from_slice(&payload);
    padded.extend_from_slice(b"\r\n");
    let err = verify_err(&webhook(), &padded, &header);
    assert_eq!(mismatch_hint(&err), Some(MismatchHint::Reserialized));
}

#[test]
fn a_non_utf8_payload_gets_a_hint() {
    let payload = customer_payload();
    let header = header(&payload, NOW);
    let mut latin1 = payload.clone();
    latin1.push(0xE9);
    let err = verify_err(&webhook(), &latin1, &header);
    assert_eq!(mismatch_hint(&err), Some(MismatchHint::NotUtf8));
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");
}

#[test]
fn an_empty_payload_gets_a_hint() {
    let header = header(&customer_payload(), NOW);
    let err = verify_err(&webhook(), b"", &header);
    assert_eq!(mismatch_hint(&err), Some(MismatchHint::EmptyPayload));
    assert!(err.to_string().contains("payload is empty"), "{err}");
}

#[test]
fn a_secret_that_is_not_a_signing_secret_gets_a_hint() {
    let payload = customer_payload();
    let err =
        verify_err(&with_secret("sk_test_51SECRETKEY").now(NOW), &payload, &header(&payload, NOW));
    assert_eq!(mismatch_hint(&err), Some(MismatchHint::NotASigningSecret));
    assert!(
        !err.to_string().contains("SECRETKEY") && !format!("{err:?}").contains("SECRETKEY"),
        "{err}"
    );
}

// ---- secret rotation ----

#[test]
fn the_second_secret_matches_after_rotation() {
    let payload = customer_payload();
    let webhook =
        with_secret(OTHER_SECRET).with_secret(SECRET).expect("a non-empty secret").now(NOW);
    assert!(webhook.verify(&payload, &header(&payload, NOW)).is_ok());
    assert!(webhook.verify(&payload, &sign_test_header(&payload, OTHER_SECRET, NOW)).is_ok());
}

#[test]
fn rotation_with_no_matching_secret_reports_how_many_were_tried() {
    let payload = customer_payload();
    let webhook =
        with_secret(OTHER_SECRET).with_secret("whsec_third").expect("a non-empty secret").now(NOW);
    let err = verify_err(&webhook, &payload, &header(&payload, NOW));
    assert!(matches!(err, WebhookError::NoMatchingSignature { secrets: 2, .. }), "{err:?}");
    assert!(err.to_string().contains("2 endpoint secret(s)"), "{err}");
}

// ---- tolerance ----

#[test]
fn a_timestamp_exactly_at_the_tolerance_is_accepted() {
    let payload = customer_payload();
    assert!(webhook().verify(&payload, &header(&payload, NOW - 300)).is_ok());
}

#[test]
fn a_timestamp_one_second_too_old_is_rejected() {
    let payload = customer_payload();
    let err = verify_err(&webhook(), &payload, &header(&payload, NOW - 301));
    assert!(
        matches!(err, WebhookError::TimestampTooOld { age: 301, tolerance: 300, now: NOW, timestamp } if timestamp == NOW - 301),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("301 seconds old")
            && message.contains("1 seconds beyond the tolerance of 300"),
        "{message}"
    );
}

#[test]
fn a_timestamp_in_the_future_within_tolerance_is_accepted() {
    let payload = customer_payload();
    assert!(webhook().verify(&payload, &header(&payload, NOW + 300)).is_ok());
    assert!(webhook().verify(&payload, &header(&payload, NOW + 1)).is_ok());
}

#[test]
fn a_timestamp_far_in_the_future_is_accepted_like_the_official_libraries() {
    // A receiver whose clock runs behind must not drop every event.
    let payload = customer_payload();
    assert!(webhook().verify(&payload, &header(&payload, NOW + 301)).is_ok());
    assert!(webhook().verify(&payload, &header(&payload, NOW + 86_400)).is_ok());
    assert!(webhook().verify(&payload, &header(&payload, i64::MAX)).is_ok());
}

#[test]
fn a_very_old_timestamp_is_rejected() {
    let payload = customer_payload();
    let err = verify_err(&webhook(), &payload, &header(&payload, 0));
    assert!(matches!(err, WebhookError::TimestampTooOld { age: NOW, .. }), "{err:?}");
}

#[test]
fn a_custom_tolerance_is_applied() {
    let payload = customer_payload();
    let webhook = webhook().tolerance(Duration::from_secs(10));
    assert!(webhook.verify(&payload, &header(&payload, NOW - 10)).is_ok());
    assert!(webhook.verify(&payload, &header(&payload, NOW + 10)).is_ok());
    let err = verify_err(&webhook, &payload, &header(&payload, NOW - 11));
    assert!(matches!(err, WebhookError::TimestampTooOld { age: 11, tolerance: 10, .. }), "{err:?}");
}

#[test]
fn a_zero_tolerance_means_zero_seconds_old() {
    let payload = customer_payload();
    let webhook = webhook().tolerance(Duration::ZERO);
    assert!(webhook.verify(&payload, &header(&payload, NOW)).is_ok());
    assert!(webhook.verify(&payload, &header(&payload, NOW + 1)).is_ok());
    let err = verify_err(&webhook, &payload, &header(&payload, NOW - 1));
    assert!(matches!(err, WebhookError::TimestampTooOld { age: 1, tolerance: 0, .. }), "{err:?}");
}

#[test]
fn ignore_tolerance_skips_the_time_check_only() {
    let payload = customer_payload();
    let webhook = webhook().ignore_tolerance();
    assert!(webhook.verify(&payload, &header(&payload, 0)).is_ok());
    assert!(webhook.verify(&payload, &header(&payload, NOW - 1_000_000)).is_ok());
    assert!(webhook.verify(&payload, &header(&payload, i64::MAX)).is_ok());
    // The signature still counts.
    let forged = sign_test_header(&payload, OTHER_SECRET, 0);
    let err = verify_err(&webhook, &payload, &forged);
    assert!(matches!(err, WebhookError::NoMatchingSignature { .. }), "{err:?}");
    // A tolerance set afterwards turns the check on again.
    let webhook = webhook.tolerance(Duration::from_secs(300));
    assert!(webhook.verify(&payload, &header(&payload, 0)).is_err());
}

#[test]
fn a_huge_tolerance_does_not_overflow() {
    let payload = customer_payload();
    let webhook = webhook().tolerance(Duration::from_secs(u64::MAX));
    assert!(webhook.verify(&payload, &header(&payload, 0)).is_ok());
    assert!(webhook.verify(&payload, &header(&payload, i64::MAX)).is_ok());
}

// ---- the secret ----

#[test]
fn an_empty_secret_is_refused_when_built() {
    let err = Webhook::new("").expect_err("an empty secret");
    assert!(matches!(err, WebhookError::EmptySecret), "{err:?}");
    assert!(err.to_string().contains("secret is empty"), "{err}");
    // An unset environment variable read the easy way.
    let unset = std::env::var("STRIPE_WEBHOOK_SECRET_THAT_IS_NEVER_SET").unwrap_or_default();
    assert!(matches!(Webhook::new(unset), Err(WebhookError::EmptySecret)));
}

#[test]
fn a_blank_secret_is_refused() {
    for blank in [" ", "\t", "\n", "   \r\n"] {
        assert!(matches!(Webhook::new(blank), Err(WebhookError::EmptySecret)), "{blank:?}");
    }
}

#[test]
fn an_empty_rotated_secret_is_refused() {
    let err = with_secret(SECRET).with_secret("").expect_err("an empty secret");
    assert!(matches!(err, WebhookError::EmptySecret), "{err:?}");
}

#[test]
fn an_event_signed_with_the_empty_key_never_verifies() {
    // What `Webhook::new("")` used to accept: anyone can compute this signature.
    let payload = customer_payload();
    let forged = sign_test_header(&payload, "", NOW);
    let err = verify_err(&webhook(), &payload, &forged);
    assert!(matches!(err, WebhookError::NoMatchingSignature { .. }), "{err:?}");
}

// ---- the cost of a rejection ----

/// A pretty-printed event whose object holds `items` arrays nested `depth` deep.
fn nested_payload(items: usize, depth: usize) -> Vec<u8> {
    let one = format!("{}0{}", "[".repeat(depth), "]".repeat(depth));
    let text = String::from_utf8(event_payload(
        "customer.created",
        json!({"id": "cus_1", "object": "made_up_object", "nested": "@"}),
    ))
    .expect("utf-8");
    text.replace("\"@\"", &format!("[{}]", vec![one; items].join(","))).into_bytes()
}

#[test]
fn a_large_reserialized_payload_gets_no_reserialized_hint() {
    // Above HINT_MAX_BYTES the payload is not examined: no parse, no re-serialization.
    let payload = nested_payload(600, 100);
    assert!(payload.len() > HINT_MAX_BYTES, "{} bytes", payload.len());
    let header = header(&payload, NOW);
    let value: Value = serde_json::from_slice(&payload).expect("JSON");
    let compact = serde_json::to_vec(&value).expect("serializes");
    assert!(compact.len() > HINT_MAX_BYTES);
    let err = verify_err(&webhook(), &compact, &header);
    assert_eq!(mismatch_hint(&err), None, "{err}");
}

#[test]
fn a_small_compact_payload_gets_the_hint_without_being_re_serialized() {
    // Compact JSON on one line, just under the limit: told from its text alone.
    let payload = nested_payload(200, 100);
    let value: Value = serde_json::from_slice(&payload).expect("JSON");
    let compact = serde_json::to_vec(&value).expect("serializes");
    assert!(compact.len() <= HINT_MAX_BYTES, "{} bytes", compact.len());
    let err = verify_err(&webhook(), &compact, &header(&payload, NOW));
    assert_eq!(mismatch_hint(&err), Some(MismatchHint::Reserialized));
}

#[test]
fn a_forged_pretty_printed_payload_gets_no_reserialized_hint() {
    let payload = customer_payload();
    let forged = sign_test_header(&payload, OTHER_SECRET, NOW);
    let err = verify_err(&webhook(), &payload, &forged);
    assert_eq!(mismatch_hint(&err), None, "{err}");
}

#[test]
fn a_forged_deeply_nested_payload_is_rejected() {
    let payload = nested_payload(4_000, 120);
    let forged = format!("t={NOW},v1={}", "ab".repeat(32));
    let err = verify_err(&webhook(), &payload, &forged);
    assert!(
        matches!(err, WebhookError::NoMatchingSignature { signatures: 1, secrets: 1, hint: None }),
        "{err:?}"
    );
    assert!(webhook().verify(&payload, &header(&payload, NOW)).is_ok());
}

#[test]
fn the_hint_limit_is_as_documented() {
    assert_eq!(HINT_MAX_BYTES, 64 * 1024);
}

// ---- header parsing ----

#[test]
fn many_unknown_schemes_still_verify() {
    let payload = customer_payload();
    let right = signature(&payload, SECRET, NOW);
    let mut header = format!("t={NOW}");
    for i in 0..100_000 {
        header.push_str(&format!(",x{i}=0"));
    }
    header.push_str(&format!(",v1={right}"));
    assert!(webhook().verify(&payload, &header).is_ok());
}

#[test]
fn a_header_of_many_unknown_schemes_lists_only_the_first_few() {
    let payload = customer_payload();
    let mut header = format!("t={NOW}");
    for i in 0..100_000 {
        header.push_str(&format!(",x{i}=0,x{i}=1"));
    }
    let err = verify_err(&webhook(), &payload, &header);
    match &err {
        WebhookError::NoV1Signature { schemes } => {
            assert_eq!(schemes, &["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"]);
        }
        other => panic!("expected NoV1Signature, got {other:?}"),
    }
}

// ---- secrets stay secret ----

#[test]
fn debug_of_webhook_hides_the_secrets() {
    let webhook = with_secret("whsec_FIRSTSECRET")
        .with_secret("whsec_SECONDSECRET")
        .expect("a non-empty secret")
        .now(NOW);
    let debug = format!("{webhook:?} {webhook:#?}");
    assert!(!debug.contains("FIRSTSECRET") && !debug.contains("SECONDSECRET"), "{debug}");
    assert!(debug.contains("2 redacted"), "{debug}");
}

#[test]
fn errors_never_show_the_secret() {
    let payload = customer_payload();
    let webhook = with_secret("whsec_FIRSTSECRET").now(NOW);
    for header in [
        String::new(),
        "t=x".into(),
        format!("t={NOW}"),
        header(&payload, NOW),
        header(&payload, 0),
    ] {
        if let Err(err) = webhook.verify(&payload, &header) {
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("FIRSTSECRET"), "{shown}");
        }
    }
}

// ---- decoding after a valid signature ----

#[test]
fn a_signed_payload_that_is_not_json_is_reported() {
    let payload = b"not json at all";
    let err = construct_err(payload, &header(payload, NOW));
    assert!(matches!(err, WebhookError::InvalidJson(_)), "{err:?}");
    assert!(err.to_string().starts_with("the payload is not valid JSON: expected"), "{err}");
}

#[test]
fn a_signed_empty_payload_is_not_json() {
    let err = construct_err(b"", &header(b"", NOW));
    assert!(matches!(err, WebhookError::InvalidJson(_)), "{err:?}");
    assert!(err.to_string().contains("EOF"), "{err}");
}

#[test]
fn a_signed_non_utf8_payload_is_not_json() {
    let payload = b"{\"id\": \"\xE9\"}";
    let err = construct_err(payload, &header(payload, NOW));
    assert!(matches!(err, WebhookError::InvalidJson(_)), "{err:?}");
}

#[test]
fn trailing_data_after_the_event_is_not_json() {
    let mut payload = customer_payload();
    payload.extend_from_slice(b" {}");
    let err = construct_err(&payload, &header(&payload, NOW));
    assert!(matches!(err, WebhookError::InvalidJson(_)), "{err:?}");
    assert!(err.to_string().contains("trailing characters"), "{err}");
}

#[test]
fn a_decode_failure_names_the_field() {
    let payload = String::from_utf8(customer_payload())
        .expect("utf-8")
        .replace(&format!("\"created\": {NOW}"), "\"created\": \"yesterday\"");
    let err = construct_err(payload.as_bytes(), &header(payload.as_bytes(), NOW));
    assert!(matches!(&err, WebhookError::Decode { path, .. } if path == "created"), "{err:?}");
    assert!(
        err.to_string().starts_with("the event does not decode at `created`: invalid type: string"),
        "{err}"
    );
}

#[test]
fn a_missing_envelope_field_is_named() {
    let payload = serde_json::to_vec(
        &json!({"id": "evt_1", "type": "customer.created", "created": NOW, "livemode": false, "api_version": null}),
    )
    .expect("JSON");
    let err = construct_err(&payload, &header(&payload, NOW));
    assert!(matches!(&err, WebhookError::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("missing field `data`"), "{err}");
}

// ---- events rendered in another API version ----

/// A customer event as an endpoint pinned to another API version might render it: `created` is a
/// string, which our `Customer` does not take.
fn customer_from_another_version() -> Value {
    let mut customer = fixture("customer");
    customer["created"] = json!("2099-01-01T00:00:00Z");
    customer
}

fn event_in_version(api_version: &str, object: Value) -> Vec<u8> {
    let mut envelope: Value =
        serde_json::from_slice(&event_payload("customer.updated", object)).expect("JSON");
    envelope["api_version"] = json!(api_version);
    serde_json::to_vec_pretty(&envelope).expect("JSON")
}

#[test]
fn an_object_that_does_not_decode_still_gives_the_verified_event() {
    let object = customer_from_another_version();
    let payload = event_in_version("2099-01-01", object.clone());
    let event = webhook().construct_event(&payload, Some(&header(&payload, NOW))).expect("event");
    assert_eq!(event.id, "evt_1");
    assert_eq!(event.type_, EventType::CustomerUpdated);
    assert_eq!(event.api_version.as_deref(), Some("2099-01-01"));
    assert!(!event.api_version_matches());
    match &event.data.object {
        EventObject::Undecoded(undecoded) => {
            assert_eq!(undecoded.raw, object);
            assert_eq!(undecoded.object_type(), Some("customer"));
            assert_eq!(undecoded.id(), object["id"].as_str());
            assert_eq!(undecoded.error.path, "data.object.created");
            assert!(
                undecoded.error.message.contains("invalid type: string"),
                "{:?}",
                undecoded.error
            );
            assert!(undecoded.error.to_string().starts_with("at `data.object.created`: "));
        }
        other => panic!("expected Undecoded, got {other:?}"),
    }
}

#[test]
fn an_undecoded_object_in_a_nested_field_names_the_path() {
    let mut object = fixture("customer");
    object["invoice_settings"] = json!({"custom_fields": "none"});
    let event = signed_event("customer.updated", object);
    match &event.data.object {
        EventObject::Undecoded(undecoded) => {
            assert_eq!(undecoded.error.path, "data.object.invoice_settings.custom_fields")
        }
        other => panic!("expected Undecoded, got {other:?}"),
    }
}

#[test]
fn an_object_without_a_required_field_is_undecoded_not_an_error() {
    let mut object = fixture("customer");
    object.as_object_mut().expect("an object").remove("created");
    let event = signed_event("customer.updated", object);
    match &event.data.object {
        EventObject::Undecoded(undecoded) => {
            assert!(
                undecoded.error.message.contains("missing field `created`"),
                "{:?}",
                undecoded.error
            )
        }
        other => panic!("expected Undecoded, got {other:?}"),
    }
}

#[test]
fn an_event_in_the_sdk_version_matches_and_decodes() {
    let payload = event_in_version(stripe_sdk::API_VERSION, fixture("customer"));
    let event = webhook().construct_event(&payload, Some(&header(&payload, NOW))).expect("event");
    assert!(event.api_version_matches());
    assert_eq!(stripe_sdk::API_VERSION, "2026-01-28.clover");
    assert!(matches!(event.data.object, EventObject::Customer(_)));
}

#[test]
fn an_event_without_api_version_does_not_match() {
    let mut envelope: Value =
        serde_json::from_slice(&event_payload("customer.updated", fixture("customer")))
            .expect("JSON");
    envelope["api_version"] = Value::Null;
    let payload = serde_json::to_vec_pretty(&envelope).expect("JSON");
    let event = webhook().construct_event(&payload, Some(&header(&payload, NOW))).expect("event");
    assert_eq!(event.api_version, None);
    assert!(!event.api_version_matches());
}

#[test]
fn a_request_rendered_as_a_string_in_an_old_version_is_kept() {
    // Before API version 2017-05-25 an event's `request` was the request id.
    let mut envelope: Value =
        serde_json::from_slice(&event_in_version("2017-02-14", customer_from_another_version()))
            .expect("JSON");
    envelope["request"] = json!("req_old");
    let payload = serde_json::to_vec_pretty(&envelope).expect("JSON");
    let event = webhook().construct_event(&payload, Some(&header(&payload, NOW))).expect("event");
    assert_eq!(event.request.and_then(|request| request.id).as_deref(), Some("req_old"));
    assert!(matches!(event.data.object, EventObject::Undecoded(_)));
}

#[test]
fn an_envelope_that_does_not_decode_is_still_an_error() {
    let mut envelope: Value =
        serde_json::from_slice(&event_in_version("2099-01-01", customer_from_another_version()))
            .expect("JSON");
    envelope["livemode"] = json!("no");
    let payload = serde_json::to_vec_pretty(&envelope).expect("JSON");
    let err = construct_err(&payload, &header(&payload, NOW));
    assert!(matches!(&err, WebhookError::Decode { path, .. } if path == "livemode"), "{err:?}");
}

#[test]
fn an_undecoded_event_serializes_back_to_the_same_json() {
    let payload = event_in_version("2099-01-01", customer_from_another_version());
    let event = webhook().construct_event(&payload, Some(&header(&payload, NOW))).expect("event");
    let mut expected: Value = serde_json::from_slice(&payload).expect("JSON");
    if let Some(envelope) = expected.as_object_mut() {
        envelope.remove("object");
    }
    let actual = serde_json::to_value(&event).expect("serializes");
    tests::json::assert_same(&expected, &actual).unwrap_or_else(|err| panic!("{err}"));
}

#[test]
fn an_api_event_converts_to_a_webhook_event_the_same_way() {
    // `Event::retrieve` and `Event::list` return the generated `stripe_sdk::Event`, whose
    // `data.object` is JSON: it decodes whatever the version, and converts like a webhook body.
    let bad = event_in_version("2099-01-01", customer_from_another_version());
    let api_event: stripe_sdk::Event = stripe_sdk::decode_json(&bad).expect("decodes");
    assert!(!api_event.api_version_matches());
    let event = Event::from(api_event);
    assert_eq!(event.type_, EventType::CustomerUpdated);
    match &event.data.object {
        EventObject::Undecoded(undecoded) => {
            assert_eq!(undecoded.error.path, "data.object.created")
        }
        other => panic!("expected Undecoded, got {other:?}"),
    }

    let good = event_in_version(stripe_sdk::API_VERSION, fixture("customer"));
    let api_event: stripe_sdk::Event = stripe_sdk::decode_json(&good).expect("decodes");
    assert!(api_event.api_version_matches());
    let event = Event::from(api_event);
    assert!(matches!(event.data.object, EventObject::Customer(_)));
}

// ---- the typed event ----

#[test]
fn an_unknown_object_type_is_kept_as_raw_json() {
    let object = json!({"id": "xyz_1", "object": "brand_new.thing", "color": "blue"});
    let event = signed_event("brand_new.thing.created", object.clone());
    match &event.data.object {
        EventObject::Unknown(raw) => assert_eq!(raw, &object),
        other => panic!("expected Unknown, got {other:?}"),
    }
}

#[test]
fn an_unknown_event_type_is_kept() {
    let event = signed_event(
        "brand_new.thing.created",
        json!({"id": "xyz_1", "object": "brand_new.thing"}),
    );
    assert_eq!(event.type_, EventType::Unknown("brand_new.thing.created".into()));
    assert_eq!(
        serde_json::to_value(&event).expect("serializes")["type"],
        "brand_new.thing.created"
    );
}

#[test]
fn known_event_types_are_not_unknown() {
    for name in [
        "charge.succeeded",
        "customer.created",
        "customer.deleted",
        "invoice.payment_failed",
        "billing_portal.session.created",
    ] {
        let parsed: EventType = name.parse().expect("infallible");
        assert!(!matches!(parsed, EventType::Unknown(_)), "{name}");
        assert_eq!(parsed.to_string(), name);
    }
}

#[test]
fn a_customer_fixture_is_a_customer() {
    let event = signed_event("customer.created", fixture("customer"));
    match &event.data.object {
        EventObject::Customer(customer) => {
            assert!(customer.id.starts_with("cus_"), "{}", customer.id)
        }
        other => panic!("expected Customer, got {}", variant_name(other)),
    }
}

#[test]
fn a_billing_portal_session_fixture_is_a_billing_portal_session() {
    let event = signed_event("billing_portal.session.created", fixture("billing_portal.session"));
    assert!(
        matches!(event.data.object, EventObject::BillingPortalSession(_)),
        "{}",
        variant_name(&event.data.object)
    );
}

#[test]
fn a_deleted_customer_fixture_is_a_deleted_customer() {
    let event = signed_event("customer.deleted", fixture("deleted_customer"));
    assert!(
        matches!(event.data.object, EventObject::DeletedCustomer(_)),
        "{}",
        variant_name(&event.data.object)
    );
}

#[test]
fn a_charge_fixture_is_a_charge() {
    let event = signed_event("charge.succeeded", fixture("charge"));
    assert!(
        matches!(event.data.object, EventObject::Charge(_)),
        "{}",
        variant_name(&event.data.object)
    );
    assert_eq!(event.type_.as_str(), "charge.succeeded");
}

#[test]
fn every_fixture_decodes_into_a_known_variant() {
    let fixtures = fixtures();
    let mut known = 0;
    let mut named_after_resource = 0;
    let mut unknown_without_schema = 0;
    let mut failures = Vec::new();
    for (resource, object) in &fixtures {
        // Stripe's examples of two event payloads that the spec has no schema for (see
        // tests/fixtures.rs): no variant can hold them.
        if ["billing.alert_triggered", "entitlements.active_entitlement_summary"]
            .contains(&resource.as_str())
        {
            assert!(matches!(
                webhook()
                    .construct_event(
                        &event_payload("x.updated", object.clone()),
                        Some(&header(&event_payload("x.updated", object.clone()), NOW))
                    )
                    .map(|event| event.data.object),
                Ok(EventObject::Unknown(_))
            ));
            unknown_without_schema += 1;
            continue;
        }
        let Some(tag) = object.get("object").and_then(Value::as_str) else {
            continue;
        };
        let deleted = object.get("deleted").and_then(Value::as_bool).unwrap_or(false);
        let payload = event_payload(&format!("{tag}.updated"), object.clone());
        let event = match webhook().construct_event(&payload, Some(&header(&payload, NOW))) {
            Ok(event) => event,
            Err(err) => {
                failures.push(format!("{resource}: {err}"));
                continue;
            }
        };
        if matches!(event.data.object, EventObject::Unknown(_)) {
            failures.push(format!("{resource}: decoded as Unknown"));
            continue;
        }
        known += 1;
        // Where the fixture's tag is its own resource id, the variant is named after it.
        let own_tag = if deleted { format!("deleted_{tag}") } else { tag.to_owned() };
        if &own_tag == resource {
            let variant = variant_name(&event.data.object);
            if variant != upper_camel(resource) {
                failures.push(format!(
                    "{resource}: variant {variant}, expected {}",
                    upper_camel(resource)
                ));
            }
            named_after_resource += 1;
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(
        known + unknown_without_schema,
        fixtures.len(),
        "every fixture has an `object` field"
    );
    assert_eq!((known, unknown_without_schema), (169, 2));
    assert!(named_after_resource >= 125, "{named_after_resource}");
}

#[test]
fn a_typed_event_serializes_back_to_the_same_json() {
    let customer = fixture("customer");
    let payload = event_payload("customer.updated", customer);
    let event = webhook().construct_event(&payload, Some(&header(&payload, NOW))).expect("valid");
    let mut expected: Value = serde_json::from_slice(&payload).expect("JSON");
    if let Some(envelope) = expected.as_object_mut() {
        envelope.remove("object"); // the typed event has no `object` field
    }
    let actual = serde_json::to_value(&event).expect("serializes");
    tests::json::assert_same(&expected, &actual).unwrap_or_else(|err| panic!("{err}"));
    let again: Event = serde_json::from_value(actual).expect("decodes again");
    assert!(matches!(again.data.object, EventObject::Customer(_)));
}

#[test]
fn previous_attributes_and_account_are_kept() {
    let mut envelope: Value =
        serde_json::from_slice(&event_payload("customer.updated", fixture("customer")))
            .expect("JSON");
    envelope["account"] = json!("acct_1");
    envelope["data"]["previous_attributes"] = json!({"email": "old@example.com"});
    let payload = serde_json::to_vec_pretty(&envelope).expect("JSON");
    let event = webhook().construct_event(&payload, Some(&header(&payload, NOW))).expect("valid");
    assert_eq!(event.account.as_deref(), Some("acct_1"));
    assert_eq!(event.data.previous_attributes, Some(json!({"email": "old@example.com"})));
}

#[test]
fn webhook_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Webhook>();
    assert_send_sync::<Event>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<WebhookError>();
}
