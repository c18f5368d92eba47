//! Side-by-side benchmarks of stripe-sdk against async-stripe 1.0.0-rc.10.
//!
//! `cargo run --release --bin bench [-- decode|encode|request|webhook]` (all four sections by default).
//! Every ratio is computed against baselines timed in the same process run.

mod harness;
mod webhook;
include!("resources.rs");

use harness::{bench, bench_side_by_side, mb_per_s};
use serde_json::{json, Value};
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let want = |s: &str| args.is_empty() || args.iter().any(|a| a == s);
    println!(
        "stripe-sdk vs async-stripe 1.0.0-rc.10 — {} logical CPUs",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0)
    );
    if want("decode") {
        decode::run();
    }
    if want("encode") {
        encode::run();
    }
    if want("request") {
        request::run();
    }
    if want("webhook") {
        webhook::run();
    }
}

/// The fixtures of the pinned spec (`spec/cache/fixtures3.json`, or `$STRIPE_FIXTURES`).
fn fixtures() -> serde_json::Map<String, Value> {
    let path = std::env::var("STRIPE_FIXTURES").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/cache/fixtures3.json").to_owned()
    });
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut doc: Value = serde_json::from_slice(&text).unwrap();
    match doc["resources"].take() {
        Value::Object(map) => map,
        _ => panic!("{path}: no `resources` object"),
    }
}

/// Fields that async-stripe 1.0.0-rc.10 (generated from a 2025 API version) requires but the
/// 2023-08-16 fixtures do not have. They are added to the bytes that *every* decoder in a row
/// reads (ours ignores unknown fields), so that all columns decode the same document.
fn patch_for_async_stripe(resource: &str, v: &mut Value) {
    fn set(v: &mut Value, k: &str, val: Value) {
        v.as_object_mut().unwrap().entry(k.to_owned()).or_insert(val);
    }
    match resource {
        "invoice" => {
            set(v, "amount_overpaid", json!(0));
            set(v, "issuer", json!({"type": "self"}));
            if let Some(lines) = v["lines"]["data"].as_array_mut() {
                for line in lines {
                    let amount = line["amount"].clone();
                    set(line, "subtotal", amount);
                }
            }
        }
        "subscription" => {
            set(v, "billing_mode", json!({"type": "classic"}));
            set(v, "billing_schedules", json!([]));
            set(v, "discounts", json!([]));
            set(v, "invoice_settings", json!({"issuer": {"type": "self"}}));
            let (start, end) = (v["current_period_start"].clone(), v["current_period_end"].clone());
            let plan = fixtures()["plan"].clone();
            if let Some(items) = v["items"]["data"].as_array_mut() {
                for item in items {
                    set(item, "current_period_start", start.clone());
                    set(item, "current_period_end", end.clone());
                    set(item, "discounts", json!([]));
                    set(item, "plan", plan.clone());
                }
            }
        }
        "product" => {
            set(v, "marketing_features", json!([]));
            set(v, "type", json!("service"));
        }
        _ => {}
    }
}

mod decode {
    use super::*;
    use serde::de::IgnoredAny;

    /// How our client decodes a response body: `stripe_sdk::decode_json` (the generated
    /// builders, driven by its own JSON reader; serde_json only re-reads a failure for its error).
    pub fn ours_client<T: stripe_sdk::Decode>(bytes: &[u8]) -> Result<T, String> {
        stripe_sdk::decode_json::<T>(bytes).map_err(|e| e.to_string())
    }

    /// How async-stripe's clients decode a response body
    /// (`stripe_client_core::stripe_request::deserialize_bytes` and `stripe::hyper::client`):
    /// UTF-8 check, then `miniserde::json::from_str`.
    pub fn theirs<T: miniserde::Deserialize>(bytes: &[u8]) -> Result<T, String> {
        let s = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
        miniserde::json::from_str(s).map_err(|_| "miniserde: error deserializing".to_owned())
    }

    type Dec = fn(&[u8]) -> Result<(), String>;

