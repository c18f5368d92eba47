//! A small web app that sends customers to the Stripe customer portal, as in Stripe's integration
//! guide (<https://stripe.com/docs/customer-management/integrate-customer-portal>): `GET /` shows a
//! "Manage billing" button, whose form posts to `/create-portal-session`, which creates a portal
//! session and answers `303 See Other` to the session's URL.
//!
//! ```sh
//! cargo run -p stripe-sdk --example portal_redirect        # then open http://127.0.0.1:4242
//! STRIPE_SECRET_KEY=sk_test_... STRIPE_CUSTOMER_ID=cus_... cargo run -p stripe-sdk --example portal_redirect
//! ```
//!
//! Configuration (environment):
//! - `PORT`: the port to listen on, on 127.0.0.1 (default 4242; `0` picks a free port). The first
//!   line on stdout is always `listening on http://127.0.0.1:<port>`.
//! - `STRIPE_CUSTOMER_ID`: the customer whose portal is opened (default `cus_123`); a real app
//!   takes it from the signed-in user.
//! - `APP_URL`: the app's public URL, the portal's return URL (default the listening address).
//! - `STRIPE_SECRET_KEY`, `STRIPE_API_BASE`: which API to talk to (without either, the in-tree
//!   mock server, whose session URL is a fixture that does not open).

mod common;

use std::sync::Arc;

use anyhow::Context as _;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use stripe_sdk::billing_portal::{CreateSessionParams, Session};

struct App {
    client: stripe_sdk::Client,
    customer: String,
    /// Where the portal's "return" link leads: this app.
    return_url: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let port: u16 = match common::env("PORT") {
        Some(port) => {
            port.parse().with_context(|| format!("PORT must be a port number, not {port:?}"))?
        }
        None => 4242,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let url = format!("http://{}", listener.local_addr()?);

    let backend = common::backend().await?;
    eprintln!("creating portal sessions on {}", backend.description);
    let app = Arc::new(App {
        client: backend.client.clone(),
        customer: common::customer_id(),
        return_url: common::env("APP_URL").unwrap_or_else(|| format!("{url}/")),
    });
    let router = Router::new()
        .route("/", get(index))
        .route("/create-portal-session", post(create_portal_session))
        .with_state(app);

    println!("listening on {url}");
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    drop(backend);
    Ok(())
}

/// `GET /`: the account page with the "Manage billing" button.
async fn index() -> Html<&'static str> {
    Html(
        r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Your account</title></head>
<body>
  <h1>Your account</h1>
  <p>Update your payment method, see your invoices, or cancel your subscription.</p>
  <form action="/create-portal-session" method="POST">
    <button type="submit" id="manage-billing">Manage billing</button>
  </form>
</body>
</html>
"#,
    )
}

/// `POST /create-portal-session`: creates a portal session and redirects the browser to it.
async fn create_portal_session(State(app): State<Arc<App>>) -> Response {
    let mut params = CreateSessionParams::new();
    params.customer = Some(app.customer.clone());
    params.return_url = Some(app.return_url.clone());
    match Session::create(&app.client, &params).await {
        Ok(session) => {
            eprintln!(
                "portal session {} for {}: redirecting to {}",
                session.id, app.customer, session.url
            );
            (StatusCode::SEE_OTHER, [(header::LOCATION, session.url)]).into_response()
        }
        Err(err) => {
            eprintln!("cannot create a portal session: {err}");
            (StatusCode::BAD_GATEWAY, format!("Cannot open the billing portal: {err}\n"))
                .into_response()
        }
    }
}
