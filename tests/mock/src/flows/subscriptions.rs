//! Subscriptions. Items and quantities come from the request (a `price` or `price_data`, which
//! must be recurring); periods sit on the items (`current_period_start/end`, as in clover). Each
//! period has an invoice, finalized at once and paid with the subscription's or the customer's
//! default payment method:
//!
//! - `payment_behavior=allow_incomplete` (Stripe's default): paid → `active`; declined, needing
//!   3-D Secure or without a payment method → `incomplete` (paying the invoice later makes it
//!   `active`; after 23 hours unpaid it is `incomplete_expired`).
//! - `default_incomplete`: `incomplete` with an open invoice whose payment intent the client
//!   confirms (`latest_invoice.confirmation_secret`).
//! - `error_if_incomplete`: a decline answers the 402 and no subscription is created.
//! - `collection_method=send_invoice`: `active`, the invoice open and due in `days_until_due`.
//! - A trial (`trial_period_days`, `trial_end`) is `trialing` with a paid invoice of 0.
//!
//! At each period end (when a clock passes it) the subscription renews with a new invoice:
//! paid → `active`, failed → `past_due` until an invoice is paid. `cancel_at_period_end` ends it
//! then (`canceled`, `customer.subscription.deleted`); `DELETE` ends it at once. It stays
//! retrievable, and lists leave canceled ones out unless `status=canceled` or `status=all`.
//!
//! Simplifications: no prorations (a change of items or quantities is billed from the next
//! period, as `proration_behavior=none`), no automatic retries of failed invoices, no pauses,
//! schedules or usage-based prices.

use serde_json::{json, Value};

use super::invoices;
use super::payments::Attempt;
use super::{amount, cards, catalog, entries, field, flag, int, invalid, list_of, text, Ctx};
use crate::clock::add_interval;
use crate::engine::Failure;
use crate::events::previous_attributes;

/// How long an `incomplete` subscription waits for its first payment.
const INCOMPLETE_WINDOW: i64 = 23 * 3600;

/// Statuses that renew at a period end.
const RENEWING: &[&str] = &["active", "trialing", "past_due"];

