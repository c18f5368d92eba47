//! Payment methods and Stripe's test cards. A test id (`pm_card_visa`, `tok_visa`) used anywhere
//! a payment method is expected becomes a new stored `pm_…` with that card's brand and last four
//! digits; the last four digits then decide what charging it does, as the card number does at
//! Stripe.

use serde_json::{json, Value};

use super::{field, text, Ctx};
use crate::engine::Failure;
use crate::error::ApiError;

/// What charging a card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Approve,
    /// A decline: Stripe's `code`, `decline_code` and message. `on_attach`: attaching the card
    /// to a customer already fails (every decline card but `pm_card_chargeCustomerFail`).
    Decline {
        decline_code: &'static str,
        code: &'static str,
        message: &'static str,
        on_attach: bool,
    },
    /// 3-D Secure is required: `requires_action` on session, `authentication_required` off session.
    Authenticate,
}

/// A test card: its test ids (after `pm_card_` / `tok_`), brand, last four digits, funding and outcome.
pub struct TestCard {
    pub names: &'static [&'static str],
    pub brand: &'static str,
    pub last4: &'static str,
    pub funding: &'static str,
    pub outcome: Outcome,
}

const GENERIC: &str = "Your card was declined.";

const fn decline(decline_code: &'static str, code: &'static str, message: &'static str) -> Outcome {
    Outcome::Decline { decline_code, code, message, on_attach: true }
}

/// Stripe's documented test payment methods (docs.stripe.com/testing).
pub const TEST_CARDS: &[TestCard] = &[
    TestCard {
        names: &["visa"],
        brand: "visa",
        last4: "4242",
        funding: "credit",
        outcome: Outcome::Approve,
    },
    TestCard {
        names: &["visa_debit", "visaDebit"],
        brand: "visa",
        last4: "5556",
        funding: "debit",
        outcome: Outcome::Approve,
    },
    TestCard {
        names: &["mastercard"],
        brand: "mastercard",
        last4: "4444",
        funding: "credit",
        outcome: Outcome::Approve,
    },
    TestCard {
        names: &["mastercard_debit", "mastercardDebit"],
        brand: "mastercard",
        last4: "8210",
        funding: "debit",
        outcome: Outcome::Approve,
    },
    TestCard {
        names: &["amex"],
        brand: "amex",
        last4: "8431",
        funding: "credit",
        outcome: Outcome::Approve,
    },
    TestCard {
        names: &["discover"],
        brand: "discover",
        last4: "1117",
        funding: "credit",
        outcome: Outcome::Approve,
    },
    TestCard {
        names: &["jcb"],
        brand: "jcb",
        last4: "0505",
        funding: "credit",
        outcome: Outcome::Approve,
    },
    TestCard {
        names: &["unionpay"],
        brand: "unionpay",
        last4: "0005",
        funding: "credit",
        outcome: Outcome::Approve,
    },
    TestCard {
        names: &["chargeDeclined", "visa_chargeDeclined"],
        brand: "visa",
        last4: "0002",
        funding: "credit",
        outcome: decline("generic_decline", "card_declined", GENERIC),
    },
    TestCard {
        names: &[
            "chargeDeclinedInsufficientFunds",
            "visa_chargeDeclinedInsufficientFunds",
            "insufficientFunds",
        ],
        brand: "visa",
        last4: "9995",
        funding: "credit",
        outcome: decline(
            "insufficient_funds",
            "card_declined",
            "Your card has insufficient funds.",
        ),
    },
    TestCard {
        names: &["chargeDeclinedLostCard", "visa_chargeDeclinedLostCard"],
        brand: "visa",
        last4: "9987",
        funding: "credit",
        outcome: decline("lost_card", "card_declined", GENERIC),
    },
    TestCard {
        names: &["chargeDeclinedStolenCard", "visa_chargeDeclinedStolenCard"],
        brand: "visa",
        last4: "9979",
        funding: "credit",
        outcome: decline("stolen_card", "card_declined", GENERIC),
    },
    TestCard {
        names: &["chargeDeclinedFraudulent", "visa_chargeDeclinedFraudulent"],
        brand: "visa",
        last4: "0019",
        funding: "credit",
        outcome: decline("fraudulent", "card_declined", GENERIC),
    },
    TestCard {
        names: &["chargeDeclinedExpiredCard"],
        brand: "visa",
        last4: "0069",
        funding: "credit",
        outcome: decline("expired_card", "expired_card", "Your card has expired."),
    },
    TestCard {
        names: &["chargeDeclinedIncorrectCvc"],
        brand: "visa",
        last4: "0127",
        funding: "credit",
        outcome: decline(
            "incorrect_cvc",
            "incorrect_cvc",
            "Your card's security code is incorrect.",
        ),
    },
    TestCard {
        names: &["chargeDeclinedProcessingError"],
        brand: "visa",
        last4: "0119",
        funding: "credit",
        outcome: decline(
            "processing_error",
            "processing_error",
            "An error occurred while processing your card. Try again in a little bit.",
        ),
    },
    TestCard {
        names: &["chargeCustomerFail"],
        brand: "visa",
        last4: "0341",
        funding: "credit",
        outcome: Outcome::Decline {
            decline_code: "generic_decline",
            code: "card_declined",
            message: GENERIC,
            on_attach: false,
        },
    },
    TestCard {
        names: &["authenticationRequired", "threeDSecureRequired"],
        brand: "visa",
        last4: "3184",
        funding: "credit",
        outcome: Outcome::Authenticate,
    },
    TestCard {
        names: &["threeDSecure2Required"],
        brand: "visa",
        last4: "3220",
        funding: "credit",
        outcome: Outcome::Authenticate,
    },
];

