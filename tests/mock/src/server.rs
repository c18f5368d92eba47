//! The HTTP side: accepting connections, reading a request into parameters, faults, the request
//! log, and Stripe's response headers.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::api::{Api, Matched, Routing};
use crate::engine::{self, Mode, Origin, Outcome, State};
use crate::error::ApiError;
use crate::fault::{self, Action, Armed};
use crate::form::{self, Node, Params};
use crate::log::LoggedRequest;
use crate::webhook::{self, Endpoint, SignedEvent};

/// The largest request body read, in bytes.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// A tiny valid PDF, the body of `GET /v1/quotes/{quote}/pdf`.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n\
2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n\
3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]>> endobj\n\
trailer <</Root 1 0 R>>\n%%EOF\n";

/// Everything the connections of one server share.
pub(crate) struct Shared {
    pub api: &'static Api,
    pub mode: Mode,
    pub state: Mutex<State>,
    pub faults: Mutex<Vec<Armed>>,
    pub log: Mutex<Vec<LoggedRequest>>,
    pub requests: AtomicU64,
    pub webhook_secret: String,
    /// The API keys accepted.
    pub keys: crate::Keys,
    pub webhook_endpoint: Option<Endpoint>,
    /// Status codes (or errors) of webhook deliveries, in order.
    pub deliveries: Mutex<Vec<Result<u16, String>>>,
    /// How many events have been handed to delivery.
    pub delivered: Mutex<usize>,
    /// Answers of POST requests by `Idempotency-Key`, replayed for a retry of the same request.
    pub idempotent: Mutex<HashMap<String, Saved>>,
}

