//! Per-request (or per-client) options.

use std::time::Duration;

use super::secret::SecretKey;

/// Options that change how requests are sent: another API key, a connected account, an API
/// version, an idempotency key, a timeout or a retry budget.
///
/// Apply them with [`Client::with_options`](crate::Client::with_options), which returns a client
/// that sends every request with these options merged over its own, except the idempotency key,
/// which applies to one request:
///
/// ```no_run
/// # async fn example() -> Result<(), stripe_sdk::Error> {
/// use stripe_sdk::{Client, Method, RequestOptions};
///
/// let client = Client::new("sk_test_...");
/// let connected = client.with_options(RequestOptions::new().stripe_account("acct_123"));
/// let balance = connected.raw(Method::Get, "/v1/balance", &()).await?;
/// // One key, one request: a second POST through `once` would fail before being sent.
/// let once = connected.with_options(RequestOptions::new().idempotency_key("order-6735"));
/// let customer = once.raw(Method::Post, "/v1/customers", &()).await?;
/// # let _ = (balance, customer);
/// # Ok(())
/// # }
/// ```
///
/// The `Debug` output never shows the API key.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct RequestOptions {
    pub(crate) api_key: Option<SecretKey>,
    pub(crate) stripe_account: Option<String>,
    pub(crate) stripe_context: Option<String>,
    pub(crate) stripe_version: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
}

impl RequestOptions {
    /// No options: everything comes from the client.
    pub fn new() -> RequestOptions {
        RequestOptions::default()
    }

    /// Sends the request with this API key instead of the client's.
    pub fn api_key(mut self, key: impl Into<String>) -> RequestOptions {
        self.api_key = Some(SecretKey::new(key.into()));
        self
    }

    /// Acts on behalf of a connected account (`Stripe-Account` header).
    pub fn stripe_account(mut self, account: impl Into<String>) -> RequestOptions {
        self.stripe_account = Some(account.into());
        self
    }

    /// Acts in the context of an account for the v2 API (`Stripe-Context` header: an account id,
    /// or a path of them such as `acct_1/acct_2`), as the thin events of v2 report it.
    pub fn stripe_context(mut self, context: impl Into<String>) -> RequestOptions {
        self.stripe_context = Some(context.into());
        self
    }

    /// Sends the request with this API version (`Stripe-Version` header) instead of the client's.
    ///
    /// The types of this crate match [`API_VERSION`](crate::API_VERSION); responses of another
    /// version may not decode.
    pub fn stripe_version(mut self, version: impl Into<String>) -> RequestOptions {
        self.stripe_version = Some(version.into());
        self
    }

    /// Uses this `Idempotency-Key` instead of a random one, for **one** request: the first `POST`
    /// or `DELETE` made through the client [`Client::with_options`](crate::Client::with_options)
    /// returns (or its clones) takes it, and later ones fail with
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) before anything is sent, so a
    /// kept handle cannot silently answer another create with the first one's result.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> RequestOptions {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Gives up on an attempt after this long (then retries it like a network error).
    pub fn timeout(mut self, timeout: Duration) -> RequestOptions {
        self.timeout = Some(timeout);
        self
    }

    /// Retries a failed request at most this many times (`0` for a single attempt).
    pub fn max_retries(mut self, retries: u32) -> RequestOptions {
        self.max_retries = Some(retries);
        self
    }

    /// These options, with each one that is unset here taken from `base`.
    pub(crate) fn merged_over(&self, base: &RequestOptions) -> RequestOptions {
        RequestOptions {
            api_key: self.api_key.clone().or_else(|| base.api_key.clone()),
            stripe_account: self.stripe_account.clone().or_else(|| base.stripe_account.clone()),
            stripe_context: self.stripe_context.clone().or_else(|| base.stripe_context.clone()),
            stripe_version: self.stripe_version.clone().or_else(|| base.stripe_version.clone()),
            idempotency_key: self.idempotency_key.clone().or_else(|| base.idempotency_key.clone()),
            timeout: self.timeout.or(base.timeout),
            max_retries: self.max_retries.or(base.max_retries),
        }
    }
}
