//! Exact wire format of representative operations, sent through the generated methods to a
//! loopback server that records them (as the official SDKs' tests assert the encoded body).

use stripe_sdk::{Client, Unsettable};
use tests::capture::{CaptureServer, Captured};

fn fixture(resource: &str) -> String {
    tests::fixtures::get(resource).to_string()
}

async fn server(resource: &str) -> (CaptureServer, Client) {
    let server = CaptureServer::start(fixture(resource)).await.expect("capture server starts");
    let client = Client::builder("sk_test_wire")
        .api_base(&server.base_url)
        .max_retries(0)
        .build()
        .expect("client");
    (server, client)
}

fn only(server: &CaptureServer) -> Captured {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.into_iter().next().expect("one request")
}

#[tokio::test]
async fn billing_portal_session_create_is_form_encoded_in_field_order() {
    let (server, client) = server("billing_portal.session").await;
    let mut params = stripe_sdk::billing_portal::CreateSessionParams::new();
    params.customer = Some("cus_123".into());
    params.locale = Some(stripe_sdk::billing_portal::SessionLocale::FrCa);
    params.return_url = Some("https://example.com".to_owned());
    let session =
        stripe_sdk::billing_portal::Session::create(&client, &params).await.expect("session");
    assert_eq!(session.object, "billing_portal.session");

    let request = only(&server);
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v1/billing_portal/sessions")
    );
    assert_eq!(request.body, "customer=cus_123&locale=fr-CA&return_url=https%3A%2F%2Fexample.com");
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(request.header("authorization"), Some("Bearer sk_test_wire"));
    assert_eq!(request.header("stripe-version"), Some(stripe_sdk::API_VERSION));
    assert!(request.header("idempotency-key").is_some_and(|key| !key.is_empty()));
}

#[tokio::test]
async fn nested_arrays_metadata_and_expand_use_bracket_notation() {
    let (server, client) = server("subscription").await;
    let mut item = stripe_sdk::SubscriptionItemCreateParams::new();
    item.price = Some("price_1".to_owned());
    item.quantity = Some(2);
    item.metadata = Some([("slot".to_owned(), "a b".to_owned())].into());
    let mut params = stripe_sdk::CreateSubscriptionParams::new();
    params.customer = Some("cus_123".into());
    params.items = Some(vec![item]);
    params.expand = Some(vec!["latest_invoice.payment_intent".to_owned()]);
    params.metadata = Some(Unsettable::Set([("order".to_owned(), "6735".to_owned())].into()));
    params.cancel_at_period_end = Some(false);
    stripe_sdk::Subscription::create(&client, &params).await.expect("subscription");

    let request = only(&server);
    assert_eq!(request.target, "/v1/subscriptions");
    assert_eq!(
        request.body,
        "cancel_at_period_end=false&customer=cus_123&expand[0]=latest_invoice.payment_intent\
         &items[0][metadata][slot]=a+b&items[0][price]=price_1&items[0][quantity]=2&metadata[order]=6735"
    );
}

#[tokio::test]
async fn unset_sends_the_empty_string_and_none_sends_nothing() {
    let (server, client) = server("customer").await;
    let mut params = stripe_sdk::UpdateCustomerParams::new();
    params.metadata = Some(Unsettable::Unset);
    params.shipping = Some(Unsettable::Unset);
    params.description = Some("VIP".to_owned());
    stripe_sdk::Customer::update(&client, "cus_123", &params).await.expect("customer");

    let request = only(&server);
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v1/customers/cus_123")
    );
    assert_eq!(request.body, "description=VIP&metadata=&shipping=");
}

#[tokio::test]
async fn list_parameters_go_in_the_query_with_nested_ranges() {
    let list = format!(
        r#"{{"object": "list", "data": [{}], "has_more": false, "url": "/v1/customers"}}"#,
        fixture("customer")
    );
    let server = CaptureServer::start(list).await.expect("capture server starts");
    let client = Client::builder("sk_test_wire")
        .api_base(&server.base_url)
        .max_retries(0)
        .build()
        .expect("client");
    let mut range = stripe_sdk::RangeQuerySpecs::new();
    range.gte = Some(1_700_000_000);
    let mut params = stripe_sdk::ListCustomerParams::new();
    params.created = Some(stripe_sdk::Created::RangeQuerySpecs(range));
    params.limit = Some(3);
    let page = stripe_sdk::Customer::list(&client, &params).await.expect("page");
    assert_eq!(page.data.len(), 1);

    let request = only(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/v1/customers?created[gte]=1700000000&limit=3");
    assert_eq!(request.body, "");
    assert_eq!(request.header("idempotency-key"), None);
}

#[tokio::test]
async fn path_ids_are_percent_encoded() {
    let (server, client) = server("customer").await;
    let params =
        stripe_sdk::RetrieveCustomerParams { expand: Some(vec!["default_source".to_owned()]) };
    stripe_sdk::Customer::retrieve(&client, "cus 1/../x", &params).await.expect("customer");
    assert_eq!(only(&server).target, "/v1/customers/cus%201%2F..%2Fx?expand[0]=default_source");
}

#[tokio::test]
async fn delete_decodes_the_deleted_object() {
    let (server, client) = server("deleted_customer").await;
    let deleted = stripe_sdk::Customer::delete(&client, "cus_123").await.expect("deleted customer");
    assert!(deleted.deleted);
    let request = only(&server);
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("DELETE", "/v1/customers/cus_123")
    );
    assert!(request.header("idempotency-key").is_some());
}

#[tokio::test]
async fn an_operation_future_owns_its_request_and_is_sent_only_when_awaited() {
    let (server, client) = server("billing_portal.session").await;
    let mut params = stripe_sdk::billing_portal::CreateSessionParams::new();
    params.customer = Some("cus_owned".into());
    let future = stripe_sdk::billing_portal::Session::create(&client, &params);
    // Parameters are encoded at the call: neither they nor the client need to outlive the future.
    drop(params);
    drop(client);
    tokio::task::yield_now().await;
    assert!(server.requests().is_empty(), "nothing is sent before the future is polled");
    let session = tokio::spawn(future).await.expect("the task runs").expect("session");
    assert_eq!(session.object, "billing_portal.session");
    assert_eq!(only(&server).body, "customer=cus_owned");
}
