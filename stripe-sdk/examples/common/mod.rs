//! What every example shares: which Stripe API it talks to.
//!
//! - `STRIPE_API_BASE` set: that server (a test double, a proxy…), with `STRIPE_SECRET_KEY` or
//!   `sk_test_mock` as the key.
//! - `STRIPE_SECRET_KEY` set: Stripe itself.
//! - neither: the in-tree mock server (`tests/mock`, crate `stripe-sdk-mock`), started in this
//!   process on a free port: stateful (what an example creates, it can retrieve and list), with
//!   example data from Stripe's fixtures embedded in the crate.

// Each example uses a part of this module.
#![allow(dead_code)]

use anyhow::Context as _;
use stripe_sdk::Client;

/// A client, and the mock server it talks to when there is one (it stops when dropped).
pub struct Backend {
    pub client: Client,
    /// What the client talks to, for messages.
    pub description: String,
    /// Whether this is the in-tree mock (example data, nothing real happens).
    pub is_mock: bool,
    _mock: Option<stripe_sdk_mock::MockServer>,
}

/// Builds the client the environment asks for (see the module documentation). Messages go to
/// stderr, so that the first line an example prints on stdout stays its own.
pub async fn backend() -> anyhow::Result<Backend> {
    let key = env("STRIPE_SECRET_KEY");
    if let Some(base) = env("STRIPE_API_BASE") {
        let client = Client::builder(key.unwrap_or_else(|| "sk_test_mock".to_owned()))
            .api_base(&base)
            .files_base(&base)
            .build()?;
        return Ok(Backend {
            client,
            description: format!("the API at {base}"),
            is_mock: false,
            _mock: None,
        });
    }
    if let Some(key) = key {
        return Ok(Backend {
            client: Client::new(key),
            description: "Stripe (STRIPE_SECRET_KEY)".to_owned(),
            is_mock: false,
            _mock: None,
        });
    }
    eprintln!("STRIPE_SECRET_KEY is not set: starting the in-tree mock server (example data)…");
    let mock =
        stripe_sdk_mock::MockServer::try_start().await.context("cannot start the mock server")?;
    let url = mock.url();
    let client = Client::builder("sk_test_mock").api_base(&url).files_base(&url).build()?;
    eprintln!("mock server at {url}");
    Ok(Backend {
        client,
        description: format!("the mock server at {url}"),
        is_mock: true,
        _mock: Some(mock),
    })
}

/// A non-empty environment variable.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

/// The customer the examples work with: `STRIPE_CUSTOMER_ID`, or `cus_123`.
pub fn customer_id() -> String {
    env("STRIPE_CUSTOMER_ID").unwrap_or_else(|| "cus_123".to_owned())
}
