//! Payment intents and setup intents. A payment intent moves as at Stripe:
//! `requires_payment_method` → `requires_confirmation` → (`requires_action` for a card that
//! needs 3-D Secure) → `requires_capture` (`capture_method=manual`) or `succeeded`, or
//! `canceled`. A successful attempt creates a charge (`latest_charge`, `amount_received`,
//! `amount_capturable`); a declined one a failed charge, `last_payment_error`, the intent back at
//! `requires_payment_method`, and a 402 `card_error` naming the intent. 3-D Secure is completed
//! (or failed) by [`crate::Handle::authenticate`], as the customer would in the browser.

use serde_json::{json, Value};

use super::cards::{self, Outcome};
use super::{amount, field, flag, int, set, text, unexpected_state, Ctx};
use crate::engine::Failure;

/// What one payment attempt did.
pub enum Attempt {
    Succeeded,
    RequiresCapture,
    RequiresAction,
    /// Declined: the 402 answer (the intent is stored with `last_payment_error`).
    Declined(Failure),
}

/// `POST /v1/payment_intents`.
pub fn create(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let amount = int(ctx.params, &["amount"]).unwrap_or(0);
    let currency = text(ctx.params, &["currency"]).unwrap_or("usd").to_ascii_lowercase();
    let customer = text(ctx.params, &["customer"]).map(str::to_owned);
    if let Some(customer) = &customer {
        ctx.get("customer", customer, "customer")?;
        ctx.at_customer_time(customer);
    }
    let method = match text(ctx.params, &["payment_method"]) {
        Some(id) => Some(cards::resolve(ctx, id, "payment_method")?),
        None => None,
    };
    let intent = new_intent(ctx, amount, &currency, customer.as_deref(), method.as_ref());
    if flag(ctx.params, &["confirm"]) == Some(true) {
        let off_session = flag(ctx.params, &["off_session"]) == Some(true);
        return confirm(ctx, intent, off_session);
    }
    Ok(intent)
}

/// Stores a new intent (`requires_payment_method`, or `requires_confirmation` with a payment
/// method) and records `payment_intent.created`.
pub fn new_intent(
    ctx: &mut Ctx<'_>,
    amount: i64,
    currency: &str,
    customer: Option<&str>,
    method: Option<&Value>,
) -> Value {
    let mut intent = ctx.new_object("payment_intent", "pi_");
    let id = intent.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let secret = super::client_secret(ctx.state, &id);
    let status = if method.is_some() { "requires_confirmation" } else { "requires_payment_method" };
    let types = match super::node(ctx.params, &["payment_method_types"]) {
        Some(_) => intent.get("payment_method_types").cloned().unwrap_or_else(|| json!(["card"])),
        None => json!(["card"]),
    };
    let fields = json!({
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": 0,
        "currency": currency,
        "customer": customer,
        "payment_method": method.and_then(|method| method.get("id")).cloned(),
        "capture_method": text(ctx.params, &["capture_method"]).unwrap_or("automatic_async"),
        "confirmation_method": text(ctx.params, &["confirmation_method"]).unwrap_or("automatic"),
        "client_secret": secret,
        "status": status,
        "latest_charge": null,
        "last_payment_error": null,
        "next_action": null,
        "canceled_at": null,
        "cancellation_reason": null,
        "processing": null,
        "payment_method_types": types,
    });
    if let Value::Object(fields) = fields {
        intent.extend(fields);
    }
    let intent = Value::Object(intent);
    ctx.put("payment_intent", &intent);
    ctx.emit("payment_intent.created", &intent, None);
    intent
}

/// `POST /v1/payment_intents/{intent}/confirm`.
pub fn confirm_request(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let intent = ctx.get("payment_intent", &id, "intent")?;
    if let Some(customer) = field(&intent, "customer") {
        let customer = customer.to_owned();
        ctx.at_customer_time(&customer);
    }
    let off_session = flag(ctx.params, &["off_session"]) == Some(true);
    confirm(ctx, intent, off_session)
}

