//! A tiny app that only creates billing portal sessions, written against async-stripe
//! 1.0.0-rc.10 (binary-size comparison; see compile.sh).
use stripe_billing::billing_portal_session::CreateBillingPortalSession;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = stripe::Client::new(std::env::var("STRIPE_SECRET_KEY").unwrap_or_default());
    let customer = std::env::args().nth(1).unwrap_or_else(|| "cus_123".into());
    let req = CreateBillingPortalSession::new().customer(customer).return_url("https://example.com/account");
    match req.send(&client).await {
        Ok(session) => println!("{}", session.url),
        Err(err) => eprintln!("error: {err}"),
    }
}