/// `POST /v1/subscriptions`.
pub fn create(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let customer_id = text(ctx.params, &["customer"]).unwrap_or("").to_owned();
    let customer = ctx.get("customer", &customer_id, "customer")?;
    ctx.at_customer_time(&customer_id);
    let prices = item_prices(ctx)?;
    let Some((first, _)) = prices.first() else {
        return Err(invalid(
            "Missing required param: items.",
            Some("items"),
            Some("parameter_missing"),
        ));
    };
    let currency = first["currency"].clone();
    let (interval, count) = interval_of(first);
    let default_method = match text(ctx.params, &["default_payment_method"]) {
        Some(id) => Some(cards::resolve(ctx, id, "default_payment_method")?["id"].clone()),
        None => None,
    };
    let now = ctx.now;
    let trial_end =
        match (text(ctx.params, &["trial_end"]), int(ctx.params, &["trial_period_days"])) {
            (Some("now"), _) => None,
            (Some(end), _) => end.parse::<i64>().ok().filter(|end| *end > now),
            (None, Some(days)) if days > 0 => Some(now + days * 86_400),
            _ => None,
        };
    let anchor = trial_end.unwrap_or(now);
    let period_end = trial_end.unwrap_or_else(|| add_interval(anchor, interval, count));

    let mut subscription = ctx.new_object("subscription", "sub_");
    let id = subscription.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let items: Vec<Value> = prices
        .into_iter()
        .map(|(price, quantity)| new_item(ctx, &id, price, quantity, (now, period_end)))
        .collect();
    let collection = text(ctx.params, &["collection_method"]).unwrap_or("charge_automatically");
    let cancel_at_period_end = flag(ctx.params, &["cancel_at_period_end"]).unwrap_or(false);
    let fields = json!({
        "customer": customer_id,
        "status": "incomplete",
        "currency": currency,
        "collection_method": collection,
        "days_until_due": int(ctx.params, &["days_until_due"]).or((collection == "send_invoice").then_some(30)),
        "default_payment_method": default_method,
        "items": list_of(items.clone(), format!("/v1/subscription_items?subscription={id}")),
        "start_date": now,
        "billing_cycle_anchor": anchor,
        "trial_start": trial_end.map(|_| now),
        "trial_end": trial_end,
        "cancel_at_period_end": cancel_at_period_end,
        "cancel_at": cancel_at_period_end.then_some(period_end),
        "canceled_at": cancel_at_period_end.then_some(now),
        "ended_at": null,
        "latest_invoice": null,
        "test_clock": customer["test_clock"],
        "cancellation_details": {"comment": null, "feedback": null, "reason": null},
        "pending_update": null,
        "pause_collection": null,
        "schedule": null,
        "discounts": [],
    });
    if let Value::Object(fields) = fields {
        subscription.extend(fields);
    }
    let subscription = Value::Object(subscription);
    ctx.put("subscription", &subscription);
    for item in &items {
        ctx.put("subscription_item", item);
    }

    let behavior = text(ctx.params, &["payment_behavior"]).unwrap_or("allow_incomplete").to_owned();
    let empty = crate::form::Params::new();
    let (invoice, attempt) = {
        let mut inner = ctx.with(&empty);
        inner.quiet = Some(id.clone());
        first_invoice(
            &mut inner,
            &subscription,
            &customer,
            trial_end.is_some(),
            &behavior,
            period_end,
        )
    };
    let mut subscription = ctx.get("subscription", &id, "subscription")?;
    subscription["latest_invoice"] = invoice["id"].clone();
    let status = match (trial_end, field(&invoice, "status"), collection) {
        (Some(_), _, _) => "trialing",
        (None, Some("paid"), _) | (None, _, "send_invoice") => "active",
        _ => "incomplete",
    };
    subscription["status"] = Value::from(status);
    if let (Some(Attempt::Declined(error)), "error_if_incomplete") = (attempt, behavior.as_str()) {
        ctx.state.store.remove("subscription", &id);
        let mut voided = ctx.get("invoice", field(&invoice, "id").unwrap_or(""), "invoice")?;
        voided["status"] = Value::from("void");
        ctx.put("invoice", &voided);
        return Err(error);
    }
    ctx.put("subscription", &subscription);
    ctx.emit("customer.subscription.created", &subscription, None);
    Ok(subscription)
}

/// The prices and quantities of the request's `items` (each a `price` or a recurring
/// `price_data`).
fn item_prices(ctx: &mut Ctx<'_>) -> Result<Vec<(Value, i64)>, Failure> {
    let params = ctx.params;
    let mut prices = Vec::new();
    for (index, item) in entries(params, "items").into_iter().enumerate() {
        let price = catalog::price_of_entry(ctx, item, &format!("items[{index}]"))?;
        if field(&price, "type") != Some("recurring") {
            return Err(invalid(
                format!(
                    "The price specified ({}) is set to `type=one_time` but this field only accepts prices with `type=recurring`.",
                    field(&price, "id").unwrap_or("")
                ),
                Some(&format!("items[{index}][price]")),
                None,
            ));
        }
        prices.push((price, int(item, &["quantity"]).unwrap_or(1)));
    }
    Ok(prices)
}

fn interval_of(price: &Value) -> (&str, i64) {
    let interval = price.pointer("/recurring/interval").and_then(Value::as_str).unwrap_or("month");
    let count =
        price.pointer("/recurring/interval_count").and_then(Value::as_i64).unwrap_or(1).max(1);
    (interval, count)
}

fn new_item(
    ctx: &mut Ctx<'_>,
    subscription: &str,
    price: Value,
    quantity: i64,
    (start, end): (i64, i64),
) -> Value {
    let mut item = super::blank(ctx.api, "subscription_item");
    let fields = json!({
        "id": ctx.state.store.fresh_id("si_"),
        "object": "subscription_item",
        "created": ctx.now,
        "price": price,
        "quantity": quantity,
        "subscription": subscription,
        "current_period_start": start,
        "current_period_end": end,
        "metadata": {},
        "discounts": [],
        "tax_rates": [],
        "billing_thresholds": null,
    });
    if let Value::Object(fields) = fields {
        item.extend(fields);
    }
    Value::Object(item)
}

