//! A tiny app that verifies and decodes webhook events with stripe-sdk: what an application that
//! calls `construct_event` compiles (every event object's decoder; see budget.sh).
use stripe_sdk::webhook::Webhook;

fn main() {
    let secret = std::env::var("STRIPE_WEBHOOK_SECRET").unwrap_or_else(|_| "whsec_test".into());
    let payload = std::env::args().nth(1).map(std::fs::read).and_then(Result::ok);
    let header = std::env::args().nth(2);
    let event = Webhook::new(secret).and_then(|webhook| {
        webhook.construct_event(&payload.unwrap_or_default(), header.as_deref())
    });
    match event {
        Ok(event) => println!("{} {:?}", event.id, event.type_),
        Err(err) => eprintln!("error: {err}"),
    }
}
