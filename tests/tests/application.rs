//! An application's own tests, written as a user of `stripe-sdk` would write them against
//! `stripe-sdk-mock` (a dev-dependency): each test starts its own server, with its own state, on a
//! loopback port, and needs no spec file, network or Stripe account.

use std::collections::BTreeMap;
use std::time::Duration;

use stripe_sdk::webhook::{EventObject, Webhook};
use stripe_sdk::{
    Client, CreateCustomerParams, CreatePaymentIntentParams, Customer, CustomerOrDeletedCustomer,
    ErrorKind, Expandable, ListCustomerParams, PaymentIntent, RetrieveCustomerParams,
    RetrievePaymentIntentParams, SearchCustomerParams, Unsettable, UpdateCustomerParams,
};
use stripe_sdk_mock::{Fault, MockServer};

fn client(mock: &MockServer, retries: u32) -> Client {
    Client::builder("sk_test_123")
        .api_base(mock.url())
        .max_retries(retries)
        .build()
        .expect("a client for the mock")
}

fn metadata(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn create_customer(client: &Client, email: &str) -> Customer {
    let params = CreateCustomerParams {
        email: Some(email.into()),
        name: Some("Jenny Rosen".into()),
        metadata: Some(Unsettable::Set(metadata(&[("plan", "pro"), ("team", "a")]))),
        ..Default::default()
    };
    Customer::create(client, &params).await.expect("create")
}

async fn retrieve(client: &Client, id: &str) -> Result<Customer, stripe_sdk::Error> {
    match Customer::retrieve(client, id, &RetrieveCustomerParams::new()).await? {
        CustomerOrDeletedCustomer::Customer(customer) => Ok(*customer),
        other => panic!("not a live customer: {other:?}"),
    }
}

#[tokio::test]
async fn create_retrieve_update_list_delete() {
    let mock = MockServer::start().await;
    let client = client(&mock, 0);

    // create: a fresh id, the request's values, nothing else of the fixture's customer
    let customer = create_customer(&client, "jenny@example.com").await;
    assert!(customer.id.starts_with("cus_") && customer.id.len() > 10, "{}", customer.id);
    assert_eq!(customer.email.as_deref(), Some("jenny@example.com"));
    assert_eq!(customer.phone, None);
    let other = create_customer(&client, "other@example.com").await;
    assert_ne!(customer.id, other.id);

    // retrieve: the same customer
    let again = retrieve(&client, &customer.id).await.expect("retrieve");
    assert_eq!(again.email.as_deref(), Some("jenny@example.com"));
    assert_eq!(again.name.as_deref(), Some("Jenny Rosen"));

    // update: parameters merge; a metadata key set to "" is removed, the others are kept
    let mut update = UpdateCustomerParams::new();
    update.email = Some("jenny@new.example".into());
    update.metadata = Some(Unsettable::Set(metadata(&[("plan", ""), ("seats", "3")])));
    let updated = Customer::update(&client, &customer.id, &update).await.expect("update");
    assert_eq!(updated.email.as_deref(), Some("jenny@new.example"));
    assert_eq!(updated.name.as_deref(), Some("Jenny Rosen"));
    assert_eq!(updated.metadata, Some(metadata(&[("team", "a"), ("seats", "3")])));
    let again = retrieve(&client, &customer.id).await.expect("retrieve after update");
    assert_eq!(again.email.as_deref(), Some("jenny@new.example"));

    // list: newest first, with working cursors
    for n in 0..3 {
        create_customer(&client, &format!("more{n}@example.com")).await;
    }
    let mut params = ListCustomerParams::new();
    params.limit = Some(2);
    let first = Customer::list(&client, &params).await.expect("list");
    assert_eq!(first.data.len(), 2);
    assert!(first.has_more);
    assert_eq!(first.data[0].email.as_deref(), Some("more2@example.com"));
    let all = Customer::list_paginated(&client, &params).collect_all().await.expect("all pages");
    assert_eq!(all.len(), 5);
    params.email = Some("other@example.com".into());
    let filtered = Customer::list(&client, &params).await.expect("filtered list");
    assert_eq!(filtered.data.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [&other.id]);

    // search
    let search = SearchCustomerParams::new("email:'jenny@new.example'");
    let found = Customer::search(&client, &search).await.expect("search");
    assert_eq!(found.data.len(), 1);
    assert_eq!(found.data[0].id, customer.id);

    // delete; retrieving it then answers the deleted customer (as Stripe does), updating it 404
    let deleted = Customer::delete(&client, &customer.id).await.expect("delete");
    assert!(deleted.deleted);
    assert_eq!(deleted.id, customer.id);
    match Customer::retrieve(&client, &customer.id, &RetrieveCustomerParams::new()).await {
        Ok(CustomerOrDeletedCustomer::DeletedCustomer(gone)) => {
            assert!(gone.deleted);
            assert_eq!(gone.id, customer.id);
        }
        other => panic!("expected the deleted customer, got {other:?}"),
    }
    let err = Customer::update(&client, &customer.id, &UpdateCustomerParams::new())
        .await
        .expect_err("updating a deleted customer");
    let api = err.api_error().expect("an API error");
    assert_eq!(
        (api.status, api.kind, api.code.as_deref()),
        (404, ErrorKind::InvalidRequest, Some("resource_missing"))
    );
    let left = Customer::list(&client, &ListCustomerParams::new()).await.expect("list");
    assert_eq!(left.data.len(), 4);

    // the request log
    let requests = mock.requests();
    assert_eq!(requests[0].operation.as_deref(), Some("PostCustomers"));
    assert_eq!(requests[0].params["email"], "jenny@example.com");
    assert!(requests.iter().all(|r| r.status == 200 || r.status == 404));
}

#[tokio::test]
async fn expandable_ids_expand_to_stored_objects() {
    let mock = MockServer::start().await;
    let client = client(&mock, 0);
    let customer = create_customer(&client, "buyer@example.com").await;
    let mut params = CreatePaymentIntentParams::new(2_000, "usd");
    params.customer = Some(customer.id.clone().into());
    let intent = PaymentIntent::create(&client, &params).await.expect("create");
    assert_eq!(intent.amount, Some(2_000));
    assert_eq!(intent.customer.as_ref().map(Expandable::id), Some(customer.id.as_str()));

    let mut retrieve = RetrievePaymentIntentParams::new();
    retrieve.expand = Some(vec!["customer".into()]);
    let expanded = PaymentIntent::retrieve(&client, &intent.id, &retrieve).await.expect("expand");
    match expanded.customer {
        Some(Expandable::Object(object)) => match *object {
            CustomerOrDeletedCustomer::Customer(c) => {
                assert_eq!(c.email.as_deref(), Some("buyer@example.com"))
            }
            other => panic!("not a customer: {other:?}"),
        },
        other => panic!("not expanded: {other:?}"),
    }
    // an action on the stored object
    let canceled =
        PaymentIntent::cancel(&client, &intent.id, &Default::default()).await.expect("cancel");
    assert_eq!(canceled.status.as_str(), "canceled");
    assert_eq!(canceled.amount, Some(2_000));

    retrieve.expand = Some(vec!["amount".into()]);
    let err = PaymentIntent::retrieve(&client, &intent.id, &retrieve).await.expect_err("400");
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, 400);
    assert!(api.message.as_deref().unwrap_or("").contains("(amount)"), "{api:?}");
}

