//! The HTTP client: authentication, Stripe's headers, retries with backoff, and decoding of
//! responses and errors.

mod builder;
mod options;
mod response;
mod retry;
mod secret;

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

const DEFAULT_API_BASE: &str = "https://api.stripe.com";
const DEFAULT_FILES_BASE: &str = "https://files.stripe.com";
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
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

/// An application built on this crate, named in the `User-Agent` headers like the official SDKs do.
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
    options: Arc<RequestOptions>,
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
            .field("options", &*self.options)
            .finish_non_exhaustive()
    }
}

/// The body of a request, kept so that every attempt can send it again.
enum Body {
    Empty,
    /// Cheap to clone for each attempt.
    Form(bytes::Bytes),
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
    method: Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Body,
    timeout: Duration,
    max_retries: u32,
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

    /// A client that applies these options to every request, over the options this client already
    /// has. Cheap: the connection pool and settings are shared.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            config: Arc::clone(&self.config),
            options: Arc::new(options.merged_over(&self.options)),
        }
    }

    /// Sends one operation to `host` and decodes the JSON response into `T`. Parameters go into
    /// the query string, or into a form-encoded body for `POST`, `PUT` and `PATCH`. `path` starts
    /// with `/v1/` and has its ids percent-encoded already.
    #[doc(hidden)]
    pub fn send<P: Serialize + ?Sized, T: Decode>(
        &self,
        method: Method,
        host: Host,
        path: &str,
        params: &P,
    ) -> ResponseFuture<T> {
        let request = self.prepare_form(method, host, path, params);
        ResponseFuture::new(self.start(request), decode_json::<T>)
    }

    /// Like [`Client::send`], but returns the raw body of the response (for PDFs).
    #[doc(hidden)]
    pub fn send_bytes<P: Serialize + ?Sized>(
        &self,
        method: Method,
        host: Host,
        path: &str,
        params: &P,
    ) -> ResponseFuture<Vec<u8>> {
        let request = self.prepare_form(method, host, path, params);
        ResponseFuture::new(self.start(request), |response| Ok(response.body.into()))
    }

    /// A `multipart/form-data` `POST` to the files base URL: the form fields of `params` (names
    /// flattened, like `file_link_data[create]`) as text parts, followed by `file` as a part
    /// named `file_field`.
    #[doc(hidden)]
    pub fn send_multipart<P: Serialize + ?Sized, T: Decode>(
        &self,
        path: &str,
        params: &P,
        file_field: &str,
        file: &crate::FileUpload,
    ) -> ResponseFuture<T> {
        let request = crate::runtime::form::pairs(params).map_err(Error::from).and_then(|fields| {
            let body = Body::Multipart(Multipart {
                fields,
                file_field: file_field.to_owned(),
                file_name: file.name.clone(),
                file: file.data.clone(),
            });
            self.prepare(Method::Post, Host::Files, path, "", body)
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
    /// are form-encoded as for the typed operations (any `Serialize` value that is a JSON object,
    /// or `()` for none), and the response is returned as JSON.
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
        self.send(method, Host::Api, path, params)
    }

    /// Encodes `params` into the body (see [`Method::has_body`]) or the query string.
    fn prepare_form<P: Serialize + ?Sized>(
        &self,
        method: Method,
        host: Host,
        path: &str,
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
        path: &str,
        query: &str,
        body: Body,
    ) -> Result<Prepared, Error> {
        let config = &self.config;
        let options = &*self.options;
        if !path.starts_with('/') {
            return Err(Error::Config(format!(
                "the request path must start with '/', not {path:?}"
            )));
        }
        let base = match host {
            Host::Api => &config.api_base,
            Host::Files => &config.files_base,
        };
        let mut url = format!("{base}{path}");
        if !query.is_empty() {
            url.push(if path.contains('?') { '&' } else { '?' });
            url.push_str(query);
        }
        let url = reqwest::Url::parse(&url)
            .map_err(|err| Error::Config(format!("invalid request URL {url:?}: {err}")))?;

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
        if method.takes_idempotency_key() {
            let key = match &options.idempotency_key {
                Some(key) => key.clone(),
                None => idempotency_key(),
            };
            headers.insert(
                HeaderName::from_static("idempotency-key"),
                header_value("Idempotency-Key", &key)?,
            );
        }
        Ok(Prepared {
            method,
            url,
            headers,
            body,
            timeout: options.timeout.unwrap_or(config.timeout),
            max_retries: options.max_retries.unwrap_or(config.max_retries),
        })
    }

    /// Sends a request, retrying it as the retry rules allow; returns the 2xx response or the
    /// error of the last attempt.
    async fn execute(&self, request: Prepared) -> Result<RawResponse, Error> {
        let http = self.config.http.as_ref().map_err(|problem| Error::Config(problem.clone()))?;
        let mut retries_done: u32 = 0;
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
                };
            if !retry {
                return finish(outcome, retries_done + 1, request.timeout);
            }
            tokio::time::sleep(retry::backoff(
                self.config.retry_base_delay,
                retries_done,
                fastrand::f64(),
            ))
            .await;
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

/// `Bearer <key>`, marked sensitive.
fn authorization(key: &SecretKey) -> Result<HeaderValue, reqwest::header::InvalidHeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", key.expose()))?;
    value.set_sensitive(true);
    Ok(value)
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::Config(format!(
            "the {name} header value contains characters that HTTP headers do not allow"
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
        Body::Multipart(multipart) => builder.multipart(multipart.to_form()),
    };
    let exchange = async {
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let request_id = header_text(response.headers(), "request-id");
        let should_retry = header_text(response.headers(), "stripe-should-retry")
            .and_then(|value| retry::parse_should_retry(&value));
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>(RawResponse { status, request_id, should_retry, body })
    };
    match tokio::time::timeout(request.timeout, exchange).await {
        Ok(Ok(response)) => Outcome::Response(response),
        Ok(Err(err)) => Outcome::Network(err),
        Err(_) => Outcome::TimedOut,
    }
}

/// Turns the last attempt into the call's result.
fn finish(outcome: Outcome, attempts: u32, timeout: Duration) -> Result<RawResponse, Error> {
    match outcome {
        Outcome::Response(response) if (200..300).contains(&response.status) => Ok(response),
        Outcome::Response(response) => Err(error_from_response(response)),
        Outcome::Network(err) if err.is_timeout() => Err(Error::Timeout { timeout, attempts }),
        Outcome::Network(err) if err.is_builder() => Err(Error::Config(error_chain(&err))),
        Outcome::Network(err) => Err(Error::Connection { message: error_chain(&err), attempts }),
        Outcome::TimedOut => Err(Error::Timeout { timeout, attempts }),
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
