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
    T::deserialize(value).map_err(E::custom)
}

/// Tries to decode one candidate variant of an object without an `object` field.
pub(crate) fn decode_ref<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(value)
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
