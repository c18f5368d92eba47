//! Where a decode's time goes, field by field: decodes one fixture with each top-level key left
//! out in turn and prints the time each key adds (the full decode minus the decode without it).
//!   ./target/release/fields [INPUT]   INPUT: payment_intent (default), product, customer, …
//!   ./target/release/fields loop TYPE JSON SECONDS   one object decoded in a loop, for perf:
//!   TYPE next_action, account, options, details, customer, either (a customer as
//!   `CustomerOrDeletedCustomer`) or event (a webhook event around a customer); JSON the text,
//!   `fixture` (the customer fixture) or `large` (a customer with 4,000 extra entries, ~1 MB)
use std::hint::black_box;
use std::time::Instant;

use serde_json::{json, Value};
use stripe_sdk::decode_json;

/// The median over rounds of (time of `full`) - (time of `less`, if any) per decode, the two timed
/// side by side in each round, so that what drifts on a shared machine drifts for both.
fn added(full: &[u8], less: Option<&[u8]>, decode: fn(&[u8]) -> bool) -> f64 {
    let sample = |bytes: &[u8]| {
        let start = Instant::now();
        for _ in 0..5_000 {
            black_box(decode(black_box(bytes)));
        }
        start.elapsed().as_nanos() as f64 / 5_000.0
    };
    sample(full);
    let mut diffs: Vec<f64> = (0..21).map(|_| sample(full) - less.map_or(0.0, sample)).collect();
    diffs.sort_by(f64::total_cmp);
    diffs[diffs.len() / 2]
}

fn main() {
    let input = std::env::args().nth(1).unwrap_or_else(|| "payment_intent".to_owned());
    if input == "loop" {
        let args: Vec<String> = std::env::args().collect();
        decode_in_a_loop(&args[2], &args[3], args[4].parse().unwrap());
        return;
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/cache/fixtures3.json");
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let fixture = doc["resources"][&input].clone();
    let decode: fn(&[u8]) -> bool = match input.as_str() {
        "payment_intent" => |b| decode_json::<stripe_sdk::PaymentIntent>(b).is_ok(),
        "product" => |b| decode_json::<stripe_sdk::Product>(b).is_ok(),
        "customer" => |b| decode_json::<stripe_sdk::Customer>(b).is_ok(),
        "charge" => |b| decode_json::<stripe_sdk::Charge>(b).is_ok(),
        "price" => |b| decode_json::<stripe_sdk::Price>(b).is_ok(),
        "invoice" => |b| decode_json::<stripe_sdk::Invoice>(b).is_ok(),
        other => panic!("no input {other}"),
    };
    let ignored: fn(&[u8]) -> bool = |b| serde_json::from_slice::<serde::de::IgnoredAny>(b).is_ok();
    let all = serde_json::to_vec(&fixture).unwrap();
    let full = added(&all, None, decode);
    let full_ignored = added(&all, None, ignored);
    println!(
        "{input}: {} bytes, {full:.0} ns ({full_ignored:.0} ns IgnoredAny, {:.2}x)",
        all.len(),
        full / full_ignored
    );
    let mut rows = Vec::new();
    for key in fixture.as_object().unwrap().keys() {
        let mut less = fixture.clone();
        let value = less.as_object_mut().unwrap().remove(key).unwrap();
        let bytes = serde_json::to_vec(&less).unwrap();
        if !decode(&bytes) {
            continue;
        }
        let ours = added(&all, Some(&bytes), decode);
        let theirs = added(&all, Some(&bytes), ignored);
        rows.push((ours, theirs, key.clone(), serde_json::to_string(&value).unwrap()));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ours, theirs, key, value) in rows {
        let value: String = value.chars().take(60).collect();
        println!("{ours:7.0} ns  ({theirs:5.0} ns IgnoredAny)  {key}: {value}");
    }
}

/// Decodes one object as `ty` in a loop for `seconds` and prints the time per decode.
fn decode_in_a_loop(ty: &str, json: &str, seconds: u64) {
    let decode: fn(&[u8]) -> bool = match ty {
        "next_action" => |b| decode_json::<stripe_sdk::PaymentIntentNextAction>(b).is_ok(),
        "account" => |b| decode_json::<stripe_sdk::Account>(b).is_ok(),
        "options" => |b| decode_json::<stripe_sdk::PaymentIntentPaymentMethodOptions>(b).is_ok(),
        "details" => |b| decode_json::<stripe_sdk::PaymentIntentAmountDetails>(b).is_ok(),
        "customer" => |b| decode_json::<stripe_sdk::Customer>(b).is_ok(),
        "either" => |b| decode_json::<stripe_sdk::CustomerOrDeletedCustomer>(b).is_ok(),
        "event" => |b| decode_json::<stripe_sdk::webhook::Event>(b).is_ok(),
        other => panic!("no type {other}"),
    };
    let object = match json {
        "fixture" => {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/cache/fixtures3.json");
            let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            doc["resources"]["customer"].clone()
        }
        "large" => {
            let extra: serde_json::Map<String, Value> = (0..4_000)
                .map(|i| (format!("key_{i:05}"), json!({"value": "x".repeat(200), "n": i})))
                .collect();
            json!({"id": "cus_bench", "object": "customer", "created": 1, "livemode": false,
                   "extra": extra})
        }
        text => serde_json::from_str(text).unwrap(),
    };
    let object = match ty {
        "event" => json!({
            "id": "evt_bench", "object": "event", "type": "customer.updated", "created": 1,
            "livemode": false, "api_version": stripe_sdk::API_VERSION, "pending_webhooks": 1,
            "request": {"id": null, "idempotency_key": null}, "data": {"object": object}
        }),
        _ => object,
    };
    let bytes = serde_json::to_vec(&object).unwrap();
    let end = Instant::now() + std::time::Duration::from_secs(seconds);
    let mut decoded = 0u64;
    while Instant::now() < end {
        for _ in 0..100 {
            black_box(decode(black_box(&bytes)));
        }
        decoded += 100;
    }
    println!("{:.1} ns each", 1e9 * seconds as f64 / decoded as f64);
}
