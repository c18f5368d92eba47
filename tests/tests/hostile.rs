//! Hostile or careless input, against loopback servers that record what reaches them: path ids
//! that would leave their resource, multipart header injection, endless pagination, unbounded
//! responses, errors that would copy huge values or credentials, a sticky idempotency key,
//! non-ASCII header values and deep nesting. Each case checks what is (not) sent on the wire.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use stripe_sdk::{
    Client, CreateFilePurpose, Customer, Error, FileUpload, ListCustomerParams, Method,
    RequestOptions, SearchCustomerParams,
};
use tests::capture::CaptureServer;
use tests::json::{customer, customer_page as page};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

async fn capture(responses: Vec<String>) -> (CaptureServer, Client) {
    let server = CaptureServer::scripted(responses).await.expect("server starts");
    let client = Client::builder("sk_test_hostile")
        .api_base(&server.base_url)
        .files_base(&server.base_url)
        .max_retries(0)
        .build()
        .expect("client");
    (server, client)
}

fn refused(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(err @ Error::InvalidArgument(_)) => err.to_string(),
        other => panic!("expected Error::InvalidArgument, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Path ids
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn path_ids_that_leave_their_resource_are_refused_before_sending() {
    let (server, client) = capture(vec![customer("cus_1").to_string()]).await;
    let retrieve = stripe_sdk::RetrieveCustomerParams::new();
    let update = stripe_sdk::UpdateCustomerParams::new();
    for id in ["", ".", ".."] {
        let message = refused(Customer::retrieve(&client, id, &retrieve).await);
        assert!(message.contains("must not be empty, `.` or `..`"), "{id:?}: {message}");
        refused(Customer::update(&client, id, &update).await);
        refused(Customer::delete(&client, id).await);
        refused(Customer::delete_tax_id(&client, "cus_1", id).await);
        refused(Customer::delete_tax_id(&client, id, "txi_1").await);
    }
    let message = refused(Customer::delete_tax_id(&client, "cus_1", "..").await);
    assert!(message.contains("after `/v1/customers/cus_1/tax_ids` is `..`"), "{message}");
    // Raw paths are checked too (URL parsers read `%2e` as `.`), the query string left alone.
    for path in ["/v1/customers/../balance", "/v1/customers/%2e%2E", "/v1/customers/.%2e?x=1"] {
        refused(client.raw(Method::Get, path, &()).await);
    }
    assert_eq!(server.requests().len(), 0, "nothing may be sent: {:?}", server.requests());

    // Ids with dots, slashes and percent signs stay inside their segment.
    for (id, target) in [
        ("...", "/v1/customers/..."),
        ("a.b", "/v1/customers/a.b"),
        ("../x", "/v1/customers/..%2Fx"),
        ("%2e%2e", "/v1/customers/%252e%252e"),
    ] {
        let sent = server.requests().len();
        Customer::retrieve(&client, id, &retrieve).await.expect("a customer");
        let requests = server.requests();
        assert_eq!(requests.len(), sent + 1);
        assert_eq!(requests[sent].target, target, "{id:?}");
    }
    client.raw(Method::Get, "/v1/customers?email=a/../b", &()).await.expect("a query is free");
}

// ---------------------------------------------------------------------------------------------
// Multipart file names
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn file_names_cannot_inject_part_headers() {
    let file = json!({"id": "file_1", "object": "file", "created": 1, "purpose": "dispute_evidence", "size": 3});
    let (server, client) = capture(vec![file.to_string()]).await;
    for name in ["a.pdf\r\nContent-Type: text/html", "a.pdf\nX: y", "a\0.pdf"] {
        let upload = FileUpload::new(name, b"abc".to_vec());
        let params = stripe_sdk::CreateFileParams::new(upload, CreateFilePurpose::DisputeEvidence);
        let message = refused(stripe_sdk::File::create(&client, &params).await);
        assert!(message.contains("control character"), "{message}");
    }
    assert_eq!(server.requests().len(), 0);

    // Quotes are escaped by the multipart encoder: one part header, the name intact.
    let upload = FileUpload::new("receipt \"2023\".pdf", b"abc".to_vec());
    let params = stripe_sdk::CreateFileParams::new(upload, CreateFilePurpose::DisputeEvidence);
    stripe_sdk::File::create(&client, &params).await.expect("uploaded");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let body = &requests[0].body;
    assert!(body.contains(r#"filename="receipt \"2023\".pdf""#), "{body}");
    assert_eq!(body.matches("Content-Type:").count(), 1, "{body}");
}

// ---------------------------------------------------------------------------------------------
// Endless pagination
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_repeated_cursor_ends_pagination_with_an_error() {
    // The server answers every page with the same items and `has_more: true`.
    let (server, client) = capture(vec![page(&["cus_1", "cus_2"], true)]).await;
    let params = ListCustomerParams::new();
    let err = Customer::list_paginated(&client, &params).collect_all().await.expect_err("a loop");
    match &err {
        Error::PaginationLoop { cursor, page } => {
            assert_eq!((cursor.as_str(), *page), ("cus_2", 2));
        }
        other => panic!("{other:?}"),
    }
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/v1/customers", "/v1/customers?starting_after=cus_2"]);

    // A cycle of two cursors (A, B, A) is caught as well, as is a repeated search page token.
    let (server, client) =
        capture(vec![page(&["cus_1"], true), page(&["cus_2"], true), page(&["cus_1"], true)]).await;
    let err = Customer::list_paginated(&client, &params).collect_all().await.expect_err("a loop");
    assert!(matches!(err, Error::PaginationLoop { page: 3, .. }), "{err:?}");
    assert_eq!(server.requests().len(), 3);

    let search = json!({"object": "search_result", "data": [customer("cus_1")], "has_more": true,
        "next_page": "tok_same", "url": "/v1/customers/search"});
    let (server, client) = capture(vec![search.to_string()]).await;
    let params = SearchCustomerParams::new("email:'a@example.com'");
    let err = Customer::search_paginated(&client, &params).collect_all().await.expect_err("loop");
    assert!(matches!(err, Error::PaginationLoop { page: 2, .. }), "{err:?}");
    assert_eq!(server.requests().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Unbounded responses
// ---------------------------------------------------------------------------------------------

/// A server that answers every request with `head` and then `body_bytes` bytes of `x` (endless
/// when `None`), and counts the connections and the body bytes it managed to write.
async fn flood(head: String, body_bytes: Option<u64>) -> (String, Arc<Counter>, Arc<Counter>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let written = Arc::new(Counter::default());
    let connections = Arc::new(Counter::default());
    let (counter, accepted) = (Arc::clone(&written), Arc::clone(&connections));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            accepted.add(1);
            let head = head.clone();
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let mut sent = 0u64;
                while body_bytes.is_none_or(|total| sent < total) {
                    if stream.write_all(&chunk).await.is_err() {
                        break;
                    }
                    sent += chunk.len() as u64;
                    counter.add(chunk.len() as u64);
                }
            });
        }
    });
    (base, written, connections)
}

#[derive(Default)]
struct Counter(std::sync::atomic::AtomicU64);

impl Counter {
    fn add(&self, n: u64) {
        self.0.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
    fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[tokio::test]
async fn response_bodies_are_bounded() {
    // An endless body without Content-Length: reading stops at the limit.
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_flood\r\nconnection: close\r\n\r\n";
    let (base, written, connections) = flood(head.to_owned(), None).await;
    let client = Client::builder("sk_test_flood")
        .api_base(&base)
        .max_response_bytes(1 << 20)
        .build()
        .expect("client");
    let err = client.raw(Method::Get, "/v1/balance", &()).await.expect_err("too large");
    match &err {
        Error::ResponseTooLarge { limit, status, request_id } => {
            assert_eq!((*limit, *status, request_id.as_deref()), (1 << 20, 200, Some("req_flood")));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("larger than the limit of 1048576 bytes"), "{err}");
    // Not retried: one connection only, and the client stopped reading near the limit (the
    // server gets its writes into the socket buffers at most).
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(connections.get(), 1);
    assert!(written.get() < 16 << 20, "{} bytes written", written.get());

    // A 1 GiB Content-Length is refused at once with the default limit (64 MiB).
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1073741824\r\n\r\n";
    let (base, written, connections) = flood(head.to_owned(), Some(1 << 30)).await;
    let client = Client::builder("sk_test_flood").api_base(&base).build().expect("client");
    let err = client.raw(Method::Get, "/v1/balance", &()).await.expect_err("too large");
    assert!(matches!(err, Error::ResponseTooLarge { limit: 67_108_864, .. }), "{err:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(connections.get(), 1);
    assert!(written.get() < 16 << 20, "{} bytes written", written.get());

    // A body at the limit is read.
    let body = customer("cus_1").to_string();
    let server = CaptureServer::start(body.clone()).await.expect("server starts");
    let client = Client::builder("sk_test_hostile")
        .api_base(&server.base_url)
        .max_response_bytes(body.len() as u64)
        .build()
        .expect("client");
    client.raw(Method::Get, "/v1/customers/cus_1", &()).await.expect("exactly at the limit");
}

// ---------------------------------------------------------------------------------------------
// Errors that would copy data
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn decode_errors_quote_a_bounded_part_of_the_value() {
    let huge = "y".repeat(5 << 20);
    let mut body = customer("cus_1");
    body["created"] = Value::String(huge.clone());
    let (_server, client) = capture(vec![body.to_string()]).await;
    let retrieve = stripe_sdk::RetrieveCustomerParams::new();
    let err = Customer::retrieve(&client, "cus_1", &retrieve).await.expect_err("a decode error");
    let text = err.to_string();
    assert!(matches!(err, Error::Decode { ref path, .. } if path == "created"), "{err:?}");
    assert!(text.len() < 1000, "{} bytes", text.len());
    assert!(text.contains(&format!("…({} bytes)", huge.len())), "{text}");

    // A huge unknown key in the path of a failure is shortened too.
    let mut body = customer("cus_1");
    body["metadata"] = json!({ huge.clone(): 5 });
    let err = stripe_sdk::decode_json::<Customer>(body.to_string().as_bytes()).expect_err("bad");
    assert!(err.path.len() < 200 && err.path.starts_with("metadata.yyy"), "{}", err.path.len());
    assert!(err.to_string().len() < 1000);
}

#[test]
fn credentials_in_a_base_url_are_refused_and_never_shown() {
    for base in [
        "http://user:hunter2@127.0.0.1:1",
        "https://hunter2@api.example.com/",
        "ftp://user:hunter2@example.com",
        "http://user:hunter2@exa mple.com",
    ] {
        let builder = Client::builder("sk_test_x").api_base(base);
        assert!(!format!("{builder:?}").contains("hunter2"), "{builder:?}");
        let err = builder.build().expect_err("credentials are refused");
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        let text = format!("{err} {err:?}");
        assert!(!text.contains("hunter2") && text.contains("***@"), "{text}");
        let builder = Client::builder("sk_test_x").files_base(base);
        let err = builder.build().expect_err("credentials are refused");
        assert!(!format!("{err} {err:?}").contains("hunter2"), "{err:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The idempotency key
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_idempotency_key_from_with_options_applies_to_one_request() {
    let (server, client) = capture(vec![customer("cus_1").to_string()]).await;
    let create = stripe_sdk::CreateCustomerParams::new();
    let handle = client.with_options(RequestOptions::new().idempotency_key("order-1"));
    Customer::create(&handle, &create).await.expect("the first create");
    // A second, different create through the same handle, a clone or a derived client is
    // refused instead of being answered with the first one's result.
    let mut other = stripe_sdk::CreateCustomerParams::new();
    other.email = Some("other@example.com".to_owned());
    let message = refused(Customer::create(&handle, &other).await);
    assert!(message.contains("\"order-1\" was already used"), "{message}");
    refused(Customer::create(&handle.clone(), &other).await);
    let derived = handle.with_options(RequestOptions::new().stripe_account("acct_1"));
    refused(Customer::delete(&derived, "cus_1").await);
    // GETs carry no key, so they neither take nor need one.
    let retrieve = stripe_sdk::RetrieveCustomerParams::new();
    Customer::retrieve(&handle, "cus_1", &retrieve).await.expect("a GET");
    // The key is given again on purpose: that is a new one-request handle.
    let again = client.with_options(RequestOptions::new().idempotency_key("order-1"));
    Customer::create(&again, &create).await.expect("the retried create");
    // The parent client keeps random keys.
    Customer::create(&client, &other).await.expect("a create with a random key");

    let requests = server.requests();
    let keys: Vec<Option<&str>> = requests.iter().map(|r| r.header("idempotency-key")).collect();
    assert_eq!(requests.len(), 4, "{requests:#?}");
    assert_eq!(&keys[..3], [Some("order-1"), None, Some("order-1")]);
    assert!(keys[3].is_some_and(|key| key != "order-1"));
    assert_eq!(requests[0].body, "");
    assert_eq!(requests[3].body, "email=other%40example.com");
}

// ---------------------------------------------------------------------------------------------
// Header values
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn non_ascii_header_values_are_refused() {
    let (server, client) = capture(vec![customer("cus_1").to_string()]).await;
    let options = [
        RequestOptions::new().stripe_account("acct_é"),
        RequestOptions::new().idempotency_key("clé-1"),
        RequestOptions::new().stripe_version("2023-08-16\u{a0}"),
        RequestOptions::new().api_key("sk_test_ключ"),
        RequestOptions::new().stripe_account("acct_1\r\nX-Evil: 1"),
    ];
    for option in options {
        let shown = format!("{option:?}");
        let err = client
            .with_options(option)
            .raw(Method::Post, "/v1/customers", &())
            .await
            .expect_err(&shown);
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(!err.to_string().contains("ключ"), "{err}");
    }
    for builder in [
        Client::builder("sk_test_ключ"),
        Client::builder("sk_test_x").stripe_version("2023-08-16é"),
        Client::builder("sk_test_x").app_info("Appé", None, None),
    ] {
        let err = builder.api_base(&server.base_url).build().expect_err("non-ASCII");
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(!err.to_string().contains("ключ"), "{err}");
    }
    assert_eq!(server.requests().len(), 0);
}

// ---------------------------------------------------------------------------------------------
// Deep nesting
// ---------------------------------------------------------------------------------------------

/// serde_json refuses input nested deeper than 128 levels, so the stack a decode needs is bounded:
/// `cargo run -p tests --bin stack` measures at most ~540 KiB (debug build) for the deepest
/// bodies, and the README asks for 1 MiB. Each of those bodies decodes, or fails with an error,
/// on a thread with a 1 MiB stack (an overflow would abort the test binary).
#[test]
fn the_deepest_bodies_decode_on_a_1_mib_stack() {
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let bodies = tests::deep::bodies();
            bodies.iter().map(|(name, body)| (name.clone(), tests::deep::decode(body))).collect()
        })
        .expect("thread")
        .join();
    let outcome: Vec<(String, tests::deep::Outcome)> = outcome.expect("no panic");
    for (name, (event, value)) in &outcome {
        if name.starts_with("expanded") && !name.contains("checkout") {
            assert_eq!(event, &Ok(()), "{name}: the chain of expanded objects decodes");
        }
        if name.starts_with("arrays") || name.starts_with("objects") {
            let value = value.as_ref().expect_err(name);
            assert!(value.contains("recursion limit exceeded"), "{name}: {value}");
        }
    }
    assert!(outcome.len() >= 8, "{outcome:?}");
}
