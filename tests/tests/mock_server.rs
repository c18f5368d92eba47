//! The mock server (`tests::mock`): every operation of the pinned spec answers 200 to a request
//! holding only its required parameters, and malformed requests get Stripe's errors.

use std::sync::OnceLock;

use codegen::view::SpecOperation;
use openapiv3::OpenAPI;
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use tests::conformance::{operation_params, Fill};
use tests::mock::{Api, MockServer, Mode, ThreadedMockServer};

/// The number of operations in the pinned spec.
const PINNED_OPERATIONS: usize = 617;

const KEY: &str = "Bearer sk_test_mock";

struct Fixture {
    server: ThreadedMockServer,
}

/// One server for every test of this file.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        // Examples mode: every id exists, as the requests below use made-up ids.
        let server = MockServer::builder()
            .mode(Mode::Examples)
            .start_threaded()
            .unwrap_or_else(|err| panic!("{err}"));
        Fixture { server }
    })
}

/// The pinned spec, to build requests from.
fn spec() -> &'static OpenAPI {
    tests::fixtures::spec().unwrap_or_else(|err| panic!("{err}"))
}

fn url(path: &str) -> String {
    format!("{}{path}", fixture().server.url())
}

struct Reply {
    status: StatusCode,
    content_type: String,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|err| {
            panic!("not JSON ({err}): {}", String::from_utf8_lossy(&self.bytes))
        })
    }

    /// Asserts a Stripe error: status, `error.type` and `error.param`; returns the message.
    fn assert_error(&self, status: u16, param: Option<&str>) -> String {
        let body = self.json();
        assert_eq!(self.status.as_u16(), status, "{body}");
        assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
        assert_eq!(body["error"]["param"].as_str(), param, "{body}");
        body["error"]["message"].as_str().unwrap_or_else(|| panic!("no message: {body}")).to_owned()
    }

    fn assert_ok(&self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", String::from_utf8_lossy(&self.bytes));
        self.json()
    }
}

async fn send(
    method: Method,
    path: &str,
    auth: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    let mut request = Client::new().request(method, url(path));
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.body(body).send().await.unwrap_or_else(|err| panic!("{path}: {err}"));
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response.bytes().await.unwrap_or_else(|err| panic!("{path}: {err}")).to_vec();
    Reply { status, content_type, bytes }
}

async fn get(path_and_query: &str) -> Reply {
    send(Method::GET, path_and_query, Some(KEY), None, Vec::new()).await
}

async fn delete(path_and_query: &str) -> Reply {
    send(Method::DELETE, path_and_query, Some(KEY), None, Vec::new()).await
}

async fn post(path: &str, form: &str) -> Reply {
    send(
        Method::POST,
        path,
        Some(KEY),
        Some("application/x-www-form-urlencoded"),
        form.as_bytes().to_vec(),
    )
    .await
}

const BOUNDARY: &str = "mockboundary7MA4YWxkTrZu0gW";

/// A multipart body of text fields and files (`(name, filename, bytes)`).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(path: &str, body: Vec<u8>) -> Reply {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    send(Method::POST, path, Some(KEY), Some(&content_type), body).await
}

// ---- building requests from the spec ----