/// Locks a mutex, ignoring poisoning (a panicking test thread leaves consistent data here).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The connection is closed without an answer (the `drop_connection` fault).
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a programmed fault")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections on `listener` until `stop` fires; open connections end with the loop.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Answers go out at once, not after the client's delayed ACK.
                    let _ = stream.set_nodelay(true);
                    let shared = shared.clone();
                    connections.spawn(async move {
                        let service = hyper::service::service_fn(move |request| {
                            handle(shared.clone(), request)
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                // Out of file descriptors and the like: wait, then accept again.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

pub(crate) async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// What one request produced, before it becomes a response.
#[derive(Clone)]
pub(crate) struct Answer {
    status: u16,
    content_type: &'static str,
    body: Bytes,
    should_retry: Option<bool>,
    /// Answered again for a retry with the same `Idempotency-Key` (`Idempotent-Replayed: true`).
    replayed: bool,
    /// The `Location` of a redirect (a hosted page's form).
    location: Option<String>,
}

/// A saved answer: the request it answered (method, path, parameters) and the answer.
pub(crate) struct Saved {
    request: (String, String, Value),
    answer: Answer,
}

impl Answer {
    fn error(error: &ApiError) -> Answer {
        Answer {
            status: error.status,
            content_type: "application/json",
            body: Bytes::from(error.body().to_string()),
            should_retry: error.should_retry,
            replayed: false,
            location: None,
        }
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let number = shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let request_id = format!("req_mock{number:014}");
    let headers = request.headers().clone();
    let version = header(&headers, "stripe-version").unwrap_or(&shared.api.version).to_owned();
    let mut entry = LoggedRequest {
        request_id: request_id.clone(),
        method: request.method().as_str().to_owned(),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        operation: None,
        params: Value::Null,
        idempotency_key: header(&headers, "idempotency-key").map(str::to_owned),
        stripe_account: header(&headers, "stripe-account").map(str::to_owned),
        stripe_context: header(&headers, "stripe-context").map(str::to_owned),
        headers: logged_headers(&headers),
        status: 0,
        response: Bytes::new(),
    };
    let answer = match process(&shared, request, &mut entry).await {
        Ok(answer) => answer,
        Err(NoAnswer) => {
            entry.status = 0;
            lock(&shared.log).push(entry);
            return Err(Dropped);
        }
    };
    entry.status = answer.status;
    entry.response = answer.body.clone();
    lock(&shared.log).push(entry);
    deliver_new_events(&shared);

    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let out = response.headers_mut();
    out.insert(CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        out.insert("request-id", id);
    }
    if let Ok(version) = HeaderValue::from_str(&version) {
        out.insert("stripe-version", version);
    }
    if answer.replayed {
        out.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    if let Some(location) =
        answer.location.as_deref().and_then(|url| HeaderValue::from_str(url).ok())
    {
        out.insert("location", location);
    }
    if let Some(retry) = answer.should_retry {
        out.insert(
            "stripe-should-retry",
            HeaderValue::from_static(if retry { "true" } else { "false" }),
        );
    }
    Ok(response)
}

/// The request ends without an answer.
struct NoAnswer;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

async fn process(
    shared: &Shared,
    request: Request<Incoming>,
    entry: &mut LoggedRequest,
) -> Result<Answer, NoAnswer> {
    if let Some(page) = crate::pages::page(shared, request.method().as_str(), request.uri().path())
    {
        return Ok(Answer {
            status: page.status,
            content_type: "text/html; charset=utf-8",
            body: Bytes::from(page.html),
            should_retry: None,
            replayed: false,
            location: page.location,
        });
    }
    if let Err(error) = authorize(&shared.keys, request.headers()) {
        return Ok(Answer::error(&error));
    }
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let matched = match route(shared.api, &method, &path) {
        Ok(matched) => matched,
        Err(error) => return Ok(Answer::error(&error)),
    };
    entry.operation = Some(matched.route.operation.clone());

    let fault = fault::take(&mut lock(&shared.faults), &matched.route.operation);
    let mut lose_answer = false;
    match fault.map(|fault| fault.action) {
        Some(Action::Drop) => return Err(NoAnswer),
        Some(Action::Error(error)) => return Ok(Answer::error(&error)),
        Some(Action::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Action::LoseAnswer) => lose_answer = true,
        None => {}
    }

    let params = match read_params(request).await {
        Ok(params) => params,
        Err(error) => return Ok(Answer::error(&error)),
    };
    entry.params = params_json(&params);
    if let Err(invalid) =
        crate::validate::validate_params(&shared.api.data, &matched.route.params, &params)
    {
        let error = ApiError::invalid(invalid.message, Some(invalid.param), invalid.code);
        return Ok(Answer::error(&error));
    }
    execute(shared, &matched, &params, (method, path), entry, lose_answer)
}

/// Runs a valid request through the engine, or replays the answer saved for its idempotency key.
fn execute(
    shared: &Shared,
    matched: &Matched<'_>,
    params: &Params,
    (method, path): (String, String),
    entry: &LoggedRequest,
    lose_answer: bool,
) -> Result<Answer, NoAnswer> {
    let key = entry.idempotency_key.clone().filter(|_| method == "POST");
    let request = (method, path, entry.params.clone());
    if let Some(key) = &key {
        if let Some(saved) = lock(&shared.idempotent).get(key) {
            return Ok(replay(saved, &request, key));
        }
    }
    let origin = Origin {
        request_id: &entry.request_id,
        idempotency_key: entry.idempotency_key.as_deref(),
        context: entry.stripe_context.as_deref(),
    };
    let outcome = {
        let mut state = lock(&shared.state);
        // A flow that meets an object it cannot handle (say, one a test seeded with a field of
        // the wrong type) answers a 500 naming the operation instead of dropping the connection.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine::answer(shared.api, &mut state, shared.mode, matched, params, &origin)
        }))
        .unwrap_or_else(|_| {
            Err(Box::new(ApiError::new(
                500,
                "api_error",
                format!(
                    "stripe-sdk-mock failed on {} (an object in an unexpected shape?)",
                    matched.route.operation
                ),
            )))
        })
    };
    let answer = answer_of(outcome);
    if let Some(key) = key {
        lock(&shared.idempotent).insert(key, Saved { request, answer: answer.clone() });
    }
    if lose_answer {
        return Err(NoAnswer);
    }
    Ok(answer)
}

/// The operation of `method` and `path`, or Stripe's error for a path the API does not have.
fn route<'a>(api: &'a Api, method: &str, path: &str) -> Result<Matched<'a>, engine::Failure> {
    match api.route(method, path) {
        Routing::Found(matched) => Ok(matched),
        Routing::EmptyParam(name) => Err(Box::new(ApiError::invalid(
            format!("Invalid {name}: the path parameter `{name}` must not be empty"),
            Some(name),
            Some("parameter_missing"),
        ))),
        Routing::NotFound => Err(Box::new(ApiError::new(
            404,
            "invalid_request_error",
            format!(
                "Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."
            ),
        ))),
    }
}

/// The saved answer for a retry of the same request, or Stripe's error for a key reused with
/// another request.
fn replay(saved: &Saved, request: &(String, String, Value), key: &str) -> Answer {
    if saved.request != *request {
        let mut error = ApiError::new(
            400,
            "idempotency_error",
            format!(
                "Keys for idempotent requests can only be used with the same parameters they were \
                 first used with. Try using a key other than '{key}' if you meant to execute a \
                 different request."
            ),
        );
        error.code = Some("idempotency_key_in_use".to_owned());
        return Answer::error(&error);
    }
    Answer { replayed: true, ..saved.answer.clone() }
}

fn answer_of(outcome: Result<Outcome, engine::Failure>) -> Answer {
    match outcome {
        Ok(Outcome::Json(value)) => Answer {
            status: 200,
            content_type: "application/json",
            body: Bytes::from(value.to_string()),
            should_retry: None,
            replayed: false,
            location: None,
        },
        Ok(Outcome::Pdf) => Answer {
            status: 200,
            content_type: "application/pdf",
            body: Bytes::from_static(PDF),
            should_retry: None,
            replayed: false,
            location: None,
        },
        Err(error) => Answer::error(&error),
    }
}

/// The API key of the `Authorization` header (Bearer, or Basic with the key as user name).
fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = header(headers, AUTHORIZATION.as_str())?;
    let mut parts = value.trim().splitn(2, ' ');
    let scheme = parts.next().unwrap_or("");
    let credentials = parts.next().unwrap_or("").trim();
    if credentials.is_empty() {
        return None;
    }
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(credentials.to_owned());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        // Stripe's Basic form: the key as user name, no password. The decoded text is not
        // needed to accept any key; a listed key is compared after decoding.
        return Some(decode_basic(credentials).unwrap_or_else(|| credentials.to_owned()));
    }
    None
}

