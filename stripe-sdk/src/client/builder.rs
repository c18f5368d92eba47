//! [`ClientBuilder`]: a client's settings, checked once when it is built, and the [`Config`] a
//! client and the clients derived from it share.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::answer::error_chain;
use super::headers::{authorization, header_text_value};
use super::secret::SecretKey;
use super::url::BaseUrl;
use super::{
    guard, retry, Client, RequestOptions, BASE_USER_AGENT, DEFAULT_API_BASE, DEFAULT_FILES_BASE,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
};
use crate::error::Error;

/// An application built on this crate, named in the `User-Agent` headers like the official SDKs do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AppInfo {
    name: String,
    version: Option<String>,
    url: Option<String>,
}

impl AppInfo {
    /// `Name/Version (URL)`.
    fn user_agent(&self) -> String {
        let mut text = self.name.clone();
        if let Some(version) = &self.version {
            text.push('/');
            text.push_str(version);
        }
        if let Some(url) = &self.url {
            text.push_str(" (");
            text.push_str(url);
            text.push(')');
        }
        text
    }
}

/// Configures and builds a [`Client`].
///
/// ```
/// use std::time::Duration;
///
/// let client = stripe_sdk::Client::builder("sk_test_...")
///     .max_retries(3)
///     .timeout(Duration::from_secs(30))
///     .app_info("MyPlugin", Some("1.2.0"), Some("https://example.com"))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), stripe_sdk::Error>(())
/// ```
///
/// The `Debug` output never shows the secret key, nor credentials in a base URL.
#[derive(Clone)]
pub struct ClientBuilder {
    settings: Settings,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("ClientBuilder");
        self.settings.debug_fields(&mut out);
        out.finish()
    }
}

/// The settings a [`ClientBuilder`] collects and the [`Config`] it builds keeps (with the base
/// URLs checked and normalised): one list of fields, one `Debug` of them.
#[derive(Clone)]
pub(super) struct Settings {
    pub(super) secret_key: SecretKey,
    pub(super) api_base: String,
    pub(super) files_base: String,
    pub(super) stripe_version: String,
    pub(super) max_retries: u32,
    pub(super) timeout: Duration,
    pub(super) retry_base_delay: Duration,
    pub(super) app_info: Option<AppInfo>,
    pub(super) max_response_bytes: u64,
}

impl Settings {
    /// Adds the settings to the `Debug` output of the builder or the client: the key redacted,
    /// and credentials in a base URL (refused when the client is built) hidden.
    pub(super) fn debug_fields(&self, out: &mut fmt::DebugStruct<'_, '_>) {
        out.field("secret_key", &self.secret_key)
            .field("api_base", &guard::redact_url(&self.api_base))
            .field("files_base", &guard::redact_url(&self.files_base))
            .field("stripe_version", &self.stripe_version)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("retry_base_delay", &self.retry_base_delay)
            .field("app_info", &self.app_info)
            .field("max_response_bytes", &self.max_response_bytes);
    }
}

impl ClientBuilder {
    pub(super) fn new(secret_key: String) -> ClientBuilder {
        ClientBuilder {
            settings: Settings {
                secret_key: SecretKey::new(secret_key),
                api_base: DEFAULT_API_BASE.to_owned(),
                files_base: DEFAULT_FILES_BASE.to_owned(),
                stripe_version: crate::API_VERSION.to_owned(),
                max_retries: DEFAULT_MAX_RETRIES,
                timeout: DEFAULT_TIMEOUT,
                retry_base_delay: retry::DEFAULT_BASE_DELAY,
                app_info: None,
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            },
        }
    }

    /// The largest response body the client reads (default 64 MiB, far above any response of
    /// Stripe's API). A longer one fails with [`Error::ResponseTooLarge`] as soon as its
    /// `Content-Length`, or the part read so far, passes the limit; it is not retried.
    pub fn max_response_bytes(mut self, limit: u64) -> ClientBuilder {
        self.settings.max_response_bytes = limit;
        self
    }

    /// The base URL of the API (default `https://api.stripe.com`).
    pub fn api_base(mut self, url: impl Into<String>) -> ClientBuilder {
        self.settings.api_base = url.into();
        self
    }

    /// The base URL of file uploads and downloads (default `https://files.stripe.com`).
    pub fn files_base(mut self, url: impl Into<String>) -> ClientBuilder {
        self.settings.files_base = url.into();
        self
    }

    /// The API version sent as `Stripe-Version` (default [`API_VERSION`](crate::API_VERSION), the
    /// version the types of this crate were generated from).
    pub fn stripe_version(mut self, version: impl Into<String>) -> ClientBuilder {
        self.settings.stripe_version = version.into();
        self
    }

    /// How many times a failed request is retried (default 2, so at most 3 attempts). Connection
    /// errors, timeouts, 409s, 5xx responses and lock timeouts are retried, unless Stripe says
    /// otherwise with a `Stripe-Should-Retry` header.
    pub fn max_retries(mut self, retries: u32) -> ClientBuilder {
        self.settings.max_retries = retries;
        self
    }

