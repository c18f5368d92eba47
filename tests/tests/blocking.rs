//! The blocking client (`stripe_sdk::blocking`, feature `blocking`): typed operations, `raw`,
//! request options, errors and pagination from plain threads, against the spec-driven mock server
//! (on its own thread) and small servers on runtimes of their own; and the error it returns,
//! instead of a panic, on a thread that runs an async runtime.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use stripe_sdk::billing_portal::{CreateSessionParams, Session};
use stripe_sdk::{
    blocking, Customer, CustomerOrDeletedCustomer, Error, ErrorKind, ListCustomerParams, Method,
    RequestOptions, RetrieveCustomerParams,
};
use tests::capture::{CaptureServer, Captured};
use tests::mock::ThreadedMockServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One mock server for every test of this file.
fn mock() -> &'static ThreadedMockServer {
    static SERVER: OnceLock<ThreadedMockServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        tests::mock::MockServer::builder()
            .mode(tests::mock::Mode::Examples)
            .start_threaded()
            .unwrap_or_else(|err| panic!("mock server: {err}"))
    })
}

/// A blocking client for the server at `url`, without retries.
fn client_for(url: &str) -> blocking::Client {
    let inner = stripe_sdk::Client::builder("sk_test_x")
        .api_base(url)
        .files_base(url)
        .max_retries(0)
        .build()
        .unwrap_or_else(|err| panic!("client: {err}"));
    blocking::Client::from_async(inner).unwrap_or_else(|err| panic!("blocking client: {err}"))
}

fn mock_client() -> blocking::Client {
    client_for(&mock().url())
}

#[test]
fn creates_a_billing_portal_session() {
    let client = mock_client();
    let mut params = CreateSessionParams::new();
    params.customer = Some("cus_123".into());
    let session = client.call(|c| Session::create(c, &params)).expect("create");
    assert!(session.id.starts_with("bps_"), "{}", session.id);
    // A URL on the mock's own host, not the example's.
    assert!(session.url.starts_with(&format!("{}/", mock().url())), "{}", session.url);
}

#[test]
fn retrieves_by_path_id() {
    let client = mock_client();
    let params = RetrieveCustomerParams::new();
    let customer =
        client.call(|c| Customer::retrieve(c, "cus_blocking 1/2", &params)).expect("retrieve");
    match customer {
        CustomerOrDeletedCustomer::Customer(customer) => {
            assert_eq!(customer.id, "cus_blocking 1/2")
        }
        other => panic!("not a customer: {other:?}"),
    }
}

#[test]
fn lists() {
    let client = mock_client();
    let mut params = ListCustomerParams::new();
    params.limit = Some(3);
    let list = client.call(|c| Customer::list(c, &params)).expect("list");
    assert!(!list.has_more);
    assert_eq!(list.data.len(), 1);
    assert!(list.data[0].id.starts_with("cus_"));
}

#[test]
fn raw_returns_json() {
    let client = mock_client();
    let customer = client
        .raw(Method::Post, "/v1/customers", &json!({ "email": "jenny@example.com" }))
        .expect("raw create");
    assert_eq!(customer["object"], "customer");
    let balance = client.raw(Method::Get, "/v1/balance", &()).expect("raw balance");
    assert_eq!(balance["object"], "balance");
}

#[test]
fn api_errors_surface_as_error_api() {
    let client = mock_client();
    // `amount` and `currency` are required.
    let err = client
        .raw(Method::Post, "/v1/payment_intents", &json!({ "currency": "usd" }))
        .expect_err("no amount");
    let Error::Api(api) = &err else { panic!("not an API error: {err:?}") };
    assert_eq!(api.status, 400);
    assert_eq!(api.kind, ErrorKind::InvalidRequest);
    assert_eq!(api.param.as_deref(), Some("amount"));
    assert!(api.request_id.as_deref().is_some_and(|id| id.starts_with("req_")), "{api:?}");
    assert_eq!(err.status(), Some(400));
}

#[test]
fn client_errors_come_from_the_async_client() {
    let client = blocking::Client::new("");
    let mut params = CreateSessionParams::new();
    params.customer = Some("cus_123".into());
    let err = client.call(|c| Session::create(c, &params)).expect_err("no key");
    assert!(matches!(&err, Error::Config(message) if message.contains("no API key")), "{err:?}");
}

/// A server (on a multi-thread runtime of its own) that records requests and answers each with
/// the same JSON.
struct Capture {
    server: CaptureServer,
    _runtime: tokio::runtime::Runtime,
}

impl Capture {
    fn start(response: &str) -> Capture {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let server = runtime.block_on(CaptureServer::start(response)).expect("capture server");
        Capture { server, _runtime: runtime }
    }