/// `{"a": {"b": [1]}}` -> `a[b][0]=1`.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let key = |child: &str| {
        if prefix.is_empty() {
            child.to_owned()
        } else {
            format!("{prefix}[{child}]")
        }
    };
    match value {
        Value::Object(object) => {
            object.iter().for_each(|(name, value)| flatten(&key(name), value, out))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, value)| flatten(&key(&i.to_string()), value, out)),
        Value::String(text) => out.push((prefix.to_owned(), text.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

fn encode(pairs: &[(String, String)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        serializer.append_pair(key, value);
    }
    serializer.finish()
}

/// The required parameters of an operation (the conformance runner's examples), flattened.
fn required_params(operation: &SpecOperation<'_>) -> Vec<(String, String)> {
    let mut params =
        operation_params(spec(), operation.operation, &operation.pointer, Fill::Required)
            .unwrap_or_else(|err| panic!("{err}"));
    // A body without required parameters gets its first one, to be sent at all; `expand` (with
    // a made-up field) is not one to send.
    if let Value::Object(fields) = &mut params {
        fields.remove("expand");
    }
    let mut pairs = Vec::new();
    flatten("", &params, &mut pairs);
    pairs
}

/// Whether the operation answers with a PDF.
fn answers_pdf(operation: &openapiv3::Operation) -> bool {
    matches!(
        operation.responses.responses.get(&openapiv3::StatusCode::Code(200)),
        Some(openapiv3::ReferenceOr::Item(response))
            if response.content.contains_key("application/pdf")
    )
}

#[tokio::test]
async fn every_operation_answers_200_to_its_required_params() {
    let mut operations = 0;
    let mut failures = Vec::new();
    for operation in codegen::view::operations(spec()).unwrap_or_else(|err| panic!("{err}")) {
        let (template, method) = (operation.path, operation.method.as_str().to_ascii_lowercase());
        let Ok(http_method) = Method::from_bytes(operation.method.as_str().as_bytes()) else {
            continue;
        };
        if !["get", "post", "delete"].contains(&method.as_str()) {
            continue;
        }
        operations += 1;
        let path = template
            .split('/')
            .map(|segment| if segment.starts_with('{') { "x_id" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        let mut pairs = required_params(&operation);
        if template.ends_with("/search") {
            // Stripe's query language, which the mock parses.
            pairs.retain(|(key, _)| key != "query");
            pairs.push(("query".to_owned(), "email:'a@b.c'".to_owned()));
        }
        let multipart_body = codegen::view::body_schemas(operation.operation)
            .any(|(media, _)| media == "multipart/form-data");
        let reply = if multipart_body {
            let fields: Vec<(&str, &str)> = pairs
                .iter()
                .filter(|(key, _)| key != "file")
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            post_multipart(&path, multipart(&fields, &[("file", "a.txt", b"hello")])).await
        } else if method == "post" {
            post(&path, &encode(&pairs)).await
        } else {
            let query = encode(&pairs);
            let path = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
            send(http_method, &path, Some(KEY), None, Vec::new()).await
        };
        if reply.status != StatusCode::OK {
            failures.push(format!(
                "{} {template} ({}): {} {}",
                method.to_uppercase(),
                encode(&pairs),
                reply.status,
                String::from_utf8_lossy(&reply.bytes)
            ));
            continue;
        }
        if answers_pdf(operation.operation) {
            assert_eq!(reply.content_type, "application/pdf", "{template}");
            assert!(reply.bytes.starts_with(b"%PDF-"), "{template}");
        } else {
            let body = reply.json();
            assert!(body.is_object(), "{method} {template}: {body}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {operations} operations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(operations, PINNED_OPERATIONS);
    let api = Api::embedded().unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(api.routes.len(), PINNED_OPERATIONS);
}

#[tokio::test]
async fn unknown_parameters() {
    post("/v1/customers", "foo=1").await.assert_error(400, Some("foo"));
    let message =
        post("/v1/customers", "address[zzz]=1").await.assert_error(400, Some("address[zzz]"));
    assert_eq!(message, "Received unknown parameter: address[zzz]");
    get("/v1/customers?limitx=3").await.assert_error(400, Some("limitx"));
    get("/v1/customers?created[gtx]=1").await.assert_error(400, Some("created[gtx]"));
    post("/v1/subscriptions", "customer=c&items[0][nope]=1")
        .await
        .assert_error(400, Some("items[0][nope]"));
}

#[tokio::test]
async fn missing_required_params() {
    let message =
        post("/v1/payment_intents", "currency=usd").await.assert_error(400, Some("amount"));
    assert_eq!(message, "Missing required param: amount.");
    get("/v1/customers/search").await.assert_error(400, Some("query"));
    post("/v1/customers/cus_1", "invoice_settings[custom_fields][0][name]=a")
        .await
        .assert_error(400, Some("invoice_settings[custom_fields][0][value]"));
    post(
        "/v1/customers/cus_1",
        "invoice_settings[custom_fields][0][name]=a&invoice_settings[custom_fields][0][value]=b",
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn wrong_types() {
    let message = get("/v1/customers?limit=abc").await.assert_error(400, Some("limit"));
    assert_eq!(message, "Invalid integer: abc");
    get("/v1/customers?limit=3").await.assert_ok();
    get("/v1/customers?limit=-3").await.assert_ok();
    get("/v1/customers?limit=1.5").await.assert_error(400, Some("limit"));
    post("/v1/subscriptions", "customer=c&items[0][quantity]=abc")
        .await
        .assert_error(400, Some("items[0][quantity]"));
    // `format: unix-time`
    post("/v1/subscriptions", "customer=c&billing_cycle_anchor=tomorrow")
        .await
        .assert_error(400, Some("billing_cycle_anchor"));
    post("/v1/subscriptions", "customer=c&billing_cycle_anchor=1700000000").await.assert_ok();
    // number
    post("/v1/subscriptions", "customer=c&application_fee_percent=abc")
        .await
        .assert_error(400, Some("application_fee_percent"));
    post("/v1/subscriptions", "customer=c&application_fee_percent=12.5").await.assert_ok();
    // boolean
    let message = delete("/v1/subscriptions/sub_1?invoice_now=maybe")
        .await
        .assert_error(400, Some("invoice_now"));
    assert!(message.starts_with("Invalid boolean"), "{message}");
    delete("/v1/subscriptions/sub_1?invoice_now=true&prorate=false").await.assert_ok();
    // an object where a string goes, a string where an object goes
    post("/v1/customers", "description[a]=b").await.assert_error(400, Some("description"));
    post("/v1/customers", "address=abc").await.assert_error(400, Some("address"));
    // an empty string where it cannot unset anything
    post("/v1/customers", "balance=").await.assert_error(400, Some("balance"));
}

#[tokio::test]
async fn enums() {
    let message = post("/v1/subscriptions", "customer=c&collection_method=zz")
        .await
        .assert_error(400, Some("collection_method"));
    assert_eq!(
        message,
        "Invalid collection_method: must be one of charge_automatically, send_invoice"
    );
    post("/v1/subscriptions", "customer=c&collection_method=send_invoice").await.assert_ok();
    post("/v1/subscriptions", "customer=c&items[0][price_data][tax_behavior]=zz&items[0][price_data][currency]=usd&items[0][price_data][product]=p&items[0][price_data][recurring][interval]=month")
        .await
        .assert_error(400, Some("items[0][price_data][tax_behavior]"));
    // `x-stripeBypassValidation`: values outside the enum are allowed.
    let body = multipart(&[("purpose", "a_purpose_from_the_future")], &[("file", "a.txt", b"hi")]);
    post_multipart("/v1/files", body).await.assert_ok();
    // anyOf [enum, integer]
    post("/v1/subscriptions", "customer=c&trial_end=now").await.assert_ok();
    post("/v1/subscriptions", "customer=c&trial_end=1700000000").await.assert_ok();
    post("/v1/subscriptions", "customer=c&trial_end=later")
        .await
        .assert_error(400, Some("trial_end"));
}

#[tokio::test]
async fn empty_strings_unset_where_the_spec_allows() {
    post("/v1/customers/cus_1", "metadata=&description=&address=").await.assert_ok();
    post("/v1/subscriptions/sub_1", "default_tax_rates=").await.assert_ok();
    post("/v1/customers/cus_1", "metadata=abc").await.assert_error(400, Some("metadata"));
    post("/v1/customers/cus_1", "address[city]=").await.assert_ok();
}

#[tokio::test]
async fn maps_arrays_and_nesting() {
    post("/v1/customers", "metadata[order]=6735&metadata[note]=hello+world").await.assert_ok();
    post("/v1/customers", "metadata[a][b]=c").await.assert_error(400, Some("metadata[a]"));
    // indexed, appended, percent-encoded and repeated array elements
    post(
        "/v1/subscriptions",
        "customer=c&items[0][price]=p&items[1][price]=q&items[1][quantity]=2",
    )
    .await
    .assert_ok();
    post("/v1/subscriptions", "customer=c&items[][price]=p&items[][quantity]=2&items[][price]=q")
        .await
        .assert_ok();
    post("/v1/subscriptions", "customer=c&items%5B0%5D%5Bprice%5D=p&expand%5B%5D=customer")
        .await
        .assert_ok();
    get("/v1/customers?expand[0]=data.default_source&expand[1]=data.test_clock").await.assert_ok();
    get("/v1/customers?expand[]=data.default_source&expand[]=data.test_clock").await.assert_ok();
    get("/v1/customers?expand=data.default_source&expand=data.test_clock").await.assert_ok();
    // paths that cannot be expanded, as Stripe answers them
    let message = get("/v1/customers?expand[]=data.email").await.assert_error(400, Some("expand"));
    assert_eq!(message, "This property cannot be expanded (data.email).");
    get("/v1/customers?expand[]=default_source").await.assert_error(400, Some("expand"));
    get("/v1/customers/cus_1?expand[]=nope").await.assert_error(400, Some("expand"));
    get("/v1/customers?expand=a").await.assert_error(400, Some("expand"));
    get("/v1/customers?expand[a]=b").await.assert_error(400, Some("expand[a]"));
    get("/v1/customers?created[gte]=1&created[lt]=2").await.assert_ok();
    get("/v1/customers?created=1").await.assert_ok();
    // deep nesting
    post(
        "/v1/customers",
        "invoice_settings[rendering_options][amount_tax_display]=exclude_tax&shipping[name]=n&shipping[address][line1]=l",
    )
    .await
    .assert_ok();
    post("/v1/customers", "shipping[address][line1]=l")
        .await
        .assert_error(400, Some("shipping[name]"));
    post("/v1/customers", "shipping[name]=n&shipping[address][zz]=l")
        .await
        .assert_error(400, Some("shipping[address][zz]"));
    // malformed names and conflicting values
    post("/v1/customers", "address[city=x").await.assert_error(400, Some("address[city"));
    post("/v1/customers", "address=x&address[city]=y")
        .await
        .assert_error(400, Some("address[city]"));
}

#[tokio::test]
async fn multipart_file_upload() {
    let body =
        multipart(&[("purpose", "dispute_evidence")], &[("file", "evidence.pdf", b"%PDF-1.4")]);
    let file = post_multipart("/v1/files", body).await.assert_ok();
    assert_eq!(file["object"], "file");
    let body = multipart(&[("purpose", "dispute_evidence")], &[]);
    post_multipart("/v1/files", body).await.assert_error(400, Some("file"));
    let body = multipart(&[], &[("file", "evidence.pdf", b"%PDF-1.4")]);
    post_multipart("/v1/files", body).await.assert_error(400, Some("purpose"));
    // `file` must be a file part
    post("/v1/files", "purpose=dispute_evidence&file=abc").await.assert_error(400, Some("file"));
    let body = multipart(
        &[("purpose", "dispute_evidence"), ("file_link_data[create]", "yes")],
        &[("file", "a.txt", b"x")],
    );
    post_multipart("/v1/files", body).await.assert_error(400, Some("file_link_data[create]"));
}

#[tokio::test]
async fn authentication() {
    let reply = send(Method::GET, "/v1/customers", None, None, Vec::new()).await;
    let message = reply.assert_error(401, None);
    assert!(message.starts_with("You did not provide an API key"), "{message}");
    send(Method::GET, "/v1/customers", Some("Bearer "), None, Vec::new())
        .await
        .assert_error(401, None);
    send(Method::GET, "/v1/customers", Some("sk_test_123"), None, Vec::new())
        .await
        .assert_error(401, None);
    send(Method::GET, "/v1/customers", Some("Bearer sk_test_123"), None, Vec::new())
        .await
        .assert_ok();
}

#[tokio::test]
async fn unknown_routes() {
    let message = get("/v1/nope").await.assert_error(404, None);
    assert!(message.starts_with("Unrecognized request URL (GET: /v1/nope)"), "{message}");
    let message = send(Method::PUT, "/v1/customers", Some(KEY), None, Vec::new())
        .await
        .assert_error(404, None);
    assert!(message.starts_with("Unrecognized request URL (PUT: /v1/customers)"), "{message}");
    // no `POST /v1/customers/{customer}/tax_ids/{id}` in the spec
    post("/v1/customers/cus_1/tax_ids/txi_1", "").await.assert_error(404, None);
    get("/v1/customers/cus_1/extra/segments").await.assert_error(404, None);
    get("/v1/customers//sources").await.assert_error(400, Some("customer"));
}

#[tokio::test]
async fn literal_segments_win_over_parameters() {
    let search = get("/v1/customers/search?query=email:'a@b.c'").await.assert_ok();
    assert_eq!(search["object"], "search_result");
    assert_eq!(search["next_page"], Value::Null);
    assert_eq!(search["data"][0]["object"], "customer");
    let invoices = get("/v1/invoices/search?query=total>0").await.assert_ok();
    assert_eq!(invoices["object"], "search_result");
    // the parameter still matches other values
    let customer = get("/v1/customers/searching").await.assert_ok();
    assert_eq!(customer["id"], "searching");
}

#[tokio::test]
async fn ids_are_echoed() {
    let customer = get("/v1/customers/cus_ECHO").await.assert_ok();
    assert_eq!(customer["id"], "cus_ECHO");
    assert_eq!(customer["object"], "customer");
    let updated = post("/v1/customers/cus_ECHO", "description=d").await.assert_ok();
    assert_eq!(updated["id"], "cus_ECHO");
    let deleted = delete("/v1/customers/cus_ECHO").await.assert_ok();
    assert_eq!(
        (deleted["id"].as_str(), deleted["deleted"].as_bool()),
        (Some("cus_ECHO"), Some(true))
    );
    let confirmed = post("/v1/payment_intents/pi_ECHO/confirm", "").await.assert_ok();
    assert_eq!(
        (confirmed["object"].as_str(), confirmed["id"].as_str()),
        (Some("payment_intent"), Some("pi_ECHO"))
    );
    let source = get("/v1/customers/cus_1/sources/card_ECHO").await.assert_ok();
    assert_eq!(source["id"], "card_ECHO");
    let encoded = get("/v1/customers/cus%20ECHO").await.assert_ok();
    assert_eq!(encoded["id"], "cus ECHO");
    // the customer's id is not the id of what is returned
    let login_link = post("/v1/accounts/acct_ECHO/login_links", "").await.assert_ok();
    assert_ne!(login_link["id"], "acct_ECHO");
    let discount = delete("/v1/customers/cus_ECHO/discount").await.assert_ok();
    assert_ne!(discount["id"], "cus_ECHO");
}

#[tokio::test]
async fn list_envelopes() {
    let list = get("/v1/customers?limit=3").await.assert_ok();
    assert_eq!(list["object"], "list");
    assert_eq!(list["has_more"], false);
    assert_eq!(list["url"], "/v1/customers");
    let data = list["data"].as_array().expect("data is an array");
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["object"], "customer");
    let nested = get("/v1/customers/cus_1/sources").await.assert_ok();
    assert_eq!(nested["url"], "/v1/customers/cus_1/sources");
    assert!(nested["data"][0]["object"].is_string(), "{nested}");
    let items = get("/v1/checkout/sessions/cs_1/line_items").await.assert_ok();
    assert_eq!(items["data"][0]["object"], "item");
}

#[tokio::test]
async fn quote_pdf() {
    let reply = get("/v1/quotes/qt_1/pdf").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type, "application/pdf");
    assert!(reply.bytes.starts_with(b"%PDF-1.4"));
}

#[tokio::test]
async fn async_server_starts_and_stops() {
    let server = MockServer::start().await;
    let base = server.url();
    let client = Client::new();
    let reply = client
        .get(format!("{base}/v1/balance"))
        .bearer_auth("sk_test")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(reply.status(), StatusCode::OK);
    assert!(reply.headers().contains_key("request-id"));
    server.shutdown().await;
    let after = Client::new().get(format!("{base}/v1/balance")).bearer_auth("sk_test").send().await;
    assert!(after.is_err(), "the server still answers after shutdown");
}
