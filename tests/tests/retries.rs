//! Fault-injection tests of the HTTP client. A wiremock server on 127.0.0.1 answers each attempt
//! as scripted (a status, headers and body, possibly late) and records every request, so that each
//! test can check the outcome, the number of attempts, and the headers the client sent. The one
//! connection-level fault wiremock cannot script, an answer lost on a closed connection, comes from
//! [`LoseFirstAnswer`], a small TCP proxy in front of it.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use stripe_sdk::{Client, Error, ErrorKind, Host, Method, RequestOptions};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "sk_test_51SeCrEtKeyThatMustNeverBeShown";
const SECRET_PART: &str = "SeCrEtKeyThatMustNeverBeShown";

// ---------------------------------------------------------------------------------------------
// The scripted server
// ---------------------------------------------------------------------------------------------

/// A reply with a body and no `Content-Type`.
fn reply(status: u16, body: impl Into<Vec<u8>>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_bytes(body)
}

fn json_reply(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

fn ok() -> ResponseTemplate {
    json_reply(200, json!({"id": "cus_123", "object": "customer"}))
}

fn error_reply(status: u16, error: Value) -> ResponseTemplate {
    json_reply(status, json!({ "error": error }))
}

/// Answers the n-th request with `replies[n]`, and with a 418 (which the client does not retry)
/// once the script is exhausted.
struct Script {
    replies: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        self.replies
            .get(index)
            .cloned()
            .unwrap_or_else(|| ResponseTemplate::new(418).set_body_string("script exhausted"))
    }
}

struct Server {
    mock: MockServer,
    /// The base URL clients use: the mock's, or the fault proxy's in front of it.
    base: String,
    _fault: Option<LoseFirstAnswer>,
}

impl Server {
    /// Starts a server that answers the n-th request with `script[n]`.
    async fn start(script: Vec<ResponseTemplate>) -> Server {
        let mock = MockServer::start().await;
        Mock::given(any())
            .respond_with(Script { replies: script, next: AtomicUsize::new(0) })
            .mount(&mock)
            .await;
        Server { base: mock.uri(), mock, _fault: None }
    }

    /// Like [`Server::start`], but the answer to the first request never reaches the client: the
    /// request is served (and recorded), then its connection is closed without a byte of the
    /// answer. `script` answers the requests after it.
    async fn losing_the_first_answer(script: Vec<ResponseTemplate>) -> Server {
        let lost = json_reply(200, json!({"id": "lost"}));
        let mut server = Server::start([vec![lost], script].concat()).await;
        let fault = LoseFirstAnswer::start(*server.mock.address()).await;
        server.base = fault.base.clone();
        server._fault = Some(fault);
        server
    }