/// Confirms `intent` with the request's `payment_method` or its own, and settles the invoice it
/// pays, if any.
fn confirm(ctx: &mut Ctx<'_>, mut intent: Value, off_session: bool) -> Result<Value, Failure> {
    let status = field(&intent, "status").unwrap_or("");
    if !matches!(status, "requires_payment_method" | "requires_confirmation" | "requires_action") {
        return Err(unexpected_state(
            format!(
                "This PaymentIntent's status is {status}, but the PaymentIntent must have one of the \
                 following statuses to be confirmed: requires_payment_method, requires_confirmation, requires_action."
            ),
            "payment_intent_unexpected_state",
        ));
    }
    if let Some(id) = text(ctx.params, &["payment_method"]) {
        let method = cards::resolve(ctx, id, "payment_method")?;
        intent["payment_method"] = method["id"].clone();
    }
    let Some(method_id) = field(&intent, "payment_method").map(str::to_owned) else {
        return Err(super::invalid(
            "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm \
             the PaymentIntent with a payment method, pass `payment_method`.",
            Some("payment_method"),
            Some("payment_intent_unexpected_state"),
        ));
    };
    let method = cards::resolve(ctx, &method_id, "payment_method")?;
    if let Some(setup) = text(ctx.params, &["setup_future_usage"]) {
        intent["setup_future_usage"] = Value::from(setup);
    }
    let (intent, attempt) = attempt(ctx, intent, &method, off_session);
    let invoice = ctx.state.intent_invoice.get(field(&intent, "id").unwrap_or("")).cloned();
    if let Some(invoice) = invoice {
        super::invoices::settle(ctx, &invoice, &attempt);
    }
    match attempt {
        Attempt::Declined(error) => Err(error),
        _ => Ok(current(ctx, &intent)),
    }
}

/// The stored state of `intent` (a flow may have changed it since).
fn current(ctx: &Ctx<'_>, intent: &Value) -> Value {
    let id = field(intent, "id").unwrap_or("");
    ctx.state.store.get("payment_intent", id).cloned().unwrap_or_else(|| intent.clone())
}

/// Charges `method` for `intent`: the intent after the attempt (stored) and what happened.
pub fn attempt(
    ctx: &mut Ctx<'_>,
    mut intent: Value,
    method: &Value,
    off_session: bool,
) -> (Value, Attempt) {
    let before = intent.clone();
    intent["payment_method"] = method["id"].clone();
    intent["last_payment_error"] = Value::Null;
    intent["next_action"] = Value::Null;
    let outcome = match cards::outcome(method) {
        Outcome::Authenticate if off_session => Outcome::Decline {
            decline_code: "authentication_required",
            code: "authentication_required",
            message: "Your card was declined. This transaction requires authentication.",
            on_attach: false,
        },
        outcome => outcome,
    };
    match outcome {
        Outcome::Approve => {
            let attempt = approve(ctx, &mut intent, method);
            (intent, attempt)
        }
        Outcome::Authenticate => {
            let secret = field(&intent, "client_secret").unwrap_or("").to_owned();
            set(
                &mut intent,
                json!({
                    "status": "requires_action",
                    "next_action": {"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": format!("mock://3ds/{secret}")}},
                }),
            );
            ctx.put("payment_intent", &intent);
            ctx.emit(
                "payment_intent.requires_action",
                &intent,
                Some(events_diff(&before, &intent)),
            );
            (intent, Attempt::RequiresAction)
        }
        Outcome::Decline { decline_code, code, message, .. } => {
            let charge = charge(ctx, &intent, method, Some((code, decline_code, message)));
            let error = json!({
                "type": "card_error",
                "code": code,
                "decline_code": decline_code,
                "message": message,
                "charge": charge["id"],
                "payment_method": method,
                "doc_url": format!("https://stripe.com/docs/error-codes/{}", code.replace('_', "-")),
            });
            set(
                &mut intent,
                json!({"status": "requires_payment_method", "last_payment_error": error, "latest_charge": charge["id"]}),
            );
            ctx.put("payment_intent", &intent);
            ctx.emit("payment_intent.payment_failed", &intent, Some(events_diff(&before, &intent)));
            let mut failure = cards::card_error(code, decline_code, message);
            failure.extra.insert("charge".to_owned(), charge["id"].clone());
            failure.extra.insert("payment_intent".to_owned(), intent.clone());
            failure.extra.insert("payment_method".to_owned(), method.clone());
            (intent, Attempt::Declined(failure))
        }
    }
}

