//! The v2 API on the wire: JSON bodies, `Stripe-Context`, v2 pagination by `next_page_url`, v2
//! errors, and thin event notifications (verify, fetch the event, fetch the related object).

use serde_json::{json, Value};
use stripe_sdk::v2::billing::{CreateMeterEventParams, MeterEvent};
use stripe_sdk::v2::core::{Event, ListEventParams};
use stripe_sdk::webhook::{sign_test_header, EventObject, Webhook, WebhookError};
use stripe_sdk::{Client, Error, Method, RequestOptions};
use tests::capture::CaptureServer;

fn client(server: &CaptureServer) -> Client {
    Client::builder("sk_test_v2").api_base(&server.base_url).max_retries(0).build().expect("client")
}

fn event(id: &str) -> Value {
    json!({"id": id, "object": "v2.core.event", "type": "v1.billing.meter.error_report_triggered",
        "created": "2026-01-28T09:30:00.000Z", "livemode": false, "context": null})
}

fn page(ids: &[&str], next: Option<&str>) -> String {
    let data: Vec<Value> = ids.iter().map(|id| event(id)).collect();
    json!({"data": data, "next_page_url": next, "previous_page_url": null}).to_string()
}

#[tokio::test]
async fn a_v2_create_sends_json_with_the_context_header() {
    let answer = json!({"object": "v2.billing.meter_event", "created": "2026-01-28T09:30:00.123Z",
        "event_name": "api_requests", "identifier": "idem_1", "livemode": false,
        "payload": {"value": "25", "stripe_customer_id": "cus_1"},
        "timestamp": "2026-01-28T09:30:00.000Z"});
    let server = CaptureServer::start(answer.to_string()).await.expect("server");
    let client = client(&server).with_options(RequestOptions::new().stripe_context("acct_1"));
    let payload = [("stripe_customer_id", "cus_1"), ("value", "25")]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into_iter()
        .collect();
    let event = MeterEvent::create(&client, &CreateMeterEventParams::new("api_requests", payload))
        .await
        .expect("meter event");
    assert_eq!(event.created.to_string(), "2026-01-28T09:30:00.123Z");
    assert_eq!(event.created.subsec_nanos(), 123_000_000);

    let request = server.requests().remove(0);
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v2/billing/meter_events")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("stripe-context"), Some("acct_1"));
    assert_eq!(request.header("stripe-version"), Some(stripe_sdk::API_VERSION));
    assert!(request.header("idempotency-key").is_some_and(|key| !key.is_empty()));
    let body: Value = serde_json::from_str(&request.body).expect("a JSON body");
    assert_eq!(
        body,
        json!({"event_name": "api_requests", "payload": {"stripe_customer_id": "cus_1", "value": "25"}})
    );
}

#[tokio::test]
async fn a_v2_post_without_parameters_sends_no_body_and_raw_takes_v2_paths() {
    let server = CaptureServer::start(event("evt_1").to_string()).await.expect("server");
    let client = client(&server);
    let answer = client
        .raw(Method::Post, "/v2/core/event_destinations/ed_1/ping", &())
        .await
        .expect("raw v2");
    assert_eq!(answer["id"], "evt_1");
    let answer = client
        .raw(
            Method::Post,
            "/v2/core/event_destinations",
            &json!({"name": "a", "enabled_events": ["x"]}),
        )
        .await
        .expect("raw v2 with a body");
    assert_eq!(answer["object"], "v2.core.event");
    let requests = server.requests();
    assert_eq!(requests[0].body, "");
    assert_eq!(requests[0].header("content-type"), None);
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_str::<Value>(&requests[1].body).expect("JSON"),
        json!({"name": "a", "enabled_events": ["x"]})
    );
}

#[tokio::test]
async fn v2_pagination_follows_next_page_url_until_it_is_null() {
    let server = CaptureServer::scripted(vec![
        page(&["evt_1", "evt_2"], Some("/v2/core/events?page=p2&limit=2")),
        page(&["evt_3"], None),
    ])
    .await
    .expect("server");
    let client = client(&server);
    let mut params = ListEventParams::new();
    params.object_id = Some("mtr_1".into());
    let events =
        Event::list_paginated(&client, &params).page_size(2).collect_all().await.expect("all");
    let ids: Vec<&str> = events.iter().map(|event| event.id.as_str()).collect();
    assert_eq!(ids, ["evt_1", "evt_2", "evt_3"]);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        ["/v2/core/events?object_id=mtr_1&limit=2", "/v2/core/events?page=p2&limit=2"]
    );

    // One page on its own, with the URL of the next.
    let one = Event::list(&client, &params).await.expect("a page");
    assert_eq!(one.next_page_url, None);
}