    /// How long one attempt may take, from connecting to the end of the response body (default
    /// 80 seconds). An attempt that takes longer is retried like a connection error.
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.settings.timeout = timeout;
        self
    }

    /// Names the application built on this crate in the `User-Agent` headers, as
    /// `Name/Version (URL)`. Plugins and platforms are asked by Stripe to set this.
    pub fn app_info(
        mut self,
        name: impl Into<String>,
        version: Option<&str>,
        url: Option<&str>,
    ) -> ClientBuilder {
        self.settings.app_info = Some(AppInfo {
            name: name.into(),
            version: version.map(str::to_owned),
            url: url.map(str::to_owned),
        });
        self
    }

    /// The delay before the first retry (default 500 ms); it doubles with each retry, up to ten
    /// times this value, and is randomly shortened by up to half. Meant for tests.
    #[doc(hidden)]
    pub fn retry_base_delay(mut self, delay: Duration) -> ClientBuilder {
        self.settings.retry_base_delay = delay;
        self
    }

    /// Builds the client, checking the base URLs and header values.
    pub fn build(self) -> Result<Client, Error> {
        let client = self.assemble();
        match &client.config.http {
            Ok(_) => Ok(client),
            Err(problem) => Err(Error::Config(problem.clone())),
        }
    }

    /// Builds the client; a problem is kept in `Config::http` and returned by every request.
    pub(super) fn assemble(self) -> Client {
        let mut problems = Vec::new();
        let api_base = normalise_base("api base", &self.settings.api_base, &mut problems);
        let files_base = normalise_base("files base", &self.settings.files_base, &mut problems);
        let has_key = !self.settings.secret_key.expose().is_empty();
        let authorization =
            has_key.then(|| authorization(&self.settings.secret_key).ok()).flatten();
        if has_key && authorization.is_none() {
            problems.push(
                "the secret key contains characters that HTTP headers do not allow".to_owned(),
            );
        }
        let stripe_version_header = header_text_value(&self.settings.stripe_version);
        if stripe_version_header.is_none() {
            problems.push(
                "the Stripe version contains characters that HTTP headers do not allow".to_owned(),
            );
        }
        let mut user_agent_text = BASE_USER_AGENT.to_owned();
        let mut client_user_agent = serde_json::json!({
            "bindings_version": env!("CARGO_PKG_VERSION"),
            "lang": "rust",
            "lang_version": concat!(">=", env!("CARGO_PKG_RUST_VERSION")),
            "publisher": "stripe-sdk",
            "uname": format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        });
        if let Some(app) = &self.settings.app_info {
            user_agent_text.push(' ');
            user_agent_text.push_str(&app.user_agent());
            client_user_agent["application"] = serde_json::json!({
                "name": app.name,
                "version": app.version,
                "url": app.url,
            });
        }
        let user_agent = header_text_value(&user_agent_text).unwrap_or_else(|| {
            problems
                .push("the app info contains characters that HTTP headers do not allow".to_owned());
            HeaderValue::from_static(BASE_USER_AGENT)
        });
        let client_user_agent = header_text_value(&client_user_agent.to_string())
            .unwrap_or_else(|| HeaderValue::from_static("{}"));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| format!("cannot initialise the HTTP client: {}", error_chain(&err)));
        let http = match problems.into_iter().next() {
            Some(problem) => Err(problem),
            None => http,
        };
        Client {
            config: Arc::new(Config {
                http,
                api_url: BaseUrl::new(&api_base),
                files_url: BaseUrl::new(&files_base),
                settings: Settings { api_base, files_base, ..self.settings },
                user_agent,
                client_user_agent,
                authorization,
                stripe_version_header,
            }),
            options: Arc::new(RequestOptions::default()),
            idempotency_key: None,
        }
    }
}

/// Checks a base URL and returns it without its trailing slashes. Messages show the URL with
/// any credentials in it redacted.
fn normalise_base(name: &str, text: &str, problems: &mut Vec<String>) -> String {
    let shown = guard::redact_url(text);
    match reqwest::Url::parse(text) {
        Ok(url) if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() => {
            problems.push(format!("the {name} must be an http or https URL, not {shown:?}"));
        }
        Ok(url) if url.query().is_some() || url.fragment().is_some() => {
            problems.push(format!("the {name} must not have a query or fragment: {shown:?}"));
        }
        Ok(url) if !url.username().is_empty() || url.password().is_some() => {
            problems.push(format!(
                "the {name} must not contain a user name or password (the API key authenticates): {shown:?}"
            ));
        }
        Ok(url) => return url.as_str().trim_end_matches('/').to_owned(),
        Err(err) => problems.push(format!("the {name} {shown:?} is not a valid URL: {err}")),
    }
    String::new()
}

/// Everything a client shares with the clients derived from it by [`Client::with_options`].
pub(super) struct Config {
    /// The HTTP client, or why the client cannot send requests.
    pub(super) http: Result<reqwest::Client, String>,
    /// The builder's settings, the base URLs normalised.
    pub(super) settings: Settings,
    /// The base URLs, parsed.
    pub(super) api_url: BaseUrl,
    pub(super) files_url: BaseUrl,
    pub(super) user_agent: HeaderValue,
    pub(super) client_user_agent: HeaderValue,
    /// `Authorization` and `Stripe-Version` for the client's own key and version, built once
    /// (`None` if they cannot be; `prepare` then reports why).
    pub(super) authorization: Option<HeaderValue>,
    pub(super) stripe_version_header: Option<HeaderValue>,
}
