//! The HTTP client: authentication, Stripe's headers, retries with backoff, and decoding of
//! responses and errors.

mod builder;
mod guard;
mod options;
mod response;
mod retry;
mod secret;
mod trace;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use serde::Serialize;

pub use builder::ClientBuilder;
use builder::Config;
pub use options::RequestOptions;
pub use response::ResponseFuture;
use secret::SecretKey;

use crate::error::{body_snippet, ApiError, Error};
use crate::runtime::de::Decode;
use crate::runtime::form::RequestPath;

const DEFAULT_API_BASE: &str = "https://api.stripe.com";
const DEFAULT_FILES_BASE: &str = "https://files.stripe.com";
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
/// The default limit on a response body: far above any JSON response of Stripe's API (a page of
/// 100 expanded invoices is a few megabytes) and the files it serves.
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
const BASE_USER_AGENT: &str = concat!("Stripe/v1 RustBindings/", env!("CARGO_PKG_VERSION"));
/// How many causes of a connection error are spelled out in its message.
const MAX_ERROR_CHAIN: usize = 8;

/// HTTP method of a Stripe operation: every method OpenAPI allows (Stripe's current API uses
/// `GET`, `POST` and `DELETE`; older releases of its spec also `PUT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: parameters are form-encoded into the query string.
    Get,
    /// `POST`: parameters are sent as an `application/x-www-form-urlencoded` body.
    Post,
    /// `DELETE`: parameters are form-encoded into the query string.
    Delete,
    /// `PUT`: parameters are sent as a form-encoded body.
    Put,
    /// `PATCH`: parameters are sent as a form-encoded body.
    Patch,
    /// `HEAD`: parameters are form-encoded into the query string.
    Head,
    /// `OPTIONS`: parameters are form-encoded into the query string.
    Options,
    /// `TRACE`: parameters are form-encoded into the query string.
    Trace,
}

impl Method {
    /// The method's name, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
            Method::Trace => reqwest::Method::TRACE,
        }
    }

    /// Whether the parameters go into a form-encoded body (otherwise into the query string).
    fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    /// Whether requests with this method carry an `Idempotency-Key`: the methods that change
    /// something (the official SDKs' `POST` and `DELETE`, and `PUT`/`PATCH` where a spec has them).
    fn takes_idempotency_key(self) -> bool {
        matches!(self, Method::Post | Method::Delete | Method::Put | Method::Patch)
    }
}

/// Which of Stripe's hosts serves an operation: the API (`api.stripe.com`) or, for file uploads
/// and downloads, the files host (`files.stripe.com`), as the spec's `servers` say.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Api,
    Files,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Stripe API client: cheap to clone, safe to share between tasks.
///
/// ```no_run
/// # async fn example() -> Result<(), stripe_sdk::Error> {
/// use stripe_sdk::{Client, Method};
///
/// let client = Client::new("sk_test_...");
/// let customers = client.raw(Method::Get, "/v1/customers", &serde_json::json!({ "limit": 3 })).await?;
/// # let _ = customers;
/// # Ok(())
/// # }
/// ```
///
/// Every request carries `Authorization: Bearer <key>`, `Stripe-Version`, the `User-Agent` and
/// `X-Stripe-Client-User-Agent` headers and, for `POST` and `DELETE`, an `Idempotency-Key` (random
/// unless given in [`RequestOptions`]) that is reused by every retry of the request. The `Debug`
/// output never shows the secret key.
#[derive(Clone)]
pub struct Client {
    config: Arc<Config>,
    /// The options of this handle, without an idempotency key (that is in `idempotency_key`).
    options: Arc<RequestOptions>,
    /// The idempotency key given to [`Client::with_options`], for one request only; shared by
    /// the clones of this handle and the clients derived from it.
    idempotency_key: Option<Arc<OneShotKey>>,
}

/// An idempotency key that one request takes; later requests are refused.
#[derive(Debug)]
struct OneShotKey {
    key: String,
    used: std::sync::atomic::AtomicBool,
}