    /// The first `count` requests, waiting a little for the server to record them.
    fn requests(&self, count: usize) -> Vec<Captured> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let requests = self.server.requests();
            if requests.len() >= count || Instant::now() > deadline {
                assert_eq!(requests.len(), count, "{requests:?}");
                return requests;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[test]
fn with_options_applies_per_request_options() {
    let capture = Capture::start(r#"{"id": "cus_1", "object": "customer"}"#);
    let client = client_for(&capture.server.base_url);
    let connected = client.with_options(
        RequestOptions::new()
            .stripe_account("acct_123")
            .idempotency_key("order-6735")
            .api_key("sk_test_other"),
    );
    connected
        .raw(Method::Post, "/v1/customers", &json!({ "email": "a@example.com" }))
        .expect("with options");
    client.raw(Method::Post, "/v1/customers", &()).expect("without options");

    let requests = capture.requests(2);
    let (with, without) = match requests[0].header("stripe-account") {
        Some(_) => (&requests[0], &requests[1]),
        None => (&requests[1], &requests[0]),
    };
    assert_eq!(with.header("stripe-account"), Some("acct_123"));
    assert_eq!(with.header("idempotency-key"), Some("order-6735"));
    assert_eq!(with.header("authorization"), Some("Bearer sk_test_other"));
    assert_eq!(with.body, "email=a%40example.com");
    assert_eq!(without.header("stripe-account"), None);
    assert_eq!(without.header("authorization"), Some("Bearer sk_test_x"));
    assert_ne!(without.header("idempotency-key"), Some("order-6735"));
}

#[test]
fn works_from_several_threads() {
    let client = mock_client();
    let handles: Vec<_> = (0..8)
        .map(|n| {
            let client = client.clone();
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for round in 0..3 {
                    let id = format!("cus_thread{n}_{round}");
                    let customer = client
                        .call(|c| {
                            let id = &id;
                            async move {
                                Customer::retrieve(c, id, &RetrieveCustomerParams::new()).await
                            }
                        })
                        .unwrap_or_else(|err| panic!("{id}: {err}"));
                    let CustomerOrDeletedCustomer::Customer(customer) = customer else {
                        panic!("{id}: not a customer")
                    };
                    ids.push(customer.id);
                }
                ids
            })
        })
        .collect();
    for (n, handle) in handles.into_iter().enumerate() {
        let ids = handle.join().expect("thread");
        assert_eq!(ids, (0..3).map(|round| format!("cus_thread{n}_{round}")).collect::<Vec<_>>());
    }

    // Borrowed by scoped threads, too.
    let mut params = CreateSessionParams::new();
    params.customer = Some("cus_123".into());
    std::thread::scope(|scope| {
        let sessions: Vec<_> =
            (0..4).map(|_| scope.spawn(|| client.call(|c| Session::create(c, &params)))).collect();
        for session in sessions {
            session.join().expect("thread").expect("create");
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/// `GET /v1/customers` in pages: `[cus_1, cus_2]`, then (after `cus_2`) `[cus_3]`, the last page
/// unless `email=fail`, in which case the page after `cus_3` is a 402 error. A tiny HTTP/1.1
/// server on a multi-thread runtime of its own; it records each query string.
struct Pages {
    base_url: String,
    queries: Arc<Mutex<Vec<String>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Pages {
    fn start() -> Pages {
        let customer = Arc::new(tests::mock::example("customer").expect("the customer example"));
        assert_eq!(customer["object"], "customer");
        let queries = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&queries);
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let base_url = runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let base_url = format!("http://{}", listener.local_addr().expect("address"));
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let (customer, log) = (Arc::clone(&customer), Arc::clone(&log));
                    tokio::spawn(async move {
                        let _ = serve_page(stream, &customer, &log).await;
                    });
                }
            });
            base_url
        });
        Pages { base_url, queries, _runtime: runtime }
    }

    fn queries(&self) -> Vec<String> {
        self.queries.lock().expect("queries").clone()
    }
}

/// Reads one `GET` request, answers it and closes the connection.
async fn serve_page(
    mut stream: TcpStream,
    customer: &Value,
    log: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await?;
        if read == 0 || head.len() > 1 << 16 {
            return Ok(());
        }
        head.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head.split(' ').nth(1).unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    log.lock().expect("queries").push(query.to_owned());
    let params: HashMap<&str, &str> =
        query.split('&').filter_map(|pair| pair.split_once('=')).collect();
    let fail = params.get("email") == Some(&"fail");
    let list = |ids: &[&str], has_more: bool| {
        let data: Vec<Value> = ids
            .iter()
            .map(|id| {
                let mut customer = customer.clone();
                customer["id"] = Value::from(*id);
                customer
            })
            .collect();
        (
            200,
            json!({ "object": "list", "data": data, "has_more": has_more, "url": "/v1/customers" }),
        )
    };
    let (status, body) = match (path, params.get("starting_after").copied()) {
        ("/v1/customers", None) => list(&["cus_1", "cus_2"], true),
        ("/v1/customers", Some("cus_2")) => list(&["cus_3"], fail),
        ("/v1/customers", Some("cus_3")) if fail => (
            402,
            json!({ "error": { "type": "card_error", "code": "card_declined", "message": "page 3 failed" } }),
        ),
        _ => (
            400,
            json!({ "error": { "type": "invalid_request_error", "message": format!("unexpected {target}") } }),
        ),
    };
    let body = body.to_string();
    let reply = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes()).await?;
    stream.shutdown().await
}

