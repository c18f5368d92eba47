//! The HTTP client: authentication, Stripe's headers, retries with backoff, and decoding of
//! responses and errors.

mod answer;
mod builder;
mod guard;
mod headers;
mod method;
mod options;
mod response;
mod retry;
mod secret;
mod trace;
mod transport;
mod url;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use serde::Serialize;

use answer::{decode_json, finish};
pub use builder::ClientBuilder;
use builder::Config;
use headers::{bearer, header_value, idempotency_key};
pub use method::{Host, Method};
pub use options::RequestOptions;
pub use response::ResponseFuture;
use transport::{attempt, Body, Multipart, Outcome, Prepared, RawResponse};

use crate::error::Error;
use crate::runtime::de::Decode;
use crate::runtime::path::RequestPath;

const DEFAULT_API_BASE: &str = "https://api.stripe.com";
const DEFAULT_FILES_BASE: &str = "https://files.stripe.com";
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
/// The default limit on a response body: far above any JSON response of Stripe's API (a page of
/// 100 expanded invoices is a few megabytes) and the files it serves.
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
const BASE_USER_AGENT: &str = concat!("Stripe/v1 RustBindings/", env!("CARGO_PKG_VERSION"));

// Stripe's headers, checked once at compile time rather than on every request.
const X_STRIPE_CLIENT_USER_AGENT: HeaderName =
    HeaderName::from_static("x-stripe-client-user-agent");
const STRIPE_VERSION: HeaderName = HeaderName::from_static("stripe-version");
const STRIPE_ACCOUNT: HeaderName = HeaderName::from_static("stripe-account");
const STRIPE_CONTEXT: HeaderName = HeaderName::from_static("stripe-context");
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

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
        let mut out = f.debug_struct("Client");
        self.config.settings.debug_fields(&mut out);
        out.field("options", &*self.options)
            .field("idempotency_key", &self.idempotency_key.as_ref().map(|once| &once.key))
            .finish_non_exhaustive()
    }
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
        let url = match host {
            Host::Api => url::request_url(&config.api_url, &path, query)?,
            Host::Files => url::request_url(&config.files_url, &path, query)?,
        };

        let authorization = match (&options.api_key, &config.authorization) {
            (None, Some(value)) => value.clone(),
            (key, _) => bearer(key.as_ref().unwrap_or(&config.settings.secret_key))?,
        };
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, config.user_agent.clone());
        headers.insert(X_STRIPE_CLIENT_USER_AGENT, config.client_user_agent.clone());
        let version = match (&options.stripe_version, &config.stripe_version_header) {
            (None, Some(value)) => value.clone(),
            (version, _) => header_value(
                "Stripe-Version",
                version.as_deref().unwrap_or(&config.settings.stripe_version),
            )?,
        };
        headers.insert(STRIPE_VERSION, version);
        if let Some(account) = &options.stripe_account {
            headers.insert(STRIPE_ACCOUNT, header_value("Stripe-Account", account)?);
        }
        if let Some(context) = &options.stripe_context {
            headers.insert(STRIPE_CONTEXT, header_value("Stripe-Context", context)?);
        }
        if method.takes_idempotency_key() {
            let value = match &self.idempotency_key {
                Some(once) => header_value("Idempotency-Key", once.take()?)?,
                None => header_value("Idempotency-Key", &idempotency_key())?,
            };
            headers.insert(IDEMPOTENCY_KEY, value);
        }
        Ok(Prepared {
            template,
            method,
            url,
            headers,
            body,
            timeout: options.timeout.unwrap_or(config.settings.timeout),
            max_retries: options.max_retries.unwrap_or(config.settings.max_retries),
            max_response_bytes: config.settings.max_response_bytes,
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
            let delay = retry::backoff(
                self.config.settings.retry_base_delay,
                retries_done,
                fastrand::f64(),
            );
            trace.retry(retries_done + 1, &outcome, delay);
            tokio::time::sleep(delay).await;
            retries_done += 1;
        }
    }
}
