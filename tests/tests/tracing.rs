//! The `tracing` feature: one `stripe.request` span per logical request with its fields, an event
//! per retry, and never the API key. Spans are captured by a small `tracing_subscriber` layer.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use stripe_sdk::{Client, RequestOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

const KEY: &str = "sk_test_51TrAcEdKeyThatMustNeverBeShown";

/// A span or an event as recorded: its name (or message) and its fields, as text.
#[derive(Clone, Debug, Default)]
struct Recorded {
    name: String,
    fields: BTreeMap<String, String>,
    /// For an event: the name of its parent span.
    parent: Option<String>,
}

#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<BTreeMap<u64, Recorded>>>,
    events: Arc<Mutex<Vec<Recorded>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _ctx: Context<'_, S>) {
        let mut span = Recorded { name: attrs.metadata().name().to_owned(), ..Recorded::default() };
        attrs.record(&mut Fields(&mut span.fields));
        self.spans.lock().expect("not poisoned").insert(id.into_u64(), span);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        if let Some(span) = self.spans.lock().expect("not poisoned").get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut recorded = Recorded::default();
        event.record(&mut Fields(&mut recorded.fields));
        recorded.name = recorded.fields.get("message").cloned().unwrap_or_default();
        recorded.parent = ctx.event_span(event).map(|span| span.name().to_owned());
        self.events.lock().expect("not poisoned").push(recorded);
    }
}

/// A loopback server answering the n-th request with `replies[n]` (status, request id).
async fn server(replies: Vec<(u16, &'static str, &'static str)>) -> String {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        for (status, request_id, body) in replies.into_iter().cycle() {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                }
            }
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nrequest-id: {request_id}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    base
}

const CUSTOMER: &str =
    r#"{"id": "cus_1", "object": "customer", "created": 1692140000, "livemode": false}"#;
const FAILURE: &str = r#"{"error": {"type": "api_error", "message": "try again"}}"#;

fn client(base: &str) -> Client {
    Client::builder(KEY)
        .api_base(base)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .expect("a client")
}

#[tokio::test]
async fn one_span_per_request_with_its_fields_and_an_event_per_retry() {
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let base = server(vec![(500, "req_first", FAILURE), (200, "req_second", CUSTOMER)]).await;
    let client = client(&base).with_options(RequestOptions::new().idempotency_key("idem_42"));

    let params = stripe_sdk::UpdateCustomerParams::new();
    let customer =
        stripe_sdk::Customer::update(&client, "cus_1", &params).await.expect("retried and decoded");
    assert_eq!(customer.id, "cus_1");

    let spans: Vec<Recorded> =
        capture.spans.lock().expect("not poisoned").values().cloned().collect();
    let requests: Vec<&Recorded> = spans.iter().filter(|s| s.name == "stripe.request").collect();
    assert_eq!(requests.len(), 1, "one span for the logical request: {spans:#?}");
    let fields = &requests[0].fields;
    assert_eq!(fields["operation"], "POST /v1/customers/{customer}");
    assert_eq!(fields["method"], "POST");
    assert_eq!(fields["path"], "/v1/customers/{customer}");
    assert_eq!(fields["idempotency_key"], "idem_42");
    assert_eq!(fields["attempts"], "2");
    assert_eq!(fields["status"], "200");
    assert_eq!(fields["request_id"], "req_second");
    assert!(fields["duration_ms"].parse::<u64>().is_ok(), "{fields:?}");

    let events = capture.events.lock().expect("not poisoned").clone();
    let retries: Vec<&Recorded> = events.iter().filter(|e| e.name.contains("retried")).collect();
    assert_eq!(retries.len(), 1, "{events:#?}");
    assert_eq!(retries[0].parent.as_deref(), Some("stripe.request"));
    assert_eq!(retries[0].fields["attempt"], "1");
    assert_eq!(retries[0].fields["status"], "500");
    assert_eq!(retries[0].fields["request_id"], "req_first");

    let everything = format!("{spans:?} {events:?}");
    assert!(!everything.contains("TrAcEdKey"), "a secret was recorded: {everything}");
}

#[tokio::test]
async fn a_list_without_ids_records_its_path_and_a_failure_its_status() {
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let base = server(vec![(
        400,
        "req_bad",
        r#"{"error": {"type": "invalid_request_error", "message": "no"}}"#,
    )])
    .await;
    let client = client(&base);
    let err = stripe_sdk::Customer::list(&client, &stripe_sdk::ListCustomerParams::new())
        .await
        .expect_err("a 400");
    assert!(err.to_string().contains("no"), "{err}");

    let spans: Vec<Recorded> =
        capture.spans.lock().expect("not poisoned").values().cloned().collect();
    let request = spans.iter().find(|s| s.name == "stripe.request").expect("a request span");
    assert_eq!(request.fields["operation"], "GET /v1/customers");
    assert_eq!(request.fields["attempts"], "1");
    assert_eq!(request.fields["status"], "400");
    assert_eq!(request.fields["request_id"], "req_bad");
    // GET has no idempotency key: the field stays empty.
    assert!(!request.fields.contains_key("idempotency_key"), "{:?}", request.fields);
    let events = capture.events.lock().expect("not poisoned").clone();
    assert!(events.iter().all(|e| !e.name.contains("retried")), "{events:#?}");
}
