//! Invoices and invoice items. An invoice is a `draft` until finalized; finalizing makes it
//! `open`, numbers it and (for `charge_automatically` with an amount due) creates the payment
//! intent that pays it (`payments`, `confirmation_secret`). It ends `paid` (paying it, or
//! confirming its payment intent), `void` or `uncollectible`. A draft's lines are its invoice
//! items; `pending_invoice_items_behavior=include` pulls in the customer's pending ones.
//!
//! Simplifications: no taxes, discounts or customer balance; `auto_advance` does not finalize a
//! draft an hour later (finalize it, or let a subscription's renewal do it).

use serde_json::{json, Value};

use super::payments::{self, Attempt};
use super::{amount, cards, field, flag, int, invalid, list_of, set, text, Ctx};
use crate::engine::Failure;

/// `POST /v1/invoiceitems`: a pending item of the customer, or a line of the draft `invoice`.
pub fn create_item(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let customer = text(ctx.params, &["customer"]).unwrap_or("").to_owned();
    let customer_object = ctx.get("customer", &customer, "customer")?;
    ctx.at_customer_time(&customer);
    let price =
        match text(ctx.params, &["pricing", "price"]).or_else(|| text(ctx.params, &["price"])) {
            Some(id) => Some(ctx.get("price", id, "pricing[price]")?),
            None => None,
        };
    let quantity = int(ctx.params, &["quantity"]).unwrap_or(1);
    let unit = price.as_ref().map(|price| amount(price, "unit_amount"));
    let total = int(ctx.params, &["amount"]).or(unit.map(|unit| unit * quantity)).unwrap_or(0);
    let currency = text(ctx.params, &["currency"])
        .map(str::to_owned)
        .or_else(|| price.as_ref().and_then(|price| field(price, "currency")).map(str::to_owned))
        .unwrap_or_else(|| "usd".to_owned());
    let invoice = text(ctx.params, &["invoice"]).map(str::to_owned);
    if let Some(invoice) = &invoice {
        let stored = ctx.get("invoice", invoice, "invoice")?;
        if field(&stored, "status") != Some("draft") {
            return Err(invalid(
                format!("Invoice {invoice} is not a draft; its lines cannot change."),
                Some("invoice"),
                Some("invoice_not_editable"),
            ));
        }
    }
    let mut item = ctx.new_object("invoiceitem", "ii_");
    let now = ctx.now;
    let fields = json!({
        "amount": total,
        "currency": currency,
        "customer": customer,
        "date": now,
        "invoice": invoice,
        "quantity": quantity,
        "period": {"start": now, "end": now},
        "pricing": price.as_ref().map(|price| json!({"type": "price_details", "price_details": {"price": price["id"], "product": price["product"]}, "unit_amount_decimal": price["unit_amount_decimal"]})),
        "proration": false,
        "test_clock": customer_object["test_clock"],
        "discountable": true,
        "discounts": [],
        "tax_rates": [],
        "parent": null,
        "net_amount": total,
    });
    if let Value::Object(fields) = fields {
        item.extend(fields);
    }
    let item = Value::Object(item);
    ctx.put("invoiceitem", &item);
    ctx.emit("invoiceitem.created", &item, None);
    if let Some(invoice) = invoice {
        let mut stored = ctx.get("invoice", &invoice, "invoice")?;
        let line = line_from_item(ctx, &item, &invoice);
        push_line(&mut stored, line);
        ctx.put("invoice", &stored);
    }
    Ok(item)
}