#[tokio::test]
async fn v2_pagination_stops_on_a_repeated_or_foreign_page_url() {
    let repeating = Some("/v2/core/events?page=same");
    let server = CaptureServer::scripted(vec![page(&["evt_1"], repeating)]).await.expect("server");
    let err = Event::list_paginated(&client(&server), &ListEventParams::new())
        .collect_all()
        .await
        .expect_err("a loop");
    assert!(matches!(err, Error::PaginationLoop { page: 2, .. }), "{err:?}");
    assert_eq!(server.requests().len(), 2);

    for foreign in
        ["https://evil.example/v2/core/events?page=2", "//evil.example/v2/x", "/v1/customers"]
    {
        let server =
            CaptureServer::scripted(vec![page(&["evt_1"], Some(foreign))]).await.expect("server");
        let err = Event::list_paginated(&client(&server), &ListEventParams::new())
            .collect_all()
            .await
            .expect_err("not followed");
        assert!(err.to_string().contains("not a path of the v2 API"), "{foreign}: {err}");
        assert_eq!(server.requests().len(), 1, "{foreign}: the key went nowhere else");
    }
}

#[tokio::test]
async fn v2_errors_keep_type_code_message_and_user_message() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let error = json!({"error": {"type": "invalid_request_error", "code": "no_meter",
        "message": "No active meter was found for event name `x`.",
        "user_message": "Usage could not be recorded.", "doc_url": "https://docs.stripe.com/error-codes/no-meter"}});
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(400).set_body_json(error).insert_header("request-id", "req_v2"),
        )
        .mount(&server)
        .await;
    let client = Client::builder("sk_test_v2")
        .api_base(server.uri())
        .max_retries(0)
        .build()
        .expect("client");
    let params = CreateMeterEventParams::new("x", Default::default());
    let err = MeterEvent::create(&client, &params).await.expect_err("400");
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, 400);
    assert_eq!(api.code.as_deref(), Some("no_meter"));
    assert_eq!(api.error_type.as_deref(), Some("invalid_request_error"));
    assert_eq!(api.user_message.as_deref(), Some("Usage could not be recorded."));
    assert_eq!(api.doc_url.as_deref(), Some("https://docs.stripe.com/error-codes/no-meter"));
    assert_eq!(api.request_id.as_deref(), Some("req_v2"));
    assert_eq!(api.v2_code(), Some(stripe_sdk::v2::error::Code::NoMeter));
    // A code the SDK does not know is kept.
    let mut unknown = api.clone();
    unknown.code = Some("brand_new_code".into());
    assert_eq!(
        unknown.v2_code(),
        Some(stripe_sdk::v2::error::Code::Unknown("brand_new_code".into()))
    );
}

const SECRET: &str = "whsec_thin";
const NOW: i64 = 1_769_592_600;

fn notification(url: &str) -> Vec<u8> {
    json!({"id": "evt_thin_1", "object": "v2.core.event", "type": "v1.billing.meter.error_report_triggered",
        "created": "2026-01-28T09:30:00.000Z", "livemode": false, "context": "acct_ctx",
        "related_object": {"id": "mtr_1", "type": "billing.meter", "url": url}})
    .to_string()
    .into_bytes()
}

fn meter() -> String {
    let root = tests::workspace_root();
    let files = codegen::pin::Pin::load(&root).and_then(|pin| pin.locate(&root)).expect("pin");
    let fixtures: Value =
        serde_json::from_str(&std::fs::read_to_string(files.fixtures).expect("fixtures"))
            .expect("JSON");
    fixtures["resources"]["billing.meter"].to_string()
}

