//! Decoding of polymorphic objects by their `object` field.

use serde::de::{DeserializeOwned, Error};
use serde_json::Value;

/// The `object` field of a JSON object, and whether it is marked `deleted: true`.
pub(crate) fn tag(value: &Value) -> (&str, bool) {
    let object = value.get("object").and_then(Value::as_str).unwrap_or("");
    let deleted = value.get("deleted").and_then(Value::as_bool).unwrap_or(false);
    (object, deleted)
}

/// Decodes one variant of a polymorphic object.
pub(crate) fn decode<T: DeserializeOwned, E: Error>(value: Value) -> Result<T, E> {
    let text = serde_json::to_vec(&value).map_err(E::custom)?;
    super::json_path::decode(&text).map_err(|(path, err)| E::custom(inner_error(&path, &err)))
}

/// A variant's decode error, for the deserializer of the enclosing document: where inside the
/// object it failed, and serde_json's message without its position in the re-written text (which
/// serde_json would otherwise take for a position in the enclosing document).
fn inner_error(path: &str, err: &serde_json::Error) -> String {
    let message = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    if path == "." {
        message.to_owned()
    } else {
        format!("at `{path}`: {message}")
    }
}

/// Tries to decode one candidate variant of an object without an `object` field.
pub(crate) fn decode_ref<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    reparse(value)
}

/// Decodes a buffered object by writing it back to JSON text and parsing that, rather than
/// deserializing from the `Value` itself: then every type's `Deserialize` is compiled for one
/// deserializer (serde_json reading bytes, what responses use) instead of three (bytes, `Value`
/// and `&Value`), which took a large share of the crate's build time. The cost, a second pass over
/// the object, is paid only by polymorphic objects that are expanded or sent in events.
fn reparse<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_slice(&serde_json::to_vec(value)?)
}

/// Candidate variants (indexes into `fields`), best first: the variant whose known fields cover
/// the most keys of the object, ties in declaration order.
pub(crate) fn by_fit(value: &Value, fields: &[&[&str]]) -> Vec<usize> {
    let keys: Vec<&String> = value.as_object().map(|object| object.keys().collect()).unwrap_or_default();
    let mut order: Vec<(usize, usize)> = fields
        .iter()
        .enumerate()
        .map(|(index, names)| (keys.iter().filter(|key| names.contains(&key.as_str())).count(), index))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, index)| index).collect()
}