#[tokio::test]
async fn programmed_faults() {
    let mock = MockServer::start().await;
    let no_retries = client(&mock, 0);
    let params = CreatePaymentIntentParams::new(500, "usd");

    mock.fail_next("POST /v1/payment_intents", Fault::card_declined()).expect("a known operation");
    let err = PaymentIntent::create(&no_retries, &params).await.expect_err("declined");
    let api = err.api_error().expect("an API error");
    assert_eq!((api.kind, api.decline_code.as_deref()), (ErrorKind::Card, Some("generic_decline")));
    PaymentIntent::create(&no_retries, &params).await.expect("only the next call fails");

    // 429 lock_timeout twice: the SDK retries with the same idempotency key and succeeds.
    mock.clear_requests();
    mock.fail("PostPaymentIntents", Fault::lock_timeout(), 2).expect("a known operation");
    let retrying = client(&mock, 2);
    PaymentIntent::create(&retrying, &params).await.expect("succeeds on the third attempt");
    let attempts = mock.requests();
    assert_eq!(attempts.iter().map(|r| r.status).collect::<Vec<_>>(), [429, 429, 200]);
    assert!(attempts.iter().all(|r| r.idempotency_key == attempts[0].idempotency_key));

    // The answer is lost after the customer was created: the retry (same idempotency key) gets
    // the saved answer, and there is one customer, not two.
    mock.clear_requests();
    mock.fail_next("POST /v1/customers", Fault::lose_answer()).expect("a known operation");
    let created = create_customer(&retrying, "once@example.com").await;
    let mut by_email = ListCustomerParams::new();
    by_email.email = Some("once@example.com".into());
    let found = Customer::list(&no_retries, &by_email).await.expect("list");
    assert_eq!(found.data.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [&created.id]);
    let posts: Vec<_> = mock.requests().into_iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].idempotency_key, posts[1].idempotency_key);

    // One idempotency key: the same request again is replayed, another request is refused. (A
    // key given with `with_options` is good for one request: each use names it again.)
    let keyed =
        || no_retries.with_options(stripe_sdk::RequestOptions::new().idempotency_key("order-42"));
    let first = create_customer(&keyed(), "keyed@example.com").await;
    let replayed = create_customer(&keyed(), "keyed@example.com").await;
    assert_eq!(first.id, replayed.id);
    let other = CreateCustomerParams { email: Some("x@example.com".into()), ..Default::default() };
    let err = Customer::create(&keyed(), &other).await.expect_err("the key is taken");
    assert_eq!(err.api_error().map(|e| e.kind), Some(ErrorKind::Idempotency));

    mock.fail_next("*", Fault::server_error()).expect("any operation");
    let err = Customer::list(&no_retries, &ListCustomerParams::new()).await.expect_err("500");
    assert_eq!(err.status(), Some(500));

    mock.fail_next("GetCustomers", Fault::drop_connection()).expect("a known operation");
    let err = Customer::list(&no_retries, &ListCustomerParams::new()).await.expect_err("dropped");
    assert!(matches!(err, stripe_sdk::Error::Connection { .. }), "{err:?}");

    let slow = Client::builder("sk_test_123")
        .api_base(mock.url())
        .max_retries(0)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client");
    mock.fail_next("GetCustomers", Fault::delay(Duration::from_secs(2))).expect("known");
    let err = Customer::list(&slow, &ListCustomerParams::new()).await.expect_err("timeout");
    assert!(matches!(err, stripe_sdk::Error::Timeout { .. }), "{err:?}");

    assert!(mock.fail_next("PostNothing", Fault::server_error()).is_err());
}

