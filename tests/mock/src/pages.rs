//! The pages behind the URLs the mock hands out, for browser tests: a checkout session's hosted
//! page (`/checkout/{id}`: its line items and total, a Pay button that completes the session as
//! [`crate::Handle::complete_checkout`] does and redirects to its `success_url`, with
//! `{CHECKOUT_SESSION_ID}` filled in as Stripe does) and a billing portal session's page
//! (`/billing_portal/{id}`: the customer's subscriptions and a link back to `return_url`).
//! Like Stripe's hosted pages they take no API key.

use serde_json::Value;

use crate::flows::{self, field};
use crate::server::{lock, Shared};

/// An HTML answer, or a redirect.
pub(crate) struct Page {
    pub status: u16,
    pub html: String,
    pub location: Option<String>,
}

/// The page for `method` and `path`, when the path is one of the mock's pages.
pub(crate) fn page(shared: &Shared, method: &str, path: &str) -> Option<Page> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        ("GET", ["checkout", id]) => Some(checkout(shared, id)),
        ("POST", ["checkout", id, "pay"]) => Some(pay(shared, id)),
        ("GET", ["billing_portal", id]) => Some(portal(shared, id)),
        _ => None,
    }
}

fn checkout(shared: &Shared, id: &str) -> Page {
    let state = lock(&shared.state);
    let Some(session) = state.store.get("checkout.session", id) else {
        return html(404, "Not found", "<p>No such checkout session.</p>");
    };
    let currency = field(session, "currency").unwrap_or("usd").to_uppercase();
    let rows: String = state
        .line_items
        .get(id)
        .into_iter()
        .flatten()
        .map(|item| {
            let name =
                item["price"]["product"].as_str().or(item["description"].as_str()).unwrap_or("");
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(name),
                item["quantity"].as_i64().unwrap_or(1),
                money(item["amount_total"].as_i64().unwrap_or(0), &currency)
            )
        })
        .collect();
    let status = field(session, "status").unwrap_or("");
    let action = if status == "open" {
        format!("<form method=\"post\" action=\"/checkout/{}/pay\"><button id=\"pay\" type=\"submit\">Pay</button></form>", escape(id))
    } else {
        format!("<p id=\"status\">This checkout session is {}.</p>", escape(status))
    };
    let body = format!(
        "<table id=\"items\">{rows}</table><p id=\"total\">Total: {}</p>{action}",
        money(session["amount_total"].as_i64().unwrap_or(0), &currency)
    );
    html(200, "Checkout", &body)
}

fn pay(shared: &Shared, id: &str) -> Page {
    match crate::with_flow(shared, |ctx| flows::checkout::complete(ctx, id)) {
        Ok(session) => {
            let target = field(&session, "success_url")
                .map(|url| url.replace("{CHECKOUT_SESSION_ID}", id))
                .unwrap_or_else(|| format!("/checkout/{id}"));
            Page { status: 303, html: String::new(), location: Some(target) }
        }
        Err(error) => {
            html(400, "Checkout", &format!("<p id=\"error\">{}</p>", escape(&error.message)))
        }
    }
}

fn portal(shared: &Shared, id: &str) -> Page {
    let state = lock(&shared.state);
    let Some(session) = state.store.get("billing_portal.session", id) else {
        return html(404, "Not found", "<p>No such billing portal session.</p>");
    };
    let customer = field(session, "customer").unwrap_or("");
    let rows: String = state
        .store
        .newest_first("subscription")
        .into_iter()
        .filter(|subscription| field(subscription, "customer") == Some(customer))
        .map(|subscription| {
            let price = subscription
                .pointer("/items/data/0/price/id")
                .and_then(Value::as_str)
                .unwrap_or("");
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(field(subscription, "id").unwrap_or("")),
                escape(price),
                escape(field(subscription, "status").unwrap_or(""))
            )
        })
        .collect();
    let back = field(session, "return_url")
        .map(|url| format!("<a id=\"return\" href=\"{}\">Return</a>", escape(url)))
        .unwrap_or_default();
    html(
        200,
        "Billing",
        &format!(
            "<p id=\"customer\">{}</p><table id=\"subscriptions\">{rows}</table>{back}",
            escape(customer)
        ),
    )
}

fn html(status: u16, title: &str, body: &str) -> Page {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title} (stripe-sdk-mock)</title></head><body><h1>{title}</h1>{body}</body></html>"
    );
    Page { status, html, location: None }
}

/// `1999` cents as `19.99 USD` (two decimals whatever the currency: a test page, not a receipt).
fn money(amount: i64, currency: &str) -> String {
    format!("{}.{:02} {currency}", amount / 100, (amount % 100).abs())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