impl OneShotKey {
    fn take(&self) -> Result<&str, Error> {
        if self.used.swap(true, std::sync::atomic::Ordering::AcqRel) {
            return Err(Error::InvalidArgument(format!(
                "the idempotency key {:?} was already used by an earlier request of this client: a key given with with_options applies to one request; call with_options again for the next one",
                crate::error::shorten(&self.key, 100)
            )));
        }
        Ok(&self.key)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        f.debug_struct("Client")
            .field("secret_key", &config.secret_key)
            .field("api_base", &config.api_base)
            .field("files_base", &config.files_base)
            .field("stripe_version", &config.stripe_version)
            .field("max_retries", &config.max_retries)
            .field("timeout", &config.timeout)
            .field("app_info", &config.app_info)
            .field("max_response_bytes", &config.max_response_bytes)
            .field("options", &*self.options)
            .field("idempotency_key", &self.idempotency_key.as_ref().map(|once| &once.key))
            .finish_non_exhaustive()
    }
}

/// The body of a request, kept so that every attempt can send it again.
enum Body {
    Empty,
    /// Cheap to clone for each attempt.
    Form(bytes::Bytes),
    /// A v2 request's parameters.
    Json(bytes::Bytes),
    Multipart(Multipart),
}

struct Multipart {
    fields: Vec<(String, String)>,
    file_field: String,
    file_name: String,
    file: Vec<u8>,
}

impl Multipart {
    fn to_form(&self) -> reqwest::multipart::Form {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &self.fields {
            form = form.text(name.clone(), value.clone());
        }
        let part =
            || reqwest::multipart::Part::bytes(self.file.clone()).file_name(self.file_name.clone());
        let part = part().mime_str("application/octet-stream").unwrap_or_else(|_| part());
        form.part(self.file_field.clone(), part)
    }
}

/// A request ready to be sent, as many times as needed.
struct Prepared {
    /// The operation's path template (`/v1/customers/{customer}`); `None` for a raw call.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    template: Option<&'static str>,
    method: Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Body,
    timeout: Duration,
    max_retries: u32,
    max_response_bytes: u64,
}

/// A complete response, whatever its status.
struct RawResponse {
    status: u16,
    request_id: Option<String>,
    should_retry: Option<bool>,
    body: bytes::Bytes,
}

/// What one attempt came to.
enum Outcome {
    Response(RawResponse),
    Network(reqwest::Error),
    TimedOut,
    /// The body was longer than the client's limit.
    TooLarge {
        status: u16,
        request_id: Option<String>,
    },
}

impl Client {
    /// A client with the default settings and this secret key (`sk_live_…`, `sk_test_…` or a
    /// restricted `rk_…` key).
    ///
    /// This never fails: if the client cannot be set up (say, the key contains a line break), every
    /// request returns [`Error::Config`]. Use [`Client::builder`] to see such problems at once.
    pub fn new(secret_key: impl Into<String>) -> Client {
        ClientBuilder::new(secret_key.into()).assemble()
    }