    struct Row {
        id: &'static str,
        ours: Dec,
        ours_client: Dec,
        theirs: Dec,
    }

    macro_rules! row {
        ($id:literal, $ours:ty, $theirs:ty) => {
            Row {
                id: $id,
                ours: |b| serde_json::from_slice::<$ours>(b).map(drop).map_err(|e| e.to_string()),
                ours_client: |b| ours_client::<$ours>(b).map(drop),
                theirs: |b| theirs::<$theirs>(b).map(drop),
            }
        };
    }

    macro_rules! ours_table {
        ($($k:literal => $t:ty,)*) => {
            vec![$(($k, (|b: &[u8]| ours_client::<$t>(b).map(drop)) as Dec)),*]
        };
    }

    fn list_of(fixture: &Value, n: usize, prefix: &str, url: &str) -> Vec<u8> {
        let data: Vec<Value> = (0..n)
            .map(|i| {
                let mut v = fixture.clone();
                v["id"] = json!(format!("{prefix}_{i:06}bench"));
                v
            })
            .collect();
        serde_json::to_vec(&json!({"object":"list","data":data,"has_more":false,"url":url})).unwrap()
    }

    pub fn run() {
        let fixtures = fixtures();

        // Not when profiling one input (below).
        if std::env::var_os("PROFILE_INPUT").is_none() {
            // 1a. Every fixture, ours only (async-stripe has no single type table to compare against).
            let table: Vec<(&str, Dec)> = all_resources!(ours_table);
            let mut docs = Vec::new();
            let mut failed = Vec::new();
            for (id, dec) in &table {
                let Some(v) = fixtures.get(*id) else { continue };
                let bytes = serde_json::to_vec(v).unwrap();
                match dec(&bytes) {
                    Ok(()) => docs.push((bytes, *dec)),
                    Err(e) => failed.push(format!("{id}: {e}")),
                }
            }
            let total: usize = docs.iter().map(|d| d.0.len()).sum();
            let ours = bench(|| {
                for (b, dec) in &docs {
                    black_box(dec(black_box(b)).is_ok());
                }
            });
            let ign = bench(|| {
                for (b, _) in &docs {
                    black_box(serde_json::from_slice::<IgnoredAny>(black_box(b)).is_ok());
                }
            });
            println!("\n## Decode: all {} fixtures of fixtures3.json ({} bytes), ours only", docs.len(), total);
            if !failed.is_empty() {
                println!("ours failed to decode: {failed:?}");
            }
            println!("| input | ours MB/s | IgnoredAny MB/s | ours time / IgnoredAny time |");
            println!("|---|---:|---:|---:|");
            println!(
                "| all {} fixtures | {:.0} | {:.0} | {:.2}x |",
                docs.len(),
                mb_per_s(total, ours.median_ns),
                mb_per_s(total, ign.median_ns),
                ours.median_ns / ign.median_ns
            );

            // PER_FIXTURE=1: each fixture's time against IgnoredAny's, slowest first (~2 min).
            if std::env::var_os("PER_FIXTURE").is_some() {
                let mut rows: Vec<(f64, &str, usize)> = Vec::new();
                for ((bytes, dec), (id, _)) in docs.iter().zip(table.iter().filter(|(id, _)| fixtures.get(*id).is_some())) {
                    let o = bench(|| dec(black_box(bytes)).is_ok());
                    let i = bench(|| serde_json::from_slice::<IgnoredAny>(black_box(bytes)).is_ok());
                    rows.push((o.median_ns / i.median_ns, id, bytes.len()));
                }
                rows.sort_by(|a, b| b.0.total_cmp(&a.0));
                println!("| fixture | bytes | ours time / IgnoredAny time |\n|---|---:|---:|");
                for (ratio, id, len) in rows.iter().take(12) {
                    println!("| {id} | {len} | {ratio:.1}x |");
                }
            }
        }

        // 1b. Representative resources and 100-item pages, side by side.
        let rows = [
            row!("customer", stripe_sdk::Customer, stripe_shared::Customer),
            row!("charge", stripe_sdk::Charge, stripe_shared::Charge),
            row!("invoice", stripe_sdk::Invoice, stripe_shared::Invoice),
            row!("subscription", stripe_sdk::Subscription, stripe_shared::Subscription),
            row!("payment_intent", stripe_sdk::PaymentIntent, stripe_shared::PaymentIntent),
            row!("checkout.session", stripe_sdk::checkout::Session, stripe_shared::CheckoutSession),
            row!(
                "billing_portal.session",
                stripe_sdk::billing_portal::Session,
                stripe_billing::BillingPortalSession
            ),
            row!("product", stripe_sdk::Product, stripe_shared::Product),
            row!("price", stripe_sdk::Price, stripe_shared::Price),
        ];
        // PROFILE_INPUT=<id> [PROFILE_SECONDS=10]: only `decode_json` of that input, in a loop, for
        // `perf record` (profile.sh).
        if let Ok(id) = std::env::var("PROFILE_INPUT") {
            let row = rows.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no input {id}"));
            let bytes = serde_json::to_vec(&fixtures[row.id]).unwrap();
            let seconds: u64 =
                std::env::var("PROFILE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
            let end = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
            let mut decoded = 0u64;
            while std::time::Instant::now() < end {
                for _ in 0..10_000 {
                    black_box((row.ours_client)(black_box(&bytes)).is_ok());
                }
                decoded += 10_000;
            }
            println!("{id}: {decoded} decodes of {} bytes in {seconds} s", bytes.len());
            return;
        }
        let mut inputs: Vec<(String, Vec<u8>, Dec, Dec, Dec, bool)> = Vec::new();
        for r in &rows {
            let original = fixtures[r.id].clone();
            let bytes = serde_json::to_vec(&original).unwrap();
            if (r.theirs)(&bytes).is_ok() {
                inputs.push((r.id.to_owned(), bytes, r.ours, r.ours_client, r.theirs, false));
            } else {
                let mut patched = original;
                patch_for_async_stripe(r.id, &mut patched);
                let bytes = serde_json::to_vec(&patched).unwrap();
                inputs.push((r.id.to_owned(), bytes, r.ours, r.ours_client, r.theirs, true));
            }
        }
        let lists = [
            (row!("List<Invoice> x100", stripe_sdk::List<stripe_sdk::Invoice>, stripe_types::List<stripe_shared::Invoice>), "invoice", "in", "/v1/invoices"),
            (row!("List<Charge> x100", stripe_sdk::List<stripe_sdk::Charge>, stripe_types::List<stripe_shared::Charge>), "charge", "ch", "/v1/charges"),
        ];
        for (row, resource, prefix, url) in lists {
            let mut fixture = fixtures[resource].clone();
            patch_for_async_stripe(resource, &mut fixture);
            inputs.push((row.id.to_owned(), list_of(&fixture, 100, prefix, url), row.ours, row.ours_client, row.theirs, true));
        }

        println!("\n## Decode: side by side (same bytes for every column)");
        println!("ours (serde) = serde_json::from_slice through the types' serde::Deserialize; ours (client) = stripe_sdk::decode_json, as Client::send decodes (the same builders, driven by its own JSON reader: ours (serde) is the baseline of that change);");
        println!("async-stripe = from_utf8 + miniserde::json::from_str, as its clients do (rc.10 has no serde Deserialize without the `deserialize` feature).");
        println!("| input | bytes | ours (serde) MB/s | ours (client) MB/s | async-stripe MB/s | IgnoredAny MB/s | ours (serde) / async-stripe throughput | ours (client) / async-stripe | ours (client) time / IgnoredAny time |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (id, bytes, ours, ours_client, theirs, patched) in &inputs {
            if let Err(e) = ours(bytes) {
                println!("| {id} | ours fails: {e} |");
                continue;
            }
            let theirs_ok = theirs(bytes).is_ok();
            let n = bytes.len();
            let name = if *patched { format!("{id}*") } else { id.clone() };
            // Columns 0-3 timed side by side; every ratio is the median of the rounds' ratios.
            let (o, oc, ig, t) = (0, 1, 2, 3);
            let mut columns: Vec<&mut dyn FnMut() -> bool> = Vec::new();
            let mut ours_column = || ours(black_box(bytes)).is_ok();
            let mut client_column = || ours_client(black_box(bytes)).is_ok();
            let mut ignored_column =
                || serde_json::from_slice::<IgnoredAny>(black_box(bytes)).is_ok();
            let mut theirs_column = || theirs(black_box(bytes)).is_ok();
            columns.push(&mut ours_column);
            columns.push(&mut client_column);
            columns.push(&mut ignored_column);
            if theirs_ok {
                columns.push(&mut theirs_column);
            }
            let side = bench_side_by_side(&mut columns);
            if theirs_ok {
                println!(
                    "| {name} | {n} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2}x | {:.2}x | {:.2}x |",
                    mb_per_s(n, side.median_ns(o)),
                    mb_per_s(n, side.median_ns(oc)),
                    mb_per_s(n, side.median_ns(t)),
                    mb_per_s(n, side.median_ns(ig)),
                    side.ratio(t, o),
                    side.ratio(t, oc),
                    side.ratio(oc, ig)
                );
            } else {
                println!(
                    "| {name} | {n} | {:.0} | {:.0} | decode fails | {:.0} | - | - | {:.2}x |",
                    mb_per_s(n, side.median_ns(o)),
                    mb_per_s(n, side.median_ns(oc)),
                    mb_per_s(n, side.median_ns(ig)),
                    side.ratio(oc, ig)
                );
            }
        }
        println!("`*` = fixture with the fields async-stripe rc.10 requires added (see patch_for_async_stripe); ours ignores them.");
    }
}

mod encode {
    use super::*;
    use stripe_client_core::StripeRequest;