/// The invoice of the first period (or of the trial, for nothing) and the payment attempt.
fn first_invoice(
    ctx: &mut Ctx<'_>,
    subscription: &Value,
    customer: &Value,
    trial: bool,
    behavior: &str,
    period_end: i64,
) -> (Value, Option<Attempt>) {
    let invoice = period_invoice(
        ctx,
        subscription,
        customer,
        "subscription_create",
        (ctx.now, period_end),
        trial,
    );
    let id = field(&invoice, "id").unwrap_or("").to_owned();
    if field(&invoice, "status") != Some("open")
        || field(&invoice, "collection_method") != Some("charge_automatically")
        || behavior == "default_incomplete"
    {
        return (invoice, None);
    }
    let method = default_method(ctx, subscription);
    let attempt = method.and_then(|method| invoices::charge(ctx, &id, &method, false));
    let invoice = ctx.state.store.get("invoice", &id).cloned().unwrap_or(invoice);
    (invoice, attempt)
}

/// A finalized invoice of the subscription's items for `period` (zero amounts for a trial).
fn period_invoice(
    ctx: &mut Ctx<'_>,
    subscription: &Value,
    customer: &Value,
    reason: &str,
    period: (i64, i64),
    trial: bool,
) -> Value {
    let mut invoice = invoices::draft(ctx, customer, reason, Some(subscription));
    let id = field(&invoice, "id").unwrap_or("").to_owned();
    invoice["period_start"] = Value::from(period.0);
    invoice["period_end"] = Value::from(period.0);
    invoice["auto_advance"] = Value::Bool(true);
    if let Some(items) = subscription.pointer("/items/data").and_then(Value::as_array) {
        for item in items.clone() {
            let mut line = invoices::line_from_subscription_item(ctx, &item, &id, period);
            if trial {
                line["amount"] = Value::from(0);
                line["subtotal"] = Value::from(0);
                line["description"] = Value::from(format!(
                    "Trial period for {}",
                    item["price"]["product"].as_str().unwrap_or("")
                ));
            }
            invoices::push_line(&mut invoice, line);
        }
    }
    ctx.put("invoice", &invoice);
    ctx.emit("invoice.created", &invoice, None);
    invoices::finalize(ctx, invoice)
}

/// The subscription's default payment method, or its customer's.
fn default_method(ctx: &mut Ctx<'_>, subscription: &Value) -> Option<Value> {
    let customer = field(subscription, "customer").unwrap_or("").to_owned();
    let id = field(subscription, "default_payment_method")
        .map(str::to_owned)
        .or_else(|| cards::customer_default(ctx, &customer))?;
    cards::resolve(ctx, &id, "default_payment_method").ok()
}

/// `POST /v1/subscriptions/{subscription_exposed_id}`: items (`id` to change one, `deleted` to
/// remove it, none to add one), `cancel_at_period_end`, `default_payment_method`, `metadata`…
pub fn update(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let before = ctx.get("subscription", &id, "subscription_exposed_id")?;
    let customer = field(&before, "customer").unwrap_or("").to_owned();
    ctx.at_customer_time(&customer);
    let mut subscription = before.clone();
    if matches!(field(&before, "status"), Some("canceled" | "incomplete_expired")) {
        let allowed = ctx
            .params
            .keys()
            .all(|name| matches!(name.as_str(), "metadata" | "cancellation_details" | "expand"));
        if !allowed {
            return Err(invalid(
                "A canceled subscription can only update its cancellation_details and metadata.",
                None,
                None,
            ));
        }
    }
    if let Some(schema) = ctx.api.resource_schema("subscription") {
        let mut params = ctx.params.clone();
        for owned in ["items", "default_payment_method", "cancel_at_period_end", "trial_end"] {
            params.shift_remove(owned);
        }
        crate::reflect::apply(ctx.api, schema, &mut subscription, &params);
    }
    if let Some(method) = text(ctx.params, &["default_payment_method"]) {
        subscription["default_payment_method"] =
            cards::resolve(ctx, method, "default_payment_method")?["id"].clone();
    }
    update_items(ctx, &mut subscription)?;
    let period_end = period_end(&subscription);
    match flag(ctx.params, &["cancel_at_period_end"]) {
        Some(true) => {
            subscription["cancel_at_period_end"] = Value::Bool(true);
            subscription["cancel_at"] = Value::from(period_end);
            subscription["canceled_at"] = Value::from(ctx.now);
            subscription["cancellation_details"]["reason"] = Value::from("cancellation_requested");
        }
        Some(false) => {
            subscription["cancel_at_period_end"] = Value::Bool(false);
            subscription["cancel_at"] = Value::Null;
            subscription["canceled_at"] = Value::Null;
            subscription["cancellation_details"]["reason"] = Value::Null;
        }
        None => {}
    }
    if text(ctx.params, &["trial_end"]) == Some("now")
        && field(&subscription, "status") == Some("trialing")
    {
        subscription["trial_end"] = Value::from(ctx.now);
        set_period_end(&mut subscription, ctx.now);
        ctx.save_changed("subscription", &before, &subscription, "customer.subscription.updated");
        on_boundary(ctx, &id);
        return ctx.get("subscription", &id, "subscription_exposed_id");
    }
    ctx.save_changed("subscription", &before, &subscription, "customer.subscription.updated");
    Ok(subscription)
}

