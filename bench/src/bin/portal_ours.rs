//! A tiny app that only creates billing portal sessions, written against stripe-sdk (binary-size
//! comparison; see compile.sh).
use stripe_sdk::billing_portal::{CreateSessionParams, Session};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = stripe_sdk::Client::new(std::env::var("STRIPE_SECRET_KEY").unwrap_or_default());
    let customer = std::env::args().nth(1).unwrap_or_else(|| "cus_123".into());
    // Clover: `customer` is optional (a session can be for a `customer_account`).
    let mut params = CreateSessionParams::new();
    params.customer = Some(customer);
    params.return_url = Some("https://example.com/account".into());
    match Session::create(&client, &params).await {
        Ok(session) => println!("{}", session.url),
        Err(err) => eprintln!("error: {err}"),
    }
}