    /// A builder for a client with this secret key and non-default settings.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(secret_key.into())
    }

    /// A client that applies these options to its requests, over the options this client already
    /// has. Cheap: the connection pool and settings are shared.
    ///
    /// An idempotency key in `options` applies to **one** request: the first `POST` or `DELETE`
    /// (or `PUT`, `PATCH`) made with the returned client, its clones or the clients derived from
    /// it takes the key (when the operation is called), and any later one fails with
    /// [`Error::InvalidArgument`] before anything is sent. A handle kept around can thus never
    /// answer a second, different create with the first one's result. Give each request its own
    /// key: `Customer::create(&client.with_options(RequestOptions::new().idempotency_key(k)), &p)`.
    pub fn with_options(&self, mut options: RequestOptions) -> Client {
        let idempotency_key = match options.idempotency_key.take() {
            Some(key) => Some(Arc::new(OneShotKey { key, used: Default::default() })),
            None => self.idempotency_key.clone(),
        };
        Client {
            config: Arc::clone(&self.config),
            options: Arc::new(options.merged_over(&self.options)),
            idempotency_key,
        }
    }

    /// Sends one operation to `host` and decodes the JSON response into `T`. Parameters go into
    /// the query string, or into a form-encoded body for `POST`, `PUT` and `PATCH`. `path` starts
    /// with `/v1/` and has its ids percent-encoded already.
    #[doc(hidden)]
    pub fn send<'a, P: Serialize + ?Sized, T: Decode>(
        &self,
        method: Method,
        host: Host,
        path: impl Into<RequestPath<'a>>,
        params: &P,
    ) -> ResponseFuture<T> {
        let request = self.prepare_form(method, host, path.into(), params);
        ResponseFuture::new(self.start(request), decode_json::<T>)
    }

    /// Sends one v2 operation: `POST` parameters as a JSON body (none when there are no
    /// parameters), `GET` and `DELETE` parameters in the query string.
    #[doc(hidden)]
    pub fn send_json<'a, P: Serialize + ?Sized, T: Decode>(
        &self,
        method: Method,
        path: impl Into<RequestPath<'a>>,
        params: &P,
    ) -> ResponseFuture<T> {
        let request = self.prepare_json(method, path.into(), params);
        ResponseFuture::new(self.start(request), decode_json::<T>)
    }

    /// Like [`Client::send`], but returns the raw body of the response (for PDFs).
    #[doc(hidden)]
    pub fn send_bytes<'a, P: Serialize + ?Sized>(
        &self,
        method: Method,
        host: Host,
        path: impl Into<RequestPath<'a>>,
        params: &P,
    ) -> ResponseFuture<Vec<u8>> {
        let request = self.prepare_form(method, host, path.into(), params);
        ResponseFuture::new(self.start(request), |response| Ok(response.body.into()))
    }

    /// A `multipart/form-data` `POST` to the files base URL: the form fields of `params` (names
    /// flattened, like `file_link_data[create]`) as text parts, followed by `file` as a part
    /// named `file_field`.
    #[doc(hidden)]
    pub fn send_multipart<'a, P: Serialize + ?Sized, T: Decode>(
        &self,
        path: impl Into<RequestPath<'a>>,
        params: &P,
        file_field: &str,
        file: &crate::FileUpload,
    ) -> ResponseFuture<T> {
        let checked = guard::check_file_name(&file.name);
        let pairs = checked.and_then(|()| Ok(crate::runtime::form::pairs(params)?));
        let request = pairs.and_then(|fields| {
            let body = Body::Multipart(Multipart {
                fields,
                file_field: file_field.to_owned(),
                file_name: file.name.clone(),
                file: file.data.clone(),
            });
            self.prepare(Method::Post, Host::Files, path.into(), "", body)
        });
        ResponseFuture::new(self.start(request), decode_json::<T>)
    }

    /// The request, sent and retried when the future is polled (one future type for every
    /// operation). A request that could not be prepared fails on the first poll.
    fn start(&self, request: Result<Prepared, Error>) -> response::Pending {
        let client = self.clone();
        Box::pin(async move { client.execute(request?).await })
    }

    /// Calls any endpoint, for those newer than the spec this crate was generated from: `params`
    /// are encoded as for the typed operations (any `Serialize` value that is a JSON object, or
    /// `()` for none): form-encoded for `/v1/…`, a JSON body for `POST /v2/…`, the query string
    /// otherwise. The response is returned as JSON.
    ///
    /// ```no_run
    /// # async fn example(client: stripe_sdk::Client) -> Result<(), stripe_sdk::Error> {
    /// use stripe_sdk::Method;
    /// let params = serde_json::json!({ "email": "jenny@example.com", "metadata": { "order": "6735" } });
    /// let customer = client.raw(Method::Post, "/v1/customers", &params).await?;
    /// println!("{}", customer["id"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw<P: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        params: &P,
    ) -> ResponseFuture<serde_json::Value> {
        if path.starts_with("/v2/") {
            self.send_json(method, path, params)
        } else {
            self.send(method, Host::Api, path, params)
        }
    }

    /// Serializes `params` into a JSON body (see [`Method::has_body`]) or the query string.
    fn prepare_json<P: Serialize + ?Sized>(
        &self,
        method: Method,
        path: RequestPath<'_>,
        params: &P,
    ) -> Result<Prepared, Error> {
        if !method.has_body() {
            return self.prepare_form(method, Host::Api, path, params);
        }
        let json = serde_json::to_vec(params)
            .map_err(|error| crate::EncodeError::new(format!("cannot encode JSON: {error}")))?;
        let body = if json == b"null" { Body::Empty } else { Body::Json(json.into()) };
        self.prepare(method, Host::Api, path, "", body)
    }

    /// Encodes `params` into the body (see [`Method::has_body`]) or the query string.
    fn prepare_form<P: Serialize + ?Sized>(
        &self,
        method: Method,
        host: Host,
        path: RequestPath<'_>,
        params: &P,
    ) -> Result<Prepared, Error> {
        let encoded = crate::runtime::form::encode(params)?;
        if method.has_body() {
            self.prepare(method, host, path, "", Body::Form(encoded.into()))
        } else {
            self.prepare(method, host, path, &encoded, Body::Empty)
        }
    }

    /// Builds the URL and the headers of a request.
    fn prepare(
        &self,
        method: Method,
        host: Host,
        path: RequestPath<'_>,
        query: &str,
        body: Body,
    ) -> Result<Prepared, Error> {
        let config = &self.config;
        let RequestPath { path, template } = path;
        let options = &*self.options;
        guard::check_path(&path)?;
        let base = match host {
            Host::Api => &config.api_base,
            Host::Files => &config.files_base,
        };
        let mut url = format!("{base}{path}");
        if !query.is_empty() {
            url.push(if path.contains('?') { '&' } else { '?' });
            url.push_str(query);
        }
        let url = reqwest::Url::parse(&url).map_err(|err| {
            Error::Config(format!(
                "invalid request URL {:?}: {err}",
                crate::error::shorten(&url, 200)
            ))
        })?;

        let authorization = match (&options.api_key, &config.authorization) {
            (None, Some(value)) => value.clone(),
            (key, _) => bearer(key.as_ref().unwrap_or(&config.secret_key))?,
        };
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, config.user_agent.clone());
        headers.insert(
            HeaderName::from_static("x-stripe-client-user-agent"),
            config.client_user_agent.clone(),
        );
        let version = match (&options.stripe_version, &config.stripe_version_header) {
            (None, Some(value)) => value.clone(),
            (version, _) => header_value(
                "Stripe-Version",
                version.as_deref().unwrap_or(&config.stripe_version),
            )?,
        };
        headers.insert(HeaderName::from_static("stripe-version"), version);
        if let Some(account) = &options.stripe_account {
            headers.insert(
                HeaderName::from_static("stripe-account"),
                header_value("Stripe-Account", account)?,
            );
        }
        if let Some(context) = &options.stripe_context {
            headers.insert(
                HeaderName::from_static("stripe-context"),
                header_value("Stripe-Context", context)?,
            );
        }
        if method.takes_idempotency_key() {
            let value = match &self.idempotency_key {
                Some(once) => header_value("Idempotency-Key", once.take()?)?,
                None => header_value("Idempotency-Key", &idempotency_key())?,
            };
            headers.insert(HeaderName::from_static("idempotency-key"), value);
        }
        Ok(Prepared {
            template,
            method,
            url,
            headers,
            body,
            timeout: options.timeout.unwrap_or(config.timeout),
            max_retries: options.max_retries.unwrap_or(config.max_retries),
            max_response_bytes: config.max_response_bytes,
        })
    }

    /// Sends a request, retrying it as the retry rules allow; returns the 2xx response or the
    /// error of the last attempt.
    async fn execute(&self, request: Prepared) -> Result<RawResponse, Error> {
        let http = self.config.http.as_ref().map_err(|problem| Error::Config(problem.clone()))?;
        let mut retries_done: u32 = 0;
        let trace = trace::RequestTrace::start(&request);
        loop {
            let outcome = attempt(http, &request).await;
            let retry = retries_done < request.max_retries
                && match &outcome {
                    Outcome::Response(response) => retry::should_retry_response(
                        response.status,
                        response.should_retry,
                        &response.body,
                    ),
                    Outcome::Network(err) => !err.is_builder(),
                    Outcome::TimedOut => true,
                    Outcome::TooLarge { .. } => false,
                };
            if !retry {
                trace.finish(retries_done + 1, &outcome);
                return finish(outcome, retries_done + 1, &request);
            }
            let delay = retry::backoff(self.config.retry_base_delay, retries_done, fastrand::f64());
            trace.retry(retries_done + 1, &outcome, delay);
            tokio::time::sleep(delay).await;
            retries_done += 1;
        }
    }
}

