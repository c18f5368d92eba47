//! Thin event notifications (v2): `POST /webhook` verifies the notification, then fetches the
//! whole event and the object it is about, in the notification's account context.
//!
//! ```sh
//! # Against the in-tree mock (no Stripe account): creates a v2 account in the context of
//! # `acct_demo`, the mock notifies the handler, which fetches the event and the account, then exits.
//! cargo run -p stripe-sdk --example thin_events
//!
//! # A real event destination (until Ctrl-C): its signing secret and an API key to fetch with.
//! STRIPE_WEBHOOK_SECRET=whsec_... STRIPE_SECRET_KEY=sk_test_... cargo run -p stripe-sdk --example thin_events
//! ```
//!
//! `PORT` sets the port (default 4244; `0` picks a free one).

mod common;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use stripe_sdk::webhook::{EventNotification, Webhook, SIGNATURE_HEADER};
use stripe_sdk::{Client, EventObject, RequestOptions};
use tokio::sync::mpsc;

struct App {
    webhook: Webhook,
    client: Client,
    /// What the handler did with each notification (for the self-check).
    handled: mpsc::UnboundedSender<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let port: u16 = match common::env("PORT") {
        Some(port) => {
            port.parse().with_context(|| format!("PORT must be a port number, not {port:?}"))?
        }
        None => 4244,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let url = format!("http://{}/webhook", listener.local_addr()?);
    println!("listening on {url}");

    let (handled, mut outcomes) = mpsc::unbounded_channel();
    if let (Some(secret), Some(key)) =
        (common::env("STRIPE_WEBHOOK_SECRET"), common::env("STRIPE_SECRET_KEY"))
    {
        let app = App { webhook: Webhook::new(secret)?, client: Client::new(key), handled };
        let router = Router::new().route("/webhook", post(webhook)).with_state(Arc::new(app));
        axum::serve(listener, router).await?;
        return Ok(());
    }

    eprintln!("STRIPE_WEBHOOK_SECRET or STRIPE_SECRET_KEY is not set: against the in-tree mock");
    let mock = stripe_sdk_mock::MockServer::builder().webhook_url(&url).start().await?;
    let client = Client::builder("sk_test_thin_events").api_base(mock.url()).build()?;
    let app =
        App { webhook: Webhook::new(mock.webhook_secret())?, client: client.clone(), handled };
    let router = Router::new().route("/webhook", post(webhook)).with_state(Arc::new(app));
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    // A v2 change: the mock answers, then notifies the handler with a thin event.
    let in_context = client.with_options(RequestOptions::new().stripe_context("acct_demo"));
    let mut params = stripe_sdk::v2::core::CreateAccountParams::new();
    params.display_name = Some("Demo shop".into());
    let account = stripe_sdk::v2::core::Account::create(&in_context, &params).await?;
    println!("created v2 account {}", account.id);

    let outcome = tokio::time::timeout(Duration::from_secs(10), outcomes.recv())
        .await
        .context("no notification within 10 s")?
        .context("the handler stopped")?;
    server.abort();
    anyhow::ensure!(
        outcome.contains(account.id.as_str()),
        "the handler fetched something else: {outcome}"
    );
    println!("{outcome}");
    Ok(())
}

/// `POST /webhook`: 200 once the notification is verified and its event and object fetched.
async fn webhook(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|value| value.to_str().ok());
    let notification = match app.webhook.parse_event_notification(&body, signature) {
        Ok(notification) => notification,
        Err(err) => {
            eprintln!("rejected a notification: {err}");
            return (StatusCode::BAD_REQUEST, format!("webhook error: {err}\n"));
        }
    };
    match handle(&app.client, &notification).await {
        Ok(outcome) => {
            let _ = app.handled.send(outcome);
            (StatusCode::OK, format!("received {}\n", notification.id))
        }
        Err(err) => {
            eprintln!("{}: {err:#}", notification.id);
            (StatusCode::INTERNAL_SERVER_ERROR, "could not fetch the event\n".to_owned())
        }
    }
}

/// Fetches the event and its object, and says what it found.
async fn handle(client: &Client, notification: &EventNotification) -> anyhow::Result<String> {
    let event = notification.fetch_event(client).await.context("fetching the event")?;
    let object = notification.fetch_related_object(client).await.context("fetching the object")?;
    let about = match object {
        Some(EventObject::V2CoreAccount(account)) => {
            format!(
                "v2 account {} ({})",
                account.id,
                account.display_name.as_deref().unwrap_or("no name")
            )
        }
        Some(EventObject::Unknown(json)) => format!("an object this SDK does not know: {json}"),
        Some(other) => format!("{other:?}"),
        None => "no object".to_owned(),
    };
    Ok(format!(
        "{} {} (context {}): {about}",
        event.id,
        event.type_,
        notification.context.as_deref().unwrap_or("the API key's account")
    ))
}
