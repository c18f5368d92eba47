//! Fault-injection tests of the HTTP client: a tiny scripted HTTP/1.1 server on 127.0.0.1 answers
//! each attempt as told (a status, headers and body, possibly late, or a closed connection) and
//! records every request, so that each test can check the outcome, the number of attempts, and
//! the headers the client sent.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use stripe_sdk::{Client, Error, ErrorKind, Host, Method, RequestOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "sk_test_51SeCrEtKeyThatMustNeverBeShown";
const SECRET_PART: &str = "SeCrEtKeyThatMustNeverBeShown";
/// Largest request head the test server accepts.
const MAX_HEAD: usize = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// The scripted server
// ---------------------------------------------------------------------------------------------

/// What the server does with one request.
#[derive(Clone, Debug)]
enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        delay: Duration,
    },
    /// Close the connection after reading the request, without answering.
    Close,
}

impl Reply {
    fn body(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond { status, headers: Vec::new(), body: body.into(), delay: Duration::ZERO }
    }

    fn json(status: u16, body: Value) -> Reply {
        Reply::body(status, body.to_string()).header("Content-Type", "application/json")
    }

    fn ok() -> Reply {
        Reply::json(200, json!({"id": "cus_123", "object": "customer"}))
    }

    fn error(status: u16, error: Value) -> Reply {
        Reply::json(status, json!({ "error": error }))
    }

    fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    fn delayed(mut self, by: Duration) -> Reply {
        if let Reply::Respond { delay, .. } = &mut self {
            *delay = by;
        }
        self
    }
}

/// One request as the server received it.
#[derive(Clone, Debug)]
struct Recorded {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts a server that answers the n-th request with `script[n]` (and with a 418 once the
    /// script is exhausted, which the client does not retry).
    async fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&script), Arc::clone(&recorded)));
            }
        });
        Server { base, requests }
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("request log").clone()
    }

    /// A client of this server, retrying after ~1 ms instead of 500 ms.
    fn client(&self) -> Client {
        self.builder().build().expect("client")
    }

    fn builder(&self) -> stripe_sdk::ClientBuilder {
        Client::builder(KEY)
            .api_base(&self.base)
            .files_base(&self.base)
            .retry_base_delay(Duration::from_millis(1))
    }
}

/// Serves one connection: one request, one scripted reply, then the connection is closed.
async fn serve(
    mut stream: TcpStream,
    script: Arc<Vec<Reply>>,
    requests: Arc<Mutex<Vec<Recorded>>>,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut log = requests.lock().expect("request log");
        log.push(request);
        log.len() - 1
    };
    let reply = script.get(index).cloned().unwrap_or_else(|| Reply::body(418, "script exhausted"));
    match reply {
        Reply::Close => drop(stream),
        Reply::Respond { status, headers, body, delay } => {
            tokio::time::sleep(delay).await;
            let mut head = format!(
                "HTTP/1.1 {status} Scripted\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            // The client may have given up already: ignore write errors.
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
    }
}

/// Reads a request head and a body of `Content-Length` bytes. `None` if the client went away.
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Some(Recorded { method, target, headers, body })
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Asserts that every request carried the same, non-empty idempotency key, and returns it.
fn same_idempotency_key(requests: &[Recorded]) -> String {
    let first = requests.first().expect("at least one request");
    let key = first.header("Idempotency-Key").expect("an Idempotency-Key header").to_owned();
    assert!(!key.is_empty());
    for request in requests {
        assert_eq!(request.header("Idempotency-Key"), Some(key.as_str()), "{requests:#?}");
    }
    key
}

/// Asserts that the secret key appears nowhere in the error's Display or Debug output.
fn assert_no_secret(err: &Error) {
    for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!text.contains(SECRET_PART), "secret key leaked: {text}");
    }
}

async fn post(client: &Client) -> Result<Value, Error> {
    client.raw(Method::Post, "/v1/customers", &json!({"email": "jenny@example.com"})).await
}