#[tokio::test]
async fn a_thin_event_is_verified_then_its_event_and_object_are_fetched_in_its_context() {
    let payload = notification("/v1/billing/meters/mtr_1");
    let header = sign_test_header(&payload, SECRET, NOW);
    let webhook = Webhook::new(SECRET).expect("secret").now(NOW + 5);
    let notification = webhook.parse_event_notification(&payload, Some(&header)).expect("verified");
    assert_eq!(notification.id, "evt_thin_1");
    assert_eq!(notification.context.as_deref(), Some("acct_ctx"));

    let server = CaptureServer::scripted(vec![event("evt_thin_1").to_string(), meter()])
        .await
        .expect("server");
    let client = client(&server);
    let event = notification.fetch_event(&client).await.expect("the event");
    assert_eq!(event.id, "evt_thin_1");
    let object = notification.fetch_related_object(&client).await.expect("the object");
    assert!(matches!(object, Some(EventObject::BillingMeter(_))), "{object:?}");
    let requests = server.requests();
    let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(targets, ["/v2/core/events/evt_thin_1", "/v1/billing/meters/mtr_1"]);
    assert!(requests.iter().all(|r| r.header("stripe-context") == Some("acct_ctx")));
}

#[tokio::test]
async fn a_thin_event_is_refused_as_construct_event_refuses() {
    let payload = notification("/v1/billing/meters/mtr_1");
    let webhook = Webhook::new(SECRET).expect("secret").now(NOW + 5);
    let forged = sign_test_header(&payload, "whsec_other", NOW);
    let err = webhook.parse_event_notification(&payload, Some(&forged)).expect_err("forged");
    assert!(matches!(err, WebhookError::NoMatchingSignature { .. }), "{err:?}");
    let old = sign_test_header(&payload, SECRET, NOW - 301);
    let err = webhook.parse_event_notification(&payload, Some(&old)).expect_err("too old");
    assert!(matches!(err, WebhookError::TimestampTooOld { .. }), "{err:?}");
    assert!(matches!(
        webhook.parse_event_notification(&payload, None),
        Err(WebhookError::MissingHeader)
    ));
    let not_json = b"not json";
    let header = sign_test_header(not_json, SECRET, NOW);
    assert!(matches!(
        webhook.parse_event_notification(not_json, Some(&header)),
        Err(WebhookError::InvalidJson(_))
    ));
    let no_id = br#"{"type": "x", "created": "2026-01-28T09:30:00Z"}"#;
    let header = sign_test_header(no_id, SECRET, NOW);
    let err = webhook.parse_event_notification(no_id, Some(&header)).expect_err("no id");
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

#[tokio::test]
async fn a_related_object_url_to_another_host_is_not_fetched() {
    let server = CaptureServer::start(meter()).await.expect("server");
    for url in
        ["https://evil.example/v1/billing/meters/mtr_1", "//evil.example/v1/x", "billing/meters"]
    {
        let payload = notification(url);
        let header = sign_test_header(&payload, SECRET, NOW);
        let webhook = Webhook::new(SECRET).expect("secret").now(NOW);
        let notification = webhook.parse_event_notification(&payload, Some(&header)).expect("ok");
        let err = notification.fetch_related_object(&client(&server)).await.expect_err("refused");
        assert!(matches!(err, Error::InvalidArgument(_)), "{url}: {err:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn v2_path_ids_and_answers_are_bounded_like_v1() {
    // A path id that URL parsing would drop is refused before anything is sent.
    let server = CaptureServer::start(event("evt_1").to_string()).await.expect("server");
    for id in ["", ".", ".."] {
        let err = Event::retrieve(&client(&server), id).await.expect_err("refused");
        assert!(matches!(err, Error::InvalidArgument(_)), "{id:?}: {err:?}");
    }
    assert!(server.requests().is_empty());

    // A page longer than the client's limit ends the call.
    let ids: Vec<String> = (0..2_000).map(|n| format!("evt_{n}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let server = CaptureServer::start(page(&ids, None)).await.expect("server");
    let small = Client::builder("sk_test_v2")
        .api_base(&server.base_url)
        .max_retries(0)
        .max_response_bytes(64 * 1024)
        .build()
        .expect("client");
    let err = Event::list(&small, &ListEventParams::new()).await.expect_err("too large");
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");

    // Deeply nested JSON in an event is an error naming where, not a stack overflow.
    // (Written as text: a `Value` that deep would overflow the test's own stack when dropped.)
    let deep = format!(
        r#"{{"id":"evt_deep","object":"v2.core.event","type":"x","created":"2026-01-28T09:30:00.000Z","livemode":false,"changes":{}1{}}}"#,
        r#"{"a":"#.repeat(100_000),
        "}".repeat(100_000)
    );
    let server = CaptureServer::start(deep).await.expect("server");
    let err = Event::retrieve(&client(&server), "evt_deep").await.expect_err("too deep");
    assert!(matches!(err, Error::Decode { .. } | Error::InvalidResponse { .. }), "{err:?}");
}