/// The test card of a test id (`pm_card_visa`, `tok_chargeDeclined`), if it is one.
pub fn test_card(id: &str) -> Option<&'static TestCard> {
    let name = id.strip_prefix("pm_card_").or_else(|| id.strip_prefix("tok_"))?;
    TEST_CARDS.iter().find(|card| card.names.contains(&name))
}

/// What charging the stored payment method `payment_method` does (by its card's last four
/// digits; a card the table does not know is approved).
pub fn outcome(payment_method: &Value) -> Outcome {
    let last4 = payment_method.pointer("/card/last4").and_then(Value::as_str).unwrap_or("");
    TEST_CARDS.iter().find(|card| card.last4 == last4).map_or(Outcome::Approve, |card| card.outcome)
}

/// The stored payment method `id`; a test id is stored first as a new `pm_…`.
pub fn resolve(ctx: &mut Ctx<'_>, id: &str, param: &str) -> Result<Value, Failure> {
    if let Some(stored) = ctx.state.store.get("payment_method", id) {
        return Ok(stored.clone());
    }
    let Some(card) = test_card(id) else {
        return Err(Box::new(ApiError::missing("payment_method", id, param)));
    };
    let mut method = super::blank(ctx.api, "payment_method");
    method.insert("id".to_owned(), Value::from(ctx.state.store.fresh_id("pm_")));
    method.insert("created".to_owned(), Value::from(ctx.now));
    method.insert("type".to_owned(), Value::from("card"));
    method.insert("customer".to_owned(), Value::Null);
    method.insert("allow_redisplay".to_owned(), Value::from("unspecified"));
    method.insert(
        "billing_details".to_owned(),
        json!({"address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null}, "email": null, "name": null, "phone": null, "tax_id": null}),
    );
    method.insert(
        "card".to_owned(),
        json!({
            "brand": card.brand,
            "display_brand": card.brand,
            "checks": {"address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass"},
            "country": "US",
            "exp_month": 12,
            "exp_year": 2034,
            "fingerprint": format!("mock{}{}", card.brand, card.last4),
            "funding": card.funding,
            "generated_from": null,
            "last4": card.last4,
            "networks": {"available": [card.brand], "preferred": null},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": true},
            "wallet": null,
        }),
    );
    let method = Value::Object(method);
    ctx.put("payment_method", &method);
    Ok(method)
}

/// `GET /v1/payment_methods/{payment_method}`: a test id answers a new payment method.
pub fn retrieve(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    resolve(ctx, &id, "payment_method")
}

/// `POST /v1/payment_methods/{payment_method}/attach`: a card that declines fails here already
/// (402 `card_error`), as Stripe checks a card when it is saved.
pub fn attach(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let method = resolve(ctx, &id, "payment_method")?;
    let customer = text(ctx.params, &["customer"]).unwrap_or("").to_owned();
    ctx.get("customer", &customer, "customer")?;
    if let Outcome::Decline { decline_code, code, message, on_attach: true } = outcome(&method) {
        return Err(card_error(code, decline_code, message));
    }
    let mut attached = method.clone();
    attached["customer"] = Value::from(customer);
    ctx.put("payment_method", &attached);
    ctx.emit("payment_method.attached", &attached, None);
    Ok(attached)
}

/// `POST /v1/payment_methods/{payment_method}/detach`.
pub fn detach(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let method = ctx.get("payment_method", &id, "payment_method")?;
    if field(&method, "customer").is_none() {
        return Err(super::invalid(
            "The payment method you provided is not attached to a customer so detachment is impossible.",
            None,
            Some("payment_method_unexpected_state"),
        ));
    }
    let mut detached = method.clone();
    detached["customer"] = Value::Null;
    ctx.put("payment_method", &detached);
    ctx.emit("payment_method.detached", &detached, Some(json!({"customer": method["customer"]})));
    Ok(detached)
}

/// A 402 `card_error`.
pub fn card_error(code: &str, decline_code: &str, message: &str) -> Failure {
    let mut error = ApiError::new(402, "card_error", message);
    error.code = Some(code.to_owned());
    if code == "card_declined" || decline_code == "authentication_required" {
        error.decline_code = Some(decline_code.to_owned());
    }
    Box::new(error)
}

/// The payment method a customer is charged with by default: `invoice_settings.default_payment_method`.
pub fn customer_default(ctx: &Ctx<'_>, customer: &str) -> Option<String> {
    ctx.state
        .store
        .get("customer", customer)?
        .pointer("/invoice_settings/default_payment_method")
        .and_then(Value::as_str)
        .map(str::to_owned)
}
