//! Checkout sessions and billing portal sessions. A session's line items and amounts come from
//! the request; it is `open` until [`crate::Handle::complete_checkout`] completes it as a customer
//! paying with `pm_card_visa` would (`mode=payment`: a succeeded payment intent;
//! `mode=subscription`: a subscription paid by its first invoice; `mode=setup`: a saved card),
//! or until it is expired. Both session kinds have URLs on the mock's own host.

use serde_json::{json, Value};

use super::{
    amount, catalog, entries, field, int, invalid, list_of, payments, subscriptions, text, Ctx,
};
use crate::engine::Failure;

const RESOURCE: &str = "checkout.session";

/// `POST /v1/checkout/sessions`.
pub fn create(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let mode = text(ctx.params, &["mode"]).unwrap_or("payment").to_owned();
    let customer = text(ctx.params, &["customer"]).map(str::to_owned);
    if let Some(customer) = &customer {
        ctx.get("customer", customer, "customer")?;
        ctx.at_customer_time(customer);
    }
    let items = line_items_of(ctx)?;
    if items.is_empty() && mode != "setup" {
        return Err(invalid(
            "You must provide at least one line item.",
            Some("line_items"),
            Some("parameter_missing"),
        ));
    }
    let subtotal: i64 = items.iter().map(|item| amount(item, "amount_subtotal")).sum();
    let currency = items
        .first()
        .map(|item| item["currency"].clone())
        .unwrap_or_else(|| Value::from(text(ctx.params, &["currency"]).unwrap_or("usd")));
    let mut session = ctx.new_object(RESOURCE, "cs_test_");
    let id = session.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let expires_at = int(ctx.params, &["expires_at"]).unwrap_or(ctx.now + 24 * 3600);
    let base = ctx.state.base_url.clone();
    let embedded = text(ctx.params, &["ui_mode"]).is_some_and(|mode| mode != "hosted");
    let secret = super::client_secret(ctx.state, &id);
    let fields = json!({
        "mode": mode,
        "status": "open",
        "payment_status": if mode == "setup" { "no_payment_required" } else { "unpaid" },
        "customer": customer,
        "currency": currency,
        "amount_subtotal": subtotal,
        "amount_total": subtotal,
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "expires_at": expires_at,
        "url": if embedded { Value::Null } else { Value::from(format!("{base}/checkout/{id}")) },
        "client_secret": if embedded { Value::from(secret) } else { Value::Null },
        "payment_intent": null,
        "subscription": null,
        "setup_intent": null,
        "invoice": null,
        "customer_details": null,
        "payment_method_types": ["card"],
    });
    if let Value::Object(fields) = fields {
        session.extend(fields);
    }
    let session = Value::Object(session);
    ctx.state.line_items.insert(id, items);
    ctx.put(RESOURCE, &session);
    Ok(session)
}

/// The session's line items (`item` objects) from `line_items[]`: a `price` or `price_data`.
fn line_items_of(ctx: &mut Ctx<'_>) -> Result<Vec<Value>, Failure> {
    let params = ctx.params;
    let mut items = Vec::new();
    for (index, entry) in entries(params, "line_items").into_iter().enumerate() {
        let price = catalog::price_of_entry(ctx, entry, &format!("line_items[{index}]"))?;
        let quantity = int(entry, &["quantity"]).unwrap_or(1);
        let total = amount(&price, "unit_amount") * quantity;
        let mut item = super::blank(ctx.api, "item");
        let fields = json!({
            "id": ctx.state.store.fresh_id("li_"),
            "object": "item",
            "amount_discount": 0,
            "amount_subtotal": total,
            "amount_tax": 0,
            "amount_total": total,
            "currency": price["currency"],
            "description": price["nickname"],
            "price": price,
            "quantity": quantity,
            "discounts": [],
            "taxes": [],
            "metadata": {},
        });
        if let Value::Object(fields) = fields {
            item.extend(fields);
        }
        items.push(Value::Object(item));
    }
    Ok(items)
}

/// `GET /v1/checkout/sessions/{session}/line_items`.
pub fn line_items(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    ctx.get(RESOURCE, &id, "session")?;
    let items = ctx.state.line_items.get(&id).cloned().unwrap_or_default();
    let stored: Vec<&Value> = items.iter().collect();
    let (page, has_more) = crate::list::page(&stored, ctx.params)
        .map_err(|err| invalid(err.message, Some(err.param), err.code))?;
    let mut list = list_of(
        page.into_iter().cloned().collect(),
        format!("/v1/checkout/sessions/{id}/line_items"),
    );
    list["has_more"] = Value::Bool(has_more);
    if let Some(fields) = list.as_object_mut() {
        fields.remove("total_count");
    }
    Ok(list)
}