/// A random (version 4) UUID to use as an idempotency key. Its bytes come from `fastrand`, whose
/// per-thread generator is seeded from the OS once, instead of a system call per request: a key
/// must be unique, not secret.
fn idempotency_key() -> String {
    let bytes = fastrand::u128(..).to_le_bytes();
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// The `Authorization` header for a key, or why there is none.
fn bearer(key: &SecretKey) -> Result<HeaderValue, Error> {
    if key.expose().is_empty() {
        return Err(Error::Config(
            "no API key: give one to Client::new or in RequestOptions::api_key".to_owned(),
        ));
    }
    authorization(key).map_err(|_| {
        Error::Config("the API key contains characters that HTTP headers do not allow".to_owned())
    })
}

/// `Bearer <key>`, marked sensitive; `Err` for a key that is not printable ASCII.
fn authorization(key: &SecretKey) -> Result<HeaderValue, ()> {
    let text = format!("Bearer {}", key.expose());
    let mut value = header_text_value(&text).ok_or(())?;
    value.set_sensitive(true);
    Ok(value)
}

/// A header value from printable ASCII text (see [`guard::is_header_text`]).
fn header_text_value(value: &str) -> Option<HeaderValue> {
    guard::is_header_text(value).then(|| HeaderValue::from_str(value).ok()).flatten()
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    header_text_value(value).ok_or_else(|| {
        Error::Config(format!(
            "the {name} header value contains characters that HTTP headers do not allow (only printable ASCII is sent)"
        ))
    })
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned)
}

