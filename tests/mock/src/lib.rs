//! A Stripe-compatible mock server driven by the pinned spec and its fixtures.
//!
//! It routes every operation of `spec3.yaml`, checks the API key and the parameters against the
//! operation's schemas (answering Stripe's error JSON), and answers with the fixture of the returned
//! resource. It does not depend on `stripe-sdk`, so it checks requests of any client.
//!
//! ```no_run
//! # async fn run() -> Result<(), stripe_mock::MockError> {
//! let files = stripe_mock::pinned_files()?;
//! let server = stripe_mock::start(&files.spec, &files.fixtures, "127.0.0.1:0".parse().unwrap()).await?;
//! println!("{}", server.base_url());
//! # Ok(()) }
//! ```

pub mod api;
pub mod form;
pub mod validate;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Map, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use api::{Api, Reply, Routing};
use form::{FormError, Node, Params};

/// The largest request body read, in bytes.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// A tiny valid PDF, the body of `GET /v1/quotes/{quote}/pdf`.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n\
2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n\
3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]>> endobj\n\
trailer <</Root 1 0 R>>\n%%EOF\n";

#[derive(Debug, thiserror::Error)]
pub enum MockError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot parse {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("unsupported spec: {0}")]
    Spec(String),
    #[error("cannot locate the pinned spec: {0}")]
    Pin(#[from] spec_pin::PinError),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
    #[error("the mock server thread failed: {0}")]
    Thread(String),
}

/// The verified pinned `spec3.yaml` and `fixtures3.json` of this workspace.
pub fn pinned_files() -> Result<spec_pin::SpecFiles, MockError> {
    let root = workspace_root();
    Ok(spec_pin::Pin::load(&root)?.locate(&root)?)
}

/// Loads the spec and fixtures, and serves them on `addr` (port 0 picks a free port).
pub async fn start(
    spec: &Path,
    fixtures: &Path,
    addr: SocketAddr,
) -> Result<MockServer, MockError> {
    let (spec, fixtures) = (spec.to_owned(), fixtures.to_owned());
    let api = tokio::task::spawn_blocking(move || Api::load(&spec, &fixtures))
        .await
        .map_err(|err| MockError::Thread(err.to_string()))??;
    serve(Arc::new(api), addr).await
}

/// Serves an already loaded [`Api`] on `addr`.
pub async fn serve(api: Arc<Api>, addr: SocketAddr) -> Result<MockServer, MockError> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let version =
        api.spec.pointer("/info/version").and_then(Value::as_str).unwrap_or("").to_owned();
    let shared = Arc::new(Shared { api, version, requests: AtomicU64::new(0) });
    let app =
        Router::new().fallback(handle).layer(DefaultBodyLimit::max(BODY_LIMIT)).with_state(shared);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(MockServer { addr, stop: Some(stop), task: Some(task) })
}

/// A running mock server; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting requests and waits for open requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A mock server running on its own thread and runtime, for blocking code and tests that each have
/// their own runtime. It stops when dropped.
#[derive(Debug)]
pub struct ThreadedMockServer {
    base_url: String,
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ThreadedMockServer {
    /// Loads `spec` and `fixtures` and serves them on `addr`.
    pub fn start(
        spec: &Path,
        fixtures: &Path,
        addr: SocketAddr,
    ) -> Result<ThreadedMockServer, MockError> {
        ThreadedMockServer::serve(Arc::new(Api::load(spec, fixtures)?), addr)
    }

    /// Serves an already loaded [`Api`] on `addr`.
    pub fn serve(api: Arc<Api>, addr: SocketAddr) -> Result<ThreadedMockServer, MockError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<String, MockError>>();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread =
            std::thread::Builder::new().name("stripe-mock".to_owned()).spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        let _ = ready_tx.send(Err(MockError::Io(err)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match serve(api, addr).await {
                        Ok(server) => {
                            let _ = ready_tx.send(Ok(server.base_url()));
                            let _ = tokio::task::spawn_blocking(move || stopped.recv()).await;
                            server.shutdown().await;
                        }
                        Err(err) => {
                            let _ = ready_tx.send(Err(err));
                        }
                    }
                });
            })?;
        let base_url = ready_rx.recv().map_err(|err| MockError::Thread(err.to_string()))??;
        Ok(ThreadedMockServer { base_url, stop: Some(stop), thread: Some(thread) })
    }

    /// The pinned spec and fixtures of this workspace, served on an ephemeral port.
    pub fn start_pinned() -> Result<ThreadedMockServer, MockError> {
        let files = pinned_files()?;
        ThreadedMockServer::start(
            &files.spec,
            &files.fixtures,
            SocketAddr::from(([127, 0, 0, 1], 0)),
        )
    }

    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }
}

impl Drop for ThreadedMockServer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Shared {
    api: Arc<Api>,
    version: String,
    requests: AtomicU64,
}

/// An error answered in Stripe's format.
struct ApiError {
    status: StatusCode,
    message: String,
    param: Option<String>,
    code: Option<&'static str>,
}