fn update_items(ctx: &mut Ctx<'_>, subscription: &mut Value) -> Result<(), Failure> {
    let params = ctx.params;
    let changes = entries(params, "items");
    if changes.is_empty() {
        return Ok(());
    }
    let id = field(subscription, "id").unwrap_or("").to_owned();
    let mut items: Vec<Value> =
        subscription.pointer("/items/data").and_then(Value::as_array).cloned().unwrap_or_default();
    let period = (
        items.first().map_or(ctx.now, |item| amount(item, "current_period_start")),
        period_end(subscription),
    );
    for (index, change) in changes.into_iter().enumerate() {
        let price = match text(change, &["price"]) {
            Some(price) => Some(catalog::price(ctx, price, &format!("items[{index}][price]"))?),
            None => None,
        };
        match text(change, &["id"]) {
            Some(item_id) => {
                let Some(position) =
                    items.iter().position(|item| field(item, "id") == Some(item_id))
                else {
                    return Err(Box::new(crate::error::ApiError::missing(
                        "subscription_item",
                        item_id,
                        &format!("items[{index}][id]"),
                    )));
                };
                if flag(change, &["deleted"]) == Some(true) {
                    let removed = items.remove(position);
                    ctx.state
                        .store
                        .remove("subscription_item", field(&removed, "id").unwrap_or(""));
                    continue;
                }
                if let Some(price) = price {
                    items[position]["price"] = price;
                }
                if let Some(quantity) = int(change, &["quantity"]) {
                    items[position]["quantity"] = Value::from(quantity);
                }
                ctx.put("subscription_item", &items[position]);
            }
            None => {
                let Some(price) = price else {
                    return Err(invalid(
                        format!("Missing required param: items[{index}][price]."),
                        Some(&format!("items[{index}][price]")),
                        Some("parameter_missing"),
                    ));
                };
                let item =
                    new_item(ctx, &id, price, int(change, &["quantity"]).unwrap_or(1), period);
                ctx.put("subscription_item", &item);
                items.push(item);
            }
        }
    }
    subscription["items"] = list_of(items, format!("/v1/subscription_items?subscription={id}"));
    Ok(())
}

/// `DELETE /v1/subscriptions/{subscription_exposed_id}`: canceled now, still retrievable.
pub fn cancel(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let mut subscription = ctx.get("subscription", &id, "subscription_exposed_id")?;
    let customer = field(&subscription, "customer").unwrap_or("").to_owned();
    ctx.at_customer_time(&customer);
    if matches!(field(&subscription, "status"), Some("canceled" | "incomplete_expired")) {
        return Err(invalid(format!("The subscription {id} is already canceled."), None, None));
    }
    let reason = text(ctx.params, &["cancellation_details", "comment"]).map(str::to_owned);
    subscription["status"] = Value::from("canceled");
    subscription["canceled_at"] = Value::from(ctx.now);
    subscription["ended_at"] = Value::from(ctx.now);
    subscription["cancel_at_period_end"] = Value::Bool(false);
    subscription["cancellation_details"] = json!({"comment": reason, "feedback": text(ctx.params, &["cancellation_details", "feedback"]), "reason": "cancellation_requested"});
    ctx.put("subscription", &subscription);
    ctx.emit("customer.subscription.deleted", &subscription, None);
    Ok(subscription)
}