    fn ours() -> stripe_sdk::CreatePaymentIntentParams {
        use stripe_sdk::*;
        let mut p = CreatePaymentIntentParams::new(2000, "usd");
        p.application_fee_amount = Some(123);
        p.automatic_payment_methods = Some(AutomaticPaymentMethodsParam {
            allow_redirects: Some(PaymentFlowsAutomaticPaymentMethodsPaymentIntentAllowRedirects::Never),
            enabled: true,
        });
        p.capture_method = Some(PaymentIntentCaptureMethod::Manual);
        p.confirm = Some(true);
        p.confirmation_method = Some(PaymentIntentConfirmationMethod::Automatic);
        p.customer = Some("cus_NffrFeUfNV2Hib".into());
        p.description = Some("Order #1234 — 2 × Widget (blue), express shipping".into());
        p.error_on_requires_action = Some(false);
        p.expand = Some(vec!["customer".into(), "latest_charge.balance_transaction".into()]);
        p.mandate = Some("mandate_1MvojA2eZvKYlo2CvK1yxNh3".into());
        p.metadata = Some(
            [("order_id", "6735"), ("customer_ref", "A-99 12"), ("campaign", "spring/2024"), ("note", "gift & wrap"), ("sku", "W-BLUE-01")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        );
        p.off_session = Some(CreatePaymentIntentOffSession::Bool(true));
        p.on_behalf_of = Some("acct_1032D82eZvKYlo2C".into());
        p.payment_method = Some("pm_card_visa".into());
        p.receipt_email = Some("jenny.rosen@example.com".into());
        p.return_url = Some("https://example.com/checkout/return?order=6735".into());
        p.setup_future_usage = Some(ConfirmationTokenSetupFutureUsage::OffSession);
        let mut address = OptionalFieldsAddress::new();
        address.city = Some("San Francisco".into());
        address.country = Some("US".into());
        address.line1 = Some("510 Townsend St".into());
        address.line2 = Some("Floor 2".into());
        address.postal_code = Some("94103".into());
        address.state = Some("CA".into());
        p.shipping = Some(OptionalFieldsShipping {
            address,
            carrier: Some("UPS".into()),
            name: "Jenny Rosen".into(),
            phone: Some("+1 555 010 9999".into()),
            tracking_number: Some("1Z999AA10123456784".into()),
        });
        p.statement_descriptor = Some("WIDGETS INC".into());
        p.statement_descriptor_suffix = Some("ORDER 6735".into());
        p.transfer_data = Some(TransferDataCreationParams { amount: Some(1500), destination: "acct_1MTfjCQ9PRzxEwkZ".into() });
        p.transfer_group = Some("ORDER_6735".into());
        p.use_stripe_sdk = Some(false);
        p
    }

    fn theirs() -> stripe_core::payment_intent::CreatePaymentIntent {
        use stripe_core::payment_intent::*;
        let mut address = CreatePaymentIntentShippingAddress::new();
        address.city = Some("San Francisco".into());
        address.country = Some("US".into());
        address.line1 = Some("510 Townsend St".into());
        address.line2 = Some("Floor 2".into());
        address.postal_code = Some("94103".into());
        address.state = Some("CA".into());
        let mut shipping = CreatePaymentIntentShipping::new(address, "Jenny Rosen");
        shipping.carrier = Some("UPS".into());
        shipping.phone = Some("+1 555 010 9999".into());
        shipping.tracking_number = Some("1Z999AA10123456784".into());
        let mut transfer = CreatePaymentIntentTransferData::new("acct_1MTfjCQ9PRzxEwkZ");
        transfer.amount = Some(1500);
        let mut apm = CreatePaymentIntentAutomaticPaymentMethods::new(true);
        apm.allow_redirects = Some(CreatePaymentIntentAutomaticPaymentMethodsAllowRedirects::Never);
        CreatePaymentIntent::new(2000, stripe_types::Currency::USD)
            .application_fee_amount(123)
            .automatic_payment_methods(apm)
            .capture_method(stripe_shared::PaymentIntentCaptureMethod::Manual)
            .confirm(true)
            .confirmation_method(stripe_shared::PaymentIntentConfirmationMethod::Automatic)
            .customer("cus_NffrFeUfNV2Hib")
            .description("Order #1234 — 2 × Widget (blue), express shipping")
            .error_on_requires_action(false)
            .expand(vec!["customer".to_owned(), "latest_charge.balance_transaction".to_owned()])
            .mandate("mandate_1MvojA2eZvKYlo2CvK1yxNh3")
            .metadata(
                [("order_id", "6735"), ("customer_ref", "A-99 12"), ("campaign", "spring/2024"), ("note", "gift & wrap"), ("sku", "W-BLUE-01")]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect::<std::collections::HashMap<_, _>>(),
            )
            .off_session(CreatePaymentIntentOffSession::Bool(true))
            .on_behalf_of("acct_1032D82eZvKYlo2C")
            .payment_method("pm_card_visa")
            .receipt_email("jenny.rosen@example.com")
            .return_url("https://example.com/checkout/return?order=6735")
            .setup_future_usage(stripe_shared::PaymentIntentSetupFutureUsage::OffSession)
            .shipping(shipping)
            .statement_descriptor("WIDGETS INC")
            .statement_descriptor_suffix("ORDER 6735")
            .transfer_data(transfer)
            .transfer_group("ORDER_6735")
            .use_stripe_sdk(false)
    }

    fn sorted(body: &str) -> Vec<String> {
        let mut v: Vec<String> = body.split('&').map(|s| s.to_owned()).collect();
        v.sort();
        v
    }

    pub fn run() {
        let o = ours();
        let t = theirs();
        let ob = stripe_sdk::form_encode(&o).unwrap();
        let tb = t.build().body.unwrap();
        println!("\n## Encode: CreatePaymentIntent with {} pairs (ours) / {} pairs (async-stripe)", ob.split('&').count(), tb.split('&').count());
        println!("ours body ({} bytes): {ob}", ob.len());
        println!("async-stripe body ({} bytes): {tb}", tb.len());
        let (so, st) = (sorted(&ob), sorted(&tb));
        let only_ours: Vec<_> = so.iter().filter(|p| !st.contains(p)).collect();
        let only_theirs: Vec<_> = st.iter().filter(|p| !so.contains(p)).collect();
        println!("pairs only in ours: {only_ours:?}\npairs only in async-stripe: {only_theirs:?}");
        let ours_s = bench(|| stripe_sdk::form_encode(black_box(&o)).unwrap());
        let theirs_s = bench(|| black_box(&t).build());
        println!("| encoder | ns/op (median) | ns/op (mean) |");
        println!("|---|---:|---:|");
        println!("| ours: stripe_sdk::form_encode (= runtime::form::encode, what Client::send calls) | {:.0} | {:.0} |", ours_s.median_ns, ours_s.mean_ns);
        println!("| async-stripe: StripeRequest::build() (serde_qs::to_string of the params, + path String) | {:.0} | {:.0} |", theirs_s.median_ns, theirs_s.mean_ns);
        println!("ours time / async-stripe time: {:.2}x", ours_s.median_ns / theirs_s.median_ns);
    }
}

mod request {
    use super::*;
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