fn api_error(result: Result<Value, Error>) -> stripe_sdk::ApiError {
    match result {
        Err(Error::Api(err)) => *err,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A page of customers: what the decode tests ask the client for.
type Customers = stripe_sdk::List<stripe_sdk::Customer>;

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn closed_connection_then_success() {
    let server = Server::start(vec![Reply::Close, Reply::ok()]).await;
    let customer = post(&server.client()).await.expect("success after a retry");
    assert_eq!(customer["id"], "cus_123");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    same_idempotency_key(&requests);
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn server_error_then_success() {
    let server = Server::start(vec![
        Reply::error(500, json!({"type": "api_error", "message": "Something went wrong"})),
        Reply::ok(),
    ])
    .await;
    let customer = post(&server.client()).await.expect("success after a retry");
    assert_eq!(customer["object"], "customer");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn three_503s_give_the_last_error_after_three_attempts() {
    let unavailable =
        Reply::error(503, json!({"type": "api_error", "message": "Service unavailable"}))
            .header("Request-Id", "req_503");
    let server =
        Server::start(vec![unavailable.clone(), unavailable.clone(), unavailable, Reply::ok()])
            .await;
    let result = post(&server.client()).await;
    if let Err(err) = &result {
        assert_no_secret(err);
    }
    let err = api_error(result);
    assert_eq!(err.kind, ErrorKind::Api);
    assert_eq!(err.status, 503);
    assert_eq!(err.request_id.as_deref(), Some("req_503"));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn conflict_then_success() {
    let server = Server::start(vec![
        Reply::error(409, json!({"type": "invalid_request_error", "message": "Conflict"})),
        Reply::ok(),
    ])
    .await;
    post(&server.client()).await.expect("success after a retry");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn lock_timeout_429_is_retried() {
    let server = Server::start(vec![
        Reply::error(
            429,
            json!({"type": "invalid_request_error", "code": "lock_timeout", "message": "locked"}),
        ),
        Reply::ok(),
    ])
    .await;
    post(&server.client()).await.expect("success after a retry");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn rate_limit_429_is_not_retried() {
    let server = Server::start(vec![
        Reply::error(429, json!({"type": "invalid_request_error", "code": "rate_limit", "message": "Too many requests"})),
        Reply::ok(),
    ])
    .await;
    let err = api_error(post(&server.client()).await);
    assert_eq!(err.kind, ErrorKind::RateLimit);
    assert_eq!(err.code.as_deref(), Some("rate_limit"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn should_retry_false_stops_retries_of_a_500() {
    let server = Server::start(vec![
        Reply::error(500, json!({"type": "api_error", "message": "no"}))
            .header("Stripe-Should-Retry", "false"),
        Reply::ok(),
    ])
    .await;
    let err = api_error(post(&server.client()).await);
    assert_eq!(err.status, 500);
    assert_eq!(err.kind, ErrorKind::Api);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn should_retry_true_retries_a_400() {
    let server = Server::start(vec![
        Reply::error(400, json!({"type": "invalid_request_error", "message": "try again"}))
            .header("Stripe-Should-Retry", "true"),
        Reply::ok(),
    ])
    .await;
    post(&server.client()).await.expect("success after a retry");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = Server::start(vec![
        Reply::error(400, json!({"type": "invalid_request_error", "message": "bad"})),
        Reply::ok(),
    ])
    .await;
    let err = api_error(post(&server.client()).await);
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn slow_responses_time_out_after_retries() {
    let slow = Reply::ok().delayed(Duration::from_secs(3));
    let server = Server::start(vec![slow.clone(), slow.clone(), slow]).await;
    let client = server.builder().timeout(Duration::from_millis(150)).build().expect("client");
    let started = Instant::now();
    let result = post(&client).await;
    let elapsed = started.elapsed();
    let err = result.expect_err("a timeout");
    assert_no_secret(&err);
    match &err {
        Error::Timeout { attempts, timeout, .. } => {
            assert_eq!(*attempts, 3);
            assert_eq!(*timeout, Duration::from_millis(150));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.to_string().contains("did not answer"), "{err}");
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn per_request_timeout_overrides_the_client_timeout() {
    let server = Server::start(vec![Reply::ok().delayed(Duration::from_secs(3))]).await;
    let client = server
        .client()
        .with_options(RequestOptions::new().timeout(Duration::from_millis(100)).max_retries(0));
    let err = post(&client).await.expect_err("a timeout");
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn connection_refused_is_a_connection_error_after_retries() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        listener.local_addr().expect("address").port()
    };
    let client = Client::builder(KEY)
        .api_base(format!("http://127.0.0.1:{port}"))
        .retry_base_delay(Duration::from_millis(1))
        .max_retries(1)
        .build()
        .expect("client");
    let err = post(&client).await.expect_err("nobody listens");
    assert_no_secret(&err);
    assert!(matches!(err, Error::Connection { attempts: 2, .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Bodies that do not decode
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_json_names_the_path_and_type() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"object": "list", "url": "/v1/customers", "has_more": false, "data": [{"id": "cus_1", "balance": "two"}]}),
    )
    .header("Request-Id", "req_decode")])
    .await;
    let result: Result<Customers, Error> =
        server.client().send(Method::Get, Host::Api, "/v1/customers", &json!({})).await;
    let err = result.expect_err("a decode error");
    assert_no_secret(&err);
    match &err {
        Error::Decode { path, type_name, status, request_id, message, .. } => {
            assert_eq!(path, "data[0].balance");
            assert_eq!(type_name, "stripe_sdk::List<stripe_sdk::Customer>");
            assert_eq!(*status, 200);
            assert_eq!(request_id.as_deref(), Some("req_decode"));
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("data[0].balance")
            && text.contains("Customer")
            && text.contains("req_decode"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = Server::start(vec![Reply::body(
        200,
        r#"{"object": "list", "url": "/v1/customers", "has_more": false, "data": [{"id": "cus_1", "balance": "#,
    )])
    .await;
    let result: Result<Customers, Error> =
        server.client().send(Method::Get, Host::Api, "/v1/customers/cus_1", &()).await;
    match result.expect_err("a decode error") {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "data[0].balance");
            assert!(message.contains("EOF"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn trailing_garbage_is_a_decode_error() {
    let server = Server::start(vec![Reply::body(200, r#"{"id": "cus_1"} {"#)]).await;
    let err = server
        .client()
        .raw(Method::Get, "/v1/customers/cus_1", &())
        .await
        .expect_err("a decode error");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn truncated_json_error_body_is_an_invalid_response() {
    let broken = Reply::body(500, r#"{"error": {"type": "api_error", "mess"#);
    let server = Server::start(vec![broken.clone(), broken.clone(), broken]).await;
    let err = post(&server.client()).await.expect_err("an error");
    match &err {
        Error::InvalidResponse { status, snippet, .. } => {
            assert_eq!(*status, 500);
            assert!(snippet.starts_with(r#"{"error": {"type""#), "{snippet}");
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn html_502_page_names_the_status_after_retries() {
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
        .repeat(20);
    let html =
        Reply::body(502, page).header("Content-Type", "text/html").header("Request-Id", "req_html");
    let server = Server::start(vec![html.clone(), html.clone(), html]).await;
    let err = post(&server.client()).await.expect_err("an error");
    assert_no_secret(&err);
    match &err {
        Error::InvalidResponse { status, snippet, request_id, .. } => {
            assert_eq!(*status, 502);
            assert!(
                snippet.starts_with("<html> <head><title>502 Bad Gateway</title>"),
                "{snippet}"
            );
            assert!(snippet.chars().count() <= 201, "{snippet}");
            assert!(!snippet.contains('\n'));
            assert_eq!(request_id.as_deref(), Some("req_html"));
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("502") && text.contains("Bad Gateway") && text.contains("req_html"),
        "{text}"
    );
    assert_eq!(err.status(), Some(502));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn non_utf8_and_empty_error_bodies_do_not_panic() {
    let server =
        Server::start(vec![Reply::body(400, vec![0xff, 0xfe, b'a', 0xc3]), Reply::body(404, "")])
            .await;
    let client = server.client();
    for _ in 0..2 {
        let err = post(&client).await.expect_err("an error");
        assert!(matches!(err, Error::InvalidResponse { .. }), "{err:?}");
        let _ = err.to_string();
    }
    assert_eq!(server.requests().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn card_error_fields_are_parsed() {
    let server = Server::start(vec![Reply::error(
        402,
        json!({
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "Your card was declined.",
            "param": "payment_method",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "request_log_url": "https://dashboard.stripe.com/test/logs/req_123?t=1",
            "payment_intent": {"id": "pi_1"}
        }),
    )
    .header("Request-Id", "req_123")])
    .await;
    let result = post(&server.client()).await;
    let err = result.expect_err("a card error");
    assert_no_secret(&err);
    assert_eq!(err.request_id(), Some("req_123"));
    assert_eq!(err.status(), Some(402));
    assert_eq!(
        err.to_string(),
        "Stripe API error (402 card_error, code card_declined, decline code insufficient_funds, \
         param payment_method): Your card was declined. [request req_123]"
    );
    let api = err.api_error().expect("an API error").clone();
    assert_eq!(api.kind, ErrorKind::Card);
    assert_eq!(api.status, 402);
    assert_eq!(api.error_type.as_deref(), Some("card_error"));
    assert_eq!(api.message.as_deref(), Some("Your card was declined."));
    assert_eq!(api.code.as_deref(), Some("card_declined"));
    assert_eq!(api.decline_code.as_deref(), Some("insufficient_funds"));
    assert_eq!(api.param.as_deref(), Some("payment_method"));
    assert_eq!(api.doc_url.as_deref(), Some("https://stripe.com/docs/error-codes/card-declined"));
    assert_eq!(
        api.request_log_url.as_deref(),
        Some("https://dashboard.stripe.com/test/logs/req_123?t=1")
    );
    assert_eq!(api.request_id.as_deref(), Some("req_123"));
    assert_eq!(api.raw["payment_intent"]["id"], "pi_1");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn error_kinds_follow_status_and_type() {
    let cases = [
        (401, "invalid_request_error", ErrorKind::Authentication),
        (403, "invalid_request_error", ErrorKind::Permission),
        (404, "invalid_request_error", ErrorKind::InvalidRequest),
        (400, "idempotency_error", ErrorKind::Idempotency),
    ];
    let script = cases
        .iter()
        .map(|(status, kind, _)| Reply::error(*status, json!({"type": kind})))
        .collect();
    let server = Server::start(script).await;
    let client = server.client();
    for (status, _, kind) in cases {
        let err = api_error(post(&client).await);
        assert_eq!((err.status, err.kind), (status, kind));
        assert!(err.to_string().contains("(no message)"));
    }
    assert_eq!(server.requests().len(), 4);
}

// ---------------------------------------------------------------------------------------------
// What the client sends
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_params_in_the_query_and_no_idempotency_key() {
    let server = Server::start(vec![Reply::json(200, json!({"object": "list", "data": []}))]).await;
    let params = json!({"limit": 3, "expand": ["data.default_source"], "email": "a b@example.com"});
    let list = server.client().raw(Method::Get, "/v1/customers", &params).await.expect("a list");
    assert_eq!(list["object"], "list");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.target,
        "/v1/customers?limit=3&expand[0]=data.default_source&email=a+b%40example.com"
    );
    assert_eq!(request.header("Idempotency-Key"), None);
    assert_eq!(request.header("Content-Type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn delete_sends_params_in_the_query_with_an_idempotency_key() {
    let server =
        Server::start(vec![Reply::json(200, json!({"id": "cus_1", "deleted": true}))]).await;
    server.client().raw(Method::Delete, "/v1/customers/cus_1", &()).await.expect("deleted");
    let requests = server.requests();
    assert_eq!(requests[0].method, "DELETE");
    assert_eq!(requests[0].target, "/v1/customers/cus_1");
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn every_request_carries_stripe_headers() {
    let server = Server::start(vec![Reply::ok()]).await;
    let client = server
        .builder()
        .app_info("MyPlugin", Some("1.2.3"), Some("https://example.com/plugin"))
        .build()
        .expect("client")
        .with_options(RequestOptions::new().stripe_account("acct_123"));
    let params = json!({"email": "jenny@example.com", "metadata": {"order": "6735"}});
    client.raw(Method::Post, "/v1/customers", &params).await.expect("success");
    let requests = server.requests();
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/v1/customers");
    assert_eq!(request.header("Authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(request.header("Stripe-Version"), Some(stripe_sdk::API_VERSION));
    assert_eq!(request.header("Stripe-Account"), Some("acct_123"));
    assert_eq!(request.header("Content-Type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(request.body_text(), "email=jenny%40example.com&metadata[order]=6735");
    let user_agent = request.header("User-Agent").expect("a User-Agent");
    assert_eq!(
        user_agent,
        format!(
            "Stripe/v1 RustBindings/{} MyPlugin/1.2.3 (https://example.com/plugin)",
            env!("CARGO_PKG_VERSION")
        )
    );
    let client_agent: Value = serde_json::from_str(
        request.header("X-Stripe-Client-User-Agent").expect("a client user agent"),
    )
    .expect("JSON");
    assert_eq!(client_agent["lang"], "rust");
    assert_eq!(client_agent["publisher"], "stripe-sdk");
    assert_eq!(client_agent["bindings_version"], env!("CARGO_PKG_VERSION"));
    assert!(client_agent["uname"]
        .as_str()
        .is_some_and(|uname| uname.contains(std::env::consts::OS)));
    assert_eq!(client_agent["application"]["name"], "MyPlugin");
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn per_request_options_override_the_clients() {
    let server = Server::start(vec![
        Reply::error(500, json!({"type": "api_error", "message": "boom"})),
        Reply::ok(),
        Reply::ok(),
    ])
    .await;
    let base = server
        .builder()
        .stripe_version("2020-08-27")
        .build()
        .expect("client")
        .with_options(RequestOptions::new().stripe_account("acct_base"));
    let overridden = base.with_options(
        RequestOptions::new()
            .api_key("sk_test_other")
            .stripe_version("2024-04-10")
            .idempotency_key("order-6735")
            .max_retries(0),
    );
    // max_retries(0): the 500 is not retried.
    let err = api_error(post(&overridden).await);
    assert_eq!(err.status, 500);
    // The base client still has its own settings.
    post(&base).await.expect("success");
    // Options of a derived client apply on top of the derived client's; the idempotency key was
    // for one request, so the derived client's POST is refused before being sent...
    let derived = overridden.with_options(RequestOptions::new().stripe_account("acct_other"));
    let err = post(&derived).await.expect_err("the key was used");
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    // ...until it is given a key of its own.
    post(&derived.with_options(RequestOptions::new().idempotency_key("order-6736")))
        .await
        .expect("success");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let first = &requests[0];
    assert_eq!(first.header("Authorization"), Some("Bearer sk_test_other"));
    assert_eq!(first.header("Stripe-Version"), Some("2024-04-10"));
    assert_eq!(first.header("Stripe-Account"), Some("acct_base"));
    assert_eq!(first.header("Idempotency-Key"), Some("order-6735"));
    let second = &requests[1];
    assert_eq!(second.header("Authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(second.header("Stripe-Version"), Some("2020-08-27"));
    assert_eq!(second.header("Stripe-Account"), Some("acct_base"));
    assert_ne!(second.header("Idempotency-Key"), Some("order-6735"));
    let third = &requests[2];
    assert_eq!(third.header("Stripe-Account"), Some("acct_other"));
    assert_eq!(third.header("Idempotency-Key"), Some("order-6736"));
    assert_eq!(third.header("Authorization"), Some("Bearer sk_test_other"));
}

#[tokio::test]
async fn files_go_to_the_files_base() {
    let server = Server::start(vec![
        Reply::body(200, b"%PDF-1.4 \xff\x00binary".to_vec())
            .header("Content-Type", "application/pdf"),
        Reply::json(200, json!({"id": "file_1", "object": "file", "purpose": "dispute_evidence"})),
    ])
    .await;
    // The API base points nowhere: only the files base may be used.
    let client = Client::builder(KEY)
        .api_base("http://127.0.0.1:1")
        .files_base(format!("{}/", server.base))
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .expect("client");
    let pdf = client
        .send_bytes(Method::Get, Host::Files, "/v1/quotes/qt_1/pdf", &())
        .await
        .expect("a PDF");
    assert_eq!(pdf, b"%PDF-1.4 \xff\x00binary");

    let fields = json!({"purpose": "dispute_evidence", "file_link_data": {"create": true}});
    let file: Value = client
        .send_multipart(
            "/v1/files",
            &fields,
            "file",
            &stripe_sdk::FileUpload::new("receipt.txt", b"hello file".to_vec()),
        )
        .await
        .expect("a file");
    assert_eq!(file["id"], "file_1");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].target, "/v1/quotes/qt_1/pdf");
    assert_eq!(requests[0].header("Idempotency-Key"), None);
    let upload = &requests[1];
    assert_eq!(upload.method, "POST");
    assert_eq!(upload.target, "/v1/files");
    assert!(upload
        .header("Content-Type")
        .is_some_and(|value| value.starts_with("multipart/form-data; boundary=")));
    let body = upload.body_text();
    assert!(body.contains("name=\"purpose\"\r\n\r\ndispute_evidence"), "{body}");
    assert!(body.contains("name=\"file_link_data[create]\"\r\n\r\ntrue"), "{body}");
    assert!(body.contains("name=\"file\"; filename=\"receipt.txt\""), "{body}");
    assert!(body.contains("hello file"), "{body}");
    same_idempotency_key(&requests[1..]);
}

#[tokio::test]
async fn multipart_uploads_are_retried_with_the_same_key() {
    let server = Server::start(vec![Reply::Close, Reply::json(200, json!({"id": "file_1"}))]).await;
    let file: Value = server
        .client()
        .send_multipart(
            "/v1/files",
            &(),
            "file",
            &stripe_sdk::FileUpload::new("a.bin", vec![0, 1, 2, 255]),
        )
        .await
        .expect("a file");
    assert_eq!(file["id"], "file_1");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // Each attempt has its own multipart boundary, but the same parts.
    let parts = |request: &Recorded| {
        let content_type = request.header("Content-Type").expect("a content type");
        let boundary = content_type.split_once("boundary=").expect("a boundary").1;
        request.body_text().replace(boundary, "BOUNDARY")
    };
    assert_eq!(parts(&requests[0]), parts(&requests[1]));
    assert!(requests[1].body.windows(4).any(|window| window == [0, 1, 2, 255]));
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn requests_can_be_spawned() {
    let server = Server::start(vec![Reply::ok()]).await;
    let client = server.client();
    let task = tokio::spawn(async move { post(&client).await });
    let customer = task.await.expect("the task").expect("success");
    assert_eq!(customer["id"], "cus_123");
}

// ---------------------------------------------------------------------------------------------
// The secret key stays secret
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_secret_key_is_never_shown() {
    let builder = Client::builder(KEY).app_info("App", None, None);
    assert!(!format!("{builder:?}").contains(SECRET_PART));
    let client = builder.build().expect("client");
    let options =
        RequestOptions::new().api_key(format!("sk_live_{SECRET_PART}")).stripe_account("acct_1");
    let derived = client.with_options(options.clone());
    for text in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{derived:?}"),
        format!("{options:?}"),
    ] {
        assert!(!text.contains(SECRET_PART), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }

    // Keys that cannot be sent are refused without quoting them.
    let bad_key = format!("sk_test_{SECRET_PART}\nX");
    let err = Client::builder(bad_key.clone()).build().expect_err("an invalid header value");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_no_secret(&err);
    let err = Client::new(bad_key)
        .raw(Method::Get, "/v1/balance", &())
        .await
        .expect_err("an invalid key");
    assert_no_secret(&err);

    // Errors of every kind.
    let server = Server::start(vec![
        Reply::error(401, json!({"type": "invalid_request_error", "message": "Invalid API Key provided: sk_test_****hown"})),
        Reply::body(500, "oops"),
    ])
    .await;
    let client = server.builder().max_retries(0).build().expect("client");
    for _ in 0..2 {
        let err = post(&client).await.expect_err("an error");
        assert_no_secret(&err);
    }
    let err = client
        .raw(Method::Post, "/v1/customers", &json!([1, 2]))
        .await
        .expect_err("an encode error");
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
    assert_no_secret(&err);
    let err = client.raw(Method::Get, "v1/customers", &()).await.expect_err("a bad path");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn invalid_base_urls_are_refused() {
    for base in ["not a url", "ftp://example.com", "https://api.stripe.com/?x=1"] {
        let err = Client::builder(KEY).api_base(base).build().expect_err("an invalid base");
        assert!(matches!(err, Error::Config(_)), "{err:?}");
    }
    Client::builder(KEY).api_base("http://localhost:12111/").build().expect("a valid base");
}
