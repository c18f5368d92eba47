//! [`Id`]: the id of a Stripe object, typed by the object it names.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;
use std::str::FromStr;
use std::sync::Arc;

/// The id of a `T` (`cus_…` for a [`Customer`](crate::Customer)): each resource has an alias,
/// `CustomerId` = `Id<Customer>`, used for its `id` field, for the ids in an
/// [`Expandable<T>`](crate::Expandable), and accepted by the operations' path arguments (which
/// take `impl AsRef<str>`, so plain strings still work).
///
/// It reads and writes as the plain string, dereferences to `&str`, compares with strings, and is
/// cheap to clone (a shared, immutable string). Ids of different resources are different types,
/// so a `CustomerId` cannot be passed where a `SubscriptionId` is expected.
///
/// ```
/// use stripe_sdk::{Customer, CustomerId};
/// let id: CustomerId = "cus_123".parse().unwrap();
/// assert_eq!(id, "cus_123");
/// assert!(id.starts_with("cus_"));
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"cus_123\"");
/// let back: CustomerId = serde_json::from_str("\"cus_123\"").unwrap();
/// assert_eq!(back, id);
/// # let _: Option<Customer> = None;
/// ```
pub struct Id<T> {
    text: Arc<str>,
    _object: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    /// The id `text`, taken as it is.
    pub fn new(text: impl AsRef<str>) -> Id<T> {
        Id { text: Arc::from(text.as_ref()), _object: PhantomData }
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Id<T> {
        Id { text: Arc::clone(&self.text), _object: PhantomData }
    }
}

impl<T> Deref for Id<T> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl<T> AsRef<str> for Id<T> {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl<T> Borrow<str> for Id<T> {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl<T> fmt::Display for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Id<T>) -> bool {
        self.text == other.text
    }
}

impl<T> Eq for Id<T> {}

impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Id<T>) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Id<T>) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl<T> Hash for Id<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl<T> PartialEq<str> for Id<T> {
    fn eq(&self, other: &str) -> bool {
        &*self.text == other
    }
}

impl<T> PartialEq<&str> for Id<T> {
    fn eq(&self, other: &&str) -> bool {
        &*self.text == *other
    }
}

impl<T> PartialEq<String> for Id<T> {
    fn eq(&self, other: &String) -> bool {
        *self.text == **other
    }
}

impl<T> PartialEq<Id<T>> for str {
    fn eq(&self, other: &Id<T>) -> bool {
        self == &*other.text
    }
}

impl<T> PartialEq<Id<T>> for &str {
    fn eq(&self, other: &Id<T>) -> bool {
        *self == &*other.text
    }
}

impl<T> PartialEq<Id<T>> for String {
    fn eq(&self, other: &Id<T>) -> bool {
        **self == *other.text
    }
}

impl<T> FromStr for Id<T> {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Id<T>, Self::Err> {
        Ok(Id::new(text))
    }
}

impl<T> From<&str> for Id<T> {
    fn from(text: &str) -> Id<T> {
        Id::new(text)
    }
}

impl<T> From<String> for Id<T> {
    fn from(text: String) -> Id<T> {
        Id { text: Arc::from(text), _object: PhantomData }
    }
}

impl<T> From<&String> for Id<T> {
    fn from(text: &String) -> Id<T> {
        Id::new(text)
    }
}

/// For the parameters that take an id as a `String` (`params.customer = Some(customer.id.into())`).
impl<T> From<Id<T>> for String {
    fn from(id: Id<T>) -> String {
        id.text.to_string()
    }
}

impl<T> From<&Id<T>> for String {
    fn from(id: &Id<T>) -> String {
        id.text.to_string()
    }
}

impl<T> serde::Serialize for Id<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, T> serde::Deserialize<'de> for Id<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Id<T>, D::Error> {
        struct Visitor<T>(PhantomData<fn() -> T>);
        impl<T> serde::de::Visitor<'_> for Visitor<T> {
            type Value = Id<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Id<T>, E> {
                Ok(Id::new(text))
            }
        }
        deserializer.deserialize_str(Visitor(PhantomData))
    }
}

impl<T: crate::runtime::de::Object> crate::runtime::de::Slot for Option<Id<T>> {
    fn expected(&self) -> &'static str {
        "an id"
    }

    fn type_name(out: &mut String) {
        out.push_str("stripe_sdk::Id<");
        T::type_name(out);
        out.push('>');
    }

    fn scalar(&mut self, value: crate::runtime::de::Scalar<'_>) -> crate::runtime::de::Result<()> {
        match value {
            crate::runtime::de::Scalar::Str(text) => {
                *self = Some(Id::new(text));
                Ok(())
            }
            other => Err(other.refused(self.expected())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Thing;

    #[test]
    fn an_id_is_its_string() {
        let id: Id<Thing> = Id::new("th_1");
        let copy = id.clone();
        assert!(Arc::ptr_eq(&id.text, &copy.text), "a clone shares the text");
        assert_eq!(id, "th_1");
        assert_eq!("th_1", id);
        assert_eq!(id, String::from("th_1"));
        assert_eq!(format!("{id} {id:?}"), "th_1 \"th_1\"");
        assert_eq!(String::from(&id), "th_1");
        let map: std::collections::HashMap<Id<Thing>, u8> = [(id, 1)].into();
        assert_eq!(map.get("th_1"), Some(&1));
    }
}