/// One attempt: sends the request and reads the whole response, within the per-attempt timeout.
async fn attempt(http: &reqwest::Client, request: &Prepared) -> Outcome {
    let mut builder = http
        .request(request.method.to_reqwest(), request.url.clone())
        .headers(request.headers.clone());
    builder = match &request.body {
        Body::Empty => builder,
        Body::Form(form) => builder
            .header(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"))
            .body(form.clone()),
        Body::Json(json) => builder
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(json.clone()),
        Body::Multipart(multipart) => builder.multipart(multipart.to_form()),
    };
    let exchange = async {
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let request_id = header_text(response.headers(), "request-id");
        let should_retry = header_text(response.headers(), "stripe-should-retry")
            .and_then(|value| retry::parse_should_retry(&value));
        let body = read_body(response, request.max_response_bytes).await?;
        Ok::<_, reqwest::Error>(match body {
            Some(body) => Outcome::Response(RawResponse { status, request_id, should_retry, body }),
            None => Outcome::TooLarge { status, request_id },
        })
    };
    match tokio::time::timeout(request.timeout, exchange).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(err)) => Outcome::Network(err),
        Err(_) => Outcome::TimedOut,
    }
}

/// The whole body, or `None` as soon as it is known to be longer than `limit` bytes (from its
/// `Content-Length`, or while reading it).
async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Option<bytes::Bytes>, reqwest::Error> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit) {
        return Ok(None);
    }
    let Some(first) = response.chunk().await? else { return Ok(Some(bytes::Bytes::new())) };
    if first.len() as u64 > limit {
        return Ok(None);
    }
    if announced == Some(first.len() as u64) {
        return Ok(Some(first)); // the whole body in one chunk: no copy
    }
    // Room for the announced length, but not more than 1 MiB before the bytes arrive.
    let room = announced.unwrap_or(0).min(1 << 20);
    let mut body = bytes::BytesMut::with_capacity(usize::try_from(room).unwrap_or(0));
    body.extend_from_slice(&first);
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}

/// Turns the last attempt into the call's result.
fn finish(outcome: Outcome, attempts: u32, request: &Prepared) -> Result<RawResponse, Error> {
    let (timeout, limit) = (request.timeout, request.max_response_bytes);
    match outcome {
        Outcome::Response(response) if (200..300).contains(&response.status) => Ok(response),
        Outcome::Response(response) => Err(error_from_response(response)),
        Outcome::Network(err) if err.is_timeout() => Err(Error::Timeout { timeout, attempts }),
        Outcome::Network(err) if err.is_builder() => Err(Error::Config(error_chain(&err))),
        Outcome::Network(err) => Err(Error::Connection { message: error_chain(&err), attempts }),
        Outcome::TimedOut => Err(Error::Timeout { timeout, attempts }),
        Outcome::TooLarge { status, request_id } => {
            Err(Error::ResponseTooLarge { limit, status, request_id })
        }
    }
}