fn decode_basic(encoded: &str) -> Option<String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in encoded.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|c| *c == byte)? as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    Some(text.split(':').next().unwrap_or("").to_owned())
}

/// A key as Stripe shows it in errors: its prefix and last four characters.
pub(crate) fn redact(key: &str) -> String {
    let prefix: String = key.chars().take_while(|c| *c != '_').collect();
    let mode = key.split('_').nth(1).unwrap_or("");
    let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    if key.chars().count() <= 12 {
        return format!("{prefix}_****");
    }
    format!("{prefix}_{mode}_****{tail}")
}

/// Stripe's 401 for a missing key, or for a key the server was not told to accept.
fn authorize(keys: &crate::Keys, headers: &HeaderMap) -> Result<(), engine::Failure> {
    let Some(key) = api_key(headers) else {
        return Err(Box::new(ApiError::new(
            401,
            "invalid_request_error",
            "You did not provide an API key. You need to provide your API key in the Authorization header, \
             using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication \
             for details, or we can help at https://support.stripe.com/.",
        )));
    };
    let accepted = match keys {
        crate::Keys::Any => true,
        crate::Keys::Listed(listed) => listed.contains(&key),
        crate::Keys::Prefix(prefix) => key.starts_with(prefix.as_str()),
    };
    if accepted {
        return Ok(());
    }
    let mut error = ApiError::new(
        401,
        "invalid_request_error",
        format!("Invalid API Key provided: {}", redact(&key)),
    );
    error.code = Some("api_key_invalid".to_owned());
    Err(Box::new(error))
}

/// The request's headers for the log, the API key redacted.
fn logged_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            let text = if name == AUTHORIZATION {
                match api_key(headers) {
                    Some(key) => format!("Bearer {}", redact(&key)),
                    None => "(unreadable)".to_owned(),
                }
            } else {
                text
            };
            (name.as_str().to_owned(), text)
        })
        .collect()
}

