//! What the flow tests share: a mock and an SDK client for it, and untyped calls that keep the
//! wire visible (`post("/v1/payment_intents", json!({…}))`).

#![allow(dead_code)]

use serde_json::Value;
use stripe_sdk::{ApiError, Client, Method};
use stripe_sdk_mock::MockServer;

pub async fn start() -> (MockServer, Client) {
    let mock = MockServer::start().await;
    let client = Client::builder("sk_test_flows")
        .api_base(mock.url())
        .max_retries(0)
        .build()
        .unwrap_or_else(|err| panic!("client: {err}"));
    (mock, client)
}

pub async fn post(client: &Client, path: &str, params: Value) -> Value {
    client.raw(Method::Post, path, &params).await.unwrap_or_else(|err| panic!("POST {path}: {err}"))
}

pub async fn get(client: &Client, path: &str) -> Value {
    client.raw(Method::Get, path, &()).await.unwrap_or_else(|err| panic!("GET {path}: {err}"))
}

pub async fn delete(client: &Client, path: &str) -> Value {
    client.raw(Method::Delete, path, &()).await.unwrap_or_else(|err| panic!("DELETE {path}: {err}"))
}

/// The error of a call that must fail.
pub async fn post_err(client: &Client, path: &str, params: Value) -> ApiError {
    match client.raw(Method::Post, path, &params).await {
        Ok(answer) => panic!("POST {path} should fail, answered {answer}"),
        Err(err) => err
            .api_error()
            .cloned()
            .unwrap_or_else(|| panic!("POST {path}: not an API error: {err}")),
    }
}

/// The types of the events recorded so far, oldest first.
pub fn event_types(mock: &MockServer) -> Vec<String> {
    mock.events().iter().map(|event| text(event, "type").to_owned()).collect()
}

/// The events of one type, oldest first.
pub fn events_of(mock: &MockServer, kind: &str) -> Vec<Value> {
    mock.events().into_iter().filter(|event| event["type"] == kind).collect()
}

pub fn text<'v>(value: &'v Value, field: &str) -> &'v str {
    value[field].as_str().unwrap_or_else(|| panic!("`{field}` is not text in {value}"))
}

pub fn int(value: &Value, field: &str) -> i64 {
    value[field].as_i64().unwrap_or_else(|| panic!("`{field}` is not an integer in {value}"))
}

pub async fn customer(client: &Client, email: &str) -> Value {
    post(client, "/v1/customers", serde_json::json!({"email": email})).await
}

/// A product with a monthly price of `amount` cents.
pub async fn monthly_price(client: &Client, amount: i64) -> Value {
    post(
        client,
        "/v1/prices",
        serde_json::json!({
            "currency": "usd",
            "unit_amount": amount,
            "recurring": {"interval": "month"},
            "product_data": {"name": "Pro plan"},
        }),
    )
    .await
}

/// A browser's request to one of the mock's pages: the status, the `Location` header and the body.
pub async fn browse(mock: &MockServer, method: &str, path: &str) -> (u16, Option<String>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(mock.addr()).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        mock.addr()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let location = head
        .lines()
        .find_map(|line| {
            line.strip_prefix("location: ").or_else(|| line.strip_prefix("Location: "))
        })
        .map(str::to_owned);
    (status, location, body.to_owned())
}