#[tokio::test]
async fn every_change_is_a_signed_event() {
    let mock = MockServer::start().await;
    let client = client(&mock, 0);
    let customer = create_customer(&client, "events@example.com").await;
    let mut update = UpdateCustomerParams::new();
    update.description = Some("VIP".into());
    Customer::update(&client, &customer.id, &update).await.expect("update");
    Customer::delete(&client, &customer.id).await.expect("delete");

    let types: Vec<String> =
        mock.events().iter().filter_map(|e| e["type"].as_str().map(str::to_owned)).collect();
    assert_eq!(types, ["customer.created", "customer.updated", "customer.deleted"]);
    assert_eq!(
        mock.events()[1]["data"]["previous_attributes"]["description"],
        serde_json::Value::Null
    );

    let webhook = Webhook::new(mock.webhook_secret()).expect("a signing secret");
    let signed = mock.signed_events();
    let event = webhook
        .construct_event(signed[0].payload.as_bytes(), Some(&signed[0].signature))
        .expect("the signature verifies");
    assert_eq!(event.type_.as_str(), "customer.created");
    match event.data.object {
        EventObject::Customer(created) => assert_eq!(created.id, customer.id),
        other => panic!("not a customer: {other:?}"),
    }
    let forged = Webhook::new("whsec_someone_else")
        .expect("a signing secret")
        .construct_event(signed[0].payload.as_bytes(), Some(&signed[0].signature));
    assert!(forged.is_err());
}

/// Whether `request` holds a head and the `Content-Length` bytes of body it announces.
fn complete(request: &[u8]) -> bool {
    let text = String::from_utf8_lossy(request);
    let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("Content-Length: "))
        .and_then(|value| value.trim().parse::<usize>().ok());
    length.is_some_and(|length| body.len() >= length)
}

#[tokio::test]
async fn events_are_posted_to_a_loopback_endpoint() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/webhook", listener.local_addr().expect("address"));
    let receiver = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a delivery");
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !complete(&request) {
            let read = stream.read(&mut buffer).await.expect("read");
            if read == 0 {
                break;
            }
            request.extend_from_slice(&buffer[..read]);
        }
        stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await.expect("answer");
        String::from_utf8_lossy(&request).into_owned()
    });
    let mock = MockServer::builder().webhook_url(&url).start().await.expect("starts");
    let client = client(&mock, 0);
    create_customer(&client, "hook@example.com").await;
    let request = tokio::time::timeout(Duration::from_secs(10), receiver)
        .await
        .expect("delivered in time")
        .expect("the receiver ran");
    assert!(request.starts_with("POST /webhook HTTP/1.1"), "{request}");
    let (head, body) = request.split_once("\r\n\r\n").expect("a body");
    let signature = head
        .lines()
        .find_map(|line| line.strip_prefix("Stripe-Signature: "))
        .expect("a Stripe-Signature header");
    let event = Webhook::new(mock.webhook_secret())
        .expect("a signing secret")
        .construct_event(body.as_bytes(), Some(signature))
        .expect("verifies");
    assert_eq!(event.type_.as_str(), "customer.created");
    assert!(MockServer::builder().webhook_url("http://example.com/hook").start().await.is_err());
}