/// `POST /v1/invoices`: a draft for `customer`.
pub fn create(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let customer = text(ctx.params, &["customer"]).unwrap_or("").to_owned();
    let customer_object = ctx.get("customer", &customer, "customer")?;
    ctx.at_customer_time(&customer);
    let mut invoice = draft(ctx, &customer_object, "manual", None);
    let id = field(&invoice, "id").unwrap_or("").to_owned();
    if text(ctx.params, &["pending_invoice_items_behavior"]) == Some("include") {
        let pending: Vec<Value> = ctx
            .state
            .store
            .newest_first("invoiceitem")
            .into_iter()
            .rev()
            .filter(|item| {
                field(item, "customer") == Some(customer.as_str()) && item["invoice"].is_null()
            })
            .cloned()
            .collect();
        for mut item in pending {
            item["invoice"] = Value::from(id.as_str());
            ctx.put("invoiceitem", &item);
            let line = line_from_item(ctx, &item, &id);
            push_line(&mut invoice, line);
        }
    }
    if let Some(currency) = text(ctx.params, &["currency"]) {
        invoice["currency"] = Value::from(currency.to_ascii_lowercase());
    }
    ctx.put("invoice", &invoice);
    ctx.emit("invoice.created", &invoice, None);
    Ok(invoice)
}

/// A new draft invoice of `customer` (stored by the caller), from the request's fields.
pub fn draft(
    ctx: &mut Ctx<'_>,
    customer: &Value,
    billing_reason: &str,
    subscription: Option<&Value>,
) -> Value {
    let mut invoice = ctx.new_object("invoice", "in_");
    let id = invoice.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let collection = text(ctx.params, &["collection_method"])
        .or_else(|| subscription.and_then(|subscription| field(subscription, "collection_method")))
        .unwrap_or("charge_automatically")
        .to_owned();
    let days = int(ctx.params, &["days_until_due"])
        .or_else(|| subscription.and_then(|subscription| subscription["days_until_due"].as_i64()));
    let due_date = (collection == "send_invoice").then(|| ctx.now + 86_400 * days.unwrap_or(30));
    let parent = subscription.map(|subscription| {
        json!({"type": "subscription_details", "quote_details": null, "subscription_details": {"metadata": subscription["metadata"], "subscription": subscription["id"]}})
    });
    let fields = json!({
        "customer": customer["id"],
        "customer_email": customer["email"],
        "customer_name": customer["name"],
        "customer_phone": customer["phone"],
        "customer_address": customer["address"],
        "customer_shipping": customer["shipping"],
        "customer_tax_exempt": customer["tax_exempt"],
        "test_clock": customer["test_clock"],
        "currency": subscription.and_then(|subscription| subscription.get("currency")).cloned().unwrap_or_else(|| Value::from("usd")),
        "status": "draft",
        "collection_method": collection,
        "billing_reason": billing_reason,
        "auto_advance": flag(ctx.params, &["auto_advance"]).unwrap_or(subscription.is_some()),
        "lines": list_of(Vec::new(), format!("/v1/invoices/{id}/lines")),
        "payments": list_of(Vec::new(), format!("/v1/invoices/{id}/payments")),
    });
    let amounts = json!({
        "amount_due": 0, "amount_paid": 0, "amount_remaining": 0, "amount_overpaid": 0, "amount_shipping": 0,
        "subtotal": 0, "subtotal_excluding_tax": 0, "total": 0, "total_excluding_tax": 0,
        "starting_balance": 0, "ending_balance": null,
        "attempt_count": 0, "attempted": false,
    });
    let more = json!({
        "period_start": ctx.now, "period_end": ctx.now,
        "due_date": due_date,
        "number": null, "hosted_invoice_url": null, "invoice_pdf": null, "confirmation_secret": null,
        "parent": parent,
        "status_transitions": {"finalized_at": null, "marked_uncollectible_at": null, "paid_at": null, "voided_at": null},
        "effective_at": null, "next_payment_attempt": null, "webhooks_delivered_at": ctx.now,
        "discounts": [], "total_discount_amounts": [], "total_taxes": [], "total_pretax_credit_amounts": [],
        "default_tax_rates": [], "account_tax_ids": null, "customer_tax_ids": [],
    });
    for part in [fields, amounts, more] {
        if let Value::Object(part) = part {
            invoice.extend(part);
        }
    }
    Value::Object(invoice)
}