fn period_end(subscription: &Value) -> i64 {
    subscription.pointer("/items/data/0/current_period_end").and_then(Value::as_i64).unwrap_or(0)
}

fn set_period_end(subscription: &mut Value, end: i64) {
    if let Some(items) = subscription.pointer_mut("/items/data").and_then(Value::as_array_mut) {
        for item in items {
            item["current_period_end"] = Value::from(end);
        }
    }
}

/// The earliest time something falls due for the subscriptions of `customers`: a period end,
/// a `cancel_at`, or the end of an incomplete subscription's window.
pub fn next_boundary(state: &crate::engine::State, customers: &[String]) -> Option<(i64, String)> {
    state
        .store
        .newest_first("subscription")
        .into_iter()
        .filter(|subscription| {
            customers.iter().any(|customer| field(subscription, "customer") == Some(customer))
        })
        .filter_map(|subscription| {
            let status = field(subscription, "status")?;
            let time = if status == "incomplete" {
                amount(subscription, "created") + INCOMPLETE_WINDOW
            } else if RENEWING.contains(&status) {
                let end = period_end(subscription);
                subscription["cancel_at"].as_i64().map_or(end, |cancel_at| cancel_at.min(end))
            } else {
                return None;
            };
            Some((time, field(subscription, "id")?.to_owned()))
        })
        .min()
}

/// What happens at the subscription's boundary ([`next_boundary`], at [`Ctx::now`]).
pub fn on_boundary(ctx: &mut Ctx<'_>, id: &str) {
    let Some(before) = ctx.state.store.get("subscription", id).cloned() else { return };
    let mut subscription = before.clone();
    let status = field(&before, "status").unwrap_or("").to_owned();
    if status == "incomplete" {
        subscription["status"] = Value::from("incomplete_expired");
        subscription["ended_at"] = Value::from(ctx.now);
        if let Some(invoice) = field(&before, "latest_invoice")
            .and_then(|id| ctx.state.store.get("invoice", id))
            .cloned()
        {
            let mut invoice = invoice;
            if field(&invoice, "status") == Some("open") {
                let previous = invoice.clone();
                invoice["status"] = Value::from("void");
                invoice["status_transitions"]["voided_at"] = Value::from(ctx.now);
                ctx.save_changed("invoice", &previous, &invoice, "invoice.voided");
            }
        }
        ctx.save_changed("subscription", &before, &subscription, "customer.subscription.updated");
        return;
    }
    let end = period_end(&before);
    let cancel_now = before["cancel_at"].as_i64().is_some_and(|cancel_at| cancel_at <= ctx.now);
    if cancel_now {
        subscription["status"] = Value::from("canceled");
        subscription["ended_at"] = Value::from(ctx.now);
        subscription["cancel_at_period_end"] = Value::Bool(false);
        ctx.put("subscription", &subscription);
        ctx.emit(
            "customer.subscription.deleted",
            &subscription,
            Some(previous_attributes(&before, &subscription)),
        );
        return;
    }
    let (interval, count) = interval_of(&before["items"]["data"][0]["price"]);
    let anchor = before["billing_cycle_anchor"].as_i64().unwrap_or(end);
    let next = next_end(anchor, interval, count, end);
    if let Some(items) = subscription.pointer_mut("/items/data").and_then(Value::as_array_mut) {
        for item in items {
            item["current_period_start"] = Value::from(end);
            item["current_period_end"] = Value::from(next);
        }
    }
    for item in subscription["items"]["data"].as_array().cloned().unwrap_or_default() {
        ctx.put("subscription_item", &item);
    }
    ctx.put("subscription", &subscription);
    let Some(customer) =
        field(&before, "customer").and_then(|id| ctx.state.store.get("customer", id)).cloned()
    else {
        return;
    };
    let empty = crate::form::Params::new();
    let (invoice, paid, failed) = {
        let mut inner = ctx.with(&empty);
        inner.quiet = Some(id.to_owned());
        renewal_invoice(&mut inner, &subscription, &customer, (end, next))
    };
    let mut subscription = ctx.state.store.get("subscription", id).cloned().unwrap_or(subscription);
    subscription["latest_invoice"] = invoice["id"].clone();
    if paid || field(&invoice, "collection_method") == Some("send_invoice") {
        subscription["status"] = Value::from("active");
    } else if failed {
        subscription["status"] = Value::from("past_due");
    }
    ctx.save_changed("subscription", &before, &subscription, "customer.subscription.updated");
}

