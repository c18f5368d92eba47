//! JSON comparison under the SDK's documented rule: an absent field, `null`, and an object whose
//! fields are all absent or `null` carry the same information; numbers compare by value (`1`
//! equals `1.0`).

use serde_json::{json, Value};

/// `Ok` when `actual` equals `expected` under the rule; otherwise the JSON path of the first
/// difference and both values.
pub fn assert_same(expected: &Value, actual: &Value) -> Result<(), String> {
    compare(expected, actual, "$")
}

fn compare(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(left), Value::Object(right)) => {
            for key in left.keys().chain(right.keys()) {
                let left = left.get(key).unwrap_or(&Value::Null);
                let right = right.get(key).unwrap_or(&Value::Null);
                compare(left, right, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => left
            .iter()
            .zip(right)
            .enumerate()
            .try_for_each(|(i, (l, r))| compare(l, r, &format!("{path}[{i}]"))),
        (Value::Number(left), Value::Number(right)) if left.as_f64() == right.as_f64() => Ok(()),
        (left, right) if is_empty(left) && is_empty(right) => Ok(()),
        (left, right) if left == right => Ok(()),
        (left, right) => Err(format!("{path}: expected {left}, got {right}")),
    }
}

/// `null`, or an object with only empty values.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(object) => object.values().all(is_empty),
        _ => false,
    }
}

/// A customer as Stripe sends it, for tests that serve lists of them.
pub fn customer(id: &str) -> Value {
    json!({
        "id": id, "object": "customer", "balance": 0, "created": 1, "default_source": null,
        "description": null, "email": null, "invoice_settings": {"custom_fields": null,
        "default_payment_method": null, "footer": null, "rendering_options": null},
        "livemode": false, "metadata": {}, "shipping": null
    })
}

/// A page of customers (`object: list`), as JSON text.
pub fn customer_page(ids: &[&str], has_more: bool) -> String {
    let data: Vec<Value> = ids.iter().map(|id| customer(id)).collect();
    json!({"object": "list", "data": data, "has_more": has_more, "url": "/v1/customers"})
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::assert_same;
    use serde_json::json;

    #[test]
    fn absent_equals_null_but_values_must_match() {
        assert!(assert_same(&json!({"a": null, "b": 1}), &json!({"b": 1.0})).is_ok());
        let err =
            assert_same(&json!({"a": {"b": [1, 2]}}), &json!({"a": {"b": [1, 3]}})).unwrap_err();
        assert_eq!(err, "$.a.b[1]: expected 2, got 3");
        assert!(assert_same(&json!({"a": "x"}), &json!({})).is_err());
        assert!(assert_same(&json!([1]), &json!([1, 2])).is_err());
        assert!(assert_same(&json!({}), &json!({"a": {"b": null, "c": {}}})).is_ok());
        assert!(assert_same(&json!({}), &json!({"a": {"b": 0}})).is_err());
    }
}