/// The line of an invoice item.
fn line_from_item(ctx: &mut Ctx<'_>, item: &Value, invoice: &str) -> Value {
    let mut line = super::blank(ctx.api, "line_item");
    line.insert("id".to_owned(), Value::from(ctx.state.store.fresh_id("il_")));
    let fields = json!({
        "amount": item["amount"], "subtotal": item["amount"], "currency": item["currency"], "description": item["description"],
        "invoice": invoice, "quantity": item["quantity"], "period": item["period"], "metadata": item["metadata"],
        "discount_amounts": [], "discounts": [], "taxes": [], "pretax_credit_amounts": [], "subscription": null,
        "pricing": item["pricing"],
        "parent": {"type": "invoice_item_details", "subscription_item_details": null, "invoice_item_details": {"invoice_item": item["id"], "proration": false, "proration_details": {"credited_items": null}, "subscription": null}},
    });
    if let Value::Object(fields) = fields {
        line.extend(fields);
    }
    Value::Object(line)
}

/// The line of a subscription item for the period `start`–`end`.
pub fn line_from_subscription_item(
    ctx: &mut Ctx<'_>,
    item: &Value,
    invoice: &str,
    (start, end): (i64, i64),
) -> Value {
    let price = &item["price"];
    let quantity = item["quantity"].as_i64().unwrap_or(1);
    let total = amount(price, "unit_amount") * quantity;
    let mut line = super::blank(ctx.api, "line_item");
    line.insert("id".to_owned(), Value::from(ctx.state.store.fresh_id("il_")));
    let fields = json!({
        "amount": total, "subtotal": total, "currency": price["currency"],
        "description": format!("{quantity} × {} (at {} / {})", field(price, "nickname").or(field(price, "product")).unwrap_or("price"), amount(price, "unit_amount"), price.pointer("/recurring/interval").and_then(Value::as_str).unwrap_or("period")),
        "invoice": invoice, "quantity": quantity, "period": {"start": start, "end": end}, "metadata": {},
        "discount_amounts": [], "discounts": [], "taxes": [], "pretax_credit_amounts": [], "subscription": item["subscription"],
        "pricing": {"type": "price_details", "price_details": {"price": price["id"], "product": price["product"]}, "unit_amount_decimal": price["unit_amount_decimal"]},
        "parent": {"type": "subscription_item_details", "invoice_item_details": null, "subscription_item_details": {"invoice_item": null, "proration": false, "proration_details": {"credited_items": null}, "subscription": item["subscription"], "subscription_item": item["id"]}},
    });
    if let Value::Object(fields) = fields {
        line.extend(fields);
    }
    Value::Object(line)
}

/// Adds a line and recomputes the totals.
pub fn push_line(invoice: &mut Value, line: Value) {
    if let Some(lines) = invoice.pointer_mut("/lines/data").and_then(Value::as_array_mut) {
        lines.push(line);
    }
    let total: i64 = invoice
        .pointer("/lines/data")
        .and_then(Value::as_array)
        .map_or(0, |lines| lines.iter().map(|line| amount(line, "amount")).sum());
    let count = invoice.pointer("/lines/data").and_then(Value::as_array).map_or(0, Vec::len);
    invoice["lines"]["total_count"] = Value::from(count);
    let paid = amount(invoice, "amount_paid");
    set(
        invoice,
        json!({"subtotal": total, "subtotal_excluding_tax": total, "total": total, "total_excluding_tax": total, "amount_due": total, "amount_remaining": total - paid}),
    );
}

/// `POST /v1/invoices/{invoice}/finalize`.
pub fn finalize_request(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let invoice = ctx.get("invoice", &id, "invoice")?;
    if field(&invoice, "status") != Some("draft") {
        return Err(invalid(
            "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
            None,
            Some("invoice_unexpected_state"),
        ));
    }
    customer_time(ctx, &invoice);
    Ok(finalize(ctx, invoice))
}

