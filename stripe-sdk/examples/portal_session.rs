//! Creates a customer portal session and prints its URL.
//!
//! ```sh
//! cargo run -p stripe-sdk --example portal_session                    # against the in-tree mock
//! STRIPE_SECRET_KEY=sk_test_... STRIPE_CUSTOMER_ID=cus_... \
//!     cargo run -p stripe-sdk --example portal_session                # against Stripe's test mode
//! ```

mod common;

use stripe_sdk::billing_portal::{CreateSessionParams, Session, SessionLocale};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let backend = common::backend().await?;
    let customer = common::customer_id();
    let return_url =
        common::env("RETURN_URL").unwrap_or_else(|| "https://example.com/account".to_owned());

    let mut params = CreateSessionParams::new();
    params.customer = Some(customer.clone());
    params.locale = Some(SessionLocale::FrCa);
    params.return_url = Some(return_url);

    eprintln!("creating a portal session for {customer} on {}", backend.description);
    let session = Session::create(&backend.client, &params).await?;
    println!("{}", session.url);
    eprintln!(
        "session {} (locale {}); send the customer to the URL above",
        session.id,
        session.locale.as_ref().map_or("none", |locale| locale.as_str())
    );
    Ok(())
}
