//! Refunds of a charge (or of a payment intent's latest charge): the amount defaults to what is
//! left to refund and may not exceed it; the charge's `amount_refunded` and `refunded` follow, and
//! `refund.created` and `charge.refunded` are recorded.

use serde_json::{json, Value};

use super::{amount, field, int, invalid, set, text, Ctx};
use crate::engine::Failure;

/// `POST /v1/refunds` (`charge` = `None`), or `POST /v1/charges/{charge}/refunds` (`Some`).
pub fn create(ctx: &mut Ctx<'_>, charge: Option<String>) -> Result<Value, Failure> {
    let charge_id = match (charge, text(ctx.params, &["charge"]), text(ctx.params, &["payment_intent"])) {
        (Some(charge), _, _) => charge,
        (None, Some(charge), _) => charge.to_owned(),
        (None, None, Some(intent)) => {
            let intent = ctx.get("payment_intent", intent, "payment_intent")?;
            match field(&intent, "latest_charge") {
                Some(charge) if field(&intent, "status") == Some("succeeded") => charge.to_owned(),
                _ => {
                    return Err(invalid(
                        format!(
                            "This PaymentIntent ({}) does not have a successful charge to refund.",
                            field(&intent, "id").unwrap_or("")
                        ),
                        Some("payment_intent"),
                        Some("charge_not_refundable"),
                    ))
                }
            }
        }
        (None, None, None) => {
            return Err(invalid(
                "One of the following params should be provided for this request: payment_intent or charge.",
                None,
                Some("parameter_missing"),
            ))
        }
    };
    let mut charge = ctx.get("charge", &charge_id, "charge")?;
    if let Some(customer) = field(&charge, "customer").map(str::to_owned) {
        ctx.at_customer_time(&customer);
    }
    if field(&charge, "status") != Some("succeeded") {
        return Err(invalid(
            format!("Charge {charge_id} has not succeeded; it cannot be refunded."),
            Some("charge"),
            Some("charge_not_refundable"),
        ));
    }
    let refundable = amount(&charge, "amount_captured") - amount(&charge, "amount_refunded");
    if refundable <= 0 {
        return Err(invalid(
            format!("Charge {charge_id} has already been refunded."),
            Some("charge"),
            Some("charge_already_refunded"),
        ));
    }
    let wanted = int(ctx.params, &["amount"]).unwrap_or(refundable);
    if wanted > refundable {
        return Err(invalid(
            format!("Refund amount ({wanted}) is greater than unrefunded amount on charge ({refundable})"),
            Some("amount"),
            Some("amount_too_large"),
        ));
    }
    if wanted <= 0 {
        return Err(invalid(
            "The refund amount must be positive.",
            Some("amount"),
            Some("parameter_invalid_integer"),
        ));
    }
    let mut refund = ctx.new_object("refund", "re_");
    let fields = json!({
        "amount": wanted,
        "charge": charge_id,
        "currency": charge["currency"],
        "payment_intent": charge["payment_intent"],
        "reason": text(ctx.params, &["reason"]),
        "status": "succeeded",
        "balance_transaction": null,
        "failure_reason": null,
        "next_action": null,
        "destination_details": {"type": "card", "card": {"type": "refund", "reference_status": "pending", "reference_type": "acquirer_reference_number", "reference": null}},
    });
    if let Value::Object(fields) = fields {
        refund.extend(fields);
    }
    let refund = Value::Object(refund);
    ctx.put("refund", &refund);
    ctx.emit("refund.created", &refund, None);

    let before = charge.clone();
    let refunded = amount(&charge, "amount_refunded") + wanted;
    let fully = refunded >= amount(&charge, "amount_captured");
    set(&mut charge, json!({"amount_refunded": refunded, "refunded": fully}));
    if let Some(list) = charge.pointer_mut("/refunds/data").and_then(Value::as_array_mut) {
        list.insert(0, refund.clone());
    }
    if let Some(refunds) = charge.get_mut("refunds").filter(|refunds| refunds.is_object()) {
        let count = refunds["data"].as_array().map_or(0, Vec::len);
        refunds["total_count"] = Value::from(count);
    }
    ctx.put("charge", &charge);
    let previous = crate::events::previous_attributes(&before, &charge);
    ctx.emit("charge.refunded", &charge, Some(previous));
    Ok(refund)
}