fn customer_time(ctx: &mut Ctx<'_>, invoice: &Value) {
    if let Some(customer) = field(invoice, "customer").map(str::to_owned) {
        ctx.at_customer_time(&customer);
    }
}

/// Finalizes a draft: `open`, a number, a due date, and the payment intent that pays it; an
/// invoice of nothing is `paid` at once. Stored, with `invoice.finalized`.
pub fn finalize(ctx: &mut Ctx<'_>, mut invoice: Value) -> Value {
    let before = invoice.clone();
    ctx.state.invoice_numbers += 1;
    let id = field(&invoice, "id").unwrap_or("").to_owned();
    let base = ctx.state.base_url.clone();
    set(
        &mut invoice,
        json!({
            "status": "open",
            "number": format!("MOCK-{:04}", ctx.state.invoice_numbers),
            "effective_at": ctx.now,
            "hosted_invoice_url": format!("{base}/invoices/{id}"),
            "invoice_pdf": format!("{base}/invoices/{id}/pdf"),
        }),
    );
    invoice["status_transitions"]["finalized_at"] = Value::from(ctx.now);
    let due = amount(&invoice, "amount_due");
    if due > 0 && field(&invoice, "collection_method") == Some("charge_automatically") {
        let customer = field(&invoice, "customer").unwrap_or("").to_owned();
        let method = default_method(ctx, &invoice);
        let currency = field(&invoice, "currency").unwrap_or("usd").to_owned();
        let empty = crate::form::Params::new();
        let intent = payments::new_intent(
            &mut ctx.with(&empty),
            due,
            &currency,
            Some(&customer),
            method.as_ref(),
        );
        let intent_id = field(&intent, "id").unwrap_or("").to_owned();
        ctx.state.intent_invoice.insert(intent_id.clone(), id.clone());
        let payment = json!({
            "id": ctx.state.store.fresh_id("inpay_"),
            "object": "invoice_payment",
            "amount_paid": null,
            "amount_requested": due,
            "created": ctx.now,
            "currency": currency,
            "invoice": id,
            "is_default": true,
            "livemode": false,
            "payment": {"type": "payment_intent", "payment_intent": intent_id},
            "status": "open",
            "status_transitions": {"canceled_at": null, "paid_at": null},
        });
        if let Some(payments) = invoice.pointer_mut("/payments/data").and_then(Value::as_array_mut)
        {
            payments.push(payment);
        }
        invoice["payments"]["total_count"] = Value::from(1);
        invoice["confirmation_secret"] =
            json!({"client_secret": intent["client_secret"], "type": "payment_intent"});
    }
    ctx.put("invoice", &invoice);
    ctx.emit(
        "invoice.finalized",
        &invoice,
        Some(crate::events::previous_attributes(&before, &invoice)),
    );
    if due == 0 {
        mark_paid(ctx, &id);
    }
    ctx.state.store.get("invoice", &id).cloned().unwrap_or(invoice)
}

/// The payment method an invoice is charged with: its own default, its subscription's, or its
/// customer's `invoice_settings.default_payment_method`.
fn default_method(ctx: &mut Ctx<'_>, invoice: &Value) -> Option<Value> {
    let subscription = invoice
        .pointer("/parent/subscription_details/subscription")
        .and_then(Value::as_str)
        .and_then(|id| ctx.state.store.get("subscription", id))
        .and_then(|subscription| field(subscription, "default_payment_method"))
        .map(str::to_owned);
    let customer = field(invoice, "customer").unwrap_or("").to_owned();
    let id = field(invoice, "default_payment_method")
        .map(str::to_owned)
        .or(subscription)
        .or_else(|| cards::customer_default(ctx, &customer))?;
    cards::resolve(ctx, &id, "default_payment_method").ok()
}

