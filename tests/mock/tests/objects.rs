//! Objects, events and the test controls: deleted customers, products and prices, events as
//! Stripe names them, API keys, the request log's headers, seeded objects and emitted events, and
//! no example data in new objects.

mod common;

use common::{customer, event_types, events_of, get, int, post, post_err, start, text};
use serde_json::json;
use stripe_sdk::{Client, Method};
use stripe_sdk_mock::MockServer;

#[tokio::test]
async fn a_deleted_customer_is_answered_as_deleted() {
    let (mock, client) = start().await;
    let jenny = customer(&client, "jenny@example.com").await;
    let id = text(&jenny, "id");
    let deleted =
        client.raw(Method::Delete, &format!("/v1/customers/{id}"), &()).await.expect("delete");
    assert_eq!(deleted, json!({"id": id, "object": "customer", "deleted": true}));
    let again = get(&client, &format!("/v1/customers/{id}")).await;
    assert_eq!(again, json!({"id": id, "object": "customer", "deleted": true}));
    let listed = get(&client, "/v1/customers").await;
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(0));
    assert_eq!(event_types(&mock), ["customer.created", "customer.deleted"]);
    // Objects whose retrieval has no deleted form stay 404 after deletion.
    let product = post(&client, "/v1/products", json!({"name": "Gone"})).await;
    client
        .raw(Method::Delete, &format!("/v1/products/{}", text(&product, "id")), &())
        .await
        .expect("delete");
    let error = client
        .raw(Method::Get, &format!("/v1/products/{}", text(&product, "id")), &())
        .await
        .expect_err("404");
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn prices_take_their_type_from_recurring_and_their_product_must_exist() {
    let (mock, client) = start().await;
    let monthly = post(
        &client,
        "/v1/prices",
        json!({"currency": "usd", "unit_amount": 999, "recurring": {"interval": "month", "interval_count": 3}, "product_data": {"name": "Quarterly"}, "lookup_key": "quarterly"}),
    )
    .await;
    assert_eq!(
        (monthly["type"].as_str(), monthly["unit_amount"].as_i64()),
        (Some("recurring"), Some(999))
    );
    assert_eq!(
        (
            monthly["recurring"]["interval"].as_str(),
            monthly["recurring"]["interval_count"].as_i64()
        ),
        (Some("month"), Some(3))
    );
    let product = get(&client, &format!("/v1/products/{}", text(&monthly, "product"))).await;
    assert_eq!(product["name"], "Quarterly");
    let once = post(&client, "/v1/prices", json!({"currency": "usd", "unit_amount": 500, "product": product["id"], "lookup_key": "once"})).await;
    assert_eq!((once["type"].as_str(), once["recurring"].is_null()), (Some("one_time"), true));
    let missing = post_err(
        &client,
        "/v1/prices",
        json!({"currency": "usd", "unit_amount": 1, "product": "prod_missing"}),
    )
    .await;
    assert_eq!((missing.status, missing.param.as_deref()), (404, Some("product")));
    let by_key = get(&client, "/v1/prices?lookup_keys[]=quarterly").await;
    let ids: Vec<&str> =
        by_key["data"].as_array().into_iter().flatten().map(|price| text(price, "id")).collect();
    assert_eq!(ids, [text(&monthly, "id")]);
    let recurring = get(&client, "/v1/prices?type=one_time").await;
    assert_eq!(recurring["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(event_types(&mock), ["product.created", "price.created", "price.created"]);
}

#[tokio::test]
async fn previous_attributes_hold_only_what_changed() {
    let (mock, client) = start().await;
    let jenny = post(&client, "/v1/customers", json!({"email": "a@example.com", "name": "Jenny", "metadata": {"plan": "basic", "team": "a"}})).await;
    post(
        &client,
        &format!("/v1/customers/{}", text(&jenny, "id")),
        json!({"email": "b@example.com", "metadata": {"plan": "pro", "seats": "3"}}),
    )
    .await;
    let updated = &events_of(&mock, "customer.updated")[0];
    assert_eq!(
        updated["data"]["previous_attributes"],
        json!({"email": "a@example.com", "metadata": {"plan": "basic", "seats": null}})
    );
    assert_eq!(
        updated["data"]["object"]["metadata"],
        json!({"plan": "pro", "team": "a", "seats": "3"})
    );
    assert_eq!(updated["request"]["id"].as_str().map(|id| id.starts_with("req_")), Some(true));
    // Every recorded type is one the spec lists (a portal session has no event).
    post(&client, "/v1/billing_portal/sessions", json!({"customer": jenny["id"]})).await;
    assert_eq!(event_types(&mock), ["customer.created", "customer.updated"]);
}

#[tokio::test]
async fn only_the_configured_api_keys_are_accepted() {
    let mock =
        MockServer::builder().api_keys(["sk_test_good_0123456789"]).start().await.expect("start");
    let client = |key: &str| {
        Client::builder(key).api_base(mock.url()).max_retries(0).build().expect("client")
    };
    let good = client("sk_test_good_0123456789");
    customer(&good, "ok@example.com").await;
    let bad = client("sk_test_wrong_9876543210");
    let error = bad.raw(Method::Get, "/v1/customers", &()).await.expect_err("401");
    let api = error.api_error().expect("an API error");
    assert_eq!((api.status, api.code.as_deref()), (401, Some("api_key_invalid")));
    let message = api.message.clone().unwrap_or_default();
    assert!(message.contains("****3210") && !message.contains("wrong_9876"), "{message}");

    let prefixed = MockServer::builder().api_key_prefix("sk_test_").start().await.expect("start");
    let live = Client::builder("sk_live_0123456789abcdef")
        .api_base(prefixed.url())
        .max_retries(0)
        .build()
        .expect("client");
    assert_eq!(
        live.raw(Method::Get, "/v1/customers", &()).await.expect_err("401").status(),
        Some(401)
    );

    // The request log has the headers, the key redacted.
    let logged = mock.requests().into_iter().next().expect("a request");
    assert!(
        logged
            .header("user-agent")
            .is_some_and(|agent| agent.starts_with("Stripe/v1 RustBindings")),
        "{:?}",
        logged.headers
    );
    assert!(logged.header("stripe-version").is_some());
    let authorization = logged.header("authorization").unwrap_or_default();
    assert!(
        authorization.contains("****6789") && !authorization.contains("good_0123"),
        "{authorization}"
    );
}

#[tokio::test]
async fn tests_seed_objects_and_emit_events() {
    let (mock, client) = start().await;
    let jenny = customer(&client, "jenny@example.com").await;
    let seeded = mock
        .insert(
            "subscription",
            json!({"customer": jenny["id"], "status": "past_due", "metadata": {"seeded": "yes"}}),
        )
        .expect("insert");
    let id = text(&seeded, "id");
    assert!(id.starts_with("sub_"), "{id}");
    let fetched = get(&client, &format!("/v1/subscriptions/{id}")).await;
    assert_eq!(
        (fetched["status"].as_str(), fetched["metadata"]["seeded"].as_str()),
        (Some("past_due"), Some("yes"))
    );
    let paid = mock.insert("invoice", json!({"id": "in_seeded", "customer": jenny["id"], "status": "paid", "amount_paid": 4200})).expect("insert");
    assert_eq!(get(&client, "/v1/invoices/in_seeded").await["amount_paid"], 4200);
    let event = mock.emit("invoice.payment_failed", paid).expect("emit");
    assert_eq!(event["type"], "invoice.payment_failed");
    assert_eq!(
        get(&client, &format!("/v1/events/{}", text(&event, "id"))).await["data"]["object"]["id"],
        "in_seeded"
    );
    assert!(mock.emit("invoice.exploded", json!({})).is_err());
    assert!(mock.insert("no_such_thing", json!({})).is_err());
    assert!(mock
        .signed_events()
        .iter()
        .any(|signed| signed.payload.contains("invoice.payment_failed")));
}

#[tokio::test]
async fn new_objects_carry_no_example_data() {
    let (mock, client) = start().await;
    let before = mock.clock().now();
    let jenny = post(&client, "/v1/customers", json!({"email": "jenny@example.com"})).await;
    assert!(int(&jenny, "created") >= before);
    for field in
        ["name", "phone", "description", "address", "shipping", "discount", "default_source"]
    {
        assert!(jenny[field].is_null(), "{field}: {}", jenny[field]);
    }
    let session =
        post(&client, "/v1/billing_portal/sessions", json!({"customer": jenny["id"]})).await;
    assert!(text(&session, "url").starts_with(&mock.url()));
    let intent =
        post(&client, "/v1/payment_intents", json!({"amount": 4321, "currency": "usd"})).await;
    assert_eq!(intent["amount"], 4321);
    assert!(text(&intent, "client_secret").starts_with(text(&intent, "id")));
    let intent_text = intent.to_string();
    for example in ["1234567890", "stripe.com", "pi_3MtwBwLkdIwHu7ix28a3tqPa"] {
        assert!(!intent_text.contains(example), "{example} in {intent_text}");
    }
}

#[tokio::test]
async fn searches_refuse_malformed_queries_and_unknown_fields() {
    let (_mock, client) = start().await;
    customer(&client, "jenny@example.com").await;
    let found = get(&client, "/v1/customers/search?query=email%3A%27jenny%40example.com%27").await;
    assert_eq!(found["data"].as_array().map(Vec::len), Some(1));
    for query in
        ["email", "email:'a' AND", "favourite_colour:'blue'", "email:'a' AND name:'b' OR phone:'c'"]
    {
        let error = client
            .raw(Method::Get, "/v1/customers/search", &json!({"query": query}))
            .await
            .expect_err(query);
        let api = error.api_error().expect("an API error");
        assert_eq!((api.status, api.param.as_deref()), (400, Some("query")), "{query}");
    }
}

#[tokio::test]
async fn a_seeded_object_of_the_wrong_shape_gets_a_500_not_a_dropped_connection() {
    let (mock, client) = start().await;
    let jenny = customer(&client, "jenny@example.com").await;
    mock.insert(
        "invoice",
        json!({"id": "in_odd", "customer": jenny["id"], "status": "open", "status_transitions": 7}),
    )
    .expect("insert");
    let error = post_err(&client, "/v1/invoices/in_odd/void", json!({})).await;
    assert_eq!((error.status, error.error_type.as_deref()), (500, Some("api_error")));
    assert!(error
        .message
        .as_deref()
        .is_some_and(|message| message.contains("PostInvoicesInvoiceVoid")));
    // The server goes on answering.
    assert_eq!(get(&client, "/v1/invoices/in_odd").await["status"], "open");
}
