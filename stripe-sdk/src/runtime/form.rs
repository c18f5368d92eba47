//! Stripe's form encoding, for request bodies and query strings: nested objects as `a[b][c]=v`,
//! arrays indexed as `a[0]=v`, booleans as `true`/`false`, `None` left out, and the empty string
//! for a field being unset.

use serde::Serialize;
use serde_json::Value;

/// Why parameters could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode request parameters: {0}")]
pub struct EncodeError(String);

impl EncodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EncodeError(message.into())
    }
}

/// Encodes `params` as `application/x-www-form-urlencoded` in Stripe's bracket notation. Keys are
/// written in field order; brackets are left unescaped, as Stripe's own SDKs send them.
pub fn encode<P: Serialize + ?Sized>(params: &P) -> Result<String, EncodeError> {
    let mut out = String::new();
    for (key, value) in pairs(params)? {
        if !out.is_empty() {
            out.push('&');
        }
        escape_into(&key, Part::Key, &mut out);
        out.push('=');
        escape_into(&value, Part::Value, &mut out);
    }
    Ok(out)
}

/// The `(name, value)` pairs of `params` in Stripe's bracket notation, not yet percent-encoded
/// (multipart bodies send them as text parts).
pub fn pairs<P: Serialize + ?Sized>(params: &P) -> Result<Vec<(String, String)>, EncodeError> {
    let value = serde_json::to_value(params).map_err(|err| EncodeError(err.to_string()))?;
    let mut pairs = Vec::new();
    match value {
        Value::Object(fields) => {
            for (key, value) in fields {
                flatten(key, value, &mut pairs);
            }
        }
        Value::Null => {}
        other => return Err(EncodeError(format!("parameters must be an object, not {other}"))),
    }
    Ok(pairs)
}

fn flatten(key: String, value: Value, pairs: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => pairs.push((key, b.to_string())),
        Value::Number(n) => pairs.push((key, n.to_string())),
        Value::String(s) => pairs.push((key, s)),
        Value::Array(items) => {
            for (index, item) in items.into_iter().enumerate() {
                flatten(format!("{key}[{index}]"), item, pairs);
            }
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                flatten(format!("{key}[{name}]"), item, pairs);
            }
        }
    }
}

/// What a percent-encoded piece of text is, which decides the few characters left as they are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// A form key: brackets stay, space is `+`.
    Key,
    /// A form value: space is `+`.
    Value,
    /// A URL path segment: only unreserved characters stay.
    Path,
}

/// Percent-encodes everything but unreserved characters (RFC 3986), with `part`'s exceptions.
fn escape_into(text: &str, part: Part, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            b'[' | b']' if part == Part::Key => out.push(byte as char),
            b' ' if part != Part::Path => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
}

/// Percent-encodes one path segment (an id inside a URL path).
pub fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    escape_into(id, Part::Path, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_nested_objects_arrays_and_scalars() {
        let params = json!({
            "customer": "cus_123",
            "expand": ["data.customer", "data.invoice"],
            "items": [{"price": "price_1", "quantity": 2}],
            "metadata": {"order id": "6735"},
            "flag": true,
            "skipped": null,
            "unset": "",
            "return_url": "https://example.com/a?b=c"
        });
        assert_eq!(
            encode(&params).unwrap(),
            "customer=cus_123&expand[0]=data.customer&expand[1]=data.invoice&items[0][price]=price_1\
             &items[0][quantity]=2&metadata[order+id]=6735&flag=true&unset=\
             &return_url=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc"
        );
    }

    #[test]
    fn rejects_non_objects_and_encodes_path_segments() {
        assert!(encode(&json!([1])).is_err());
        assert_eq!(encode(&json!(null)).unwrap(), "");
        assert_eq!(path_segment("cus_1/../x y"), "cus_1%2F..%2Fx%20y");
    }
}