/// `POST /v1/invoices/{invoice}/pay`: finalizes a draft, then charges the request's
/// `payment_method` or the default one (`paid_out_of_band=true`: marks it paid without a charge).
/// A decline answers the 402 `card_error` and leaves the invoice `open`.
pub fn pay_request(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let mut invoice = ctx.get("invoice", &id, "invoice")?;
    customer_time(ctx, &invoice);
    if field(&invoice, "status") == Some("draft") {
        invoice = finalize(ctx, invoice);
    }
    match field(&invoice, "status") {
        Some("open") | Some("uncollectible") => {}
        Some("paid") => {
            return Err(invalid("Invoice is already paid", None, Some("invoice_unexpected_state")))
        }
        other => {
            return Err(invalid(
                format!(
                    "This invoice can't be paid because it is {}.",
                    other.unwrap_or("not open")
                ),
                None,
                Some("invoice_unexpected_state"),
            ))
        }
    }
    if flag(ctx.params, &["paid_out_of_band"]) == Some(true) {
        cancel_intent(ctx, &invoice);
        mark_paid(ctx, &id);
        return ctx.get("invoice", &id, "invoice");
    }
    let method = match text(ctx.params, &["payment_method"]) {
        Some(method) => Some(cards::resolve(ctx, method, "payment_method")?),
        None => default_method(ctx, &invoice),
    };
    let Some(method) = method else {
        return Err(invalid(
            "This customer has no attached payment source or default payment method. Please consider adding a default payment method.",
            None,
            Some("invoice_no_customer_line_items"),
        ));
    };
    let off_session = flag(ctx.params, &["off_session"]).unwrap_or(true);
    match charge(ctx, &id, &method, off_session) {
        Some(Attempt::Declined(error)) => Err(error),
        _ => ctx.get("invoice", &id, "invoice"),
    }
}

/// Charges an open invoice's payment intent with `method` and settles the invoice by the result
/// (`None` when the invoice has no payment intent).
pub fn charge(
    ctx: &mut Ctx<'_>,
    invoice_id: &str,
    method: &Value,
    off_session: bool,
) -> Option<Attempt> {
    let invoice = ctx.state.store.get("invoice", invoice_id)?.clone();
    let intent_id =
        invoice.pointer("/payments/data/0/payment/payment_intent").and_then(Value::as_str)?;
    let intent = ctx.state.store.get("payment_intent", intent_id)?.clone();
    if field(&intent, "status") == Some("succeeded") {
        return None;
    }
    let (_, attempt) = payments::attempt(ctx, intent, method, off_session);
    settle(ctx, invoice_id, &attempt);
    Some(attempt)
}

/// The invoice after an attempt to pay it: `paid` (with `invoice.paid` and
/// `invoice.payment_succeeded`), or still `open` with `attempt_count` up and
/// `invoice.payment_failed` / `invoice.payment_action_required`; its subscription follows.
pub fn settle(ctx: &mut Ctx<'_>, invoice_id: &str, attempt: &Attempt) {
    match attempt {
        Attempt::Succeeded => mark_paid(ctx, invoice_id),
        Attempt::RequiresCapture => {}
        Attempt::RequiresAction | Attempt::Declined(_) => {
            let Some(mut invoice) = ctx.state.store.get("invoice", invoice_id).cloned() else {
                return;
            };
            let before = invoice.clone();
            let count = amount(&invoice, "attempt_count") + 1;
            set(&mut invoice, json!({"attempt_count": count, "attempted": true}));
            ctx.put("invoice", &invoice);
            let previous = crate::events::previous_attributes(&before, &invoice);
            if matches!(attempt, Attempt::RequiresAction) {
                ctx.emit("invoice.payment_action_required", &invoice, Some(previous));
            } else {
                ctx.emit("invoice.payment_failed", &invoice, Some(previous));
            }
            super::subscriptions::invoice_failed(ctx, &invoice);
        }
    }
}