/// The query string and the body (form-encoded or multipart) as one parameter tree.
async fn read_params(request: Request<Incoming>) -> Result<Params, ApiError> {
    let mut params = Params::new();
    if let Some(query) = request.uri().query() {
        form::parse_urlencoded_into(&mut params, query.as_bytes())?;
    }
    let method = request.method().clone();
    if method == hyper::Method::GET || method == hyper::Method::HEAD {
        return Ok(params);
    }
    let content_type = header(request.headers(), CONTENT_TYPE.as_str()).unwrap_or("").to_owned();
    let body = Limited::new(request.into_body(), BODY_LIMIT)
        .collect()
        .await
        .map_err(|err| {
            ApiError::invalid(format!("Could not read the request body: {err}"), None, None)
        })?
        .to_bytes();
    let media = content_type.trim_start().to_ascii_lowercase();
    if media.starts_with("multipart/form-data") {
        read_multipart(&content_type, body, &mut params).await?;
    } else if media.starts_with("application/json") {
        // The v2 API's bodies, read into the same tree as a form (`null` as an unset value).
        let value: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|err| ApiError::invalid(format!("Invalid JSON body: {err}"), None, None))?;
        match form::Node::from_json(value) {
            form::Node::Map(map) => params.extend(map),
            _ => return Err(ApiError::invalid("A JSON body must be an object", None, None)),
        }
    } else {
        form::parse_urlencoded_into(&mut params, &body)?;
    }
    Ok(params)
}

async fn read_multipart(
    content_type: &str,
    body: Bytes,
    params: &mut Params,
) -> Result<(), ApiError> {
    let bad = |err: multer::Error| {
        ApiError::invalid(format!("Invalid multipart/form-data body: {err}"), None, None)
    };
    let boundary = multer::parse_boundary(content_type).map_err(bad)?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let Some(name) = field.name().map(str::to_owned) else { continue };
        let filename = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(bad)?;
        let node = match filename {
            Some(filename) => Node::File { filename, len: bytes.len() },
            None => Node::Leaf(String::from_utf8_lossy(&bytes).into_owned()),
        };
        form::insert(params, &name, node)?;
    }
    Ok(())
}

/// The parameter tree as JSON, for the request log.
fn params_json(params: &Params) -> Value {
    Value::Object(params.iter().map(|(key, node)| (key.clone(), node_json(node))).collect())
}

fn node_json(node: &Node) -> Value {
    match node {
        Node::Leaf(text) => Value::from(text.as_str()),
        Node::File { filename, len } => serde_json::json!({ "file": filename, "len": len }),
        Node::Map(children) => params_json(children),
        Node::List(items) => Value::Array(items.iter().map(node_json).collect()),
    }
}

/// Posts the events not delivered yet to the webhook endpoint, if the test set one.
pub(crate) fn deliver_new_events(shared: &Arc<Shared>) {
    let Some(endpoint) = shared.webhook_endpoint.clone() else { return };
    let events = {
        let mut delivered = lock(&shared.delivered);
        let events = crate::signed_events_since(shared, *delivered);
        *delivered += events.len();
        events
    };
    if events.is_empty() {
        return;
    }
    let shared = shared.clone();
    tokio::spawn(async move {
        for event in events {
            let delivery = webhook::deliver(&endpoint, &event);
            let outcome = match tokio::time::timeout(DELIVERY_TIMEOUT, delivery).await {
                Ok(outcome) => outcome.map_err(|err| err.to_string()),
                Err(_) => Err(format!("no answer within {DELIVERY_TIMEOUT:?}")),
            };
            lock(&shared.deliveries).push(outcome);
        }
    });
}

/// How long a webhook endpoint has to answer.
const DELIVERY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

pub(crate) fn sign_event(shared: &Shared, event: &Value) -> SignedEvent {
    let payload = event.to_string();
    // Signed when sent, as Stripe does: the system time, whatever the mock's clock says (an
    // endpoint checks the timestamp against its own clock).
    let timestamp = crate::clock::system_now();
    SignedEvent { signature: webhook::sign(&shared.webhook_secret, timestamp, &payload), payload }
}