/// `POST /v1/checkout/sessions/{session}/expire`: an open session.
pub fn expire(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let before = ctx.get(RESOURCE, &id, "session")?;
    if field(&before, "status") != Some("open") {
        return Err(invalid(
            format!("Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{}\".", field(&before, "status").unwrap_or("")),
            None,
            Some("checkout_session_unexpected_state"),
        ));
    }
    let mut session = before.clone();
    session["status"] = Value::from("expired");
    session["url"] = Value::Null;
    ctx.put(RESOURCE, &session);
    ctx.emit("checkout.session.expired", &session, None);
    Ok(session)
}

/// Completes an open session as its customer would: the customer (created when the session
/// has none), the payment or subscription, and `checkout.session.completed`.
pub fn complete(ctx: &mut Ctx<'_>, id: &str) -> Result<Value, Failure> {
    let before = ctx.get(RESOURCE, id, "session")?;
    if field(&before, "status") != Some("open") {
        return Err(invalid(
            format!(
                "Checkout session {id} is {}; only an open session completes.",
                field(&before, "status").unwrap_or("")
            ),
            None,
            None,
        ));
    }
    if amount(&before, "expires_at") <= ctx.now {
        return Err(invalid(format!("Checkout session {id} has expired."), None, None));
    }
    let customer = match field(&before, "customer") {
        Some(customer) => customer.to_owned(),
        None => new_customer(ctx, &before),
    };
    let method = super::cards::resolve(ctx, "pm_card_visa", "payment_method")?;
    let method_id = field(&method, "id").unwrap_or("").to_owned();
    let mut attached = method.clone();
    attached["customer"] = Value::from(customer.as_str());
    ctx.put("payment_method", &attached);
    let mut session = before.clone();
    session["customer"] = Value::from(customer.as_str());
    let items = ctx.state.line_items.get(id).cloned().unwrap_or_default();
    match field(&before, "mode") {
        Some("subscription") => {
            let subscription = subscriptions::for_checkout(ctx, &customer, &items, &method_id)?;
            session["subscription"] = subscription["id"].clone();
            session["invoice"] = subscription["latest_invoice"].clone();
            session["payment_status"] = Value::from("paid");
        }
        Some("setup") => {
            session["payment_status"] = Value::from("no_payment_required");
        }
        _ => {
            let empty = crate::form::Params::new();
            let mut inner = ctx.with(&empty);
            let currency = field(&before, "currency").unwrap_or("usd").to_owned();
            let intent = payments::new_intent(
                &mut inner,
                amount(&before, "amount_total"),
                &currency,
                Some(&customer),
                Some(&attached),
            );
            let (intent, _) = payments::attempt(&mut inner, intent, &attached, false);
            session["payment_intent"] = intent["id"].clone();
            session["payment_status"] = Value::from("paid");
        }
    }
    session["status"] = Value::from("complete");
    session["url"] = Value::Null;
    session["customer_details"] = json!({"address": null, "business_name": null, "email": before["customer_email"], "individual_name": null, "name": null, "phone": null, "tax_exempt": "none", "tax_ids": []});
    ctx.put(RESOURCE, &session);
    ctx.emit("checkout.session.completed", &session, None);
    Ok(session)
}

fn new_customer(ctx: &mut Ctx<'_>, session: &Value) -> String {
    let mut customer = super::blank(ctx.api, "customer");
    let id = ctx.state.store.fresh_id("cus_");
    customer.insert("id".to_owned(), Value::from(id.as_str()));
    customer.insert("created".to_owned(), Value::from(ctx.now));
    customer.insert("email".to_owned(), session["customer_email"].clone());
    customer.insert("balance".to_owned(), Value::from(0));
    let customer = Value::Object(customer);
    ctx.put("customer", &customer);
    ctx.emit("customer.created", &customer, None);
    id
}

/// `POST /v1/billing_portal/sessions`: a session for an existing customer, its URL on the mock.
pub fn portal_session(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let customer = text(ctx.params, &["customer"]).unwrap_or("").to_owned();
    ctx.get("customer", &customer, "customer")?;
    let mut session = ctx.new_object("billing_portal.session", "bps_");
    let id = session.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let base = ctx.state.base_url.clone();
    session.insert("url".to_owned(), Value::from(format!("{base}/billing_portal/{id}")));
    session.insert("customer".to_owned(), Value::from(customer));
    let session = Value::Object(session);
    ctx.put("billing_portal.session", &session);
    Ok(session)
}