/// Marks an invoice paid (its payment intent, if any, has succeeded).
fn mark_paid(ctx: &mut Ctx<'_>, invoice_id: &str) {
    let Some(mut invoice) = ctx.state.store.get("invoice", invoice_id).cloned() else { return };
    if field(&invoice, "status") == Some("paid") {
        return;
    }
    let before = invoice.clone();
    let due = amount(&invoice, "amount_due");
    let attempted =
        invoice["payments"]["data"].as_array().is_some_and(|payments| !payments.is_empty());
    set(
        &mut invoice,
        json!({"status": "paid", "amount_paid": due, "amount_remaining": 0, "attempted": attempted || due == 0, "next_payment_attempt": null}),
    );
    if attempted {
        let count = amount(&invoice, "attempt_count").max(1);
        invoice["attempt_count"] = Value::from(count);
    }
    invoice["status_transitions"]["paid_at"] = Value::from(ctx.now);
    if let Some(payment) = invoice.pointer_mut("/payments/data/0") {
        set(payment, json!({"status": "paid", "amount_paid": due}));
        payment["status_transitions"]["paid_at"] = Value::from(ctx.now);
    }
    ctx.put("invoice", &invoice);
    let previous = crate::events::previous_attributes(&before, &invoice);
    ctx.emit("invoice.paid", &invoice, Some(previous.clone()));
    ctx.emit("invoice.payment_succeeded", &invoice, Some(previous));
    super::subscriptions::invoice_paid(ctx, &invoice);
}

fn cancel_intent(ctx: &mut Ctx<'_>, invoice: &Value) {
    let Some(intent_id) =
        invoice.pointer("/payments/data/0/payment/payment_intent").and_then(Value::as_str)
    else {
        return;
    };
    let Some(mut intent) = ctx.state.store.get("payment_intent", intent_id).cloned() else {
        return;
    };
    if field(&intent, "status") == Some("succeeded") {
        return;
    }
    let before = intent.clone();
    set(
        &mut intent,
        json!({"status": "canceled", "canceled_at": ctx.now, "cancellation_reason": "void_invoice"}),
    );
    ctx.put("payment_intent", &intent);
    ctx.emit(
        "payment_intent.canceled",
        &intent,
        Some(crate::events::previous_attributes(&before, &intent)),
    );
}

/// `POST /v1/invoices/{invoice}/void`: an open (or uncollectible) invoice.
pub fn void(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    transition(ctx, &["open", "uncollectible"], "void", "voided_at", "invoice.voided")
}

/// `POST /v1/invoices/{invoice}/mark_uncollectible`: an open invoice.
pub fn mark_uncollectible(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    transition(
        ctx,
        &["open"],
        "uncollectible",
        "marked_uncollectible_at",
        "invoice.marked_uncollectible",
    )
}

fn transition(
    ctx: &mut Ctx<'_>,
    from: &[&str],
    to: &str,
    stamp: &str,
    kind: &str,
) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let mut invoice = ctx.get("invoice", &id, "invoice")?;
    customer_time(ctx, &invoice);
    let status = field(&invoice, "status").unwrap_or("").to_owned();
    if !from.contains(&status.as_str()) {
        return Err(invalid(
            format!(
                "This invoice is {status}; only an invoice that is {} can become {to}.",
                from.join(" or ")
            ),
            None,
            Some("invoice_unexpected_state"),
        ));
    }
    let before = invoice.clone();
    invoice["status"] = Value::from(to);
    invoice["status_transitions"][stamp] = Value::from(ctx.now);
    if to == "void" {
        cancel_intent(ctx, &invoice);
        invoice["amount_remaining"] = Value::from(0);
    }
    ctx.put("invoice", &invoice);
    ctx.emit(kind, &invoice, Some(crate::events::previous_attributes(&before, &invoice)));
    Ok(invoice)
}
