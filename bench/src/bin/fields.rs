//! Where a decode's time goes, field by field: decodes one fixture with each top-level key left
//! out in turn and prints the time each key adds (the full decode minus the decode without it).
//!   ./target/release/fields [INPUT]   INPUT: payment_intent (default), product, customer, …
use std::hint::black_box;
use std::time::Instant;

use serde_json::Value;

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
        // loop TYPE JSON SECONDS: decode one small object in a loop, for perf.
        let args: Vec<String> = std::env::args().collect();
        let big;
        let bytes = if args[3] == "large" {
            let entries: serde_json::Map<String, Value> = (0..4_000)
                .map(|i| (format!("key_{i:05}"), serde_json::json!({"value": "x".repeat(200), "n": i})))
                .collect();
            let object = serde_json::json!({"id": "cus_bench", "object": "customer", "created": 1, "livemode": false, "extra": entries});
            big = serde_json::to_vec(&if args[2].starts_with("event") { serde_json::json!({
                "id": "evt_bench", "object": "event", "type": "customer.updated",
                "created": 1, "livemode": false, "api_version": "2023-08-16",
                "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null},
                "data": {"object": object}}) } else { object }).unwrap();
            &big[..]
        } else if args[3] == "fixture" {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/cache/fixtures3.json");
            let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            let object = doc["resources"]["customer"].clone();
            big = serde_json::to_vec(&if args[2].starts_with("event") { serde_json::json!({
                "id": "evt_bench", "object": "event", "type": "customer.updated",
                "created": 1, "livemode": false, "api_version": "2026-01-28.clover",
                "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null},
                "data": {"object": object}}) } else { object }).unwrap();
            &big[..]
        } else {
            args[3].as_bytes()
        };
        let end = Instant::now() + std::time::Duration::from_secs(args[4].parse().unwrap());
        let decode: fn(&[u8]) -> bool = match args[2].as_str() {
            "next_action" => |b| stripe_sdk::decode_json::<stripe_sdk::PaymentIntentNextAction>(b).is_ok(),
            "account" => |b| stripe_sdk::decode_json::<stripe_sdk::Account>(b).is_ok(),
            "options" => |b| stripe_sdk::decode_json::<stripe_sdk::PaymentIntentPaymentMethodOptions>(b).is_ok(),
            "details" => |b| stripe_sdk::decode_json::<stripe_sdk::PaymentIntentAmountDetails>(b).is_ok(),
            "event" => |b| stripe_sdk::decode_json::<stripe_sdk::webhook::Event>(b).is_ok(),
            "event-serde" => |b| serde_json::from_slice::<stripe_sdk::Event>(b).is_ok(),
            "customer" => |b| stripe_sdk::decode_json::<stripe_sdk::Customer>(b).is_ok(),
            "either" => |b| stripe_sdk::decode_json::<stripe_sdk::CustomerOrDeletedCustomer>(b).is_ok(),
            "customer-serde" => |b| serde_json::from_slice::<stripe_sdk::Customer>(b).is_ok(),
            other => panic!("{other}"),
        };
        if std::env::var("CHECK").is_ok() {
            let event = stripe_sdk::decode_json::<stripe_sdk::webhook::Event>(bytes).unwrap();
            println!("{:?}", &format!("{:?}", event.data.object)[..200]);
        }
        let mut n = 0u64;
        while Instant::now() < end {
            for _ in 0..100 { black_box(decode(black_box(bytes))); }
            n += 100;
        }
        println!("{:.1} ns each", 1e9 * args[4].parse::<f64>().unwrap() / n as f64);
        return;
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/cache/fixtures3.json");
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let fixture = doc["resources"][&input].clone();
    let decode: fn(&[u8]) -> bool = match input.as_str() {
        "payment_intent" => |b| stripe_sdk::decode_json::<stripe_sdk::PaymentIntent>(b).is_ok(),
        "product" => |b| stripe_sdk::decode_json::<stripe_sdk::Product>(b).is_ok(),
        "customer" => |b| stripe_sdk::decode_json::<stripe_sdk::Customer>(b).is_ok(),
        "charge" => |b| stripe_sdk::decode_json::<stripe_sdk::Charge>(b).is_ok(),
        "price" => |b| stripe_sdk::decode_json::<stripe_sdk::Price>(b).is_ok(),
        "invoice" => |b| stripe_sdk::decode_json::<stripe_sdk::Invoice>(b).is_ok(),
        other => panic!("no input {other}"),
    };
    let ignored: fn(&[u8]) -> bool = |b| serde_json::from_slice::<serde::de::IgnoredAny>(b).is_ok();
    let bytes = serde_json::to_vec(&fixture).unwrap();
    let full = added(&bytes, None, decode);
    let full_ignored = added(&bytes, None, ignored);
    println!("{input}: {} bytes, {full:.0} ns ({full_ignored:.0} ns IgnoredAny, {:.2}x)", bytes.len(), full / full_ignored);
    let mut rows = Vec::new();
    for key in fixture.as_object().unwrap().keys() {
        let mut less = fixture.clone();
        let value = less.as_object_mut().unwrap().remove(key).unwrap();
        let bytes = serde_json::to_vec(&less).unwrap();
        if !decode(&bytes) {
            continue;
        }
        let full_bytes = serde_json::to_vec(&fixture).unwrap();
        let ours = added(&full_bytes, Some(&bytes), decode);
        let theirs = added(&full_bytes, Some(&bytes), ignored);
        rows.push((ours, theirs, key.clone(), serde_json::to_string(&value).unwrap()));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ours, theirs, key, value) in rows {
        let value: String = value.chars().take(60).collect();
        println!("{ours:7.0} ns  ({theirs:5.0} ns IgnoredAny)  {key}: {value}");
    }
}
