//! Events as Stripe names and shapes them: `customer.subscription.updated` with the object after
//! the change and, in `previous_attributes`, only what changed. Only types the pinned spec lists
//! are recorded.

use serde_json::{json, Map, Value};

use crate::api::Api;
use crate::engine::State;

/// The request that caused an event (`request.id` and `idempotency_key`), or none for changes
/// the mock makes by itself (a renewal when a clock advances).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cause<'a> {
    pub request_id: Option<&'a str>,
    pub idempotency_key: Option<&'a str>,
}

/// The event type of a change to a stored object of `resource`, as Stripe names it:
/// `subscription` → `customer.subscription.created`, `tax_id` → `customer.tax_id.created`.
pub fn type_of(resource: &str, action: &str) -> String {
    let family = match resource {
        "subscription" | "tax_id" | "discount" => format!("customer.{resource}"),
        "bank_account" | "card" | "source" => "customer.source".to_owned(),
        "item" => "checkout.session.line_item".to_owned(),
        _ => resource.to_owned(),
    };
    format!("{family}.{action}")
}

/// Records an event of type `kind` about `object`, when the spec lists that type; returns its id.
pub fn record(
    api: &Api,
    state: &mut State,
    cause: Cause<'_>,
    created: i64,
    kind: &str,
    object: &Value,
    previous: Option<Value>,
) -> Option<String> {
    if !api.event_types.contains(kind) {
        return None;
    }
    let id = state.store.fresh_id("evt_");
    let mut data = json!({ "object": object });
    if let Some(previous) =
        previous.filter(|previous| previous.as_object().is_some_and(|p| !p.is_empty()))
    {
        data["previous_attributes"] = previous;
    }
    let event = json!({
        "id": id,
        "object": "event",
        "api_version": api.version,
        "created": created,
        "data": data,
        "livemode": false,
        "pending_webhooks": 0,
        "request": { "id": cause.request_id, "idempotency_key": cause.idempotency_key },
        "type": kind,
    });
    state.store.insert("event", event);
    state.events.push(id.clone());
    Some(id)
}

/// Stripe's `previous_attributes`: the fields that changed, with their values before. Inside
/// objects (such as `metadata`) only the changed keys are named (an added key as `null`); lists
/// and other values are given whole.
pub fn previous_attributes(before: &Value, after: &Value) -> Value {
    let mut previous = Map::new();
    if let (Some(before), Some(after)) = (before.as_object(), after.as_object()) {
        for (name, value) in after {
            let old = before.get(name).unwrap_or(&Value::Null);
            if old == value {
                continue;
            }
            let changed = match (old, value) {
                (Value::Object(old_map), Value::Object(_)) if !old_map.contains_key("object") => {
                    previous_attributes(old, value)
                }
                _ => old.clone(),
            };
            previous.insert(name.clone(), changed);
        }
        // A key removed inside a nested object (an unset metadata key) had a value before.
        for (name, old) in before {
            if !after.contains_key(name) {
                previous.insert(name.clone(), old.clone());
            }
        }
    }
    Value::Object(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_attributes_name_only_the_changed_keys() {
        let before = json!({"email": "a@x", "name": "A", "metadata": {"plan": "basic", "keep": "1", "gone": "x"}});
        let after = json!({"email": "b@x", "name": "A", "metadata": {"plan": "pro", "keep": "1", "new": "y"}});
        assert_eq!(
            previous_attributes(&before, &after),
            json!({"email": "a@x", "metadata": {"plan": "basic", "new": null, "gone": "x"}})
        );
    }

    #[test]
    fn subscription_events_are_customer_events() {
        assert_eq!(type_of("subscription", "created"), "customer.subscription.created");
        assert_eq!(type_of("customer", "deleted"), "customer.deleted");
    }
}
