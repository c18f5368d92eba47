//! The form encoder against an independent parser: random parameters (JSON objects, and the
//! generated `UpdateCustomerParams` with unset-able fields) are encoded by
//! `stripe_sdk::form_encode`, the body is parsed back by the `form_urlencoded` crate, and the
//! pairs must be those of the flattened JSON of the same parameters (`a[b][0]=v`, `null` left
//! out), in the same order. The body must hold nothing but unreserved characters, `%XX`, `+`,
//! brackets and the separators.

use serde::Serialize;
use serde_json::{Map, Number, Value};

use super::Source;

/// One input: a random JSON object, then random typed parameters.
pub fn check(data: &[u8]) -> Result<(), String> {
    let mut source = Source::new(data);
    let object = Value::Object(random_object(&mut source, 0));
    round_trip(&object)?;
    round_trip(&random_customer_update(&mut source))
}

fn round_trip<P: Serialize>(params: &P) -> Result<(), String> {
    let json = serde_json::to_value(params).map_err(|err| format!("to_value: {err}"))?;
    let encoded = stripe_sdk::form_encode(params).map_err(|err| format!("{err}: {json}"))?;
    if let Some(bad) = encoded.chars().find(|ch| !allowed(*ch)) {
        return Err(format!("{bad:?} in the encoded body {encoded:?}"));
    }
    let parsed: Vec<(String, String)> =
        form_urlencoded::parse(encoded.as_bytes()).into_owned().collect();
    let mut expected = Vec::new();
    flatten(None, &json, &mut expected);
    if parsed != expected {
        return Err(format!(
            "the body parses to other pairs\n json: {json}\n body: {encoded}\n parsed: {parsed:?}\n expected: {expected:?}"
        ));
    }
    Ok(())
}

fn allowed(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || "-_.~%+[]&=".contains(ch)
}

/// The reference flattening, written from Stripe's documentation of the format.
fn flatten(key: Option<&str>, value: &Value, out: &mut Vec<(String, String)>) {
    let child = |name: &str| match key {
        None => name.to_owned(),
        Some(key) => format!("{key}[{name}]"),
    };
    match value {
        Value::Null => {}
        Value::Bool(flag) => out.push((key.unwrap_or_default().to_owned(), flag.to_string())),
        Value::Number(number) => out.push((key.unwrap_or_default().to_owned(), number.to_string())),
        Value::String(text) => out.push((key.unwrap_or_default().to_owned(), text.clone())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(Some(&child(&index.to_string())), item, out);
            }
        }
        Value::Object(entries) => {
            for (name, item) in entries {
                flatten(Some(&child(name)), item, out);
            }
        }
    }
}

fn random_object(source: &mut Source<'_>, depth: usize) -> Map<String, Value> {
    let len = source.below(5);
    (0..len).map(|_| (source.text(6), random_value(source, depth + 1))).collect()
}

fn random_value(source: &mut Source<'_>, depth: usize) -> Value {
    let kinds = if depth > 4 { 6 } else { 8 };
    match source.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(source.one_in(2)),
        2 => Value::from(i64::from_le_bytes(std::array::from_fn(|_| source.byte()))),
        3 => Value::from(u64::from_le_bytes(std::array::from_fn(|_| source.byte()))),
        4 => {
            let float = f64::from_le_bytes(std::array::from_fn(|_| source.byte()));
            Number::from_f64(float).map_or(Value::Null, Value::Number)
        }
        5 => Value::String(source.text(8)),
        6 => Value::Array((0..source.below(4)).map(|_| random_value(source, depth + 1)).collect()),
        _ => Value::Object(random_object(source, depth)),
    }
}

fn random_customer_update(source: &mut Source<'_>) -> stripe_sdk::UpdateCustomerParams {
    use stripe_sdk::{OptionalFieldsCustomerAddress, TaxExempt, Unsettable};
    let mut params = stripe_sdk::UpdateCustomerParams::new();
    let text = |source: &mut Source<'_>| source.one_in(2).then(|| source.text(6));
    params.email = text(source);
    params.description = text(source);
    params.balance = source.one_in(2).then(|| source.below(2001) as i64 - 1000);
    params.expand =
        source.one_in(2).then(|| (0..source.below(3)).map(|_| source.text(4)).collect());
    params.metadata = match source.below(3) {
        0 => None,
        1 => Some(Unsettable::Unset),
        _ => Some(Unsettable::Set(
            (0..source.below(4)).map(|_| (source.text(4), source.text(4))).collect(),
        )),
    };
    params.address = match source.below(3) {
        0 => None,
        1 => Some(Unsettable::Unset),
        _ => {
            let mut address = OptionalFieldsCustomerAddress::new();
            address.city = text(source);
            address.line1 = text(source);
            Some(Unsettable::Set(address))
        }
    };
    params.tax_exempt = match source.below(4) {
        0 => None,
        1 => Some(TaxExempt::Empty),
        2 => Some(TaxExempt::Reverse),
        _ => Some(TaxExempt::Unknown(source.text(4))),
    };
    params
}
