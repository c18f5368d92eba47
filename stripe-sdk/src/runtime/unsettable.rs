//! [`Unsettable`]: a request parameter that can be set or cleared.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A request parameter that can be set to a value or unset (sent as the empty string, which Stripe
/// reads as "clear this field"). Leaving the parameter's `Option` as `None` sends nothing at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsettable<T> {
    /// Set the field to this value.
    Set(T),
    /// Clear the field.
    Unset,
}

impl<T> From<T> for Unsettable<T> {
    fn from(value: T) -> Self {
        Unsettable::Set(value)
    }
}

impl<T: Serialize> Serialize for Unsettable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Unsettable::Set(value) => value.serialize(serializer),
            Unsettable::Unset => serializer.serialize_str(""),
        }
    }
}

/// The empty string reads as [`Unsettable::Unset`], anything else as the value.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Unsettable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.as_str() == Some("") {
            return Ok(Unsettable::Unset);
        }
        T::deserialize(value).map(Unsettable::Set).map_err(serde::de::Error::custom)
    }
}