/// The error for a non-2xx response: Stripe's error object, or a description of the unexpected body.
fn error_from_response(response: RawResponse) -> Error {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&response.body).ok();
    match parsed.as_ref().and_then(|value| value.get("error")).filter(|error| error.is_object()) {
        Some(error) => ApiError::from_object(response.status, error, response.request_id).into(),
        None => Error::InvalidResponse {
            status: response.status,
            snippet: body_snippet(&response.body),
            request_id: response.request_id,
        },
    }
}

/// Decodes a JSON body into `T`, naming the JSON path of a failure.
fn decode_json<T: Decode>(response: RawResponse) -> Result<T, Error> {
    crate::runtime::de::decode_json(&response.body).map_err(|err| Error::Decode {
        path: err.path,
        type_name: public_type_name(std::any::type_name::<T>()),
        message: err.error.to_string(),
        request_id: response.request_id.clone(),
        status: response.status,
    })
}

/// A type name as a user writes it: `std::any::type_name` names where a type is defined
/// (`stripe_sdk::generated::billing_portal::session::Session`, `stripe_sdk::runtime::list::List`),
/// the crate exports it elsewhere (`stripe_sdk::billing_portal::Session`, `stripe_sdk::List`): the
/// `generated` and `runtime` modules and the file modules under them are left out.
fn public_type_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(start) = rest.find("stripe_sdk::") {
        out.push_str(&rest[..start]);
        let path = &rest[start..];
        let end = path
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(path.len());
        out.push_str(&public_path(&path[..end]));
        rest = &path[end..];
    }
    out.push_str(rest);
    out
}

/// `stripe_sdk::generated::NS::FILE::Type` → `stripe_sdk::NS::Type`,
/// `stripe_sdk::generated::FILE::Type` and `stripe_sdk::runtime::FILE::Type` → `stripe_sdk::Type`.
fn public_path(path: &str) -> String {
    let segments: Vec<&str> = path.split("::").collect();
    let Some(type_at) =
        segments.iter().position(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
    else {
        return path.to_owned();
    };
    let modules = &segments[1..type_at];
    let kept: &[&str] = match modules {
        ["generated", namespace, _file] => std::slice::from_ref(namespace),
        ["generated", _] | ["runtime", _, ..] => &[],
        _ => modules,
    };
    let mut out = vec![segments[0]];
    out.extend_from_slice(kept);
    out.extend_from_slice(&segments[type_at..]);
    out.join("::")
}

/// An error's message followed by those of its causes, skipping causes already quoted.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    for _ in 0..MAX_ERROR_CHAIN {
        let Some(cause) = source else { break };
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    #[test]
    fn decode_errors_name_public_paths() {
        use super::public_type_name;
        let name = |raw: &str| public_type_name(raw);
        assert_eq!(
            name("stripe_sdk::generated::billing_portal::session::Session"),
            "stripe_sdk::billing_portal::Session"
        );
        assert_eq!(
            name("stripe_sdk::runtime::list::List<stripe_sdk::generated::customer::Customer>"),
            "stripe_sdk::List<stripe_sdk::Customer>"
        );
        assert_eq!(
            name("alloc::vec::Vec<stripe_sdk::runtime::expandable::Expandable<stripe_sdk::generated::issuing::card::Card>>"),
            "alloc::vec::Vec<stripe_sdk::Expandable<stripe_sdk::issuing::Card>>"
        );
        // The names std gives the crate's real types.
        assert_eq!(
            public_type_name(std::any::type_name::<crate::List<crate::Customer>>()),
            "stripe_sdk::List<stripe_sdk::Customer>"
        );
        assert_eq!(name("u64"), "u64");
    }

    #[test]
    fn idempotency_keys_are_distinct_version_4_uuids() {
        let keys: Vec<String> = (0..1000).map(|_| super::idempotency_key()).collect();
        for key in &keys {
            let uuid = uuid::Uuid::parse_str(key).expect("a UUID");
            assert_eq!(uuid.get_version_num(), 4, "{key}");
            assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{key}");
        }
        let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len());
    }
}
