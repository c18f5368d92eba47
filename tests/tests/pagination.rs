//! Auto-pagination against a local server serving several pages: the exact sequence of requests,
//! forwards, backwards, for searches, with a page size and a total limit, and with an error.

use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use stripe_sdk::{Client, Customer, ListCustomerParams, SearchCustomerParams};
use tests::capture::CaptureServer;
use tests::json::{customer, customer_page as page};

fn search_page(ids: &[&str], next_page: Option<&str>) -> String {
    let data: Vec<Value> = ids.iter().map(|id| customer(id)).collect();
    json!({"object": "search_result", "data": data, "has_more": next_page.is_some(), "next_page": next_page,
           "url": "/v1/customers/search"})
    .to_string()
}

async fn client_for(responses: Vec<String>) -> (CaptureServer, Client) {
    let server = CaptureServer::scripted(responses).await.expect("server starts");
    let client = Client::builder("sk_test_pages")
        .api_base(&server.base_url)
        .max_retries(0)
        .build()
        .expect("client");
    (server, client)
}

fn targets(server: &CaptureServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.target).collect()
}

#[tokio::test]
async fn stream_follows_starting_after_until_has_more_is_false() {
    let (server, client) = client_for(vec![
        page(&["cus_1", "cus_2"], true),
        page(&["cus_3", "cus_4"], true),
        page(&["cus_5"], false),
    ])
    .await;
    let params = ListCustomerParams::new();
    let ids: Vec<String> = Customer::list_paginated(&client, &params)
        .page_size(2)
        .into_stream()
        .map_ok(|c| c.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
    assert_eq!(
        targets(&server),
        [
            "/v1/customers?limit=2",
            "/v1/customers?limit=2&starting_after=cus_2",
            "/v1/customers?limit=2&starting_after=cus_4"
        ]
    );
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let (server, client) =
        client_for(vec![page(&["cus_1", "cus_2"], true), page(&["cus_3"], false)]).await;
    let params = ListCustomerParams::new();
    let mut stream = Box::pin(Customer::list_paginated(&client, &params).into_stream());
    assert_eq!(stream.next().await.unwrap().unwrap().id, "cus_1");
    assert_eq!(stream.next().await.unwrap().unwrap().id, "cus_2");
    assert_eq!(server.requests().len(), 1, "the second page is not fetched before it is needed");
    assert_eq!(stream.next().await.unwrap().unwrap().id, "cus_3");
    assert!(stream.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn total_limit_stops_early_without_fetching_more() {
    let (server, client) =
        client_for(vec![page(&["cus_1", "cus_2"], true), page(&["cus_3", "cus_4"], true)]).await;
    let params = ListCustomerParams::new();
    let all = Customer::list_paginated(&client, &params).max_items(3).collect_all().await.unwrap();
    assert_eq!(all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["cus_1", "cus_2", "cus_3"]);
    assert_eq!(targets(&server), ["/v1/customers", "/v1/customers?starting_after=cus_2"]);
}

#[tokio::test]
async fn backwards_follows_ending_before() {
    let (server, client) =
        client_for(vec![page(&["cus_8", "cus_9"], true), page(&["cus_6", "cus_7"], false)]).await;
    let mut params = ListCustomerParams::new();
    params.ending_before = Some("cus_10".to_owned());
    let all = Customer::list_paginated(&client, &params).backwards().collect_all().await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(
        targets(&server),
        ["/v1/customers?ending_before=cus_10", "/v1/customers?ending_before=cus_8"]
    );
}

#[tokio::test]
async fn search_follows_next_page() {
    let (server, client) =
        client_for(vec![search_page(&["cus_1"], Some("page_2")), search_page(&["cus_2"], None)])
            .await;
    let params = SearchCustomerParams::new("email:'a@b.c'");
    let all = Customer::search_paginated(&client, &params).collect_all().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        targets(&server),
        [
            "/v1/customers/search?query=email%3A%27a%40b.c%27",
            "/v1/customers/search?query=email%3A%27a%40b.c%27&page=page_2"
        ]
    );
}

#[tokio::test]
async fn an_error_ends_the_stream_after_yielding_it() {
    let error = json!({"error": {"type": "api_error", "message": "boom"}}).to_string();
    let (server, client) = client_for(vec![page(&["cus_1"], true), format!("{error}")]).await;
    let params = ListCustomerParams::new();
    let items: Vec<_> = Customer::list_paginated(&client, &params).into_stream().collect().await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(items[1].is_err());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_empty_first_page_yields_nothing() {
    let (server, client) = client_for(vec![page(&[], false)]).await;
    let all =
        Customer::list_paginated(&client, &ListCustomerParams::new()).collect_all().await.unwrap();
    assert!(all.is_empty());
    assert_eq!(server.requests().len(), 1);
}