fn events_diff(before: &Value, after: &Value) -> Value {
    crate::events::previous_attributes(before, after)
}

/// A successful authorization: a charge, and the intent `succeeded` or `requires_capture`.
fn approve(ctx: &mut Ctx<'_>, intent: &mut Value, method: &Value) -> Attempt {
    let before = intent.clone();
    let manual = field(intent, "capture_method") == Some("manual");
    let charge = charge(ctx, intent, method, None);
    let total = amount(intent, "amount");
    intent["latest_charge"] = charge["id"].clone();
    if manual {
        set(intent, json!({"status": "requires_capture", "amount_capturable": total}));
    } else {
        set(
            intent,
            json!({"status": "succeeded", "amount_received": total, "amount_capturable": 0}),
        );
    }
    ctx.put("payment_intent", intent);
    let kind = if manual {
        "payment_intent.amount_capturable_updated"
    } else {
        "payment_intent.succeeded"
    };
    ctx.emit(kind, intent, Some(events_diff(&before, intent)));
    if manual {
        Attempt::RequiresCapture
    } else {
        Attempt::Succeeded
    }
}

/// Stores the charge of an attempt (`declined`: Stripe's code, decline code and message) and
/// records `charge.succeeded` or `charge.failed`.
fn charge(
    ctx: &mut Ctx<'_>,
    intent: &Value,
    method: &Value,
    declined: Option<(&str, &str, &str)>,
) -> Value {
    let manual = field(intent, "capture_method") == Some("manual");
    let total = amount(intent, "amount");
    let mut charge = super::blank(ctx.api, "charge");
    let id = ctx.state.store.fresh_id("ch_");
    let captured = declined.is_none() && !manual;
    let card = method.get("card").cloned().unwrap_or(Value::Null);
    let fields = json!({
        "id": id,
        "created": ctx.now,
        "amount": total,
        "amount_captured": if captured { total } else { 0 },
        "amount_refunded": 0,
        "captured": captured,
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": intent["description"],
        "metadata": intent.get("metadata").cloned().unwrap_or_else(|| json!({})),
        "paid": declined.is_none(),
        "payment_intent": intent["id"],
        "payment_method": method["id"],
        "payment_method_details": {"type": "card", "card": card},
        "billing_details": method["billing_details"],
        "status": if declined.is_some() { "failed" } else { "succeeded" },
        "failure_code": declined.map(|(code, _, _)| code),
        "failure_message": declined.map(|(_, _, message)| message),
        "outcome": {
            "type": if declined.is_some() { "issuer_declined" } else { "authorized" },
            "network_status": if declined.is_some() { "declined_by_network" } else { "approved_by_network" },
            "reason": declined.map(|(_, decline_code, _)| decline_code),
            "risk_level": "normal",
            "seller_message": if declined.is_some() { "The bank did not return any further details with this decline." } else { "Payment complete." },
        },
        "refunded": false,
        "disputed": false,
        "calculated_statement_descriptor": "MOCK",
        "refunds": super::list_of(Vec::new(), format!("/v1/charges/{id}/refunds")),
    });
    if let Value::Object(fields) = fields {
        charge.extend(fields);
    }
    let charge = Value::Object(charge);
    ctx.put("charge", &charge);
    ctx.emit(if declined.is_some() { "charge.failed" } else { "charge.succeeded" }, &charge, None);
    charge
}

/// `POST /v1/payment_intents/{intent}/capture`: all of `amount_capturable` or
/// `amount_to_capture` of it; the rest of the authorization is released.
pub fn capture(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let mut intent = ctx.get("payment_intent", &id, "intent")?;
    let status = field(&intent, "status").unwrap_or("").to_owned();
    if status != "requires_capture" {
        return Err(unexpected_state(
            format!(
                "This PaymentIntent could not be captured because it has a status of {status}. Only a \
                 PaymentIntent with one of the following statuses may be captured: requires_capture."
            ),
            "payment_intent_unexpected_state",
        ));
    }
    let capturable = amount(&intent, "amount_capturable");
    let wanted = int(ctx.params, &["amount_to_capture"]).unwrap_or(capturable);
    if wanted > capturable || wanted <= 0 {
        return Err(super::invalid(
            format!("The amount to capture ({wanted}) must be positive and at most the amount capturable ({capturable})."),
            Some("amount_to_capture"),
            Some("amount_too_large"),
        ));
    }
    let before = intent.clone();
    set(
        &mut intent,
        json!({"status": "succeeded", "amount_received": wanted, "amount_capturable": 0}),
    );
    if let Some(charge_id) = field(&intent, "latest_charge").map(str::to_owned) {
        if let Some(mut charge) = ctx.state.store.get("charge", &charge_id).cloned() {
            set(&mut charge, json!({"captured": true, "amount_captured": wanted}));
            ctx.put("charge", &charge);
            ctx.emit("charge.captured", &charge, None);
        }
    }
    ctx.put("payment_intent", &intent);
    ctx.emit("payment_intent.succeeded", &intent, Some(events_diff(&before, &intent)));
    Ok(intent)
}

