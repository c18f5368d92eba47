//! Webhook verification: what rejecting a forged request costs next to accepting a valid one.
//!
//! Each body is checked three ways with the same `Webhook`: `verify` with a valid header,
//! `construct_event` with a valid header (verify and decode), and `verify` with a forged `v1`
//! (64 hex digits that are not the signature). A forged request must cost at most a few times a
//! valid check: the ratio column is forged `verify` / valid `verify`.

use crate::harness::bench;
use serde_json::{json, Value};
use std::hint::black_box;
use stripe_sdk::webhook::{sign_test_header, Webhook};

const SECRET: &str = "whsec_bench_secret";
const TIMESTAMP: i64 = 1_692_140_000;

fn webhook() -> Webhook {
    Webhook::new(SECRET).expect("a non-empty secret").now(TIMESTAMP)
}

/// An event envelope around `object`, as Stripe sends it (compact JSON).
fn event(object: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "evt_bench", "object": "event", "type": "customer.updated",
        "created": TIMESTAMP, "livemode": false, "api_version": "2023-08-16",
        "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null},
        "data": {"object": object}
    }))
    .unwrap()
}

/// A ~1 MB customer event: 4,000 metadata-like entries in a nested object.
fn large_body() -> Vec<u8> {
    let entries: serde_json::Map<String, Value> = (0..4_000)
        .map(|i| (format!("key_{i:05}"), json!({"value": "x".repeat(200), "n": i})))
        .collect();
    event(json!({"id": "cus_bench", "object": "customer", "created": TIMESTAMP,
                 "livemode": false, "extra": entries}))
}

/// A ~1 MB event whose object holds 4,000 arrays nested 120 deep (under serde_json's recursion
/// limit), which pretty-printing indents to hundreds of megabytes.
fn nested_body() -> Vec<u8> {
    let depth = 120;
    let one = format!("{}0{}", "[".repeat(depth), "]".repeat(depth));
    let items = vec![one; 4_000].join(",");
    let text = String::from_utf8(event(json!({"id": "cus_bench", "object": "customer",
        "created": TIMESTAMP, "livemode": false, "nested": "@"})))
    .unwrap();
    text.replace("\"@\"", &format!("[{items}]")).into_bytes()
}

/// A header with `n` distinct unknown schemes before the valid `v1`.
fn many_schemes_header(valid: &str, n: usize) -> String {
    let mut header = String::with_capacity(n * 12 + valid.len());
    for i in 0..n {
        header.push_str(&format!("x{i}=0,"));
    }
    header.push_str(valid);
    header
}

pub fn run() {
    println!("\n## Webhook verification: forged vs valid `Stripe-Signature`");
    println!("| body | bytes | valid verify µs | valid construct_event µs | forged verify µs | forged / valid verify |");
    println!("|---|---:|---:|---:|---:|---:|");
    let webhook = webhook();
    for (name, body) in
        [("1 MB flat-ish event", large_body()), ("1 MB deeply nested event", nested_body())]
    {
        let valid = sign_test_header(&body, SECRET, TIMESTAMP);
        let forged = format!("t={TIMESTAMP},v1={}", "ab".repeat(32));
        assert!(webhook.verify(&body, &valid).is_ok(), "{name}: the valid header is refused");
        assert!(webhook.verify(&body, &forged).is_err(), "{name}: the forged header is accepted");
        let ok = bench(|| webhook.verify(black_box(&body), black_box(&valid)).is_ok());
        let event =
            bench(|| webhook.construct_event(black_box(&body), Some(black_box(&valid))).is_ok());
        let bad = bench(|| webhook.verify(black_box(&body), black_box(&forged)).is_err());
        println!(
            "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.1}x |",
            body.len(),
            ok.median_ns / 1e3,
            event.median_ns / 1e3,
            bad.median_ns / 1e3,
            bad.median_ns / ok.median_ns
        );
    }

    println!("\n## Webhook header parsing: unknown schemes before a valid `v1` (small body)");
    println!("| unknown schemes | header bytes | verify µs | ns per scheme |");
    println!("|---:|---:|---:|---:|");
    let body = event(json!({"id": "cus_bench", "object": "customer"}));
    let valid = sign_test_header(&body, SECRET, TIMESTAMP);
    for n in [1_000, 4_000, 16_000] {
        let header = many_schemes_header(&valid, n);
        assert!(webhook.verify(&body, &header).is_ok(), "{n} schemes: the valid header is refused");
        let stat = bench(|| webhook.verify(black_box(&body), black_box(&header)).is_ok());
        println!(
            "| {n} | {} | {:.0} | {:.1} |",
            header.len(),
            stat.median_ns / 1e3,
            stat.median_ns / n as f64
        );
    }
}
