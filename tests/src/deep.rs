//! The most deeply nested bodies a server can send (serde_json stops at 128 levels), for the
//! stack measurements of `cargo run -p tests --bin stack` and the test in `tests/hostile.rs`.

use serde_json::{json, Value};

/// Named bodies, each an event: raw JSON nested in the places the decoders recurse into, a few
/// fixtures, and chains of expanded objects (a subscription's latest invoice holding the
/// subscription, holding its latest invoice...) as deep as serde_json allows.
pub fn bodies() -> Vec<(String, Vec<u8>)> {
    let nest = |open: &str, close: &str, depth: usize, inner: &str| {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    };
    let event = |object: &str| {
        format!(
            "{{\"id\":\"evt_1\",\"object\":\"event\",\"api_version\":null,\"created\":1,\"livemode\":false,\"pending_webhooks\":0,\"request\":null,\"type\":\"x\",\"data\":{{\"object\":{object}}}}}"
        )
    };
    let mut bodies = vec![
        (
            "arrays as an unknown event object".to_owned(),
            event(&nest("[", "]", 127, "")).into_bytes(),
        ),
        (
            "objects as an unknown event object".to_owned(),
            event(&nest("{\"object\":\"x\",\"a\":", "}", 126, "1")).into_bytes(),
        ),
        (
            "objects in an unknown field".to_owned(),
            event(&format!(
                "{{\"object\":\"customer\",\"zz\":{}}}",
                nest("{\"a\":", "}", 126, "1")
            ))
            .into_bytes(),
        ),
    ];
    let fixture = |name: &str| {
        let fixtures = crate::fuzz::decode::fixtures();
        let found = fixtures.iter().find(|(resource, _)| resource == name);
        found.map(|(_, value)| value.clone()).unwrap_or(Value::Null)
    };
    let envelope = |object: Value| {
        json!({"id": "evt_1", "object": "event", "type": "x", "created": 1,
            "livemode": false, "api_version": null, "pending_webhooks": 0, "request": null,
            "data": {"object": object}})
        .to_string()
        .into_bytes()
    };
    for name in ["payment_intent", "invoice", "checkout.session"] {
        bodies.push((format!("fixture {name}"), envelope(fixture(name))));
    }
    // Expandable fields nest objects in each other without end (a subscription's latest invoice
    // has the subscription, which has its latest invoice...): as deep as serde_json allows.
    for (a, a_field, b, b_field) in [
        ("subscription", "latest_invoice", "invoice", "subscription"),
        ("payment_intent", "latest_charge", "charge", "payment_intent"),
        ("invoice", "charge", "charge", "invoice"),
        ("checkout.session", "invoice", "invoice", "customer"),
    ] {
        let (a_object, b_object) = (fixture(a), fixture(b));
        let mut chain = a_object.clone();
        for level in 0..61 {
            let (mut outer, field) = match level % 2 {
                0 => (b_object.clone(), b_field),
                _ => (a_object.clone(), a_field),
            };
            outer[field] = chain;
            chain = outer;
        }
        let name = format!("expanded {a}.{a_field} / {b}.{b_field} chain, 122 levels");
        bodies.push((name, envelope(chain)));
    }
    bodies
}

/// How a body decoded as an event and as JSON.
pub type Outcome = (Result<(), String>, Result<(), String>);

/// Decodes `body` the ways the SDK can: as an event (typed objects) and as JSON.
pub fn decode(body: &[u8]) -> Outcome {
    let event = stripe_sdk::decode_json::<stripe_sdk::webhook::Event>(body);
    let value = stripe_sdk::decode_json::<Value>(body);
    (event.map(drop).map_err(|err| err.to_string()), value.map(drop).map_err(|err| err.to_string()))
}