    async fn requests(&self) -> Vec<Request> {
        self.mock.received_requests().await.expect("wiremock records requests")
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

/// A TCP proxy on 127.0.0.1 whose first connection loses its answer: the request is forwarded to
/// `upstream`, and the connection is closed as soon as the answer starts. Later connections are
/// forwarded both ways.
struct LoseFirstAnswer {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl LoseFirstAnswer {
    async fn start(upstream: SocketAddr) -> LoseFirstAnswer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let task = tokio::spawn(async move {
            let mut first = true;
            while let Ok((client, _)) = listener.accept().await {
                let lose_answer = std::mem::replace(&mut first, false);
                tokio::spawn(forward(client, upstream, lose_answer));
            }
        });
        LoseFirstAnswer { base, task }
    }
}

impl Drop for LoseFirstAnswer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(
    mut client: TcpStream,
    upstream: SocketAddr,
    lose_answer: bool,
) -> std::io::Result<()> {
    let mut upstream = TcpStream::connect(upstream).await?;
    if !lose_answer {
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    let (mut from_client, _) = client.split();
    let (mut from_upstream, mut to_upstream) = upstream.split();
    let mut first_byte = [0u8; 1];
    // The upstream answers once it has read the whole request; the client sees the connection
    // close instead (both streams are dropped on return).
    tokio::select! {
        _ = tokio::io::copy(&mut from_client, &mut to_upstream) => {}
        _ = from_upstream.read(&mut first_byte) => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Header value by name (case-insensitive).
fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|value| value.to_str().ok())
}

/// Path and query, as sent.
fn target(request: &Request) -> &str {
    &request.url[url::Position::BeforePath..]
}

fn body_text(request: &Request) -> String {
    String::from_utf8_lossy(&request.body).into_owned()
}

/// Asserts that every request carried the same, non-empty idempotency key, and returns it.
fn same_idempotency_key(requests: &[Request]) -> String {
    let first = requests.first().expect("at least one request");
    let key = header(first, "Idempotency-Key").expect("an Idempotency-Key header").to_owned();
    assert!(!key.is_empty());
    for request in requests {
        assert_eq!(header(request, "Idempotency-Key"), Some(key.as_str()), "{requests:#?}");
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
    let server = Server::losing_the_first_answer(vec![ok()]).await;
    let customer = post(&server.client()).await.expect("success after a retry");
    assert_eq!(customer["id"], "cus_123");
    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    same_idempotency_key(&requests);
    assert_eq!(requests[0].body, requests[1].body);
}

/// What a call answered with one reply, then a success, returns.
enum Expect {
    /// The success (after a retry, or at once).
    Success,
    /// The first reply's error, not retried.
    Error { kind: ErrorKind, status: u16, code: Option<&'static str> },
}

/// The status rules: a first reply, how many attempts the client makes (always with one
/// idempotency key), and what the call returns.
fn status_rules() -> Vec<(&'static str, ResponseTemplate, usize, Expect)> {
    let error = |status, kind: &str, code: Option<&str>, message: &str| {
        let mut body = json!({"type": kind, "message": message});
        if let Some(code) = code {
            body["code"] = json!(code);
        }
        error_reply(status, body)
    };
    vec![
        (
            "a 500 is retried",
            error(500, "api_error", None, "Something went wrong"),
            2,
            Expect::Success,
        ),
        (
            "a 409 conflict is retried",
            error(409, "invalid_request_error", None, "Conflict"),
            2,
            Expect::Success,
        ),
        (
            "a 429 lock_timeout is retried",
            error(429, "invalid_request_error", Some("lock_timeout"), "locked"),
            2,
            Expect::Success,
        ),
        (
            "a 429 rate_limit is not retried",
            error(429, "invalid_request_error", Some("rate_limit"), "Too many requests"),
            1,
            Expect::Error { kind: ErrorKind::RateLimit, status: 429, code: Some("rate_limit") },
        ),
        (
            "Stripe-Should-Retry: false stops the retry of a 500",
            error(500, "api_error", None, "no").insert_header("Stripe-Should-Retry", "false"),
            1,
            Expect::Error { kind: ErrorKind::Api, status: 500, code: None },
        ),
        (
            "Stripe-Should-Retry: true retries a 400",
            error(400, "invalid_request_error", None, "try again")
                .insert_header("Stripe-Should-Retry", "true"),
            2,
            Expect::Success,
        ),
        (
            "a 400 is not retried",
            error(400, "invalid_request_error", None, "bad"),
            1,
            Expect::Error { kind: ErrorKind::InvalidRequest, status: 400, code: None },
        ),
    ]
}

#[tokio::test]
async fn status_rules_decide_retries() {
    for (rule, first, attempts, expect) in status_rules() {
        let server = Server::start(vec![first, ok()]).await;
        let result = post(&server.client()).await;
        match expect {
            Expect::Success => {
                let customer = result.unwrap_or_else(|err| panic!("{rule}: {err}"));
                assert_eq!(customer["object"], "customer", "{rule}");
            }
            Expect::Error { kind, status, code } => {
                let err = api_error(result);
                assert_eq!(
                    (err.kind, err.status, err.code.as_deref()),
                    (kind, status, code),
                    "{rule}"
                );
            }
        }
        let requests = server.requests().await;
        assert_eq!(requests.len(), attempts, "{rule}");
        same_idempotency_key(&requests);
    }
}

#[tokio::test]
async fn three_503s_give_the_last_error_after_three_attempts() {
    let unavailable =
        error_reply(503, json!({"type": "api_error", "message": "Service unavailable"}))
            .insert_header("Request-Id", "req_503");
    let server =
        Server::start(vec![unavailable.clone(), unavailable.clone(), unavailable, ok()]).await;
    let result = post(&server.client()).await;
    if let Err(err) = &result {
        assert_no_secret(err);
    }
    let err = api_error(result);
    assert_eq!(err.kind, ErrorKind::Api);
    assert_eq!(err.status, 503);
    assert_eq!(err.request_id.as_deref(), Some("req_503"));
    let requests = server.requests().await;
    assert_eq!(requests.len(), 3);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn slow_responses_time_out_after_retries() {
    let slow = ok().set_delay(Duration::from_secs(3));
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
    let requests = server.requests().await;
    assert_eq!(requests.len(), 3);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn per_request_timeout_overrides_the_client_timeout() {
    let server = Server::start(vec![ok().set_delay(Duration::from_secs(3))]).await;
    let client = server
        .client()
        .with_options(RequestOptions::new().timeout(Duration::from_millis(100)).max_retries(0));
    let err = post(&client).await.expect_err("a timeout");
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert_eq!(server.requests().await.len(), 1);
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
    let server = Server::start(vec![json_reply(
        200,
        json!({"object": "list", "url": "/v1/customers", "has_more": false, "data": [{"id": "cus_1", "balance": "two"}]}),
    )
    .insert_header("Request-Id", "req_decode")])
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
    assert_eq!(server.requests().await.len(), 1);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = Server::start(vec![reply(
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
    let server = Server::start(vec![reply(200, r#"{"id": "cus_1"} {"#)]).await;
    let err = server
        .client()
        .raw(Method::Get, "/v1/customers/cus_1", &())
        .await
        .expect_err("a decode error");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn truncated_json_error_body_is_an_invalid_response() {
    let broken = reply(500, r#"{"error": {"type": "api_error", "mess"#);
    let server = Server::start(vec![broken.clone(), broken.clone(), broken]).await;
    let err = post(&server.client()).await.expect_err("an error");
    match &err {
        Error::InvalidResponse { status, snippet, .. } => {
            assert_eq!(*status, 500);
            assert!(snippet.starts_with(r#"{"error": {"type""#), "{snippet}");
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
    assert_eq!(server.requests().await.len(), 3);
}

#[tokio::test]
async fn html_502_page_names_the_status_after_retries() {
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
        .repeat(20);
    let html = reply(502, page)
        .insert_header("Content-Type", "text/html")
        .insert_header("Request-Id", "req_html");
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
    let requests = server.requests().await;
    assert_eq!(requests.len(), 3);
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn non_utf8_and_empty_error_bodies_do_not_panic() {
    let server =
        Server::start(vec![reply(400, vec![0xff, 0xfe, b'a', 0xc3]), reply(404, "")]).await;
    let client = server.client();
    for _ in 0..2 {
        let err = post(&client).await.expect_err("an error");
        assert!(matches!(err, Error::InvalidResponse { .. }), "{err:?}");
        let _ = err.to_string();
    }
    assert_eq!(server.requests().await.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn card_error_fields_are_parsed() {
    let server = Server::start(vec![error_reply(
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
    .insert_header("Request-Id", "req_123")])
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
    assert_eq!(server.requests().await.len(), 1);
}

#[tokio::test]
async fn error_kinds_follow_status_and_type() {
    let cases = [
        (401, "invalid_request_error", ErrorKind::Authentication),
        (403, "invalid_request_error", ErrorKind::Permission),
        (404, "invalid_request_error", ErrorKind::InvalidRequest),
        (400, "idempotency_error", ErrorKind::Idempotency),
    ];
    let script =
        cases.iter().map(|(status, kind, _)| error_reply(*status, json!({"type": kind}))).collect();
    let server = Server::start(script).await;
    let client = server.client();
    for (status, _, kind) in cases {
        let err = api_error(post(&client).await);
        assert_eq!((err.status, err.kind), (status, kind));
        assert!(err.to_string().contains("(no message)"));
    }
    assert_eq!(server.requests().await.len(), 4);
}

// ---------------------------------------------------------------------------------------------
// What the client sends
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_params_in_the_query_and_no_idempotency_key() {
    let server = Server::start(vec![json_reply(200, json!({"object": "list", "data": []}))]).await;
    let params = json!({"limit": 3, "expand": ["data.default_source"], "email": "a b@example.com"});
    let list = server.client().raw(Method::Get, "/v1/customers", &params).await.expect("a list");
    assert_eq!(list["object"], "list");
    let requests = server.requests().await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        target(request),
        "/v1/customers?limit=3&expand[0]=data.default_source&email=a+b%40example.com"
    );
    assert_eq!(header(request, "Idempotency-Key"), None);
    assert_eq!(header(request, "Content-Type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn delete_sends_params_in_the_query_with_an_idempotency_key() {
    let server =
        Server::start(vec![json_reply(200, json!({"id": "cus_1", "deleted": true}))]).await;
    server.client().raw(Method::Delete, "/v1/customers/cus_1", &()).await.expect("deleted");
    let requests = server.requests().await;
    assert_eq!(requests[0].method, "DELETE");
    assert_eq!(target(&requests[0]), "/v1/customers/cus_1");
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn every_request_carries_stripe_headers() {
    let server = Server::start(vec![ok()]).await;
    let client = server
        .builder()
        .app_info("MyPlugin", Some("1.2.3"), Some("https://example.com/plugin"))
        .build()
        .expect("client")
        .with_options(RequestOptions::new().stripe_account("acct_123"));
    let params = json!({"email": "jenny@example.com", "metadata": {"order": "6735"}});
    client.raw(Method::Post, "/v1/customers", &params).await.expect("success");
    let requests = server.requests().await;
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(target(request), "/v1/customers");
    assert_eq!(header(request, "Authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(header(request, "Stripe-Version"), Some(stripe_sdk::API_VERSION));
    assert_eq!(header(request, "Stripe-Account"), Some("acct_123"));
    assert_eq!(header(request, "Content-Type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(body_text(request), "email=jenny%40example.com&metadata[order]=6735");
    let user_agent = header(request, "User-Agent").expect("a User-Agent");
    assert_eq!(
        user_agent,
        format!(
            "Stripe/v1 RustBindings/{} MyPlugin/1.2.3 (https://example.com/plugin)",
            env!("CARGO_PKG_VERSION")
        )
    );
    let client_agent: Value = serde_json::from_str(
        header(request, "X-Stripe-Client-User-Agent").expect("a client user agent"),
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
        error_reply(500, json!({"type": "api_error", "message": "boom"})),
        ok(),
        ok(),
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

    let requests = server.requests().await;
    assert_eq!(requests.len(), 3);
    let first = &requests[0];
    assert_eq!(header(first, "Authorization"), Some("Bearer sk_test_other"));
    assert_eq!(header(first, "Stripe-Version"), Some("2024-04-10"));
    assert_eq!(header(first, "Stripe-Account"), Some("acct_base"));
    assert_eq!(header(first, "Idempotency-Key"), Some("order-6735"));
    let second = &requests[1];
    assert_eq!(header(second, "Authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(header(second, "Stripe-Version"), Some("2020-08-27"));
    assert_eq!(header(second, "Stripe-Account"), Some("acct_base"));
    assert_ne!(header(second, "Idempotency-Key"), Some("order-6735"));
    let third = &requests[2];
    assert_eq!(header(third, "Stripe-Account"), Some("acct_other"));
    assert_eq!(header(third, "Idempotency-Key"), Some("order-6736"));
    assert_eq!(header(third, "Authorization"), Some("Bearer sk_test_other"));
}

#[tokio::test]
async fn files_go_to_the_files_base() {
    let server = Server::start(vec![
        reply(200, b"%PDF-1.4 \xff\x00binary".to_vec())
            .insert_header("Content-Type", "application/pdf"),
        json_reply(200, json!({"id": "file_1", "object": "file", "purpose": "dispute_evidence"})),
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

    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    assert_eq!(target(&requests[0]), "/v1/quotes/qt_1/pdf");
    assert_eq!(header(&requests[0], "Idempotency-Key"), None);
    let upload = &requests[1];
    assert_eq!(upload.method, "POST");
    assert_eq!(target(upload), "/v1/files");
    assert!(header(upload, "Content-Type")
        .is_some_and(|value| value.starts_with("multipart/form-data; boundary=")));
    let body = body_text(upload);
    assert!(body.contains("name=\"purpose\"\r\n\r\ndispute_evidence"), "{body}");
    assert!(body.contains("name=\"file_link_data[create]\"\r\n\r\ntrue"), "{body}");
    assert!(body.contains("name=\"file\"; filename=\"receipt.txt\""), "{body}");
    assert!(body.contains("hello file"), "{body}");
    same_idempotency_key(&requests[1..]);
}

#[tokio::test]
async fn multipart_uploads_are_retried_with_the_same_key() {
    let server =
        Server::losing_the_first_answer(vec![json_reply(200, json!({"id": "file_1"}))]).await;
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
    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    // Each attempt has its own multipart boundary, but the same parts.
    let parts = |request: &Request| {
        let content_type = header(request, "Content-Type").expect("a content type");
        let boundary = content_type.split_once("boundary=").expect("a boundary").1;
        body_text(request).replace(boundary, "BOUNDARY")
    };
    assert_eq!(parts(&requests[0]), parts(&requests[1]));
    assert!(requests[1].body.windows(4).any(|window| window == [0, 1, 2, 255]));
    same_idempotency_key(&requests);
}

#[tokio::test]
async fn requests_can_be_spawned() {
    let server = Server::start(vec![ok()]).await;
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
        error_reply(401, json!({"type": "invalid_request_error", "message": "Invalid API Key provided: sk_test_****hown"})),
        reply(500, "oops"),
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
    assert_eq!(server.requests().await.len(), 2);
}

#[test]
fn invalid_base_urls_are_refused() {
    for base in ["not a url", "ftp://example.com", "https://api.stripe.com/?x=1"] {
        let err = Client::builder(KEY).api_base(base).build().expect_err("an invalid base");
        assert!(matches!(err, Error::Config(_)), "{err:?}");
    }
    Client::builder(KEY).api_base("http://localhost:12111/").build().expect("a valid base");
}