    /// The header lines of the first request the server received (ours, made before any other),
    /// which the hand-written call then sends too, so that both put the same bytes on the wire.
    static FIRST_HEAD: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();

    /// A minimal HTTP/1.1 keep-alive server that answers every request with `body`.
    async fn serve(listener: tokio::net::TcpListener, body: &'static [u8]) {
        loop {
            let (sock, _) = listener.accept().await.unwrap();
            sock.set_nodelay(true).unwrap();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_bench\r\ncontent-length: {}\r\nconnection: keep-alive\r\n\r\n",
                    body.len()
                );
                let mut response = head.into_bytes();
                response.extend_from_slice(body);
                let mut line = String::new();
                let mut buf = Vec::new();
                loop {
                    let mut len = 0usize;
                    let mut head = Vec::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some((k, v)) = line.split_once(':') {
                            if k.eq_ignore_ascii_case("content-length") {
                                len = v.trim().parse().unwrap();
                            }
                            head.push((k.to_owned(), v.trim().to_owned()));
                        }
                    }
                    FIRST_HEAD.get_or_init(|| head);
                    buf.resize(len, 0);
                    if r.read_exact(&mut buf).await.is_err() {
                        return;
                    }
                    if w.write_all(&response).await.is_err() {
                        return;
                    }
                }
            });
        }
    }

    const CALLS: usize = 6000;
    const WARMUP: usize = 300;
    /// A multiple of three: each client takes each place in the order equally often.
    const ROUNDS: usize = 30;

    pub fn run() {
        let mut fixture = fixtures()["billing_portal.session"].clone();
        patch_for_async_stripe("billing_portal.session", &mut fixture);
        let body: &'static [u8] = Box::leak(serde_json::to_vec(&fixture).unwrap().into_boxed_slice());

        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let port = std_listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
                serve(listener, body).await
            });
        });

        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let base = format!("http://127.0.0.1:{port}");
            // Ours.
            let ours_client = stripe_sdk::Client::builder("sk_test_bench").api_base(base.clone()).build().unwrap();
            let mut params = stripe_sdk::billing_portal::CreateSessionParams::new();
            params.customer = Some("cus_NciAYcXfLnqBoz".into());
            params.return_url = Some("https://example.com/account".into());
            let ours_body = stripe_sdk::form_encode(&params).unwrap();
            // Hand-written reqwest, sending the headers ours sent on its first call (same values,
            // same order; an idempotency key of the same length), so the same bytes go out.
            let raw = reqwest::Client::new();
            let raw_url = format!("{base}/v1/billing_portal/sessions");
            stripe_sdk::billing_portal::Session::create(&ours_client, &params).await.unwrap();
            let mut raw_headers = reqwest::header::HeaderMap::new();
            for (name, value) in FIRST_HEAD.get().expect("the server saw ours' first request") {
                if !["host", "content-length"].contains(&name.to_ascii_lowercase().as_str()) {
                    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap();
                    raw_headers.append(name, value.parse().unwrap());
                }
            }
            // async-stripe.
            let theirs_client = stripe::ClientBuilder::new("sk_test_bench").url(format!("{base}/")).build().unwrap();
            let theirs_req = stripe_billing::billing_portal_session::CreateBillingPortalSession::new()
                .customer("cus_NciAYcXfLnqBoz")
                .return_url("https://example.com/account");

            macro_rules! ours_call {
                () => {{
                    let s = stripe_sdk::billing_portal::Session::create(&ours_client, &params).await.unwrap();
                    black_box(s);
                }};
            }
            macro_rules! raw_call {
                () => {{
                    // With the timeout ours applies to each attempt (80 s): a timer per call.
                    let resp = raw
                        .post(&raw_url)
                        .timeout(Duration::from_secs(80))
                        .headers(raw_headers.clone())
                        .body(ours_body.clone())
                        .send()
                        .await
                        .unwrap();
                    assert!(resp.status().is_success());
                    let bytes = resp.bytes().await.unwrap();
                    let s: stripe_sdk::billing_portal::Session = serde_json::from_slice(&bytes).unwrap();
                    black_box(s);
                }};
            }
            macro_rules! theirs_call {
                () => {{
                    let s = theirs_req.send(&theirs_client).await.unwrap();
                    black_box(s);
                }};
            }
            if let Ok(only) = std::env::var("ONLY") {
                // One client alone, for a profile: `ONLY=ours|raw|theirs [ONLY_CALLS=N]`.
                let calls = std::env::var("ONLY_CALLS").ok().and_then(|n| n.parse().ok()).unwrap_or(WARMUP);
                for _ in 0..calls {
                    match only.as_str() { "ours" => ours_call!(), "raw" => raw_call!(), _ => theirs_call!() }
                }
                return;
            }
            for _ in 0..WARMUP {
                ours_call!();
                raw_call!();
                theirs_call!();
            }
            // Per round, each client's time for its calls; the ratios are the medians of the
            // rounds' ratios (a drift of the machine's speed moves whole rounds, not a ratio).
            let mut rounds: Vec<[Duration; 3]> = Vec::with_capacity(ROUNDS);
            let per_round = CALLS / ROUNDS;
            // Each client goes first, second and third equally often (the order turns each round),
            // so that whatever drifts within a round (the server's buffers, the CPU's clock) does
            // not land on one client.
            for round in 0..ROUNDS {
                let mut times = [Duration::ZERO; 3];
                for turn in 0..3 {
                    let client = (round + turn) % 3;
                    let t = Instant::now();
                    for _ in 0..per_round {
                        match client {
                            0 => raw_call!(),
                            1 => ours_call!(),
                            _ => theirs_call!(),
                        }
                    }
                    times[client] = t.elapsed();
                }
                rounds.push(times);
            }
            let total = |client: usize| rounds.iter().map(|times| times[client]).sum::<Duration>();
            let us = |d: Duration| d.as_secs_f64() * 1e6 / CALLS as f64;
            let ratio = |client: usize| {
                let mut ratios: Vec<f64> = rounds
                    .iter()
                    .map(|times| times[client].as_secs_f64() / times[0].as_secs_f64())
                    .collect();
                ratios.sort_by(f64::total_cmp);
                ratios[ratios.len() / 2]
            };
            println!("\n## Request overhead: {CALLS} sequential calls each (after {WARMUP} warm-up), loopback keep-alive server, interleaved in {ROUNDS} rounds, the order turning each round; ratio = median of the rounds' ratios");
            println!("| client | mean latency µs | vs hand-written reqwest |");
            println!("|---|---:|---:|");
            println!("| hand-written reqwest (ours' headers and body, byte for byte, and ours' 80 s timeout; serde_json decode into our Session) | {:.1} | 1.00x |", us(total(0)));
            println!("| ours: billing_portal::Session::create | {:.1} | {:.2}x |", us(total(1)), ratio(1));
            println!("| async-stripe: CreateBillingPortalSession::send (hyper, miniserde) | {:.1} | {:.2}x |", us(total(2)), ratio(2));
        });
    }
}