/// `POST /v1/payment_intents/{intent}/cancel`: from any status that has not succeeded; an
/// authorization (`requires_capture`) is released.
pub fn cancel(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let mut intent = ctx.get("payment_intent", &id, "intent")?;
    let status = field(&intent, "status").unwrap_or("").to_owned();
    const CANCELABLE: &str = "requires_payment_method, requires_capture, requires_confirmation, requires_action, processing";
    if !CANCELABLE.split(", ").any(|allowed| allowed == status) {
        return Err(unexpected_state(
            format!(
                "You cannot cancel this PaymentIntent because it has a status of {status}. Only a \
                 PaymentIntent with one of the following statuses may be canceled: {CANCELABLE}."
            ),
            "payment_intent_unexpected_state",
        ));
    }
    let before = intent.clone();
    let reason = text(ctx.params, &["cancellation_reason"]);
    set(
        &mut intent,
        json!({"status": "canceled", "canceled_at": ctx.now, "cancellation_reason": reason, "amount_capturable": 0}),
    );
    if status == "requires_capture" {
        release_authorization(ctx, &intent);
    }
    ctx.put("payment_intent", &intent);
    ctx.emit("payment_intent.canceled", &intent, Some(events_diff(&before, &intent)));
    Ok(intent)
}

fn release_authorization(ctx: &mut Ctx<'_>, intent: &Value) {
    let Some(charge_id) = field(intent, "latest_charge") else { return };
    let Some(mut charge) = ctx.state.store.get("charge", charge_id).cloned() else { return };
    let total = amount(&charge, "amount");
    set(&mut charge, json!({"amount_refunded": total, "refunded": true}));
    ctx.put("charge", &charge);
    ctx.emit("charge.refunded", &charge, None);
}

/// Completes the 3-D Secure step of an intent in `requires_action`: approved, the payment goes
/// through; refused, the intent is back at `requires_payment_method` with
/// `payment_intent_authentication_failure`.
pub fn authenticate(ctx: &mut Ctx<'_>, id: &str, approve_it: bool) -> Result<Value, Failure> {
    let mut intent = ctx.get("payment_intent", id, "intent")?;
    if field(&intent, "status") != Some("requires_action") {
        return Err(unexpected_state(
            format!("PaymentIntent {id} does not require an action."),
            "payment_intent_unexpected_state",
        ));
    }
    let method_id = field(&intent, "payment_method").unwrap_or("").to_owned();
    let method = ctx.get("payment_method", &method_id, "payment_method")?;
    let attempt = if approve_it {
        intent["next_action"] = Value::Null;
        approve(ctx, &mut intent, &method)
    } else {
        let before = intent.clone();
        let error = json!({
            "type": "invalid_request_error",
            "code": "payment_intent_authentication_failure",
            "message": "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
            "payment_method": method,
        });
        set(
            &mut intent,
            json!({"status": "requires_payment_method", "next_action": null, "last_payment_error": error}),
        );
        ctx.put("payment_intent", &intent);
        ctx.emit("payment_intent.payment_failed", &intent, Some(events_diff(&before, &intent)));
        Attempt::Declined(unexpected_state(
            "authentication failed",
            "payment_intent_authentication_failure",
        ))
    };
    if let Some(invoice) = ctx.state.intent_invoice.get(id).cloned() {
        super::invoices::settle(ctx, &invoice, &attempt);
    }
    Ok(current(ctx, &intent))
}

