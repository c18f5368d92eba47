//! A webhook endpoint: `POST /webhook` checks the `Stripe-Signature` header against the raw body
//! and handles the typed event.
//!
//! ```sh
//! # Self-check: a demo secret, one correctly signed request and one forged one, then exit.
//! cargo run -p stripe-sdk --example webhook_server
//!
//! # A real endpoint (until Ctrl-C), e.g. with the Stripe CLI forwarding events to it:
//! #   stripe listen --forward-to localhost:4243/webhook   (prints the whsec_... secret)
//! STRIPE_WEBHOOK_SECRET=whsec_... cargo run -p stripe-sdk --example webhook_server
//! ```
//!
//! `PORT` sets the port (default 4243; `0` picks a free one).

mod common;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use stripe_sdk::webhook::{sign_test_header, Event, Webhook, SIGNATURE_HEADER};
use stripe_sdk::{EventObject, EventType};

const DEMO_SECRET: &str = "whsec_demo_secret_for_the_self_check";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let configured = common::env("STRIPE_WEBHOOK_SECRET");
    let secret = configured.clone().unwrap_or_else(|| DEMO_SECRET.to_owned());
    let port: u16 = match common::env("PORT") {
        Some(port) => {
            port.parse().with_context(|| format!("PORT must be a port number, not {port:?}"))?
        }
        None => 4243,
    };

    let webhook_checker = Webhook::new(secret).context("STRIPE_WEBHOOK_SECRET")?;
    let app = Router::new().route("/webhook", post(webhook)).with_state(Arc::new(webhook_checker));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let url = format!("http://{}/webhook", listener.local_addr()?);
    println!("listening on {url}");

    if configured.is_some() {
        axum::serve(listener, app).with_graceful_shutdown(ctrl_c()).await?;
        return Ok(());
    }

    eprintln!("STRIPE_WEBHOOK_SECRET is not set: self-check with a demo secret");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let outcome = self_check(&url).await;
    server.abort();
    outcome
}

/// `POST /webhook`: 200 when the signature is valid and the event decodes, 400 with the reason
/// otherwise. The body is taken as raw bytes: a body parsed and serialized again would no longer
/// match its signature.
async fn webhook(
    State(webhook): State<Arc<Webhook>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|value| value.to_str().ok());
    match webhook.construct_event(&body, signature) {
        Ok(event) => {
            handle(&event);
            (StatusCode::OK, format!("received {}\n", event.id))
        }
        Err(err) => {
            eprintln!("rejected a webhook request: {err}");
            (StatusCode::BAD_REQUEST, format!("webhook error: {err}\n"))
        }
    }
}

/// What the application does with each kind of event.
fn handle(event: &Event) {
    if !event.api_version_matches() {
        eprintln!(
            "{}: rendered in API version {}, this SDK reads {}: set the endpoint's API version to it",
            event.id,
            event.api_version.as_deref().unwrap_or("unknown"),
            stripe_sdk::API_VERSION
        );
    }
    match (&event.type_, &event.data.object) {
        (EventType::CustomerCreated, EventObject::Customer(customer)) => {
            println!(
                "{}: customer {} created ({})",
                event.id,
                customer.id,
                customer.email.as_deref().unwrap_or("no email")
            );
        }
        (EventType::CustomerUpdated, EventObject::Customer(customer)) => {
            println!("{}: customer {} updated", event.id, customer.id);
        }
        (EventType::BillingPortalSessionCreated, EventObject::BillingPortalSession(session)) => {
            println!(
                "{}: portal session {} created for {}",
                event.id, session.id, session.customer
            );
        }
        // Rendered in another API version than the SDK's, and not decodable into our type: still
        // verified, with the raw JSON to act on. Pin the endpoint's API version to fix it for good.
        (event_type, EventObject::Undecoded(object)) => {
            eprintln!(
                "{}: {} carries a {} this SDK cannot read (event API version {}, SDK {}): {}",
                event.id,
                event_type.as_str(),
                object.object_type().unwrap_or("?"),
                event.api_version.as_deref().unwrap_or("unknown"),
                stripe_sdk::API_VERSION,
                object.error
            );
            if let Some(id) = object.id() {
                println!("{}: re-fetch {id} through the API to handle it", event.id);
            }
        }
        (event_type, EventObject::Unknown(json)) => {
            let object = json.get("object").and_then(|value| value.as_str()).unwrap_or("?");
            println!(
                "{}: {} about an object this SDK version does not know ({object})",
                event.id,
                event_type.as_str()
            );
        }
        (event_type, _) => println!("{}: {} (not handled here)", event.id, event_type.as_str()),
    }
}

/// Sends the server a `customer.created` event signed with the demo secret, and the same event
/// with a forged signature; fails unless the first is accepted and the second rejected.
async fn self_check(url: &str) -> anyhow::Result<()> {
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    let event = serde_json::json!({
        "id": "evt_self_check",
        "object": "event",
        "api_version": stripe_sdk::API_VERSION,
        "created": now,
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": "customer.created",
        "data": { "object": customer_fixture()? },
    });
    // Pretty-printed, like Stripe sends it; what is signed is these exact bytes.
    let payload = serde_json::to_string_pretty(&event)?;
    let http = reqwest::Client::new();

    let signed = sign_test_header(payload.as_bytes(), DEMO_SECRET, now);
    let forged = sign_test_header(payload.as_bytes(), "whsec_someone_else", now);
    let mut failures = Vec::new();
    for (label, header, expected) in [("signed", signed, 200), ("forged", forged, 400)] {
        let response = http
            .post(url)
            .header(SIGNATURE_HEADER, header)
            .header("content-type", "application/json")
            .body(payload.clone())
            .send()
            .await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        println!("self-check, {label} request: {status} {}", text.trim());
        if status != expected {
            failures.push(format!("the {label} request got {status}, expected {expected}"));
        }
    }
    anyhow::ensure!(failures.is_empty(), "self-check failed: {}", failures.join("; "));
    println!("self-check passed");
    Ok(())
}

/// The `customer` example of the mock (Stripe's fixture).
fn customer_fixture() -> anyhow::Result<serde_json::Value> {
    Ok(stripe_sdk_mock::example("customer")?)
}

async fn ctrl_c() {
    let _ = tokio::signal::ctrl_c().await;
}