#[test]
fn iterates_over_every_page_lazily() {
    let pages = Pages::start();
    let client = client_for(&pages.base_url);
    let mut items = client
        .iter(Customer::list_paginated(client.inner(), &ListCustomerParams::new()).page_size(2));
    assert!(pages.queries().is_empty(), "nothing is fetched before the first item is asked for");

    let first = items.next().expect("first").expect("first item");
    assert_eq!(first.id, "cus_1");
    assert_eq!(pages.queries(), ["limit=2"]);
    let rest: Vec<String> = items.by_ref().map(|item| item.expect("item").id.into()).collect();
    assert_eq!(rest, ["cus_2", "cus_3"]);
    assert_eq!(pages.queries(), ["limit=2", "limit=2&starting_after=cus_2"]);
    assert!(items.next().is_none(), "fused");
    assert_eq!(pages.queries().len(), 2);
}

#[test]
fn iteration_stops_after_the_first_error() {
    let pages = Pages::start();
    let client = client_for(&pages.base_url);
    let mut params = ListCustomerParams::new();
    params.email = Some("fail".to_owned());
    let results: Vec<Result<Customer, Error>> =
        client.iter(Customer::list_paginated(client.inner(), &params)).collect();
    assert_eq!(results.len(), 4, "{results:?}");
    let ids: Vec<&str> =
        results[..3].iter().map(|item| item.as_ref().expect("item").id.as_str()).collect();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3"]);
    let Err(Error::Api(api)) = &results[3] else { panic!("not an API error: {:?}", results[3]) };
    assert_eq!(
        (api.status, api.kind, api.code.as_deref()),
        (402, ErrorKind::Card, Some("card_declined"))
    );
    assert_eq!(pages.queries().len(), 3);
}

#[test]
fn iterates_over_the_mock_servers_list() {
    let client = mock_client();
    let customers: Vec<Customer> = client
        .iter(Customer::list_paginated(client.inner(), &ListCustomerParams::new()))
        .collect::<Result<_, _>>()
        .expect("list");
    assert_eq!(customers.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Inside an async runtime
// ---------------------------------------------------------------------------------------------

fn assert_refused<T: std::fmt::Debug>(result: Result<T, Error>) {
    let err = result.expect_err("must be refused inside a runtime");
    assert!(matches!(err, Error::BlockingInAsyncContext), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("async runtime") && message.contains("stripe_sdk::Client"),
        "{message}"
    );
}

#[tokio::test]
async fn inside_an_async_runtime_it_returns_an_error_instead_of_panicking() {
    let base_url = tokio::task::spawn_blocking(|| mock().url()).await.expect("mock server");
    let client = client_for(&base_url);
    let mut params = CreateSessionParams::new();
    params.customer = Some("cus_123".into());

    assert_refused(client.call(|c| Session::create(c, &params)));
    assert_refused(client.raw(Method::Get, "/v1/balance", &()));
    let mut items =
        client.iter(Customer::list_paginated(client.inner(), &ListCustomerParams::new()));
    assert_refused(items.next().expect("the error"));
    assert!(items.next().is_none());

    // Threads of `spawn_blocking` know the runtime too, and are refused alike.
    let refused = client.clone();
    let result =
        tokio::task::spawn_blocking(move || refused.raw(Method::Get, "/v1/balance", &())).await;
    assert_refused(result.expect("spawn_blocking"));

    // A thread of one's own works.
    let on_thread = client.clone();
    let balance = std::thread::spawn(move || on_thread.raw(Method::Get, "/v1/balance", &()))
        .join()
        .expect("thread")
        .expect("balance");
    assert_eq!(balance["object"], "balance");

    // Dropping the last clone here, on a runtime thread, does not panic either.
    drop(client);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_made_and_dropped_in_a_multi_thread_runtime_does_not_panic() {
    let client = blocking::Client::new("sk_test_x");
    assert_refused(client.raw(Method::Get, "/v1/balance", &()));
    let clone = client.with_options(RequestOptions::new().stripe_account("acct_1"));
    drop(client);
    tokio::spawn(async move { drop(clone) }).await.expect("task");
}

#[test]
fn iterates_over_a_v2_list_by_next_page_url() {
    use stripe_sdk::v2::core::{Account, CreateAccountParams, ListAccountParams};
    let client = mock_client();
    let created: Vec<String> = (0..5)
        .map(|_| {
            let account = client
                .call(|c| Account::create(c, &CreateAccountParams::new()))
                .expect("a v2 account");
            account.id.into()
        })
        .collect();
    let listed: Vec<String> = client
        .iter(Account::list_paginated(client.inner(), &ListAccountParams::new()).page_size(2))
        .map(|account| account.expect("an account").id.into())
        .collect();
    // Newest first, every page followed (the mock's v2 pages hold 2).
    for id in &created {
        assert!(listed.contains(id), "{id} missing from {listed:?}");
    }
    let requests = mock().requests();
    let pages = requests.iter().filter(|r| r.path == "/v2/core/accounts" && r.method == "GET");
    assert!(pages.count() >= 3, "at least three pages of two");
}