/// `POST /v1/setup_intents`.
pub fn create_setup_intent(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let customer = text(ctx.params, &["customer"]).map(str::to_owned);
    if let Some(customer) = &customer {
        ctx.get("customer", customer, "customer")?;
    }
    let method = match text(ctx.params, &["payment_method"]) {
        Some(id) => Some(cards::resolve(ctx, id, "payment_method")?),
        None => None,
    };
    let mut intent = ctx.new_object("setup_intent", "seti_");
    let id = intent.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let secret = super::client_secret(ctx.state, &id);
    let fields = json!({
        "customer": customer,
        "payment_method": method.as_ref().map(|method| method["id"].clone()),
        "status": if method.is_some() { "requires_confirmation" } else { "requires_payment_method" },
        "usage": text(ctx.params, &["usage"]).unwrap_or("off_session"),
        "client_secret": secret,
        "last_setup_error": null,
        "next_action": null,
        "latest_attempt": null,
        "payment_method_types": ["card"],
    });
    if let Value::Object(fields) = fields {
        intent.extend(fields);
    }
    let intent = Value::Object(intent);
    ctx.put("setup_intent", &intent);
    ctx.emit("setup_intent.created", &intent, None);
    if flag(ctx.params, &["confirm"]) == Some(true) {
        return confirm_setup(ctx, intent);
    }
    Ok(intent)
}

/// `POST /v1/setup_intents/{intent}/confirm`.
pub fn confirm_setup_intent(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let intent = ctx.get("setup_intent", &id, "intent")?;
    confirm_setup(ctx, intent)
}

/// Saves the card: `succeeded` (attached to the intent's customer), `requires_action` for a
/// 3-D Secure card, or a 402 `card_error` for a declining one.
fn confirm_setup(ctx: &mut Ctx<'_>, mut intent: Value) -> Result<Value, Failure> {
    let status = field(&intent, "status").unwrap_or("").to_owned();
    if !matches!(
        status.as_str(),
        "requires_payment_method" | "requires_confirmation" | "requires_action"
    ) {
        return Err(unexpected_state(
            format!("This SetupIntent's status is {status}; it cannot be confirmed."),
            "setup_intent_unexpected_state",
        ));
    }
    let method_id = text(ctx.params, &["payment_method"])
        .or_else(|| field(&intent, "payment_method"))
        .map(str::to_owned);
    let Some(method_id) = method_id else {
        return Err(super::invalid(
            "A payment method is required to confirm this SetupIntent.",
            Some("payment_method"),
            None,
        ));
    };
    let mut method = cards::resolve(ctx, &method_id, "payment_method")?;
    let before = intent.clone();
    intent["payment_method"] = method["id"].clone();
    match cards::outcome(&method) {
        Outcome::Decline { decline_code, code, message, on_attach: true } => {
            let error = json!({"type": "card_error", "code": code, "decline_code": decline_code, "message": message});
            set(
                &mut intent,
                json!({"status": "requires_payment_method", "last_setup_error": error}),
            );
            ctx.put("setup_intent", &intent);
            ctx.emit("setup_intent.setup_failed", &intent, Some(events_diff(&before, &intent)));
            let mut failure = cards::card_error(code, decline_code, message);
            failure.extra.insert("setup_intent".to_owned(), intent);
            Err(failure)
        }
        Outcome::Authenticate if status != "requires_action" => {
            set(
                &mut intent,
                json!({"status": "requires_action", "next_action": {"type": "use_stripe_sdk", "use_stripe_sdk": {}}}),
            );
            ctx.put("setup_intent", &intent);
            ctx.emit("setup_intent.requires_action", &intent, Some(events_diff(&before, &intent)));
            Ok(intent)
        }
        _ => {
            if let Some(customer) = field(&intent, "customer").map(str::to_owned) {
                method["customer"] = Value::from(customer);
                ctx.put("payment_method", &method);
                ctx.emit("payment_method.attached", &method, None);
            }
            set(
                &mut intent,
                json!({"status": "succeeded", "next_action": null, "last_setup_error": null}),
            );
            ctx.put("setup_intent", &intent);
            ctx.emit("setup_intent.succeeded", &intent, Some(events_diff(&before, &intent)));
            Ok(intent)
        }
    }
}
