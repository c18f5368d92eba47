//! Where a decode's time goes, field by field: decodes one fixture with each top-level key left
//! out in turn and prints the time each key adds (the full decode minus the decode without it).
//!   ./target/release/fields [INPUT]   INPUT: payment_intent (default), product, customer, …
use std::hint::black_box;
use std::time::Instant;

use serde_json::Value;

fn time(bytes: &[u8], decode: fn(&[u8]) -> bool) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..15 {
        let start = Instant::now();
        for _ in 0..20_000 {
            black_box(decode(black_box(bytes)));
        }
        best = best.min(start.elapsed().as_nanos() as f64 / 20_000.0);
    }
    best
}

fn main() {
    let input = std::env::args().nth(1).unwrap_or_else(|| "payment_intent".to_owned());
    if input == "loop" {
        // loop TYPE JSON SECONDS: decode one small object in a loop, for perf.
        let args: Vec<String> = std::env::args().collect();
        let bytes = args[3].as_bytes();
        let end = Instant::now() + std::time::Duration::from_secs(args[4].parse().unwrap());
        let decode: fn(&[u8]) -> bool = match args[2].as_str() {
            "next_action" => |b| stripe_sdk::decode_json::<stripe_sdk::PaymentIntentNextAction>(b).is_ok(),
            "account" => |b| stripe_sdk::decode_json::<stripe_sdk::Account>(b).is_ok(),
            "options" => |b| stripe_sdk::decode_json::<stripe_sdk::PaymentIntentPaymentMethodOptions>(b).is_ok(),
            "details" => |b| stripe_sdk::decode_json::<stripe_sdk::PaymentIntentAmountDetails>(b).is_ok(),
            other => panic!("{other}"),
        };
        let mut n = 0u64;
        while Instant::now() < end {
            for _ in 0..10_000 { black_box(decode(black_box(bytes))); }
            n += 10_000;
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
        other => panic!("no input {other}"),
    };
    let ignored: fn(&[u8]) -> bool = |b| serde_json::from_slice::<serde::de::IgnoredAny>(b).is_ok();
    let bytes = serde_json::to_vec(&fixture).unwrap();
    let full = time(&bytes, decode);
    let full_ignored = time(&bytes, ignored);
    println!("{input}: {} bytes, {full:.0} ns ({full_ignored:.0} ns IgnoredAny, {:.2}x)", bytes.len(), full / full_ignored);
    let mut rows = Vec::new();
    for key in fixture.as_object().unwrap().keys() {
        let mut less = fixture.clone();
        let value = less.as_object_mut().unwrap().remove(key).unwrap();
        let bytes = serde_json::to_vec(&less).unwrap();
        if !decode(&bytes) {
            continue;
        }
        let ours = full - time(&bytes, decode);
        let theirs = full_ignored - time(&bytes, ignored);
        rows.push((ours, theirs, key.clone(), serde_json::to_string(&value).unwrap()));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ours, theirs, key, value) in rows {
        let value: String = value.chars().take(60).collect();
        println!("{ours:7.0} ns  ({theirs:5.0} ns IgnoredAny)  {key}: {value}");
    }
}