impl ApiError {
    fn invalid(
        message: impl Into<String>,
        param: Option<String>,
        code: Option<&'static str>,
    ) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into(), param, code }
    }

    fn body(&self) -> Value {
        let mut error = Map::new();
        if let Some(code) = self.code {
            error.insert("code".to_owned(), Value::from(code));
        }
        error.insert("message".to_owned(), Value::from(self.message.as_str()));
        if let Some(param) = &self.param {
            error.insert("param".to_owned(), Value::from(param.as_str()));
        }
        error.insert("type".to_owned(), Value::from("invalid_request_error"));
        json!({ "error": error })
    }
}

impl From<FormError> for ApiError {
    fn from(err: FormError) -> ApiError {
        ApiError::invalid(err.message, Some(err.param), None)
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let number = shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let version = request
        .headers()
        .get("stripe-version")
        .and_then(|value| value.to_str().ok())
        .unwrap_or(&shared.version)
        .to_owned();
    let (status, content_type, body) = match answer(&shared.api, request).await {
        Ok(Answer::Json(value)) => {
            (StatusCode::OK, "application/json", Body::from(value.to_string()))
        }
        Ok(Answer::Pdf) => (StatusCode::OK, "application/pdf", Body::from(PDF)),
        Err(err) => (err.status, "application/json", Body::from(err.body().to_string())),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(id) = HeaderValue::from_str(&format!("req_mock{number:014}")) {
        headers.insert("request-id", id);
    }
    if let Ok(version) = HeaderValue::from_str(&version) {
        headers.insert("stripe-version", version);
    }
    response
}

enum Answer {
    Json(Value),
    Pdf,
}

fn authorized(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.trim().splitn(2, ' ');
    let scheme = parts.next().unwrap_or("");
    let credentials = parts.next().unwrap_or("").trim();
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("basic"))
        && !credentials.is_empty()
}

async fn answer(api: &Api, request: Request) -> Result<Answer, ApiError> {
    if !authorized(request.headers()) {
        return Err(ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "You did not provide an API key. You need to provide your API key in the Authorization header, \
                      using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication \
                      for details, or we can help at https://support.stripe.com/."
                .to_owned(),
            param: None,
            code: None,
        });
    }
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let matched = match api.route(method.as_str(), &path) {
        Routing::Found(matched) => matched,
        Routing::EmptyParam(name) => {
            return Err(ApiError::invalid(
                format!("Invalid {name}: the path parameter `{name}` must not be empty"),
                Some(name),
                Some("parameter_missing"),
            ))
        }
        Routing::NotFound => {
            return Err(ApiError {
                status: StatusCode::NOT_FOUND,
                message: format!(
                    "Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."
                ),
                param: None,
                code: None,
            })
        }
    };
    let route = matched.route;

    let mut params = Params::new();
    if let Some(query) = request.uri().query() {
        form::parse_urlencoded_into(&mut params, query.as_bytes())?;
    }
    if method != Method::GET && method != Method::HEAD {
        let is_multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                value.trim_start().to_ascii_lowercase().starts_with("multipart/form-data")
            });
        if is_multipart {
            read_multipart(request, &mut params).await?;
        } else {
            let body =
                axum::body::to_bytes(request.into_body(), BODY_LIMIT).await.map_err(|err| {
                    ApiError::invalid(format!("Could not read the request body: {err}"), None, None)
                })?;
            form::parse_urlencoded_into(&mut params, &body)?;
        }
    }
    validate::validate_params(&api.spec, &route.params, &params)
        .map_err(|invalid| ApiError::invalid(invalid.message, Some(invalid.param), invalid.code))?;

    Ok(match &route.reply {
        Reply::Pdf => Answer::Pdf,
        Reply::Object(object) => {
            let mut object = object.clone();
            if route.echo_id {
                if let (Some((_, id)), Some(fields)) =
                    (matched.path_params.last(), object.as_object_mut())
                {
                    fields.insert("id".to_owned(), Value::from(id.as_str()));
                }
            }
            Answer::Json(object)
        }
        Reply::List { object, item } => {
            let mut list = Map::new();
            list.insert("object".to_owned(), Value::from(object.as_str()));
            list.insert("data".to_owned(), json!([item]));
            list.insert("has_more".to_owned(), Value::from(false));
            if object == "search_result" {
                list.insert("next_page".to_owned(), Value::Null);
            }
            list.insert("url".to_owned(), Value::from(path));
            Answer::Json(Value::Object(list))
        }
    })
}

async fn read_multipart(request: Request, params: &mut Params) -> Result<(), ApiError> {
    let bad = |err: axum::extract::multipart::MultipartError| {
        ApiError::invalid(
            format!("Invalid multipart/form-data body: {}", err.body_text()),
            None,
            None,
        )
    };
    let mut multipart = Multipart::from_request(request, &()).await.map_err(|err| {
        ApiError::invalid(
            format!("Invalid multipart/form-data body: {}", err.body_text()),
            None,
            None,
        )
    })?;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let Some(name) = field.name().map(str::to_owned) else { continue };
        let filename = field.file_name().map(str::to_owned);
        let bytes: Bytes = field.bytes().await.map_err(bad)?;
        let node = match filename {
            Some(filename) => Node::File { filename, len: bytes.len() },
            None => Node::Leaf(String::from_utf8_lossy(&bytes).into_owned()),
        };
        form::insert(params, &name, node)?;
    }
    Ok(())
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