/// The invoice of a new period, charged: the invoice, whether it was paid, whether the attempt
/// failed.
fn renewal_invoice(
    ctx: &mut Ctx<'_>,
    subscription: &Value,
    customer: &Value,
    period: (i64, i64),
) -> (Value, bool, bool) {
    let invoice = period_invoice(ctx, subscription, customer, "subscription_cycle", period, false);
    let invoice_id = field(&invoice, "id").unwrap_or("").to_owned();
    let charged = field(&invoice, "status") == Some("open")
        && field(&invoice, "collection_method") == Some("charge_automatically");
    if !charged {
        let paid = field(&invoice, "status") == Some("paid");
        return (invoice, paid, false);
    }
    let attempt = default_method(ctx, subscription)
        .and_then(|method| invoices::charge(ctx, &invoice_id, &method, true));
    if attempt.is_none() {
        // No payment method to charge: the attempt fails, as at Stripe.
        invoices::settle(
            ctx,
            &invoice_id,
            &Attempt::Declined(invalid("no payment method", None, None)),
        );
    }
    let paid = matches!(attempt, Some(Attempt::Succeeded));
    (invoice, paid, !paid)
}

/// The end of the period after the one ending at `current`: the next multiple of the interval
/// from the billing cycle anchor.
fn next_end(anchor: i64, interval: &str, count: i64, current: i64) -> i64 {
    (1..=100_000)
        .map(|periods| add_interval(anchor, interval, count * periods))
        .find(|end| *end > current)
        .unwrap_or(current + 86_400)
}

/// An invoice of a subscription was paid: an `incomplete` or `past_due` subscription is
/// `active` again.
pub fn invoice_paid(ctx: &mut Ctx<'_>, invoice: &Value) {
    change_status(ctx, invoice, &["incomplete", "past_due", "unpaid"], "active");
}

/// A renewal invoice failed: the subscription is `past_due`.
pub fn invoice_failed(ctx: &mut Ctx<'_>, invoice: &Value) {
    if field(invoice, "billing_reason") == Some("subscription_cycle") {
        change_status(ctx, invoice, &["active", "trialing"], "past_due");
    }
}

fn change_status(ctx: &mut Ctx<'_>, invoice: &Value, from: &[&str], to: &str) {
    let Some(id) =
        invoice.pointer("/parent/subscription_details/subscription").and_then(Value::as_str)
    else {
        return;
    };
    if ctx.quiet.as_deref() == Some(id) {
        return;
    }
    let Some(before) = ctx.state.store.get("subscription", id).cloned() else { return };
    if !from.contains(&field(&before, "status").unwrap_or("")) {
        return;
    }
    let mut subscription = before.clone();
    subscription["status"] = Value::from(to);
    ctx.save_changed("subscription", &before, &subscription, "customer.subscription.updated");
}

/// Creates a subscription for a completed checkout session (`mode=subscription`): the session's
/// line items, paid with `method`.
pub fn for_checkout(
    ctx: &mut Ctx<'_>,
    customer: &str,
    items: &[Value],
    method: &str,
) -> Result<Value, Failure> {
    let mut params = crate::form::Params::new();
    params.insert("customer".to_owned(), crate::form::Node::Leaf(customer.to_owned()));
    params.insert("default_payment_method".to_owned(), crate::form::Node::Leaf(method.to_owned()));
    let list = items
        .iter()
        .map(|item| {
            let mut entry = indexmap::IndexMap::new();
            entry.insert(
                "price".to_owned(),
                crate::form::Node::Leaf(item["price"]["id"].as_str().unwrap_or("").to_owned()),
            );
            entry.insert(
                "quantity".to_owned(),
                crate::form::Node::Leaf(item["quantity"].as_i64().unwrap_or(1).to_string()),
            );
            crate::form::Node::Map(entry)
        })
        .collect();
    params.insert("items".to_owned(), crate::form::Node::List(list));
    create(&mut ctx.with(&params))
}
